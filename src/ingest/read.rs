//! Reads a file into raw sheets of cells: calamine for `.xlsx .xlsm .xlsb .xls .ods` (every
//! worksheet, streamed cell by cell where calamine can, see `read_workbook`), the polars CSV
//! reader for `.csv` after detecting its encoding and separator (see `read_csv`).
//!
//! Gives [`RawFile`]: the file's SHA-256 and its sheets as rows of [`Cell`], each row with the
//! 1-based number the user sees, and the lines the reader itself could not split
//! ([`RawRejet`], a CSV row with a stray quote), which the load records as rejets. Does not find
//! headers or interpret values (see `layout`).

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

pub use super::csv_chunks::LaterRows;
use super::read_csv::read_csv;
use super::read_workbook::read_workbook;
use super::rejet::Motif;
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

/// A row: its 1-based number as the user sees it, and its cells.
pub type Row = (u32, Vec<Cell>);

/// A sheet of a workbook, or the single sheet of a CSV file.
#[derive(Debug, Clone)]
pub struct RawSheet {
    /// The sheet name; `None` for a CSV file.
    pub name: Option<String>,
    /// The rows holding a value, each with its 1-based row number as the user sees it and its
    /// cells at their 0-based columns (a row ends at its last cell read, so rows may differ in
    /// length: read a missing cell as empty).
    pub rows: Vec<(u32, Vec<Cell>)>,
    /// The lines the reader could not split into cells, left out of `rows`.
    pub rejets: Vec<RawRejet>,
    /// The rows after `rows` of a big CSV, split into cells chunk by chunk when normalised.
    pub later: Option<LaterRows>,
}

impl RawSheet {
    /// Rows of the sheet, `rows` and `later` (for a progress bar: `later` counts records, and
    /// its blank ones are dropped when split).
    pub fn row_count(&self) -> usize {
        self.rows.len() + self.later.as_ref().map_or(0, LaterRows::len)
    }

    /// Every row, `rows` and then `later` chunk by chunk, each chunk as a slice of rows.
    ///
    /// # Errors
    /// [`Error::Unreadable`] when a later chunk cannot be split.
    pub fn for_each_chunk(
        &self,
        skip: usize,
        f: &mut dyn FnMut(&[Row]) -> Result<()>,
    ) -> Result<()> {
        f(self.rows.get(skip..).unwrap_or_default())?;
        match &self.later {
            Some(later) => later.for_each_chunk(f),
            None => Ok(()),
        }
    }
}

/// A line of the file that the reader left out, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRejet {
    /// The 1-based line number, as a text editor shows it.
    pub ligne: u32,
    /// The line as read (shortened when long).
    pub valeur: String,
    /// Why it was left out.
    pub motif: Motif,
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

/// Bytes hashed at a time.
const HASH_BLOCK: usize = 1 << 20;

/// What a file was when its SHA-256 was read: the parse that follows checks that it is still
/// that file (a CSV is read again from disk, and its rows must be those of this SHA-256).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashed {
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// The file when it was opened to be hashed.
    stamp: FileStamp,
}

/// What tells a file changed: its size and its time of last change (where the system tells it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl FileStamp {
    /// The stamp of an open file.
    ///
    /// # Errors
    /// Its metadata cannot be read.
    pub(crate) fn of(file: &std::fs::File) -> std::io::Result<Self> {
        let meta = file.metadata()?;
        Ok(Self {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// Reads a file's SHA-256 (hex) and its size in bytes, block by block, so that a file already
/// loaded is recognised before it is parsed, and a big one is never held whole.
///
/// # Errors
/// [`Error::Io`] when it cannot be read.
pub fn hash_file(path: &Path) -> Result<Hashed> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let stamp = FileStamp::of(&file).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; HASH_BLOCK];
    let mut size = 0u64;
    loop {
        let n = match file.read(&mut block) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        hasher.update(block.get(..n).unwrap_or_default());
        size = size.saturating_add(n as u64);
    }
    Ok(Hashed {
        sha256: hex(&hasher.finalize()),
        size,
        stamp,
    })
}

/// Reads a file into sheets.
///
/// # Errors
/// [`Error::Io`] when it cannot be read, [`Error::Unsupported`] for another kind of file,
/// [`Error::Unreadable`] for a damaged, encrypted or undecodable file, or a sheet whose cells are
/// too scattered to hold in memory.
pub fn read_file(path: &Path) -> Result<RawFile> {
    let hashed = hash_file(path)?;
    parse_file(path, &hashed)
}

/// Parses the file at `path` (its extension says the format), as [`hash_file`] found it, into
/// sheets: a CSV is read block by block (see `read_csv`), a workbook whole, as calamine needs.
///
/// # Errors
/// As [`read_file`]; [`Error::Unreadable`] when the file changed since it was hashed (its size
/// or its time of change differ): its rows would not be those of its SHA-256.
pub fn parse_file(path: &Path, hashed: &Hashed) -> Result<RawFile> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (format, sheets) = match ext.as_str() {
        "csv" | "txt" => {
            let (format, sheet) = read_csv(path)?;
            (format, vec![sheet])
        }
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => {
            let bytes = std::fs::read(path).map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
            let sheets = read_workbook(path, &ext, bytes)?;
            (ext.clone(), sheets)
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
    let now = std::fs::File::open(path)
        .and_then(|f| FileStamp::of(&f))
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if now != hashed.stamp {
        return Err(Error::Unreadable {
            path: path.to_path_buf(),
            sheet: None,
            reason: "le fichier a changé pendant sa lecture ; chargez-le de nouveau".into(),
            source: None,
        });
    }
    Ok(RawFile {
        path: path.to_path_buf(),
        sha256: hashed.sha256.clone(),
        format,
        sheets,
    })
}

/// Bytes as lower-case hexadecimal (a SHA-256 digest as `sha256sum` prints it).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_after_its_hash_is_refused_and_an_unchanged_one_parses() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("notes_2024.csv");
        std::fs::write(&path, "N° candidat;Nom;E1\n0240000001;LABBÉ;12\n").expect("written");
        let hashed = hash_file(&path).expect("hashed");
        assert_eq!(
            hashed.sha256,
            hex(&Sha256::digest(std::fs::read(&path).expect("read")))
        );
        let raw = parse_file(&path, &hashed).expect("unchanged");
        assert_eq!(raw.sha256, hashed.sha256);
        assert_eq!(raw.sheets[0].rows.len(), 2);
        std::fs::write(&path, "N° candidat;Nom;E1\n0240000001;MARTIN;12\n").expect("rewritten");
        let e = parse_file(&path, &hashed).unwrap_err();
        assert!(
            e.to_string()
                .contains("le fichier a changé pendant sa lecture"),
            "{e}"
        );
    }
}
