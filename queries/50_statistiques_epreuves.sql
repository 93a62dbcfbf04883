-- 50_statistiques_epreuves.sql: per session and exam, the distribution of the grades given this
-- session and the count of each status code, for the jury.
-- Inputs: notes_du_reglement (05_perimetre.sql), reg_epreuves, reg_controle.
-- Output: statistiques_epreuves, one row per (session, epreuve) present in notes; ordre is the
-- exam's rank in the regulation (control exams after, other codes last), for sorting reports.
-- Rule (issue 3, DOMAIN.md section 6): n counts the grades given this session (a kept grade, BEN,
-- was given in an earlier session and is only counted in n_ben); descriptive statistics are
-- rounded to hundredths for display and decide nothing. Status columns are the canonical codes of
-- notes.statut (queries/00_schema.sql); n_autres counts any other code.

CREATE OR REPLACE TABLE statistiques_epreuves AS
WITH rangs AS (
    SELECT epreuve, ordre FROM reg_epreuves
    UNION ALL
    SELECT epreuve, (SELECT max(ordre) FROM reg_epreuves) + ordre FROM reg_controle
),
lues AS (
    -- Grades in integer hundredths: means and quartiles are then exact before rounding.
    SELECT n.session, n.epreuve, n.note, coalesce(n.statut, '') AS statut,
           CASE WHEN coalesce(n.statut, '') = '' THEN CAST(n.note * 100 AS BIGINT) END AS centiemes
    FROM notes_du_reglement AS n
),
agregats AS (
    SELECT
        l.session,
        l.epreuve,
        count(l.centiemes) AS n,
        sum(l.centiemes) AS somme,
        stddev_samp(l.note) FILTER (WHERE l.statut = '') AS ecart_type,
        min(l.note) FILTER (WHERE l.statut = '') AS minimum,
        quantile_cont(l.centiemes, 0.25) AS q1,
        quantile_cont(l.centiemes, 0.5) AS mediane,
        quantile_cont(l.centiemes, 0.75) AS q3,
        max(l.note) FILTER (WHERE l.statut = '') AS maximum,
        count(*) FILTER (WHERE l.statut = 'ABS') AS n_abs,
        count(*) FILTER (WHERE l.statut = 'ABJ') AS n_abj,
        count(*) FILTER (WHERE l.statut = 'NV') AS n_nv,
        count(*) FILTER (WHERE l.statut = 'DISP') AS n_disp,
        count(*) FILTER (WHERE l.statut = 'BEN') AS n_ben,
        count(*) FILTER (WHERE l.statut NOT IN ('', 'ABS', 'ABJ', 'NV', 'DISP', 'BEN')) AS n_autres,
        count(*) FILTER (WHERE l.statut = '' AND l.note IS NULL) AS n_sans_note,
        min(r.ordre) AS ordre
    FROM lues AS l
    LEFT JOIN rangs AS r ON r.epreuve = l.epreuve
    GROUP BY l.session, l.epreuve
)
SELECT
    session, epreuve, n,
    -- Mean rounded half up to hundredths in integers: (2 x sum + n) // (2 x n).
    CASE WHEN n > 0 THEN CAST(CAST((2 * somme + n) // (2 * n) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) END
        AS moyenne,
    CAST(round(ecart_type, 2) AS DECIMAL(5, 2)) AS ecart_type,
    minimum,
    -- Interpolated quartiles of integers are multiples of 0.25, exact in binary: rounding them to
    -- whole hundredths is exact.
    CAST(CAST(round(q1) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) AS q1,
    CAST(CAST(round(mediane) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) AS mediane,
    CAST(CAST(round(q3) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) AS q3,
    maximum, n_abs, n_abj, n_nv, n_disp, n_ben, n_autres, n_sans_note,
    ordre
FROM agregats
ORDER BY session, ordre NULLS LAST, epreuve;
