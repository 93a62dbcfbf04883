//! Reads every worksheet of a workbook into raw sheets without allocating its used rectangle.
//!
//! `.xlsx .xlsm .xlsb` are streamed cell by cell with calamine's cell readers, so a workbook with
//! one value at A1 and one at XFD1048576 costs two rows, not 17 billion cells. `.xls` and `.ods`
//! have no cell stream in calamine: it parses them whole when the workbook is opened (`.ods` with
//! its own cap of 100 million cells, refused here with a French message), and their non-empty
//! cells are then copied row by row the same way.
//!
//! Gives one [`RawSheet`] per worksheet, in workbook order: only the rows holding a value, each
//! with its 1-based number and its cells at their sheet columns (empty cells pad the left of a
//! value, nothing is kept after a row's last value). A sheet whose values are so scattered that
//! placing them would take more than [`MAX_EMPTY_CELLS`] empty cells is an [`Error::Unreadable`]
//! naming the sheet and the cell, never an allocation failure. An `.xlsx` formula without a cached
//! result is an error cell naming its formula (rejected, not read as empty). Does not interpret
//! values.

use std::io::Cursor;
use std::path::Path;

use calamine::{
    Data, DataRef, Ods, OdsError, Reader, Xls, Xlsb, XlsbError, Xlsx,
    XlsxCellFormulaMetadataRecord, XlsxError, XlsxFormulaMetadata,
};
use chrono::NaiveDate;

use super::ignored::group_thousands;
use super::read::{Cell, RawSheet};
use crate::error::{Error, Result};

/// The magic number of OLE compound files: old `.xls`, and encrypted `.xlsx`.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// How many empty cells a sheet may hold to put its values at their columns, whatever its number
/// of values (5 million cells are about 160 MB).
pub(crate) const MAX_EMPTY_CELLS: u64 = 5_000_000;

/// Beyond [`MAX_EMPTY_CELLS`], how many empty cells a sheet may hold per value: a real table
/// with gaps stays far below it, isolated cells far to the right do not.
const MAX_EMPTY_CELLS_PER_VALUE: u64 = 4;

/// What the reader of one sheet may allocate.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// Empty cells allowed whatever the number of values.
    empty_cells: u64,
    /// Empty cells allowed per value beyond `empty_cells`.
    empty_cells_per_value: u64,
}

const LIMITS: Limits = Limits {
    empty_cells: MAX_EMPTY_CELLS,
    empty_cells_per_value: MAX_EMPTY_CELLS_PER_VALUE,
};

/// A value that would make its sheet hold more empty cells than `allowed`: its 0-based position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TooScattered {
    row: u32,
    column: u32,
    allowed: u64,
}

/// The rows of a sheet being filled cell by cell, kept sorted by row number.
struct SheetRows {
    rows: Vec<(u32, Vec<Cell>)>,
    values: u64,
    empty_cells: u64,
    limits: Limits,
}

impl SheetRows {
    fn new(limits: Limits) -> SheetRows {
        SheetRows {
            rows: Vec::new(),
            values: 0,
            empty_cells: 0,
            limits,
        }
    }

    /// Puts a non-empty cell at its 0-based `(row, column)`; a later cell at the same place
    /// replaces the earlier one, as in calamine's ranges.
    fn put(&mut self, (row, column): (u32, u32), cell: Cell) -> Result<(), TooScattered> {
        let number = row.saturating_add(1);
        let cells = row_mut(&mut self.rows, number);
        let col = column as usize;
        if let Some(slot) = cells.get_mut(col) {
            if matches!(slot, Cell::Empty) {
                self.empty_cells = self.empty_cells.saturating_sub(1);
                self.values += 1;
            }
            *slot = cell;
            return Ok(());
        }
        let gap = (col - cells.len()) as u64;
        let empty_cells = self.empty_cells.saturating_add(gap);
        let allowed = self.limits.empty_cells.max(
            self.limits
                .empty_cells_per_value
                .saturating_mul(self.values + 1),
        );
        if empty_cells > allowed {
            return Err(TooScattered {
                row,
                column,
                allowed,
            });
        }
        cells.resize(col, Cell::Empty);
        cells.push(cell);
        self.empty_cells = empty_cells;
        self.values += 1;
        Ok(())
    }

