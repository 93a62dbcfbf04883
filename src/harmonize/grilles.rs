//! E5B evaluation grid levels per examiner and question (table `grilles`): does an examiner use
//! the levels 1–4 of one question differently from the other examiners of the same subject?
//!
//! One SQL report, no model: per session, exam, subject, examiner and question, the number of
//! grids, the mean level and the share of each level, then the same over the other examiners of
//! the same session, exam, subject and question, and the difference of the mean levels.
//!
//! Grids are compared only within one subject (DOMAIN.md §6, seed 003 §2.7.2: one national
//! subject per half-day, each with its own grid): an examiner who drew the easier subject more
//! often would otherwise look lenient. The `grilles` table has no subject: it is the subject of
//! the candidate's grade of the same exam in `notes` (`sujet`), else its date and half-day
//! (`2024-05-14 matin`, see [`super::data::sujet_sql`]); a grid whose candidate has neither is
//! compared with the others in one group labelled `sujet non renseigné`. The grids do not say the
//! candidates' ability: an examiner who saw stronger candidates has higher levels on every
//! question, so a gap on one question only is what points at a different reading of that
//! question.

use crate::regulation::Harmonisation;

/// The label of the group of grids whose candidate has no subject, date or half-day.
pub const SANS_SUJET: &str = "sujet non renseigné";

/// The report query; `{filter}` is a `WHERE` clause on `session` and `epreuve` (or empty),
/// `{sujet}` the subject expression over the notes alias `n` ([`super::data::sujet_sql`]) and
/// `{sans_sujet}` the label [`SANS_SUJET`]. Use [`grilles_sql`].
const GRILLES_SQL: &str = "
WITH g0 AS (
    SELECT session, candidat, epreuve, coalesce(examinateur, '') AS examinateur, question, niveau
    FROM grilles
    {filter}
),
g AS (
    SELECT g0.session, g0.epreuve, coalesce({sujet}, '{sans_sujet}') AS sujet, g0.examinateur,
           g0.question, g0.niveau
    FROM g0
    -- Candidates of another diploma (queries/05_perimetre.sql) are left out; a grid whose
    -- candidate has no other row is kept.
    LEFT JOIN perimetre AS p ON p.session = g0.session AND p.candidat = g0.candidat
    LEFT JOIN notes AS n
           ON n.session = g0.session AND n.candidat = g0.candidat AND n.epreuve = g0.epreuve
    WHERE coalesce(p.dans_reglement, TRUE)
),
par_examinateur AS (
    SELECT session, epreuve, sujet, examinateur, question, count(*) AS n, sum(niveau) AS somme,
           count(*) FILTER (WHERE niveau = 1) AS n1, count(*) FILTER (WHERE niveau = 2) AS n2,
           count(*) FILTER (WHERE niveau = 3) AS n3, count(*) FILTER (WHERE niveau = 4) AS n4
    FROM g
    GROUP BY session, epreuve, sujet, examinateur, question
),
total AS (
    SELECT session, epreuve, sujet, question, sum(n) AS n, sum(somme) AS somme, sum(n1) AS n1,
           sum(n2) AS n2, sum(n3) AS n3, sum(n4) AS n4
    FROM par_examinateur
    GROUP BY session, epreuve, sujet, question
),
comparaison AS (
    SELECT e.session, e.epreuve, e.sujet, e.examinateur, e.question, e.n,
           e.somme / e.n AS moyenne, e.n1 / e.n AS p1, e.n2 / e.n AS p2, e.n3 / e.n AS p3,
           e.n4 / e.n AS p4,
           t.n - e.n AS n_autres,
           (t.somme - e.somme) / nullif(t.n - e.n, 0) AS moyenne_autres,
           (t.n1 - e.n1) / nullif(t.n - e.n, 0) AS p1_autres,
           (t.n2 - e.n2) / nullif(t.n - e.n, 0) AS p2_autres,
           (t.n3 - e.n3) / nullif(t.n - e.n, 0) AS p3_autres,
           (t.n4 - e.n4) / nullif(t.n - e.n, 0) AS p4_autres
    FROM par_examinateur AS e
    JOIN total AS t USING (session, epreuve, sujet, question)
)
SELECT session, epreuve, sujet, examinateur, question, n,
       CAST(round(moyenne, 2) AS DECIMAL(4, 2)) AS niveau_moyen,
       CAST(round(100 * p1, 1) AS DECIMAL(4, 1)) AS pct_niveau_1,
       CAST(round(100 * p2, 1) AS DECIMAL(4, 1)) AS pct_niveau_2,
       CAST(round(100 * p3, 1) AS DECIMAL(4, 1)) AS pct_niveau_3,
       CAST(round(100 * p4, 1) AS DECIMAL(4, 1)) AS pct_niveau_4,
       n_autres,
       CAST(round(moyenne_autres, 2) AS DECIMAL(4, 2)) AS niveau_moyen_autres,
       CAST(round(100 * p1_autres, 1) AS DECIMAL(4, 1)) AS pct_niveau_1_autres,
       CAST(round(100 * p2_autres, 1) AS DECIMAL(4, 1)) AS pct_niveau_2_autres,
       CAST(round(100 * p3_autres, 1) AS DECIMAL(4, 1)) AS pct_niveau_3_autres,
       CAST(round(100 * p4_autres, 1) AS DECIMAL(4, 1)) AS pct_niveau_4_autres,
       CAST(round(moyenne - moyenne_autres, 2) AS DECIMAL(4, 2)) AS ecart_niveau
FROM comparaison
ORDER BY session, epreuve, sujet, examinateur, question";

/// The grilles.csv query, `filter` being a `WHERE` clause on `session` and `epreuve` (or empty);
/// the exams whose subject is set per half-day come from the regulation.
pub fn grilles_sql(filter: &str, reglage: &Harmonisation) -> String {
    GRILLES_SQL
        .replace("{filter}", filter)
        .replace(
            "{sujet}",
            &super::data::sujet_sql("n", &reglage.epreuves_sujet_demi_journee),
        )
        .replace("{sans_sujet}", SANS_SUJET)
}
