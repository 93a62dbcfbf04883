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
            assert_eq!(notes, (cells - 3) as i64 - duplicate, "{y}");
        } else {
            assert_eq!(notes, cells as i64, "{y}");
        }
        // Examiner, commission and subject of the long CSV are attached to the workbook's grades.
        let e5b = count("SELECT count(*) FROM notes WHERE session = {y} AND epreuve = 'E5B' AND examinateur IS NOT NULL");
        let e5b_rows = count("SELECT count(*) FROM notes WHERE session = {y} AND epreuve = 'E5B'");
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
    assert!(stdout.contains("0 chargés, 24 déjà chargés"), "{stdout}");
}

#[test]
fn a_conflicting_grade_keeps_the_first_value_and_names_both_places() {
    let w = Workdir::new();
    run_samples(&w);
    let motif = w.text("SELECT motif FROM rejets WHERE code = 'conflit'");
    assert!(motif.contains("notes_2024.xlsx"), "{motif}");
    assert!(motif.contains("la première valeur est gardée"), "{motif}");
}
