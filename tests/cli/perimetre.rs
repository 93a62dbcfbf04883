//! Issue 10 item 3: only the diploma the regulation describes (data/regulation/ndrc.toml
//! `[diplome]`) enters results, rates and harmonisation. Candidates of another diploma are loaded,
//! listed in hors_reglement.csv with the reason, and never counted as présents who failed; a
//! session the regulation does not cover stops the computation with a clear error.

use std::path::Path;

use crate::common::{external, read_report, Workdir};

/// A candidate of a long-layout file: number, specialty, (exam, grade) pairs.
type Candidat<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// One long-layout CSV row per exam of every candidate.
fn long_csv(path: &Path, session: i32, candidates: &[Candidat]) {
    let mut csv = String::from("Session;N° candidat;Nom;Prénom;Spécialité;Epreuve;Note\n");
    for (num, specialite, grades) in candidates {
        for (exam, grade) in *grades {
            csv += &format!("{session};{num};NOM{num};Prénom;{specialite};{exam};{grade}\n");
        }
    }
    std::fs::write(path, csv).unwrap();
}

/// Every mandatory exam at `g`.
fn all(g: &'static str) -> [(&'static str, &'static str); 7] {
    ["E1", "E2", "E3", "E4", "E5A", "E5B", "E6"].map(|e| (e, g))
}

#[test]
fn another_diploma_in_a_mixed_export_is_listed_and_left_out_of_results_and_rates() {
    let w = Workdir::new();
    let ndrc = w.path().join("mixte_2024.csv");
    let (twelve, nine, ten, mco) = (all("12"), all("9"), all("10"), all("12"));
    long_csv(
        &ndrc,
        2024,
        &[
            // The specialty code: 21 x 12 = 252 -> 12.00 ADMIS.
            ("0240000001", "32031", &twelve),
            // An abbreviated label, words begun by « nego » and « digit »: 21 x 9 = 189 -> 9.00,
            // professional units 9 < 10: AJOURNE.
            ("0240000002", "BTS NEGO.DIGIT.REL.CLIENT", &nine),
            // No specialty, exams of the regulation: 21 x 10 = 210 -> 10.00 ADMIS.
            ("0240000003", "", &ten),
            // Another BTS with the same exam codes: out by its specialty.
            ("0240000004", "Management commercial opérationnel", &mco),
        ],
    );
    // No specialty and only exams the regulation does not know (the national application's wide
    // layout keeps them under their code): out.
    let autre = w.path().join("autre_2024.csv");
    std::fs::write(
        &autre,
        "Session;Numéro Candidat;Nom candidat;Prénom candidat;MCO1 - 1 - Management - Ponctuel;\
         MCO2 - 1 - Gestion - Ponctuel\n2024;0240000005;NOM;Prénom;12;11\n",
    )
    .unwrap();
    let bac = external("cyclades-bac-notes/notes_bac_2024.xlsx");
    w.ingest(&[&ndrc, &autre, &bac], 0);
    let out = w.out();
    let (stdout, _) = w.report("rates", 0);
    // 3 présents of the BTS NDRC, 2 admitted; the 173 bac pupils are not présents who failed.
    assert!(
        stdout.contains("session 2024 : 3 présents, 2 admis, taux 66,7 %"),
        "{stdout}"
    );
    let results = w.results_csv();
    let mut lines = results.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let at = header.iter().position(|h| *h == "decision_finale").unwrap();
    let decisions: Vec<(String, String)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (f[1].to_string(), f[at].to_string())
        })
        .collect();
    assert_eq!(
        decisions,
        [
            ("0240000001".to_string(), "ADMIS".to_string()),
            ("0240000002".to_string(), "AJOURNE".to_string()),
            ("0240000003".to_string(), "ADMIS".to_string()),
        ],
        "{results}"
    );
    let hors = read_report(&out.join("hors_reglement.csv"));
    assert_eq!(
        hors[0],
        [
            "session",
            "candidat",
            "nom",
            "prenom",
            "uai",
            "specialite",
            "epreuves",
            "source",
            "motif"
        ]
    );
    assert_eq!(hors.len(), 1 + 173 + 2);
    let row = |num: &str| hors.iter().find(|r| r[1] == num).unwrap().clone();
    assert_eq!(
        row("0240000004")[8],
        "spécialité « Management commercial opérationnel » : pas le BTS Négociation et \
         digitalisation de la relation client que décrit le règlement"
    );
    assert_eq!(
        row("0240000005")[8],
        "sans spécialité, et aucune note d'une épreuve du règlement (épreuves lues : MCO1, MCO2)"
    );
    assert!(
        row("0240000005")[7].ends_with("autre_2024.csv ligne 2"),
        "{:?}",
        row("0240000005")
    );
    assert!(
        row("0240000004")[7].ends_with("mixte_2024.csv ligne 23"),
        "{:?}",
        row("0240000004")
    );
    let bac_rows = hors
        .iter()
        .filter(|r| r[5] == "Baccalauréat général")
        .count();
    assert_eq!(bac_rows, 173);
    let (stdout, _) = w.report("results", 0);
    assert!(
        stdout.contains("attention : 175 candidats d'un autre diplôme que le BTS Négociation"),
        "{stdout}"
    );
    assert!(
        stdout.contains("écrit") && stdout.contains("hors_reglement.csv (175 candidats"),
        "{stdout}"
    );
}

#[test]
fn the_real_bac_export_alone_gives_no_rate_instead_of_zero_percent() {
    let w = Workdir::new();
    let bac = external("cyclades-bac-notes/notes_bac_2024.xlsx");
    w.ingest(&[&bac], 0);
    let (stdout, _) = w.report("rates", 0);
    assert!(!stdout.contains("173 présents"), "{stdout}");
    assert!(
        stdout.contains("taux : aucun candidat présent du BTS Négociation"),
        "{stdout}"
    );
}

#[test]
fn a_session_no_regulation_covers_is_a_clear_error() {
    let w = Workdir::new();
    let file = w.path().join("oraux_2019.csv");
    let twelve = all("12");
    long_csv(&file, 2019, &[("0190000001", "32031", &twelve)]);
    w.ingest(&[&file], 0);
    let (_, stderr) = w.report("results", 1);
    assert!(
        stderr.contains(
            "aucun règlement ne couvre la session 2019 (1 candidat) : le règlement chargé (BTS \
             Négociation et digitalisation de la relation client) s'applique aux sessions 2020 \
             et suivantes"
        ),
        "{stderr}"
    );
    assert!(!w.out().join("resultats.csv").exists());
}
