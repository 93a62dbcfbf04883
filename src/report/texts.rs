//! Query results as text, for the HTML pages: column names and rows, every cell cast by DuckDB
//! (NULL as ""), and the French decimal comma.

use crate::error::{Error, Result};
use crate::store::Store;

/// The column names and rows of a query, every cell as text.
pub struct Texts {
    /// Column names, in order.
    pub names: Vec<String>,
    /// Rows, each with one text per column.
    pub rows: Vec<Vec<String>>,
}

impl Texts {
    /// The position of a column.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// Runs `sql` (whose columns are text, or cast to text by DuckDB); `context` names the report
/// in errors.
///
/// # Errors
/// [`Error::Store`].
pub fn query_texts(store: &Store, sql: &str, context: &str) -> Result<Texts> {
    let err = |source| Error::Store {
        db: store.path().to_path_buf(),
        context: context.to_string(),
        source,
    };
    let mut stmt = store.connection().prepare(sql).map_err(err)?;
    let mut result = stmt.query([]).map_err(err)?;
    let mut rows = Vec::new();
    while let Some(row) = result.next().map_err(err)? {
        let n = row.as_ref().column_count();
        let mut cells = Vec::with_capacity(n);
        for i in 0..n {
            cells.push(
                row.get::<_, Option<String>>(i)
                    .map_err(err)?
                    .unwrap_or_default(),
            );
        }
        rows.push(cells);
    }
    drop(result);
    let names = stmt.column_names();
    Ok(Texts { names, rows })
}

/// A number as DuckDB writes it (`12.50`), with the French decimal comma (`12,50`).
pub fn comma(text: &str) -> String {
    text.replace('.', ",")
}
