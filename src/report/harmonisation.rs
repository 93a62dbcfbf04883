//! The harmonisation report job (`harmonize`, `run`): examiner harmonisation reports under
//! `<out>/harmonisation/`: examinateurs.csv (raw and adjusted gaps, intervals, flags),
//! etablissements_ccf.csv (the same for the schools' CCF grades of E4 and E6), epreuves.csv (ANCOVA
//! slope, flags expected by chance, the mixed model's variances and disagreements) and impact.csv
//! (candidates whose average or decision a correction of the flagged examiners, or of the flagged
//! schools' CCF grades, would change); when the database holds them, correcteurs_e5a.csv (the
//! agreement of the E5A corrector pairs) and grilles.csv (E5B grid levels per examiner and
//! question). The grades stored in the database never change.

use std::path::Path;

use duckdb::types::Value;

use super::texts::comma;
use super::{session_param, Table, Written, PAR_SESSION};
use crate::error::Result;
use crate::harmonize::correcteurs::{analyse_pairs, read_copies, store_pairs};
use crate::harmonize::corrections::CorrectionJury;
use crate::harmonize::grilles::grilles_parts;
use crate::harmonize::perimetre::store_perimeter;
use crate::harmonize::{
    analyse, read_papers, read_passages, simulate_impact, store_examiners, LigneExaminateur,
    Passage, SyntheseEpreuve, Unite,
};
use crate::regulation::Regulation;
use crate::report::plots::caterpillar::{write_gap_charts, ExamGaps, Gap};
use crate::store::Store;

/// The report views of the harmonisation tables.
const VIEWS: &str = include_str!("../../queries/96_rapports_harmonisation.sql");

/// What `harmonize` looks at: a session, an exam, and the jury's own corrections for the impact.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scope<'a> {
    /// Only this session.
    pub session: Option<i32>,
    /// Only this exam.
    pub epreuve: Option<&'a str>,
    /// Corrections given by the jury (else: minus each flagged examiner's or school's adjusted
    /// gap).
    pub corrections: Option<&'a [CorrectionJury]>,
}

/// Computes the harmonisation and writes its reports under `dir/harmonisation/`; returns what
/// it wrote. The results tables (`decisions`...) must have been computed.
///
/// # Errors
/// [`crate::error::Error::Store`], [`crate::error::Error::Output`].
pub fn write_harmonisation(
    store: &Store,
    regulation: &Regulation,
    dir: &Path,
    scope: &Scope<'_>,
    sortie: &super::Sortie,
) -> Result<Written> {
    let (session, epreuve) = (scope.session, scope.epreuve);
    let reglage = &regulation.harmonisation;
    let mut written = Written::default();
    let passages = read_passages(store, reglage, Unite::Examinateurs, session, epreuve)?;
    let papiers = read_papers(store, reglage, session)?;
    let (lignes, syntheses) = analyse(&passages, &papiers, reglage);
    store_examiners(store, "examinateurs", &lignes, &syntheses)?;
    let (n_ccf, n_ponctuel) = store_perimeter(store, &reglage.ccf)?;
    written.say(format!(
        "périmètre CCF des établissements ({}) : {n_ccf} note(s) en CCF, {n_ponctuel} en épreuve ponctuelle",
        reglage.ccf.epreuves.join(", ")
    ));
    let ccf = read_passages(store, reglage, Unite::EtablissementsCcf, session, epreuve)?;
    let (lignes_ccf, syntheses_ccf) = analyse(&ccf, &papiers, reglage);
    store_examiners(store, "etablissements_ccf", &lignes_ccf, &syntheses_ccf)?;
    let changes = simulate_impact(store, regulation, scope.corrections)?;
    let copies = read_copies(store, session, epreuve)?;
    store_pairs(store, &analyse_pairs(&copies))?;
    store.create_views(
        "queries/96_rapports_harmonisation.sql",
        VIEWS,
        &grilles_parts(reglage),
    )?;
    let root = dir;
    let dir = root.join("harmonisation");
    let reports = [
        (
            "examinateurs.csv",
            "SELECT * EXCLUDE (unite) FROM rapport_harmonisation_unites \
             WHERE unite = 'examinateurs' ORDER BY session, epreuve, examinateur"
                .to_string(),
            Vec::new(),
            "examinateurs",
        ),
        (
            "etablissements_ccf.csv",
            "SELECT session, epreuve, examinateur AS uai, \
             * EXCLUDE (unite, session, epreuve, examinateur) FROM rapport_harmonisation_unites \
             WHERE unite = 'etablissements_ccf' ORDER BY session, epreuve, uai"
                .to_string(),
            Vec::new(),
            "établissements × épreuves CCF",
        ),
        (
            "epreuves.csv",
            "SELECT * FROM rapport_harmonisation_epreuves ORDER BY session, epreuve".to_string(),
            Vec::new(),
            "épreuves",
        ),
        (
            "impact.csv",
            format!(
                "SELECT * FROM rapport_harmonisation_impact WHERE {PAR_SESSION} \
                 ORDER BY session, correction_par, \
                 (decision_avant IS NOT DISTINCT FROM decision_apres), candidat"
            ),
            vec![session_param(session)],
            "candidats dont la moyenne ou la décision changerait",
        ),
    ];
    let fichier = |name: &str| Path::new("harmonisation").join(name);
    for (name, sql, params, what) in reports {
        let table = Table::new(fichier(name), sql, params);
        written.table(store, root, sortie, table, what)?;
    }
    if !copies.is_empty() {
        let table = Table::new(
            fichier("correcteurs_e5a.csv"),
            "SELECT * FROM rapport_correcteurs_e5a \
             ORDER BY session NULLS LAST, paire = 'ensemble', paire",
            Vec::new(),
        );
        written.table(
            store,
            root,
            sortie,
            table,
            "paires de correcteurs E5A et ensembles",
        )?;
    }
    write_grids(store, root, session, epreuve, sortie, &mut written)?;
    let kinds = syntheses
        .iter()
        .map(|s| (s, "examinateur(s)"))
        .chain(syntheses_ccf.iter().map(|s| (s, "établissement(s) (CCF)")));
    for (s, unit) in kinds {
        let pente = s.pente.map_or("non estimable".to_string(), |p| {
            comma(&format!("{:.2} (± {:.2})", p.value, 1.96 * p.se))
        });
        written.say(format!(
            "harmonisation {} {} : {} {unit} signalé(s), {} attendu(s) par hasard ; pente note/niveau {pente} ; {}",
            s.session,
            s.epreuve,
            s.signaux,
            comma(&format!("{:.1}", s.signaux_attendus)),
            mixed_summary(s)
        ));
        if s.desaccords_mixte > 0 {
            written.warn(format!(
                "{} {} : le modèle mixte ne conclut pas comme le modèle des \
                 différences pour {} {unit} (colonne signal_mixte) ; regarder leurs candidats avant d'agir",
                s.session, s.epreuve, s.desaccords_mixte
            ));
        }
        if s.pente.is_some_and(|p| p.value < reglage.pente_alerte) {
            written.warn(format!(
                "{} {} : la note suit peu le niveau écrit (pente {pente} < {}) ; \
                 les écarts ajustés surcorrigent les examinateurs aux candidats forts ou faibles",
                s.session,
                s.epreuve,
                comma(&reglage.pente_alerte.to_string())
            ));
        }
    }
    let plots = write_gap_charts(
        &exam_gaps(&lignes, &passages, reglage.ecart_signal),
        &dir.join("plots"),
    )?;
    written.say(format!(
        "écrit {} ({} graphiques d'écarts, PNG et SVG)",
        dir.join("plots").display(),
        plots.len()
    ));
    written.say(format!(
        "{changes} candidat(s) changeraient de moyenne ou de décision après correction \
         (examinateurs ou CCF des établissements, impact.csv)"
    ));
    store.apply_comments()?;
    Ok(written)
}

