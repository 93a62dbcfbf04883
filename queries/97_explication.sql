-- 97_explication.sql: the explanation of every candidate's result (`ndrc-stats explain`, and the
-- explanation pages beside the relevés), read from the tables that give resultats.csv: never a
-- second computation of a grade, an average or a decision. What these views add is where each
-- value was read, what else was read for the same key, and which rule of the regulation file
-- (data/regulation/ndrc.toml, loaded as reg_*) each step applied, named by its TOML key.
-- Inputs: candidats_du_reglement, notes_du_reglement, notes_unites, moyennes, decisions,
-- blocs_acquis, livret_moyennes, avis, decisions_jury, sources, rejets, reg_seuils, reg_unites,
-- reg_epreuves, reg_statuts, reg_decisions.
-- Outputs (views): explication_epreuves, explication_autres_valeurs, explication_unites,
-- explication_decisions, explication_livret. Every French text uses the decimal comma.
-- Rule source: DOMAIN.md section 3; Code de l'éducation D643-15, D643-22, D643-24.

-- A decimal as short French text: trailing zeros and the decimal point dropped (`21.00` → `21`,
-- `2.50` → `2,5`), for coefficients and thresholds.
CREATE OR REPLACE MACRO texte_court(x) AS
    CASE WHEN contains(CAST(x AS VARCHAR), '.')
         THEN replace(rtrim(rtrim(CAST(x AS VARCHAR), '0'), '.'), '.', ',')
         ELSE CAST(x AS VARCHAR) END;

-- A decimal as exact French text with at least 2 decimals (`197.0000` → `197,00`,
-- `12.1250` → `12,125`), for points.
CREATE OR REPLACE MACRO texte_exact(x) AS
    replace(regexp_replace(CAST(x AS VARCHAR), '^(-?\d+\.\d\d\d*?)0+$', '\1'), '.', ',');

