-- 00_schema.sql: the canonical tables of ndrc-stats (DESIGN.md "Canonical tables").
-- Input: nothing. Output: every stored table, created only when missing, so reruns keep data.
-- Every accepted value keeps its provenance (source_id, feuille, ligne); every rejected cell or
-- row is in rejets with its reason. Grades are DECIMAL(4,2): a float never holds a grade.

CREATE SEQUENCE IF NOT EXISTS source_id_seq START 1;

-- The fingerprint of what the computed tables (queries 05 to 93) were last computed from: the
-- binary's version and queries, the regulation, the sources and the loaded tables' row counts.
-- A command finding the same fingerprint reads the computed tables as they are.
CREATE TABLE IF NOT EXISTS calcul (
    empreinte  VARCHAR NOT NULL,
    calcule_le TIMESTAMP NOT NULL
);

-- One row per sheet of every loaded file (a CSV file has one sheet, feuille NULL).
-- A file is known by its SHA-256: loading it again adds nothing.
CREATE TABLE IF NOT EXISTS sources (
    source_id        INTEGER NOT NULL,
    chemin           VARCHAR NOT NULL,
    sha256           VARCHAR NOT NULL,
    feuille          VARCHAR,
    gabarit          VARCHAR NOT NULL,
    lignes_lues      INTEGER NOT NULL,
    lignes_acceptees INTEGER NOT NULL,
    lignes_rejetees  INTEGER NOT NULL,
    charge_le        TIMESTAMP NOT NULL
);

-- Each corrected file loaded in place of a retired one (`ingest --remplace ID FICHIER`): the
-- retired file, its correction and when. The retired file's sheets are in historique_sources,
-- its rows in historique_<table> (same columns and `retrait`), both made by the store.
CREATE TABLE IF NOT EXISTS remplacements (
    retrait        INTEGER NOT NULL,
    chemin         VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    par_chemin     VARCHAR NOT NULL,
    par_sha256     VARCHAR NOT NULL,
    remplace_le    TIMESTAMP NOT NULL
);

-- The sheets of retired files, as they were in sources, with the number of their replacement.
CREATE TABLE IF NOT EXISTS historique_sources AS
SELECT *, CAST(0 AS INTEGER) AS retrait FROM sources LIMIT 0;

-- Rejected cells, rows and conflicting values. code is a stable machine code, motif the French text.
CREATE TABLE IF NOT EXISTS rejets (
    source_id INTEGER NOT NULL,
    feuille   VARCHAR,
    ligne     INTEGER NOT NULL,
    colonne   VARCHAR NOT NULL,
    valeur    VARCHAR,
    code      VARCHAR NOT NULL,
    motif     VARCHAR NOT NULL
);

-- Identity fields of candidates, one row per (session, candidat, champ): the first value read,
-- with its provenance. A later different value is a conflict in rejets, never an overwrite.
CREATE TABLE IF NOT EXISTS candidats_valeurs (
    session   INTEGER NOT NULL,
    candidat  VARCHAR NOT NULL,
    champ     VARCHAR NOT NULL,
    valeur    VARCHAR NOT NULL,
    source_id INTEGER NOT NULL,
    feuille   VARCHAR,
    ligne     INTEGER NOT NULL
);

-- One row per (session, candidat, epreuve). note is NULL when statut replaces it.
-- epreuve is an exam of the regulation (E1 ... EF2, control exams C1 C2) or, for another
-- diploma's export, the national application's own exam code.
CREATE TABLE IF NOT EXISTS notes (
    session         INTEGER NOT NULL,
    candidat        VARCHAR NOT NULL,
    epreuve         VARCHAR NOT NULL,
    note            DECIMAL(4,2),
    statut          VARCHAR,
    session_origine INTEGER,
    examinateur     VARCHAR,
    commission      VARCHAR,
    sujet           VARCHAR,
    centre          VARCHAR,
    date_epreuve    DATE,
    demi_journee    VARCHAR,
    unite_remplacee VARCHAR,  -- control exams C1, C2: the general unit (U1, U2, U3) they may replace
    source_id       INTEGER NOT NULL,
    feuille         VARCHAR,
    ligne           INTEGER NOT NULL,
    colonne         VARCHAR NOT NULL,
    mode            VARCHAR,  -- CCF or PONCTUEL when the column header says the exam's form
    -- The scale the grade was read on when it is not 20 (E5A « notée sur 40 points », seed 001):
    -- note holds the exact value on 20, bareme 40 says it was converted. NULL: read on 20.
    bareme          INTEGER
);
-- A database made before these columns existed gains them (last, in the order above).
ALTER TABLE notes ADD COLUMN IF NOT EXISTS mode VARCHAR;
ALTER TABLE notes ADD COLUMN IF NOT EXISTS bareme INTEGER;

