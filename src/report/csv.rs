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
        let cells: Vec<Cells<'_>> = batch
            .columns()
            .iter()
            .map(|a| Cells::of(a.as_ref(), dialect, &options))
            .collect::<std::result::Result<_, arrow::error::ArrowError>>()?;
        let mut line = String::new();
        let mut cell = String::new();
        for i in 0..batch.num_rows() {
            line.clear();
            for (j, column) in cells.iter().enumerate() {
                if j > 0 {
                    line.push(sep);
                }
                column.push(&mut line, &mut cell, i, sep)?;
            }
            line.push_str("\r\n");
            w.write_all(line.as_bytes())?;
            rows += 1;
        }
    }
    Ok(rows)
}

/// One column of a batch, read the quickest way its type allows: text and decimals straight
/// from their buffers (national `resultats.csv`: 300,000 rows), the rest through Arrow's
/// formatter.
enum Cells<'a> {
    /// A text column.
    Text(&'a arrow::array::StringArray),
    /// A decimal column: its integers and scale, and the decimal mark to write.
    Decimal(&'a arrow::array::Decimal128Array, u32, char),
    /// Any other column, as Arrow formats it, then written as `kind` says.
    Formatted {
        formatter: ArrayFormatter<'a>,
        kind: Kind,
    },
}

impl<'a> Cells<'a> {
    fn of(
        array: &'a dyn Array,
        dialect: Dialect,
        options: &'a FormatOptions<'a>,
    ) -> std::result::Result<Cells<'a>, arrow::error::ArrowError> {
        use arrow::array::AsArray;
        let mark = if dialect == Dialect::Francais {
            ','
        } else {
            '.'
        };
        if let Some(text) = array.as_string_opt::<i32>() {
            return Ok(Cells::Text(text));
        }
        if let (Some(d), DataType::Decimal128(_, scale)) = (
            array.as_primitive_opt::<arrow::datatypes::Decimal128Type>(),
            array.data_type(),
        ) {
            if let Ok(scale) = u32::try_from(*scale) {
                return Ok(Cells::Decimal(d, scale, mark));
            }
        }
        Ok(Cells::Formatted {
            formatter: ArrayFormatter::try_new(array, options)?,
            kind: Kind::of(array.data_type(), dialect),
        })
    }

    /// Appends the cell of row `i` to `line` (`cell` is scratch space).
    fn push(
        &self,
        line: &mut String,
        cell: &mut String,
        i: usize,
        sep: char,
    ) -> std::result::Result<(), Box<dyn std::error::Error>> {
        match self {
            Cells::Text(a) => {
                if a.is_valid(i) {
                    push_text(line, a.value(i), sep);
                }
            }
            Cells::Decimal(a, scale, mark) => {
                if a.is_valid(i) {
                    push_decimal(line, a.value(i), *scale, *mark);
                }
            }
            Cells::Formatted { formatter, kind } => {
                cell.clear();
                std::fmt::Write::write_fmt(cell, format_args!("{}", formatter.value(i)))?;
                match kind {
                    Kind::DecimalComma => push_comma(line, cell),
                    Kind::Text => push_text(line, cell, sep),
                    Kind::Plain => line.push_str(cell),
                }
            }
        }
        Ok(())
    }
}

/// Appends `value` × 10^-`scale` with `scale` decimals and `mark` as the decimal mark, as Arrow
/// formats a decimal (`-0.05`, `12.50`, `7`).
fn push_decimal(line: &mut String, value: i128, scale: u32, mark: char) {
    let digits = value.unsigned_abs().to_string();
    if value < 0 {
        line.push('-');
    }
    let scale = scale as usize;
    if scale == 0 {
        line.push_str(&digits);
        return;
    }
    match digits.len().checked_sub(scale) {
        Some(whole) if whole > 0 => {
            line.push_str(&digits[..whole]);
            line.push(mark);
            line.push_str(&digits[whole..]);
        }
        _ => {
            line.push('0');
            line.push(mark);
            line.extend(std::iter::repeat_n('0', scale - digits.len()));
            line.push_str(&digits);
        }
    }
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

    #[test]
    fn decimals_are_written_as_arrows_formatter_writes_them() {
        let values: Vec<Option<i128>> = [
            0,
            5,
            -5,
            99,
            -99,
            100,
            1_000,
            1_250,
            -1_250,
            2_000,
            123_456_789,
            -1,
            10,
            i128::from(i64::MAX),
        ]
        .into_iter()
        .map(Some)
        .chain([None])
        .collect();
        let options = FormatOptions::default().with_null("");
        for scale in [0_i8, 1, 2, 4, 6] {
            let array = arrow::array::Decimal128Array::from(values.clone())
                .with_precision_and_scale(38, scale)
                .unwrap();
            let formatter = ArrayFormatter::try_new(&array, &options).unwrap();
            for dialect in [Dialect::Francais, Dialect::Standard] {
                let cells = Cells::of(&array, dialect, &options).unwrap();
                assert!(matches!(cells, Cells::Decimal(..)));
                for (i, value) in values.iter().enumerate() {
                    let (mut ours, mut scratch) = (String::new(), String::new());
                    cells.push(&mut ours, &mut scratch, i, ';').unwrap();
                    let mut arrows = formatter.value(i).to_string();
                    if dialect == Dialect::Francais {
                        arrows = arrows.replace('.', ",");
                    }
                    assert_eq!(ours, arrows, "{value:?} scale {scale}");
                }
            }
        }
    }

    #[test]
    fn text_cells_are_neutralised_quoted_and_empty_when_null() {
        let array =
            arrow::array::StringArray::from(vec![Some("=1+1"), Some("a;b"), None, Some("LABBÉ")]);
        let options = FormatOptions::default().with_null("");
        let cells = Cells::of(&array, Dialect::Francais, &options).unwrap();
        let mut line = String::new();
        let mut scratch = String::new();
        for i in 0..4 {
            cells.push(&mut line, &mut scratch, i, ';').unwrap();
            line.push('|');
        }
        assert_eq!(line, "'=1+1|\"a;b\"||LABBÉ|");
    }
}
