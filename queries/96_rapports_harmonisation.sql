-- 96_rapports_harmonisation.sql: the report views of the harmonisation tables, one per report
-- file of harmonisation/. Run by the harmonisation job (src/report/harmonisation.rs) once it has
-- stored its tables; the job reads each view with its filters bound as parameters and its order.
-- In rapport_grilles, the placeholder `sujet` (in braces) is replaced first by the subject
-- expression over the notes alias `n` (the exams whose subject is set per half-day come from the
-- regulation, src/harmonize/data.rs `sujet_sql`) and `sans_sujet` by the label of the grids
-- whose candidate has no subject.

-- examinateurs.csv and etablissements_ccf.csv: per session, exam and examiner (unite
-- 'examinateurs') or school for its CCF grades (unite 'etablissements_ccf', the school's UAI in
-- examinateur): raw and adjusted gaps with their intervals, flags and the exam's slope. Marks to
-- two decimals.
CREATE OR REPLACE VIEW rapport_harmonisation_unites AS
WITH x AS (
    SELECT 'examinateurs' AS unite, * FROM harmonisation_examinateurs
    UNION ALL BY NAME
    SELECT 'etablissements_ccf' AS unite, * FROM harmonisation_etablissements_ccf
),
e AS (
    SELECT 'examinateurs' AS unite, * FROM harmonisation_examinateurs_epreuves
    UNION ALL BY NAME
    SELECT 'etablissements_ccf' AS unite, * FROM harmonisation_etablissements_ccf_epreuves
)
SELECT x.unite, x.session, x.epreuve, x.examinateur, x.n,
       CAST(round(x.moyenne, 2) AS DECIMAL(6, 2)) AS moyenne,
       CAST(round(x.ecart_type, 2) AS DECIMAL(6, 2)) AS ecart_type,
       CAST(round(x.ecart_brut, 2) AS DECIMAL(6, 2)) AS ecart_brut,
       x.n_modele,
       CAST(round(x.ecart_ajuste, 2) AS DECIMAL(6, 2)) AS ecart_ajuste,
       CAST(round(x.erreur_type, 2) AS DECIMAL(6, 2)) AS erreur_type,
       CAST(round(x.ic95_bas, 2) AS DECIMAL(6, 2)) AS ic95_bas,
       CAST(round(x.ic95_haut, 2) AS DECIMAL(6, 2)) AS ic95_haut,
       CASE WHEN x.signal THEN 'OUI' ELSE 'non' END AS signal,
       x.motif,
       CAST(round(x.ecart_mixte, 2) AS DECIMAL(6, 2)) AS ecart_mixte,
       CAST(round(x.ic95_bas_mixte, 2) AS DECIMAL(6, 2)) AS ic95_bas_mixte,
       CAST(round(x.ic95_haut_mixte, 2) AS DECIMAL(6, 2)) AS ic95_haut_mixte,
       CASE WHEN x.signal_mixte THEN 'OUI' ELSE 'non' END AS signal_mixte,
       CAST(round(e.pente_ancova, 2) AS DECIMAL(6, 2)) AS pente_ancova_epreuve,
       CAST(round(e.signaux_attendus_hasard, 2) AS DECIMAL(6, 2)) AS signaux_attendus_hasard_epreuve
FROM x
JOIN e USING (unite, session, epreuve);

-- epreuves.csv: per session and exam, the ANCOVA slope, the flags and those expected by chance,
-- the mixed model's variances and disagreements.
CREATE OR REPLACE VIEW rapport_harmonisation_epreuves AS
SELECT session, epreuve, CAST(round(pente_ancova, 2) AS DECIMAL(6, 2)) AS pente_ancova,
       CAST(round(pente_erreur_type, 3) AS DECIMAL(6, 3)) AS pente_erreur_type, signaux,
       CAST(round(signaux_attendus_hasard, 2) AS DECIMAL(6, 2)) AS signaux_attendus_hasard,
       CAST(round(variance_candidat_mixte, 2) AS DECIMAL(6, 2)) AS variance_candidat_mixte,
       CAST(round(variance_residuelle_mixte, 2) AS DECIMAL(6, 2)) AS variance_residuelle_mixte,
       desaccords_mixte