-- E5B grid levels (1 to 4) per question.
CREATE TABLE IF NOT EXISTS grilles (
    session     INTEGER NOT NULL,
    candidat    VARCHAR NOT NULL,
    epreuve     VARCHAR NOT NULL,
    question    VARCHAR NOT NULL,
    niveau      INTEGER NOT NULL,
    examinateur VARCHAR,
    source_id   INTEGER NOT NULL,
    feuille     VARCHAR,
    ligne_source INTEGER NOT NULL
);

-- Each corrector's own mark of a jointly marked written paper (E5A: two correctors per paper,
-- the agreed grade is in notes).
CREATE TABLE IF NOT EXISTS notes_correcteurs (
    session      INTEGER NOT NULL,
    candidat     VARCHAR NOT NULL,
    epreuve      VARCHAR NOT NULL,
    correcteur   VARCHAR NOT NULL,
    note         DECIMAL(4,2) NOT NULL,
    source_id    INTEGER NOT NULL,
    feuille      VARCHAR,
    ligne_source INTEGER NOT NULL
);

-- Livret scolaire semester averages: ligne 1 to 7 (DOMAIN.md section 5), annee 1 or 2, semestre 1 or 2.
CREATE TABLE IF NOT EXISTS livret (
    session      INTEGER NOT NULL,
    candidat     VARCHAR NOT NULL,
    uai          VARCHAR,
    classe       VARCHAR,
    ligne        INTEGER NOT NULL,
    annee        INTEGER NOT NULL,
    semestre     INTEGER NOT NULL,
    moyenne      DECIMAL(4,2) NOT NULL,
    source_id    INTEGER NOT NULL,
    feuille      VARCHAR,
    ligne_source INTEGER NOT NULL
);

-- Jury opinion of the livret and PIX certification.
CREATE TABLE IF NOT EXISTS avis (
    session      INTEGER NOT NULL,
    candidat     VARCHAR NOT NULL,
    avis         VARCHAR,
    pix          BOOLEAN,
    source_id    INTEGER NOT NULL,
    feuille      VARCHAR,
    ligne_source INTEGER NOT NULL
);

-- Sovereign jury decisions: points added or a final decision, with a reason.
CREATE TABLE IF NOT EXISTS decisions_jury (
    session      INTEGER NOT NULL,
    candidat     VARCHAR NOT NULL,
    points_jury  DECIMAL(4,2),
    decision     VARCHAR,
    motif        VARCHAR,
    source_id    INTEGER NOT NULL,
    feuille      VARCHAR,
    ligne_source INTEGER NOT NULL
);

-- Every candidate's key (session, candidat): from the identity values, and from the grades for a
-- candidate who only appears in notes. The view candidats has one row per key; counting the
-- keys here does not pivot every identity value.
CREATE OR REPLACE VIEW cles_candidats AS
SELECT session, candidat FROM candidats_valeurs
UNION
SELECT session, candidat FROM notes;