/// The mixed-model cross-check of an exam, in one French phrase.
fn mixed_summary(s: &SyntheseEpreuve) -> String {
    match (s.variances_mixte, s.desaccords_mixte) {
        (None, _) => "modèle mixte non estimable".into(),
        (Some((candidat, residuelle)), desaccords) => comma(&format!(
            "modèle mixte (variance candidat {candidat:.2}, résiduelle {residuelle:.2}) : {}",
            if desaccords == 0 {
                "mêmes signaux".to_string()
            } else {
                format!("{desaccords} désaccord(s) sur le signal")
            }
        )),
    }
}

/// Writes `<root>/harmonisation/grilles.csv` when the `grilles` table has rows of the session
/// and exam asked.
fn write_grids(
    store: &Store,
    root: &Path,
    session: Option<i32>,
    epreuve: Option<&str>,
    sortie: &super::Sortie,
    written: &mut Written,
) -> Result<()> {
    let filter = format!("WHERE {PAR_SESSION} AND epreuve = coalesce(CAST(? AS VARCHAR), epreuve)");
    let params = vec![
        session_param(session),
        epreuve.map_or(Value::Null, |e| Value::Text(e.to_string())),
    ];
    let grids = store.rows(
        &format!("SELECT count(*) FROM grilles {filter}"),
        duckdb::params_from_iter(&params),
        "lecture des grilles E5B",
        |r| r.get::<_, i64>(0),
    )?;
    if grids.first().is_some_and(|n| *n > 0) {
        let table = Table::new(
            Path::new("harmonisation").join("grilles.csv"),
            format!(
                "SELECT * FROM rapport_grilles {filter} \
                 ORDER BY session, epreuve, sujet, examinateur, question"
            ),
            params,
        );
        written.table(
            store,
            root,
            sortie,
            table,
            "examinateurs × questions des grilles",
        )?;
    }
    Ok(())
}

/// The chart data: per session and exam, the examiners with an adjusted gap.
fn exam_gaps(lignes: &[LigneExaminateur], passages: &[Passage], seuil: f64) -> Vec<ExamGaps> {
    let mut exams: Vec<ExamGaps> = Vec::new();
    for l in lignes {
        let (Some(e), Some(ic95)) = (l.ecart_ajuste, l.ic95) else {
            continue;
        };
        let same = exams
            .last()
            .is_some_and(|x| x.session == l.session && x.epreuve == l.epreuve);
        if !same {
            exams.push(ExamGaps {
                session: l.session,
                epreuve: l.epreuve.clone(),
                seuil,
                gaps: Vec::new(),
            });
        }
        if let Some(x) = exams.last_mut() {
            x.gaps.push(Gap {
                examinateur: l.examinateur.clone(),
                brut: l.ecart_brut,
                ajuste: e.value,
                mixte: l.ecart_mixte.map(|m| m.value),
                ic95,
                signal: l.signal,
                notes: passages
                    .iter()
                    .filter(|p| {
                        p.session == l.session
                            && p.epreuve == l.epreuve
                            && p.examinateur == l.examinateur
                    })
                    .map(|p| p.note)
                    .collect(),
            });
        }
    }
    exams
}
