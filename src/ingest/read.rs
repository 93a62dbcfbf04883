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

use super::read_csv::read_csv;
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

/// Reads a file's bytes and their SHA-256 (hex), so that a file already loaded is recognised
/// before it is parsed.
///
/// # Errors
/// [`Error::Io`] when it cannot be read.
pub fn read_bytes(path: &Path) -> Result<(Vec<u8>, String)> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let sha256 = hex(&Sha256::digest(&bytes));
    Ok((bytes, sha256))
}

/// Reads a file into sheets.
///
/// # Errors
/// [`Error::Io`] when it cannot be read, [`Error::Unsupported`] for another kind of file,
/// [`Error::Unreadable`] for a damaged, encrypted or undecodable file.
pub fn read_file(path: &Path) -> Result<RawFile> {
    let (bytes, sha256) = read_bytes(path)?;
    parse_file(path, bytes, sha256)
}

/// Parses bytes read from `path` (its extension says the format) into sheets.
///
/// # Errors
/// As [`read_file`].
pub fn parse_file(path: &Path, bytes: Vec<u8>, sha256: String) -> Result<RawFile> {
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
