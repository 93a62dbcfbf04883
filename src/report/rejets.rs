//! The rejets report job: `rejets.csv`, every rejected value, row or sheet and every conflict,
//! with the file, sheet, row, column, value, code and reason (the view `rapport_rejets` of
//! `queries/00_schema.sql`).

use std::path::Path;

use super::csv::Dialect;
use super::{Table, Written};
use crate::error::Result;
use crate::store::Store;

/// The rejets.csv query.
pub const REJETS_SQL: &str = "SELECT * FROM rapport_rejets \
ORDER BY source, feuille NULLS FIRST, ligne, colonne, code";

/// Writes `<dir>/rejets.csv`; returns what it wrote.
///
/// # Errors
/// [`crate::error::Error::Store`], [`crate::error::Error::Output`].
pub fn write_rejets(store: &Store, dir: &Path, dialect: Dialect) -> Result<Written> {
    let mut written = Written::default();
    let table = Table::new("rejets.csv", REJETS_SQL, Vec::new());
    written.table(store, dir, dialect, table, "rejets")?;
    Ok(written)
}
