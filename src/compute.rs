//! The only module that knows `queries/`: loads the regulation tables, then runs the numbered SQL
//! files (`05_…` onwards; `00_schema.sql` is the store's) in order, statement by statement, and
//! stops when a session of the diploma's candidates is not covered by the regulation.
//!
//! Takes a [`Store`] and a [`Regulation`]; gives the computed tables (`perimetre`,
//! `hors_reglement`, `notes_unites`, `moyennes`,
//! `decisions`, `blocs_acquis`, `statistiques_epreuves`, `distributions_epreuves`, `a_examiner`,
//! `reussite`, `evolution_reussite`, `livret_moyennes`, `livret_profils`, `livret_cotation`,
//! `livret_signalements`) and the explanation views (`explication_*`).
//! It writes no file: reports read those tables.

use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::regulation::Regulation;
use crate::store::Store;

/// The computation files, in the order they run, embedded in the binary.
const QUERIES: &[(&str, &str)] = &[
    (
        "queries/05_perimetre.sql",
        include_str!("../queries/05_perimetre.sql"),
    ),
    (
        "queries/10_notes_unites.sql",
        include_str!("../queries/10_notes_unites.sql"),
    ),
    (
        "queries/20_moyennes.sql",
        include_str!("../queries/20_moyennes.sql"),
    ),
    (
        "queries/30_decisions.sql",
        include_str!("../queries/30_decisions.sql"),
    ),
    (
        "queries/40_blocs.sql",
        include_str!("../queries/40_blocs.sql"),
    ),
    (
        "queries/50_statistiques_epreuves.sql",
        include_str!("../queries/50_statistiques_epreuves.sql"),
    ),
    (
        "queries/60_distributions_epreuves.sql",
        include_str!("../queries/60_distributions_epreuves.sql"),
    ),
    (
        "queries/70_a_examiner.sql",
        include_str!("../queries/70_a_examiner.sql"),
    ),
    (
        "queries/80_reussite.sql",
        include_str!("../queries/80_reussite.sql"),
    ),
    (
        "queries/81_evolution_reussite.sql",
        include_str!("../queries/81_evolution_reussite.sql"),
    ),
    (
        "queries/90_livret_moyennes.sql",
        include_str!("../queries/90_livret_moyennes.sql"),
    ),
    (
        "queries/91_livret_profils.sql",
        include_str!("../queries/91_livret_profils.sql"),
    ),
    (
        "queries/92_livret_cotation.sql",
        include_str!("../queries/92_livret_cotation.sql"),
    ),
    (
        "queries/93_livret_signalements.sql",
        include_str!("../queries/93_livret_signalements.sql"),
    ),
    (
        "queries/95_rapports.sql",
        include_str!("../queries/95_rapports.sql"),
    ),
    (
        "queries/97_explication.sql",
        include_str!("../queries/97_explication.sql"),
    ),
];

/// The comment of each unit column of `rapport_resultats` (from the regulation, as the columns).
fn unit_comments(regulation: &Regulation) -> String {
    let text = |t: &str| t.replace('\'', "''");
    regulation
        .unites
        .iter()
        .map(|u| {
            format!(
                "COMMENT ON COLUMN rapport_resultats.\"{}\" IS 'Note de l''unité {} ({}) sur 20, \
                 après les épreuves de contrôle quand elles s''appliquent.';\n",
                u.code.replace('"', "\"\""),
                text(&u.code),
                text(&u.intitule)
            )
        })
        .collect()
}

/// The columns that replace `{unites}` in `queries/95_rapports.sql`: one per unit of the
/// regulation, over the aliases `u` (notes_unites) and `d` (decisions), each led by a comma.
fn unit_columns(regulation: &Regulation) -> String {
    regulation
        .unit_codes()
        .map(|code| {
            format!(
                ",\n           max(CASE WHEN d.controle_applique THEN u.note_controle_appliquee \
                 ELSE u.note END) FILTER (WHERE u.unite = '{}') AS \"{}\"",
                code.replace('\'', "''"),
                code.replace('"', "\"\"")
            )
        })
        .collect()
}

