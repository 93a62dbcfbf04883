//! Reports: one report job per file (rejets, resultats, reussite, harmonisation, livret, jury,
//! xlsx, front/index), each called by a thin command of `cmd/`; CSV tables in the French Excel
//! dialect, plots, the livret class pages and the `index.html` of a report folder, and the workbook
//! `ndrc-stats.xlsx` of its tables. Reports read tables only; they never import the ingestion
//! stage.

pub mod atomic;
pub mod csv;
pub mod explication;
pub mod front;
pub mod harmonisation;
pub mod html;
pub mod index;
pub mod jury;
pub mod livret;
pub mod parquet;
pub mod plots;
pub mod pseudonymes;
pub mod rejets;
pub mod resultats;
pub mod reussite;
pub mod secret;
pub mod texts;
pub mod xlsx;

use std::path::{Path, PathBuf};

use duckdb::types::Value;

use crate::error::Result;
use crate::store::Store;

/// How the report tables are written: the CSV dialect, and the pseudonyms when the reports must
/// leave without names (`--pseudonymise`).
#[derive(Debug, Clone, Default)]
pub struct Sortie {
    /// The CSV dialect.
    pub dialect: csv::Dialect,
    /// The pseudonyms of the identifying columns, when asked.
    pub pseudonymes: Option<pseudonymes::Pseudonymes>,
}

/// What a report job wrote, for its command to print: one summary line per file or group of
/// files, the warnings (for stderr) and the tables written as CSV (for the workbook).
#[derive(Debug, Default)]
pub struct Written {
    /// Summary lines (`écrit resultats.csv (120 candidats)`), in order.
    pub lignes: Vec<String>,
    /// Warnings, without the `ndrc-stats: attention :` prefix the command adds.
    pub avertissements: Vec<String>,
    /// The CSV tables written, in order.
    pub tables: Vec<Table>,
}

impl Written {
    /// Adds a summary line.
    pub fn say(&mut self, line: impl Into<String>) {
        self.lignes.push(line.into());
    }

    /// Adds a warning.
    pub fn warn(&mut self, line: impl Into<String>) {
        self.avertissements.push(line.into());
    }

    /// Adds what another job wrote after what this one did.
    pub fn append(&mut self, other: Written) {
        self.lignes.extend(other.lignes);
        self.avertissements.extend(other.avertissements);
        self.tables.extend(other.tables);
    }

    /// Writes `table` as CSV under `dir`, says so with `what` after the row count, and keeps the
    /// table for the workbook; returns the rows written.
    ///
    /// # Errors
    /// [`crate::error::Error::Store`], [`crate::error::Error::Output`].
    pub fn table(
        &mut self,
        store: &Store,
        dir: &Path,
        sortie: &Sortie,
        table: Table,
        what: &str,
    ) -> Result<usize> {
        let start = std::time::Instant::now();
        let path = dir.join(&table.fichier);
        let n = csv::write_query(
            store,
            &table.sql,
            &table.params,
            &path,
            sortie.dialect,
            sortie.pseudonymes.as_ref(),
        )?;
        self.say(format!("écrit {} ({n} {what})", path.display()));
        crate::chrono::since(&table.fichier.to_string_lossy(), start);
        self.tables.push(table);
        Ok(n)
    }
}

/// A report table: its CSV file (relative to the reports folder), its query over the views of
/// `queries/` and the parameters bound to the query's `?`.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The CSV file, relative to `--out` (`resultats.csv`, `jury/a_examiner.csv`).
    pub fichier: PathBuf,
    /// The query that gives its rows.
    pub sql: String,
    /// The values of the query's parameters, in order.
    pub params: Vec<Value>,
}

impl Table {
    /// A table of `fichier` read by `sql` with `params`.
    pub fn new(fichier: impl Into<PathBuf>, sql: impl Into<String>, params: Vec<Value>) -> Table {
        Table {
            fichier: fichier.into(),
            sql: sql.into(),
            params,
        }
    }
}

/// The condition of a report query on its `session` column, whose parameter is
/// [`session_param`]: one session, or every session for NULL.
pub const PAR_SESSION: &str = "session = coalesce(CAST(? AS INTEGER), session)";

/// The parameter of [`PAR_SESSION`].
pub fn session_param(session: Option<i32>) -> Value {
    session.map_or(Value::Null, Value::Int)
}
