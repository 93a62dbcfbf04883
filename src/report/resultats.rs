//! The results report job: computes the results and writes `resultats.csv`, `jury/a_examiner.csv`,
//! `hors_reglement.csv`, `statistiques_epreuves.csv`, the jury's minutes and relevés, and the
//! distribution charts; and the query of `resultats.csv`, shared by the CSV, the workbook and the
//! jury's documents: one
//! row per decided candidate with their identity, points, average, computed decision, the jury's
//! points and decision, the final decision, one column per unit of the regulation (the grade
//! after control exams when they were applied), the first-group figures, status codes, what is
//! missing and the blocks kept.

use super::plots::distribution::{read_distributions, write_distributions};
use super::{session_param, Table, Written, PAR_SESSION};
use crate::compute::compute_results;
use crate::error::Result;
use crate::regulation::Regulation;
use crate::store::Store;
use std::path::Path;

/// The resultats.csv query over the view `rapport_resultats` of `queries/95_rapports.sql`: one
/// row per candidate, one column per unit of the regulation; its one parameter is
/// [`session_param`].
pub fn resultats_sql() -> String {
    format!("SELECT * FROM rapport_resultats WHERE {PAR_SESSION} ORDER BY session, candidat")
}

/// Computes the results and writes every results report under `dir`; returns what it wrote.
///
/// # Errors
/// [`crate::error::Error::Config`] for a bad regulation file, [`crate::error::Error::Store`],
/// [`crate::error::Error::Output`].
pub fn write_results(
    store: &Store,
    dir: &Path,
    session: Option<i32>,
    sortie: &super::Sortie,
) -> Result<Written> {
    let regulation = Regulation::load(Path::new(crate::regulation::REGULATION_PATH))?;
    compute_results(store, &regulation)?;
    let reports = [
        ("resultats.csv", resultats_sql(), "candidats"),
        (
            "jury/a_examiner.csv",
            format!("SELECT * FROM a_examiner WHERE {PAR_SESSION} ORDER BY session, candidat"),
            "candidats à examiner",
        ),
        (
            "hors_reglement.csv",
            format!("SELECT * FROM hors_reglement WHERE {PAR_SESSION} ORDER BY session, candidat"),
            "candidats d'un autre diplôme",
        ),
        (
            "statistiques_epreuves.csv",
            format!(
                "SELECT * EXCLUDE (ordre) FROM statistiques_epreuves WHERE {PAR_SESSION} \
                 ORDER BY session, ordre NULLS LAST, epreuve"
            ),
            "épreuves",
        ),
    ];
    let mut written = Written::default();
    for (name, sql, what) in reports {
        let table = Table::new(name, sql, vec![session_param(session)]);
        written.table(store, dir, sortie, table, what)?;
    }
    let start = std::time::Instant::now();
    let dists = read_distributions(store, session)?;
    let plots = write_distributions(&dists, &dir.join("plots"))?;
    crate::chrono::since("plots", start);
    written.say(format!(
        "écrit {} ({} graphiques de répartition des notes, PNG et SVG)",
        dir.join("plots").display(),
        plots.len()
    ));
    out_of_scope(store, &regulation, session, &mut written)?;
    decision_counts(store, session, &mut written)?;
    Ok(written)
}

/// Warns, when some loaded candidates are of another diploma, how many were left out and why.
fn out_of_scope(
    store: &Store,
    regulation: &Regulation,
    session: Option<i32>,
    written: &mut Written,
) -> Result<()> {
    let n = store.rows(
        &format!("SELECT count(*) FROM hors_reglement WHERE {PAR_SESSION}"),
        [session_param(session)],
        "candidats d'un autre diplôme",
        |r| r.get::<_, i64>(0),
    )?;
    let n = n.first().copied().unwrap_or(0);
    if n > 0 {
        written.say(format!(
            "attention : {n} candidat{s} d'un autre diplôme que le {} (spécialité ou épreuves) : \
             chargé{s}, listé{s} dans hors_reglement.csv, hors des résultats, des taux et de \
             l'harmonisation",
            regulation.diplome.intitule,
            s = if n > 1 { "s" } else { "" }
        ));
    }
    Ok(())
}

/// Says, per session, how many candidates got each final decision.
fn decision_counts(store: &Store, session: Option<i32>, written: &mut Written) -> Result<()> {
    let rows = store.rows(
        &format!(
            "SELECT session, decisions, detail FROM rapport_decomptes WHERE {PAR_SESSION} \
             ORDER BY session"
        ),
        [session_param(session)],
        "décompte des décisions",
        |r| {
            Ok((
                r.get::<_, i32>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    for (session, decisions, detail) in rows {
        written.say(format!(
            "session {session} : {decisions} décisions (après jury) : {detail}"
        ));
    }
    Ok(())
}
