//! A long CSV bigger than one read chunk (65,536 records) is read chunk by chunk: nothing is
//! lost or changed at a chunk boundary. The file below has 10,000 candidates × 7 exams; past the
//! first chunk it holds a stray quote, a row repeating one of the first chunk, a grade and a name
//! contradicting the first chunk's. Loaded whole or as two files of one chunk each, the grades
//! stored are the same, and every rejet is there with its line.

use std::path::Path;

use crate::common::Workdir;

const HEADER: &str = "Session;Académie;N° candidat;Nom;Prénom;Epreuve;Note;Statut";
const EXAMS: [&str; 7] = ["E1", "E2", "E3", "E4", "E5A", "E5B", "E6"];
const CANDIDATES: usize = 10_000;

/// The data lines, in file order: candidate `c`'s exam `e` has the grade `(c + e) % 20` and a half.
fn data_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for c in 0..CANDIDATES {
        for (e, exam) in EXAMS.iter().enumerate() {
            let note = (c + e) % 20;
            lines.push(format!(
                "2024;LYON;24{c:08};LEFÈVRE{c};Zoé;{exam};{note},5;"
            ));
        }
    }
    lines
}

/// The lines planted past the first chunk (all appended at the end of the file).
fn planted() -> Vec<String> {
    vec![
        // A stray quote: the line is rejected, the next ones load.
        "2024;LYON;\"2400000001;LEFÈVRE1;Zoé;E1;12;".to_string(),
        // The first data row again (file line 2).
        "2024;LYON;2400000000;LEFÈVRE0;Zoé;E1;0,5;".to_string(),
        // Candidate 2's E1 was 2,5 at line 16: a conflict.
        "2024;LYON;2400000002;LEFÈVRE2;Zoé;E1;19;".to_string(),
        // Candidate 3's name was LEFÈVRE3: a conflict on the name; the EF1 grade is new.
        "2024;LYON;2400000003;LEFEVRE3;Zoé;EF1;14;".to_string(),
    ]
}

fn write_cp1252(path: &Path, lines: &[String]) {
    let text = format!("{HEADER}\r\n{}\r\n", lines.join("\r\n"));
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

fn grades(w: &Workdir) -> Vec<(String, String, String)> {
    let conn = w.conn();
    let mut stmt = conn
        .prepare(
            "SELECT candidat, epreuve, CAST(note AS VARCHAR) FROM notes ORDER BY candidat, epreuve",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_csv_read_in_chunks_loses_and_changes_nothing_at_the_boundaries() {
    let w = Workdir::new();
    let mut lines = data_lines();
    lines.extend(planted());
    let whole = w.path().join("long.csv");
    write_cp1252(&whole, &lines);
    w.ingest(&[&whole], 0);
    let rows = CANDIDATES * EXAMS.len();
    assert!(rows > 65_536, "the file must be bigger than one chunk");
    let stored = grades(&w);
    assert_eq!(stored.len(), rows + 1, "every grade, and the new EF1");
    let e1 = |c: &str| {
        stored
            .iter()
            .find(|(k, e, _)| k == c && e == "E1")
            .map(|(_, _, n)| n.clone())
    };
    assert_eq!(
        e1("2400000002").as_deref(),
        Some("2.50"),
        "first value kept"
    );
    let last = rows + 1;
    let rejet = |code: &str| -> Vec<i64> {
        let conn = w.conn();
        let mut stmt = conn
            .prepare("SELECT ligne FROM rejets WHERE code = ? ORDER BY ligne")
            .unwrap();
        stmt.query_map([code], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let line = |k: usize| i64::try_from(last + k).unwrap();
    assert_eq!(rejet("ligne_illisible"), vec![line(1)]);
    assert_eq!(rejet("ligne_en_double"), vec![line(2)]);
    assert_eq!(rejet("conflit"), vec![line(3), line(4)]);
    let motif = w.text("SELECT motif FROM rejets WHERE code = 'ligne_en_double'");
    assert!(motif.contains("ligne 2"), "{motif}");
    assert_eq!(
        w.count("SELECT lignes_lues FROM sources"),
        i64::try_from(rows + 4).unwrap()
    );
    assert_eq!(
        w.text(
            "SELECT valeur FROM candidats_valeurs WHERE candidat = '2400000003' AND champ = 'nom'"
        ),
        "LEFÈVRE3"
    );

    // The same rows as two files of less than one chunk each: the same grades.
    let split = Workdir::new();
    let (a, b) = lines.split_at(35_000);
    let (pa, pb) = (split.path().join("a.csv"), split.path().join("b.csv"));
    write_cp1252(&pa, a);
    write_cp1252(&pb, b);
    split.ingest(&[&pa, &pb], 0);
    assert_eq!(grades(&split), stored);
}