    fn into_sheet(mut self, name: String) -> RawSheet {
        // A row longer than the row before it grew by doubling: give the spare capacity back.
        for (_, cells) in &mut self.rows {
            cells.shrink_to_fit();
        }
        RawSheet {
            name: Some(name),
            rows: self.rows,
            later: None,
            rejets: Vec::new(),
        }
    }
}

/// The cells of row `number` in rows sorted by number, the row created in order if missing.
fn row_mut(rows: &mut Vec<(u32, Vec<Cell>)>, number: u32) -> &mut Vec<Cell> {
    // Cells come row after row in every file seen: the last row is the fast path.
    let at = match rows.last() {
        Some((last, _)) if *last == number => rows.len() - 1,
        Some((last, _)) if *last > number => rows.partition_point(|(n, _)| *n < number),
        _ => rows.len(),
    };
    if rows.get(at).is_none_or(|(n, _)| *n != number) {
        // Rows of a table have the same width: the previous row's is a good first capacity.
        let width = rows.last().map_or(0, |(_, cells)| cells.len());
        rows.insert(at, (number, Vec::with_capacity(width)));
    }
    rows.get_mut(at)
        .map(|(_, cells)| cells)
        .expect("the row was just found or inserted at this index")
}

/// Reads every worksheet of a workbook (`ext` says the format).
///
/// # Errors
/// [`Error::Unreadable`] for an encrypted, damaged or oversized workbook, or a sheet that cannot
/// be read or whose values are too scattered (see [`MAX_EMPTY_CELLS`]).
pub(crate) fn read_workbook(path: &Path, ext: &str, bytes: Vec<u8>) -> Result<Vec<RawSheet>> {
    if ext != "xls" && bytes.starts_with(&OLE_MAGIC) {
        return Err(unreadable(
            path,
            None,
            "classeur chiffré (protégé par mot de passe) ou enregistré dans un autre format : \
             enregistrez-le sans mot de passe au format .xlsx",
            None,
        ));
    }
    let cursor = Cursor::new(bytes);
    match ext {
        "xls" => {
            check_compound_file(path, cursor.get_ref())?;
            let workbook: Xls<_> = without_panic(|| calamine::open_workbook_from_rs(cursor))
                .map_err(|p| open_error(path, Box::new(p), false))?
                .map_err(|e| open_error(path, Box::new(e), false))?;
            read_ranges(path, workbook)
        }
        "ods" => {
            let opened = without_panic(|| calamine::open_workbook_from_rs(cursor))
                .map_err(|p| open_error(path, Box::new(p), false))?;
            let workbook: Ods<_> = opened.map_err(|e| {
                let too_large = matches!(e, OdsError::CellLimitExceeded { .. });
                let password = matches!(e, OdsError::Password);
                if too_large {
                    unreadable(
                        path,
                        None,
                        "classeur trop grand : une feuille demande plus de 100 000 000 cellules, \
                         souvent à cause d'une cellule isolée loin du tableau ; supprimez-la ou \
                         enregistrez le classeur au format .xlsx",
                        Some(Box::new(e)),
                    )
                } else {
                    open_error(path, ods_cause(e), password)
                }
            })?;
            read_ranges(path, workbook)
        }
        "xlsb" => {
            let mut workbook: Xlsb<_> = without_panic(|| calamine::open_workbook_from_rs(cursor))
                .map_err(|p| open_error(path, Box::new(p), false))?
                .map_err(|e| open_error(path, xlsb_cause(e), false))?;
            let mut sheets = Vec::new();
            for name in worksheet_names(workbook.sheets_metadata()) {
                let mut cells = workbook
                    .worksheet_cells_reader(&name)
                    .map_err(|e| sheet_error(path, &name, Box::new(e)))?;
                let next = || cells.next_cell().map(|c| c.map(stream_cell));
                sheets.push(stream_sheet(path, &name, next, LIMITS)?);
            }
            Ok(sheets)
        }
        _ => {
            let opened = without_panic(|| calamine::open_workbook_from_rs(cursor))
                .map_err(|p| open_error(path, Box::new(p), false))?;
            let mut workbook: Xlsx<_> = opened.map_err(|e| {
                let password = matches!(e, XlsxError::Password);
                open_error(path, xlsx_cause(e), password)
            })?;
            let mut sheets = Vec::new();
            for name in worksheet_names(workbook.sheets_metadata()) {
                let mut cells = match workbook.worksheet_cells_reader(&name) {
                    Ok(cells) => cells,
                    // A chart or dialog sheet listed as a worksheet: calamine reads it as empty.
                    Err(XlsxError::NotAWorksheet(_)) => {
                        sheets.push(SheetRows::new(LIMITS).into_sheet(name));
                        continue;
                    }
                    Err(e) => return Err(sheet_error(path, &name, Box::new(e))),
                };
                let next = || {
                    cells
                        .next_cell_with_formula_metadata()
                        .map(|c| c.map(xlsx_cell))
                };
                sheets.push(stream_sheet(path, &name, next, LIMITS)?);
            }
            Ok(sheets)
        }
    }
}

