-- 10_notes_unites.sql: the grade of every unit of every candidate, from exam grades and status codes.
-- Inputs: candidats_du_reglement, notes_du_reglement (05_perimetre.sql: the candidates of the
-- diploma the regulation describes), reg_unites, reg_epreuves, reg_statuts, reg_decisions,
-- reg_seuils, reg_controle.
-- Output: notes_unites, one row per (session, candidat, unite) of the regulation, the units a
-- candidate has no grade for included (etat 'manquante': never a silent 0).
-- Rules (DOMAIN.md section 3; Code de l'éducation D643-15, D643-22):
--   points of a unit = sum of coefficient x grade of its exams (U5 = 2 E5A + 2 E5B, out of 4);
--   DISP on every exam of a unit: the unit leaves the average (etat 'dispense');
--   a status code with effect 'decision' (ABS, NV, RES): etat 'statut' and the decision it imposes;
--   a status code with effect 'zero' (ABJ, D643-24): the exam is marked 0 and counts;
--   BEN (a grade kept from an earlier session, D643-15) is kept per unit: every exam of the unit
--   is BEN, from one origin session within benefice_validite_sessions sessions before, and the
--   unit grade (U5 = (2 E5A + 2 E5B) / 4, not each part) reaches benefice_note_minimale; then it
--   counts as a grade. Otherwise it is a data problem (etat 'manquante', INCOMPLET) said in
--   problemes: one part kept and the other re-sat, parts from different sessions, an origin too
--   old, a unit grade too low, a kept grade without its grade or origin;
--   a control exam (C1, C2) replaces the points of the unit named in notes.unite_remplacee when its
--   grade is higher (points_controle); only units marked remplacable_par_controle.
-- Arithmetic is DECIMAL throughout. Text columns problemes and statuts say what is wrong, in French;
-- an optional unit nobody graded is 'manquante' without a text (nothing is missing: no bonus).

CREATE OR REPLACE TABLE notes_unites AS
WITH inscrits AS (
    SELECT DISTINCT session, candidat FROM candidats_du_reglement
),
attendues AS (
    SELECT i.session, i.candidat, u.unite, u.nature, e.epreuve, e.ordre AS ordre_epreuve,
           e.coefficient AS coefficient_epreuve
    FROM inscrits AS i
    CROSS JOIN reg_unites AS u
    JOIN reg_epreuves AS e ON e.unite = u.unite
),
lues AS (
    SELECT a.*,
           -- A justified absence is marked zero (D643-24): a grade of 0 that counts.
           CASE WHEN s.effet = 'zero' THEN CAST(0 AS DECIMAL(4, 2)) ELSE n.note END AS note,
           n.session_origine,
           -- NULL-safe codes: a missing status is '' so that every test below is TRUE or FALSE.
           coalesce(n.statut, '') AS statut,
           coalesce(s.effet, '') AS effet,
           s.decision AS decision_statut,
           s.libelle AS libelle_statut,
           d.rang AS rang_decision
    FROM attendues AS a
    LEFT JOIN notes_du_reglement AS n
        ON n.session = a.session AND n.candidat = a.candidat AND n.epreuve = a.epreuve
    LEFT JOIN reg_statuts AS s ON s.statut = n.statut
    LEFT JOIN reg_decisions AS d ON d.decision = s.decision
),
etats AS (
    SELECT l.*,
        CASE
            WHEN l.effet = 'benefice' AND (l.note IS NULL OR l.session_origine IS NULL) THEN 'benefice_incomplet'
            -- A kept grade counts; the unit-level rules are checked in classees below.
            WHEN l.effet = 'benefice' THEN 'note'
            WHEN l.effet = 'dispense' THEN 'dispense'
            WHEN l.effet = 'zero' THEN 'note'
            WHEN l.effet = 'decision' THEN 'statut'
            WHEN l.statut <> '' THEN 'statut_inconnu'
            WHEN l.note IS NULL THEN 'manquante'
            ELSE 'note'
        END AS etat_epreuve
    FROM lues AS l
),
textes AS (
    SELECT e.*,
        CASE e.etat_epreuve
            -- An optional unit not taken lacks nothing (no text: most candidates take none).
            WHEN 'manquante' THEN CASE WHEN e.nature <> 'facultative' THEN e.epreuve || ' : note manquante' END
            WHEN 'statut' THEN e.epreuve || ' : ' || e.libelle_statut || ' (' || e.statut || ')'
            WHEN 'statut_inconnu' THEN e.epreuve || ' : code ' || e.statut || ' inconnu du règlement'
            WHEN 'benefice_incomplet' THEN e.epreuve || ' : note conservée sans note ou sans session d''origine'
        END AS probleme
    FROM etats AS e
),
textes_unites AS (
    -- The few units with a problem or a status code: their texts joined in exam order, and what
    -- their status codes say (kept apart: an ordered aggregate would cost every unit of every
    -- candidate a sort, and every aggregate of the grouping below costs each of them). A
    -- dispensed, kept or status-coded exam has a code, so each of these rows is here.
    SELECT session, candidat, unite,
           string_agg(probleme, ' ; ' ORDER BY ordre_epreuve) AS problemes,
           string_agg(epreuve || ' ' || statut, ', ' ORDER BY ordre_epreuve) FILTER (WHERE statut <> '') AS statuts,
           count(*) FILTER (WHERE etat_epreuve = 'dispense') AS dispensees,
           count(*) FILTER (WHERE etat_epreuve = 'statut') AS avec_statut,
           -- Kept grades (BEN) of the unit, checked as one unit in benefices.
           count(*) FILTER (WHERE effet = 'benefice') AS conservees,
           -- The decision the unit's status codes impose: the first by precedence.
           arg_min(decision_statut, rang_decision) FILTER (WHERE etat_epreuve = 'statut') AS decision_statut
    FROM textes
    WHERE probleme IS NOT NULL OR statut <> ''
    GROUP BY session, candidat, unite
),
unites AS (
    SELECT u.*, r.ordre, r.nature, r.coefficient, r.points_au_dessus_de, r.remplacable_par_controle,
           k.epreuves, k.coefficient_epreuves,
           coalesce(t.dispensees, 0) AS dispensees, coalesce(t.avec_statut, 0) AS avec_statut,
           coalesce(t.conservees, 0) AS conservees, t.decision_statut, t.problemes, t.statuts
    FROM (
        SELECT session, candidat, unite,
               count(*) FILTER (WHERE etat_epreuve = 'note') AS notees,
               -- DECIMAL(12, 4), not sum's DECIMAL(38, 4): a unit's points stay far below 10^8
               -- (20 x its coefficients; a cast that overflowed would stop with an error, never
               -- round), and 64-bit decimals keep every operation below off 128-bit integers.
               CAST(sum(coefficient_epreuve * note) FILTER (WHERE etat_epreuve = 'note') AS DECIMAL(12, 4)) AS points
        FROM textes
        GROUP BY session, candidat, unite
    ) AS u
    JOIN reg_unites AS r USING (unite)
    -- Every candidate has a row per exam of each unit (attendues): how many and their
    -- coefficients are the regulation's.
    JOIN (
        SELECT unite, count(*) AS epreuves, CAST(sum(coefficient) AS DECIMAL(12, 2)) AS coefficient_epreuves
        FROM reg_epreuves
        GROUP BY unite
    ) AS k USING (unite)
    LEFT JOIN textes_unites AS t USING (session, candidat, unite)
),
controles AS (
    -- The best control grade given for each replaceable unit.
    SELECT n.session, n.candidat, n.unite_remplacee AS unite, max(n.note) AS note_controle
    FROM notes_du_reglement AS n
    JOIN reg_controle AS c ON c.epreuve = n.epreuve
    WHERE n.note IS NOT NULL AND coalesce(n.statut, '') = ''
    GROUP BY n.session, n.candidat, n.unite_remplacee
),
unites_conservees AS (
    -- The few units with a kept grade, described for the rule below (kept apart: these
    -- aggregates would cost every unit of every candidate a sort).
    SELECT session, candidat, unite,
           count(*) FILTER (WHERE effet = 'benefice' AND etat_epreuve = 'note') AS conservees_notees,
           string_agg(epreuve, ', ' ORDER BY ordre_epreuve) FILTER (WHERE effet = 'benefice') AS epreuves_conservees,
           string_agg(epreuve, ', ' ORDER BY ordre_epreuve) FILTER (WHERE effet <> 'benefice') AS epreuves_repassees,
           count(DISTINCT session_origine) FILTER (WHERE effet = 'benefice') AS origines,
           string_agg(DISTINCT CAST(session_origine AS VARCHAR), ', ' ORDER BY CAST(session_origine AS VARCHAR))
               FILTER (WHERE effet = 'benefice') AS liste_origines,
           min(session_origine) FILTER (WHERE effet = 'benefice') AS origine
    FROM textes AS t
    WHERE EXISTS (
        SELECT 1 FROM textes AS b
        WHERE b.effet = 'benefice' AND b.session = t.session AND b.candidat = t.candidat AND b.unite = t.unite
    )
    GROUP BY session, candidat, unite
),
benefices AS (
    -- A kept grade is kept per unit (D643-15; DOMAIN.md section 3): the whole unit, from one
    -- session, within the validity, with a unit grade of at least the minimum.
    SELECT u.*,
        CASE
            WHEN u.conservees = 0 THEN NULL
            WHEN u.conservees < u.epreuves
            THEN u.unite || ' : note conservée pour ' || u.epreuves_conservees || ' seulement, '
                || u.epreuves_repassees || ' repassée : une unité se conserve entière'
            WHEN u.conservees_notees < u.conservees THEN NULL  -- said per exam (benefice_incomplet)
            WHEN u.origines > 1
            THEN u.unite || ' : épreuves conservées de sessions différentes (' || u.liste_origines
                || ') : une unité se conserve entière, d''une même session'
            WHEN NOT (u.session - u.origine BETWEEN 1 AND u.benefice_validite_sessions)
            THEN u.unite || ' : note conservée de la session ' || u.origine || ', hors des '
                || u.benefice_validite_sessions || ' sessions de validité'
            WHEN u.points < u.benefice_note_minimale * u.coefficient_epreuves
            THEN u.unite || ' : note d''unité conservée '
                || replace(CAST(CAST(CAST(CAST(u.points * 10000 AS BIGINT) // CAST(u.coefficient_epreuves * 100 AS BIGINT)
                    AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) AS VARCHAR), '.', ',')
                || ' inférieure à ' || replace(CAST(u.benefice_note_minimale AS VARCHAR), '.', ',')
        END AS probleme_benefice
    FROM (
        SELECT u.*, k.* EXCLUDE (session, candidat, unite),
               r.benefice_validite_sessions, r.benefice_note_minimale
        FROM unites AS u
        LEFT JOIN unites_conservees AS k USING (session, candidat, unite)
        CROSS JOIN reg_seuils AS r
    ) AS u
),
classees AS (
    SELECT u.* EXCLUDE (problemes),
        CASE
            WHEN u.problemes IS NULL THEN u.probleme_benefice
            WHEN u.probleme_benefice IS NULL THEN u.problemes
            ELSE u.problemes || ' ; ' || u.probleme_benefice
        END AS problemes,
        c.note_controle,
        CASE
            WHEN u.probleme_benefice IS NOT NULL AND u.avec_statut = 0 THEN 'manquante'
            WHEN u.notees = u.epreuves THEN 'notee'
            WHEN u.dispensees = u.epreuves THEN 'dispense'
            WHEN u.avec_statut > 0 THEN 'statut'
            ELSE 'manquante'
        END AS etat
    FROM benefices AS u
    LEFT JOIN controles AS c USING (session, candidat, unite)
),
finales AS (
    SELECT
        session, candidat, unite, ordre, nature, coefficient, points_au_dessus_de, etat, decision_statut,
        CASE WHEN etat = 'notee' THEN points END AS points,
        CASE
            WHEN etat = 'notee' AND remplacable_par_controle AND note_controle IS NOT NULL
            THEN CAST(greatest(points, note_controle * coefficient_epreuves) AS DECIMAL(12, 4))
            WHEN etat = 'notee' THEN points
        END AS points_controle,
        coefficient_epreuves,
        note_controle,
        CASE
            WHEN etat = 'manquante' AND dispensees > 0 AND problemes IS NULL
            THEN unite || ' : dispense d''une partie seulement des épreuves'
            WHEN etat = 'manquante' AND dispensees > 0
            THEN problemes || ' ; ' || unite || ' : dispense d''une partie seulement des épreuves'
            WHEN etat IN ('manquante', 'statut') THEN problemes
        END AS problemes,
        statuts
    FROM classees
)
SELECT
    session, candidat, unite, ordre, nature, coefficient, points_au_dessus_de, etat, decision_statut,
    points, points_controle, coefficient_epreuves, note_controle,
    -- The unit grade shown: points / coefficients truncated to hundredths, in integers
    -- (points have at most 4 decimals, coefficients 2), so 9.999 shows 9.99, never 10.00.
    CAST(CAST(CAST(points * 10000 AS BIGINT) // CAST(coefficient_epreuves * 100 AS BIGINT)
        AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) AS note,
    CAST(CAST(CAST(points_controle * 10000 AS BIGINT) // CAST(coefficient_epreuves * 100 AS BIGINT)
        AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) AS note_controle_appliquee,
    problemes, statuts
-- Not sorted: 2.4 M rows at national scale, and every reader groups or sorts them itself.
FROM finales;
