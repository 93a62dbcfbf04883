//! The query of `resultats.csv`, shared by the CSV, the workbook and the jury's documents: one
//! row per decided candidate with their identity, points, average, computed decision, the jury's
//! points and decision, the final decision, one column per unit of the regulation (the grade
//! after control exams when they were applied), the first-group figures, status codes, what is
//! missing and the blocks kept.

use crate::regulation::Regulation;

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
