-- 05_perimetre.sql: which loaded candidates the regulation describes (diploma, specialty, session).
-- Inputs: candidats, notes, reg_diplome, reg_diplome_codes, reg_diplome_mots, reg_epreuves,
-- reg_controle.
-- Outputs:
--   perimetre, one row per (session, candidat): du_diplome, session_couverte, dans_reglement and,
--   when the candidate is left out, motif (French);
--   hors_reglement, the candidates of another diploma with their specialty, exams and source;
--   sessions_non_couvertes, the sessions of the diploma's candidates that the regulation does not
--   cover (the binary stops with an error when there is one: never these rules applied silently);
--   notes_du_reglement, candidats_du_reglement: the views every later query reads.
-- Rules (DOMAIN.md section 4; data/regulation/ndrc.toml [diplome]):
--   the specialty value is compared word by word, case, accents and punctuation ignored: it is of
--   the diploma when one of its words is a code of reg_diplome_codes, or when each word of one
--   group of reg_diplome_mots begins one of its words;
--   a candidate whose specialty is known and not of the diploma is out (another diploma in a
--   mixed export), never a présent who failed;
--   a candidate without a specialty is of the diploma when one of their grades is of an exam of the
--   regulation, or when they have no grade at all; out when every grade is of an unknown exam.

CREATE OR REPLACE TABLE perimetre AS
WITH normalisees AS (
    SELECT session, candidat, specialite,
           ' ' || trim(regexp_replace(strip_accents(lower(coalesce(specialite, ''))), '[^a-z0-9]+', ' ', 'g'))
               || ' ' AS texte
    FROM candidats
),
mots AS (
    SELECT groupe, trim(regexp_replace(strip_accents(lower(mot)), '[^a-z0-9]+', ' ', 'g')) AS mot
    FROM reg_diplome_mots
),
groupes AS (
    SELECT groupe, count(DISTINCT mot) AS taille FROM mots GROUP BY groupe
),
par_code AS (
    SELECT DISTINCT n.session, n.candidat
    FROM normalisees AS n
    JOIN reg_diplome_codes AS c
        ON n.texte LIKE '% ' || trim(regexp_replace(strip_accents(lower(c.code)), '[^a-z0-9]+', ' ', 'g')) || ' %'
),
par_mots AS (
    SELECT DISTINCT s.session, s.candidat
    FROM (
        SELECT n.session, n.candidat, m.groupe, count(DISTINCT m.mot) AS trouves
        FROM normalisees AS n
        JOIN mots AS m ON n.texte LIKE '% ' || m.mot || '%'
        GROUP BY n.session, n.candidat, m.groupe
    ) AS s
    JOIN groupes AS g ON g.groupe = s.groupe AND s.trouves = g.taille
),
epreuves_du_reglement AS (
    SELECT epreuve FROM reg_epreuves
    UNION
    SELECT epreuve FROM reg_controle
),
epreuves_lues AS (
    SELECT n.session, n.candidat,
           count(*) FILTER (WHERE r.epreuve IS NOT NULL) AS du_reglement,
           count(*) AS toutes,
           string_agg(DISTINCT n.epreuve, ', ' ORDER BY n.epreuve) AS epreuves
    FROM notes AS n
    LEFT JOIN epreuves_du_reglement AS r ON r.epreuve = n.epreuve
    GROUP BY n.session, n.candidat
),
classes AS (
    SELECT n.session, n.candidat, n.specialite, e.epreuves,
        CASE
            WHEN c.candidat IS NOT NULL OR m.candidat IS NOT NULL THEN TRUE
            WHEN n.specialite IS NOT NULL THEN FALSE
            ELSE coalesce(e.du_reglement, 0) > 0 OR coalesce(e.toutes, 0) = 0
        END AS du_diplome
    FROM normalisees AS n
    LEFT JOIN par_code AS c USING (session, candidat)
    LEFT JOIN par_mots AS m USING (session, candidat)
    LEFT JOIN epreuves_lues AS e USING (session, candidat)
)
SELECT k.session, k.candidat, k.specialite, k.epreuves, k.du_diplome,
       (k.session >= d.premiere_session AND (d.derniere_session IS NULL OR k.session <= d.derniere_session))
           AS session_couverte,
       k.du_diplome
           AND k.session >= d.premiere_session
           AND (d.derniere_session IS NULL OR k.session <= d.derniere_session) AS dans_reglement,
       CASE
           WHEN NOT k.du_diplome AND k.specialite IS NOT NULL
           THEN 'spécialité « ' || k.specialite || ' » : pas le ' || d.intitule || ' que décrit le règlement'
           WHEN NOT k.du_diplome
           THEN 'sans spécialité, et aucune note d''une épreuve du règlement (épreuves lues : '
               || k.epreuves || ')'
       END AS motif
FROM classes AS k
CROSS JOIN reg_diplome AS d
ORDER BY k.session, k.candidat;

-- The candidates of another diploma: loaded, listed here, left out of results, rates and
-- harmonisation. source names the file that gave the specialty (or the first grade).
CREATE OR REPLACE TABLE hors_reglement AS
WITH origine AS (
    SELECT v.session, v.candidat, arg_min(s.chemin || coalesce(' [' || v.feuille || ']', '') || ' ligne '
               || v.ligne, v.source_id) AS source
    FROM candidats_valeurs AS v
    JOIN sources AS s ON s.source_id = v.source_id AND coalesce(s.feuille, '') = coalesce(v.feuille, '')
    WHERE v.champ = 'specialite'
    GROUP BY v.session, v.candidat
),
origine_notes AS (
    SELECT n.session, n.candidat, arg_min(s.chemin || coalesce(' [' || n.feuille || ']', '') || ' ligne '
               || n.ligne, n.source_id) AS source
    FROM notes AS n
    JOIN sources AS s ON s.source_id = n.source_id AND coalesce(s.feuille, '') = coalesce(n.feuille, '')
    GROUP BY n.session, n.candidat
)
SELECT p.session, p.candidat, c.nom, c.prenom, c.uai, p.specialite, p.epreuves,
       coalesce(o.source, n.source) AS source, p.motif
FROM perimetre AS p
JOIN candidats AS c USING (session, candidat)
LEFT JOIN origine AS o USING (session, candidat)
LEFT JOIN origine_notes AS n USING (session, candidat)
WHERE NOT p.du_diplome
ORDER BY p.session, p.candidat;

-- Sessions of the diploma's candidates that no regulation covers.
CREATE OR REPLACE TABLE sessions_non_couvertes AS
SELECT session, count(*) AS candidats
FROM perimetre
WHERE du_diplome AND NOT session_couverte
GROUP BY session
ORDER BY session;

CREATE OR REPLACE VIEW candidats_du_reglement AS
SELECT c.*
FROM candidats AS c
JOIN perimetre AS p USING (session, candidat)
WHERE p.dans_reglement;

CREATE OR REPLACE VIEW notes_du_reglement AS
SELECT n.*
FROM notes AS n
JOIN perimetre AS p USING (session, candidat)
WHERE p.dans_reglement;
