//! Reads a CSV file into one raw sheet: detects the encoding (UTF-8 with or without BOM, UTF-16
//! with BOM, else Windows-1252) and the separator, then lets the polars CSV reader split the
//! fields (all as text). A lone carriage return ends a line (old Mac exports); bytes that are no
//! text (control characters) make an [`Error::Unreadable`] « contenu binaire ».
//!
//! A quote-aware scan (`csv_records`) first cuts the text into records, so that rows keep the
//! line numbers a text editor shows, and sets aside the malformed ones: a stray quote that would
//! swallow the rest of the file, or an odd quote inside a field. Only well-formed records reach
//! polars; each malformed one becomes a [`RawRejet`] of its first line, and the other rows load.
//! A polars failure is an [`Error::Unreadable`] « fichier CSV illisible » with polars' own text
//! as its cause.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::csv_records::{scan_records, CsvScan, Fault, Record};
use super::ignored::group_thousands;
use super::read::{Cell, RawRejet, RawSheet, Row};
use super::rejet::Motif;
use crate::error::{Error, Result};

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

/// A carriage return not followed by a line feed becomes a line feed. Old Mac exports (Excel's
/// « CSV Macintosh ») end their lines with a lone CR, which the record scan does not split on:
/// the whole file was one line, read as a header and no rows. Text editors show a lone CR as a
/// line end, so the line numbers stay theirs; inside a quoted field it stays a line break.
fn lone_cr_to_lf(text: String) -> String {
    let bytes = text.as_bytes();
    let is_lone = |i: usize| bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(is_lone) {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    String::from_utf8(bytes).expect("replacing an ASCII byte by another keeps UTF-8 valid")
}

/// Characters looked at to tell binary bytes from text.
const BINARY_SAMPLE_CHARS: usize = 65_536;

/// Why a decoded `.csv` is taken for binary bytes, when it is: more than 1 % of its first
/// characters (and at least 8) are control characters other than tabs and line ends, which text
/// exports never hold (an old DOS end-of-file mark is one). Without this, a workbook renamed
/// `.csv` would be reported as a CSV without a known header, with advice on headers.
fn binary_content(text: &str) -> Option<String> {
    let (mut chars, mut controls) = (0usize, 0usize);
    for c in text.chars().take(BINARY_SAMPLE_CHARS) {
        chars += 1;
        if c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r') {
            controls += 1;
        }
    }
    (controls >= 8 && controls * 100 > chars).then(|| {
        format!(
            "fichier CSV illisible : contenu binaire, pas du texte ({controls} caractères de \
             contrôle sur les {chars} premiers) ; s'il s'agit d'un classeur renommé, rendez-lui \
             son extension (.xlsx, .xls, .ods), sinon exportez-le de nouveau en CSV"
        )
    })
}

/// The rejet motif of a malformed record.
fn motif(fault: Fault) -> Motif {
    Motif::LigneIllisible {
        raison: match fault {
            Fault::UnclosedQuote => "guillemet non fermé",
            Fault::QuoteInField => "guillemet isolé dans un champ",
            Fault::TextAfterQuote => "texte après un guillemet fermant",
        },
    }
}

/// The longest text kept of a rejected line, in characters.
const MAX_REJET_CHARS: usize = 200;

/// A malformed record as a rejet: its first line, shortened.
fn raw_rejet(text: &str, record: &Record, fault: Fault) -> RawRejet {
    let line = text
        .get(record.start..record.end)
        .unwrap_or_default()
        .trim_end_matches('\r');
    let mut valeur: String = line.chars().take(MAX_REJET_CHARS).collect();
    if line.chars().nth(MAX_REJET_CHARS).is_some() {
        valeur.push('…');
    }
    RawRejet {
        ligne: record.line,
        valeur,
        motif: motif(fault),
    }
}

/// Records split into cells at a time: a big file is read chunk by chunk while it is
/// normalised, so that its cells are never all in memory at once.
pub(crate) const CHUNK_RECORDS: usize = 65_536;

/// The records of a big CSV after its first chunk, split into cells only when normalised (see
/// [`LaterRows::chunks`]): the text stays whole (once, shared), the cells of one chunk at a time.
#[derive(Debug, Clone)]
pub struct LaterRows {
    path: PathBuf,
    // An `Arc<String>`, not an `Arc<str>`: making the latter copies the whole decoded text (a
    // national file's 190 MB written again into freshly faulted pages); the decoder's spare
    // capacity is given back first (`shrink_to_fit`, a remap of the big buffer, not a copy).
    text: Arc<String>,
    separator: u8,
    width: usize,
    records: Vec<Record>,
}

