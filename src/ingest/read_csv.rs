//! Reads a CSV file into one raw sheet: detects the encoding (UTF-8 with or without BOM, UTF-16
//! with BOM, else Windows-1252) and the separator, then lets the polars CSV reader split the
//! fields (all as text). A lone carriage return ends a line (old Mac exports); bytes that are no
//! text (control characters) make an [`Error::Unreadable`] « contenu binaire ».
//!
//! The file is read twice, never held whole: a first pass reads it block by block and cuts it
//! into records with a quote-aware scan (`csv_records`), so that rows keep the line numbers a
//! text editor shows and the malformed records are set aside (a stray quote that would swallow
//! the rest of the file, an odd quote inside a field); then the well-formed records are read
//! back a chunk at a time, decoded and handed to polars while the previous chunk is normalised
//! (see `csv_text`, `csv_chunks`). Each malformed record becomes a [`RawRejet`] of its first line, and the
//! other rows load. A polars failure is an [`Error::Unreadable`] « fichier CSV illisible » with
//! polars' own text as its cause.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;
use std::sync::Arc;

use super::csv_chunks::{read_records, too_ragged, LaterRows, CHUNK_RECORDS};
use super::csv_records::{scan_records, CsvScan, Fault, Malformed, RecordScanner};
use super::csv_text::{
    binary_content, decode_lossy, decode_whole, has_sniff_lines, is_utf16, sniff_separator,
    CsvText, Encoding, Utf8Check, BINARY_SAMPLE_BYTES, UTF8_BOM,
};
use super::read::{RawRejet, RawSheet};
use super::rejet::Motif;
use crate::error::{Error, Result};

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
fn raw_rejet(text: &CsvText, malformed: &Malformed) -> RawRejet {
    let decoded = text.decode_line(&malformed.head);
    let line = decoded.trim_end_matches('\r');
    let mut valeur: String = line.chars().take(MAX_REJET_CHARS).collect();
    if line.chars().nth(MAX_REJET_CHARS).is_some() {
        valeur.push('…');
    }
    RawRejet {
        ligne: malformed.record.line,
        valeur,
        motif: motif(malformed.fault),
    }
}

/// Bytes read at a time by the first pass over a CSV file.
const BLOCK_BYTES: usize = 1 << 20;

/// Reads a CSV file into a sheet; returns a description of the detected format and the sheet.
/// A malformed record (a stray quote) is left out of the rows and listed in the sheet's rejets.
/// Past [`CHUNK_RECORDS`] records, the rest is left in [`RawSheet::later`], to be read back from
/// the file when normalised.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Unreadable`] for binary bytes, lines too
/// uneven to hold in memory, or when polars cannot split the well-formed records of the first
/// chunk.
pub(crate) fn read_csv(path: &Path) -> Result<(String, RawSheet)> {
    read_csv_in_blocks(path, BLOCK_BYTES)
}

/// [`read_csv`] with the first pass reading `block` bytes at a time.
fn read_csv_in_blocks(path: &Path, block: usize) -> Result<(String, RawSheet)> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(io)?;
    // The head: enough first lines to choose the separator.
    let mut head = Vec::new();
    let mut eof = false;
    while !eof && !has_sniff_lines(head.strip_prefix(&UTF8_BOM).unwrap_or(&head)) {
        eof = read_block(&mut file, &mut head, block).map_err(io)? == 0;
    }
    if is_utf16(&head) || head.contains(&0) {
        file.read_to_end(&mut head).map_err(io)?;
        return read_csv_bytes(path, &head);
    }
    let offset = if head.starts_with(&UTF8_BOM) { 3 } else { 0 };
    let body = head.get(offset..).unwrap_or_default();
    let separator = sniff_separator(body);
    let mut scanner = RecordScanner::new(separator, offset);
    let mut utf8 = Utf8Check::new();
    let mut sample = Vec::new();
    let mut next = body.to_vec();
    drop(head);
    loop {
        if next.contains(&0) {
            // A NUL byte after the head: the old way, the whole text decoded and its NULs dropped.
            let mut bytes = Vec::new();
            file.rewind().map_err(io)?;
            file.read_to_end(&mut bytes).map_err(io)?;
            return read_csv_bytes(path, &bytes);
        }
        let room = BINARY_SAMPLE_BYTES.saturating_sub(sample.len());
        sample.extend_from_slice(next.get(..room.min(next.len())).unwrap_or_default());
        utf8.push(&next);
        scanner.push(&next);
        next.clear();
        if eof || read_block(&mut file, &mut next, block).map_err(io)? == 0 {
            break;
        }
    }
    let scan = scanner.finish();
    let (encoding, name) = match (utf8.is_valid(), offset > 0) {
        (true, false) => (Encoding::Utf8, "utf-8"),
        (true, true) => (Encoding::Utf8, "utf-8 (BOM)"),
        (false, true) => (Encoding::Utf8Lossy, "utf-8 (BOM)"),
        (false, false) => (Encoding::Windows1252, "windows-1252"),
    };
    if let Some(reason) = binary_content(&decode_lossy(&sample, encoding)) {
        return Err(binary(path, reason));
    }
    let text = CsvText::on_disk(path, &file, encoding).map_err(io)?;
    into_sheet(path, Arc::new(text), separator, scan, name)
}

