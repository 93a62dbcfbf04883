-- 90_livret_moyennes.sql: each student's yearly average on each line of the livret scolaire.
-- Inputs: livret, reg_livret_lignes.
-- Output: livret_moyennes, one row per (session, uai, classe, candidat, annee, ligne) for every
-- student found in the livret, both years and the 7 lines, the lines without grade included.
-- Rules (DOMAIN.md section 5, seed 001 annexe III-1):
--   a year's average is the mean of its two semesters (S1, S2), exact (DECIMAL, 3 decimals), or
--   the annual average when the school gave one (semestre 0: annex III gives year 1 one column),
--   which is then not a missing semester; a missing semester is never guessed: the year's average stays empty and manque says which
--   semester is missing; a mandatory line (1 to 6) without any grade in a year is missing both;
--   line 7 (LV2) is optional: no grade at all means no LV2, not a missing semester.
-- A student is in the class (uai, classe) of their livret rows.

CREATE OR REPLACE TABLE livret_moyennes AS
WITH eleves AS (
    SELECT DISTINCT session, uai, classe, candidat FROM livret
),
attendues AS (
    SELECT e.session, e.uai, e.classe, e.candidat, a.annee, l.ligne, l.intitule
    FROM eleves AS e
    CROSS JOIN (VALUES (1), (2)) AS a(annee)
    CROSS JOIN reg_livret_lignes AS l
),
semestres AS (
    SELECT session, uai, classe, candidat, annee, ligne,
           min(moyenne) FILTER (WHERE semestre = 1) AS s1,
           min(moyenne) FILTER (WHERE semestre = 2) AS s2,
           min(moyenne) FILTER (WHERE semestre = 0) AS annuelle
    FROM livret
    GROUP BY session, uai, classe, candidat, annee, ligne
)
SELECT
    a.session, a.uai, a.classe, a.candidat, a.annee, a.ligne, a.intitule, s.s1, s.s2,
    CAST(coalesce((s.s1 + s.s2) * 0.5, s.annuelle) AS DECIMAL(6, 3)) AS moyenne,
    CASE
        WHEN s.s1 IS NOT NULL AND s.s2 IS NOT NULL THEN NULL
        WHEN s.annuelle IS NOT NULL THEN NULL
        WHEN s.s1 IS NOT NULL THEN '2e semestre manquant'
        WHEN s.s2 IS NOT NULL THEN '1er semestre manquant'
        WHEN a.ligne < 7 THEN '1er et 2e semestres manquants'
    END AS manque
FROM attendues AS a
LEFT JOIN semestres AS s
    ON s.session = a.session AND s.uai IS NOT DISTINCT FROM a.uai
   AND s.classe IS NOT DISTINCT FROM a.classe AND s.candidat = a.candidat
   AND s.annee = a.annee AND s.ligne = a.ligne
ORDER BY a.session, a.uai, a.classe, a.candidat, a.annee, a.ligne;
