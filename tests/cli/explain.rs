//! Issue 14: `explain` tells the whole computation of a candidate's result, from each grade's
//! file and row to the decision, from the same tables as resultats.csv.
//!
//! Hand-made exports of session 2024 (written below), one candidate per rule. Coefficients
//! (data/regulation/ndrc.toml): U1 3, U2 3, U3 3, U4 5, U5 = E5A 2 + E5B 2, U6 3: 21 in all,
//! professional units U4-U6 12.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{read_report, repo, Workdir};

/// The long grades export: one row per candidate and exam (an exam not listed has no row).
/// Row numbers: the header is line 1, so a candidate's rows follow in this order.
const NOTES: &str = "\
Numéro du candidat;Nom;Prénom;Épreuve;Note /20;Situation;Session d'obtention du bénéfice
0240000001;MARTIN;Léa;E1;;ABS;
0240000001;MARTIN;Léa;E2;12;;
0240000001;MARTIN;Léa;E3;12;;
0240000001;MARTIN;Léa;E4;12;;
0240000001;MARTIN;Léa;E5A;12;;
0240000001;MARTIN;Léa;E5B;12;;
0240000001;MARTIN;Léa;E6;12;;
0240000002;DURAND;Hugo;E1;12;;
0240000002;DURAND;Hugo;E2;;ABJ;
0240000002;DURAND;Hugo;E3;12;;
0240000002;DURAND;Hugo;E4;12;;
0240000002;DURAND;Hugo;E5A;12;;
0240000002;DURAND;Hugo;E5B;12;;
0240000002;DURAND;Hugo;E6;12;;
0240000003;PETIT;Zoé;E1;12;;
0240000003;PETIT;Zoé;E2;12;;
0240000003;PETIT;Zoé;E3;;RES;
0240000003;PETIT;Zoé;E4;12;;
0240000003;PETIT;Zoé;E5A;12;;
0240000003;PETIT;Zoé;E5B;12;;
0240000003;PETIT;Zoé;E6;12;;
0240000004;LEROY;Noé;E1;12;;
0240000004;LEROY;Noé;E2;12;;
0240000004;LEROY;Noé;E3;12;;
0240000004;LEROY;Noé;E4;;NV;
0240000004;LEROY;Noé;E5A;12;;
0240000004;LEROY;Noé;E5B;12;;
0240000005;MOREAU;Inès;E1;;DISP;
0240000005;MOREAU;Inès;E2;12;;
0240000005;MOREAU;Inès;E3;12;;
0240000005;MOREAU;Inès;E4;12;;
0240000005;MOREAU;Inès;E5A;12;;
0240000005;MOREAU;Inès;E5B;12;;
0240000005;MOREAU;Inès;E6;12;;
0240000006;SIMON;Paul;E1;10;;
0240000006;SIMON;Paul;E2;10;;
0240000006;SIMON;Paul;E3;10;;
0240000006;SIMON;Paul;E4;13;BEN;2021
0240000006;SIMON;Paul;E5A;10;;
0240000006;SIMON;Paul;E5B;10;;
0240000006;SIMON;Paul;E6;10;;
0240000007;LAURENT;Jade;E1;10;;
0240000007;LAURENT;Jade;E2;10;;
0240000007;LAURENT;Jade;E3;10;;
0240000007;LAURENT;Jade;E4;14;BEN;2018
0240000007;LAURENT;Jade;E5A;10;;
0240000007;LAURENT;Jade;E5B;10;;
0240000007;LAURENT;Jade;E6;10;;
0240000008;MICHEL;Tom;E1;12;;
0240000008;MICHEL;Tom;E2;12;;
0240000008;MICHEL;Tom;E3;;;
0240000008;MICHEL;Tom;E4;12;;
0240000008;MICHEL;Tom;E5A;12;;
0240000008;MICHEL;Tom;E5B;12;;
0240000008;MICHEL;Tom;E6;12;;
0240000009;GARCIA;Lina;E1;12;;
0240000009;GARCIA;Lina;E2;12;;
0240000009;GARCIA;Lina;E3;12;;
0240000009;GARCIA;Lina;E4;12;;
0240000009;GARCIA;Lina;E5A;12;;
0240000009;GARCIA;Lina;E5B;12;;
0240000009;GARCIA;Lina;E6;12;;
0240000010;ROUX;Théo;E1;7;;
0240000010;ROUX;Théo;E2;7;;
0240000010;ROUX;Théo;E3;7;;
0240000010;ROUX;Théo;E4;12;;
0240000010;ROUX;Théo;E5A;11;;
0240000010;ROUX;Théo;E5B;11;;
0240000010;ROUX;Théo;E6;10;;
0240000011;FOURNIER;Emma;E1;11;;
0240000011;FOURNIER;Emma;E2;11;;
0240000011;FOURNIER;Emma;E3;11;;
0240000011;FOURNIER;Emma;E4;9;;
0240000011;FOURNIER;Emma;E5A;9;;
0240000011;FOURNIER;Emma;E5B;9;;
0240000011;FOURNIER;Emma;E6;9,3;;
0240000012;GIRARD;Louis;E1;8;;
0240000012;GIRARD;Louis;E2;8;;
0240000012;GIRARD;Louis;E3;8;;
0240000012;GIRARD;Louis;E4;8;;
0240000012;GIRARD;Louis;E5A;8;;
0240000012;GIRARD;Louis;E5B;8;;
0240000012;GIRARD;Louis;E6;8;;
0240000013;O'<b>BRIEN;Chloé;E1;9,8;;
0240000013;O'<b>BRIEN;Chloé;E2;9,8;;
0240000013;O'<b>BRIEN;Chloé;E3;9,8;;
0240000013;O'<b>BRIEN;Chloé;E4;9,8;;
0240000013;O'<b>BRIEN;Chloé;E5A;9,8;;
0240000013;O'<b>BRIEN;Chloé;E5B;9,8;;
0240000013;O'<b>BRIEN;Chloé;E6;9,8;;
0240000013;O'<b>BRIEN;Chloé;EF1;16;;
";

