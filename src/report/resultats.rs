//! The results report job: computes the results and writes `resultats.csv`, `jury/a_examiner.csv`,
//! `hors_reglement.csv`, `statistiques_epreuves.csv`, the jury's minutes and relevés, and the
//! distribution charts; and the query of `resultats.csv`, shared by the CSV, the workbook and the
//! jury's documents: one
//! row per decided candidate with their identity, points, average, computed decision, the jury's
//! points and decision, the final decision, one column per unit of the regulation (the grade
//! after control exams when they were applied), the first-group figures, status codes, what is
//! missing and the blocks kept.

use super::csv::{write_query, Dialect};
use super::plots::distribution::{read_distributions, write_distributions};
use super::say;
use super::xlsx::Table;
use crate::compute::compute_results;
use crate::error::{Error, Result};
use crate::regulation::Regulation;
use crate::store::Store;
use std::io::Write;
use std::path::Path;

/// The resultats.csv query: one row per candidate, one column per unit of the regulation.
pub fn resultats_sql(regulation: &Regulation, filter: &str) -> String {
    let units: Vec<String> = regulation
        .unit_codes()
        .map(|code| {
            format!(
                "max(CASE WHEN d.controle_applique THEN u.note_controle_appliquee ELSE u.note END) \
                 FILTER (WHERE u.unite = '{}') AS \"{}\"",
                code.replace('\'', "''"),
                code.replace('"', "\"\"")
            )
        })
        .collect();
    format!(
        "WITH d AS (SELECT * FROM decisions {filter}),
u AS (
    SELECT u.session, u.candidat,
           {units}
    FROM notes_unites AS u
    JOIN d ON u.session = d.session AND u.candidat = d.candidat
    GROUP BY u.session, u.candidat
),
-- The status codes, from the few units that have one (an ordered aggregate over every unit of
-- every candidate would cost a sort).
s AS (
    SELECT session, candidat, string_agg(statuts, ', ' ORDER BY ordre) AS statuts
    FROM notes_unites
    WHERE statuts IS NOT NULL
    GROUP BY session, candidat
),
b AS (
    SELECT session, candidat, string_agg(unite, ', ' ORDER BY ordre) AS blocs_acquis
    FROM blocs_acquis
    GROUP BY session, candidat
)
SELECT d.session, d.candidat, c.nom, c.prenom, c.uai, c.classe, c.voie,
       -- Points truncated to hundredths for display (exact points decide, in decisions).
       CAST(CAST(CAST(d.points * 10000 AS BIGINT) // 100 AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(8, 2))
           AS points,
       d.coefficients, d.moyenne, d.decision, d.decision_jury,
       d.points_jury, d.moyenne_jury, d.motif_jury, d.decision_finale,
       u.* EXCLUDE (session, candidat),
       d.moyenne_premier_groupe, d.decision_premier_groupe, s.statuts, d.manque, b.blocs_acquis
FROM d
-- Every decided candidate is in the regulation's scope, whose identity perimetre keeps.
JOIN candidats_du_reglement AS c ON c.session = d.session AND c.candidat = d.candidat
LEFT JOIN u ON u.session = d.session AND u.candidat = d.candidat
LEFT JOIN s ON s.session = d.session AND s.candidat = d.candidat
LEFT JOIN b ON b.session = d.session AND b.candidat = d.candidat
ORDER BY d.session, d.candidat",
        units = units.join(",\n           ")
    )
}

/// Computes the results and writes every results report under `dir`, printing each file;
/// returns the tables written as CSV (for the workbook).
///
/// # Errors
/// [`Error::Config`] for a bad regulation file, [`Error::Store`], [`Error::Output`].
pub fn write_results(
    store: &Store,
    dir: &Path,
    session: Option<i32>,
    dialect: Dialect,
    out: &mut impl Write,
) -> Result<Vec<Table>> {
    let regulation = Regulation::load(Path::new(crate::regulation::REGULATION_PATH))?;
    compute_results(store, &regulation)?;
    let filter = match session {
        Some(y) => format!("WHERE session = {y}"),
        None => String::new(),
    };
    let reports = [
        (
            "resultats.csv",
            resultats_sql(&regulation, &filter),
            "candidats",
        ),
        (
            "jury/a_examiner.csv",
            format!("SELECT * FROM a_examiner {filter} ORDER BY session, candidat"),
            "candidats à examiner",
        ),
        (
            "hors_reglement.csv",
            format!("SELECT * FROM hors_reglement {filter} ORDER BY session, candidat"),
            "candidats d'un autre diplôme",
        ),
        (
            "statistiques_epreuves.csv",
            format!(
                "SELECT * EXCLUDE (ordre) FROM statistiques_epreuves {filter} \
                 ORDER BY session, ordre NULLS LAST, epreuve"
            ),
            "épreuves",
        ),
    ];
    let mut tables = Vec::new();
    for (name, sql, what) in reports {
        let start = std::time::Instant::now();
        let path = dir.join(name);
        let n = write_query(store.connection(), store.path(), &sql, &path, dialect)?;
        say(out, &format!("écrit {} ({n} {what})", path.display()));
        crate::chrono::since(name, start);
        tables.push(Table {
            fichier: name.into(),
            sql,
        });
    }
    let start = std::time::Instant::now();
    let dists = read_distributions(store.connection(), store.path(), session)?;
    let plots = write_distributions(&dists, &dir.join("plots"))?;
    crate::chrono::since("plots", start);
    say(
        out,
        &format!(
            "écrit {} ({} graphiques de répartition des notes, PNG et SVG)",
            dir.join("plots").display(),
            plots.len()
        ),
    );
    print_out_of_scope(store, &regulation, &filter, out)?;
    print_decision_counts(store, &filter, out)?;
    Ok(tables)
}

/// Warns, when some loaded candidates are of another diploma, how many were left out and why.
fn print_out_of_scope(
    store: &Store,
    regulation: &Regulation,
    filter: &str,
    out: &mut impl Write,
) -> Result<()> {
    let n = store.count(&format!("SELECT count(*) FROM hors_reglement {filter}"))?;
    if n > 0 {
        say(
            out,
            &format!(
                "attention : {n} candidat{s} d'un autre diplôme que le {} (spécialité ou épreuves) : \
                 chargé{s}, listé{s} dans hors_reglement.csv, hors des résultats, des taux et de \
                 l'harmonisation",
                regulation.diplome.intitule,
                s = if n > 1 { "s" } else { "" }
            ),
        );
    }
    Ok(())
}

/// Prints, per session, how many candidates got each final decision.
fn print_decision_counts(store: &Store, filter: &str, out: &mut impl Write) -> Result<()> {
    let err = |source| Error::Store {
        db: store.path().to_path_buf(),
        context: "décompte des décisions".into(),
        source,
    };
    let sql = format!(
        "SELECT session, CAST(sum(n) AS BIGINT), string_agg(decision_finale || ' ' || n, ', ' ORDER BY decision_finale)
         FROM (SELECT session, decision_finale, count(*) AS n FROM decisions {filter} GROUP BY ALL)
         GROUP BY session ORDER BY session"
    );
    let mut stmt = store.connection().prepare(&sql).map_err(err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i32>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(err)?;
    for row in rows {
        let (session, decisions, detail) = row.map_err(err)?;
        say(
            out,
            &format!("session {session} : {decisions} décisions (après jury) : {detail}"),
        );
    }
    Ok(())
}
