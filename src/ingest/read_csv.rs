//! Reads a CSV file into one raw sheet: detects the encoding (UTF-8 with or without BOM, UTF-16
//! with BOM, else Windows-1252) and the separator, then lets the polars CSV reader split the
//! fields (all as text). A quote-aware scan only measures the shape (widest row, record starts)
//! so that rows keep the line numbers a text editor shows.

use std::io::Cursor;
use std::path::Path;

use super::read::{Cell, RawSheet};
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

/// Reads CSV bytes into a sheet; returns a description of the detected format and the sheet.
///
/// # Errors
/// [`Error::Unreadable`] when polars cannot split the text.
pub(crate) fn read_csv(path: &Path, bytes: &[u8]) -> Result<(String, RawSheet)> {
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
