//! Writes query results as CSV. Default dialect: what French Excel opens correctly (UTF-8 with
//! BOM, `;`, decimal comma, CRLF); `standard` gives RFC 4180 (`,`, `.`, no BOM).
//! A text cell starting with `=`, `+`, `-` or `@` is neutralised with a leading `'` so that a
//! spreadsheet never runs it as a formula.

use std::io::Write;
use std::path::Path;

use arrow::array::Array;
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use duckdb::types::Value;

use super::texts::push_comma;
use crate::error::{Error, Result};
use crate::store::Store;

/// The CSV dialect of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Dialect {
    /// UTF-8 with BOM, `;`, decimal comma, CRLF (French Excel).
    #[default]
    Francais,
    /// RFC 4180: `,`, decimal point, CRLF, no BOM.
    Standard,
}

impl Dialect {
    fn separator(self) -> char {
        match self {
            Dialect::Francais => ';',
            Dialect::Standard => ',',
        }
    }
}

/// Runs `sql` with `params` bound to its `?` and writes its result to `path` (parent folders
/// created); returns the row count.
///
/// # Errors
/// [`Error::Store`] for the query, [`Error::Output`] for the file.
pub fn write_query(
    store: &Store,
    sql: &str,
    params: &[Value],
    path: &Path,
    dialect: Dialect,
    pseudonymes: Option<&super::pseudonymes::Pseudonymes>,
) -> Result<usize> {
    let store_err = store.fail(&format!("requête du rapport {}", path.display()));
    let mut stmt = store.connection().prepare(sql).map_err(&store_err)?;
    // Batch by batch into the file: neither the whole result nor the whole text is ever held.
    let batches = stmt
        .query_arrow(duckdb::params_from_iter(params))
        .map_err(&store_err)?;
    let names = column_names(&batches.get_schema());
    let out = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let mut failure = None;
    let written = super::atomic::write_with(path, |file| {
        let batches = batches.map_while(|b| pseudonymised(pseudonymes, b, &mut failure));
        write_batches(file, &names, batches, dialect).map_err(|e| {
            match e.downcast::<std::io::Error>() {
                Ok(io) => out(*io),
                Err(e) => Error::Internal(format!("mise en forme CSV : {e}")),
            }
        })
    });
    match failure {
        Some(e) => Err(e),
        None => written,
    }
}

/// `batch` with its identifying columns replaced when `pseudonymes` is given; `None` (and the
/// error kept in `failure`) when that fails, which ends the batches.
pub fn pseudonymised(
    pseudonymes: Option<&super::pseudonymes::Pseudonymes>,
    batch: RecordBatch,
    failure: &mut Option<Error>,
) -> Option<RecordBatch> {
    match pseudonymes.map(|p| p.apply(batch.clone())) {
        None => Some(batch),
        Some(Ok(b)) => Some(b),
        Some(Err(e)) => {
            *failure = Some(e);
            None
        }
    }
}

/// The column names of a query's Arrow schema, in order (the header of a CSV or a sheet).
pub fn column_names(schema: &arrow::datatypes::Schema) -> Vec<String> {
    schema.fields().iter().map(|f| f.name().clone()).collect()
}

/// Writes a header and the batches' rows; returns the row count.
///
/// # Errors
/// Arrow formatting errors.
pub fn write_batches(
    w: &mut impl Write,
    names: &[String],
    batches: impl IntoIterator<Item = RecordBatch>,
    dialect: Dialect,
) -> std::result::Result<usize, Box<dyn std::error::Error>> {
    if dialect == Dialect::Francais {
        w.write_all("\u{feff}".as_bytes())?;
    }
    let sep = dialect.separator();
    let header: Vec<String> = names.iter().map(|n| escape(n, sep)).collect();
    write!(w, "{}\r\n", header.join(&sep.to_string()))?;
    let options = FormatOptions::default().with_null("");
    let mut rows = 0;
    for batch in batches {
        let batch = &batch;
        let formatters: Vec<ArrayFormatter<'_>> = batch
            .columns()
            .iter()
            .map(|a| ArrayFormatter::try_new(a.as_ref(), &options))
            .collect::<std::result::Result<_, arrow::error::ArrowError>>()?;
        let kinds: Vec<Kind> = batch
            .columns()
            .iter()
            .map(|a| Kind::of(a.data_type(), dialect))
            .collect();
        let mut line = String::new();
        let mut cell = String::new();
        for i in 0..batch.num_rows() {
            line.clear();
            for (j, (f, kind)) in formatters.iter().zip(&kinds).enumerate() {
                if j > 0 {
                    line.push(sep);
                }
                cell.clear();
                std::fmt::Write::write_fmt(&mut cell, format_args!("{}", f.value(i)))?;
                match kind {
                    Kind::DecimalComma => {
                        push_comma(&mut line, &cell);
                    }
                    Kind::Text => push_text(&mut line, &cell, sep),
                    Kind::Plain => line.push_str(&cell),
                }
            }
            line.push_str("\r\n");
            w.write_all(line.as_bytes())?;
            rows += 1;
        }
    }
    Ok(rows)
}

/// How a column's cells are written.
enum Kind {
    /// A number with a decimal point, written with a comma (French dialect).
    DecimalComma,
    /// Text: neutralised and quoted when needed.
    Text,
    /// As formatted.
    Plain,
}

impl Kind {
    fn of(t: &DataType, dialect: Dialect) -> Kind {
        if is_decimal(t) {
            if dialect == Dialect::Francais {
                Kind::DecimalComma
            } else {
                Kind::Plain
            }
        } else if is_text(t) {
            Kind::Text
        } else {
            Kind::Plain
        }
    }
}

/// Appends a text cell, neutralised and quoted as [`neutralise`] and [`escape`] say, copying
/// nothing more when it needs neither.
fn push_text(line: &mut String, text: &str, sep: char) {
    if text.starts_with(['=', '+', '-', '@']) || text.contains([sep, '"', '\n', '\r']) {
        line.push_str(&escape(&neutralise(text), sep));
    } else {
        line.push_str(text);
    }
}

fn is_decimal(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Decimal128(..) | DataType::Decimal256(..) | DataType::Float32 | DataType::Float64
    )
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// Prefixes a formula-looking text with `'`.
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Quotes a cell holding the separator, a quote or a line break.
pub fn escape(text: &str, sep: char) -> String {
    if text.contains([sep, '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_separators_quoted() {
        assert_eq!(neutralise("=SOMME(A1)"), "'=SOMME(A1)");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("LABBÉ"), "LABBÉ");
        assert_eq!(escape("a;b", ';'), "\"a;b\"");
        assert_eq!(escape("dit \"oui\"", ';'), "\"dit \"\"oui\"\"\"");
        assert_eq!(escape("a,b", ';'), "a,b");
    }
}
