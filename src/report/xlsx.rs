//! The workbook `ndrc-stats.xlsx`: one sheet per report table, with the rows of its CSV file,
//! read by the same SQL. Cells are typed: numbers as numbers (decimals shown with their scale,
//! which French Excel displays with a comma), dates as dates, yes/no as booleans, text as text
//! (never a formula). Each sheet has a bold frozen header, an autofilter and column widths.
//!
//! Sheets are written in constant-memory mode (row by row to a temporary file): a national
//! `resultats` of 300,000 rows never sits in memory. A sheet stops at Excel's 1,048,576 rows
//! with a last row saying how many rows are only in the CSV.

use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Date32Type, Decimal128Type, Float64Type, Int64Type};
use arrow::record_batch::RecordBatch;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Result};
use crate::store::Store;

pub use super::Table;

/// The workbook's file name under `--out`.
pub const WORKBOOK: &str = "ndrc-stats.xlsx";

/// Excel's last row (1-based), the header included.
const MAX_ROWS: u32 = 1_048_576;

/// Excel's longest text in a cell.
const MAX_TEXT: usize = 32_767;

/// Widest column, in characters.
const MAX_WIDTH: usize = 60;

/// Writes `tables` into `<dir>/ndrc-stats.xlsx`, one sheet each in the order given; returns the
/// path and, per sheet, its name and the rows written.
///
/// # Errors
/// [`Error::Store`] for a query, [`Error::Output`] for the file.
pub fn write_workbook(
    store: &Store,
    dir: &Path,
    tables: &[Table],
    pseudonymes: Option<&super::pseudonymes::Pseudonymes>,
) -> Result<(PathBuf, Vec<(String, usize)>)> {
    let path = dir.join(WORKBOOK);
    let xlsx_err = |e: XlsxError| Error::Output {
        path: path.clone(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut workbook = Workbook::new();
    let mut written = Vec::new();
    for table in tables {
        let name = sheet_name(&table.fichier, written.iter().map(|(n, _)| n));
        let store_err = store.fail(&format!("feuille « {name} » du classeur"));
        let mut stmt = store.connection().prepare(&table.sql).map_err(&store_err)?;
        let batches = stmt
            .query_arrow(duckdb::params_from_iter(&table.params))
            .map_err(&store_err)?;
        let names = super::csv::column_names(&batches.get_schema());
        let sheet = workbook.add_worksheet_with_constant_memory();
        sheet.set_name(&name).map_err(xlsx_err)?;
        let mut failure = None;
        let batches =
            batches.map_while(|b| super::csv::pseudonymised(pseudonymes, b, &mut failure));
        let rows = write_sheet(sheet, &names, batches, &table.fichier).map_err(xlsx_err)?;
        if let Some(e) = failure {
            return Err(e);
        }
        written.push((name, rows));
    }
    let temp = super::atomic::temporary(&path);
    if let Err(e) = workbook.save(&temp) {
        let _ = std::fs::remove_file(&temp);
        return Err(xlsx_err(e));
    }
    super::atomic::finish(&temp, &path)?;
    Ok((path, written))
}

/// The sheet name of a CSV file: its path without `.csv`, `/` as `_`, at most 31 characters
/// without `[]:*?/\`, and unique in the workbook.
fn sheet_name<'a>(fichier: &Path, taken: impl Iterator<Item = &'a String> + Clone) -> String {
    let stem = fichier
        .with_extension("")
        .to_string_lossy()
        .replace(['/', '\\'], "_");
    let clean: String = stem
        .chars()
        .map(|c| if "[]:*?".contains(c) { '_' } else { c })
        .collect();
    let base: String = clean.chars().take(31).collect();
    let mut name = base.clone();
    let mut n = 2;
    while taken.clone().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!("_{n}");
        name = base.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
        n += 1;
    }
    name
}

/// How a column's cells are written.
#[derive(Clone, Copy)]
enum Kind {
    /// An integer.
    Integer,
    /// A decimal of this scale.
    Decimal(i8),
    /// A float.
    Float,
    /// A date.
    Date,
    /// Yes or no.
    Boolean,
    /// Anything else, as its text.
    Text,
}

impl Kind {
    fn of(t: &DataType) -> Kind {
        match t {
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64 => Kind::Integer,
            DataType::Decimal128(_, s) => Kind::Decimal(*s),
            DataType::Float32 | DataType::Float64 => Kind::Float,
            DataType::Date32 => Kind::Date,
            DataType::Boolean => Kind::Boolean,
            _ => Kind::Text,
        }
    }

    /// The number format: as many decimals as the column's scale, dates day first.
    fn format(self) -> Format {
        match self {
            Kind::Integer => Format::new().set_num_format("0"),
            Kind::Decimal(s) if s > 0 => Format::new()
                .set_num_format(format!("0.{}", "0".repeat(usize::try_from(s).unwrap_or(2)))),
            Kind::Decimal(_) => Format::new().set_num_format("0"),
            Kind::Date => Format::new().set_num_format("dd/mm/yyyy"),
            Kind::Float | Kind::Boolean | Kind::Text => Format::new(),
        }
    }
}

