-- 70_a_examiner.sql: the candidates the jury must look at, with their livret scolaire.
-- Inputs: decisions, perimetre (the candidates' identity), notes_du_reglement, reg_seuils, reg_statuts, reg_decisions, livret, avis.
-- Output: a_examiner, one row per listed (session, candidat).
-- Rule (issue 3; DOMAIN.md sections 3 and 5): listed are the candidates sent to the control exams
-- (CONTROLE), those not admitted whose points are within ecart_a_examiner x coefficients below
-- admis x coefficients, and those whose result waits for a grade (the note_manquante decision,
-- INCOMPLET, and EN_ATTENTE) with what is missing; and every candidate with a status code the
-- jury must know of (reg_statuts.signalement: a justified absence marked zero, D643-24; a grade
-- held back, RES), whatever the decision. The livret columns are the year-2 averages of
-- the 7 livret lines by the livret rule (mean of both semesters rounded to hundredths, or the
-- annual average; empty when a semester is missing, livret_manque then says which), empty when
-- no livret is loaded.

CREATE OR REPLACE TABLE a_examiner AS
WITH signalements AS (
    SELECT n.session, n.candidat,
           string_agg(DISTINCT n.epreuve || ' : ' || s.signalement, ' ; '
                      ORDER BY n.epreuve || ' : ' || s.signalement) AS signalement
    FROM notes_du_reglement AS n
    JOIN reg_statuts AS s ON s.statut = n.statut
    WHERE s.signalement IS NOT NULL
    GROUP BY n.session, n.candidat
),
listes AS (
    SELECT d.*,
        nullif(concat_ws(' ; ',
            CASE
                WHEN d.decision = 'CONTROLE' THEN 'épreuves de contrôle'
                WHEN d.decision IN (SELECT decision FROM reg_decisions WHERE note_manquante)
                THEN 'notes manquantes'
                WHEN d.decision = 'EN_ATTENTE' THEN 'résultat en attente'
                WHEN d.decision = 'AJOURNE' AND d.points >= (r.admis - r.ecart_a_examiner) * d.coefficients
                THEN 'moyenne à moins de ' || replace(CAST(r.ecart_a_examiner AS VARCHAR), '.', ',')
                    || ' point du seuil d''admission'
            END,
            g.signalement), '') AS raison
    FROM decisions AS d
    CROSS JOIN reg_seuils AS r
    LEFT JOIN signalements AS g ON g.session = d.session AND g.candidat = d.candidat
),
livret_annee2 AS (
    SELECT l.session, l.candidat, l.ligne, any_value(r.intitule) AS intitule,
           min(l.moyenne) FILTER (WHERE l.semestre = 1) AS s1,
           min(l.moyenne) FILTER (WHERE l.semestre = 2) AS s2,
           min(l.moyenne) FILTER (WHERE l.semestre = 0) AS annuelle
    FROM livret AS l
    JOIN reg_livret_lignes AS r ON r.ligne = l.ligne
    WHERE l.annee = 2
    GROUP BY l.session, l.candidat, l.ligne
),
livret_regle AS (
    -- The livret rule (DOMAIN.md section 5): the mean of both semesters, or the annual average;
    -- never one semester alone: the average is then empty and the missing semester is said.
    SELECT session, candidat, ligne,
        CASE
            WHEN s1 IS NOT NULL AND s2 IS NOT NULL THEN CAST(round((s1 + s2) / 2, 2) AS DECIMAL(4, 2))
            WHEN annuelle IS NOT NULL THEN annuelle
        END AS moyenne,
        CASE
            WHEN s1 IS NOT NULL AND s2 IS NOT NULL OR annuelle IS NOT NULL THEN NULL
            WHEN s1 IS NOT NULL THEN intitule || ' : 2e semestre manquant'
            ELSE intitule || ' : 1er semestre manquant'
        END AS manque
    FROM livret_annee2
),
livrets AS (
    SELECT session, candidat,
        max(moyenne) FILTER (WHERE ligne = 1) AS livret_culture_generale,
        max(moyenne) FILTER (WHERE ligne = 2) AS livret_lv1,
        max(moyenne) FILTER (WHERE ligne = 3) AS livret_cejm,
        max(moyenne) FILTER (WHERE ligne = 4) AS livret_bloc1,
        max(moyenne) FILTER (WHERE ligne = 5) AS livret_bloc2,
        max(moyenne) FILTER (WHERE ligne = 6) AS livret_bloc3,
        max(moyenne) FILTER (WHERE ligne = 7) AS livret_lv2,
        string_agg(manque, ' ; ' ORDER BY ligne) AS livret_manque
    FROM livret_regle
    GROUP BY session, candidat
)
SELECT
    l.session, l.candidat, c.nom, c.prenom, c.uai, c.classe, c.voie,
    l.moyenne, l.decision, l.decision_jury, l.raison, l.manque,
    v.livret_culture_generale, v.livret_lv1, v.livret_cejm, v.livret_bloc1, v.livret_bloc2,
    v.livret_bloc3, v.livret_lv2, v.livret_manque,
    a.avis, CASE WHEN a.pix THEN 'oui' WHEN NOT a.pix THEN 'non' END AS pix
FROM listes AS l
-- perimetre holds every candidate's identity, pivoted once (05_perimetre.sql).
JOIN perimetre AS c ON c.session = l.session AND c.candidat = l.candidat
LEFT JOIN livrets AS v ON v.session = l.session AND v.candidat = l.candidat
LEFT JOIN avis AS a ON a.session = l.session AND a.candidat = l.candidat
WHERE l.raison IS NOT NULL
ORDER BY l.session, l.candidat;