/// The names of the worksheets (not chart or macro sheets), in workbook order.
fn worksheet_names(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

/// Reads a sheet from a stream of converted cells at their 0-based `(row, column)`.
fn stream_sheet<E>(
    path: &Path,
    name: &str,
    mut next_cell: impl FnMut() -> std::result::Result<Option<((u32, u32), Cell)>, E>,
    limits: Limits,
) -> Result<RawSheet>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let mut rows = SheetRows::new(limits);
    while let Some((at, cell)) = next_cell().map_err(|e| sheet_error(path, name, Box::new(e)))? {
        if matches!(cell, Cell::Empty) {
            continue;
        }
        rows.put(at, cell)
            .map_err(|at| too_scattered(path, name, at))?;
    }
    Ok(rows.into_sheet(name.to_string()))
}

/// A streamed cell at its position, converted.
fn stream_cell(cell: calamine::Cell<DataRef<'_>>) -> ((u32, u32), Cell) {
    (cell.get_position(), convert_data_ref(cell.get_value()))
}

/// An `.xlsx` cell at its position, converted. A formula without a cached result (never
/// computed: scripts such as openpyxl write them so) is an error cell naming its formula, so
/// that it is rejected with its place instead of being read as an empty cell.
fn xlsx_cell(record: XlsxCellFormulaMetadataRecord<'_>) -> ((u32, u32), Cell) {
    let cell = match (&record.value, &record.formula) {
        (DataRef::Empty, Some(formula)) => Cell::Error(match formula {
            XlsxFormulaMetadata::Normal { formula }
            | XlsxFormulaMetadata::Shared { formula, .. } => {
                format!("={formula} (formule non calculée)")
            }
            // A cell of a shared formula, which calamine does not expand here.
            _ => "formule non calculée".to_string(),
        }),
        (value, _) => convert_data_ref(value),
    };
    (record.pos, cell)
}

/// Reads the sheets of a workbook that calamine parsed whole (`.xls`, `.ods`).
fn read_ranges<R>(path: &Path, mut workbook: R) -> Result<Vec<RawSheet>>
where
    R: Reader<Cursor<Vec<u8>>>,
    R::Error: std::error::Error + Send + Sync + 'static,
{
    let mut sheets = Vec::new();
    for name in worksheet_names(workbook.sheets_metadata()) {
        let range = without_panic(|| workbook.worksheet_range(&name))
            .map_err(|p| sheet_error(path, &name, Box::new(p)))?
            .map_err(|e| sheet_error(path, &name, Box::new(e)))?;
        sheets.push(range_to_sheet(path, name, &range, LIMITS)?);
    }
    Ok(sheets)
}

fn range_to_sheet(
    path: &Path,
    name: String,
    range: &calamine::Range<Data>,
    limits: Limits,
) -> Result<RawSheet> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = SheetRows::new(limits);
    for (r, c, data) in range.used_cells() {
        // Positions inside a range fit in u32: they come from u32 start and end.
        let at = (
            row0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX)),
            col0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX)),
        );
        rows.put(at, convert_data(data))
            .map_err(|at| too_scattered(path, &name, at))?;
    }
    Ok(rows.into_sheet(name))
}

