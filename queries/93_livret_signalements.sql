-- 93_livret_signalements.sql: what the livret data lacks, to be fixed by the school, never guessed.
-- Inputs: livret_moyennes, livret_profils, livret_cotation.
-- Output: livret_signalements, one row per problem: session, uai, classe, candidat (empty for a
-- class-wide problem), annee, ligne, intitule, probleme.
-- Rules (DOMAIN.md section 5): a missing semester of a student (livret_moyennes.manque: the year's
-- average is left empty); a class with no year-2 average at all (no chart can be drawn); a class
-- whose students lack a class-council opinion (the 'Sans avis' row of livret_cotation).

CREATE OR REPLACE TABLE livret_signalements AS
SELECT session, uai, classe, candidat, annee, ligne, intitule, manque AS probleme
FROM livret_moyennes
WHERE manque IS NOT NULL
UNION ALL
SELECT session, uai, classe, NULL, 2, NULL, NULL, 'aucune moyenne de 2e année pour la classe'
FROM livret_profils
GROUP BY session, uai, classe
HAVING sum(effectif) = 0
UNION ALL
SELECT session, uai, classe, NULL, NULL, NULL, NULL,
       CAST(effectif AS VARCHAR) || ' élève(s) sans avis du conseil de classe'
FROM livret_cotation
WHERE rubrique = 'Avis' AND libelle = 'Sans avis'
ORDER BY session, uai, classe, candidat NULLS FIRST, annee, ligne;
