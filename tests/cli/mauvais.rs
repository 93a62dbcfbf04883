//! The bad-input corpus of `tests/fixtures/mauvais/` (issue 13, item 2): each file is ingested
//! alone and must give its exit code (1 for an input the user must fix, never a panic or a
//! signal), a stderr equal to its snapshot `<file>.stderr` (paths replaced by `<travail>` and
//! `<depot>`; `UPDATE_GOLDEN=1` rewrites them) and the key French words of its message. The files
//! that load must store their good values and list every bad cell in `rejets` with a reason.

use std::path::{Path, PathBuf};

use crate::common::{repo, Workdir};

/// A file of the committed corpus.
fn corpus(name: &str) -> PathBuf {
    repo().join("tests/fixtures/mauvais").join(name)
}

/// Runs `ingest --db <travail>/ndrc.duckdb FILE`, asserts the exit code and that stderr matches
/// the snapshot of `file`'s name; returns stdout and stderr with the paths replaced.
pub(crate) fn ingest(w: &Workdir, file: &Path, code: i32) -> (String, String) {
    let db = w.db();
    let out = w.run_ok(
        &[
            "ingest",
            "--db",
            db.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
        code,
    );
    let anonymise = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .replace(w.path().to_str().unwrap(), "<travail>")
            .replace(repo().to_str().unwrap(), "<depot>")
    };
    let (stdout, stderr) = (anonymise(&out.stdout), anonymise(&out.stderr));
    let name = file.file_name().unwrap().to_str().unwrap();
    assert_snapshot(&stderr, &format!("{name}.stderr"));
    // Every line is a message of the tool or the library's text under it, never a bare one.
    for line in stderr.lines() {
        assert!(
            line.starts_with("ndrc-stats: ") || line.starts_with("  cause : "),
            "{name}: stray stderr line {line:?}\n{stderr}"
        );
    }
    (stdout, stderr)
}

/// Compares `got` with `tests/fixtures/mauvais/<snapshot>`; `UPDATE_GOLDEN=1` rewrites it.
fn assert_snapshot(got: &str, snapshot: &str) {
    let path = corpus(snapshot);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert_eq!(
        got,
        want,
        "stderr differs from {} (UPDATE_GOLDEN=1 rewrites it)",
        path.display()
    );
}

/// The rejets, one per line: `ligne colonne « valeur » code : motif`, in file order.
fn rejets(w: &Workdir) -> String {
    w.text(
        "SELECT coalesce(string_agg(coalesce(feuille || ' ', '') || ligne || ' ' || colonne \
         || ' « ' || valeur || ' » ' || code || ' : ' || motif, '\n' \
         ORDER BY source_id, ligne, colonne), '') FROM rejets",
    )
}

/// The grades stored, one per line: `candidat epreuve note-or-status`, sorted.
fn notes(w: &Workdir) -> String {
    w.text(
        "SELECT coalesce(string_agg(candidat || ' ' || epreuve || ' ' \
         || coalesce(CAST(note AS VARCHAR), statut), '\n' ORDER BY candidat, epreuve), '') \
         FROM notes",
    )
}

#[test]
fn mauvais_unreadable_files_are_named_with_their_reason_and_store_nothing() {
    let cases: [(&str, &[&str]); 6] = [
        ("vide_2024.csv", &["aucun en-tête reconnu", "fichier vide"]),
        (
            "preambule_seul_2024.csv",
            &["aucun en-tête reconnu", "« N° candidat »"],
        ),
        (
            "binaire_2024.csv",
            &[
                "fichier CSV illisible",
                "contenu binaire",
                "classeur renommé",
            ],
        ),
        (
            "tronque_2024.xlsx",
            &["classeur illisible", "fichier endommagé", "cause : "],
        ),
        (
            "texte_2024.xlsx",
            &["classeur illisible", "d'un autre format que son extension"],
        ),
        ("zip_2024.xlsx", &["classeur illisible", "cause : "]),
    ];
    for (name, words) in cases {
        let w = Workdir::new();
        let (stdout, stderr) = ingest(&w, &corpus(name), 1);
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!(
                "ndrc-stats: <depot>/tests/fixtures/mauvais/{name}: "
            )),
            "{name}: {stderr}"
        );
        for word in words {
            assert!(stderr.contains(word), "{name}: no « {word} » in\n{stderr}");
        }
        assert!(stdout.contains("1 en erreur"), "{name}: {stdout}");
        assert_eq!(w.count("SELECT count(*) FROM sources"), 0, "{name}");
        assert_eq!(w.count("SELECT count(*) FROM notes"), 0, "{name}");
    }
}

