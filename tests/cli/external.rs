//! Real third-party exports (../shared/external, see its SOURCES.md): the national application's
//! candidate lists and grade exports load completely; messy corpora never crash the tool.

use crate::common::{external, Workdir};

#[test]
fn national_candidate_lists_load_every_candidate_with_accents() {
    let w = Workdir::new();
    w.ingest(
        &[
            &external("cyclades/cyclade1.csv"),
            &external("cyclades/cyclade2.csv"),
        ],
        0,
    );
    assert_eq!(
        w.count("SELECT count(*) FROM candidats WHERE session = 2023"),
        21
    );
    assert_eq!(
        w.text("SELECT nom FROM candidats WHERE candidat = '2070557748'"),
        "LABBÉ"
    );
    assert_eq!(
        w.text("SELECT prenom FROM candidats WHERE candidat = '2077259143'"),
        "Éric"
    );
    assert_eq!(
        w.text("SELECT classe FROM candidats WHERE candidat = '2070557748'"),
        "TMA"
    );
    assert_eq!(
        w.text("SELECT voie FROM candidats WHERE candidat = '2070557748'"),
        "scolaire"
    );
    assert_eq!(
        w.text(
            "SELECT CAST(date_naissance AS VARCHAR) FROM candidats WHERE candidat = '2070557748'"
        ),
        "2002-08-10"
    );
}

#[test]
fn invalid_uai_control_letter_of_the_test_school_is_reported() {
    let w = Workdir::new();
    w.ingest(&[&external("cyclades/cyclade1.csv")], 0);
    let motif = w.text(
        "SELECT motif || ' | ' || valeur || ' | ' || ligne FROM rejets WHERE code = 'uai_cle_invalide'",
    );
    assert_eq!(
        motif,
        "lettre de contrôle UAI invalide (attendue : S) | 0921234A | 3"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM candidats WHERE uai IS NOT NULL"),
        0
    );
}

#[test]
fn national_grade_export_loads_with_rounded_grades_and_foreign_exam_codes() {
    let w = Workdir::new();
    let out = w.ingest(&[&external("cyclades-bac-notes/notes_bac_2024.xlsx")], 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("épreuves hors du règlement NDRC"),
        "{stdout}"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM candidats WHERE session = 2024"),
        173
    );
    assert_eq!(w.count("SELECT count(DISTINCT uai) FROM candidats"), 1);
    assert_eq!(w.text("SELECT max(uai) FROM candidats"), "3500050C");
    // First candidate, first exam column: 19.399999999999999 in the file.
    assert_eq!(
        w.text("SELECT CAST(note AS VARCHAR) FROM notes WHERE candidat = '9900000001' AND epreuve = 'LP001'"),
        "19.40"
    );
    // AB is an absence; EA is unknown and rejected, never a 0.
    assert!(w.count("SELECT count(*) FROM notes WHERE statut = 'ABS'") > 0);
    assert!(
        w.count("SELECT count(*) FROM rejets WHERE code = 'code_inconnu' AND valeur = 'EA'") > 0
    );
    assert_eq!(
        w.count("SELECT count(*) FROM notes WHERE note IS NULL AND statut IS NULL"),
        0
    );
}

#[test]
fn resaved_and_school_tool_csv_give_the_same_grades_as_the_workbook() {
    let w = Workdir::new();
    w.ingest(
        &[
            &external("cyclades-bac-notes/notes_bac_2024.xlsx"),
            &external("cyclades-bac-notes/notes_bac_2024.csv"),
        ],
        0,
    );
    // The CSV repeats the workbook's grades: each is a confirmation, none a conflict. The two
    // files were pseudonymised separately, so names and birth dates do conflict, and are listed.
    assert_eq!(w.count("SELECT count(*) FROM rejets WHERE code = 'conflit' AND colonne NOT IN ('nom', 'prenom', 'date_naissance')"), 0);
    assert!(
        w.count("SELECT count(*) FROM rejets WHERE code = 'conflit' AND colonne = 'nom'") > 100
    );
    assert_eq!(w.count("SELECT count(*) FROM notes"), 1805);
    // The school tool's file names no session: it is rejected with the reason, or loaded with --session.
    let p = Workdir::new();
    let pronote = external("cyclades-bac-notes/pronote_extraction.csv");
    p.ingest(&[&pronote], 0);
    assert_eq!(p.text("SELECT code FROM rejets"), "session_introuvable");
    let db = p.db();
    let q = Workdir::new();
    let dbq = q.db();
    q.run_ok(
        &[
            "ingest",
            "--db",
            dbq.to_str().unwrap(),
            "--session",
            "2024",
            pronote.to_str().unwrap(),
        ],
        0,
    );
    assert_eq!(q.count("SELECT count(DISTINCT candidat) FROM notes"), 173);
    // The school tool's round trip left one EA of three: two more cells hold grades there.
    assert_eq!(q.count("SELECT count(*) FROM notes"), 1807);
    assert_eq!(
        q.count("SELECT count(*) FROM rejets WHERE valeur = 'EA'"),
        1
    );
    drop(db);
}

