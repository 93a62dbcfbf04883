//! Query results as text, for the HTML pages: column names and rows, every cell cast by DuckDB
//! (NULL as ""), and the French decimal comma.

use crate::error::Result;
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
/// [`crate::error::Error::Store`].
pub fn query_texts(store: &Store, sql: &str, context: &str) -> Result<Texts> {
    query_texts_with(store, sql, &[], context)
}

/// [`query_texts`] with `params` bound to the query's `?`.
///
/// # Errors
/// [`crate::error::Error::Store`].
pub fn query_texts_with(
    store: &Store,
    sql: &str,
    params: &[duckdb::types::Value],
    context: &str,
) -> Result<Texts> {
    let err = store.fail(context);
    let mut stmt = store.connection().prepare(sql).map_err(&err)?;
    let mut result = stmt.query(duckdb::params_from_iter(params)).map_err(&err)?;
    let mut rows = Vec::new();
    while let Some(row) = result.next().map_err(&err)? {
        let n = row.as_ref().column_count();
        let mut cells = Vec::with_capacity(n);
        for i in 0..n {
            cells.push(
                row.get::<_, Option<String>>(i)
                    .map_err(&err)?
                    .unwrap_or_default(),
            );
        }
        rows.push(cells);
    }
    drop(result);
    let names = stmt.column_names();
    Ok(Texts { names, rows })
}

/// A number as DuckDB or Rust writes it (`12.50`), with the French decimal comma (`12,50`): the
/// report layer's one decimal comma ([`push_comma`] appends it; SQL has the macro `virgule` of
/// `queries/00_schema.sql`).
pub fn comma(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    push_comma(&mut s, text);
    s
}

/// Appends `text` to `line` with the French decimal comma (see [`comma`]).
pub fn push_comma(line: &mut String, text: &str) {
    line.extend(text.chars().map(|c| if c == '.' { ',' } else { c }));
}