-- Each exam of each candidate (the regulation's exams, then the control exams taken): the value
-- read with its source and the rule that applies to it, citing its TOML key.
CREATE OR REPLACE VIEW explication_epreuves AS
WITH attendues AS (
    SELECT c.session, c.candidat, e.unite, e.epreuve, e.ordre, e.intitule, e.coefficient,
           u.nature, u.points_au_dessus_de
    FROM (SELECT DISTINCT session, candidat FROM candidats_du_reglement) AS c
    CROSS JOIN reg_epreuves AS e
    JOIN reg_unites AS u ON u.unite = e.unite
),
lues AS (
    SELECT a.*, n.note, n.statut, n.session_origine, n.unite_remplacee, n.source_id, n.feuille,
           n.ligne, n.colonne, n.bareme, n.candidat IS NOT NULL AS trouvee
    FROM attendues AS a
    LEFT JOIN notes_du_reglement AS n
        ON n.session = a.session AND n.candidat = a.candidat AND n.epreuve = a.epreuve
    UNION ALL BY NAME
    -- Control exams come after the regulation's exams, in the order of controle.epreuves.
    SELECT n.session, n.candidat, n.unite_remplacee AS unite, n.epreuve,
           1000 + c.ordre AS ordre, 'épreuve de contrôle' AS intitule, 'controle' AS nature,
           n.note, n.statut, n.session_origine, n.unite_remplacee, n.source_id, n.feuille,
           n.ligne, n.colonne, n.bareme, TRUE AS trouvee
    FROM notes_du_reglement AS n
    JOIN reg_controle AS c ON c.epreuve = n.epreuve
)
SELECT
    l.session, l.candidat, l.unite, l.epreuve, l.ordre, l.intitule, l.nature, l.coefficient,
    l.note, l.statut, l.session_origine, l.unite_remplacee,
    -- The grade that counts: a justified absence is marked 0 (statuts.ABJ.effet = "zero").
    CASE WHEN s.effet = 'zero' THEN CAST(0 AS DECIMAL(4, 2)) ELSE l.note END AS note_comptee,
    (SELECT min(chemin) FROM sources AS f WHERE f.source_id = l.source_id) AS source,
    l.feuille, l.ligne, l.colonne, l.bareme,
    CASE
        WHEN l.nature = 'controle' THEN 'controle.epreuves'
        WHEN NOT l.trouvee AND l.nature = 'facultative' THEN 'unites[' || l.unite || '].points_au_dessus_de'
        WHEN NOT l.trouvee OR (l.statut IS NULL AND l.note IS NULL) THEN 'decisions.note_manquante'
        WHEN l.statut IS NOT NULL AND s.statut IS NULL THEN 'statuts'
        WHEN s.effet = 'decision' THEN 'statuts.' || l.statut || '.decision'
        WHEN s.effet IS NOT NULL THEN 'statuts.' || l.statut || '.effet'
        WHEN l.nature = 'facultative' THEN 'unites[' || l.unite || '].points_au_dessus_de'
        ELSE 'unites[' || l.unite || '].epreuves[' || l.epreuve || '].coefficient'
    END AS cle,
    CASE
        WHEN l.nature = 'controle' AND l.note IS NULL
        THEN 'épreuve de contrôle sans note (' || coalesce(l.statut, 'vide') || ') : ne remplace rien (controle.epreuves)'
        WHEN l.nature = 'controle'
        THEN 'épreuve de contrôle (controle.epreuves) : remplace la note de l''unité '
            || coalesce(l.unite_remplacee, '?') || ' si elle est supérieure, pour un candidat que le premier groupe envoie aux épreuves de contrôle (controle.unites_remplacables)'
        WHEN NOT l.trouvee AND l.nature = 'facultative'
        THEN 'épreuve facultative non passée (aucune ligne lue) : pas de bonus, rien ne manque (unites['
            || l.unite || '].points_au_dessus_de = ' || texte_court(l.points_au_dessus_de) || ')'
        WHEN NOT l.trouvee
        THEN 'aucune note ni code lu : note manquante, jamais un 0 (decisions.note_manquante = "'
            || (SELECT decision FROM reg_decisions WHERE note_manquante) || '")'
        WHEN l.statut IS NULL AND l.note IS NULL
        THEN 'ligne sans note ni code : note manquante, jamais un 0 (decisions.note_manquante = "'
            || (SELECT decision FROM reg_decisions WHERE note_manquante) || '")'
        WHEN l.statut IS NOT NULL AND s.statut IS NULL
        THEN 'code ' || l.statut || ' inconnu du règlement (statuts) : note manquante'
        WHEN s.effet = 'decision' AND l.nature = 'facultative'
        THEN s.libelle || ' (' || l.statut || ') sur une unité facultative : seul le bonus est perdu'
        WHEN s.effet = 'decision'
        THEN s.libelle || ' (' || l.statut || ') : impose la décision ' || s.decision
            || ' (statuts.' || l.statut || '.decision = "' || s.decision || '")'
        WHEN s.effet = 'zero'
        THEN s.libelle || ' (' || l.statut || ') : épreuve notée 0 et comptée'
            || CASE WHEN l.nature = 'facultative' THEN ', aucun point au-dessus de '
                    || texte_court(l.points_au_dessus_de)
                    ELSE ' avec le coefficient ' || texte_court(l.coefficient) END
            || ' (statuts.' || l.statut || '.effet = "zero" ; Code de l''éducation D643-24)'
        WHEN s.effet = 'dispense'
        THEN s.libelle || ' (' || l.statut || ') : l''unité sort de la moyenne, points et coefficients, quand toutes ses épreuves sont dispensées (statuts.'
            || l.statut || '.effet = "dispense")'
        WHEN s.effet = 'benefice' AND (l.note IS NULL OR l.session_origine IS NULL)
        THEN s.libelle || ' (' || l.statut || ') sans note ou sans session d''origine : note manquante (statuts.' || l.statut || '.effet = "benefice")'
        WHEN s.effet = 'benefice'
        THEN s.libelle || ' (' || l.statut || ') de la session ' || l.session_origine || ', comptée comme une note (statuts.'
            || l.statut || '.effet = "benefice") : ' || l.session || ' − ' || l.session_origine || ' = '
            || (l.session - l.session_origine) || ' session(s), '
            || CASE WHEN l.session - l.session_origine BETWEEN 1 AND r.benefice_validite_sessions
                    THEN 'dans les ' ELSE 'hors des ' END
            || r.benefice_validite_sessions || ' sessions de validité (benefice.validite_sessions = '
            || r.benefice_validite_sessions || ') ; l''unité se conserve entière, d''une même session, et sa note doit atteindre '
            || texte_court(r.benefice_note_minimale) || ' (benefice.note_minimale = ' || texte_court(r.benefice_note_minimale) || ')'
        WHEN l.nature = 'facultative'
        THEN 'épreuve facultative : seuls les points au-dessus de ' || texte_court(l.points_au_dessus_de)
            || ' comptent (unites[' || l.unite || '].points_au_dessus_de = ' || texte_court(l.points_au_dessus_de) || ')'
        ELSE 'note comptée avec le coefficient ' || texte_court(l.coefficient) || ' (unites[' || l.unite
            || '].epreuves[' || l.epreuve || '].coefficient = ' || texte_court(l.coefficient) || ')'
    END
    || CASE WHEN l.bareme IS NOT NULL
            THEN ' ; lue sur ' || l.bareme || ' et convertie exactement sur 20 (unites[' || l.unite
                || '].epreuves[' || l.epreuve || '].sur = ' || l.bareme || ')'
            ELSE '' END AS regle
FROM lues AS l
LEFT JOIN reg_statuts AS s ON s.statut = l.statut
CROSS JOIN reg_seuils AS r;

-- Every other value read for the same key as a stored grade or jury decision, from the rows
-- the merge keeps whole (doublons_notes, doublons_decisions_jury, joined by their key): a
-- confirmation (the same value, read again) or a conflict (another value, listed in rejets,
-- whose reason is shown), each with its own source.
CREATE OR REPLACE VIEW explication_autres_valeurs AS
WITH chemins AS (
    SELECT DISTINCT source_id, chemin FROM sources
),
autres AS (
    SELECT d.session, d.candidat, d.epreuve AS cle,
           coalesce(nullif(concat_ws(' ', n.statut, virgule(n.note), CAST(n.session_origine AS VARCHAR)), ''), 'vide') AS valeur_gardee,
           coalesce(nullif(concat_ws(' ', d.statut, virgule(d.note), CAST(d.session_origine AS VARCHAR)), ''), 'vide') AS valeur,
           (d.note IS DISTINCT FROM n.note OR d.statut IS DISTINCT FROM n.statut
            OR d.session_origine IS DISTINCT FROM n.session_origine) AS differe,
           d.source_id, d.feuille, d.ligne, d.colonne
    FROM doublons_notes AS d
    JOIN notes AS n ON n.session = d.session AND n.candidat = d.candidat AND n.epreuve = d.epreuve
    UNION ALL
    SELECT d.session, d.candidat, 'jury' AS cle,
           coalesce(nullif(concat_ws(' ', j.decision, virgule(j.points_jury)), ''), 'vide'),
           coalesce(nullif(concat_ws(' ', d.decision, virgule(d.points_jury)), ''), 'vide'),
           (d.decision IS DISTINCT FROM j.decision OR d.points_jury IS DISTINCT FROM j.points_jury),
           d.source_id, d.feuille, d.ligne_source, 'décision du jury'
    FROM doublons_decisions_jury AS d
    JOIN decisions_jury AS j ON j.session = d.session AND j.candidat = d.candidat
)
SELECT a.session, a.candidat, a.cle, a.valeur_gardee, a.valeur,
       CASE WHEN a.differe THEN 'conflit' ELSE 'confirmation' END AS etat,
       c.chemin AS source, a.feuille, a.ligne, a.colonne,
       CASE WHEN a.differe THEN coalesce(r.motif, 'valeur différente de celle enregistrée')
            ELSE 'même valeur que celle enregistrée : elle la confirme' END AS motif
FROM autres AS a
LEFT JOIN chemins AS c ON c.source_id = a.source_id
LEFT JOIN rejets AS r
       ON a.differe AND r.code = 'conflit' AND r.source_id = a.source_id
      AND r.feuille IS NOT DISTINCT FROM a.feuille AND r.ligne = a.ligne AND r.colonne = a.colonne;

-- Each unit of each candidate as notes_unites computed it, with its formula and rule.
CREATE OR REPLACE VIEW explication_unites AS
WITH formules AS (
    SELECT session, candidat, unite,
           string_agg(texte_court(coefficient) || ' × ' || coalesce(virgule(note_comptee), '?'), ' + ' ORDER BY ordre) AS termes
    FROM explication_epreuves
    WHERE nature <> 'controle'
    GROUP BY session, candidat, unite
)
SELECT
    u.session, u.candidat, u.unite, u.ordre, r.intitule, u.nature, u.coefficient,
    u.coefficient_epreuves, u.etat, u.points, u.note, u.note_controle, u.note_controle_appliquee,
    d.controle_applique,
    CASE WHEN u.etat = 'notee'
         THEN '(' || f.termes || ') / ' || texte_court(u.coefficient_epreuves) || ' = ' || texte_exact(u.points)
             || ' / ' || texte_court(u.coefficient_epreuves) || ' = ' || virgule(u.note) || ' (tronquée à 2 décimales)'
    END AS formule,
    CASE
        WHEN u.etat = 'dispense'
        THEN 'unité dispensée : hors de la moyenne, points et coefficients (statuts.DISP.effet = "dispense")'
        WHEN u.etat IN ('statut', 'manquante') AND u.nature = 'facultative'
        THEN 'unité facultative sans note : pas de bonus, rien ne manque'
        WHEN u.etat IN ('statut', 'manquante') THEN u.problemes
        WHEN u.nature = 'facultative'
        THEN 'unité facultative : ' || texte_exact(greatest(u.points - u.points_au_dessus_de * u.coefficient_epreuves, 0))
            || ' point(s) au-dessus de ' || texte_court(u.points_au_dessus_de) || ' ajouté(s) aux points (unites['
            || u.unite || '].points_au_dessus_de = ' || texte_court(u.points_au_dessus_de) || ')'
        ELSE 'coefficient ' || texte_court(u.coefficient) || ' (unites[' || u.unite || '].coefficient = '
            || texte_court(u.coefficient) || ') : ' || texte_exact(u.points) || ' points'
    END
    || CASE
        WHEN u.note_controle IS NULL OR u.etat <> 'notee' THEN ''
        WHEN NOT d.controle_applique
        THEN ' ; note d''épreuve de contrôle ' || virgule(u.note_controle)
            || ' non appliquée : le premier groupe n''a pas donné CONTROLE'
        WHEN u.points_controle > u.points
        THEN ' ; épreuve de contrôle ' || virgule(u.note_controle) || ' supérieure à ' || virgule(u.note)
            || ' : elle la remplace (' || virgule(u.note_controle_appliquee) || ')'
        ELSE ' ; épreuve de contrôle ' || virgule(u.note_controle) || ' non supérieure à ' || virgule(u.note)
            || ' : la note reste'
    END AS regle
FROM notes_unites AS u
JOIN reg_unites AS r ON r.unite = u.unite
JOIN decisions AS d ON d.session = u.session AND d.candidat = u.candidat
LEFT JOIN formules AS f ON f.session = u.session AND f.candidat = u.candidat AND f.unite = u.unite;

-- Each candidate's points, average and decisions as moyennes and decisions computed them, with
-- the exact average, the thresholds of the regulation and the rule that gave each decision.
CREATE OR REPLACE VIEW explication_decisions AS
WITH bloquantes AS (
    -- Every decision that prevents the computation (30_decisions.sql), in the order of
    -- decisions.priorite.
    SELECT session, candidat,
           string_agg(decision || ' (' || coalesce(problemes, unite) || ')', ' ; ' ORDER BY rang, ordre) AS bloquantes
    FROM unites_bloquantes
    GROUP BY session, candidat
),
chiffres AS (
    SELECT d.*, m.points_professionnels, m.coefficients_professionnels, m.points_controle,
           m.moyenne_controle, b.bloquantes, r.admis AS seuil_admis, r.controle AS seuil_controle,
           r.controle_moyenne_professionnelle AS seuil_professionnel, r.bloc_acquis AS seuil_bloc,
           (SELECT string_agg(decision, ', ' ORDER BY rang) FROM reg_decisions) AS priorite,
           CAST(d.points_premier_groupe * 10000 AS HUGEINT) * 10000 AS numerateur,
           CAST(d.coefficients * 100 AS HUGEINT) AS denominateur,
           CASE WHEN m.coefficients_professionnels > 0 THEN CAST(CAST(
               CAST(m.points_professionnels * 10000 AS BIGINT) // CAST(m.coefficients_professionnels * 100 AS BIGINT)
               AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(5, 2)) END AS moyenne_professionnelle
    FROM decisions AS d
    JOIN moyennes AS m ON m.session = d.session AND m.candidat = d.candidat
    CROSS JOIN reg_seuils AS r
    LEFT JOIN bloquantes AS b ON b.session = d.session AND b.candidat = d.candidat
)
SELECT
    c.session, c.candidat, c.complet, c.coefficients, c.bonus, c.points_premier_groupe,
    -- The exact quotient to 6 decimals (integer division) and whether it stops there.
    CASE WHEN c.denominateur > 0 AND c.points_premier_groupe IS NOT NULL
         THEN CAST(CAST(c.numerateur // c.denominateur AS DECIMAL(18, 0)) * 0.000001 AS DECIMAL(12, 6)) END AS moyenne_exacte,
    CASE WHEN c.denominateur > 0 AND c.points_premier_groupe IS NOT NULL
         THEN c.numerateur % c.denominateur = 0 END AS moyenne_exacte_finie,
    c.moyenne_premier_groupe, c.points_professionnels, c.coefficients_professionnels,
    c.moyenne_professionnelle, c.decision_premier_groupe, c.controle_applique, c.points_controle,
    c.moyenne_controle, c.points, c.moyenne, c.decision, c.bloquantes, c.manque,
    CASE
        WHEN c.bloquantes IS NOT NULL
        THEN c.decision || ' : s''appliquent ' || c.bloquantes || ' ; la première dans l''ordre ' || c.priorite
            || ' l''emporte (decisions.priorite)'
        WHEN c.coefficients = 0
        THEN c.decision || ' : toutes les unités obligatoires sont dispensées, il n''y a rien à moyenner (decisions.note_manquante)'
        WHEN c.decision_premier_groupe = 'ADMIS'
        THEN 'ADMIS : points ' || texte_exact(c.points_premier_groupe) || ' ≥ ' || texte_court(c.seuil_admis) || ' × '
            || texte_court(c.coefficients) || ' = ' || texte_court(c.seuil_admis * c.coefficients)
            || ', moyenne d''au moins ' || texte_court(c.seuil_admis) || ' (seuils.admis = ' || texte_court(c.seuil_admis) || ')'
        ELSE c.decision_premier_groupe || ' : points ' || texte_exact(c.points_premier_groupe) || ' < ' || texte_court(c.seuil_admis)
            || ' × ' || texte_court(c.coefficients) || ' = ' || texte_court(c.seuil_admis * c.coefficients)
            || ' (seuils.admis = ' || texte_court(c.seuil_admis) || ') ; points ' || texte_exact(c.points_premier_groupe)
            || CASE WHEN c.points_premier_groupe >= c.seuil_controle * c.coefficients THEN ' ≥ ' ELSE ' < ' END
            || texte_court(c.seuil_controle) || ' × ' || texte_court(c.coefficients) || ' = '
            || texte_court(c.seuil_controle * c.coefficients) || ' (seuils.controle = ' || texte_court(c.seuil_controle)
            || ') ; moyenne des unités professionnelles ' || texte_exact(c.points_professionnels) || ' / '
            || texte_court(c.coefficients_professionnels) || ' = ' || coalesce(virgule(c.moyenne_professionnelle), 'aucune')
            || CASE WHEN c.coefficients_professionnels > 0
                         AND c.points_professionnels >= c.seuil_professionnel * c.coefficients_professionnels
                    THEN ' ≥ ' ELSE ' < ' END
            || texte_court(c.seuil_professionnel) || ' (seuils.controle_moyenne_professionnelle = '
            || texte_court(c.seuil_professionnel) || ') : CONTROLE quand les deux atteignent leur seuil, sinon AJOURNE'
    END AS regle_premier_groupe,
    CASE
        WHEN c.decision_premier_groupe = 'CONTROLE' AND c.controle_applique
        THEN 'épreuves de contrôle appliquées : points ' || texte_exact(c.points_controle)
            || CASE WHEN c.decision = 'ADMIS' THEN ' ≥ ' ELSE ' < ' END || texte_court(c.seuil_admis * c.coefficients)
            || ', moyenne ' || virgule(c.moyenne_controle) || ' : ' || c.decision || ' (controle.epreuves, seuils.admis)'
        WHEN c.decision_premier_groupe = 'CONTROLE'
        THEN 'aucune note d''épreuve de contrôle lue : le candidat reste CONTROLE'
    END AS regle_controle,
    c.points_jury, c.moyenne_jury, j.decision AS decision_jury_saisie, c.motif_jury, c.decision_jury,
    (SELECT min(chemin) FROM sources AS f WHERE f.source_id = j.source_id) AS jury_source,
    j.feuille AS jury_feuille, j.ligne_source AS jury_ligne,
    CASE
        WHEN c.decision_jury IS NULL THEN NULL
        WHEN j.decision IS NOT NULL
        THEN 'le jury est souverain : sa décision ' || j.decision || ' remplace la décision calculée ' || c.decision
        WHEN c.bloquantes IS NULL AND c.points_jury IS NOT NULL AND c.points IS NOT NULL
        THEN 'points du jury : ' || texte_exact(c.points) || ' + ' || virgule(c.points_jury) || ' = '
            || texte_exact(c.points + c.points_jury)
            || CASE WHEN c.points + c.points_jury >= c.seuil_admis * c.coefficients
                    THEN ' ≥ ' || texte_court(c.seuil_admis * c.coefficients) || ' : ADMIS'
                    ELSE ' < ' || texte_court(c.seuil_admis * c.coefficients) || ' : la décision calculée ' || c.decision || ' reste' END
            || ' (seuils.admis)'
        ELSE 'ni décision ni points applicables du jury : la décision calculée ' || c.decision || ' reste'
    END AS regle_jury,
    c.decision_finale,
    CASE WHEN c.decision_finale = 'ADMIS'
         THEN 'un candidat admis a le diplôme : pas d''attestation de bloc'
         ELSE 'un candidat non admis garde chaque bloc dont la note d''unité atteint '
             || texte_court(c.seuil_bloc) || ' (seuils.bloc_acquis = ' || texte_court(c.seuil_bloc) || ')'
    END AS regle_blocs
FROM chiffres AS c
LEFT JOIN decisions_jury AS j ON j.session = c.session AND j.candidat = c.candidat;

-- Each candidate's livret year-2 averages as the jury saw them (jury/a_examiner.csv: the mean of
-- both semesters rounded to hundredths, or the year's annual average), with the class council's
-- opinion.
CREATE OR REPLACE VIEW explication_livret AS
SELECT l.session, l.candidat, l.ligne, l.intitule,
       CAST(round(l.moyenne, 2) AS DECIMAL(4, 2)) AS moyenne, l.manque,
       a.avis, CASE WHEN a.pix THEN 'oui' WHEN NOT a.pix THEN 'non' END AS pix
FROM livret_moyennes AS l
LEFT JOIN avis AS a ON a.session = l.session AND a.candidat = l.candidat
WHERE l.annee = 2;
