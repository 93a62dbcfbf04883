//! Splits a CSV's well-formed records into rows of cells with polars, a chunk of
//! [`CHUNK_RECORDS`] records at a time: the first chunk when the file is read (its header is
//! recognised from it), the later ones ([`LaterRows`]) read back from the file while the
//! previous chunk is normalised, so that a big file's bytes and cells are never all in memory.
//!
//! Takes the records found by the scan (`csv_records`) and the file's text (`csv_text`); gives
//! rows numbered by the line each record starts on. Also refuses a file whose rows would be too
//! many cells ([`too_ragged`]).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::csv_records::{CsvScan, Record};
use super::csv_text::{ChunkReader, CsvText};
use super::ignored::group_thousands;
use super::read::{Cell, Row};
use crate::error::{Error, Result};

/// Records split into cells at a time: a big file is read chunk by chunk while it is
/// normalised, so that its cells are never all in memory at once.
pub(crate) const CHUNK_RECORDS: usize = 65_536;

/// The records of a big CSV after its first chunk, read back from the file and split into cells
/// only when normalised (see [`LaterRows::for_each_chunk`]): the bytes and cells of one chunk at
/// a time.
#[derive(Debug, Clone)]
pub struct LaterRows {
    path: PathBuf,
    text: Arc<CsvText>,
    separator: u8,
    width: usize,
    records: Vec<Record>,
}

impl LaterRows {
    /// The records after the first chunk of the file at `path`, whose text is `text`.
    pub(super) fn new(
        path: &Path,
        text: Arc<CsvText>,
        separator: u8,
        width: usize,
        records: Vec<Record>,
    ) -> Self {
        Self {
            path: path.to_path_buf(),
            text,
            separator,
            width,
            records,
        }
    }

    /// Records left to split (blank rows are dropped when split, so rows may be fewer).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when no record is left.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Calls `f` with the rows, [`CHUNK_RECORDS`] records at a time, in file order.
    ///
    /// A splitting thread cuts the next chunk into cells while `f` reads this one: the two
    /// overlap, as the reader and the store do. Two buffers of rows go back and forth between
    /// them (never more: memory stays at two chunks), and a cell's text is written over the text
    /// the same cell held two chunks before, so that a national file does not allocate a string
    /// per value.
    ///
    /// # Errors
    /// [`Error::Unreadable`] when polars cannot split a chunk; what `f` returns.
    pub fn for_each_chunk(&self, f: &mut dyn FnMut(&[Row]) -> Result<()>) -> Result<()> {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<Row>>(1);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<Row>>();
        for _ in 0..2 {
            // Cannot fail: the receiver is alive until the splitter ends, below.
            let _ = empty_tx.send(Vec::new());
        }
        std::thread::scope(|scope| {
            let splitter = scope.spawn(move || -> Result<()> {
                let mut clean = Vec::new();
                let mut reader = ChunkReader::default();
                for chunk in self.records.chunks(CHUNK_RECORDS) {
                    // No buffer back: the reader stopped (its error is the one said).
                    let Ok(mut rows) = empty_rx.recv() else {
                        return Ok(());
                    };
                    let frame = split_records(
                        &self.path,
                        &self.text,
                        &mut reader,
                        self.separator,
                        self.width,
                        chunk,
                        &mut clean,
                    )?;
                    frame_to_rows_into(&frame, chunk, &mut rows)
                        .map_err(|e| unreadable(&self.path, Box::new(e)))?;
                    if full_tx.send(rows).is_err() {
                        return Ok(());
                    }
                }
                Ok(())
            });
            let mut read = Ok(());
            for rows in &full_rx {
                read = f(&rows);
                if read.is_err() {
                    break;
                }
                // The splitter may have ended with the last chunk: nothing waits for a buffer.
                let _ = empty_tx.send(rows);
            }
            // Ends the splitter if it still waits, when `f` failed.
            drop(full_rx);
            drop(empty_tx);
            let split = splitter.join().unwrap_or_else(|_| {
                Err(Error::Internal(format!(
                    "découpage de {} interrompu",
                    self.path.display()
                )))
            });
            read.and(split)
        })
    }
}

/// How many cells a chunk of rows may hold whatever the file's content (as a workbook sheet's
/// empty cells, `read_workbook::MAX_EMPTY_CELLS`: about 240 MB with polars' copy).
const MAX_CHUNK_CELLS: u64 = 5_000_000;

/// Beyond [`MAX_CHUNK_CELLS`], how many cells a chunk may hold per field written in the file.
const MAX_CELLS_PER_FIELD: u64 = 4;

