-- 80_reussite.sql: success rates per session and breakdown, with their 95 % Wilson interval.
-- Inputs: candidats_du_reglement, notes_du_reglement (05_perimetre.sql: only the diploma the
-- regulation describes), decisions, reg_reussite.
-- Output: reussite, one row per (session, niveau, cle).
-- Rules (DOMAIN.md section 4):
--   présent: a candidate who sat at least one exam of the session, i.e. has at least one grade
--   given this session (a grade without status code: a kept grade BEN, an exemption DISP or an
--   absence are not sittings);
--   admis: a présent whose final decision, after control exams and the sovereign jury
--   (decisions.decision_finale, queries/30_decisions.sql), is ADMIS;
--   taux = admis / présents in %, rounded half up to 0.1 exactly (integer arithmetic);
--   Wilson interval: centre (p + z²/2n) / (1 + z²/n), half-width z √(p(1-p)/n + z²/4n²) / (1 + z²/n),
--   z = reg_reussite.z_confiance; p_bas and p_haut keep the unrounded bounds (0 to 1) for the
--   evolution's overlap test; ic_bas and ic_haut are them in % rounded to 0.1 (display only).
--   Breakdowns: ensemble (all), academie, uai, section (uai + specialite + voie), voie, sexe; an
--   empty attribute is the key '(non renseigné)'. Columns academie, uai, voie name the cell's
--   parents, from which the publication's secondary secrecy builds its totals.

CREATE OR REPLACE TABLE reussite AS
WITH presents AS (
    SELECT DISTINCT session, candidat
    FROM notes_du_reglement
    WHERE coalesce(statut, '') = '' AND note IS NOT NULL
),
candidats_presents AS (
    SELECT
        c.session,
        c.candidat,
        coalesce(c.academie, '(non renseigné)') AS academie,
        coalesce(c.uai, '(non renseigné)') AS uai,
        coalesce(c.specialite, '(non renseigné)') AS specialite,
        coalesce(c.voie, '(non renseigné)') AS voie,
        coalesce(c.sexe, '(non renseigné)') AS sexe,
        coalesce(d.decision_finale = 'ADMIS', FALSE) AS est_admis
    FROM candidats_du_reglement AS c
    JOIN presents AS p ON p.session = c.session AND p.candidat = c.candidat
    LEFT JOIN decisions AS d ON d.session = c.session AND d.candidat = c.candidat
),
cellules AS (
    SELECT session, 'ensemble' AS niveau, 1 AS ordre_niveau, 'tous les candidats' AS cle,
           NULL AS academie, NULL AS uai, NULL AS voie, est_admis
    FROM candidats_presents
    UNION ALL
    SELECT session, 'academie', 2, academie, NULL, NULL, NULL, est_admis FROM candidats_presents
    UNION ALL
    SELECT session, 'uai', 3, uai, academie, NULL, NULL, est_admis FROM candidats_presents
    UNION ALL
    SELECT session, 'section', 4, uai || ' / ' || specialite || ' / ' || voie, NULL, uai, voie, est_admis
    FROM candidats_presents
    UNION ALL
    SELECT session, 'voie', 5, voie, NULL, NULL, NULL, est_admis FROM candidats_presents
    UNION ALL
    SELECT session, 'sexe', 6, sexe, NULL, NULL, NULL, est_admis FROM candidats_presents
),
comptes AS (
    SELECT session, niveau, ordre_niveau, cle,
           -- A school belongs to one academy; the most frequent one is kept if exports disagree.
           mode(academie) AS academie, min(uai) AS uai, min(voie) AS voie,
           count(*) AS presents, count(*) FILTER (WHERE est_admis) AS admis
    FROM cellules
    GROUP BY session, niveau, ordre_niveau, cle
),
wilson AS (
    SELECT c.*,
           CAST(c.admis AS DOUBLE) / c.presents AS p,
           r.z_confiance * r.z_confiance / c.presents AS z2n,
           r.z_confiance AS z
    FROM comptes AS c
    CROSS JOIN reg_reussite AS r
),
bornes AS (
    SELECT w.*,
           (p + z2n / 2) / (1 + z2n) AS centre,
           z * sqrt(p * (1 - p) / presents + z2n / (4 * presents)) / (1 + z2n) AS demi_largeur
    FROM wilson AS w
)
SELECT
    session, niveau, ordre_niveau, cle, academie, uai, voie,
    CAST(presents AS INTEGER) AS presents,
    CAST(admis AS INTEGER) AS admis,
    -- round(1000 a / n) / 10 in integers: half up, exact.
    CAST(CAST((2000 * CAST(admis AS BIGINT) + presents) // (2 * CAST(presents AS BIGINT))
        AS DECIMAL(5, 0)) * 0.1 AS DECIMAL(4, 1)) AS taux,
    CAST(round(100 * greatest(0.0, centre - demi_largeur), 1) AS DECIMAL(4, 1)) AS ic_bas,
    CAST(round(100 * least(1.0, centre + demi_largeur), 1) AS DECIMAL(4, 1)) AS ic_haut,
    greatest(0.0, centre - demi_largeur) AS p_bas,
    least(1.0, centre + demi_largeur) AS p_haut
FROM bornes
ORDER BY session, ordre_niveau, cle;
