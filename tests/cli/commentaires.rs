//! The database for power users (issue 12, item 6): after `run`, every table and view carries a
//! comment saying what it holds, every column of the views carries one, and README's DuckDB
//! section lists every table and view.

use crate::common::{repo, Workdir};

#[test]
fn every_table_and_view_is_commented_and_listed_in_readme() {
    let w = Workdir::new();
    let samples = repo().join("data").join("samples");
    w.run_pipeline(&samples);
    let conn = w.conn();
    let names = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let objects = names(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary \
         UNION SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1",
    );
    assert!(objects.len() > 40, "{objects:?}");
    let uncommented = names(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND coalesce(comment, '') = '' \
         UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND coalesce(comment, '') = ''",
    );
    assert!(uncommented.is_empty(), "without comment: {uncommented:?}");
    let columns = names(
        "SELECT c.table_name || '.' || c.column_name FROM duckdb_columns() AS c \
         JOIN duckdb_views() AS v ON v.view_name = c.table_name AND NOT v.internal \
         WHERE coalesce(c.comment, '') = ''",
    );
    assert!(
        columns.is_empty(),
        "view columns without comment: {columns:?}"
    );

    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = &readme[readme.find("### The database for power users").unwrap()..];
    let section = &section[..section[4..].find("\n## ").map_or(section.len(), |i| i + 4)];
    for o in &objects {
        assert!(
            section.contains(&format!("`{o}`")),
            "README does not list {o}"
        );
    }
}
