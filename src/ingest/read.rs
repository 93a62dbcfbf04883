//! Reads a file into raw sheets of cells: calamine for `.xlsx .xlsm .xlsb .xls .ods` (every
//! worksheet), the polars CSV reader for `.csv` after detecting its encoding and separator.
//!
//! Gives [`RawFile`]: the file's SHA-256 and its sheets as rows of [`Cell`], each row with the
//! 1-based number the user sees. Does not find headers or interpret values (see `layout`).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// One cell as read, before any interpretation.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Empty,
    /// Text (CSV cells are all text).
    Text(String),
    /// A number (integers included).
    Number(f64),
    /// A date (a spreadsheet date cell).
    Date(NaiveDate),
    /// A spreadsheet error (`#DIV/0!`...).
    Error(String),
}

impl Cell {
    /// True for an empty cell or a text of spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A sheet of a workbook, or the single sheet of a CSV file.
#[derive(Debug, Clone)]
pub struct RawSheet {
    /// The sheet name; `None` for a CSV file.
    pub name: Option<String>,
    /// The rows, each with its 1-based row number as the user sees it.
    pub rows: Vec<(u32, Vec<Cell>)>,
}

/// A file read into sheets, with what identifies it.
#[derive(Debug, Clone)]
pub struct RawFile {
    /// The path as given.
    pub path: PathBuf,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// What was detected: `xlsx`, `csv (windows-1252, ';')`...
    pub format: String,
    /// The sheets, in workbook order.
    pub sheets: Vec<RawSheet>,
}

/// The file extensions read.
pub const EXTENSIONS: &[&str] = &["csv", "txt", "xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Reads a file into sheets.
///
/// # Errors
/// [`Error::Io`] when it cannot be read, [`Error::Unsupported`] for another kind of file,
/// [`Error::Unreadable`] for a damaged, encrypted or undecodable file.
pub fn read_file(path: &Path) -> Result<RawFile> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (format, sheets) = match ext.as_str() {
        "csv" | "txt" => {
            let (format, sheet) = read_csv(path, &bytes)?;
            (format, vec![sheet])
        }
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => {
            (ext.clone(), read_workbook(path, &ext, bytes)?)
        }
        _ => {
            return Err(Error::Unsupported {
                path: path.to_path_buf(),
                reason: if ext.is_empty() {
                    "fichier sans extension".into()
                } else {
                    format!("extension .{ext}")
                },
            })
        }
    };
    Ok(RawFile {
        path: path.to_path_buf(),
        sha256,
        format,
        sheets,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The magic number of OLE compound files: old `.xls`, and encrypted `.xlsx`.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn read_workbook(path: &Path, ext: &str, bytes: Vec<u8>) -> Result<Vec<RawSheet>> {
    let unreadable = |reason: String| Error::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    if ext != "xls" && bytes.starts_with(&OLE_MAGIC) {
        return Err(unreadable(
            "classeur chiffré (protégé par mot de passe) ou enregistré dans un autre format : \
             enregistrez-le sans mot de passe au format .xlsx"
                .into(),
        ));
    }
    let cursor = Cursor::new(bytes);
    let opened: std::result::Result<calamine::Sheets<_>, calamine::Error> = match ext {
        "xls" => calamine::open_workbook_from_rs(cursor)
            .map(calamine::Sheets::Xls)
            .map_err(calamine::Error::from),
        "xlsb" => calamine::open_workbook_from_rs(cursor)
            .map(calamine::Sheets::Xlsb)
            .map_err(calamine::Error::from),
        "ods" => calamine::open_workbook_from_rs(cursor)
            .map(calamine::Sheets::Ods)
            .map_err(calamine::Error::from),
        _ => calamine::open_workbook_from_rs(cursor)
            .map(calamine::Sheets::Xlsx)
            .map_err(calamine::Error::from),
    };
    let mut workbook = opened.map_err(|e| unreadable(describe_calamine_error(&e)))?;
    let names: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = workbook.worksheet_range(&name).map_err(|e| {
            unreadable(format!(
                "feuille « {name} » : {}",
                describe_calamine_error(&e)
            ))
        })?;
        sheets.push(range_to_sheet(name, &range));
    }
    Ok(sheets)
}

fn describe_calamine_error(e: &calamine::Error) -> String {
    let text = e.to_string();
    if text.to_lowercase().contains("password") || text.to_lowercase().contains("encrypt") {
        format!("classeur protégé par mot de passe ({text})")
    } else {
        text
    }
}

fn range_to_sheet(name: String, range: &calamine::Range<Data>) -> RawSheet {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !matches!(c, Data::Empty)))
        .map(|(i, cells)| {
            let number = row0
                .saturating_add(1)
                .saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
            // Keep the sheet's column positions: pad the columns left of the range.
            let padding = std::iter::repeat_n(Cell::Empty, col0 as usize);
            (
                number,
                padding.chain(cells.iter().map(convert_cell)).collect(),
            )
        })
        .collect();
    RawSheet {
        name: Some(name),
        rows,
    }
}

fn convert_cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.replace("_x000D_", "")),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "VRAI" } else { "FAUX" }.into()),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) if dt.is_datetime() => Cell::Date(d.date()),
            _ => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
            .map(Cell::Date)
            .unwrap_or_else(|_| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// The text of a CSV file and how it was decoded.
struct DecodedText {
    text: String,
    encoding: &'static str,
}

/// Decodes CSV bytes: UTF-8 (BOM stripped), UTF-16 with a BOM, else Windows-1252, the encoding of
/// French Excel and of the national application (a superset of ISO-8859-1 for text).
fn decode(bytes: &[u8]) -> DecodedText {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
        return DecodedText {
            text: text.into_owned(),
            encoding: "utf-8 (BOM)",
        };
    }
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_with_bom_removal(bytes);
        return DecodedText {
            text: text.into_owned(),
            encoding: if enc == encoding_rs::UTF_16LE {
                "utf-16le"
            } else {
                "utf-16be"
            },
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => DecodedText {
            text: text.to_string(),
            encoding: "utf-8",
        },
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            DecodedText {
                text: text.into_owned(),
                encoding: "windows-1252",
            }
        }
    }
}