/// Appends up to `block` bytes of `file` to `buffer`; gives how many (0 at the end of the file).
fn read_block(file: &mut File, buffer: &mut Vec<u8>, block: usize) -> std::io::Result<usize> {
    let n = file.by_ref().take(block as u64).read_to_end(buffer)?;
    Ok(n)
}

/// Reads the bytes of a whole CSV file, decoded at once (a UTF-16 file, one with NUL bytes, a
/// test's text), as [`read_csv`] does.
///
/// # Errors
/// As [`read_csv`], without [`Error::Io`].
pub(crate) fn read_csv_bytes(path: &Path, bytes: &[u8]) -> Result<(String, RawSheet)> {
    let (decoded, name) = decode_whole(bytes);
    if let Some(reason) = binary_content(&decoded) {
        return Err(binary(path, reason));
    }
    let text = CsvText::in_memory(decoded);
    let body = text.memory().unwrap_or_default();
    let separator = sniff_separator(body);
    let scan = scan_records(body, separator);
    into_sheet(path, Arc::new(text), separator, scan, name)
}

/// The error of a `.csv` of binary bytes.
fn binary(path: &Path, reason: String) -> Error {
    Error::Unreadable {
        path: path.to_path_buf(),
        sheet: None,
        reason,
        source: None,
    }
}

