//! Issue 9: exports the generator did not write are read by their words and content. Each
//! fixture of tests/fixtures/ says in its README what it plants and the hand-computed outcome.

use std::path::{Path, PathBuf};

use crate::common::{assert_golden, repo, Workdir};

fn fixture(rel: &str) -> PathBuf {
    repo().join("tests").join("fixtures").join(rel)
}

fn row_of<'a>(csv: &'a str, candidat: &str) -> &'a str {
    csv.lines()
        .find(|l| l.contains(candidat))
        .unwrap_or_else(|| panic!("{candidat} not in\n{csv}"))
}

#[test]
fn status_codes_in_their_own_column_are_read_with_the_grade_and_origin_session() {
    let w = Workdir::new();
    w.ingest(&[&fixture("statut_colonne/notes_longues_2024.csv")], 0);
    let note = |c: &str, e: &str| {
        w.text(&format!(
            "SELECT coalesce(CAST(note AS VARCHAR), '-') || ' ' || coalesce(statut, '-') || ' ' \
             || coalesce(CAST(session_origine AS VARCHAR), '-') FROM notes \
             WHERE candidat = '{c}' AND epreuve = '{e}'"
        ))
    };
    assert_eq!(note("0240000011", "E1"), "- ABJ -");
    assert_eq!(note("0240000012", "E3"), "12.00 BEN 2022");
    assert_eq!(note("0240000013", "E3"), "12.00 BEN 2015");
    assert_eq!(note("0240000014", "E1"), "- DISP -");
    assert_eq!(note("0240000015", "E2"), "- ABS -");
    // « Présent » in the status column leaves the grade as it is.
    assert_eq!(note("0240000016", "E1"), "12.00 - -");
    assert_eq!(
        w.count("SELECT count(*) FROM notes WHERE candidat = '0240000016' AND epreuve = 'E4'"),
        0
    );
    assert_eq!(
        w.text("SELECT valeur FROM rejets WHERE code = 'note_et_statut_contradictoires'"),
        "14 / ABS"
    );
    let csv = w.results_csv();
    // ABJ on E1 is marked 0 (D643-24): (3 x 0 + 18 x 12) / 21 = 10.2857 -> 10.28 ADMIS.
    assert!(
        row_of(&csv, "0240000011").contains(";10,28;ADMIS;"),
        "{csv}"
    );
    assert!(
        row_of(&csv, "0240000012").contains(";10,28;ADMIS;"),
        "{csv}"
    );
    assert!(row_of(&csv, "0240000013").contains(";INCOMPLET;"), "{csv}");
    assert!(
        row_of(&csv, "0240000014").contains(";9,00;AJOURNE;"),
        "{csv}"
    );
    assert!(row_of(&csv, "0240000015").contains(";ABSENT;"), "{csv}");
    assert!(row_of(&csv, "0240000016").contains(";INCOMPLET;"), "{csv}");
}