/// The shape of a CSV text found by a quote-aware scan: the separator, the largest field count,
/// and the starting line of each record (a quoted field may span lines).
struct CsvShape {
    separator: u8,
    width: usize,
    record_lines: Vec<u32>,
    blank_records: Vec<bool>,
}

const SEPARATORS: [u8; 4] = [b';', b'\t', b',', b'|'];

/// Chooses the separator whose count is the same on the most lines of the first 50 (a French
/// file's decimal commas vary from line to line, its `;` do not); ties go to `;`.
fn sniff_separator(text: &str) -> u8 {
    let sample: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    let mut best = (b';', 0usize);
    for sep in SEPARATORS {
        let counts: Vec<usize> = sample
            .iter()
            .map(|l| l.bytes().filter(|b| *b == sep).count())
            .collect();
        let mut freq = std::collections::BTreeMap::new();
        for c in counts.iter().filter(|c| **c > 0) {
            *freq.entry(*c).or_insert(0usize) += 1;
        }
        let score = freq.values().copied().max().unwrap_or(0);
        if score > best.1 {
            best = (sep, score);
        }
    }
    best.0
}

fn scan_shape(text: &str, separator: u8) -> CsvShape {
    let mut width = 1usize;
    let mut fields = 1usize;
    let mut in_quotes = false;
    let mut line: u32 = 1;
    let mut record_lines = vec![1];
    let mut blank_records = Vec::new();
    let mut record_has_content = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' {
            in_quotes = !in_quotes;
            record_has_content = true;
        } else if b == b'\n' {
            line += 1;
            if !in_quotes {
                width = width.max(fields);
                blank_records.push(!record_has_content);
                fields = 1;
                record_has_content = false;
                if i + 1 < bytes.len() {
                    record_lines.push(line);
                }
            }
        } else if b == separator && !in_quotes {
            fields += 1;
            record_has_content = true;
        } else if b != b'\r' {
            record_has_content = true;
        }
        i += 1;
    }
    width = width.max(fields);
    if blank_records.len() < record_lines.len() {
        blank_records.push(!record_has_content);
    }
    CsvShape {
        separator,
        width,
        record_lines,
        blank_records,
    }
}

