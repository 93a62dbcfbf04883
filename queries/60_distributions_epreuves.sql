-- 60_distributions_epreuves.sql: per session and exam, how many grades fall in each one-point
-- band, for the distribution charts (plots/).
-- Inputs: notes_du_reglement (05_perimetre.sql), reg_seuils.
-- Output: distributions_epreuves, one row per (session, epreuve, band), empty bands included.
-- Rule: band k holds the grades g with k <= g < k + 1; the top grade (note_maximale) goes in the
-- last band. Only grades given this session (no status code), as in 50_statistiques_epreuves.sql.

CREATE OR REPLACE TABLE distributions_epreuves AS
WITH notees AS (
    SELECT session, epreuve, note
    FROM notes_du_reglement
    WHERE note IS NOT NULL AND coalesce(statut, '') = ''
),
bornes AS (
    SELECT CAST(ceil(note_maximale) AS INTEGER) AS derniere FROM reg_seuils
),
tranches AS (
    -- Every band of each (session, exam) graded, the empty ones included.
    SELECT e.session, e.epreuve, t.tranche
    FROM (SELECT DISTINCT session, epreuve FROM notees) AS e
    CROSS JOIN (SELECT unnest(range(0, derniere)) AS tranche FROM bornes) AS t
),
comptes AS (
    SELECT n.session, n.epreuve, least(CAST(floor(n.note) AS INTEGER), b.derniere - 1) AS tranche,
           count(*) AS effectif
    FROM notees AS n
    CROSS JOIN bornes AS b
    GROUP BY ALL
)
SELECT t.session, t.epreuve, CAST(t.tranche AS INTEGER) AS tranche, coalesce(c.effectif, 0) AS effectif
FROM tranches AS t
LEFT JOIN comptes AS c
    ON c.session = t.session AND c.epreuve = t.epreuve AND c.tranche = t.tranche
ORDER BY t.session, t.epreuve, t.tranche;
