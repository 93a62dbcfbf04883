//! Decision impact of a proposed correction: what would change if each flagged examiner's grades
//! were moved by minus their adjusted gap, rounded to the nearest half point, clipped to 0–20;
//! and, separately, if each flagged school's CCF grades were (the commission d'harmonisation's
//! own job before the jury, seed 003 §1.8: "le jury arrêtera les notes de CCF proposées par une
//! commission d'harmonisation").
//!
//! Takes the store with computed results, the `harmonisation_examinateurs` and
//! `harmonisation_etablissements_ccf` tables and the CCF scope `harmonisation_perimetre_ccf`;
//! gives the tables `harmonisation_corrections` (the correction applied per examiner),
//! `harmonisation_corrections_ccf` (per school and exam: it applies to the school's CCF grades of
//! that exam only) and `harmonisation_impact` (every candidate whose average or final decision
//! would change, with `correction_par` saying which simulation moved them: `examinateur` or
//! `établissement`). The two simulations are run one after the other, each on the original
//! grades: a candidate may appear once in each. The corrected grades exist only inside a
//! transaction that is rolled back: the stored grades and the computed results never change.

use duckdb::params;

use super::corrections::CorrectionJury;
use crate::compute::compute_decisions;
use crate::error::Result;
use crate::regulation::Regulation;
use crate::store::Store;

const CORRECTIONS: &str = "
CREATE OR REPLACE TABLE harmonisation_corrections AS
SELECT session, epreuve, examinateur, ecart_ajuste,
       CAST(-round(ecart_ajuste * 2) / 2 AS DECIMAL(4, 2)) AS correction
FROM harmonisation_examinateurs
WHERE signal AND round(ecart_ajuste * 2) <> 0;
CREATE OR REPLACE TABLE harmonisation_corrections_ccf AS
SELECT session, epreuve, examinateur AS uai, ecart_ajuste,
       CAST(-round(ecart_ajuste * 2) / 2 AS DECIMAL(4, 2)) AS correction
FROM harmonisation_etablissements_ccf
WHERE signal AND round(ecart_ajuste * 2) <> 0;
CREATE OR REPLACE TABLE harmonisation_avant AS
SELECT session, candidat, CAST(moyenne AS DOUBLE) AS moyenne, decision_finale FROM decisions;
CREATE OR REPLACE TABLE harmonisation_impact (
    session INTEGER, candidat VARCHAR, moyenne_avant DOUBLE, moyenne_apres DOUBLE,
    decision_avant VARCHAR, decision_apres VARCHAR, correction_par VARCHAR
);";

const APPLY: &str = "
UPDATE notes SET note = CAST(greatest(0, least(20, notes.note + c.correction)) AS DECIMAL(4, 2))
FROM harmonisation_corrections AS c
WHERE notes.session = c.session AND notes.epreuve = c.epreuve
  AND notes.examinateur = c.examinateur AND notes.note IS NOT NULL AND notes.statut IS NULL;";

/// A school's correction moves only the grades of its CCF scope (not its candidates' one-off
/// orals, which examiners grade).
const APPLY_CCF: &str = "
UPDATE notes SET note = CAST(greatest(0, least(20, notes.note + c.correction)) AS DECIMAL(4, 2))
FROM harmonisation_corrections_ccf AS c
JOIN harmonisation_perimetre_ccf AS p
  ON p.session = c.session AND p.epreuve = c.epreuve AND p.uai = c.uai AND p.forme = 'CCF'
WHERE notes.session = p.session AND notes.candidat = p.candidat AND notes.epreuve = p.epreuve
  AND notes.note IS NOT NULL AND notes.statut IS NULL;";

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

/// The two simulations: the table of corrections, the update applying them, the
/// `correction_par` label.
const SIMULATIONS: [(&str, &str, &str); 2] = [
    ("harmonisation_corrections", APPLY, "examinateur"),
    ("harmonisation_corrections_ccf", APPLY_CCF, "établissement"),
];

/// Simulates the default corrections (or the jury's, when given) and fills
/// `harmonisation_impact`; returns the number of rows (candidate × simulation) whose average or
/// decision would change. A jury row whose `Examinateur` is a school's UAI with CCF grades of
/// that exam corrects the school's CCF grades; the others correct an examiner. Run after
/// [`crate::compute::compute_results`], [`super::tables::store_examiners`] (both tables) and
/// [`super::perimetre::store_perimeter`].
///
/// # Errors
/// [`crate::error::Error::Store`] (the simulation is rolled back first).
pub fn simulate_impact(
    store: &Store,
    regulation: &Regulation,
    jury: Option<&[CorrectionJury]>,
) -> Result<usize> {
    let err = |context: &str| {
        store.fail(&format!(
            "simulation de l'impact des corrections : {context}"
        ))
    };
    let conn = store.connection();
    conn.execute_batch(CORRECTIONS)
        .map_err(err("tables de départ"))?;
    if let Some(rows) = jury {
        // The jury's own corrections replace the default ones.
        conn.execute_batch(
            "DELETE FROM harmonisation_corrections; DELETE FROM harmonisation_corrections_ccf;",
        )
        .map_err(err("corrections du jury"))?;
        for c in rows {
            let is_school: bool = conn
                .query_row(
                    "SELECT count(*) > 0 FROM harmonisation_perimetre_ccf \
                     WHERE session = ? AND epreuve = ? AND uai = ? AND forme = 'CCF'",
                    params![c.session, c.epreuve, c.examinateur],
                    |r| r.get(0),
                )
                .map_err(err("corrections du jury"))?;
            let table = if is_school {
                "harmonisation_corrections_ccf"
            } else {
                "harmonisation_corrections"
            };
            conn.execute(
                &format!("INSERT INTO {table} VALUES (?, ?, ?, NULL, CAST(? AS DECIMAL(4, 2)))"),
                params![
                    c.session,
                    c.epreuve,
                    c.examinateur,
                    c.correction.to_string()
                ],
            )
            .map_err(err("corrections du jury"))?;
        }
    }
    let mut changes = Vec::new();
    for (table, apply, par) in SIMULATIONS {
        if store.count(&format!("SELECT count(*) FROM {table}"))? == 0 {
            continue;
        }
        store.begin()?;
        let simulated = corrected_changes(store, regulation, apply);
        store.rollback();
        changes.extend(simulated?.into_iter().map(|c| (c, par)));
    }
    let mut app = conn
        .appender("harmonisation_impact")
        .map_err(err("écriture"))?;
    for (c, par) in &changes {
        app.append_row(params![c.0, c.1, c.2, c.3, c.4, c.5, par])
            .map_err(err("écriture"))?;
    }
    app.flush().map_err(err("écriture"))?;
    Ok(changes.len())
}

/// Inside the open transaction: corrects the grades with `apply`, recomputes, reads what changed.
fn corrected_changes(store: &Store, regulation: &Regulation, apply: &str) -> Result<Vec<Change>> {
    store.execute_batch(apply, "application des corrections (simulation)")?;
    // Only the decisions are read back; the whole transaction is rolled back.
    compute_decisions(store, regulation)?;
    store.rows(
        CHANGES,
        [],
        "lecture des décisions corrigées (simulation)",
        |r| r.try_into(),
    )
}
