//! The Parquet export of `ndrc-stats export --parquet DIR`: the canonical tables and the results as
//! Hive-partitioned Parquet (`DIR/<table>/session=<Y>/academie=<A>/*.parquet`), written by
//! DuckDB's own `COPY … (FORMAT parquet, PARTITION_BY …)`, for a warehouse or a distributed SQL
//! engine. Tables without a session (`sources`, `rejets`) are one file each.
//!
//! Takes a store whose results are computed; gives the tables written with their row counts.
//! Reads tables only.

use std::path::Path;

use crate::error::{Error, Result};
use crate::store::Store;

/// The exported tables: (folder, query). Every per-candidate table carries the candidate's
/// academy so that it can be partitioned by it.
const PARTITIONED: [(&str, &str); 8] = [
    ("candidats", "SELECT * FROM candidats"),
    (
        "notes",
        "SELECT n.*, c.academie FROM notes AS n LEFT JOIN candidats AS c USING (session, candidat)",
    ),
    (
        "livret",
        "SELECT l.*, c.academie FROM livret AS l LEFT JOIN candidats AS c USING (session, candidat)",
    ),
    (
        "avis",
        "SELECT a.*, c.academie FROM avis AS a LEFT JOIN candidats AS c USING (session, candidat)",
    ),
    (
        "decisions_jury",
        "SELECT j.*, c.academie FROM decisions_jury AS j \
         LEFT JOIN candidats AS c USING (session, candidat)",
    ),
    (
        "grilles",
        "SELECT g.*, c.academie FROM grilles AS g LEFT JOIN candidats AS c USING (session, candidat)",
    ),
    (
        "notes_correcteurs",
        "SELECT n.*, c.academie FROM notes_correcteurs AS n \
         LEFT JOIN candidats AS c USING (session, candidat)",
    ),
    (
        "resultats",
        "SELECT d.*, c.academie, c.uai, c.classe, c.voie, c.sexe FROM decisions AS d \
         LEFT JOIN candidats AS c USING (session, candidat)",
    ),
];

/// The tables without a session, written as one file each.
const PLAIN: [&str; 2] = ["sources", "rejets"];

/// One table written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The folder (or file stem) under the export directory.
    pub table: String,
    /// Rows written.
    pub rows: i64,
}

/// A path as a SQL string literal (quotes doubled).
fn sql_path(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "''"))
}

/// Writes every table under `dir` (created; an earlier export's table folders are replaced).
/// Only the table folders and files named above are touched.
///
/// # Errors
/// [`Error::Output`] when `dir` cannot be created, [`Error::Store`] when DuckDB fails to write.
pub fn export_parquet(store: &Store, dir: &Path) -> Result<Vec<Exported>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (table, query) in PARTITIONED {
        let target = dir.join(table);
        // A partition of an earlier export that this one no longer has must not survive it.
        if target.is_dir() {
            std::fs::remove_dir_all(&target).map_err(|source| Error::Output {
                path: target.clone(),
                source,
            })?;
        }
        let sql = format!(
            "COPY ({query}) TO {} (FORMAT parquet, PARTITION_BY (session, academie))",
            sql_path(&target)
        );
        store.execute_batch(&sql, &format!("export Parquet de {table}"))?;
        let rows = store.count(&format!("SELECT count(*) FROM ({query})"))?;
        written.push(Exported {
            table: table.to_string(),
            rows,
        });
    }
    for table in PLAIN {
        let target = dir.join(format!("{table}.parquet"));
        let sql = format!(
            "COPY (SELECT * FROM {table}) TO {} (FORMAT parquet)",
            sql_path(&target)
        );
        store.execute_batch(&sql, &format!("export Parquet de {table}"))?;
        written.push(Exported {
            table: table.to_string(),
            rows: store.count(&format!("SELECT count(*) FROM {table}"))?,
        });
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_in_the_path_cannot_end_the_sql_string() {
        assert_eq!(sql_path(Path::new("/tmp/l'export")), "'/tmp/l''export'");
    }
}
