//! Issue 11 item 8: `export --parquet` writes the canonical tables and the results as
//! Hive-partitioned Parquet that DuckDB's `read_parquet` reads back to the same rows and results.

use crate::common::{repo, Workdir};

#[test]
fn parquet_export_reads_back_to_the_same_tables_and_results() {
    let w = Workdir::new();
    w.ingest(&[&repo().join("data").join("samples")], 0);
    let (db, dir) = (w.db(), w.path().join("parquet"));
    for _ in 0..2 {
        // Twice: a second export replaces the first, it never adds to it.
        w.run_ok(
            &[
                "export",
                "--db",
                db.to_str().unwrap(),
                "--parquet",
                dir.to_str().unwrap(),
            ],
            0,
        );
    }
    assert!(dir
        .join("notes")
        .join("session=2024")
        .join("academie=LYON")
        .is_dir());
    let conn = w.conn();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let glob = |t: &str| {
        format!(
            "read_parquet('{}/{t}/**/*.parquet', hive_partitioning = true)",
            dir.display()
        )
    };
    for table in [
        "candidats",
        "notes",
        "livret",
        "avis",
        "grilles",
        "notes_correcteurs",
    ] {
        assert_eq!(
            count(&format!("SELECT count(*) FROM {}", glob(table))),
            count(&format!("SELECT count(*) FROM {table}")),
            "{table}"
        );
    }
    assert_eq!(
        count(&format!(
            "SELECT count(*) FROM read_parquet('{}/rejets.parquet')",
            dir.display()
        )),
        count("SELECT count(*) FROM rejets")
    );
    // The results read back: every candidate's final decision and average, session by session.
    let differing = count(&format!(
        "SELECT count(*) FROM (
            SELECT session, candidat, decision_finale, moyenne FROM {}
            EXCEPT
            SELECT session, candidat, decision_finale, moyenne FROM decisions)",
        glob("resultats")
    ));
    assert_eq!(differing, 0);
    assert_eq!(
        count(&format!("SELECT count(*) FROM {}", glob("resultats"))),
        count("SELECT count(*) FROM candidats")
    );
}