/// Loads `regulation` into its tables and runs every computation file, unless the computed tables
/// are already those of the same inputs: the table `calcul` keeps the fingerprint of what they
/// were computed from (see [`fingerprint`]), so that `rates`, `livret` or `harmonize` after
/// `results` do not compute everything again. Any new file, row or rule computes again.
///
/// # Errors
/// [`Error::Store`] naming the file and the statement (number and first line) that failed;
/// [`Error::SessionNonCouverte`] when candidates of the diploma sit a session the regulation does
/// not cover (found by `05_perimetre.sql`, before any rule is applied).
pub fn compute_results(store: &Store, regulation: &Regulation) -> Result<()> {
    let empreinte = fingerprint(store, regulation)?;
    if store.text("SELECT max(empreinte) FROM calcul")?.as_deref() == Some(&*empreinte) {
        crate::chrono::report(
            "calcul déjà fait pour ces données et ces règles",
            Duration::ZERO,
        );
        return Ok(());
    }
    // No fingerprint while the tables are being replaced: a computation that stops halfway is
    // never taken for a finished one.
    store.execute_batch("DELETE FROM calcul", "empreinte du calcul (table calcul)")?;
    with_memory_limit(store, MEMORY_LIMIT, || {
        run_queries(store, regulation, QUERIES)
    })?;
    store
        .connection()
        .execute(
            "INSERT INTO calcul VALUES (?, current_timestamp)",
            [&empreinte],
        )
        .map(|_| ())
        .map_err(store.fail("empreinte du calcul (table calcul)"))
}

/// What the computed tables depend on, hashed (SHA-256, hex): this version of the binary and its
/// queries, the regulation, the loaded sources (id and SHA-256) and the content of every loaded
/// table (row count and sum of row hashes: a row added, deleted or changed by hand counts too).
///
/// # Errors
/// [`Error::Store`].
pub fn fingerprint(store: &Store, regulation: &Regulation) -> Result<String> {
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION"));
    for (file, sql) in QUERIES {
        hash.update(file);
        hash.update(sql);
    }
    hash.update(format!("{regulation:?}"));
    let sources = store.text(
        "SELECT string_agg(source_id || ':' || sha256, ',' ORDER BY source_id) FROM sources",
    )?;
    hash.update(sources.unwrap_or_default());
    for shape in crate::shape::LOADED {
        // Rows and a sum of row hashes: a row added, deleted or changed by hand counts too.
        let content = store.text(&format!(
            "SELECT count(*) || ':' || coalesce(CAST(sum(hash(t)) AS VARCHAR), '') FROM {} AS t",
            shape.table
        ))?;
        hash.update(format!("{}={};", shape.table, content.unwrap_or_default()));
    }
    Ok(crate::ingest::read::hex(&hash.finalize()))
}

/// The last computation file [`compute_decisions`] runs.
const DECISIONS_FILE: &str = "queries/30_decisions.sql";

/// Loads `regulation` and runs the computation files up to `30_decisions.sql` only: what a
/// simulation needs to read the decisions (`notes_unites`, `moyennes`, `decisions`), without the
/// rates and livret tables. The computed tables are then no longer those of [`fingerprint`]: the
/// stored fingerprint is removed (a simulation rolls both back together).
///
/// # Errors
/// As [`compute_results`].
pub fn compute_decisions(store: &Store, regulation: &Regulation) -> Result<()> {
    store.execute_batch("DELETE FROM calcul", "empreinte du calcul (table calcul)")?;
    let last = QUERIES
        .iter()
        .position(|(f, _)| *f == DECISIONS_FILE)
        .ok_or_else(|| Error::Internal(format!("{DECISIONS_FILE} absent de la liste")))?;
    run_queries(store, regulation, &QUERIES[..=last])
}

/// Loads the regulation tables, then runs `files` in order.
fn run_queries(store: &Store, regulation: &Regulation, files: &[(&str, &str)]) -> Result<()> {
    regulation.load_tables(store)?;
    let unites = unit_columns(regulation);
    for (file, sql) in files {
        let sql = sql.replace("{unites}", &unites);
        for (i, statement) in split_statements(&sql).iter().enumerate() {
            let start = std::time::Instant::now();
            run_statement(
                store,
                statement,
                &format!("{file}, instruction {} ({})", i + 1, first_line(statement)),
            )?;
            crate::chrono::since(
                &format!("{file} {} ({})", i + 1, first_line(statement)),
                start,
            );
        }
        if file.ends_with("05_perimetre.sql") {
            check_sessions_covered(store, regulation)?;
        }
        if file.ends_with("95_rapports.sql") {
            store.execute_batch(
                &unit_comments(regulation),
                "commentaires des colonnes d'unités de rapport_resultats",
            )?;
        }
    }
    // CREATE OR REPLACE drops a table's comment: the tables just made get theirs again.
    store.apply_comments()
}

/// The memory DuckDB may use while it computes the tables of [`compute_results`]. DuckDB
/// otherwise keeps buffers up to 80 % of the machine's memory: a national computation
/// (300,000 candidates, 2.2 M grades) then peaks at 1.27 GB, and at 0.93–1.02 GB with this limit
/// in the same time (README, Performance). A statement that needs more runs again without it
/// (see [`run_statement`]).
pub const MEMORY_LIMIT: &str = "1GB";