/// A second export giving 0240000009 another E2 (14, not 12): a conflict, the first kept.
const ORAUX: &str = "Session;N° candidat;Nom;Prénom;Epreuve;Note\n\
                     2024;0240000009;GARCIA;Lina;E2;14\n2024;0240000009;GARCIA;Lina;E3;12\n";

/// 0240000010's control exam: C1 = 12 for U1.
const CONTROLES: &str =
    "Session;N° candidat;Nom;Prénom;Epreuve;Unité remplacée;Note\n2024;0240000010;ROUX;Théo;C1;U1;12\n";

/// The jury: 2.10 points to 0240000011, ADMIS to 0240000012.
const JURY: &str = "Session;N° candidat;Points jury;Décision;Motif\n\
2024;0240000011;2,1;;assiduité\n2024;0240000012;;ADMIS;décision souveraine\n";

/// A work dir with the hand-made exports written and loaded.
fn loaded() -> Workdir {
    let w = Workdir::new();
    let dir = w.path().join("exports");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [
        ("notes_2024.csv", NOTES),
        ("oraux_2024.csv", ORAUX),
        ("controles_2024.csv", CONTROLES),
        ("decisions_jury_2024.csv", JURY),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    // Relative paths (the binary runs in the work dir): the sources read `exports/…`. The
    // grades first, so that the second file's E2 is the conflicting one.
    let db = w.db();
    let db = db.to_str().unwrap();
    w.run_ok(&["ingest", "--db", db, "exports/notes_2024.csv"], 0);
    w.run_ok(
        &[
            "ingest",
            "--db",
            db,
            "exports/oraux_2024.csv",
            "exports/controles_2024.csv",
            "exports/decisions_jury_2024.csv",
        ],
        0,
    );
    w
}

/// `explain` of `args` on the work dir's database; asserts `code`; stdout and stderr.
fn explain(w: &Workdir, args: &[&str], code: i32) -> (String, String) {
    let db = w.db();
    let mut all = vec!["explain", "--db", db.to_str().unwrap()];
    all.extend(args);
    let out = w.run_ok(&all, code);
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The text explanation of one candidate of 2024.
fn text_of(w: &Workdir, candidat: &str) -> String {
    explain(w, &["--session", "2024", "--candidat", candidat], 0).0
}

/// Asserts that every line of `wanted` is a line of `text` (trimmed).
fn assert_lines(text: &str, wanted: &[&str]) {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for w in wanted {
        assert!(lines.contains(w), "missing line « {w} » in\n{text}");
    }
}

#[test]
fn every_sample_candidate_is_explained_with_the_average_and_decisions_of_resultats() {
    let w = Workdir::new();
    w.ingest(&[&repo().join("data").join("samples")], 0);
    w.results_csv();
    let csv = read_report(&w.out().join("resultats.csv"));
    let h = &csv[0];
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let mut expected: BTreeMap<(String, String), [String; 3]> = BTreeMap::new();
    for r in &csv[1..] {
        expected.insert(
            (r[col("session")].clone(), r[col("candidat")].clone()),
            [
                r[col("moyenne")].replace(',', "."),
                r[col("decision")].clone(),
                r[col("decision_finale")].clone(),
            ],
        );
    }
    assert_eq!(expected.len(), 1800);
    let mut explained: BTreeMap<(String, String), [String; 3]> = BTreeMap::new();
    for session in ["2022", "2023", "2024"] {
        let (json, _) = explain(&w, &["--session", session, "--tous", "--format", "json"], 0);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["format"], "ndrc-stats/explication");
        assert_eq!(doc["version"], 1);
        for e in doc["explications"].as_array().unwrap() {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
            explained.insert(
                (e["session"].to_string(), text(&e["candidat"])),
                [
                    text(&e["calcul"]["moyenne"]),
                    text(&e["decision"]["calculee"]),
                    text(&e["decision"]["finale"]),
                ],
            );
        }
    }
    // Every candidate of resultats.csv, with the same average, decision and final decision.
    let differ: Vec<_> = expected
        .iter()
        .filter(|(k, v)| explained.get(*k) != Some(v))
        .take(5)
        .collect();
    assert!(differ.is_empty(), "{differ:?}");
    assert_eq!(explained.len(), expected.len());
    // The samples hold every kind of decision the explanation must carry.
    let computed: std::collections::BTreeSet<&str> =
        explained.values().map(|v| v[1].as_str()).collect();
    for d in ["ABSENT", "ADMIS", "AJOURNE", "INCOMPLET", "NV"] {
        assert!(computed.contains(d), "{d} in {computed:?}");
    }
}

#[test]
fn each_status_is_explained_with_its_rule_and_the_decision_it_gives() {
    let w = loaded();
    // ABS on E1: ABSENT, no average.
    assert_lines(
        &text_of(&w, "0240000001"),
        &[
            "E1 Culture générale et expression (U1, coefficient 3) : ABS",
            "règle : absence non justifiée (ABS) : impose la décision ABSENT (statuts.ABS.decision = \"ABSENT\")",
            "pas de moyenne : une unité obligatoire n'a ni note ni dispense (voir la décision)",
            "décision finale : ABSENT",
        ],
    );
    // ABJ on E2 is marked 0 and counts: 18 x 12 = 216 / 21 = 10.285714... shown 10.28: ADMIS.
    assert_lines(
        &text_of(&w, "0240000002"),
        &[
            "source : exports/notes_2024.csv, ligne 10, colonne « Note /20 »",
            "règle : absence justifiée (ABJ) : épreuve notée 0 et comptée avec le coefficient 3 (statuts.ABJ.effet = \"zero\" ; Code de l'éducation D643-24)",
            "calcul : (3 × 0,00) / 3 = 0,00 / 3 = 0,00 (tronquée à 2 décimales)",
            "moyenne exacte : 216,00 / 21 = 10,285714…",
            "moyenne affichée, tronquée à 2 décimales (jamais arrondie) : 10,28",
            "règle : ADMIS : points 216,00 ≥ 10 × 21 = 210, moyenne d'au moins 10 (seuils.admis = 10)",
            "décision finale : ADMIS",
        ],
    );
    // RES on E3: EN_ATTENTE.
    assert_lines(
        &text_of(&w, "0240000003"),
        &[
            "règle : note réservée (RES) : impose la décision EN_ATTENTE (statuts.RES.decision = \"EN_ATTENTE\")",
            "décision finale : EN_ATTENTE",
        ],
    );
    // NV on E4 and no E6 row: NV and INCOMPLET apply, NV comes first.
    assert_lines(
        &text_of(&w, "0240000004"),
        &[
            "E6 Relation client et animation de réseaux (U6, coefficient 3) : aucune note",
            "source : aucune ligne lue pour cette épreuve",
            "règle : aucune note ni code lu : note manquante, jamais un 0 (decisions.note_manquante = \"INCOMPLET\")",
            "règle : NV : s'appliquent NV (E4 : dossier non valide (NV)) ; INCOMPLET (E6 : note manquante) ; la première dans l'ordre ABSENT, NV, INCOMPLET, EN_ATTENTE l'emporte (decisions.priorite)",
            "décision finale : NV",
        ],
    );
    // DISP on E1: U1 leaves the average: 18 x 12 = 216 / 18 = 12 exactly.
    assert_lines(
        &text_of(&w, "0240000005"),
        &[
            "règle : unité dispensée : hors de la moyenne, points et coefficients (statuts.DISP.effet = \"dispense\")",
            "points : 216,00 (dont 0,00 point(s) de bonus des unités facultatives) ; coefficients des unités obligatoires non dispensées : 18",
            "moyenne exacte : 216,00 / 18 = 12,000000",
            "moyenne affichée, tronquée à 2 décimales (jamais arrondie) : 12,00",
        ],
    );
    // A row without grade nor code (E3) is rejected on reading: no grade, INCOMPLET, never 0.
    assert_lines(
        &text_of(&w, "0240000008"),
        &[
            "E3 Culture économique, juridique et managériale (U3, coefficient 3) : aucune note",
            "règle : INCOMPLET : s'appliquent INCOMPLET (E3 : note manquante) ; la première dans l'ordre ABSENT, NV, INCOMPLET, EN_ATTENTE l'emporte (decisions.priorite)",
            "décision finale : INCOMPLET",
        ],
    );
    // EF1 16: 6 points above 10. 21 x 9.8 = 205.80 + 6 = 211.80 / 21 = 10.085714 shown 10.08.
    assert_lines(
        &text_of(&w, "0240000013"),
        &[
            "règle : unité facultative : 6,00 point(s) au-dessus de 10 ajouté(s) aux points (unites[UF1].points_au_dessus_de = 10)",
            "points : 211,80 (dont 6,00 point(s) de bonus des unités facultatives) ; coefficients des unités obligatoires non dispensées : 21",
            "moyenne exacte : 211,80 / 21 = 10,085714…",
            "décision finale : ADMIS",
        ],
    );
}

#[test]
fn a_kept_grade_is_checked_for_validity_valid_and_expired() {
    let w = loaded();
    // E4 kept from 2021: 3 sessions, valid. 16 x 10 + 5 x 13 = 225 / 21 = 10.714285 -> 10.71.
    assert_lines(
        &text_of(&w, "0240000006"),
        &[
            "E4 Relation client et négociation-vente (U4, coefficient 5) : BEN 13,00 (session d'origine 2021)",
            "règle : note conservée (bénéfice) (BEN) de la session 2021, comptée comme une note (statuts.BEN.effet = \"benefice\") : 2024 − 2021 = 3 session(s), dans les 5 sessions de validité (benefice.validite_sessions = 5) ; l'unité se conserve entière, d'une même session, et sa note doit atteindre 10 (benefice.note_minimale = 10)",
            "moyenne exacte : 225,00 / 21 = 10,714285…",
            "moyenne affichée, tronquée à 2 décimales (jamais arrondie) : 10,71",
            "décision finale : ADMIS",
        ],
    );
    // E4 kept from 2018: 6 sessions, expired: INCOMPLET.
    assert_lines(
        &text_of(&w, "0240000007"),
        &[
            "règle : note conservée (bénéfice) (BEN) de la session 2018, comptée comme une note (statuts.BEN.effet = \"benefice\") : 2024 − 2018 = 6 session(s), hors des 5 sessions de validité (benefice.validite_sessions = 5) ; l'unité se conserve entière, d'une même session, et sa note doit atteindre 10 (benefice.note_minimale = 10)",
            "règle : U4 : note conservée de la session 2018, hors des 5 sessions de validité",
            "décision finale : INCOMPLET",
        ],
    );
}

#[test]
fn a_conflict_and_a_confirmation_between_two_files_are_shown_with_their_sources() {
    let w = loaded();
    // E2 = 12 (notes_2024.csv, line 58) kept; 14 of oraux_2024.csv line 2 in conflict, and its
    // line 3 confirms E3.
    // 21 x 12 = 252 / 21 = 12.00.
    assert_lines(
        &text_of(&w, "0240000009"),
        &[
            "E2 Communication en langue vivante étrangère 1 (U2, coefficient 3) : 12,00",
            "source : exports/notes_2024.csv, ligne 58, colonne « Note /20 »",
            "autre valeur lue, en conflit : 14,00 (exports/oraux_2024.csv, ligne 2, colonne « Note ») : valeur différente de celle déjà enregistrée (exports/notes_2024.csv, ligne 58 : 12,00) : la première valeur est gardée",
            // The same E3 read again in the second file: a confirmation, with its source.
            "autre valeur lue, qui la confirme : 12,00 (exports/oraux_2024.csv, ligne 3, colonne « Note ») : même valeur que celle enregistrée : elle la confirme",
            "moyenne affichée, tronquée à 2 décimales (jamais arrondie) : 12,00",
        ],
    );
}

#[test]
fn a_control_exam_is_explained_in_text_and_json() {
    let w = loaded();
    // 3 x 3 x 7 + 5 x 12 + 4 x 11 + 3 x 10 = 63 + 60 + 44 + 30 = 197 / 21 = 9.380952 -> 9.38,
    // professional 134 / 12 = 11.1666 -> 11.16: CONTROLE; C1 = 12 replaces U1 = 7:
    // 197 - 21 + 36 = 212 >= 210 -> 10.095 -> 10.09 ADMIS.
    assert_lines(
        &text_of(&w, "0240000010"),
        &[
            "U1 Culture générale et expression : 7,00 (après épreuve de contrôle : 12,00)",
            "calcul : (2 × 11,00 + 2 × 11,00) / 4 = 44,00 / 4 = 11,00 (tronquée à 2 décimales)",
            "moyenne exacte : 197,00 / 21 = 9,380952…",
            "unités professionnelles : 134,00 / 12 = 11,16",
            "décision du premier groupe : CONTROLE",
            "règle : CONTROLE : points 197,00 < 10 × 21 = 210 (seuils.admis = 10) ; points 197,00 ≥ 8 × 21 = 168 (seuils.controle = 8) ; moyenne des unités professionnelles 134,00 / 12 = 11,16 ≥ 10 (seuils.controle_moyenne_professionnelle = 10) : CONTROLE quand les deux atteignent leur seuil, sinon AJOURNE",
            "C1 : 12,00 pour l'unité U1 (note du premier groupe 7,00) ; source : exports/controles_2024.csv, ligne 2, colonne « Note »",
            "règle : épreuves de contrôle appliquées : points 212,00 ≥ 210, moyenne 10,09 : ADMIS (controle.epreuves, seuils.admis)",
            "décision calculée : ADMIS ; moyenne retenue : 10,09",
        ],
    );
    let (json, _) = explain(
        &w,
        &[
            "--session",
            "2024",
            "--candidat",
            "0240000010",
            "--format",
            "json",
        ],
        0,
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let e = &doc["explications"][0];
    assert_eq!(e["candidat"], "0240000010");
    assert_eq!(e["calcul"]["points_premier_groupe"], "197.00");
    assert_eq!(e["calcul"]["moyenne_exacte"], "9.380952");
    assert_eq!(e["calcul"]["moyenne_exacte_finie"], false);
    assert_eq!(e["calcul"]["moyenne_premier_groupe"], "9.38");
    assert_eq!(e["calcul"]["points"], "212.00");
    assert_eq!(e["calcul"]["moyenne"], "10.09");
    assert_eq!(e["decision"]["premier_groupe"], "CONTROLE");
    assert_eq!(e["decision"]["finale"], "ADMIS");
    let c1 = &e["epreuves_controle"][0];
    assert_eq!(c1["epreuve"], "C1");
    assert_eq!(c1["unite"], "U1");
    assert_eq!(c1["source"]["fichier"], "exports/controles_2024.csv");
    assert_eq!(c1["source"]["ligne"], 2);
    let u1 = &e["unites"][0];
    assert_eq!(u1["note"], "7.00");
    assert_eq!(u1["note_apres_controle"], "12.00");
    assert_eq!(
        e["epreuves"][0]["cle"],
        "unites[U1].epreuves[E1].coefficient"
    );
    assert_eq!(e["epreuves"][0]["source"]["ligne"], 64);
}

#[test]
fn the_jury_points_and_decision_are_explained_with_their_source_row() {
    let w = loaded();
    // 99 + 45 + 36 + 27.9 = 207.90 -> 9.90, professional 108.9 / 12 = 9.07 < 10: AJOURNE;
    // jury + 2.10 -> 210.00 >= 210: ADMIS.
    assert_lines(
        &text_of(&w, "0240000011"),
        &[
            "décision calculée : AJOURNE ; moyenne retenue : 9,90",
            "jury : 2,10 point(s) (motif : assiduité) ; décision du jury : ADMIS",
            "source : exports/decisions_jury_2024.csv, ligne 2",
            "règle : points du jury : 207,90 + 2,10 = 210,00 ≥ 210 : ADMIS (seuils.admis)",
            "décision finale : ADMIS",
        ],
    );
    // 21 x 8 = 168 -> 8.00, professional 8 < 10: AJOURNE, blocks none; the jury decides ADMIS.
    assert_lines(
        &text_of(&w, "0240000012"),
        &[
            "règle : AJOURNE : points 168,00 < 10 × 21 = 210 (seuils.admis = 10) ; points 168,00 ≥ 8 × 21 = 168 (seuils.controle = 8) ; moyenne des unités professionnelles 96,00 / 12 = 8,00 < 10 (seuils.controle_moyenne_professionnelle = 10) : CONTROLE quand les deux atteignent leur seuil, sinon AJOURNE",
            "jury : décision ADMIS (motif : décision souveraine) ; décision du jury : ADMIS",
            "source : exports/decisions_jury_2024.csv, ligne 3",
            "règle : le jury est souverain : sa décision ADMIS remplace la décision calculée AJOURNE",
            "décision finale : ADMIS",
        ],
    );
}

#[test]
fn an_unknown_candidate_is_refused_with_a_french_message_and_exit_1() {
    let w = loaded();
    let (out, err) = explain(&w, &["--session", "2024", "--candidat", "0249999999"], 1);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("candidat 0249999999 introuvable dans les résultats de la session 2024"),
        "{err}"
    );
    let (_, err) = explain(&w, &["--session", "2023", "--candidat", "0240000009"], 1);
    assert!(err.contains("il a un résultat en session 2024"), "{err}");
}

#[test]
fn the_jury_pages_hold_an_escaped_explanation_linked_from_the_minutes_and_go_when_pseudonymised() {
    let w = loaded();
    let (db, out) = (w.db(), w.out());
    let args = |extra: &[&str]| {
        let mut a = vec![
            "run",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        a.extend(extra);
        a.push("exports");
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        w.run_ok(&a.iter().map(String::as_str).collect::<Vec<_>>(), 0)
    };
    run(&[]);
    let pv = std::fs::read_to_string(out.join("jury/pv_2024.html")).unwrap();
    // The fixture's candidates have no school: their files are sans_uai.html.
    assert!(
        pv.contains("<a href=\"explications_2024/sans_uai.html#c0240000010\">pourquoi</a>"),
        "{pv}"
    );
    let page = std::fs::read_to_string(out.join("jury/explications_2024/sans_uai.html")).unwrap();
    assert_eq!(page.matches("<section class=\"explication\"").count(), 13);
    assert!(page.contains("id=\"c0240000010\""));
    assert!(page.contains("<li>décision du premier groupe : CONTROLE</li>"));
    assert!(page.contains("O'&lt;b&gt;BRIEN"), "a name is escaped");
    assert!(!page.contains("<b>BRIEN"));
    let releve = std::fs::read_to_string(out.join("jury/releves_2024/sans_uai.html")).unwrap();
    assert!(releve.contains("href=\"../explications_2024/sans_uai.html#c0240000010\""));
    run(&["--pseudonymise", "une clé de démonstration"]);
    assert!(!out.join("jury/explications_2024").exists());
    assert!(!Path::new(&out.join("jury/pv_2024.html")).exists());
}