-- The candidates, one row per key of cles_candidats: the identity values pivoted.
CREATE OR REPLACE VIEW candidats AS
SELECT
    c.session,
    c.candidat,
    max(v.valeur) FILTER (WHERE v.champ = 'ine')                        AS ine,
    max(v.valeur) FILTER (WHERE v.champ = 'nom')                        AS nom,
    max(v.valeur) FILTER (WHERE v.champ = 'prenom')                     AS prenom,
    CAST(max(v.valeur) FILTER (WHERE v.champ = 'date_naissance') AS DATE) AS date_naissance,
    max(v.valeur) FILTER (WHERE v.champ = 'sexe')                       AS sexe,
    max(v.valeur) FILTER (WHERE v.champ = 'voie')                       AS voie,
    max(v.valeur) FILTER (WHERE v.champ = 'academie')                   AS academie,
    max(v.valeur) FILTER (WHERE v.champ = 'uai')                        AS uai,
    max(v.valeur) FILTER (WHERE v.champ = 'classe')                     AS classe,
    max(v.valeur) FILTER (WHERE v.champ = 'specialite')                 AS specialite,
    -- The category as written ("SCOLAIRE BTS (132)"), of which voie is the route: it says
    -- whether the candidate sits E4/E6 in CCF (harmonisation).
    max(v.valeur) FILTER (WHERE v.champ = 'categorie')                  AS categorie
FROM cles_candidats AS c
LEFT JOIN candidats_valeurs AS v USING (session, candidat)
GROUP BY c.session, c.candidat;

-- Staging tables (stg_candidats_valeurs, stg_notes, stg_livret, stg_avis, stg_decisions_jury,
-- stg_grilles, stg_notes_correcteurs; temporary, in memory, never written to the file): one
-- file's normalised rows, merged into the tables above by
-- the store in the file's transaction (first value kept, duplicates confirmed, conflicts listed in
-- rejets). The store makes them, empty, at every open from the shapes of src/shape.rs, where
-- each loaded table's columns are declared once (a test checks that this file agrees).

-- A number with the French decimal comma, as text (`12.5` → `12,5`): the one decimal comma of
-- the SQL (the reports' Rust has `report::texts::comma`).
CREATE OR REPLACE MACRO virgule(x) AS replace(CAST(x AS VARCHAR), '.', ',');

-- rejets.csv: every rejected value, row or sheet and every conflict, with the file, sheet,
-- row, column, value, code and reason (read ordered by source, feuille, ligne, colonne, code).
CREATE OR REPLACE VIEW rapport_rejets AS
SELECT s.chemin AS source, r.feuille, r.ligne, r.colonne, r.valeur, r.code, r.motif
FROM rejets AS r
LEFT JOIN (SELECT DISTINCT source_id, chemin FROM sources) AS s USING (source_id);

-- The front page (index.html): the rejets by code, with how many and one reason as example.
CREATE OR REPLACE VIEW rapport_accueil_rejets AS
SELECT code, count(*) AS rejets, min(motif) AS exemple
FROM rejets
GROUP BY code;

-- The front page: the files loaded, one row per file, with the rows read and the first load.
CREATE OR REPLACE VIEW rapport_accueil_sources AS
SELECT chemin, sha256, sum(lignes_lues) AS lignes_lues, min(charge_le) AS charge_le
FROM sources
GROUP BY chemin, sha256;

-- `ndrc-stats sources`: each loaded sheet with its file, SHA-256, layout, rows and rejets (read
-- ordered by source_id).
CREATE OR REPLACE VIEW rapport_sources AS
SELECT s.source_id, s.chemin, s.feuille, s.sha256, s.gabarit, s.lignes_lues, s.lignes_acceptees,
       s.lignes_rejetees, coalesce(r.rejets, 0) AS rejets, s.charge_le
FROM sources AS s
LEFT JOIN (SELECT source_id, count(*) AS rejets FROM rejets GROUP BY source_id) AS r
       USING (source_id);

-- `ndrc-stats sources`: each file retired by `ingest --remplace`, with its correction, when, and
-- how many of its sheets and rows went to the history (read ordered by retrait).
CREATE OR REPLACE VIEW rapport_remplacements AS
SELECT r.retrait, r.chemin, r.sha256, r.par_chemin, r.par_sha256, r.remplace_le,
       (SELECT count(*) FROM historique_sources h WHERE h.retrait = r.retrait) AS feuilles,
       (SELECT coalesce(sum(h.lignes_lues), 0) FROM historique_sources h
        WHERE h.retrait = r.retrait) AS lignes_lues
FROM remplacements AS r;