/// Runs `f` with DuckDB's memory limit set to `limit`, then gives DuckDB back its own.
///
/// # Errors
/// [`Error::Store`], and those of `f`.
fn with_memory_limit(store: &Store, limit: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    set_memory_limit(store, limit);
    let result = f();
    store.execute_batch("RESET memory_limit", "limite de mémoire du calcul")?;
    result
}

/// Sets DuckDB's memory limit when it can: DuckDB refuses a limit below what a database held in
/// memory already uses, and the computation then runs without it (the profile says so).
fn set_memory_limit(store: &Store, limit: &str) {
    let sql = format!("SET memory_limit = '{}'", limit.replace('\'', ""));
    if let Err(e) = store.execute_batch(&sql, "limite de mémoire du calcul") {
        crate::chrono::report(
            &format!("limite de mémoire {limit} refusée : {e}"),
            Duration::ZERO,
        );
    }
}

/// Runs one statement; when DuckDB runs out of the memory it was given, runs it again once
/// without the limit, then sets the limit again (a computation bigger than the limit was chosen
/// for is slower, never stopped). Outside a transaction only: a failed statement aborts a
/// transaction.
///
/// # Errors
/// [`Error::Store`] naming `context`.
fn run_statement(store: &Store, statement: &str, context: &str) -> Result<()> {
    match store.execute_batch(statement, context) {
        Err(Error::Store { source, .. }) if source.to_string().contains("Out of Memory") => {
            let limit = store
                .text("SELECT current_setting('memory_limit')")?
                .unwrap_or_default();
            crate::chrono::report(
                &format!("{context} : mémoire ({limit}) dépassée, recommencé sans limite"),
                Duration::ZERO,
            );
            store.execute_batch("RESET memory_limit", "limite de mémoire du calcul")?;
            let again = store.execute_batch(statement, context);
            set_memory_limit(store, &limit);
            again
        }
        other => other,
    }
}

