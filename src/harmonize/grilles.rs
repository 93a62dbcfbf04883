//! E5B evaluation grid levels per examiner and question (table `grilles`): does an examiner use
//! the levels 1–4 of one question differently from the other examiners of the same exam?
//!
//! One SQL report, no model: per session, exam, examiner and question, the number of grids, the
//! mean level and the share of each level, then the same over the other examiners of the same
//! session, exam and question, and the difference of the mean levels. The grids do not say the
//! candidates' ability: an examiner who saw stronger candidates has higher levels on every
//! question, so a gap on one question only is what points at a different reading of that
//! question.

/// The report query; `{filter}` is a `WHERE` clause on `session` and `epreuve` (or empty).
pub const GRILLES_SQL: &str = "
WITH g AS (
    SELECT session, epreuve, coalesce(examinateur, '') AS examinateur, question, niveau
    FROM grilles
    {filter}
),
par_examinateur AS (
    SELECT session, epreuve, examinateur, question, count(*) AS n, sum(niveau) AS somme,
           count(*) FILTER (WHERE niveau = 1) AS n1, count(*) FILTER (WHERE niveau = 2) AS n2,
           count(*) FILTER (WHERE niveau = 3) AS n3, count(*) FILTER (WHERE niveau = 4) AS n4
    FROM g
    GROUP BY session, epreuve, examinateur, question
),
total AS (
    SELECT session, epreuve, question, sum(n) AS n, sum(somme) AS somme, sum(n1) AS n1,
           sum(n2) AS n2, sum(n3) AS n3, sum(n4) AS n4
    FROM par_examinateur
    GROUP BY session, epreuve, question
),
comparaison AS (
    SELECT e.session, e.epreuve, e.examinateur, e.question, e.n,
           e.somme / e.n AS moyenne, e.n1 / e.n AS p1, e.n2 / e.n AS p2, e.n3 / e.n AS p3,
           e.n4 / e.n AS p4,
           t.n - e.n AS n_autres,
           (t.somme - e.somme) / nullif(t.n - e.n, 0) AS moyenne_autres,
           (t.n1 - e.n1) / nullif(t.n - e.n, 0) AS p1_autres,
           (t.n2 - e.n2) / nullif(t.n - e.n, 0) AS p2_autres,
           (t.n3 - e.n3) / nullif(t.n - e.n, 0) AS p3_autres,
           (t.n4 - e.n4) / nullif(t.n - e.n, 0) AS p4_autres
    FROM par_examinateur AS e
    JOIN total AS t USING (session, epreuve, question)
)
SELECT session, epreuve, examinateur, question, n,
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
ORDER BY session, epreuve, examinateur, question";