/// A cell value as read from a cell stream.
fn convert_data_ref(data: &DataRef<'_>) -> Cell {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => bool_cell(*b),
        DataRef::DateTime(dt) => date_time_cell(dt),
        DataRef::DateTimeIso(s) => iso_date_cell(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A cell value of a whole parsed range (the same conversion as [`convert_data_ref`]).
fn convert_data(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => bool_cell(*b),
        Data::DateTime(dt) => date_time_cell(dt),
        Data::DateTimeIso(s) => iso_date_cell(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// Excel writes a carriage return inside a cell as `_x000D_`: drop it.
fn text_cell(s: &str) -> Cell {
    Cell::Text(s.replace("_x000D_", ""))
}

fn bool_cell(b: bool) -> Cell {
    Cell::Text(if b { "VRAI" } else { "FAUX" }.into())
}

/// A date cell gives its date; a time or a duration stays a number (its serial value).
fn date_time_cell(dt: &calamine::ExcelDateTime) -> Cell {
    match dt.as_datetime() {
        Some(d) if dt.is_datetime() => Cell::Date(d.date()),
        _ => Cell::Number(dt.as_f64()),
    }
}

fn iso_date_cell(s: &str) -> Cell {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
        .map(Cell::Date)
        .unwrap_or_else(|_| Cell::Text(s.to_string()))
}

/// The letters of a 0-based column (0 → A, 16383 → XFD).
/// The spreadsheet letters of a 0-based column (`0` → `A`, `16383` → `XFD`).
pub(crate) fn column_letters(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).unwrap_or(0);
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Checks the sector chains of an `.xls` (a Compound File Binary) before calamine reads it:
/// calamine 0.38 follows a chain until it has the length the file announces, so a chain that
/// loops back (one flipped bit in the sector table of `date.xls`, found by `tests/cli/fuzz.rs`)
/// made it allocate without end (4 GiB at once, 17 GB in a minute). The `cfb` crate refuses a
/// sector pointed to twice and a chain that comes back to its start; every stream's chain is
/// followed once (no stream is read).
fn check_compound_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let damaged = |e: std::io::Error| open_error(path, Box::new(e), false);
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
    let streams: Vec<std::path::PathBuf> = file
        .walk()
        .filter(|entry| entry.is_stream())
        .map(|entry| entry.path().to_path_buf())
        .collect();
    for stream in streams {
        file.open_stream(&stream).map_err(damaged)?;
    }
    Ok(())
}

fn unreadable(
    path: &Path,
    sheet: Option<&str>,
    reason: &str,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
) -> Error {
    Error::Unreadable {
        path: path.to_path_buf(),
        sheet: sheet.map(str::to_string),
        reason: reason.to_string(),
        source,
    }
}

fn open_error(
    path: &Path,
    source: Box<dyn std::error::Error + Send + Sync>,
    password: bool,
) -> Error {
    let reason = if password {
        "classeur protégé par mot de passe : enregistrez-le sans mot de passe"
    } else {
        "classeur illisible (fichier endommagé, ou d'un autre format que son extension)"
    };
    unreadable(path, None, reason, Some(source))
}

// calamine's zip errors print their cause inside their own text and again as their source, so
// the `cause :` lines would say it twice: the zip error alone is the cause.

fn xlsx_cause(e: XlsxError) -> Box<dyn std::error::Error + Send + Sync> {
    match e {
        XlsxError::Zip(z) => Box::new(z),
        e => Box::new(e),
    }
}

fn xlsb_cause(e: XlsbError) -> Box<dyn std::error::Error + Send + Sync> {
    match e {
        XlsbError::Zip(z) => Box::new(z),
        e => Box::new(e),
    }
}

fn ods_cause(e: OdsError) -> Box<dyn std::error::Error + Send + Sync> {
    match e {
        OdsError::Zip(z) => Box::new(z),
        e => Box::new(e),
    }
}

/// A panic of calamine on a damaged file, as the cause of a French error.
#[derive(Debug)]
struct CalaminePanic(String);

impl std::fmt::Display for CalaminePanic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "arrêt du lecteur calamine : {}", self.0)
    }
}

