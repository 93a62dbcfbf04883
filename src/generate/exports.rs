//! One session's exports, laid out in memory: the simulated session and every sheet or table
//! the writers turn into files, with the planted errors located.
//!
//! Both [`super::run`] (which writes them) and [`super::truth`] (which counts them) start here,
//! so the truth always describes the bytes on disk.

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
    /// `livret_<Y>.xlsx`.
    pub livret: FeuillesLivret,
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

/// The livret workbook's file name.
pub(crate) fn livret_file(annee: i32) -> String {
    format!("livret_{annee}.xlsx")
}

/// Simulates a session and lays out its exports; `derniere` plants the errors.
pub(crate) fn build_session_exports(
    seed: u64,
    annee: i32,
    n: usize,
    derniere: bool,
) -> SessionExports {
    let session = simulate_session(seed, annee, n);
    let plantations =
        derniere.then(|| choose_plantations(&session, &mut rng_for(seed, annee, Flux::Plantes)));
    let notes = build_sheet(&session, seed, plantations.as_ref());
    let oraux = build_table(&session, plantations.as_ref());
    let livret = build_sheets(&session);
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
        erreurs,
    }
}
