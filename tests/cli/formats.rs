//! The same small table written in every encoding, separator and layout quirk French exports
//! have: every version loads the same values, and a bad value is reported at the row a text
//! editor shows.

use std::path::Path;

use crate::common::{read_report, repo, Workdir};

/// The table, as UTF-8 lines joined by `sep`; row 3 of the data holds a bad grade (21).
fn lines(sep: &str) -> Vec<String> {
    [
        ["N° candidat", "Nom", "Prénom", "E1", "E5 A"],
        ["0240000001", "LABBÉ", "Éloïse", "12,5", "8"],
        ["0240000002", "N'DIAYE", "Noël", "ABS", "15,25"],
        ["0240000003", "CŒUR", "Gaëlle", "21", "10"],
    ]
    .iter()
    .map(|r| r.join(sep))
    .collect()
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

/// What was loaded, as sorted text, comparable between versions.
fn loaded(w: &Workdir) -> String {
    let conn = w.conn();
    let mut stmt = conn
        .prepare(
            "SELECT c.candidat || ' ' || c.nom || ' ' || c.prenom || ' ' || coalesce(( \
             SELECT string_agg(n.epreuve || '=' || coalesce(CAST(n.note AS VARCHAR), n.statut), ',' ORDER BY n.epreuve) \
             FROM notes n WHERE n.session = c.session AND n.candidat = c.candidat), '') \
             FROM candidats c WHERE c.session = 2024 ORDER BY 1",
        )
        .unwrap();
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.join("\n")
}

const EXPECTED: &str = "0240000001 LABBÉ Éloïse E1=12.50,E5A=8.00\n\
                        0240000002 N'DIAYE Noël E1=ABS,E5A=15.25\n\
                        0240000003 CŒUR Gaëlle E5A=10.00";

#[test]
fn every_encoding_and_separator_gives_the_same_values() {
    let cases: Vec<(&str, Vec<u8>, u32)> = vec![
        // UTF-8 with BOM, `;`, LF: the bad grade is on line 4.
        (
            "utf8_bom_2024.csv",
            [b"\xef\xbb\xbf".to_vec(), lines(";").join("\n").into_bytes()].concat(),
            4,
        ),
        // Windows-1252 with a 2-line preamble, blank lines and CRLF: line 7.
        (
            "cp1252_2024.csv",
            {
                let mut text = String::from("Relevé de notes;;;;\r\nSession 2024;;;;\r\n\r\n");
                let l = lines(";");
                text.push_str(&format!(
                    "{}\r\n{}\r\n\r\n{}\r\n{}\r\n",
                    l[0], l[1], l[2], l[3]
                ));
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
                bytes.into_owned()
            },
            8,
        ),
        // UTF-16LE with BOM, tab-separated: line 4.
        (
            "utf16_2024.csv",
            {
                let text = lines("\t").join("\r\n");
                let mut bytes = vec![0xFF, 0xFE];
                bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                bytes
            },
            4,
        ),
        // Comma-separated with quoted decimal commas: line 4.
        (
            "comma_2024.csv",
            {
                let l: Vec<String> = lines(";")
                    .iter()
                    .map(|r| {
                        r.split(';')
                            .map(|c| format!("\"{c}\""))
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .collect();
                l.join("\n").into_bytes()
            },
            4,
        ),
    ];
    for (name, bytes, bad_line) in cases {
        let w = Workdir::new();
        let path = w.path().join(name);
        write(&path, &bytes);
        w.ingest(&[&path], 0);
        assert_eq!(loaded(&w), EXPECTED, "{name}");
        let place =
            w.text("SELECT ligne || ' ' || colonne || ' ' || valeur || ' ' || code FROM rejets");
        assert_eq!(
            place,
            format!("{bad_line} E1 21 note_hors_bornes"),
            "{name}"
        );
    }
}

#[test]
fn an_unknown_layout_loads_with_an_explicit_profile() {
    let dir = repo().join("tests/fixtures/profil_inconnu");
    let file = dir.join("export_maison_2024.csv");
    let w = Workdir::new();
    let out = w.ingest(&[&file], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("aucun en-tête reconnu"));
    let db = w.db();
    let profile = dir.join("profil.toml");
    w.run_ok(
        &[
            "ingest",
            "--db",
            db.to_str().unwrap(),
            "--profile",
            profile.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
        0,
    );
    assert_eq!(
        w.count("SELECT count(*) FROM notes WHERE epreuve IN ('E1', 'E2')"),
        4
    );
    assert_eq!(
        w.text("SELECT prenom FROM candidats WHERE candidat = '2024000001'"),
        "Aïcha"
    );
    assert_eq!(
        w.text("SELECT statut FROM notes WHERE candidat = '2024000002' AND epreuve = 'E1'"),
        "ABS"
    );
}

#[test]
fn a_malformed_profile_is_a_clear_error_naming_the_key() {
    let w = Workdir::new();
    let bad = w.path().join("bad.toml");
    std::fs::write(&bad, "[champs]\nnumero = [\"Num\"]\n").unwrap();
    let file = repo().join("tests/fixtures/profil_inconnu/export_maison_2024.csv");
    let db = w.db();
    let out = w.run_ok(
        &[
            "ingest",
            "--db",
            db.to_str().unwrap(),
            "--profile",
            bad.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
        1,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml") && stderr.contains("champs.numero"),
        "{stderr}"
    );
}

#[test]
fn grid_levels_and_each_correctors_mark_load_into_their_tables() {
    let w = Workdir::new();
    let grilles = w.path().join("grilles_2024.csv");
    write(
        &grilles,
        "Session;N° candidat;Epreuve;Examinateur;Question;Niveau\n\
         2024;0240000001;E5B;EX01;Q1;3\n\
         2024;0240000001;E5B;EX01;Q2;4\n\
         2024;0240000001;E5B;EX01;Q3;5\n"
            .as_bytes(),
    );
    let correcteurs = w.path().join("correcteurs_e5a_2024.csv");
    write(
        &correcteurs,
        "Session;N° candidat;Epreuve;Correcteur;Note correcteur\n\
         2024;0240000001;E5A;P01-A;12,5\n\
         2024;0240000001;E5A;P01-B;13\n\
         2024;0240000001;E5A;;11\n"
            .as_bytes(),
    );
    w.ingest(&[&grilles, &correcteurs], 0);
    assert_eq!(
        w.text("SELECT string_agg(question || '=' || niveau || '/' || examinateur, ',' ORDER BY question) FROM grilles"),
        "Q1=3/EX01,Q2=4/EX01"
    );
    assert_eq!(
        w.text("SELECT string_agg(correcteur || '=' || note, ',' ORDER BY correcteur) FROM notes_correcteurs"),
        "P01-A=12.50,P01-B=13.00"
    );
    assert_eq!(
        w.text("SELECT string_agg(ligne || ' ' || code, ',' ORDER BY code) FROM rejets"),
        "4 correcteur_manquant,4 niveau_invalide"
    );
    // Individual marks never become grades.
    assert_eq!(w.count("SELECT count(*) FROM notes"), 0);
}

/// Issue 9, item 8: a stray quote on line 4 used to make the whole CSV unreadable
/// (https://github.com/ndrc-stats/ndrc-stats/issues/9).
#[test]
fn issue_9_a_stray_quote_rejects_only_its_line() {
    let file = repo().join("tests/fixtures/mauvais/guillemet_isole_2024.csv");
    let w = Workdir::new();
    let out = w.run_ok(
        &[
            "run",
            "--db",
            w.db().to_str().unwrap(),
            "--out",
            w.out().to_str().unwrap(),
            file.to_str().unwrap(),
        ],
        0,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("5 lignes lues, 4 acceptées, 1 rejetées"),
        "{stdout}"
    );
    assert_eq!(
        loaded(&w),
        "0240000001 LABBÉ Éloïse E1=12.50,E5A=8.00\n\
         0240000002 N'DIAYE Noël E1=ABS,E5A=15.25\n\
         0240000004 MARTIN Paul E1=9.50,E5A=11.00\n\
         0240000005 PETIT Léa E1=16.00,E5A=13.50"
    );
    let rows = read_report(&w.out().join("rejets.csv"));
    assert_eq!(rows.len(), 2, "one rejet: {rows:?}");
    assert_eq!(rows[1][2..4], ["4", "*"]);
    // The value holds `;` and `"`: the report quotes it, so check the line as written.
    let report = std::fs::read_to_string(w.out().join("rejets.csv")).unwrap();
    let line = report.split("\r\n").nth(1).unwrap();
    assert!(
        line.ends_with(
            ";4;*;\"0240000003;\"\"CŒUR;Gaëlle;14;10\";ligne_illisible;\
             ligne CSV mal formée (guillemet non fermé) : ligne ignorée"
        ),
        "{line}"
    );
}

/// Writes a workbook of one sheet « Notes »: a header, two candidates, then `far` more values
/// in the last column (XFD), the last one at the last row of a sheet.
fn write_far_cells(path: &Path, far: u32) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Notes").unwrap();
    let rows = [
        ["N° candidat", "Nom", "E1"],
        ["0240000001", "LABBÉ", "12,5"],
        ["0240000002", "N'DIAYE", "ABS"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *value).unwrap();
        }
    }
    for i in 0..far {
        sheet.write_number(1_048_575 - i, 16_383, 1.0).unwrap();
    }
    workbook.save(path).unwrap();
}

/// Issue 9, item 8: one value at XFD1048576 used to abort on allocating the whole sheet.
#[test]
fn issue_9_a_value_at_xfd1048576_does_not_abort() {
    let w = Workdir::new();
    let file = w.path().join("cellule_lointaine.xlsx");
    write_far_cells(&file, 1);
    let db = w.db();
    let args = ["ingest", "--db", db.to_str().unwrap(), "--session", "2024"];
    let out = w.run_ok(&[&args[..], &[file.to_str().unwrap()]].concat(), 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("feuille « Notes »"), "{stdout}");
    assert_eq!(
        w.text(
            "SELECT string_agg(candidat || ' ' || coalesce(CAST(note AS VARCHAR), statut), ', ' \
             ORDER BY candidat) FROM notes"
        ),
        "0240000001 12.50, 0240000002 ABS"
    );
    // The lone value is a row without a candidate number, reported at its line.
    assert_eq!(
        w.text("SELECT string_agg(ligne || ' ' || code, ', ') FROM rejets"),
        "1048576 candidat_manquant"
    );
}

/// Issue 9, item 8: values scattered far to the right of many rows are refused with a French
/// message naming the sheet and the cell, in bounded memory, and the other files still load.
#[test]
fn issue_9_scattered_far_cells_are_a_clear_error() {
    let w = Workdir::new();
    let file = w.path().join("cellules_dispersees.xlsx");
    write_far_cells(&file, 400);
    let good = w.path().join("utf8_2024.csv");
    write(&good, lines(";").join("\n").as_bytes());
    let db = w.db();
    let args = ["ingest", "--db", db.to_str().unwrap(), "--session", "2024"];
    let out = w.run_ok(
        &[&args[..], &[file.to_str().unwrap(), good.to_str().unwrap()]].concat(),
        1,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cellules_dispersees.xlsx, feuille « Notes »: cellules trop dispersées")
            && stderr.contains("colonne XFD")
            && stderr.contains("plus de 5 000 000 cellules vides"),
        "{stderr}"
    );
    assert_eq!(loaded(&w), EXPECTED);
}
