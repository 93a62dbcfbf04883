//! `ingest` and `run` on the committed samples (data/samples): every count the generator's
//! planted truth announces, every planted error in rejets with its reason, and idempotence.

use std::collections::BTreeSet;

use ndrc_stats::generate::{planted_truth, GenerateOptions, PlantedTruth};

use crate::common::{read_report, repo, table_counts, Workdir};

fn truth() -> PlantedTruth {
    planted_truth(&GenerateOptions::default()).unwrap()
}

/// Runs `run` on data/samples in a fresh work dir.
fn run_samples(w: &Workdir) -> String {
    let samples = repo().join("data").join("samples");
    let out = w.run_ok(
        &[
            "run",
            "--db",
            w.db().to_str().unwrap(),
            "--out",
            w.out().to_str().unwrap(),
            samples.to_str().unwrap(),
        ],
        0,
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn samples_load_every_announced_candidate_grade_and_livret_value() {
    let w = Workdir::new();
    run_samples(&w);
    let truth = truth();
    let last = truth.sessions.last().unwrap().session;
    for s in &truth.sessions {
        let y = s.session;
        let count = |sql: &str| w.count(&sql.replace("{y}", &y.to_string()));
        assert_eq!(
            count("SELECT count(*) FROM candidats WHERE session = {y}"),
            s.candidats as i64,
            "{y}"
        );
        for (uai, n) in &s.candidats_par_uai {
            let got = count(&format!(
                "SELECT count(*) FROM candidats WHERE session = {{y}} AND uai = '{uai}'"
            ));
            assert_eq!(got, *n as i64, "{y} {uai}");
        }
        assert_eq!(
            count("SELECT count(*) FROM livret WHERE session = {y}"),
            s.valeurs_livret as i64,
            "{y}"
        );
        assert_eq!(
            count("SELECT count(*) FROM avis WHERE session = {y}"),
            s.lignes_avis as i64,
            "{y}"
        );
        let cells: usize = s.cellules_par_epreuve.values().sum();
        let notes = count("SELECT count(*) FROM notes WHERE session = {y}");
        if y == last {
            // Three planted bad grades (21, douze, XYZ) and the duplicated row's cells are rejected.
            let duplicate = w.count(&format!(
                "SELECT count(*) FROM notes n JOIN rejets r ON r.code = 'ligne_en_double' \
                 AND n.source_id = r.source_id AND n.ligne = CAST(regexp_extract(r.motif, 'ligne ([0-9]+)', 1) AS INTEGER) \
                 WHERE n.session = {y}"
            ));
            assert!(
                duplicate >= 6,
                "the duplicated row holds grades: {duplicate}"
            );
            assert_eq!(
                notes,
                (cells + s.lignes_controles - 3) as i64 - duplicate,
                "{y}"
            );
        } else {
            // Every workbook cell, plus one row per control exam of controles_<Y>.csv.
            assert_eq!(notes, (cells + s.lignes_controles) as i64, "{y}");
        }
        // Examiner, commission and subject of the long CSV are attached to the workbook's grades.
        let e5b = count("SELECT count(*) FROM notes WHERE session = {y} AND epreuve = 'E5B' AND examinateur IS NOT NULL");
        let e5b_rows = count("SELECT count(*) FROM notes WHERE session = {y} AND epreuve = 'E5B' AND coalesce(statut, '') <> 'BEN'");
        assert!(e5b >= e5b_rows - 1, "{y}: {e5b} of {e5b_rows}");
    }
}

#[test]
fn every_planted_error_is_in_rejets_with_its_reason() {
    let w = Workdir::new();
    run_samples(&w);
    let truth = truth();
    let errors = &truth.sessions.last().unwrap().erreurs;
    assert_eq!(errors.len(), 6);
    let rows = read_report(&w.out().join("rejets.csv"));
    assert_eq!(
        rows[0],
        ["source", "feuille", "ligne", "colonne", "valeur", "code", "motif"]
    );
    assert_eq!(
        rows.len() - 1,
        errors.len(),
        "one rejet per planted error: {rows:?}"
    );
    let mut codes = BTreeSet::new();
    for e in errors {
        let found = rows
            .iter()
            .skip(1)
            .find(|r| r[0].ends_with(&e.fichier) && r[2] == e.ligne.to_string());
        let r = found.unwrap_or_else(|| panic!("planted error not reported: {e:?}\n{rows:?}"));
        codes.insert(r[5].clone());
    }
    let expected: BTreeSet<String> = [
        "note_hors_bornes",
        "code_inconnu",
        "note_illisible",
        "ligne_en_double",
        "uai_cle_invalide",
        "conflit",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(codes, expected);
}

#[test]
fn second_run_changes_no_count() {
    let w = Workdir::new();
    run_samples(&w);
    let before = table_counts(&w);
    let rejets_before = std::fs::read(w.out().join("rejets.csv")).unwrap();
    let stdout = run_samples(&w);
    assert_eq!(table_counts(&w), before);
    assert_eq!(
        std::fs::read(w.out().join("rejets.csv")).unwrap(),
        rejets_before
    );
    assert!(stdout.contains("0 chargés, 36 déjà chargés"), "{stdout}");
}

#[test]
fn a_conflicting_grade_keeps_the_first_value_and_names_both_places() {
    let w = Workdir::new();
    run_samples(&w);
    let motif = w.text("SELECT motif FROM rejets WHERE code = 'conflit'");
    assert!(motif.contains("notes_2024.xlsx"), "{motif}");
    assert!(motif.contains("la première valeur est gardée"), "{motif}");
}

/// The `## Chargement attendu` section of data/samples/README.md: table counts, and per session
/// and decision column (`decision`, `decision_finale`) the count of each decision.
struct ChargementAttendu {
    tables: Vec<(String, i64)>,
    decisions: Vec<(String, String, String, i64)>,
}

fn read_expected_load() -> ChargementAttendu {
    let readme = std::fs::read_to_string(repo().join("data/samples/README.md")).unwrap();
    let section = readme
        .split("\n## Chargement attendu")
        .nth(1)
        .expect("data/samples/README.md has a section « Chargement attendu »");
    let section = section.split("\n## ").next().unwrap();
    let mut expected = ChargementAttendu {
        tables: Vec::new(),
        decisions: Vec::new(),
    };
    let mut codes: Vec<String> = Vec::new();
    for line in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect();
        match cells.as_slice() {
            [first, second, rest @ ..] if first == "session" && second == "colonne" => {
                codes = rest.to_vec();
            }
            [session, colonne, counts @ ..] if session.parse::<i32>().is_ok() => {
                for (code, n) in codes.iter().zip(counts) {
                    let n = n.parse().unwrap();
                    expected
                        .decisions
                        .push((session.clone(), colonne.clone(), code.clone(), n));
                }
            }
            [table, n] if n.parse::<i64>().is_ok() => {
                expected.tables.push((table.clone(), n.parse().unwrap()));
            }
            _ => {}
        }
    }
    assert!(expected.tables.len() >= 7, "{:?}", expected.tables);
    assert!(expected.decisions.len() >= 3 * 2 * 7);
    expected
}

#[test]
fn samples_readme_load_counts_match_a_fresh_run() {
    let expected = read_expected_load();
    let w = Workdir::new();
    run_samples(&w);
    for (table, n) in &expected.tables {
        let got = w.count(&format!("SELECT count(*) FROM {table}"));
        assert_eq!(got, *n, "table {table}: README says {n}");
    }
    let rows = read_report(&w.out().join("resultats.csv"));
    let column = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    for (session, colonne, code, n) in &expected.decisions {
        let c = column(colonne);
        let got = rows
            .iter()
            .skip(1)
            .filter(|r| &r[0] == session && &r[c] == code)
            .count();
        assert_eq!(
            got as i64, *n,
            "{session} {colonne} {code}: README says {n}"
        );
    }
}

#[test]
fn samples_control_exams_and_jury_rows_give_the_planted_outcomes() {
    let w = Workdir::new();
    run_samples(&w);
    let rows = read_report(&w.out().join("resultats.csv"));
    let column = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let row = |session: i32, candidat: &str| {
        rows.iter()
            .find(|r| r[0] == session.to_string() && r[1] == candidat)
            .unwrap_or_else(|| panic!("{session} {candidat} not in resultats.csv"))
    };
    let comma = |d: &rust_decimal::Decimal| format!("{d:.2}").replace('.', ",");
    for s in truth().sessions {
        assert!(!s.controles.is_empty(), "{}", s.session);
        let controle = rows
            .iter()
            .skip(1)
            .filter(|r| r[0] == s.session.to_string())
            .filter(|r| r[column("decision_premier_groupe")] == "CONTROLE")
            .count();
        assert_eq!(controle, s.controles.len(), "{}", s.session);
        for c in &s.controles {
            let r = row(s.session, &c.candidat);
            assert_eq!(r[column("decision_premier_groupe")], "CONTROLE", "{c:?}");
            assert_eq!(
                r[column("moyenne_premier_groupe")],
                comma(&c.moyenne_premier_groupe)
            );
            assert_eq!(r[column("moyenne")], comma(&c.moyenne_apres_controle));
            assert_eq!(r[column("decision")], c.decision, "{c:?}");
        }
        assert!((3..=5).contains(&s.jury.len()), "{:?}", s.jury);
        for j in &s.jury {
            let r = row(s.session, &j.candidat);
            assert_eq!(r[column("decision")], j.decision_calculee, "{j:?}");
            assert_eq!(r[column("decision_jury")], j.decision_jury, "{j:?}");
            assert_eq!(r[column("decision_finale")], j.decision_jury, "{j:?}");
            assert_eq!(r[column("motif_jury")], j.motif, "{j:?}");
        }
    }
}

/// Files are read ahead of the one being loaded: the outcomes still come in the order given,
/// each under its own name. Two copies of one workbook in the same load add it once; a damaged
/// file between them fails alone.
#[test]
fn files_read_ahead_keep_their_order_and_a_copy_in_the_same_load_adds_nothing() {
    let w = Workdir::new();
    let notes = repo().join("data").join("samples").join("notes_2024.xlsx");
    let (a, broken, b) = (
        w.path().join("a_notes_2024.xlsx"),
        w.path().join("b_casse_2024.xlsx"),
        w.path().join("c_copie_2024.xlsx"),
    );
    std::fs::copy(&notes, &a).unwrap();
    std::fs::write(&broken, "ceci n'est pas un classeur").unwrap();
    std::fs::copy(&notes, &b).unwrap();
    let out = w.ingest(&[&a, &broken, &b], 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let firsts: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .take(2)
        .collect();
    assert!(
        firsts[0].starts_with("chargé") && firsts[0].contains("a_notes_2024.xlsx"),
        "{stdout}"
    );
    assert!(
        firsts[1].starts_with("déjà chargé") && firsts[1].contains("c_copie_2024.xlsx"),
        "{stdout}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("b_casse_2024.xlsx"), "{stderr}");
    assert!(
        stdout.contains("(1 chargés, 1 déjà chargés, 1 en erreur)"),
        "{stdout}"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM sources WHERE chemin LIKE '%c_copie%'"),
        0
    );
    let alone = Workdir::new();
    alone.ingest(&[&notes], 0);
    assert_eq!(table_counts(&w), table_counts(&alone));
}

/// Issue 13, item 7: a database of a newer schema is refused in French by every command that
/// opens it, with exit code 1, and is not changed.
#[test]
fn a_database_of_a_newer_schema_is_refused_and_left_unchanged() {
    let w = Workdir::new();
    let file = repo().join("tests/fixtures/mauvais/guillemet_isole_2024.csv");
    let db = w.db();
    let db = db.to_str().unwrap();
    w.run_ok(&["ingest", "--db", db, file.to_str().unwrap()], 0);
    let before = w.count("SELECT count(*) FROM notes");
    w.conn()
        .execute_batch("UPDATE version_schema SET version = version + 1")
        .unwrap();
    let newer = w.count("SELECT max(version) FROM version_schema");
    for args in [
        vec!["results", "--db", db],
        vec!["ingest", "--db", db, file.to_str().unwrap()],
    ] {
        let out = w.run_ok(&args, 1);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("version plus récente de ndrc-stats")
                && stderr.contains(&format!("schéma {newer}")),
            "{stderr}"
        );
    }
    assert_eq!(w.count("SELECT count(*) FROM notes"), before);
    assert_eq!(w.count("SELECT max(version) FROM version_schema"), newer);
}

/// Issue 13, item 5: `sources` lists each loaded sheet with its id, path, SHA-256, layout, rows
/// and rejets, in the order loaded.
#[test]
fn sources_lists_each_loaded_sheet_with_its_hash_rows_and_rejets() {
    use sha2::{Digest, Sha256};
    let w = Workdir::new();
    let db = w.db();
    let db = db.to_str().unwrap();
    let empty = w.run_ok(&["sources", "--db", db], 2);
    assert!(String::from_utf8_lossy(&empty.stderr).contains("base introuvable"));
    let file = repo().join("tests/fixtures/mauvais/guillemet_isole_2024.csv");
    w.run_ok(&["ingest", "--db", db, file.to_str().unwrap()], 0);
    let out = w.run_ok(&["sources", "--db", db], 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].ends_with(": 1 fichier(s), 1 feuille(s) chargée(s)"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("id\tfichier\tfeuille\tSHA-256"),
        "{stdout}"
    );
    let cells: Vec<&str> = lines[2].split('\t').collect();
    let sha = format!("{:x}", Sha256::digest(std::fs::read(&file).unwrap()));
    assert_eq!(cells[0], "1");
    assert_eq!(cells[1], file.to_str().unwrap());
    assert_eq!(cells[2], "-");
    assert_eq!(cells[3], sha);
    let (lues, rejets) = (
        w.count("SELECT sum(lignes_lues) FROM sources"),
        w.count("SELECT count(*) FROM rejets"),
    );
    assert_eq!(cells[5], lues.to_string());
    assert_eq!(cells[8], rejets.to_string());
    assert!(rejets > 0, "the stray quote is a rejet");
    assert_eq!(lines.len(), 3, "{stdout}");
}

/// Three control grades: C1 for U1 (named by its exam code), C2 for U3 (named by its subject),
/// C1 for U2.
const CONTROLES: &str = "Session;N° candidat;Nom;Prénom;Epreuve;Unité remplacée;Note\n\
                         2024;0240000010;ROUX;Théo;C1;E1;12\n\
                         2024;0240000011;DIAZ;Léa;C2;CEJM;13\n\
                         2024;0240000012;PONS;Hugo;C1;U2;11\n";

/// Loads [`CONTROLES`] in a fresh work dir whose regulation is the shipped one with `edit`
/// applied, and returns the work dir.
fn load_controles(edit: impl Fn(String) -> String) -> Workdir {
    let w = Workdir::new();
    let shipped = std::fs::read_to_string(repo().join("data/regulation/ndrc.toml")).unwrap();
    std::fs::create_dir_all(w.path().join("data/regulation")).unwrap();
    std::fs::write(w.path().join("data/regulation/ndrc.toml"), edit(shipped)).unwrap();
    let file = w.path().join("controles_2024.csv");
    std::fs::write(&file, CONTROLES).unwrap();
    w.ingest(&[&file], 0);
    w
}

#[test]
fn a_control_grade_replaces_the_unit_its_row_names() {
    let w = load_controles(|text| text);
    assert_eq!(
        w.text(
            "SELECT string_agg(candidat || ' ' || epreuve || ' ' || unite_remplacee, ', ' \
             ORDER BY candidat) FROM notes"
        ),
        "0240000010 C1 U1, 0240000011 C2 U3, 0240000012 C1 U2"
    );
    assert_eq!(w.count("SELECT count(*) FROM rejets"), 0);
}

#[test]
fn the_units_a_control_grade_may_replace_are_the_regulations() {
    // U3 no longer replaceable: the C2 row for CEJM is rejected, the others stay.
    let w = load_controles(|text| {
        text.replace(
            r#"unites_remplacables = ["U1", "U2", "U3"]"#,
            r#"unites_remplacables = ["U1", "U2"]"#,
        )
    });
    assert_eq!(
        w.text("SELECT string_agg(candidat, ', ' ORDER BY candidat) FROM notes"),
        "0240000010, 0240000012"
    );
    assert_eq!(
        w.text("SELECT code || ' | ' || valeur || ' | ' || ligne || ' | ' || motif FROM rejets"),
        "unite_remplacee_invalide | CEJM | 3 | épreuve de contrôle sans unité remplacée reconnue \
         (U1 ou U2 attendue : controle.unites_remplacables de data/regulation/ndrc.toml)"
    );
}

/// A long layout repeats each candidate's identity on every grade row: a value equal to the
/// candidate's first is not pushed again while the candidate's rows follow each other, but a
/// candidate met again after another one (even one whose cell of that field is empty) is
/// confirmed again, and a different value is a conflict. The merge keeps the confirmations and
/// conflicts in `doublons_candidats_valeurs`, so every push shows there.
#[test]
fn a_repeated_identity_is_confirmed_once_per_run_of_rows_and_again_after_another_candidate() {
    let w = Workdir::new();
    let file = w.path().join("identites_2024.csv");
    std::fs::write(
        &file,
        "Session;N° candidat;Nom;Prénom;Epreuve;Note\n\
         2024;0240000001;MARTIN;Léa;E1;12\n\
         2024;0240000001;MARTIN;Léa;E2;13\n\
         2024;0240000002;MARTIN;Hugo;E1;11\n\
         2024;0240000001;MARTIN;Léa;E3;14\n\
         2024;0240000001;MARTINS;Léa;E4;15\n\
         2024;0240000001;MARTIN;Léa;E5A;16\n\
         2024;0240000003;;Paul;E1;10\n\
         2024;0240000001;MARTIN;Léa;E6;9\n",
    )
    .unwrap();
    w.ingest(&[&file], 0);
    let pushes = |table: &str| {
        w.text(&format!(
            "SELECT string_agg(ligne || ' ' || right(candidat, 1) || ' ' || champ || ' ' || valeur, \
             ', ' ORDER BY ligne, candidat, champ) FROM {table}"
        ))
    };
    assert_eq!(
        pushes("candidats_valeurs"),
        "2 1 nom MARTIN, 2 1 prenom Léa, 4 2 nom MARTIN, 4 2 prenom Hugo, 8 3 prenom Paul"
    );
    assert_eq!(
        pushes("doublons_candidats_valeurs"),
        "5 1 nom MARTIN, 5 1 prenom Léa, 6 1 nom MARTINS, 9 1 nom MARTIN, 9 1 prenom Léa"
    );
    assert_eq!(
        w.text(
            "SELECT string_agg(ligne || ' ' || valeur, ', ') FROM rejets WHERE code = 'conflit'"
        ),
        "6 MARTINS"
    );
    assert_eq!(w.count("SELECT count(*) FROM notes"), 8);
}
