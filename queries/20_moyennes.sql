-- 20_moyennes.sql: points, coefficients and average of every candidate, before and after control exams.
-- Inputs: notes_unites, reg_seuils.
-- Output: moyennes, one row per (session, candidat); *_controle columns count the control grades
-- (30_decisions.sql uses them only for candidates sent to the control exams).
-- Rule (DOMAIN.md section 3; Code de l'éducation D643-15): average = (sum of coefficient x grade over
-- the mandatory units not exempted + sum of max(0, grade - points_au_dessus_de) over the optional
-- units taken) / sum of the coefficients of those mandatory units. A DISP unit leaves numerator and
-- denominator; an optional unit without a grade only loses its bonus.
-- Points stay DECIMAL: decisions compare points with threshold x coefficients, never a quotient.
-- The average is shown truncated to hundredths (integer division), and only when every mandatory
-- unit has a grade or an exemption (complet).

CREATE OR REPLACE TABLE moyennes AS
WITH sommes AS (
    -- DECIMAL(18, 4) and (18, 2), not sum's DECIMAL(38, ...): a candidate's points stay far
    -- below 10^14 (20 x the regulation's coefficients; a cast that overflowed would stop with an
    -- error, never round), and 64-bit decimals keep the averages and the decisions' comparisons
    -- off 128-bit integers.
    SELECT
        session, candidat,
        bool_and(etat IN ('notee', 'dispense')) FILTER (WHERE nature <> 'facultative') AS complet,
        CAST(coalesce(sum(coefficient) FILTER (WHERE nature <> 'facultative' AND etat <> 'dispense'), 0)
            AS DECIMAL(18, 2)) AS coefficients,
        CAST(coalesce(sum(points) FILTER (WHERE nature <> 'facultative' AND etat = 'notee'), 0)
            AS DECIMAL(18, 4)) AS points_obligatoires,
        CAST(coalesce(sum(points_controle) FILTER (WHERE nature <> 'facultative' AND etat = 'notee'), 0)
            AS DECIMAL(18, 4)) AS points_obligatoires_controle,
        CAST(coalesce(sum(greatest(points - points_au_dessus_de * coefficient_epreuves, 0))
            FILTER (WHERE nature = 'facultative' AND etat = 'notee'), 0) AS DECIMAL(18, 4)) AS bonus,
        CAST(coalesce(sum(points) FILTER (WHERE nature = 'professionnelle' AND etat = 'notee'), 0)
            AS DECIMAL(18, 4)) AS points_professionnels,
        CAST(coalesce(sum(coefficient) FILTER (WHERE nature = 'professionnelle' AND etat = 'notee'), 0)
            AS DECIMAL(18, 2)) AS coefficients_professionnels
    FROM notes_unites
    GROUP BY session, candidat
),
totaux AS (
    SELECT
        session, candidat, coalesce(complet, FALSE) AS complet, coefficients, bonus,
        CAST(points_obligatoires + bonus AS DECIMAL(18, 4)) AS points_premier_groupe,
        CAST(points_obligatoires_controle + bonus AS DECIMAL(18, 4)) AS points_controle,
        points_professionnels, coefficients_professionnels
    FROM sommes
)
SELECT
    session, candidat, complet, bonus, coefficients,
    CASE WHEN complet THEN points_premier_groupe END AS points_premier_groupe,
    CASE WHEN complet THEN points_controle END AS points_controle,
    points_professionnels, coefficients_professionnels,
    -- Truncated to hundredths: floor(points x 100 / coefficients) in integers (points have at most
    -- 4 decimals, coefficients 2).
    CASE WHEN complet AND coefficients > 0 THEN CAST(CAST(
        CAST(points_premier_groupe * 10000 AS BIGINT) // CAST(coefficients * 100 AS BIGINT)
        AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) END AS moyenne_premier_groupe,
    CASE WHEN complet AND coefficients > 0 THEN CAST(CAST(
        CAST(points_controle * 10000 AS BIGINT) // CAST(coefficients * 100 AS BIGINT)
        AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) END AS moyenne_controle
FROM totaux
ORDER BY session, candidat;
