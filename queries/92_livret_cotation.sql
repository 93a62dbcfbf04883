-- 92_livret_cotation.sql: the class rating block of the livret ("Cotation de la classe").
-- Inputs: livret_moyennes, avis, perimetre (the candidates' identity), reussite, reg_livret_avis, reg_reussite.
-- Output: livret_cotation, one row per (session, uai, classe, rubrique line), ordered by ordre:
--   rubrique 'Avis': one row per opinion of reg_livret_avis (effectif = students with it, sur =
--   class size, pourcentage), then 'Sans avis' when some students have none or an unknown one;
--   rubrique 'Effectif total de la classe': effectif = the class size;
--   rubrique 'Certification PIX': effectif = students with the PIX certification, sur = class size;
--   rubrique 'Résultats de la section': one row per session of the reg_reussite.sessions_historique
--   sessions before the exam year, effectif = reçus (admis), sur = présentés (présents),
--   pourcentage = the rate; empty when the section had no présent that session.
-- Rules (DOMAIN.md sections 4 and 5): the class size counts the students of the class's livret;
-- the class's section is the (uai, specialite, voie) of most of its students (candidats), the
-- same key as reussite's niveau 'section'; percentages are rounded half up to 0.1, exactly.

CREATE OR REPLACE TABLE livret_cotation AS
WITH eleves AS (
    SELECT DISTINCT e.session, e.uai, e.classe, e.candidat, a.avis, coalesce(a.pix, FALSE) AS pix,
           coalesce(c.uai, '(non renseigné)') || ' / ' || coalesce(c.specialite, '(non renseigné)')
               || ' / ' || coalesce(c.voie, '(non renseigné)') AS section
    FROM (SELECT DISTINCT session, uai, classe, candidat FROM livret_moyennes) AS e
    LEFT JOIN avis AS a ON a.session = e.session AND a.candidat = e.candidat
    -- perimetre holds every candidate's identity, pivoted once (05_perimetre.sql).
    LEFT JOIN perimetre AS c ON c.session = e.session AND c.candidat = e.candidat
),
classes AS (
    SELECT session, uai, classe, count(*) AS taille, count(*) FILTER (WHERE pix) AS pix,
           mode(section ORDER BY section) AS section
    FROM eleves
    GROUP BY session, uai, classe
),
avis_comptes AS (
    SELECT c.session, c.uai, c.classe, r.ordre, r.avis AS libelle,
           (SELECT count(*) FROM eleves AS e
            WHERE e.session = c.session AND e.uai IS NOT DISTINCT FROM c.uai
              AND e.classe IS NOT DISTINCT FROM c.classe AND e.avis = r.avis) AS effectif,
           c.taille AS sur
    FROM classes AS c
    CROSS JOIN reg_livret_avis AS r
),
sans_avis AS (
    SELECT c.session, c.uai, c.classe, (SELECT max(ordre) FROM reg_livret_avis) + 1 AS ordre,
           'Sans avis' AS libelle,
           c.taille - (SELECT coalesce(sum(a.effectif), 0) FROM avis_comptes AS a
                       WHERE a.session = c.session AND a.uai IS NOT DISTINCT FROM c.uai
                         AND a.classe IS NOT DISTINCT FROM c.classe) AS effectif,
           c.taille AS sur
    FROM classes AS c
),
sections AS (
    SELECT c.session, c.uai, c.classe, k.recul, c.session - k.recul AS annee, r.presents, r.admis, r.taux
    FROM classes AS c
    CROSS JOIN range(1, (SELECT sessions_historique FROM reg_reussite) + 1) AS k(recul)
    LEFT JOIN reussite AS r
        ON r.niveau = 'section' AND r.cle = c.section AND r.session = c.session - k.recul
),
blocs AS (
    SELECT session, uai, classe, 'Avis' AS rubrique, ordre, libelle, effectif, sur FROM avis_comptes
    UNION ALL
    SELECT session, uai, classe, 'Avis', ordre, libelle, effectif, sur FROM sans_avis WHERE effectif > 0
    UNION ALL
    SELECT session, uai, classe, 'Effectif total de la classe', 100, 'élèves du livret', taille, NULL
    FROM classes
    UNION ALL
    SELECT session, uai, classe, 'Certification PIX', 200, 'obtenue', pix, taille FROM classes
)
SELECT session, uai, classe, rubrique, ordre, libelle,
       CAST(effectif AS INTEGER) AS effectif, CAST(sur AS INTEGER) AS sur,
       CASE WHEN sur > 0 THEN CAST(CAST((2000 * CAST(effectif AS BIGINT) + sur) // (2 * CAST(sur AS BIGINT)) AS DECIMAL(5, 0)) * 0.1
                                   AS DECIMAL(4, 1)) END AS pourcentage
FROM blocs
UNION ALL
SELECT s.session, s.uai, s.classe, 'Résultats de la section', 300 + (SELECT sessions_historique FROM reg_reussite) - s.recul,
       CAST(s.annee AS VARCHAR) || ' (' || c.section || ')', CAST(s.admis AS INTEGER), CAST(s.presents AS INTEGER), s.taux
FROM sections AS s
JOIN classes AS c ON c.session = s.session AND c.uai IS NOT DISTINCT FROM s.uai
 AND c.classe IS NOT DISTINCT FROM s.classe
ORDER BY session, uai, classe, ordre;
