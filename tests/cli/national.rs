//! Issue 11 item 2: `generate --national` writes a long Windows-1252 CSV of every session and one
//! wide workbook per academy-session; loaded by the real binary, both give the decisions and
//! rates the generator expects (its summary, computed by the regulation in integers), the other
//! BTS of the export lands in hors_reglement.csv, and the only rejets are the planted empty cells.

use std::collections::BTreeMap;
use std::path::Path;

use ndrc_stats::generate::{run_national, NationalOptions, NationalSummary};

use crate::common::{read_report, Workdir};

const SEED: u64 = 1;
const CANDIDATS: usize = 300;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Generates with the binary into `dir`, and in-process (same options) for the expected counts.
fn generate(w: &Workdir, dir: &Path) -> NationalSummary {
    w.run_ok(
        &[
            "generate",
            "--national",
            "--candidats",
            &CANDIDATS.to_string(),
            "--seed",
            &SEED.to_string(),
            "--out",
            s(dir),
        ],
        0,
    );
    let attendu = w.path().join("attendu");
    run_national(&NationalOptions {
        out: attendu,
        seed: SEED,
        candidats: CANDIDATS,
        sessions: vec![2022, 2023, 2024],
    })
    .unwrap()
}

/// Decisions per session in the work dir's database.
fn decisions(w: &Workdir) -> BTreeMap<i32, BTreeMap<String, u64>> {
    let conn = w.conn();
    let mut stmt = conn
        .prepare(
            "SELECT session, decision_finale, count(*) FROM decisions \
             GROUP BY ALL ORDER BY ALL",
        )
        .unwrap();
    let mut par_session: BTreeMap<i32, BTreeMap<String, u64>> = BTreeMap::new();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (session, decision, n) = row.unwrap();
        par_session
            .entry(session)
            .or_default()
            .insert(decision, u64::try_from(n).unwrap());
    }
    par_session
}

#[test]
fn national_csv_gives_the_generator_s_decisions_and_rates() {
    let w = Workdir::new();
    let dir = w.path().join("national");
    let summary = generate(&w, &dir);
    let csv = dir.join("notes_nationales.csv");
    w.ingest(&[&csv], 0);

    // Every row is stored but the planted empty cells, each rejected as a missing grade.
    let lignes: u64 = summary.sessions.iter().map(|s| s.lignes).sum();
    let vides: u64 = summary.sessions.iter().map(|s| s.cellules_vides).sum();
    assert!(vides > 0, "seed {SEED} plants empty cells");
    let notes = u64::try_from(w.count("SELECT count(*) FROM notes")).unwrap();
    assert_eq!(notes + vides, lignes);
    assert_eq!(
        w.count("SELECT count(*) FROM rejets WHERE code <> 'note_manquante'"),
        0
    );
    assert_eq!(
        u64::try_from(w.count("SELECT count(*) FROM rejets")).unwrap(),
        vides
    );

    w.report("results", 0);
    w.report("rates", 0);
    let trouvees = decisions(&w);
    for attendu in &summary.sessions {
        assert_eq!(
            trouvees.get(&attendu.session),
            Some(&attendu.decisions),
            "session {}",
            attendu.session
        );
    }
    assert!(summary
        .sessions
        .iter()
        .any(|s| s.decisions.contains_key("INCOMPLET") && s.decisions.contains_key("EN_ATTENTE")));

    let reussite = read_report(&w.out().join("reussite.csv"));
    for attendu in &summary.sessions {
        let ligne = reussite
            .iter()
            .find(|r| r[0] == attendu.session.to_string() && r[1] == "ensemble")
            .unwrap();
        assert_eq!(ligne[3], attendu.presents.to_string(), "{ligne:?}");
        assert_eq!(ligne[4], attendu.admis.to_string(), "{ligne:?}");
    }

    // The other BTS of the export: every one listed, none in the results.
    let hors = read_report(&w.out().join("hors_reglement.csv"));
    let specialite = hors[0].iter().position(|h| h == "specialite").unwrap();
    for attendu in &summary.sessions {
        let n = hors
            .iter()
            .skip(1)
            .filter(|r| r[0] == attendu.session.to_string())
            .inspect(|r| assert_eq!(r[specialite], "MCO", "{r:?}"))
            .count();
        assert_eq!(n as u64, attendu.hors_reglement);
    }
    let mco: i64 = w.count(
        "SELECT count(*) FROM decisions d JOIN candidats c USING (session, candidat) \
         WHERE c.specialite = 'MCO'",
    );
    assert_eq!(mco, 0);
}

#[test]
fn academy_workbooks_give_the_same_results_as_the_national_csv() {
    let w = Workdir::new();
    let dir = w.path().join("national");
    generate(&w, &dir);
    w.ingest(&[&dir.join("notes_nationales.csv")], 0);
    let wb = Workdir::new();
    let classeurs = dir.join("academies").join("2024");
    assert_eq!(std::fs::read_dir(&classeurs).unwrap().count(), 30);
    wb.ingest(&[&classeurs], 0);
    assert_eq!(wb.count("SELECT count(*) FROM rejets"), 0);
    let results = |w: &Workdir| {
        let (db, out) = (w.db(), w.out());
        w.run_ok(
            &[
                "results",
                "--db",
                s(&db),
                "--out",
                s(&out),
                "--session",
                "2024",
            ],
            0,
        );
        std::fs::read_to_string(out.join("resultats.csv")).unwrap()
    };
    let (depuis_csv, depuis_classeurs) = (results(&w), results(&wb));
    assert!(depuis_csv.lines().count() > 250);
    assert!(
        depuis_csv == depuis_classeurs,
        "resultats.csv differ between the long CSV and the workbooks"
    );
}

#[test]
fn more_than_a_million_candidates_per_session_is_a_usage_error() {
    let w = Workdir::new();
    let out = w.run_ok(
        &[
            "generate",
            "--national",
            "--candidats",
            "1000001",
            "--out",
            "national",
        ],
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--candidats"), "{stderr}");
    assert!(!w.path().join("national").exists());
}
