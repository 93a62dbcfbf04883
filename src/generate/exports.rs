//! One session's exports, laid out in memory: the simulated session and every sheet or table
//! the writers turn into files, with the planted errors located.
//!
//! Both [`super::run`] (which writes them) and [`super::truth`] (which counts them) start here,
//! so the truth always describes the bytes on disk.

use std::collections::BTreeSet;

use super::bareme::Bareme;
use super::deliberation::{deliberate, Deliberation};
use super::grilles::{build_correcteurs, build_grilles};
use super::livret::{build_sheets, FeuillesLivret};
use super::model::{rng_for, simulate_session, Flux, Session};
use super::notes_wide::{build_sheet, Cellule, FeuilleNotes, FEUILLE_NOTES, LIGNE_ENTETE};
use super::oraux_long::{build_table, TableOraux};
use super::planted::{choose_plantations, ErreurPlantee};

/// Everything written for one session.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SessionExports {
    /// The simulated session.
    pub session: Session,
    /// `notes_<Y>.xlsx`, sheet `Notes`.
    pub notes: FeuilleNotes,
    /// `oraux_<Y>.csv`.
    pub oraux: TableOraux,
    /// `livret_<Y>.ods`.
    pub livret: FeuillesLivret,
    /// `controles_<Y>.csv` and `decisions_jury_<Y>.xlsx`.
    pub deliberation: Deliberation,
    /// `grilles_<Y>.csv`: E5B candidate × question.
    pub grilles: Vec<[String; 6]>,
    /// `correcteurs_e5a_<Y>.csv`: E5A paper × corrector.
    pub correcteurs: Vec<[String; 5]>,
    /// Every planted error of the session, sorted by file then row.
    pub erreurs: Vec<ErreurPlantee>,
}

/// The grade workbook's file name.
pub(crate) fn notes_file(annee: i32) -> String {
    format!("notes_{annee}.xlsx")
}

/// The long CSV's file name.
pub(crate) fn oraux_file(annee: i32) -> String {
    format!("oraux_{annee}.csv")
}

/// The livret spreadsheet's file name.
pub(crate) fn livret_file(annee: i32) -> String {
    format!("livret_{annee}.ods")
}

/// The control exams CSV's file name.
pub(crate) fn controles_file(annee: i32) -> String {
    format!("controles_{annee}.csv")
}

/// The jury decisions workbook's file name.
pub(crate) fn jury_file(annee: i32) -> String {
    format!("decisions_jury_{annee}.xlsx")
}

/// The E5B grid levels CSV's file name.
pub(crate) fn grilles_file(annee: i32) -> String {
    format!("grilles_{annee}.csv")
}

/// The E5A corrector marks CSV's file name.
pub(crate) fn correcteurs_file(annee: i32) -> String {
    format!("correcteurs_e5a_{annee}.csv")
}

/// Simulates a session and lays out its exports; `derniere` plants the errors. `bareme` is the
/// regulation that decides who sits the control exams.
pub(crate) fn build_session_exports(
    seed: u64,
    annee: i32,
    n: usize,
    derniere: bool,
    bareme: &Bareme,
) -> SessionExports {
    let session = simulate_session(seed, annee, n);
    let plantations =
        derniere.then(|| choose_plantations(&session, &mut rng_for(seed, annee, Flux::Plantes)));
    let notes = build_sheet(&session, seed, plantations.as_ref());
    let oraux = build_table(&session, plantations.as_ref());
    let livret = build_sheets(&session);
    // Candidates with a planted error are left out of the deliberation: their results depend on
    // how the errors are rejected, not on the simulation.
    let exclus: BTreeSet<&str> = plantations.iter().flat_map(|p| p.candidats()).collect();
    let deliberation = deliberate(
        &session,
        bareme,
        &exclus,
        &mut rng_for(seed, annee, Flux::Deliberation),
    );
    let grilles = build_grilles(&session, &mut rng_for(seed, annee, Flux::Grilles));
    let correcteurs = build_correcteurs(&session);
    let mut erreurs = notes.erreurs.clone();
    if let Some(d) = &oraux.desaccord {
        let numero = Cellule::Texte(d.candidat.clone());
        let rang = notes
            .lignes
            .iter()
            .position(|l| l.get(4) == Some(&numero))
            .expect("the candidate has a workbook row");
        let ligne = LIGNE_ENTETE + 1 + u32::try_from(rang).expect("row numbers fit in u32");
        let colonne = super::notes_wide::exam_headers(annee)[5];
        erreurs.push(ErreurPlantee {
            fichier: oraux_file(annee),
            feuille: None,
            ligne: d.ligne,
            colonne: "Note".into(),
            candidat: d.candidat.clone(),
            valeur: d.valeur_csv.clone(),
            attendu: format!(
                "conflit entre sources : {} (feuille {FEUILLE_NOTES}, ligne {ligne}, colonne {colonne}) \
                 donne {} en E5B : signalé dans les rejets, aucune valeur n'écrase l'autre",
                notes_file(annee),
                d.valeur_classeur
            ),
        });
    }
    SessionExports {
        session,
        notes,
        oraux,
        livret,
        deliberation,
        grilles,
        correcteurs,
        erreurs,
    }
}
