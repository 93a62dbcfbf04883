-- 40_blocs.sql: the competence blocks a candidate who is not admitted keeps an attestation for.
-- Inputs: notes_unites, decisions, reg_unites, reg_seuils.
-- Output: blocs_acquis, one row per (session, candidat, unite) whose block is acquired.
-- Rule (DOMAIN.md section 3): a candidate whose final decision (after control exams and jury) is
-- not ADMIS keeps each block whose unit grade reaches bloc_acquis; the unit grade is the one after
-- control exams when they were applied. Compared as points >= bloc_acquis x coefficients (DECIMAL).
-- The optional LV2 unit (UF1) is the « bloc facultatif » of seed 004: attested the same way.

CREATE OR REPLACE TABLE blocs_acquis AS
SELECT
    u.session, u.candidat, u.unite, u.ordre, r.bloc,
    CASE WHEN d.controle_applique THEN u.note_controle_appliquee ELSE u.note END AS note
FROM notes_unites AS u
JOIN decisions AS d USING (session, candidat)
JOIN reg_unites AS r ON r.unite = u.unite
CROSS JOIN reg_seuils AS s
WHERE d.decision_finale <> 'ADMIS'
  AND r.bloc IS NOT NULL
  AND u.etat = 'notee'
  AND CASE WHEN d.controle_applique THEN u.points_controle ELSE u.points END
      >= s.bloc_acquis * u.coefficient_epreuves
ORDER BY u.session, u.candidat, u.ordre;