/// Why a CSV is refused for the memory its rows would take, when it is: every row is as wide as
/// the widest record, so one line of 100,000 separators above 65,536 short lines (a 1 MB file)
/// would make 6.5 billion cells (found by `tests/cli/fuzz.rs`; 64 KB took 1.8 GB).
pub(super) fn too_ragged(scan: &CsvScan) -> Option<String> {
    let width = scan.width as u64;
    let cells = width.saturating_mul(scan.records.len().min(CHUNK_RECORDS) as u64);
    let allowed = MAX_CHUNK_CELLS.max(MAX_CELLS_PER_FIELD.saturating_mul(scan.fields));
    (cells > allowed).then(|| {
        format!(
            "lignes trop inégales : la ligne {} compte {} champs, bien plus que les autres, et \
             chaque ligne lue en aurait autant ({} cellules, plus de {}) ; supprimez les \
             séparateurs en trop de cette ligne",
            scan.widest_line,
            group_thousands(width),
            group_thousands(cells),
            group_thousands(allowed),
        )
    })
}

/// Hands well-formed records to polars, one per line, and numbers its rows by their lines.
pub(super) fn read_records(
    path: &Path,
    text: &CsvText,
    separator: u8,
    width: usize,
    records: &[Record],
) -> Result<Vec<Row>> {
    let frame = split_records(
        path,
        text,
        &mut ChunkReader::default(),
        separator,
        width,
        records,
        &mut Vec::new(),
    )?;
    let mut rows = Vec::new();
    frame_to_rows_into(&frame, records, &mut rows).map_err(|e| unreadable(path, Box::new(e)))?;
    Ok(rows)
}

/// The error of a CSV file that polars cannot split.
fn unreadable(path: &Path, source: Box<dyn std::error::Error + Send + Sync>) -> Error {
    Error::Unreadable {
        path: path.to_path_buf(),
        sheet: None,
        reason: "fichier CSV illisible".into(),
        source: Some(source),
    }
}

/// Splits well-formed records into columns with polars, one record per line: their bytes read
/// back (with `reader`) and decoded into `clean`, a buffer kept between chunks.
fn split_records(
    path: &Path,
    text: &CsvText,
    reader: &mut ChunkReader,
    separator: u8,
    width: usize,
    records: &[Record],
    clean: &mut Vec<u8>,
) -> Result<polars::prelude::DataFrame> {
    clean.clear();
    let start = records.first().map_or(0, |r| r.start);
    let end = records.last().map_or(0, |r| r.end);
    let bytes = text
        .chunk_bytes(start, end, reader)
        .map_err(|e| unreadable(path, Box::new(e)))?;
    for r in records {
        text.push_record(
            bytes
                .get(r.start - start..r.end - start)
                .unwrap_or_default(),
            clean,
        );
        clean.push(b'\n');
    }
    let frame =
        parse_with_polars(clean, separator, width).map_err(|e| unreadable(path, Box::new(e)))?;
    if frame.height() != records.len() {
        return Err(unreadable(
            path,
            format!(
                "le lecteur CSV a lu {} lignes là où l'analyse des guillemets en trouve {}",
                frame.height(),
                records.len()
            )
            .into(),
        ));
    }
    Ok(frame)
}

fn parse_with_polars(
    text: &[u8],
    separator: u8,
    width: usize,
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let schema: Schema = (0..width)
        .map(|i| Field::new(format!("c{i}").into(), DataType::String))
        .collect();
    let parse = CsvParseOptions::default()
        .with_separator(separator)
        .with_quote_char(Some(b'"'))
        .with_missing_is_null(true)
        .with_truncate_ragged_lines(true);
    CsvReadOptions::default()
        .with_has_header(false)
        .with_schema(Some(Arc::new(schema)))
        .with_parse_options(parse)
        .with_raise_if_empty(false)
        .into_reader_with_file_handle(Cursor::new(text))
        .finish()
}

/// Turns polars' columns into rows numbered by the records' first lines, written over `rows`
/// (the rows of the chunk before: their cells' strings are reused); blank rows are dropped.
fn frame_to_rows_into(
    frame: &polars::prelude::DataFrame,
    records: &[Record],
    rows: &mut Vec<Row>,
) -> polars::prelude::PolarsResult<()> {
    let columns: Vec<&polars::prelude::StringChunked> = frame
        .get_columns()
        .iter()
        .map(|c| c.str())
        .collect::<polars::prelude::PolarsResult<_>>()?;
    rows.resize_with(records.len(), || (0, Vec::new()));
    for (row, record) in rows.iter_mut().zip(records) {
        row.0 = record.line;
        row.1.resize(columns.len(), Cell::Empty);
    }
    // Row by row, every column's values in step: each row's cells are written together, where
    // a column at a time would visit every row's cells once per column.
    let mut values: Vec<_> = columns.iter().map(|c| c.iter()).collect();
    for row in rows.iter_mut() {
        for (cell, column) in row.1.iter_mut().zip(values.iter_mut()) {
            set_text(cell, column.next().flatten());
        }
    }
    rows.retain(|(_, cells)| cells.iter().any(|c| !c.is_blank()));
    Ok(())
}

/// Writes a CSV value into a cell, over the cell's own string when it holds one.
fn set_text(cell: &mut Cell, value: Option<&str>) {
    match (value, &mut *cell) {
        (Some(v), Cell::Text(s)) if !v.is_empty() => {
            s.clear();
            s.push_str(v);
        }
        (Some(v), _) if !v.is_empty() => *cell = Cell::Text(v.to_owned()),
        _ => *cell = Cell::Empty,
    }
}