/// Writes the header and the rows of `batches`; returns the data rows written.
fn write_sheet(
    sheet: &mut Worksheet,
    names: &[String],
    batches: impl Iterator<Item = RecordBatch>,
    fichier: &Path,
) -> std::result::Result<usize, XlsxError> {
    let header = Format::new().set_bold();
    let mut batches = batches.peekable();
    // Widths from the header and the first batch, set before any row (constant memory).
    let first = batches.peek();
    let kinds: Vec<Kind> = first.map_or_else(
        || vec![Kind::Text; names.len()],
        |b| {
            b.columns()
                .iter()
                .map(|a| Kind::of(a.data_type()))
                .collect()
        },
    );
    let formats: Vec<Format> = kinds.iter().map(|k| k.format()).collect();
    let options = FormatOptions::default().with_null("");
    for (j, name) in names.iter().enumerate() {
        let mut width = name.chars().count();
        if let Some(b) = first {
            if let Ok(f) = ArrayFormatter::try_new(b.column(j).as_ref(), &options) {
                for i in 0..b.num_rows().min(1000) {
                    width = width.max(f.value(i).to_string().chars().count());
                }
            }
        }
        let col = u16::try_from(j).unwrap_or(u16::MAX);
        let width = u32::try_from(width.clamp(6, MAX_WIDTH) + 2).unwrap_or(12);
        sheet.set_column_width(col, f64::from(width))?;
    }
    for (j, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(j).unwrap_or(u16::MAX), name, &header)?;
    }
    let mut row: u32 = 1;
    let mut rows = 0usize;
    let mut left_out = 0usize;
    for batch in batches {
        let formatters: Vec<Option<ArrayFormatter<'_>>> = batch
            .columns()
            .iter()
            .map(|a| ArrayFormatter::try_new(a.as_ref(), &options).ok())
            .collect();
        for i in 0..batch.num_rows() {
            if row >= MAX_ROWS - 1 {
                left_out += 1;
                continue;
            }
            for (j, column) in batch.columns().iter().enumerate() {
                let col = u16::try_from(j).unwrap_or(u16::MAX);
                let kind = kinds.get(j).copied().unwrap_or(Kind::Text);
                write_cell(
                    sheet,
                    row,
                    col,
                    column.as_ref(),
                    i,
                    kind,
                    &formats[j],
                    &formatters[j],
                )?;
            }
            row += 1;
            rows += 1;
        }
    }
    if left_out > 0 {
        let note = format!(
            "… {left_out} lignes de plus, au-delà de la limite d'Excel : voir {}",
            fichier.display()
        );
        sheet.write_string(row, 0, note)?;
    }
    let last_col = u16::try_from(names.len().saturating_sub(1)).unwrap_or(u16::MAX);
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), last_col)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(rows)
}

/// Writes one cell, typed by its column; a NULL stays empty.
#[allow(clippy::too_many_arguments)]
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    array: &dyn Array,
    i: usize,
    kind: Kind,
    format: &Format,
    text: &Option<ArrayFormatter<'_>>,
) -> std::result::Result<(), XlsxError> {
    if array.is_null(i) {
        return Ok(());
    }
    match kind {
        Kind::Integer => {
            let cast = arrow::compute::cast(&array.slice(i, 1), &DataType::Int64);
            if let Ok(v) = cast {
                // An exam count or a year: far below 2^53, exact as a double.
                #[allow(clippy::cast_precision_loss)]
                let n = v.as_primitive::<Int64Type>().value(0) as f64;
                sheet.write_number_with_format(row, col, n, format)?;
                return Ok(());
            }
        }
        Kind::Decimal(scale) => {
            if let Some(a) = array.as_primitive_opt::<Decimal128Type>() {
                let v = a.value(i);
                // Grades, averages and rates: a handful of digits, exact to the shown decimals.
                #[allow(clippy::cast_precision_loss)]
                let n = v as f64 / 10f64.powi(i32::from(scale));
                sheet.write_number_with_format(row, col, n, format)?;
                return Ok(());
            }
        }
        Kind::Float => {
            let cast = arrow::compute::cast(&array.slice(i, 1), &DataType::Float64);
            if let Ok(v) = cast {
                let n = v.as_primitive::<Float64Type>().value(0);
                if n.is_finite() {
                    sheet.write_number_with_format(row, col, n, format)?;
                    return Ok(());
                }
            }
        }
        Kind::Date => {
            if let Some(a) = array.as_primitive_opt::<Date32Type>() {
                if let Some(d) = a.value_as_date(i) {
                    use chrono::Datelike;
                    let date = ExcelDateTime::from_ymd(
                        u16::try_from(d.year()).unwrap_or(1900),
                        u8::try_from(d.month()).unwrap_or(1),
                        u8::try_from(d.day()).unwrap_or(1),
                    )?;
                    sheet.write_datetime_with_format(row, col, date, format)?;
                    return Ok(());
                }
            }
        }
        Kind::Boolean => {
            if let Some(a) = array.as_boolean_opt() {
                sheet.write_boolean(row, col, a.value(i))?;
                return Ok(());
            }
        }
        Kind::Text => {}
    }
    let value = text
        .as_ref()
        .map(|f| f.value(i).to_string())
        .unwrap_or_default();
    if !value.is_empty() {
        let value: String = value.chars().take(MAX_TEXT).collect();
        sheet.write_string(row, col, value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_the_csv_paths_within_excel_rules() {
        let taken: Vec<String> = vec!["resultats".into()];
        assert_eq!(
            sheet_name(Path::new("jury/a_examiner.csv"), taken.iter()),
            "jury_a_examiner"
        );
        assert_eq!(
            sheet_name(Path::new("resultats.csv"), taken.iter()),
            "resultats_2"
        );
        let long = sheet_name(
            Path::new("harmonisation/examinateurs_ajustes_par_sujet[1].csv"),
            taken.iter(),
        );
        assert!(long.chars().count() <= 31 && !long.contains('['), "{long}");
    }
}