FROM harmonisation_examinateurs_epreuves;

-- impact.csv: the candidates whose average or decision a correction of the flagged examiners,
-- or of the flagged schools' CCF grades, would change, with the corrections applied to them.
CREATE OR REPLACE VIEW rapport_harmonisation_impact AS
SELECT i.session, i.candidat, c.nom, c.prenom, c.uai,
       CAST(round(i.moyenne_avant, 2) AS DECIMAL(6, 2)) AS moyenne_avant,
       CAST(round(i.moyenne_apres, 2) AS DECIMAL(6, 2)) AS moyenne_apres,
       i.decision_avant, i.decision_apres, i.correction_par,
       CASE WHEN i.correction_par = 'examinateur' THEN
       (SELECT string_agg(k.epreuve || ' ' || k.examinateur || ' ' || CAST(k.correction AS VARCHAR), ', '
                          ORDER BY k.epreuve)
        FROM notes AS n
        JOIN harmonisation_corrections AS k
          ON k.session = n.session AND k.epreuve = n.epreuve AND k.examinateur = n.examinateur
        WHERE n.session = i.session AND n.candidat = i.candidat)
       ELSE
       (SELECT string_agg(k.epreuve || ' ' || k.uai || ' ' || CAST(k.correction AS VARCHAR), ', '
                          ORDER BY k.epreuve)
        FROM harmonisation_perimetre_ccf AS p
        JOIN harmonisation_corrections_ccf AS k
          ON k.session = p.session AND k.epreuve = p.epreuve AND k.uai = p.uai
        WHERE p.session = i.session AND p.candidat = i.candidat AND p.forme = 'CCF')
       END AS corrections
FROM harmonisation_impact AS i
LEFT JOIN candidats AS c ON c.session = i.session AND c.candidat = i.candidat;

-- correcteurs_e5a.csv: the agreement of the E5A corrector pairs, each session's pool and the pool
-- of every session (session NULL): marks and differences to two decimals, indices to three.
CREATE OR REPLACE VIEW rapport_correcteurs_e5a AS
SELECT session, paire, correcteur_a, correcteur_b, n,
       CAST(round(moyenne_a, 2) AS DECIMAL(6, 2)) AS moyenne_a,
       CAST(round(moyenne_b, 2) AS DECIMAL(6, 2)) AS moyenne_b,
       CAST(round(difference_moyenne, 2) AS DECIMAL(6, 2)) AS difference_moyenne,
       CAST(round(ecart_type_difference, 2) AS DECIMAL(6, 2)) AS ecart_type_difference,
       CAST(round(limite_basse, 2) AS DECIMAL(6, 2)) AS limite_basse,
       CAST(round(limite_haute, 2) AS DECIMAL(6, 2)) AS limite_haute,
       CAST(round(icc_a1, 3) AS DECIMAL(6, 3)) AS icc_a1,
       CAST(round(kappa_quadratique, 3) AS DECIMAL(6, 3)) AS kappa_quadratique
FROM harmonisation_correcteurs;

