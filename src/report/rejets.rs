//! The rejets report job: `rejets.csv`, every rejected value, row or sheet and every conflict,
//! with the file, sheet, row, column, value, code and reason.

use std::io::Write;
use std::path::Path;

use super::csv::{write_query, Dialect};
use super::say;
use super::xlsx::Table;
use crate::error::Result;
use crate::store::Store;

/// The rejets report: every rejected value, row, sheet and conflict, with its place.
pub const REJETS_SQL: &str = "\
SELECT s.chemin AS source, r.feuille, r.ligne, r.colonne, r.valeur, r.code, r.motif
FROM rejets AS r
LEFT JOIN (SELECT DISTINCT source_id, chemin FROM sources) AS s USING (source_id)
ORDER BY s.chemin, r.feuille NULLS FIRST, r.ligne, r.colonne, r.code";

/// Writes `<dir>/rejets.csv` and says so; returns its table (for the workbook).
///
/// # Errors
/// [`crate::error::Error::Store`], [`crate::error::Error::Output`].
pub fn write_rejets(
    store: &Store,
    dir: &Path,
    dialect: Dialect,
    out: &mut impl Write,
) -> Result<Table> {
    let path = dir.join("rejets.csv");
    let n = write_query(store.connection(), store.path(), REJETS_SQL, &path, dialect)?;
    say(out, &format!("écrit {} ({n} rejets)", path.display()));
    Ok(Table {
        fichier: "rejets.csv".into(),
        sql: REJETS_SQL.to_string(),
    })
}
