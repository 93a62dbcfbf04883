-- 30_decisions.sql: the decision of every candidate, computed and after the jury.
-- Inputs: moyennes, notes_unites, notes_du_reglement, reg_seuils, reg_decisions, reg_controle, decisions_jury.
-- Output: decisions, one row per (session, candidat); the view unites_bloquantes.
-- Rules (DOMAIN.md section 3; Code de l'éducation D643-15):
--   decisions that prevent the computation, first by reg_decisions.rang wins (ABSENT, NV,
--   INCOMPLET, EN_ATTENTE): a status code on a mandatory unit imposes its decision, a missing
--   mandatory grade imposes the reg_decisions row marked note_manquante;
--   otherwise, first group: ADMIS when points >= admis x coefficients; CONTROLE when
--   points >= controle x coefficients and the professional units' points >=
--   controle_moyenne_professionnelle x their coefficients; else AJOURNE;
--   a CONTROLE candidate with a control exam row: the control grades replace lower grades of
--   general units (10_notes_unites.sql), ADMIS when the new points reach admis x coefficients,
--   else AJOURNE;
--   jury (sovereign): its decision replaces the computed one; its points are added to the points
--   and give ADMIS when the total reaches admis x coefficients (otherwise the computed decision
--   stands). Both the computed decision and the jury's are kept.
-- Every comparison is DECIMAL against DECIMAL: a float never decides.

-- Each mandatory unit that prevents the computation, with the decision it imposes: its status
-- code's, or the one of a missing grade. decisions keeps the first by rang; explain
-- (97_explication.sql) lists them all.
CREATE OR REPLACE VIEW unites_bloquantes AS
SELECT u.session, u.candidat, u.unite, u.ordre, u.etat, u.problemes, d.decision, d.rang
FROM notes_unites AS u
JOIN reg_decisions AS d
    ON (u.etat = 'statut' AND d.decision = u.decision_statut)
    OR (u.etat = 'manquante' AND d.note_manquante)
WHERE u.nature <> 'facultative';

CREATE OR REPLACE TABLE decisions AS
WITH bloquantes AS (
    SELECT session, candidat, arg_min(decision, rang) AS decision_bloquante
    FROM unites_bloquantes
    GROUP BY session, candidat
),
problemes AS (
    SELECT session, candidat, string_agg(problemes, ' ; ' ORDER BY ordre) AS manque
    FROM notes_unites
    WHERE nature <> 'facultative' AND problemes IS NOT NULL
    GROUP BY session, candidat
),
controles_passes AS (
    SELECT DISTINCT n.session, n.candidat
    FROM notes_du_reglement AS n
    JOIN reg_controle AS c ON c.epreuve = n.epreuve
),
premier_groupe AS (
    SELECT m.*, p.manque,
        -- With every mandatory unit exempted there is nothing to average: a missing grade.
        coalesce(
            b.decision_bloquante,
            CASE WHEN m.coefficients = 0 THEN (SELECT decision FROM reg_decisions WHERE note_manquante) END
        ) AS decision_bloquante,
        (cp.candidat IS NOT NULL) AS controle_passe,
        CASE
            WHEN b.decision_bloquante IS NOT NULL OR m.coefficients = 0 THEN NULL
            WHEN m.points_premier_groupe >= r.admis * m.coefficients THEN 'ADMIS'
            WHEN m.points_premier_groupe >= r.controle * m.coefficients
                 AND m.coefficients_professionnels > 0
                 AND m.points_professionnels >= r.controle_moyenne_professionnelle * m.coefficients_professionnels
            THEN 'CONTROLE'
            ELSE 'AJOURNE'
        END AS decision_premier_groupe,
        r.admis
    FROM moyennes AS m
    CROSS JOIN reg_seuils AS r
    LEFT JOIN bloquantes AS b USING (session, candidat)
    LEFT JOIN problemes AS p USING (session, candidat)
    LEFT JOIN controles_passes AS cp USING (session, candidat)
),
calculees AS (
    SELECT g.*,
        coalesce(g.decision_premier_groupe = 'CONTROLE' AND g.controle_passe, FALSE) AS controle_applique
    FROM premier_groupe AS g
),
finales AS (
    SELECT c.*,
        CASE WHEN c.controle_applique THEN c.points_controle ELSE c.points_premier_groupe END AS points,
        CASE WHEN c.controle_applique THEN c.moyenne_controle ELSE c.moyenne_premier_groupe END AS moyenne,
        coalesce(
            c.decision_bloquante,
            CASE
                WHEN NOT c.controle_applique THEN c.decision_premier_groupe
                WHEN c.points_controle >= c.admis * c.coefficients THEN 'ADMIS'
                ELSE 'AJOURNE'
            END
        ) AS decision
    FROM calculees AS c
),
jury AS (
    SELECT f.*, j.points_jury, j.motif AS motif_jury,
        CASE
            WHEN j.candidat IS NULL THEN NULL
            WHEN j.decision IS NOT NULL THEN j.decision
            WHEN f.decision_bloquante IS NULL AND j.points_jury IS NOT NULL
                 AND f.points + j.points_jury >= f.admis * f.coefficients THEN 'ADMIS'
            ELSE f.decision
        END AS decision_jury
    FROM finales AS f
    LEFT JOIN decisions_jury AS j ON j.session = f.session AND j.candidat = f.candidat
)
SELECT
    session, candidat, complet, coefficients, bonus,
    points_premier_groupe, moyenne_premier_groupe, decision_premier_groupe, controle_applique,
    points, moyenne, decision, manque, points_jury,
    CASE WHEN points_jury IS NOT NULL AND points IS NOT NULL AND coefficients > 0 THEN CAST(CAST(
        CAST((points + points_jury) * 10000 AS BIGINT) // CAST(coefficients * 100 AS BIGINT)
        AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) END AS moyenne_jury,
    decision_jury, motif_jury,
    coalesce(decision_jury, decision) AS decision_finale
FROM jury
ORDER BY session, candidat;
