//! Decision impact of a proposed correction: what would change if each flagged examiner's grades
//! were moved by minus their adjusted gap, rounded to the nearest half point, clipped to 0–20.
//!
//! Takes the store with computed results and the `harmonisation_examinateurs` table; gives the
//! tables `harmonisation_corrections` (the correction applied per examiner) and
//! `harmonisation_impact` (every candidate whose average or final decision would change). The
//! corrected grades exist only inside a transaction that is rolled back: the stored grades and
//! the computed results never change.

use duckdb::params;

use super::corrections::CorrectionJury;
use crate::compute::compute_results;
use crate::error::{Error, Result};
use crate::regulation::Regulation;
use crate::store::Store;

const CORRECTIONS: &str = "
CREATE OR REPLACE TABLE harmonisation_corrections AS
SELECT session, epreuve, examinateur, ecart_ajuste,
       CAST(-round(ecart_ajuste * 2) / 2 AS DECIMAL(4, 2)) AS correction
FROM harmonisation_examinateurs
WHERE signal AND round(ecart_ajuste * 2) <> 0;
CREATE OR REPLACE TABLE harmonisation_avant AS
SELECT session, candidat, CAST(moyenne AS DOUBLE) AS moyenne, decision_finale FROM decisions;
CREATE OR REPLACE TABLE harmonisation_impact (
    session INTEGER, candidat VARCHAR, moyenne_avant DOUBLE, moyenne_apres DOUBLE,
    decision_avant VARCHAR, decision_apres VARCHAR
);";

const APPLY: &str = "
UPDATE notes SET note = CAST(greatest(0, least(20, notes.note + c.correction)) AS DECIMAL(4, 2))
FROM harmonisation_corrections AS c
WHERE notes.session = c.session AND notes.epreuve = c.epreuve
  AND notes.examinateur = c.examinateur AND notes.note IS NOT NULL AND notes.statut IS NULL;";

const CHANGES: &str = "
SELECT a.session, a.candidat, a.moyenne, CAST(d.moyenne AS DOUBLE), a.decision_finale,
       d.decision_finale
FROM harmonisation_avant AS a
JOIN decisions AS d USING (session, candidat)
WHERE a.decision_finale IS DISTINCT FROM d.decision_finale
   OR a.moyenne IS DISTINCT FROM CAST(d.moyenne AS DOUBLE)
ORDER BY a.session, a.candidat";

type Change = (
    i32,
    String,
    Option<f64>,
    Option<f64>,
    Option<String>,
    Option<String>,
);

/// Simulates the default correction (or the jury's, when given) and fills `harmonisation_impact`; returns the number of
/// candidates whose average or decision would change. Run after [`compute_results`] and
/// [`super::tables::store_examiners`].
///
/// # Errors
/// [`Error::Store`] (the simulation is rolled back first).
pub fn simulate_impact(
    store: &Store,
    regulation: &Regulation,
    jury: Option<&[CorrectionJury]>,
) -> Result<usize> {
    let err = |context: &str| {
        let context = format!("simulation de l'impact des corrections : {context}");
        move |source: duckdb::Error| Error::Store {
            db: store.path().to_path_buf(),
            context,
            source,
        }
    };
    let conn = store.connection();
    conn.execute_batch(CORRECTIONS)
        .map_err(err("tables de départ"))?;
    if let Some(rows) = jury {
        // The jury's own corrections replace the default one.
        conn.execute_batch("DELETE FROM harmonisation_corrections;")
            .map_err(err("corrections du jury"))?;
        for c in rows {
            conn.execute(
                "INSERT INTO harmonisation_corrections VALUES (?, ?, ?, NULL, CAST(? AS DECIMAL(4, 2)))",
                params![c.session, c.epreuve, c.examinateur, c.correction.to_string()],
            )
            .map_err(err("corrections du jury"))?;
        }
    }
    if store.count("SELECT count(*) FROM harmonisation_corrections")? == 0 {
        return Ok(0);
    }
    store.begin()?;
    let changes = corrected_changes(store, regulation);
    store.rollback();
    let changes = changes?;
    let mut app = conn
        .appender("harmonisation_impact")
        .map_err(err("écriture"))?;
    for c in &changes {
        app.append_row(params![c.0, c.1, c.2, c.3, c.4, c.5])
            .map_err(err("écriture"))?;
    }
    app.flush().map_err(err("écriture"))?;
    Ok(changes.len())
}

/// Inside the open transaction: corrects the grades, recomputes, reads what changed.
fn corrected_changes(store: &Store, regulation: &Regulation) -> Result<Vec<Change>> {
    store.execute_batch(APPLY, "application des corrections (simulation)")?;
    compute_results(store, regulation)?;
    let err = |source| Error::Store {
        db: store.path().to_path_buf(),
        context: "lecture des décisions corrigées (simulation)".into(),
        source,
    };
    let mut stmt = store.connection().prepare(CHANGES).map_err(err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .map_err(err)?;
    rows.collect::<std::result::Result<Vec<_>, _>>()
        .map_err(err)
}

/// The impact.csv query: each changed candidate with the corrections that touched them.
pub const IMPACT_SQL: &str = "
SELECT i.session, i.candidat, c.nom, c.prenom, c.uai,
       CAST(round(i.moyenne_avant, 2) AS DECIMAL(6, 2)) AS moyenne_avant,
       CAST(round(i.moyenne_apres, 2) AS DECIMAL(6, 2)) AS moyenne_apres,
       i.decision_avant, i.decision_apres,
       (SELECT string_agg(k.epreuve || ' ' || k.examinateur || ' ' || CAST(k.correction AS VARCHAR), ', '
                          ORDER BY k.epreuve)
        FROM notes AS n
        JOIN harmonisation_corrections AS k
          ON k.session = n.session AND k.epreuve = n.epreuve AND k.examinateur = n.examinateur
        WHERE n.session = i.session AND n.candidat = i.candidat) AS corrections
FROM harmonisation_impact AS i
LEFT JOIN candidats AS c ON c.session = i.session AND c.candidat = i.candidat
{filter}
ORDER BY i.session, (i.decision_avant IS NOT DISTINCT FROM i.decision_apres), i.candidat";
