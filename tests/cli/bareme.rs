//! Issue 10 item 4: E5A « notée sur 40 points » (seed 001). A column whose header says /40, or a
//! cell written `25/40`, is converted exactly to 20 on reading, and the database keeps the scale
//! read (`notes.bareme`); the results are those of the same grades given on 20.

use crate::common::Workdir;

const HEADER: &str = "Session;N° candidat;Nom;Prénom;E1;E2;E3;E4;{E5A};E5B;E6\n";

/// Two candidates; E5A is `e5a` (on the scale the header says).
fn wide(e5a_header: &str, e5a: [&str; 2]) -> String {
    let mut csv = HEADER.replace("{E5A}", e5a_header);
    csv += &format!("2024;0240000001;NOM;Un;12;12;12;12;{};12;12\n", e5a[0]);
    csv += &format!("2024;0240000002;NOM;Deux;9;9;9;11;{};10;9\n", e5a[1]);
    csv
}

/// Loads `csv` into a fresh database and returns resultats.csv and the E5A provenance.
fn results_of(name: &str, csv: &str) -> (String, Vec<(String, Option<i32>, String)>) {
    let w = Workdir::new();
    let file = w.path().join(name);
    std::fs::write(&file, csv).unwrap();
    w.ingest(&[&file], 0);
    let results = w.results_csv();
    let conn = w.conn();
    let mut stmt = conn
        .prepare(
            "SELECT CAST(note AS VARCHAR), bareme, colonne FROM notes WHERE epreuve = 'E5A' \
             ORDER BY candidat",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (results, rows)
}

#[test]
fn e5a_on_40_gives_the_results_of_the_same_grades_on_20() {
    // On 20: 12,5 and 9,25. On 40: 25 and 18,5.
    let (sur_20, p20) = results_of("notes_2024.csv", &wide("E5A", ["12,5", "9,25"]));
    let (sur_40, p40) = results_of("notes_2024.csv", &wide("E5A écrit /40", ["25", "18,5"]));
    let (cellules, pc) = results_of("notes_2024.csv", &wide("E5A", ["25/40", "18,5 sur 40"]));
    // Candidate 1: 9 x 12 + 5 x 12 + 2 x 12.5 + 2 x 12 + 3 x 12 = 253 -> 12.04 ADMIS.
    // Candidate 2: 81 + 55 + 18.5 + 20 + 27 = 201.5 -> 9.59; professional 55 + 38.5 + 27 = 120.5
    // / 12 = 10.04 >= 10: CONTROLE.
    assert!(sur_20.contains(";253,00;21,00;12,04;ADMIS;"), "{sur_20}");
    assert!(sur_20.contains(";201,50;21,00;9,59;CONTROLE;"), "{sur_20}");
    assert_eq!(sur_40, sur_20);
    assert_eq!(cellules, sur_20);
    assert_eq!(
        p20,
        [
            ("12.50".to_string(), None, "E5A".to_string()),
            ("9.25".to_string(), None, "E5A".to_string())
        ]
    );
    assert_eq!(
        p40,
        [
            ("12.50".to_string(), Some(40), "E5A écrit /40".to_string()),
            ("9.25".to_string(), Some(40), "E5A écrit /40".to_string())
        ]
    );
    assert_eq!(
        pc.iter().map(|r| r.1).collect::<Vec<_>>(),
        [Some(40), Some(40)]
    );
}

#[test]
fn a_mark_that_cannot_be_converted_exactly_is_rejected_and_listed() {
    let w = Workdir::new();
    let file = w.path().join("notes_2024.csv");
    // 28,25 / 40 = 14,125 (3 decimals); E1 is not marked on 40 in the regulation; 30 / 40 = 15.
    let mut csv = wide("E5A sur 40", ["28,25", "30"]);
    csv += "2024;0240000003;NOM;Trois;31/40;12;12;12;30;12;12\n";
    std::fs::write(&file, csv).unwrap();
    w.ingest(&[&file], 0);
    let conn = w.conn();
    let mut stmt = conn
        .prepare("SELECT ligne, colonne, valeur, code FROM rejets ORDER BY ligne")
        .unwrap();
    let rejets: Vec<(i32, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rejets,
        [
            (
                2,
                "E5A sur 40".into(),
                "28,25".into(),
                "conversion_inexacte".into()
            ),
            (4, "E1".into(), "31/40".into(), "bareme_non_prevu".into()),
        ]
    );
    let e5a: String = w.text(
        "SELECT string_agg(CAST(note AS VARCHAR), ' ' ORDER BY candidat) FROM notes WHERE epreuve = 'E5A'",
    );
    assert_eq!(e5a, "15.00 15.00");
}

#[test]
fn check_says_which_column_is_converted_from_40() {
    let w = Workdir::new();
    let file = w.path().join("notes_2024.csv");
    std::fs::write(&file, wide("E5A écrit /40", ["25", "18,5"])).unwrap();
    let run = w.run_ok(&["check", file.to_str().unwrap()], 0);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("« E5A écrit /40 » → épreuve E5A, notée sur 40 : convertie sur 20 (alias)"),
        "{stdout}"
    );
    assert!(stdout.contains("« E5B » → épreuve E5B (alias)"), "{stdout}");
    // A session forced with --session is the one check reports, as ingest would use it.
    let run = w.run_ok(&["check", "--session", "2023", file.to_str().unwrap()], 0);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("    session : 2023 (--session)"),
        "{stdout}"
    );
}