/// Every file of the messy corpora: a correct load (exit 0) or one clear error naming the file
/// (exit 1), never a crash.
#[test]
fn messy_corpora_never_crash() {
    let mut files = Vec::new();
    for dir in ["duckdb-csv", "calamine-tests", "polars-io", "encodings"] {
        collect(&external(dir), &mut files);
    }
    assert!(files.len() > 80, "{} files", files.len());
    for f in files {
        let w = Workdir::new();
        let out = w.run(&[
            "ingest",
            "--db",
            w.db().to_str().unwrap(),
            f.to_str().unwrap(),
        ]);
        let code = out.status.code();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(code, Some(0) | Some(1)),
            "{}: {code:?}\n{stderr}",
            f.display()
        );
        if code == Some(1) {
            let name = f.file_name().unwrap().to_string_lossy();
            assert!(stderr.contains(name.as_ref()), "{}: {stderr}", f.display());
            assert!(!stderr.contains("panicked"), "{}: {stderr}", f.display());
        }
    }
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn a_file_that_is_not_a_spreadsheet_is_one_clear_error() {
    let w = Workdir::new();
    let readme = crate::common::repo().join("README.md");
    let out = w.ingest(&[&readme], 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("README.md") && stderr.contains("format non pris en charge"),
        "{stderr}"
    );
    let broken = external("calamine-tests/too_small.xls");
    let out = w.ingest(&[&broken], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("too_small.xls"));
}

/// Issue 9: the academy's CCF workbook ends its RECAPNOTES sheet with summary rows (« Moyenne des
/// notes », « Note la plus basse », « Note la plus haute ») under the empty template: they are
/// listed as summary rows, never stored as candidates.
#[test]
fn summary_rows_of_the_academy_workbook_are_not_candidates() {
    let w = Workdir::new();
    let db = w.db();
    let file = external("cyclades/31224_etab.xlsx");
    w.run_ok(
        &[
            "ingest",
            "--session",
            "2023",
            "--db",
            db.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
        0,
    );
    assert_eq!(w.count("SELECT count(*) FROM candidats"), 0);
    let lines: Vec<i64> = {
        let conn = w.conn();
        let mut stmt = conn
            .prepare(
                "SELECT ligne FROM rejets WHERE feuille = 'RECAPNOTES' \
                 AND code = 'ligne_de_synthese' ORDER BY ligne",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(lines, vec![50, 51, 52]);
}

/// The PFMP sheet of the same workbook repeats one template row of formula zeros under its
/// header: each is a row without a candidate number, never a « duplicate » of the first one; a
/// real candidate's row repeated is still a duplicate.
#[test]
fn template_rows_without_a_candidate_are_not_duplicates() {
    let w = Workdir::new();
    let file = external("cyclades/31224_etab.xlsx");
    let csv = w.path().join("notes_2024.csv");
    std::fs::write(
        &csv,
        "Session;N° candidat;Nom;E1\n2024;0240000001;NOM;12\n2024;0240000001;NOM;12\n\
         2024;;;0\n2024;;;0\n",
    )
    .unwrap();
    w.ingest(&[&file, &csv], 0);
    let count = |sql: &str| w.count(sql);
    assert_eq!(
        count("SELECT count(*) FROM rejets WHERE feuille = 'PFMP' AND code = 'ligne_en_double'"),
        0
    );
    // 33 rows read: row 9 (« nbre de semaines ») is a label row, rows 10 to 41 template zeros.
    assert_eq!(
        count("SELECT count(*) FROM rejets WHERE feuille = 'PFMP' AND code = 'candidat_manquant'"),
        32
    );
    // In the CSV: line 3 repeats the candidate of line 2; lines 4 and 5 have no number.
    assert_eq!(
        w.text(
            "SELECT string_agg(ligne || ' ' || code, ', ' ORDER BY ligne) FROM rejets \
             WHERE feuille IS NULL"
        ),
        "3 ligne_en_double, 4 candidat_manquant, 5 candidat_manquant"
    );
}