-- grilles.csv: per session, exam, subject, examiner and question of the E5B grids, the mean level
-- and the share of each level 1-4, the same over the other examiners of the same subject, and
-- the difference of the mean levels (src/harmonize/grilles.rs says why within one subject).
CREATE OR REPLACE VIEW rapport_grilles AS
WITH g0 AS (
    SELECT session, candidat, epreuve, coalesce(examinateur, '') AS examinateur, question, niveau
    FROM grilles
),
g AS (
    SELECT g0.session, g0.epreuve, coalesce({sujet}, '{sans_sujet}') AS sujet, g0.examinateur,
           g0.question, g0.niveau
    FROM g0
    -- Candidates of another diploma (queries/05_perimetre.sql) are left out; a grid whose
    -- candidate has no other row is kept.
    LEFT JOIN perimetre AS p ON p.session = g0.session AND p.candidat = g0.candidat
    LEFT JOIN notes AS n
           ON n.session = g0.session AND n.candidat = g0.candidat AND n.epreuve = g0.epreuve
    WHERE coalesce(p.dans_reglement, TRUE)
),
par_examinateur AS (
    SELECT session, epreuve, sujet, examinateur, question, count(*) AS n, sum(niveau) AS somme,
           count(*) FILTER (WHERE niveau = 1) AS n1, count(*) FILTER (WHERE niveau = 2) AS n2,
           count(*) FILTER (WHERE niveau = 3) AS n3, count(*) FILTER (WHERE niveau = 4) AS n4
    FROM g
    GROUP BY session, epreuve, sujet, examinateur, question
),
total AS (
    SELECT session, epreuve, sujet, question, sum(n) AS n, sum(somme) AS somme, sum(n1) AS n1,
           sum(n2) AS n2, sum(n3) AS n3, sum(n4) AS n4
    FROM par_examinateur
    GROUP BY session, epreuve, sujet, question
),
comparaison AS (
    SELECT e.session, e.epreuve, e.sujet, e.examinateur, e.question, e.n,
           e.somme / e.n AS moyenne, e.n1 / e.n AS p1, e.n2 / e.n AS p2, e.n3 / e.n AS p3,
           e.n4 / e.n AS p4,
           t.n - e.n AS n_autres,
           (t.somme - e.somme) / nullif(t.n - e.n, 0) AS moyenne_autres,
           (t.n1 - e.n1) / nullif(t.n - e.n, 0) AS p1_autres,
           (t.n2 - e.n2) / nullif(t.n - e.n, 0) AS p2_autres,
           (t.n3 - e.n3) / nullif(t.n - e.n, 0) AS p3_autres,
           (t.n4 - e.n4) / nullif(t.n - e.n, 0) AS p4_autres
    FROM par_examinateur AS e
    JOIN total AS t USING (session, epreuve, sujet, question)
)
SELECT session, epreuve, sujet, examinateur, question, n,
       CAST(round(moyenne, 2) AS DECIMAL(4, 2)) AS niveau_moyen,
       CAST(round(100 * p1, 1) AS DECIMAL(4, 1)) AS pct_niveau_1,
       CAST(round(100 * p2, 1) AS DECIMAL(4, 1)) AS pct_niveau_2,
       CAST(round(100 * p3, 1) AS DECIMAL(4, 1)) AS pct_niveau_3,
       CAST(round(100 * p4, 1) AS DECIMAL(4, 1)) AS pct_niveau_4,
       n_autres,
       CAST(round(moyenne_autres, 2) AS DECIMAL(4, 2)) AS niveau_moyen_autres,
       CAST(round(100 * p1_autres, 1) AS DECIMAL(4, 1)) AS pct_niveau_1_autres,
       CAST(round(100 * p2_autres, 1) AS DECIMAL(4, 1)) AS pct_niveau_2_autres,
       CAST(round(100 * p3_autres, 1) AS DECIMAL(4, 1)) AS pct_niveau_3_autres,
       CAST(round(100 * p4_autres, 1) AS DECIMAL(4, 1)) AS pct_niveau_4_autres,
       CAST(round(moyenne - moyenne_autres, 2) AS DECIMAL(4, 2)) AS ecart_niveau
FROM comparaison;

-- The front page (index.html): per session and kind of correction, the candidates whose decision
-- a correction would change, and those whose average it would change.
CREATE OR REPLACE VIEW rapport_accueil_impact AS
SELECT session, correction_par,
       count(DISTINCT candidat) FILTER (WHERE decision_avant IS DISTINCT FROM decision_apres)
           AS decisions_changees,
       count(DISTINCT candidat) AS moyennes_changees
FROM harmonisation_impact
GROUP BY ALL;