/// Stops with [`Error::SessionNonCouverte`] when `sessions_non_couvertes` has a row.
fn check_sessions_covered(store: &Store, regulation: &Regulation) -> Result<()> {
    let rows = store.rows(
        "SELECT session, candidats FROM sessions_non_couvertes ORDER BY session",
        [],
        "lecture de sessions_non_couvertes",
        |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)),
    )?;
    if rows.is_empty() {
        return Ok(());
    }
    let sessions = rows
        .iter()
        .map(|(s, n)| {
            format!(
                "la session {s} ({n} candidat{})",
                if *n > 1 { "s" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    Err(Error::SessionNonCouverte {
        sessions,
        diplome: regulation.diplome.intitule.clone(),
        couvertes: regulation.diplome.sessions_couvertes(),
    })
}

/// Splits SQL text into statements at `;` outside quotes and `--` comments; comment-only pieces
/// are dropped.
fn split_statements(sql: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut current = String::new();
    let mut chars = sql.chars().peekable();
    let (mut in_quote, mut in_comment) = (false, false);
    while let Some(c) = chars.next() {
        current.push(c);
        match c {
            '\n' if in_comment => in_comment = false,
            _ if in_comment => {}
            '\'' => in_quote = !in_quote,
            '-' if !in_quote && chars.peek() == Some(&'-') => in_comment = true,
            ';' if !in_quote => statements.push(std::mem::take(&mut current)),
            _ => {}
        }
    }
    statements.push(current);
    statements
        .into_iter()
        .filter(|s| {
            s.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
        })
        .map(|s| s.trim().to_string())
        .collect()
}

/// The first line of a statement that is not a comment, for error messages.
fn first_line(statement: &str) -> &str {
    statement
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("--"))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_split_outside_quotes_and_comments() {
        let sql = "-- head; comment\nSELECT 'a;b';\n-- a comment;\nSELECT 2 -- x;\n;\n-- end\n";
        assert_eq!(
            split_statements(sql),
            [
                "-- head; comment\nSELECT 'a;b';",
                "-- a comment;\nSELECT 2 -- x;\n;"
            ]
        );
        assert_eq!(first_line("-- c\n  SELECT 1;"), "SELECT 1;");
    }

    /// A statement that needs more memory than the computation's limit runs again without it.
    #[test]
    fn a_statement_over_the_memory_limit_runs_again_without_it() {
        let store = Store::open_in_memory().unwrap();
        // No spilling to disk: past the limit, DuckDB can only fail (and, the table held in
        // memory, refuses the limit again afterwards: the computation goes on without it).
        store
            .execute_batch("SET temp_directory = ''", "test")
            .unwrap();
        let big = "CREATE TABLE t AS SELECT i, i::VARCHAR || repeat('x', 20) AS s \
                   FROM range(2000000) AS r(i) ORDER BY s DESC";
        with_memory_limit(&store, "4MB", || {
            // The limit alone fails...
            let err = store.execute_batch(big, "test").unwrap_err();
            assert!(err.to_string().contains("test"), "{err}");
            // ...the statement run as the computation runs it succeeds, and the limit is kept.
            run_statement(&store, big, "test")?;
            Ok(())
        })
        .unwrap();
        assert_eq!(store.count("SELECT count(*) FROM t").unwrap(), 2_000_000);
        let limit = store
            .text("SELECT current_setting('memory_limit')")
            .unwrap();
        assert!(!limit.unwrap_or_default().starts_with("3.8 MiB"));
    }

    #[test]
    fn every_numbered_query_file_is_run_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| format!("queries/{}", e.unwrap().file_name().to_string_lossy()))
            // 00_schema.sql and 99_commentaires.sql are the store's, applied at every open;
            // 96_rapports_harmonisation.sql is the harmonisation job's, after its tables.
            .filter(|f| {
                f.ends_with(".sql")
                    && !f.starts_with("queries/00_")
                    && !f.starts_with("queries/96_")
                    && !f.starts_with("queries/99_")
            })
            .collect();
        files.sort();
        let listed: Vec<&str> = QUERIES.iter().map(|(f, _)| *f).collect();
        assert_eq!(listed, files);
    }

    #[test]
    fn every_file_runs_on_an_empty_database_and_makes_its_table() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.duckdb")).unwrap();
        compute_results(&store, &Regulation::embedded().unwrap()).unwrap();
        for table in [
            "perimetre",
            "hors_reglement",
            "sessions_non_couvertes",
            "notes_unites",
            "moyennes",
            "decisions",
            "blocs_acquis",
            "statistiques_epreuves",
            "distributions_epreuves",
            "a_examiner",
            "reussite",
            "evolution_reussite",
            "livret_moyennes",
            "livret_profils",
            "livret_cotation",
            "livret_signalements",
        ] {
            assert_eq!(
                store
                    .count(&format!("SELECT count(*) FROM {table}"))
                    .unwrap(),
                0,
                "{table}"
            );
        }
    }

    /// Issue 11: national counts (a million présents a session) never overflow a product.
    #[test]
    fn evolution_of_national_counts_is_exact_without_overflow() {
        let store = Store::open_in_memory().unwrap();
        compute_results(&store, &Regulation::embedded().unwrap()).unwrap();
        // 2023: 900,000 of 1,000,000 admitted (90.0 %); 2024: 910,001 of 1,000,000 (91.0001 %).
        store
            .execute_batch(
                "DELETE FROM reussite;
                 INSERT INTO reussite VALUES
                   (2023, 'academie', 1, 'NATION', 'NATION', NULL, NULL, 1000000, 900000,
                    90.0, 89.9, 90.1, 0.8994, 0.9006),
                   (2024, 'academie', 1, 'NATION', 'NATION', NULL, NULL, 1000000, 910001,
                    91.0, 90.9, 91.1, 0.9094, 0.9106);",
                "test",
            )
            .unwrap();
        let (_, sql) = QUERIES
            .iter()
            .find(|(f, _)| f.ends_with("81_evolution_reussite.sql"))
            .unwrap();
        store.execute_batch(sql, "81").unwrap();
        let ecart: String = store
            .connection()
            .query_row(
                "SELECT CAST(ecart_points AS VARCHAR) || ' ' || recouvrement FROM evolution_reussite \
                 WHERE session = 2024",
                [],
                |r| r.get(0),
            )
            .unwrap();
        // 100 × (910,001 − 900,000) / 1,000,000 = 1.0001 points → 1.0; intervals apart.
        assert_eq!(ecart, "1.0 non");
    }

    #[test]
    fn decisions_alone_stop_after_the_decision_file() {
        let store = Store::open_in_memory().unwrap();
        compute_decisions(&store, &Regulation::embedded().unwrap()).unwrap();
        assert_eq!(store.count("SELECT count(*) FROM decisions").unwrap(), 0);
        let later = store
            .count(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'blocs_acquis'",
            )
            .unwrap();
        assert_eq!(later, 0, "40_blocs.sql must not run");
    }

    #[test]
    fn a_failing_statement_names_its_file_and_statement() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.duckdb")).unwrap();
        store.execute_batch("DROP VIEW candidats;", "test").unwrap();
        let e = compute_results(&store, &Regulation::embedded().unwrap()).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("queries/05_perimetre.sql, instruction 1 (CREATE OR REPLACE TABLE"),
            "{text}"
        );
    }
}