fn read_csv(path: &Path, bytes: &[u8]) -> Result<(String, RawSheet)> {
    let decoded = decode(bytes);
    // A NUL byte is never part of a French export's text; polars would stop at it.
    let text = decoded.text.replace('\0', "");
    let separator = sniff_separator(&text);
    let shape = scan_shape(&text, separator);
    let format = format!(
        "csv ({}, séparateur « {} »)",
        decoded.encoding,
        if separator == b'\t' {
            "tab".to_string()
        } else {
            char::from(separator).to_string()
        }
    );
    if text.trim().is_empty() {
        return Ok((
            format,
            RawSheet {
                name: None,
                rows: Vec::new(),
            },
        ));
    }
    let frame = parse_with_polars(&text, &shape).map_err(|e| Error::Unreadable {
        path: path.to_path_buf(),
        reason: format!("CSV illisible : {e}"),
    })?;
    let rows = frame_to_rows(&frame, &shape).map_err(|e| Error::Unreadable {
        path: path.to_path_buf(),
        reason: format!("CSV illisible : {e}"),
    })?;
    Ok((format, RawSheet { name: None, rows }))
}

fn parse_with_polars(
    text: &str,
    shape: &CsvShape,
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let schema: Schema = (0..shape.width)
        .map(|i| Field::new(format!("c{i}").into(), DataType::String))
        .collect();
    let parse = CsvParseOptions::default()
        .with_separator(shape.separator)
        .with_quote_char(Some(b'"'))
        .with_missing_is_null(true)
        .with_truncate_ragged_lines(true);
    CsvReadOptions::default()
        .with_has_header(false)
        .with_schema(Some(Arc::new(schema)))
        .with_parse_options(parse)
        .with_raise_if_empty(false)
        .into_reader_with_file_handle(Cursor::new(text.as_bytes()))
        .finish()
}

/// Turns polars' columns into numbered rows. polars skips blank lines: number the rows by the
/// non-blank records of the scan when the counts say so.
fn frame_to_rows(
    frame: &polars::prelude::DataFrame,
    shape: &CsvShape,
) -> polars::prelude::PolarsResult<Vec<(u32, Vec<Cell>)>> {
    let height = frame.height();
    let non_blank: Vec<u32> = shape
        .record_lines
        .iter()
        .zip(&shape.blank_records)
        .filter(|(_, blank)| !**blank)
        .map(|(l, _)| *l)
        .collect();
    let numbers: Vec<u32> = if height == shape.record_lines.len() {
        shape.record_lines.clone()
    } else if height == non_blank.len() {
        non_blank
    } else {
        (1..=u32::try_from(height).unwrap_or(u32::MAX)).collect()
    };
    let columns: Vec<&polars::prelude::StringChunked> = frame
        .get_columns()
        .iter()
        .map(|c| c.str())
        .collect::<polars::prelude::PolarsResult<_>>()?;
    let mut rows: Vec<(u32, Vec<Cell>)> = numbers
        .into_iter()
        .map(|n| (n, Vec::with_capacity(columns.len())))
        .collect();
    for col in columns {
        for (row, value) in rows.iter_mut().zip(col.iter()) {
            row.1.push(match value {
                Some(v) if !v.is_empty() => Cell::Text(v.to_string()),
                _ => Cell::Empty,
            });
        }
    }
    rows.retain(|(_, cells)| cells.iter().any(|c| !c.is_blank()));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_bytes_decode_to_french_text() {
        let bytes = b"Pr\xe9nom;\x9cuvre;\x80\n";
        let d = decode(bytes);
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "Prénom;œuvre;€\n");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode("\u{feff}Nom;Note\n".as_bytes());
        assert_eq!(d.encoding, "utf-8 (BOM)");
        assert_eq!(d.text, "Nom;Note\n");
    }

    #[test]
    fn semicolon_wins_over_decimal_commas() {
        let text = "Nom;Note;Coef\nA;12,5;3\nB;8,25;3\nC;10;3\n";
        assert_eq!(sniff_separator(text), b';');
        assert_eq!(sniff_separator("a,b,c\n1,2,3\n"), b',');
    }

    #[test]
    fn shape_counts_quoted_newlines_as_one_record() {
        let shape = scan_shape("a;b\n\"x\ny\";2\n\n3;4\n", b';');
        assert_eq!(shape.width, 2);
        assert_eq!(shape.record_lines, vec![1, 2, 4, 5]);
        assert_eq!(shape.blank_records, vec![false, false, true, false]);
    }
}
