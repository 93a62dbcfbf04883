//! The rejets report job: `rejets.csv`, every rejected value, row or sheet and every conflict,
//! with the file, sheet, row, column, value, code and reason (the view `rapport_rejets` of
//! `queries/00_schema.sql`).

use std::path::Path;

use super::{Table, Written};
use crate::error::Result;
use crate::store::Store;

/// The rejets.csv query.
pub const REJETS_SQL: &str = "SELECT * FROM rapport_rejets \
ORDER BY source, feuille NULLS FIRST, ligne, colonne, code";

/// The rejets.csv query of pseudonymised reports: without the value read and the reason, which
/// may quote a name, a number or a date.
pub const REJETS_PSEUDONYMISES_SQL: &str = "SELECT source, feuille, ligne, colonne, code \
FROM rapport_rejets ORDER BY source, feuille NULLS FIRST, ligne, colonne, code";

/// Writes `<dir>/rejets.csv`; returns what it wrote.
///
/// # Errors
/// [`crate::error::Error::Store`], [`crate::error::Error::Output`].
pub fn write_rejets(store: &Store, dir: &Path, sortie: &super::Sortie) -> Result<Written> {
    let mut written = Written::default();
    // Pseudonymised, the values and reasons (which may quote a name or a number) are left out.
    let sql = if sortie.pseudonymes.is_some() {
        REJETS_PSEUDONYMISES_SQL
    } else {
        REJETS_SQL
    };
    let table = Table::new("rejets.csv", sql, Vec::new());
    written.table(store, dir, sortie, table, "rejets")?;
    Ok(written)
}
