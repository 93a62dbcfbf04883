-- 91_livret_profils.sql: the class profile of the livret chart (the black curve).
-- Inputs: livret_moyennes.
-- Output: livret_profils, one row per (session, uai, classe, ligne), the 7 lines of every class
-- found in the livret.
-- Rules (DOMAIN.md section 5): for each line, the mean of the year-2 averages of the class's
-- students who have one (both semesters, or an annual average); effectif says how many students it
-- covers. Computed exactly in hundredths and rounded half up to 0.01 (the mean of n year averages
-- is sum(2 × average) / 2n, and 2 × average is an exact number of hundredths); a line nobody has a
-- year-2 average for is empty, never 0.

CREATE OR REPLACE TABLE livret_profils AS
SELECT
    session, uai, classe, ligne, intitule,
    CASE WHEN count(moyenne) > 0 THEN CAST(CAST(
        (sum(CAST(moyenne * 200 AS BIGINT)) FILTER (WHERE moyenne IS NOT NULL) + count(moyenne))
        // (2 * count(moyenne)) AS DECIMAL(6, 0)) * 0.01 AS DECIMAL(4, 2))
    END AS moyenne_classe,
    CAST(count(moyenne) AS INTEGER) AS effectif
FROM livret_moyennes
WHERE annee = 2
GROUP BY session, uai, classe, ligne, intitule
ORDER BY session, uai, classe, ligne;