#[test]
fn summary_and_signature_rows_are_rejected_never_stored() {
    let w = Workdir::new();
    w.ingest(&[&fixture("statut_colonne/notes_longues_2024.csv")], 0);
    assert_eq!(w.count("SELECT count(*) FROM candidats"), 6);
    let rows: Vec<(i64, String)> = {
        let conn = w.conn();
        let mut stmt = conn
            .prepare(
                "SELECT ligne, valeur FROM rejets WHERE code = 'ligne_de_synthese' ORDER BY ligne",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        rows,
        vec![
            (45, "Nombre de lignes | 42".to_string()),
            (46, "Fait à Lyon, le 5 juillet 2024".to_string()),
            (47, "Le chef de centre".to_string()),
        ]
    );
}

#[test]
fn headers_worded_differently_give_the_same_results_as_the_exact_aliases() {
    let odd = Workdir::new();
    let out = odd.ingest(&[&fixture("intitules_inconnus/export_2024.csv")], 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let canon = Workdir::new();
    canon.ingest(&[&fixture("intitules_inconnus/canonique_2024.csv")], 0);
    let (a, b) = (odd.results_csv(), canon.results_csv());
    assert_eq!(a, b, "ingest said:\n{stdout}");
    assert!(
        row_of(&a, "0240000021").contains(";253,75;21,00;12,08;ADMIS;"),
        "{a}"
    );
    assert!(row_of(&a, "0240000022").contains(";10,28;ADMIS;"), "{a}");
    assert!(row_of(&a, "0240000023").contains(";ABSENT;"), "{a}");
    // Every candidate has their school although the header also names the establishment.
    assert_eq!(
        odd.count("SELECT count(*) FROM candidats WHERE uai IS NOT NULL"),
        3
    );
    assert_eq!(
        odd.count("SELECT count(*) FROM rejets WHERE code = 'ligne_de_synthese'"),
        1
    );
}

#[test]
fn an_ignored_column_that_holds_grades_gives_a_warning_and_fails_strict() {
    let w = Workdir::new();
    let file = fixture("intitules_inconnus/export_2024.csv");
    let out = w.ingest(&[&file], 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "attention : colonne « Col. 16 » ignorée (intitulé inconnu) alors qu'elle contient \
             des notes (ex. : 14 ; 9,5) ; pour la lire, ajoutez à data/profiles/ndrc.toml : \
             [epreuves] CODE = [\"Col. 16\"]"
        ),
        "{stdout}"
    );
    let strict = Workdir::new();
    let db = strict.db();
    let out = strict.run_ok(
        &[
            "ingest",
            "--strict",
            "--db",
            db.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
        1,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refusé par --strict, colonnes non lues : « Col. 16 »"),
        "{stderr}"
    );
    assert_eq!(strict.count("SELECT count(*) FROM candidats"), 0);
}

fn livret_outputs(files: &[&Path]) -> (String, String) {
    let w = Workdir::new();
    w.ingest(files, 0);
    let (db, out) = (w.db(), w.out());
    w.run_ok(
        &[
            "livret",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        0,
    );
    let class = out.join("livret/2024/0690105P/BTS2_NDRC_A");
    (
        std::fs::read_to_string(class.join("profil.csv")).unwrap(),
        std::fs::read_to_string(class.join("cotation.csv")).unwrap(),
    )
}

#[test]
fn the_livret_in_long_form_gives_the_same_profile_and_rating_as_the_wide_form() {
    let avis = fixture("livret_long/avis_2024.csv");
    let long = livret_outputs(&[&fixture("livret_long/livret_long_2024.csv"), &avis]);
    let wide = livret_outputs(&[&fixture("livret_long/livret_large_2024.csv"), &avis]);
    assert_eq!(long, wide);
    let profile: Vec<String> = long
        .0
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| l.split(';').take(4).collect::<Vec<_>>().join(";"))
        .collect();
    let means: Vec<String> = profile
        .iter()
        .map(|l| {
            let cells: Vec<&str> = l.split(';').collect();
            format!("{} {} {}", cells[0], cells[2], cells[3])
        })
        .collect();
    assert_eq!(
        means,
        [
            "1 12,17 3",
            "2 12,33 3",
            "3 12,17 3",
            "4 13,25 3",
            "5 10,50 3",
            "6 12,33 3",
            "7 14,50 2"
        ]
    );
    assert!(long.1.contains("Doit faire ses preuves"), "{}", long.1);
}

#[test]
fn a_year_given_as_one_annual_average_is_not_a_missing_semester() {
    let w = Workdir::new();
    w.ingest(&[&fixture("livret_long/livret_long_2024.csv")], 0);
    let (db, out) = (w.db(), w.out());
    w.run_ok(
        &[
            "livret",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        0,
    );
    let conn = w.conn();
    let (n, missing): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(manque) FROM livret_moyennes WHERE annee = 1 AND ligne < 7",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((n, missing), (18, 0));
    let year1: String = conn
        .query_row(
            "SELECT CAST(moyenne AS VARCHAR) FROM livret_moyennes WHERE candidat = '0240000031' \
             AND annee = 1 AND ligne = 4",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(year1, "12.250");
}

#[test]
fn check_shows_each_column_its_field_and_why_and_writes_no_database() {
    let w = Workdir::new();
    std::fs::copy(
        fixture("intitules_inconnus/export_2024.csv"),
        w.path().join("export_2024.csv"),
    )
    .unwrap();
    let out = w.run_ok(&["check", "export_2024.csv"], 1);
    let path = w.path().join("check.txt");
    std::fs::write(&path, &out.stdout).unwrap();
    assert_golden(&path, "check/intitules_inconnus.txt");
    assert!(std::fs::read_dir(w.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("duckdb")));
}

/// The same livret in long and in wide form, loaded one after the other: every value of the
/// second confirms the first, including the annual averages of year 1 (semester 0), and a
/// changed annual average is a conflict that keeps the first value.
#[test]
fn the_same_livret_in_a_second_layout_adds_nothing_even_with_an_annual_average() {
    let w = Workdir::new();
    w.ingest(&[&fixture("livret_long/livret_long_2024.csv")], 0);
    let once = w.count("SELECT count(*) FROM livret");
    let annual = w.count("SELECT count(*) FROM livret WHERE annee = 1 AND semestre = 0");
    assert!(annual > 0, "the long form gives year 1 as annual averages");
    w.ingest(&[&fixture("livret_long/livret_large_2024.csv")], 0);
    assert_eq!(w.count("SELECT count(*) FROM livret"), once);
    assert_eq!(
        w.count("SELECT count(*) FROM rejets WHERE code = 'conflit'"),
        0
    );

    let changed = w.path().join("livret_corrige_2024.csv");
    let text = std::fs::read_to_string(fixture("livret_long/livret_large_2024.csv")).unwrap();
    let line = "0240000031;AUBERT;Jade;0690105P;BTS2 NDRC A;Culture générale et expression;11,50;";
    assert!(text.contains(line), "{text}");
    std::fs::write(
        &changed,
        text.replace(
            line,
            "0240000031;AUBERT;Jade;0690105P;BTS2 NDRC A;Culture générale et expression;11,75;",
        ),
    )
    .unwrap();
    w.ingest(&[&changed], 0);
    assert_eq!(w.count("SELECT count(*) FROM livret"), once);
    let motif = w.text(
        "SELECT string_agg(valeur || ' : ' || motif, ' | ') FROM rejets WHERE code = 'conflit'",
    );
    assert!(
        motif.starts_with("11,75") || motif.starts_with("11.75"),
        "{motif}"
    );
    assert!(
        motif.contains("11.50") || motif.contains("11,50"),
        "{motif}"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM rejets WHERE code = 'conflit'"),
        1,
        "{motif}"
    );
}