impl std::error::Error for CalaminePanic {}

thread_local! {
    /// Set while [`without_panic`] runs calamine on this thread: its panics are not printed.
    static IN_CALAMINE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a calamine call that parses a file (opening any workbook, reading a whole `.xls` or
/// `.ods` sheet) and turns a panic into an error: calamine 0.38 slices past the data it read
/// for a truncated `.xls` (`cfb.rs`, `Sectors::get`: « slice index starts at 4096 but ends at
/// 4095 »), found by `tests/cli/fuzz.rs`. The panic hook stays silent for it, so that stderr
/// holds the French message only; other panics print as before.
fn without_panic<T>(f: impl FnOnce() -> T) -> std::result::Result<T, CalaminePanic> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_CALAMINE.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = IN_CALAMINE.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_CALAMINE.with(|c| c.set(outer));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panique sans message".to_string());
        CalaminePanic(message)
    })
}

fn sheet_error(
    path: &Path,
    sheet: &str,
    source: Box<dyn std::error::Error + Send + Sync>,
) -> Error {
    unreadable(path, Some(sheet), "feuille illisible", Some(source))
}

fn too_scattered(path: &Path, sheet: &str, at: TooScattered) -> Error {
    let reason = format!(
        "cellules trop dispersées : la cellule {}{} (ligne {}, colonne {}) obligerait à garder \
         plus de {} cellules vides ; supprimez les cellules isolées loin du tableau",
        column_letters(at.column),
        u64::from(at.row) + 1,
        u64::from(at.row) + 1,
        column_letters(at.column),
        group_thousands(at.allowed),
    );
    unreadable(path, Some(sheet), &reason, None)
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

    use super::*;

    fn xlsx_bytes(fill: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Notes").unwrap();
        fill(sheet);
        workbook.save_to_buffer().unwrap()
    }

    fn header(sheet: &mut Worksheet) {
        for (col, title) in ["N° candidat", "Nom", "E1"].iter().enumerate() {
            sheet.write_string(0, col as u16, *title).unwrap();
        }
        sheet.write_string(1, 0, "0240000001").unwrap();
        sheet.write_string(1, 1, "LABBÉ").unwrap();
        sheet.write_number(1, 2, 12.5).unwrap();
    }

    /// The cause of reading `bytes` as `t.xls`, which must be refused « classeur illisible ».
    fn xls_refusal_cause(bytes: Vec<u8>) -> String {
        let e = read_workbook(Path::new("t.xls"), "xls", bytes).unwrap_err();
        assert!(matches!(e, Error::Unreadable { .. }), "{e:?}");
        assert!(
            e.to_string().starts_with("t.xls: classeur illisible"),
            "{e}"
        );
        std::error::Error::source(&e).unwrap().to_string()
    }

    #[test]
    fn a_truncated_xls_is_refused_by_the_sector_check_and_calamine_s_panic_is_caught() {
        // calamine's date.xls cut 1 byte before a sector's end (found by tests/cli/fuzz.rs).
        let bytes = include_bytes!("../../tests/fixtures/mauvais/xls_tronque_2024.xls").to_vec();
        let cause = xls_refusal_cause(bytes.clone());
        assert!(cause.starts_with("Malformed FAT"), "{cause}");
        // Past the check, calamine itself panics on it: the panic is caught, with its message.
        let opened =
            without_panic(|| calamine::open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)));
        let panic = opened.err().map(|p| p.to_string()).unwrap_or_default();
        assert!(panic.starts_with("arrêt du lecteur calamine : "), "{panic}");
    }

    #[test]
    fn an_xls_whose_sector_chain_loops_back_is_refused_before_calamine_follows_it() {
        // date.xls with bit 0 of byte 544 flipped: calamine 0.38 grew without end on it.
        let bytes = include_bytes!("../../tests/fixtures/mauvais/xls_boucle_2024.xls").to_vec();
        let cause = xls_refusal_cause(bytes);
        assert!(cause.contains("duplicate sector"), "{cause}");
    }

    #[test]
    fn a_far_cell_costs_one_row_not_the_rectangle() {
        let bytes = xlsx_bytes(|s| {
            header(s);
            s.write_number(1_048_575, 16_383, 7.0).unwrap();
        });
        let sheets = read_workbook(Path::new("loin.xlsx"), "xlsx", bytes).unwrap();
        let rows = &sheets[0].rows;
        let shape: Vec<(u32, usize)> = rows.iter().map(|(n, c)| (*n, c.len())).collect();
        assert_eq!(shape, vec![(1, 3), (2, 3), (1_048_576, 16_384)]);
        assert_eq!(rows[2].1[16_383], Cell::Number(7.0));
        assert!(rows[2].1[..16_383].iter().all(|c| *c == Cell::Empty));
    }

    /// The conversion of the reader before streaming: the whole range, each row padded on the
    /// left to its sheet column and on the right to the range's width; here cut after the last
    /// value, the only difference the streaming reader makes.
    fn rows_as_before(range: &calamine::Range<Data>) -> Vec<(u32, Vec<Cell>)> {
        let (row0, col0) = range.start().unwrap_or((0, 0));
        range
            .rows()
            .enumerate()
            .filter(|(_, cells)| cells.iter().any(|c| !matches!(c, Data::Empty)))
            .map(|(i, cells)| {
                let mut row: Vec<Cell> = std::iter::repeat_n(Cell::Empty, col0 as usize)
                    .chain(cells.iter().map(convert_data))
                    .collect();
                while row.last() == Some(&Cell::Empty) {
                    row.pop();
                }
                (row0 + 1 + i as u32, row)
            })
            .collect()
    }

    #[test]
    fn streamed_cells_are_the_cells_of_the_whole_range() {
        let bytes = xlsx_bytes(|s| {
            // A preamble in B2, the table from row 4 on, with gaps and every kind of value.
            s.write_string(1, 1, "Session 2024").unwrap();
            header_at(s, 3);
            let date = Format::new().set_num_format("dd/mm/yyyy");
            let day = ExcelDateTime::from_ymd(2024, 6, 15).unwrap();
            s.write_datetime_with_format(5, 0, &day, &date).unwrap();
            s.write_formula(5, 2, Formula::new("=1+1").set_result("2"))
                .unwrap();
            s.write_formula(5, 3, Formula::new("=1/0").set_result("#DIV/0!"))
                .unwrap();
            s.write_boolean(6, 4, true).unwrap();
            s.write_string(8, 2, "ABS").unwrap();
        });
        let sheets = read_workbook(Path::new("t.xlsx"), "xlsx", bytes.clone()).unwrap();
        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = workbook.worksheet_range("Notes").unwrap();
        assert_eq!(sheets[0].rows, rows_as_before(&range));
        let row6 = &sheets[0].rows.iter().find(|(n, _)| *n == 6).unwrap().1;
        assert_eq!(
            row6[..4],
            [
                Cell::Date(NaiveDate::from_ymd_opt(2024, 6, 15).unwrap()),
                Cell::Empty,
                Cell::Number(2.0),
                Cell::Error("#DIV/0!".into()),
            ]
        );
        let row7 = &sheets[0].rows.iter().find(|(n, _)| *n == 7).unwrap().1;
        assert_eq!(row7.last(), Some(&Cell::Text("VRAI".into())));
        assert_eq!(
            sheets[0].rows[0],
            (2, vec![Cell::Empty, Cell::Text("Session 2024".into())])
        );
    }

    fn header_at(sheet: &mut Worksheet, row: u32) {
        for (col, title) in ["N° candidat", "Nom", "E1", "E2", "PIX"].iter().enumerate() {
            sheet.write_string(row, col as u16, *title).unwrap();
        }
        sheet.write_string(row + 1, 0, "0240000001").unwrap();
        sheet.write_number(row + 1, 2, 12.5).unwrap();
    }

    #[test]
    fn excel_carriage_returns_are_dropped_from_text() {
        assert_eq!(
            text_cell("ligne 1_x000D_\nligne 2"),
            Cell::Text("ligne 1\nligne 2".into())
        );
    }

    #[test]
    fn cells_out_of_order_land_in_sorted_rows_at_their_columns() {
        let mut rows = SheetRows::new(LIMITS);
        let text = |t: &str| Cell::Text(t.into());
        rows.put((2, 3), text("d")).unwrap();
        rows.put((0, 0), text("a")).unwrap();
        rows.put((1, 1), text("b")).unwrap();
        rows.put((0, 2), text("c")).unwrap();
        rows.put((0, 2), text("c2")).unwrap();
        let e = Cell::Empty;
        assert_eq!(
            rows.rows,
            vec![
                (1, vec![text("a"), e.clone(), text("c2")]),
                (2, vec![e.clone(), text("b")]),
                (3, vec![e.clone(), e.clone(), e, text("d")]),
            ]
        );
        assert_eq!((rows.values, rows.empty_cells), (4, 5));
    }

    #[test]
    fn scattered_cells_beyond_the_bound_are_refused_before_allocation() {
        let limits = Limits {
            empty_cells: 40_000,
            empty_cells_per_value: 4,
        };
        let bytes = xlsx_bytes(|s| {
            header(s);
            for row in 10..13 {
                s.write_number(row, 16_383, 1.0).unwrap();
            }
        });
        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let mut cells = workbook.worksheet_cells_reader("Notes").unwrap();
        let path = Path::new("dispersé.xlsx");
        let next = || cells.next_cell().map(|c| c.map(stream_cell));
        let err = stream_sheet(path, "Notes", next, limits).unwrap_err();
        assert_eq!(
            err.to_string(),
            "dispersé.xlsx, feuille « Notes »: cellules trop dispersées : la cellule XFD13 \
             (ligne 13, colonne XFD) obligerait à garder plus de 40 000 cellules vides ; \
             supprimez les cellules isolées loin du tableau"
        );
    }

    #[test]
    fn column_letters_follow_the_spreadsheet() {
        let letters: Vec<String> = [0, 25, 26, 701, 702, 16_383]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(letters, ["A", "Z", "AA", "ZZ", "AAA", "XFD"]);
    }

    /// An `.ods` package holding one sheet with these rows (`content.xml` row elements).
    fn ods_bytes(rows: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("META-INF/manifest.xml", deflated).unwrap();
        zip.write_all(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
                r#"<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
                r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
                r#"</manifest:manifest>"#
            )
            .as_bytes(),
        )
        .unwrap();
        zip.start_file("content.xml", deflated).unwrap();
        write!(
            zip,
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
                r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
                r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
                r#"<office:body><office:spreadsheet><table:table table:name="Notes">{}"#,
                r#"</table:table></office:spreadsheet></office:body></office:document-content>"#
            ),
            rows
        )
        .unwrap();
        zip.finish().unwrap().into_inner()
    }

    const ODS_A1: &str = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>N° candidat</text:p></table:table-cell></table:table-row>"#;

    fn ods_far_cell(rows_between: u32, columns_before: u32) -> String {
        format!(
            concat!(
                "{}",
                r#"<table:table-row table:number-rows-repeated="{}"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
                r#"<table:table-row><table:table-cell table:number-columns-repeated="{}"/>"#,
                r#"<table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell></table:table-row>"#
            ),
            ODS_A1, rows_between, columns_before
        )
    }

    #[test]
    fn an_ods_cell_at_xfd1048576_is_a_clear_error() {
        let bytes = ods_bytes(&ods_far_cell(1_048_574, 16_383));
        let err = read_workbook(Path::new("loin.ods"), "ods", bytes).unwrap_err();
        assert!(
            err.to_string().starts_with("loin.ods: classeur trop grand"),
            "{err}"
        );
        let cause = std::error::Error::source(&err).map(ToString::to_string);
        assert!(cause.is_some_and(|c| c.contains("Cell limit exceeded")));
    }

    #[test]
    fn an_ods_cell_moderately_far_is_read_at_its_place() {
        let bytes = ods_bytes(&ods_far_cell(98, 999));
        let sheets = read_workbook(Path::new("loin.ods"), "ods", bytes).unwrap();
        let shape: Vec<(u32, usize)> = sheets[0].rows.iter().map(|(n, c)| (*n, c.len())).collect();
        assert_eq!(shape, vec![(1, 1), (100, 1000)]);
        assert_eq!(sheets[0].rows[1].1[999], Cell::Number(7.0));
    }
}
