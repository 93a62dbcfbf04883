-- 05_perimetre.sql: which loaded candidates the regulation describes (diploma, specialty, session).
-- Inputs: candidats, notes, reg_diplome, reg_diplome_codes, reg_diplome_mots, reg_epreuves,
-- reg_controle.
-- Outputs:
--   perimetre, one row per (session, candidat): the columns of candidats, then epreuves (the
--   exams read, for a candidate left out), du_diplome, session_couverte, dans_reglement and, when
--   the candidate is left out, motif (French);
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
WITH fiches AS (
    -- The candidates' identity, pivoted once: perimetre keeps it, and candidats_du_reglement
    -- reads it from here instead of pivoting candidats_valeurs again for every later query.
    SELECT * FROM candidats
),
specialites AS (
    -- Each distinct specialty text once (a national export has a handful for 100,000 rows).
    SELECT DISTINCT specialite,
           ' ' || trim(regexp_replace(strip_accents(lower(coalesce(specialite, ''))), '[^a-z0-9]+', ' ', 'g'))
               || ' ' AS texte
    FROM fiches
),
mots AS (
    SELECT groupe, trim(regexp_replace(strip_accents(lower(mot)), '[^a-z0-9]+', ' ', 'g')) AS mot
    FROM reg_diplome_mots
),
groupes AS (
    SELECT groupe, count(DISTINCT mot) AS taille FROM mots GROUP BY groupe
),
par_code AS (
    SELECT DISTINCT n.specialite
    FROM specialites AS n
    JOIN reg_diplome_codes AS c
        ON n.texte LIKE '% ' || trim(regexp_replace(strip_accents(lower(c.code)), '[^a-z0-9]+', ' ', 'g')) || ' %'
),
par_mots AS (
    SELECT DISTINCT s.specialite
    FROM (
        SELECT n.specialite, m.groupe, count(DISTINCT m.mot) AS trouves
        FROM specialites AS n
        JOIN mots AS m ON n.texte LIKE '% ' || m.mot || '%'
        GROUP BY n.specialite, m.groupe
    ) AS s
    JOIN groupes AS g ON g.groupe = s.groupe AND s.trouves = g.taille
),
specialites_du_diplome AS (
    SELECT specialite FROM par_code
    UNION
    SELECT specialite FROM par_mots
),
epreuves_du_reglement AS (
    SELECT epreuve FROM reg_epreuves
    UNION
    SELECT epreuve FROM reg_controle
),
epreuves_lues AS (
    SELECT n.session, n.candidat,
           count(*) FILTER (WHERE r.epreuve IS NOT NULL) AS du_reglement,
           count(*) AS toutes
    FROM notes AS n
    LEFT JOIN epreuves_du_reglement AS r ON r.epreuve = n.epreuve
    GROUP BY n.session, n.candidat
),
jugees AS (
    SELECT f.*,
        CASE
            WHEN d.specialite IS NOT NULL THEN TRUE
            WHEN f.specialite IS NOT NULL THEN FALSE
            ELSE coalesce(e.du_reglement, 0) > 0 OR coalesce(e.toutes, 0) = 0
        END AS du_diplome
    FROM fiches AS f
    LEFT JOIN specialites_du_diplome AS d ON d.specialite = f.specialite
    LEFT JOIN epreuves_lues AS e USING (session, candidat)
),
epreuves_hors AS (
    -- The exams read, listed for the candidates left out only (their motif, hors_reglement): an
    -- ordered list for every candidate would cost a sort of every grade.
    SELECT n.session, n.candidat, string_agg(DISTINCT n.epreuve, ', ' ORDER BY n.epreuve) AS epreuves
    FROM notes AS n
    JOIN jugees AS j ON j.session = n.session AND j.candidat = n.candidat AND NOT j.du_diplome
    GROUP BY n.session, n.candidat
),
classes AS (
    SELECT j.* EXCLUDE (du_diplome), e.epreuves, j.du_diplome
    FROM jugees AS j
    LEFT JOIN epreuves_hors AS e USING (session, candidat)
)
SELECT k.*,
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
WITH hors AS (
    -- The few candidates left out: their sources only are looked for (a national export has
    -- 2 M grades and 300,000 specialties, of which a thousand or so are of these).
    SELECT * FROM perimetre WHERE NOT du_diplome
),
origine AS (
    SELECT v.session, v.candidat, arg_min(s.chemin || coalesce(' [' || v.feuille || ']', '') || ' ligne '
               || v.ligne, v.source_id) AS source
    FROM candidats_valeurs AS v
    SEMI JOIN hors AS h ON h.session = v.session AND h.candidat = v.candidat
    JOIN sources AS s ON s.source_id = v.source_id AND coalesce(s.feuille, '') = coalesce(v.feuille, '')
    WHERE v.champ = 'specialite'
    GROUP BY v.session, v.candidat
),
origine_notes AS (
    SELECT n.session, n.candidat, arg_min(s.chemin || coalesce(' [' || n.feuille || ']', '') || ' ligne '
               || n.ligne, n.source_id) AS source
    FROM notes AS n
    SEMI JOIN hors AS h ON h.session = n.session AND h.candidat = n.candidat
    JOIN sources AS s ON s.source_id = n.source_id AND coalesce(s.feuille, '') = coalesce(n.feuille, '')
    GROUP BY n.session, n.candidat
)
SELECT p.session, p.candidat, p.nom, p.prenom, p.uai, p.specialite, p.epreuves,
       coalesce(o.source, n.source) AS source, p.motif
FROM hors AS p
LEFT JOIN origine AS o USING (session, candidat)
LEFT JOIN origine_notes AS n USING (session, candidat)
ORDER BY p.session, p.candidat;

-- Sessions of the diploma's candidates that no regulation covers.
CREATE OR REPLACE TABLE sessions_non_couvertes AS
SELECT session, count(*) AS candidats
FROM perimetre
WHERE du_diplome AND NOT session_couverte
GROUP BY session
ORDER BY session;

CREATE OR REPLACE VIEW candidats_du_reglement AS
SELECT * EXCLUDE (epreuves, du_diplome, session_couverte, dans_reglement, motif)
FROM perimetre
WHERE dans_reglement;

CREATE OR REPLACE VIEW notes_du_reglement AS
SELECT n.*
FROM notes AS n
JOIN perimetre AS p USING (session, candidat)
WHERE p.dans_reglement;