#[test]
fn mauvais_a_value_at_xfd1048576_costs_one_rejected_row() {
    let w = Workdir::new();
    let (stdout, _) = ingest(&w, &corpus("xfd_2024.xlsx"), 0);
    assert!(
        stdout.contains("feuille « Notes » notes-larges : 4 lignes lues, 3 acceptées, 1 rejetées"),
        "{stdout}"
    );
    assert_eq!(
        notes(&w),
        "0240000001 E1 12.50\n0240000001 E5A 8.00\n0240000002 E1 ABS\n\
         0240000002 E5A 15.25\n0240000003 E1 14.00\n0240000003 E5A 10.00"
    );
    assert_eq!(
        rejets(&w),
        "Notes 1048576 N° candidat « 1 » candidat_manquant : ligne sans numéro de candidat"
    );
}

/// The header and two candidates, then 9,995 more columns of text under headers that name
/// nothing: 10,000 columns in all.
fn write_ten_thousand_columns(path: &Path) {
    let mut header = vec!["N° candidat".to_string(), "Nom".into(), "E1".into()];
    header.extend((4..=10_000).map(|i| format!("Col. {i}")));
    let mut text = header.join(";") + "\n";
    for (number, name, grade) in [
        ("0240000001", "LABBÉ", "12,5"),
        ("0240000002", "PETIT", "9"),
    ] {
        text += &format!("{number};{name};{grade}{}\n", ";x".repeat(9_997));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn mauvais_ten_thousand_columns_load_and_the_ignored_ones_are_counted() {
    let w = Workdir::new();
    let file = w.path().join("colonnes_10000_2024.csv");
    write_ten_thousand_columns(&file);
    let (stdout, _) = ingest(&w, &file, 0);
    assert!(
        stdout.contains("colonnes ignorées : Col. 4 ; Col. 5 ;")
            && stdout.contains("… et 9 987 autres"),
        "{stdout}"
    );
    assert_eq!(notes(&w), "0240000001 E1 12.50\n0240000002 E1 9.00");
    assert_eq!(rejets(&w), "");
}

#[test]
fn mauvais_a_five_megabyte_cell_is_rejected_with_its_place() {
    let w = Workdir::new();
    let file = w.path().join("cellule_5mo_2024.csv");
    let big = "9".repeat(5 * 1024 * 1024);
    std::fs::write(
        &file,
        format!(
            "N° candidat;Nom;Prénom;E1;E5 A\n0240000001;LABBÉ;Éloïse;12,5;8\n\
             0240000002;N'DIAYE;Noël;{big};15,25\n"
        ),
    )
    .unwrap();
    ingest(&w, &file, 0);
    assert_eq!(
        notes(&w),
        "0240000001 E1 12.50\n0240000001 E5A 8.00\n0240000002 E5A 15.25"
    );
    // A number of 5 million digits is read as a number, out of the 0-20 scale, whole.
    assert_eq!(
        w.text(
            "SELECT ligne || ' ' || colonne || ' ' || code || ' ' || length(valeur) FROM rejets"
        ),
        format!("3 E1 note_hors_bornes {}", big.len())
    );
}

#[test]
fn mauvais_quoted_line_breaks_load_and_later_rows_keep_their_line() {
    let w = Workdir::new();
    ingest(&w, &corpus("retours_guillemets_2024.csv"), 0);
    assert_eq!(
        notes(&w),
        "0240000001 E1 12.50\n0240000001 E5A 8.00\n0240000002 E1 ABS\n\
         0240000002 E5A 15.25\n0240000003 E5A 10.00"
    );
    assert_eq!(
        w.text("SELECT string_agg(nom || ' / ' || prenom, ', ' ORDER BY candidat) FROM candidats"),
        "LABBÉ ÉPOUSE MARTIN / Éloïse, N'DIAYE / Noël Jean, CŒUR / Gaëlle"
    );
    // Lines 2-3 and 4-5 are one record each: the bad grade is on line 6, as an editor shows.
    assert_eq!(
        rejets(&w),
        "6 E1 « 21 » note_hors_bornes : note hors de l'intervalle 0 à 20"
    );
}

/// Issue 13, item 2: lines ended by a lone CR (Excel for Mac's « CSV Macintosh ») were one
/// line: a header of glued values, no row, exit 0 with nothing loaded.
#[test]
fn mauvais_lines_ended_by_a_lone_carriage_return_load() {
    let w = Workdir::new();
    let (stdout, _) = ingest(&w, &corpus("retours_chariot_seuls_2024.csv"), 0);
    assert!(
        stdout.contains("notes-larges : 3 lignes lues, 3 acceptées, 0 rejetées"),
        "{stdout}"
    );
    assert_eq!(
        notes(&w),
        "0240000001 E1 12.50\n0240000001 E5A 8.00\n0240000002 E1 ABS\n\
         0240000002 E5A 15.25\n0240000003 E1 14.00\n0240000003 E5A 10.00"
    );
    assert_eq!(rejets(&w), "");
}

#[test]
fn mauvais_lines_with_another_separator_are_rejected_whole() {
    let w = Workdir::new();
    ingest(&w, &corpus("separateurs_melanges_2024.csv"), 0);
    assert_eq!(
        notes(&w),
        "0240000001 E1 12.50\n0240000001 E5A 8.00\n0240000004 E1 9.50\n0240000004 E5A 11.00"
    );
    // The `,` and tab lines are one field under `;`: each is rejected with its whole text (the
    // tab read as a space), its line and the separator it uses, none is read as a candidate.
    assert_eq!(
        rejets(&w),
        "3 N° candidat « 0240000002,N'DIAYE,Noël,ABS,15 » ligne_illisible : ligne CSV mal \
         formée (séparateur « , » au lieu de celui du reste du fichier) : ligne ignorée\n\
         4 N° candidat « 0240000003 CŒUR Gaëlle 14 10 » ligne_illisible : ligne CSV mal formée \
         (séparateur tabulation ou espaces au lieu de celui du reste du fichier) : ligne ignorée"
    );
}

#[test]
fn mauvais_a_stray_quote_rejects_its_line_alone() {
    let w = Workdir::new();
    ingest(&w, &corpus("guillemet_isole_2024.csv"), 0);
    assert_eq!(w.count("SELECT count(*) FROM notes"), 8);
    assert_eq!(
        rejets(&w),
        "4 * « 0240000003;\"CŒUR;Gaëlle;14;10 » ligne_illisible : ligne CSV mal formée \
         (guillemet non fermé) : ligne ignorée"
    );
}

/// Issue 13, item 2: a formula without a cached result (as openpyxl writes them) was read as an
/// empty cell, and the candidate's grade disappeared without a rejet.
#[test]
fn mauvais_error_cells_and_uncomputed_formulas_are_rejected_cached_results_load() {
    let w = Workdir::new();
    let (stdout, _) = ingest(&w, &corpus("erreurs_formules_2024.xlsx"), 0);
    assert!(stdout.contains("3 valeurs rejetées"), "{stdout}");
    // E2 is `=4*2` with its cached 8.
    assert_eq!(
        notes(&w),
        "0240000001 E1 12.50\n0240000001 E5A 8.00\n0240000003 E5A 10.00"
    );
    assert_eq!(
        rejets(&w),
        "Notes 3 E1 « #N/A » cellule_erreur : cellule en erreur dans le tableur\n\
         Notes 3 E5 A « #DIV/0! » cellule_erreur : cellule en erreur dans le tableur\n\
         Notes 4 E1 « =7*2 (formule non calculée) » cellule_erreur : cellule en erreur dans le \
         tableur"
    );
}

#[test]
fn mauvais_merged_cells_read_the_group_header_and_the_value_where_it_is() {
    let w = Workdir::new();
    let (stdout, _) = ingest(&w, &corpus("fusionnees_2024.xlsx"), 0);
    assert!(
        stdout.contains("feuille « Notes » notes-larges : 3 lignes lues, 3 acceptées"),
        "{stdout}"
    );
    // « Identité » over A1:C1 and « Notes /20 » over D1:E1 sit above the labels; E4:E5 is
    // merged, so the file holds 15,25 in E4 only and nothing for the third candidate's E5 A
    // (an empty cell of a wide layout is no grade, not a rejet).
    assert_eq!(
        notes(&w),
        "0240000001 E1 12.50\n0240000001 E5A 8.00\n0240000002 E1 ABS\n\
         0240000002 E5A 15.25\n0240000003 E1 14.00"
    );
    assert_eq!(
        w.text("SELECT string_agg(DISTINCT CAST(ligne AS VARCHAR), ',' ORDER BY CAST(ligne AS VARCHAR)) FROM notes"),
        "3,4,5"
    );
    assert_eq!(rejets(&w), "");
}

#[test]
fn mauvais_an_empty_sheet_between_good_ones_is_listed_and_both_load() {
    let w = Workdir::new();
    let (stdout, _) = ingest(&w, &corpus("feuille_vide_2024.xlsx"), 0);
    for line in [
        "feuille « Notes A » notes-larges : 2 lignes lues, 2 acceptées, 0 rejetées",
        "feuille « Vide » vide : 0 lignes lues",
        "feuille « Notes B » notes-larges : 1 lignes lues, 1 acceptées, 0 rejetées",
    ] {
        assert!(stdout.contains(line), "no « {line} » in\n{stdout}");
    }
    assert_eq!(
        w.text("SELECT string_agg(feuille || ' ' || candidat || ' ' || epreuve, ', ' ORDER BY candidat, epreuve) FROM notes"),
        "Notes A 0240000001 E1, Notes A 0240000001 E5A, Notes A 0240000002 E1, \
         Notes A 0240000002 E5A, Notes B 0240000003 E1, Notes B 0240000003 E5A"
    );
    assert_eq!(rejets(&w), "");
}

/// A quote after a space is not a quote for the CSV reader: `0240000001; "LABBÉ; Jean";…` splits
/// into one field more than the header. The line used to become the label row of a two-row
/// header (the candidate vanished, exit 0) and, read as data, its cells are shifted (its E1 would
/// be stored as E5A): it is rejected whole, with its line and why; the other lines load.
#[test]
fn mauvais_a_line_with_more_fields_than_the_header_is_rejected_whole() {
    let w = Workdir::new();
    let file = w.path().join("guillemet_apres_espace_2024.csv");
    std::fs::write(
        &file,
        "N° candidat;Nom;Prénom;E1;E5 A\n\
         0240000001; \"LABBÉ; Jean\";Léa;12;14\n\
         0240000002;MARTIN;Paul;11;13\n",
    )
    .unwrap();
    let db = w.db();
    w.run_ok(
        &[
            "ingest",
            "--db",
            db.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
        0,
    );
    assert_eq!(notes(&w), "0240000002 E1 11.00\n0240000002 E5A 13.00");
    assert_eq!(
        rejets(&w),
        "2 * « 0240000001 | \"LABBÉ | Jean\" | Léa » ligne_illisible : ligne CSV mal formée \
         (plus de champs que d'en-têtes : un séparateur dans un champ sans guillemets, ou un \
         guillemet après une espace) : ligne ignorée"
    );
}
