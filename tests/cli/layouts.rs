//! The same grades given in a wide workbook layout, a long layout, or split between both give the
//! same results: the engine only sees canonical `notes` rows.

use crate::common::Workdir;

const EXAMS: [&str; 8] = ["E1", "E2", "E3", "E4", "E5A", "E5B", "E6", "EF1"];

/// Three candidates: an admitted one with an optional bonus (hand: U5 = (2×11.5 + 2×13)/4 = 12.25;
/// points 37.5 + 29.25 + 30 + 70 + 49 + 33 = 248.75, + (15 − 10) = 253.75 over 21 = 12.083 → 12.08),
/// one exempted from E1 and E3, one absent from E6.
const GRADES: [(&str, &str, &str, [&str; 8]); 3] = [
    (
        "0240000001",
        "LABBÉ",
        "Éloïse",
        ["12,5", "9,75", "10", "14", "11,5", "13", "11", "15"],
    ),
    (
        "0240000002",
        "N'DIAYE",
        "Noël",
        ["DISP", "8", "DISP", "12,25", "9", "10,5", "10", ""],
    ),
    (
        "0240000003",
        "CŒUR",
        "Gaëlle",
        ["7", "6,5", "9", "11", "8,75", "9", "ABS", ""],
    ),
];

fn wide(exams: &[usize]) -> String {
    let mut header = vec!["N° candidat", "Nom", "Prénom"];
    header.extend(exams.iter().map(|&i| EXAMS[i]));
    let mut lines = vec![header.join(";")];
    for (num, nom, prenom, grades) in GRADES {
        let mut row = vec![num, nom, prenom];
        row.extend(exams.iter().map(|&i| grades[i]));
        lines.push(row.join(";"));
    }
    lines.join("\n") + "\n"
}

fn long(exams: &[usize]) -> String {
    let mut lines = vec!["Session;N° candidat;Nom;Prénom;Epreuve;Note".to_string()];
    for (num, nom, prenom, grades) in GRADES {
        for &i in exams {
            if !grades[i].is_empty() {
                lines.push(format!(
                    "2024;{num};{nom};{prenom};{};{}",
                    EXAMS[i], grades[i]
                ));
            }
        }
    }
    lines.join("\n") + "\n"
}

/// Loads the files into a fresh database, runs `results`, returns resultats.csv.
fn results_of(files: &[(&str, String)]) -> String {
    let w = Workdir::new();
    let mut paths = Vec::new();
    for (name, text) in files {
        let p = w.path().join(name);
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    let refs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    w.ingest(&refs, 0);
    w.results_csv()
}

#[test]
fn wide_long_and_mixed_layouts_give_the_same_results() {
    let all: Vec<usize> = (0..8).collect();
    let from_wide = results_of(&[("notes_2024.csv", wide(&all))]);
    let from_long = results_of(&[("oraux_2024.csv", long(&all))]);
    let mixed = results_of(&[
        ("notes_2024.csv", wide(&[0, 1, 2, 3])),
        ("oraux_2024.csv", long(&[4, 5, 6, 7])),
    ]);
    assert_eq!(from_long, from_wide);
    assert_eq!(mixed, from_wide);
    // The hand-computed candidate, to be sure the three agree on something right.
    let row = from_wide
        .lines()
        .find(|l| l.contains("0240000001"))
        .unwrap();
    assert!(row.contains(";253,75;21,00;12,08;ADMIS;"), "{row}");
    assert!(from_wide
        .lines()
        .any(|l| l.contains("0240000003") && l.contains(";ABSENT;")));
}