/// The sheet of a scanned text: its rejets, its first chunk of rows split, the rest left for
/// later; and the description of its format.
fn into_sheet(
    path: &Path,
    text: Arc<CsvText>,
    separator: u8,
    mut scan: CsvScan,
    encoding: &str,
) -> Result<(String, RawSheet)> {
    let format = format!(
        "csv ({encoding}, séparateur « {} »)",
        if separator == b'\t' {
            "tab".to_string()
        } else {
            char::from(separator).to_string()
        }
    );
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
        .map(|malformed| raw_rejet(&text, malformed))
        .collect();
    let rest = scan
        .records
        .split_off(CHUNK_RECORDS.min(scan.records.len()));
    let rows = if scan.records.is_empty() {
        Vec::new()
    } else {
        read_records(path, &text, separator, scan.width, &scan.records)?
    };
    let later = (!rest.is_empty()).then(|| LaterRows::new(path, text, separator, scan.width, rest));
    let sheet = RawSheet {
        name: None,
        rows,
        rejets,
        later,
    };
    Ok((format, sheet))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read::{Cell, Row};
    use std::path::PathBuf;

    #[test]
    fn one_very_wide_line_above_many_short_ones_is_refused_not_allocated() {
        // 64 KB: a header of 6,001 fields above 6,000 rows of 3, which took 1.8 GB to read.
        let mut text = format!("N° candidat;Nom;E1{}\n", ";".repeat(5_998));
        for i in 0..6_000 {
            text.push_str(&format!("{i};A;10\n"));
        }
        let e = read_csv_bytes(Path::new("t.csv"), text.as_bytes()).unwrap_err();
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
        let (_, sheet) = read_csv_bytes(Path::new("t.csv"), wide.as_bytes()).expect("readable");
        assert_eq!(sheet.rows.len(), 3_001);
    }

    /// Reads a CSV text; gives each row as `line: cell|cell` and each rejet as `line: code`.
    fn read(text: &str) -> (Vec<String>, Vec<String>) {
        let (_, rows, rejets) =
            outcome(read_csv_bytes(Path::new("t.csv"), text.as_bytes())).expect("readable");
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
        read_csv_bytes(Path::new("t.csv"), text.as_bytes())
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
        let (_, sheet) = read_csv_bytes(Path::new("t.csv"), text.as_bytes()).expect("readable");
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
        let (_, sheet) = read_csv_bytes(Path::new("t.csv"), long.as_bytes()).expect("readable");
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
        let err = read_csv_bytes(Path::new("binaire.csv"), &bytes).expect_err("binary");
        assert!(
            err.to_string()
                .starts_with("binaire.csv: fichier CSV illisible : contenu binaire"),
            "{err}"
        );
        let (rows, _) = read("N° candidat;Nom\n0240000001;LABBÉ\n\x1a");
        assert_eq!(rows.len(), 3);
    }

    /// A row as `line: cell|cell`.
    fn show(row: &Row) -> String {
        let (n, cells) = row;
        let cells: Vec<String> = cells
            .iter()
            .map(|c| match c {
                Cell::Text(t) => t.clone(),
                _ => String::new(),
            })
            .collect();
        format!("{n}: {}", cells.join("|"))
    }

    /// Every row of a sheet, the later chunks' included, as `line: cell|cell`.
    fn all_rows(sheet: &RawSheet) -> Vec<String> {
        let mut rows: Vec<String> = sheet.rows.iter().map(show).collect();
        if let Some(later) = &sheet.later {
            later
                .for_each_chunk(&mut |chunk| {
                    rows.extend(chunk.iter().map(show));
                    Ok(())
                })
                .expect("split");
        }
        rows
    }

    /// What reading gives, comparable: the format, the rows, the rejets; or the error's text.
    fn outcome(
        read: Result<(String, RawSheet)>,
    ) -> std::result::Result<(String, Vec<String>, Vec<String>), String> {
        let (format, sheet) = read.map_err(|e| e.to_string())?;
        let rejets = sheet
            .rejets
            .iter()
            .map(|r| format!("{}: {} {}", r.ligne, r.motif.code(), r.valeur))
            .collect();
        Ok((format, all_rows(&sheet), rejets))
    }

    /// Writes `bytes` to a file `t.csv` of a new temporary folder.
    fn written(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("t.csv");
        std::fs::write(&path, bytes).expect("written");
        (dir, path)
    }

    #[test]
    fn a_big_windows_1252_file_read_from_disk_gives_what_its_bytes_give() {
        // Three chunks, CRLF, accents, a quoted line break, a stray quote and a lone CR.
        let mut text = String::from("N° candidat;Nom;Prénom;Observation\r\n");
        for i in 0..(2 * CHUNK_RECORDS + 10) {
            match i % 10_000 {
                7 => text.push_str(&format!("{i};\"LABBÉ;Zoé;œuvre\r\n")),
                8 => text.push_str(&format!("{i};DURAND;Noël;\"ligne 1\r\nligne 2\"\r\n")),
                9 => text.push_str(&format!("{i};PETIT;Anaïs;fin\r")),
                _ => text.push_str(&format!("{i};NOM{i};Élise;€ {i}\r\n")),
            }
        }
        let bytes = encoding_rs::WINDOWS_1252.encode(&text).0.into_owned();
        let (_dir, path) = written(&bytes);
        let from_disk = outcome(read_csv_in_blocks(&path, 4_096)).expect("readable");
        let whole = outcome(read_csv_bytes(&path, &bytes)).expect("readable");
        assert_eq!(from_disk.0, "csv (windows-1252, séparateur « ; »)");
        assert_eq!(from_disk, whole);
        assert!(from_disk
            .1
            .contains(&"10: 8|DURAND|Noël|ligne 1\r\nligne 2".to_string()));
        assert!(from_disk.1.contains(&"12: 9|PETIT|Anaïs|fin".to_string()));
        assert_eq!(from_disk.2[0], "9: ligne_illisible 7;\"LABBÉ;Zoé;œuvre");
        assert_eq!(from_disk.1.len(), 1 + 2 * CHUNK_RECORDS + 10 - 14);
    }

    #[test]
    fn a_file_changed_while_it_is_read_is_an_error_not_wrong_rows() {
        let text = format!(
            "N° candidat;Nom\n{}",
            "0240000001;LABBÉ\n".repeat(CHUNK_RECORDS + 5)
        );
        let (_dir, path) = written(text.as_bytes());
        let (_, sheet) = read_csv(&path).expect("readable");
        std::fs::write(&path, text.replace("LABBÉ", "MARTIN")).expect("rewritten");
        let later = sheet.later.as_ref().expect("a second chunk");
        let e = later.for_each_chunk(&mut |_| Ok(())).unwrap_err();
        assert!(matches!(e, Error::Unreadable { .. }), "{e:?}");
        let causes = format!("{:?}", std::error::Error::source(&e));
        assert!(
            causes.contains("le fichier a changé pendant sa lecture"),
            "{causes}"
        );
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
                if let Ok((_, sheet)) = read_csv_bytes(Path::new("t.csv"), &bytes) {
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
                if let Ok((_, sheet)) = read_csv_bytes(Path::new("t.csv"), &bytes) {
                    for (n, _) in &sheet.rows {
                        prop_assert!(*n >= 1 && *n <= lines);
                    }
                    for r in &sheet.rejets {
                        prop_assert!(r.ligne >= 1 && r.ligne <= lines);
                    }
                }
            }

            #[test]
            fn a_file_read_block_by_block_gives_what_its_bytes_give(
                bytes in prop::collection::vec(
                    prop_oneof![
                        Just(b'\n'), Just(b'\r'), Just(b'"'), Just(b';'), Just(b'a'), Just(0u8),
                        Just(0xC3), Just(0xA9), 0x20u8..=0xFF
                    ],
                    0..300,
                ),
                bom in prop_oneof![Just(&b""[..]), Just(&UTF8_BOM[..]), Just(&b"\xFF\xFE"[..])],
                block in 1usize..50,
            ) {
                let mut file = bom.to_vec();
                file.extend_from_slice(&bytes);
                let (_dir, path) = written(&file);
                prop_assert_eq!(
                    outcome(read_csv_in_blocks(&path, block)),
                    outcome(read_csv_bytes(&path, &file))
                );
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
                let (_, sheet) = read_csv_bytes(Path::new("t.csv"), csv.as_bytes()).expect("readable");
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