impl LaterRows {
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
                let mut clean = String::new();
                for chunk in self.records.chunks(CHUNK_RECORDS) {
                    // No buffer back: the reader stopped (its error is the one said).
                    let Ok(mut rows) = empty_rx.recv() else {
                        return Ok(());
                    };
                    let frame = split_records(
                        &self.path,
                        &self.text,
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
fn too_ragged(scan: &CsvScan) -> Option<String> {
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

/// Reads CSV bytes into a sheet; returns a description of the detected format and the sheet.
/// A malformed record (a stray quote) is left out of the rows and listed in the sheet's rejets.
/// Past [`CHUNK_RECORDS`] records, the rest is left in [`RawSheet::later`].
///
/// # Errors
/// [`Error::Unreadable`] when polars cannot split the well-formed records of the first chunk.
pub(crate) fn read_csv(path: &Path, bytes: &[u8]) -> Result<(String, RawSheet)> {
    let mut decoded = decode(bytes);
    // A NUL byte is never part of a French export's text; polars would stop at it.
    if decoded.text.contains('\0') {
        decoded.text = decoded.text.replace('\0', "");
    }
    decoded.text = lone_cr_to_lf(decoded.text);
    if let Some(reason) = binary_content(&decoded.text) {
        return Err(Error::Unreadable {
            path: path.to_path_buf(),
            sheet: None,
            reason,
            source: None,
        });
    }
    decoded.text.shrink_to_fit();
    let text = Arc::new(decoded.text);
    let separator = sniff_separator(&text);
    let format = format!(
        "csv ({}, séparateur « {} »)",
        decoded.encoding,
        if separator == b'\t' {
            "tab".to_string()
        } else {
            char::from(separator).to_string()
        }
    );
    let mut scan = scan_records(&text, separator);
    if let Some(reason) = too_ragged(&scan) {
        return Err(Error::Unreadable {
            path: path.to_path_buf(),
            sheet: None,
            reason,
            source: None,
        });
    }
    let rejets = scan
        .malformed
        .iter()
        .map(|(record, fault)| raw_rejet(&text, record, *fault))
        .collect();
    let rest = scan
        .records
        .split_off(CHUNK_RECORDS.min(scan.records.len()));
    let rows = if scan.records.is_empty() {
        Vec::new()
    } else {
        read_records(path, &text, separator, scan.width, &scan.records)?
    };
    let later = (!rest.is_empty()).then(|| LaterRows {
        path: path.to_path_buf(),
        text: Arc::clone(&text),
        separator,
        width: scan.width,
        records: rest,
    });
    let sheet = RawSheet {
        name: None,
        rows,
        rejets,
        later,
    };
    Ok((format, sheet))
}

/// Hands well-formed records to polars, one per line, and numbers its rows by their lines.
fn read_records(
    path: &Path,
    text: &str,
    separator: u8,
    width: usize,
    records: &[Record],
) -> Result<Vec<Row>> {
    let frame = split_records(path, text, separator, width, records, &mut String::new())?;
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

/// Splits well-formed records into columns with polars, one record per line (copied into
/// `clean`, a buffer kept between chunks).
fn split_records(
    path: &Path,
    text: &str,
    separator: u8,
    width: usize,
    records: &[Record],
    clean: &mut String,
) -> Result<polars::prelude::DataFrame> {
    clean.clear();
    for r in records {
        clean.push_str(text.get(r.start..r.end).unwrap_or_default());
        clean.push('\n');
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
    text: &str,
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
        .into_reader_with_file_handle(Cursor::new(text.as_bytes()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_very_wide_line_above_many_short_ones_is_refused_not_allocated() {
        // 64 KB: a header of 6,001 fields above 6,000 rows of 3, which took 1.8 GB to read.
        let mut text = format!("N° candidat;Nom;E1{}\n", ";".repeat(5_998));
        for i in 0..6_000 {
            text.push_str(&format!("{i};A;10\n"));
        }
        let e = read_csv(Path::new("t.csv"), text.as_bytes()).unwrap_err();
        assert!(matches!(e, Error::Unreadable { .. }), "{e:?}");
        let message = e.to_string();
        assert!(
            message.contains("lignes trop inégales : la ligne 1 compte"),
            "{message}"
        );
        // A wide table whose rows are all as wide loads (as `colonnes_10000_2024.csv`).
        let row = format!("1;A;10{}\n", ";x".repeat(1_997));
        let wide = format!(
            "N° candidat;Nom;E1{}\n{}",
            ";C".repeat(1_997),
            row.repeat(3_000)
        );
        let (_, sheet) = read_csv(Path::new("t.csv"), wide.as_bytes()).expect("readable");
        assert_eq!(sheet.rows.len(), 3_001);
    }

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

    /// Reads a CSV text; gives each row as `line: cell|cell` and each rejet as `line: code`.
    fn read(text: &str) -> (Vec<String>, Vec<String>) {
        let (_, sheet) = read_csv(Path::new("t.csv"), text.as_bytes()).expect("readable");
        let rows = sheet
            .rows
            .iter()
            .map(|(n, cells)| {
                let cells: Vec<String> = cells
                    .iter()
                    .map(|c| match c {
                        Cell::Text(t) => t.clone(),
                        _ => String::new(),
                    })
                    .collect();
                format!("{n}: {}", cells.join("|"))
            })
            .collect();
        let rejets = sheet
            .rejets
            .iter()
            .map(|r| format!("{}: {} {}", r.ligne, r.motif.code(), r.valeur))
            .collect();
        (rows, rejets)
    }

    const HEADER: &str = "N° candidat;Nom;Prénom;E1\n";

    /// A CSV of `n` data rows `i;N{i}` (a blank line after the row 100,000), read into a sheet.
    fn big_sheet(n: usize) -> RawSheet {
        let mut text = String::from("N° candidat;Nom\n");
        for i in 0..n {
            text.push_str(&format!("{i};N{i}\n"));
            if i == 100_000 {
                text.push('\n');
            }
        }
        read_csv(Path::new("t.csv"), text.as_bytes())
            .expect("readable")
            .1
    }

    #[test]
    fn later_chunks_come_in_file_order_with_their_lines_and_texts() {
        // Three chunks and a half after the first, split on another thread two at a time.
        let n = 4 * CHUNK_RECORDS + CHUNK_RECORDS / 2;
        let sheet = big_sheet(n);
        let later = sheet.later.as_ref().expect("rows after the first chunk");
        let mut next = sheet.rows.len() - 1; // the header is the first row
        let mut chunks = 0;
        later
            .for_each_chunk(&mut |rows| {
                chunks += 1;
                for (line, cells) in rows {
                    // The blank line after row 100,000 is dropped, and counts as a line.
                    let expected_line =
                        u32::try_from(next).unwrap() + 2 + u32::from(next > 100_000);
                    assert_eq!(*line, expected_line);
                    assert_eq!(cells[0], Cell::Text(next.to_string()));
                    assert_eq!(cells[1], Cell::Text(format!("N{next}")));
                    next += 1;
                }
                Ok(())
            })
            .expect("split");
        assert_eq!(next, n);
        assert_eq!(chunks, 4);
    }

    #[test]
    fn a_failure_while_reading_a_chunk_stops_the_splitting_and_is_said() {
        let sheet = big_sheet(6 * CHUNK_RECORDS);
        let later = sheet.later.as_ref().expect("rows after the first chunk");
        let mut calls = 0;
        let e = later
            .for_each_chunk(&mut |_| {
                calls += 1;
                if calls == 2 {
                    return Err(Error::Internal("magasin indisponible".into()));
                }
                Ok(())
            })
            .unwrap_err();
        assert!(e.to_string().contains("magasin indisponible"), "{e}");
        assert_eq!(calls, 2, "no chunk is read after the failure");
    }

    #[test]
    fn an_unclosed_quote_rejects_its_line_and_keeps_the_next_rows() {
        let text = format!(
            "{HEADER}0240000001;A;Ana;12\n0240000002;B;Bob;13\n\
             0240000003;\"C;Cid;14\n0240000004;D;Dan;15\n0240000005;E;Eve;16\n"
        );
        let (rows, rejets) = read(&text);
        assert_eq!(rejets, vec!["4: ligne_illisible 0240000003;\"C;Cid;14"]);
        assert_eq!(
            rows,
            vec![
                "1: N° candidat|Nom|Prénom|E1",
                "2: 0240000001|A|Ana|12",
                "3: 0240000002|B|Bob|13",
                "5: 0240000004|D|Dan|15",
                "6: 0240000005|E|Eve|16",
            ]
        );
    }

    #[test]
    fn an_odd_quote_inside_a_field_rejects_its_line() {
        let text = format!("{HEADER}0240000001;D\"ARC;Ana;12\n0240000002;B;Bob;13\n");
        let (rows, rejets) = read(&text);
        assert_eq!(rejets, vec!["2: ligne_illisible 0240000001;D\"ARC;Ana;12"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1], "3: 0240000002|B|Bob|13");
        let (_, sheet) = read_csv(Path::new("t.csv"), text.as_bytes()).expect("readable");
        assert_eq!(
            sheet.rejets[0].motif.to_string(),
            "ligne CSV mal formée (guillemet isolé dans un champ) : ligne ignorée"
        );
    }

    #[test]
    fn text_after_a_closing_quote_rejects_its_line() {
        let (rows, rejets) = read(&format!(
            "{HEADER}\"0240000001\"x;A;Ana;12\n0240000002;B;Bob;13\n"
        ));
        assert_eq!(rejets.len(), 1);
        assert!(rejets[0].starts_with("2: ligne_illisible"), "{rejets:?}");
        assert_eq!(
            rows.last().map(String::as_str),
            Some("3: 0240000002|B|Bob|13")
        );
    }

    #[test]
    fn two_stray_quotes_reject_their_two_lines_only() {
        let text = format!(
            "{HEADER}0240000001;\"A;Ana;12\n0240000002;B;Bob;13\n0240000003;C;Cid\";14\n\
             0240000004;D;Dan;15\n"
        );
        let (rows, rejets) = read(&text);
        let lines: Vec<&str> = rejets.iter().map(|r| &r[..2]).collect();
        assert_eq!(lines, vec!["2:", "4:"]);
        assert_eq!(
            rows[1..],
            ["3: 0240000002|B|Bob|13", "5: 0240000004|D|Dan|15"]
        );
    }

    #[test]
    fn well_formed_quotes_still_load_as_before() {
        let text = "Nom;Observation;E1\r\n\"DUPONT\";\"Très \"\"bon\"\" élève\";\"12,5\"\r\n\
                    MARTIN;dit \"le grand\";13\r\n\"DURAND\";\"ligne 1\nligne 2\";14\r\nPETIT;;15\r\n";
        let (rows, rejets) = read(text);
        assert!(rejets.is_empty(), "{rejets:?}");
        assert_eq!(
            rows,
            vec![
                "1: Nom|Observation|E1",
                "2: DUPONT|Très \"bon\" élève|12,5",
                "3: MARTIN|dit \"le grand\"|13",
                "4: DURAND|ligne 1\nligne 2|14",
                "6: PETIT||15",
            ]
        );
    }

    #[test]
    fn a_quote_opening_the_last_line_is_rejected_without_a_line_end() {
        let (rows, rejets) = read(&format!(
            "{HEADER}0240000001;A;Ana;12\n\"0240000002;B;Bob;13"
        ));
        assert_eq!(rejets, vec!["3: ligne_illisible \"0240000002;B;Bob;13"]);
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn a_long_rejected_line_is_shortened() {
        let long = format!("{HEADER}x\"{}\n", "y".repeat(500));
        let (_, sheet) = read_csv(Path::new("t.csv"), long.as_bytes()).expect("readable");
        assert_eq!(sheet.rejets[0].valeur.chars().count(), MAX_REJET_CHARS + 1);
        assert!(sheet.rejets[0].valeur.ends_with('…'));
    }

    #[test]
    fn a_file_of_malformed_lines_only_has_no_rows() {
        let (rows, rejets) = read("a\"b\n\"c");
        assert!(rows.is_empty());
        assert_eq!(rejets.len(), 2);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let (rows, rejets) = read("N° candidat;Nom\r0240000001;LABBÉ\r\r0240000002;PETIT\r\n");
        assert_eq!(
            rows,
            [
                "1: N° candidat|Nom",
                "2: 0240000001|LABBÉ",
                "4: 0240000002|PETIT"
            ]
        );
        assert!(rejets.is_empty());
    }

    #[test]
    fn binary_bytes_are_refused_but_a_dos_end_of_file_mark_is_text() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(2048).collect();
        let err = read_csv(Path::new("binaire.csv"), &bytes).expect_err("binary");
        assert!(
            err.to_string()
                .starts_with("binaire.csv: fichier CSV illisible : contenu binaire"),
            "{err}"
        );
        let (rows, _) = read("N° candidat;Nom\n0240000001;LABBÉ\n\x1a");
        assert_eq!(rows.len(), 3);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// A valid CSV of 2 to 12 lines of 2 to 5 alphanumeric fields.
        fn valid_lines() -> impl Strategy<Value = Vec<Vec<String>>> {
            (2usize..=5).prop_flat_map(|width| {
                prop::collection::vec(prop::collection::vec("[A-Za-z0-9]{1,6}", width), 2..=12)
            })
        }

        /// The lines a text editor shows: a line feed or a lone carriage return ends one.
        fn line_count(bytes: &[u8]) -> u32 {
            let ends = (0..bytes.len())
                .filter(|&i| match bytes[i] {
                    b'\n' => true,
                    b'\r' => bytes.get(i + 1) != Some(&b'\n'),
                    _ => false,
                })
                .count();
            u32::try_from(ends + 1).unwrap_or(u32::MAX)
        }

        proptest! {
            #[test]
            fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
                if let Ok((_, sheet)) = read_csv(Path::new("t.csv"), &bytes) {
                    let lines = line_count(&bytes);
                    for (n, _) in &sheet.rows {
                        prop_assert!(*n >= 1 && *n <= lines);
                    }
                    for r in &sheet.rejets {
                        prop_assert!(r.ligne >= 1 && r.ligne <= lines);
                    }
                }
            }

            #[test]
            fn text_bytes_keep_their_line_numbers(
                bytes in prop::collection::vec(
                    prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'"'), Just(b';'), 0x20u8..=0xFF],
                    0..400,
                ),
            ) {
                let lines = line_count(&bytes);
                // Polars may still refuse a text the scan let through (a quote after a space:
                // ` ";"` then `"; "` on the next line), an error and not a panic.
                if let Ok((_, sheet)) = read_csv(Path::new("t.csv"), &bytes) {
                    for (n, _) in &sheet.rows {
                        prop_assert!(*n >= 1 && *n <= lines);
                    }
                    for r in &sheet.rejets {
                        prop_assert!(r.ligne >= 1 && r.ligne <= lines);
                    }
                }
            }

            #[test]
            fn stray_quotes_cost_only_their_own_lines(
                lines in valid_lines(),
                hits in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..4),
                crlf in any::<bool>(),
            ) {
                let mut texts: Vec<String> = lines.iter().map(|l| l.join(";")).collect();
                let mut touched = std::collections::BTreeSet::new();
                for (line, at) in &hits {
                    let k = line.index(texts.len());
                    let text = &mut texts[k];
                    let pos = at.index(text.len() + 1);
                    text.insert(pos, '"');
                    touched.insert(k);
                }
                let end = if crlf { "\r\n" } else { "\n" };
                let csv = texts.join(end) + end;
                let (_, sheet) = read_csv(Path::new("t.csv"), csv.as_bytes()).expect("readable");
                for (k, fields) in lines.iter().enumerate() {
                    if touched.contains(&k) {
                        continue;
                    }
                    let number = u32::try_from(k + 1).unwrap_or(u32::MAX);
                    let row = sheet.rows.iter().find(|(n, _)| *n == number);
                    let cells: Option<Vec<String>> = row.map(|(_, cells)| {
                        cells.iter().map(|c| match c {
                            Cell::Text(t) => t.clone(),
                            _ => String::new(),
                        }).collect()
                    });
                    let width = fields.len();
                    prop_assert_eq!(
                        cells.map(|c| c[..width.min(c.len())].to_vec()),
                        Some(fields.clone()),
                        "line {} of {:?}", number, csv
                    );
                }
                // Each hit line is rejected, or read as a row (a quote that pairs up).
                for r in &sheet.rejets {
                    prop_assert!(touched.contains(&((r.ligne - 1) as usize)), "{:?}", r);
                }
            }
        }
    }
}
