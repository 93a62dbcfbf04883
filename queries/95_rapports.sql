-- 95_rapports.sql: the report views of the computed tables, one per report file. The report jobs
-- of src/report/ read them with their filters bound as parameters (`WHERE session =
-- coalesce(?, session)`) and their order; the CSV, the workbook and the jury's documents read
-- the same view. Run by the computation after the tables it reads, which first replaces the
-- placeholder `unites` (in braces, in rapport_resultats) by one column per unit of the
-- regulation: the grade after the control exams when they were applied.

-- resultats.csv: one row per decided candidate with their identity, points, average, computed
-- decision, the jury's points and decision, the final decision, one column per unit, the
-- first-group figures, the status codes, what is missing and the blocks kept.
CREATE OR REPLACE VIEW rapport_resultats AS
WITH u AS (
    SELECT u.session, u.candidat
           {unites}
    FROM notes_unites AS u
    JOIN decisions AS d ON u.session = d.session AND u.candidat = d.candidat
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
FROM decisions AS d
-- Every decided candidate is in the regulation's scope, whose identity perimetre keeps.
JOIN candidats_du_reglement AS c ON c.session = d.session AND c.candidat = d.candidat
LEFT JOIN u ON u.session = d.session AND u.candidat = d.candidat
LEFT JOIN s ON s.session = d.session AND s.candidat = d.candidat
LEFT JOIN b ON b.session = d.session AND b.candidat = d.candidat;

-- The summary of `results`: per session, the decisions after the jury and how many of each.
CREATE OR REPLACE VIEW rapport_decomptes AS
SELECT session, CAST(sum(n) AS BIGINT) AS decisions,
       string_agg(decision_finale || ' ' || n, ', ' ORDER BY decision_finale) AS detail
FROM (SELECT session, decision_finale, count(*) AS n FROM decisions GROUP BY ALL)
GROUP BY session;

-- reussite.csv (read ordered by session, ordre_niveau, cle, without ordre_niveau).
CREATE OR REPLACE VIEW rapport_reussite AS
SELECT session, niveau, cle, presents, admis, taux, ic_bas, ic_haut, ordre_niveau
FROM reussite;

-- reussite_evolution.csv (read ordered by ordre_niveau, cle, session, without ordre_niveau).
CREATE OR REPLACE VIEW rapport_reussite_evolution AS
SELECT niveau, cle, session, presents, admis, taux, ic_bas, ic_haut,
       session_precedente, ecart_points, recouvrement, session_debut, ecart_periode,
       recouvrement_periode, ordre_niveau
FROM evolution_reussite;

-- The summary of `rates`: each session's overall rate and interval, with the decimal comma.
CREATE OR REPLACE VIEW rapport_taux_ensemble AS
SELECT session, presents, admis, virgule(taux) AS taux, virgule(ic_bas) AS ic_bas,
       virgule(ic_haut) AS ic_haut
FROM reussite
WHERE niveau = 'ensemble';

-- The front page (index.html): per session, how many candidates got each final decision.
CREATE OR REPLACE VIEW rapport_accueil_decisions AS
SELECT session, decision_finale, count(*) AS candidats
FROM decisions
GROUP BY ALL;

-- The front page: per session, the candidates the first group sent to the control exams.
CREATE OR REPLACE VIEW rapport_accueil_controle AS
SELECT session, count(*) AS candidats
FROM decisions
WHERE decision_premier_groupe = 'CONTROLE'
GROUP BY ALL;

-- The front page: the overall rate of each session, its interval and its change in points.
CREATE OR REPLACE VIEW rapport_accueil_taux AS
SELECT session, presents, admis, taux, ic_bas, ic_haut,
       taux - lag(taux) OVER (ORDER BY session) AS evolution
FROM reussite
WHERE niveau = 'ensemble';
