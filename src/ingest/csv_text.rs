//! The text of a CSV file: how its bytes are encoded, where they are, and how the bytes of one
//! record become the UTF-8 text polars reads.
//!
//! A file in UTF-8 or Windows-1252 stays on disk: its records are read back and decoded a chunk
//! at a time ([`CsvText::chunk_bytes`], [`CsvText::push_record`]), so that a national export is
//! never held whole, as bytes or as text. A UTF-16 file, or one holding NUL bytes, is decoded
//! whole once to UTF-8 in memory (such files are small; the NULs are dropped, as a text editor
//! hides them). Also: the separator sniffed from the first lines, and the test that tells
//! binary bytes from text. Does not cut records (see `csv_records`) nor split fields.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::read::FileStamp;

/// How a file's bytes are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// Valid UTF-8.
    Utf8,
    /// UTF-8 announced by a byte order mark, with invalid bytes (each shown as `�`).
    Utf8Lossy,
    /// Windows-1252, the encoding of French Excel and of the national application (a superset
    /// of ISO-8859-1 for text): what a file that is not UTF-8 is taken to be.
    Windows1252,
}

/// Where the bytes of the records are.
#[derive(Debug)]
enum Origin {
    /// In the file, read back a chunk at a time.
    File { path: PathBuf, stamp: FileStamp },
    /// In memory, as UTF-8 (a file decoded whole).
    Memory(Vec<u8>),
}

/// The text of a CSV file: its bytes (on disk or in memory) and their encoding.
#[derive(Debug)]
pub(super) struct CsvText {
    origin: Origin,
    encoding: Encoding,
}

/// A file opened to read chunks back from (one per reading thread).
#[derive(Default)]
pub(super) struct ChunkReader {
    file: Option<File>,
    buffer: Vec<u8>,
}

impl CsvText {
    /// The text of `file` at `path`, left on disk: its records are read back when split.
    ///
    /// # Errors
    /// The file's metadata cannot be read.
    pub(super) fn on_disk(path: &Path, file: &File, encoding: Encoding) -> std::io::Result<Self> {
        Ok(Self {
            origin: Origin::File {
                path: path.to_path_buf(),
                stamp: FileStamp::of(file)?,
            },
            encoding,
        })
    }

    /// A text decoded whole, as UTF-8.
    pub(super) fn in_memory(text: String) -> Self {
        Self {
            origin: Origin::Memory(text.into_bytes()),
            encoding: Encoding::Utf8,
        }
    }

    /// The bytes of the text in memory, if it is there (to scan them whole).
    pub(super) fn memory(&self) -> Option<&[u8]> {
        match &self.origin {
            Origin::Memory(bytes) => Some(bytes),
            Origin::File { .. } => None,
        }
    }

    /// The bytes `start..end` of the text: read from the file into `reader`'s buffer, or lent
    /// from memory.
    ///
    /// # Errors
    /// The file cannot be read, or it changed since it was scanned (its size or its time of
    /// change differ): its records would not be where the scan found them.
    pub(super) fn chunk_bytes<'a>(
        &'a self,
        start: usize,
        end: usize,
        reader: &'a mut ChunkReader,
    ) -> std::io::Result<&'a [u8]> {
        let (path, stamp) = match &self.origin {
            Origin::Memory(bytes) => {
                return bytes
                    .get(start..end)
                    .ok_or_else(|| std::io::Error::other("plage hors du texte"));
            }
            Origin::File { path, stamp } => (path, stamp),
        };
        let file = match &mut reader.file {
            Some(file) => file,
            empty => empty.insert(File::open(path)?),
        };
        if FileStamp::of(file)? != *stamp {
            return Err(std::io::Error::other(
                "le fichier a changé pendant sa lecture ; chargez-le de nouveau",
            ));
        }
        file.seek(SeekFrom::Start(start as u64))?;
        reader.buffer.resize(end.saturating_sub(start), 0);
        file.read_exact(&mut reader.buffer)?;
        Ok(&reader.buffer)
    }

    /// Appends the text of one record's bytes to `out`, as UTF-8; a carriage return that no line
    /// feed follows (a line break inside a quoted field of an old Mac export) becomes a line
    /// feed, as a text editor shows it.
    pub(super) fn push_record(&self, bytes: &[u8], out: &mut Vec<u8>) {
        let from = out.len();
        match self.encoding {
            Encoding::Utf8 => out.extend_from_slice(bytes),
            Encoding::Utf8Lossy => out.extend_from_slice(String::from_utf8_lossy(bytes).as_bytes()),
            Encoding::Windows1252 => {
                let mut decoder = encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling();
                let room = decoder
                    .max_utf8_buffer_length(bytes.len())
                    .unwrap_or(bytes.len().saturating_mul(3));
                out.resize(from + room, 0);
                let (_, _, written, _) =
                    decoder.decode_to_utf8(bytes, out.get_mut(from..).unwrap_or_default(), true);
                out.truncate(from + written);
            }
        }
        lone_cr_to_lf(out.get_mut(from..).unwrap_or_default());
    }

    /// The text of a line's bytes (a malformed record's first line), invalid bytes as `�`.
    pub(super) fn decode_line(&self, bytes: &[u8]) -> String {
        decode_lossy(bytes, self.encoding)
    }
}

/// The text of bytes in `encoding`, invalid bytes as `�` (a sample, a rejected line).
pub(super) fn decode_lossy(bytes: &[u8], encoding: Encoding) -> String {
    match encoding {
        Encoding::Utf8 | Encoding::Utf8Lossy => String::from_utf8_lossy(bytes).into_owned(),
        Encoding::Windows1252 => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// A carriage return followed by something else than a line feed becomes a line feed; the last
/// byte is left (a record's last `\r` is the one of its `\r\n`).
fn lone_cr_to_lf(bytes: &mut [u8]) {
    let Some(last) = bytes.len().checked_sub(1) else {
        return;
    };
    let mut i = 0;
    while let Some(offset) = bytes
        .get(i..last)
        .and_then(|b| b.iter().position(|c| *c == b'\r'))
    {
        i += offset;
        if bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
        i += 1;
    }
}

/// A file's bytes decoded whole: UTF-8 (BOM stripped, invalid bytes as `�`), UTF-16 with a BOM,
/// else Windows-1252; NUL bytes dropped (no French export's text holds one, and polars would
/// stop at it). Gives the text and the name of its encoding.
pub(super) fn decode_whole(bytes: &[u8]) -> (String, &'static str) {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(&UTF8_BOM) {
        let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
        (text.into_owned(), "utf-8 (BOM)")
    } else if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_with_bom_removal(bytes);
        let name = if enc == encoding_rs::UTF_16LE {
            "utf-16le"
        } else {
            "utf-16be"
        };
        (text.into_owned(), name)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), "utf-8"),
            Err(_) => (decode_lossy(bytes, Encoding::Windows1252), "windows-1252"),
        }
    };
    if text.contains('\0') {
        return (text.replace('\0', ""), encoding);
    }
    (text, encoding)
}

/// The byte order mark of UTF-8.
pub(super) const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// True when `bytes` start with a UTF-16 byte order mark: such a file is decoded whole.
pub(super) fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// Checks that bytes coming block by block are UTF-8, a character cut by a block's end included.
#[derive(Debug)]
pub(super) struct Utf8Check {
    valid: bool,
    /// The start of a character the last block ended in.
    carry: Vec<u8>,
}

impl Utf8Check {
    /// A check of no bytes yet.
    pub(super) fn new() -> Self {
        Self {
            valid: true,
            carry: Vec::new(),
        }
    }

    /// Checks the next bytes.
    pub(super) fn push(&mut self, mut block: &[u8]) {
        if !self.valid {
            return;
        }
        while !self.carry.is_empty() {
            let Some((&b, rest)) = block.split_first() else {
                return;
            };
            self.carry.push(b);
            block = rest;
            match std::str::from_utf8(&self.carry) {
                Ok(_) => self.carry.clear(),
                Err(e) if e.error_len().is_some() => {
                    self.valid = false;
                    return;
                }
                Err(_) => {}
            }
        }
        match std::str::from_utf8(block) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => {
                self.carry = block.get(e.valid_up_to()..).unwrap_or_default().to_vec();
            }
            Err(_) => self.valid = false,
        }
    }

    /// True when every byte given was UTF-8, the last character complete.
    pub(super) fn is_valid(&self) -> bool {
        self.valid && self.carry.is_empty()
    }
}

const SEPARATORS: [u8; 4] = [b';', b'\t', b',', b'|'];

/// The non-blank lines looked at to choose the separator.
pub(super) const SNIFF_LINES: usize = 50;

/// The lines of bytes: a `\n`, a `\r\n` or a lone `\r` ends one (the last may have no end).
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .iter()
            .position(|b| matches!(b, b'\n' | b'\r'))
            .unwrap_or(rest.len());
        let line = &rest[..end];
        let skip = match rest.get(end..end + 2) {
            Some(b"\r\n") => 2,
            _ => 1,
        };
        rest = rest.get(end + skip..).unwrap_or_default();
        Some(line)
    })
}

/// True when the lines of `head` that end hold [`SNIFF_LINES`] non-blank ones: enough to
/// choose the separator.
pub(super) fn has_sniff_lines(head: &[u8]) -> bool {
    let ended = head
        .iter()
        .rposition(|b| matches!(b, b'\n' | b'\r'))
        .map_or(&head[..0], |end| &head[..end]);
    lines(ended)
        .filter(|l| !l.trim_ascii().is_empty())
        .nth(SNIFF_LINES - 1)
        .is_some()
}

/// Chooses the separator whose count is the same on the most lines of the first
/// [`SNIFF_LINES`] (a French file's decimal commas vary from line to line, its `;` do not);
/// ties go to `;`.
pub(super) fn sniff_separator(head: &[u8]) -> u8 {
    let sample: Vec<&[u8]> = lines(head)
        .filter(|l| !l.trim_ascii().is_empty())
        .take(SNIFF_LINES)
        .collect();
    let mut best = (b';', 0usize);
    for sep in SEPARATORS {
        let mut freq = std::collections::BTreeMap::new();
        for line in &sample {
            let count = line.iter().filter(|b| **b == sep).count();
            if count > 0 {
                *freq.entry(count).or_insert(0usize) += 1;
            }
        }
        let score = freq.values().copied().max().unwrap_or(0);
        if score > best.1 {
            best = (sep, score);
        }
    }
    best.0
}

/// Characters looked at to tell binary bytes from text.
const BINARY_SAMPLE_CHARS: usize = 65_536;

/// The bytes kept to tell binary bytes from text: [`BINARY_SAMPLE_CHARS`] characters of at
/// most 4 bytes.
pub(super) const BINARY_SAMPLE_BYTES: usize = 4 * BINARY_SAMPLE_CHARS;

/// Why a decoded `.csv` is taken for binary bytes, when it is: more than 1 % of its first
/// characters (and at least 8) are control characters other than tabs and line ends, which text
/// exports never hold (an old DOS end-of-file mark is one). Without this, a workbook renamed
/// `.csv` would be reported as a CSV without a known header, with advice on headers.
pub(super) fn binary_content(text: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_bytes_decode_to_french_text() {
        let (text, encoding) = decode_whole(b"Pr\xe9nom;\x9cuvre;\x80\n");
        assert_eq!(encoding, "windows-1252");
        assert_eq!(text, "Prénom;œuvre;€\n");
        let text = CsvText {
            origin: Origin::Memory(Vec::new()),
            encoding: Encoding::Windows1252,
        };
        let mut out = Vec::new();
        text.push_record(b"Pr\xe9nom;\x9cuvre;\x80", &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "Prénom;œuvre;€");
    }

    #[test]
    fn utf8_bom_is_stripped_and_nul_bytes_dropped() {
        assert_eq!(
            decode_whole("\u{feff}Nom;Note\n".as_bytes()),
            ("Nom;Note\n".to_string(), "utf-8 (BOM)")
        );
        assert_eq!(
            decode_whole(b"N\0om;Note\n"),
            ("Nom;Note\n".to_string(), "utf-8")
        );
    }

    #[test]
    fn a_record_s_lone_carriage_returns_become_line_feeds_but_not_its_last_byte() {
        let text = CsvText::in_memory(String::new());
        let mut out = Vec::new();
        text.push_record(b"\"a\rb\r\rc\";d\r", &mut out);
        assert_eq!(out, b"\"a\nb\n\nc\";d\r");
    }

    #[test]
    fn semicolon_wins_over_decimal_commas() {
        let text = b"Nom;Note;Coef\nA;12,5;3\nB;8,25;3\nC;10;3\n";
        assert_eq!(sniff_separator(text), b';');
        assert_eq!(sniff_separator(b"a,b,c\r1,2,3\r"), b',');
    }

    #[test]
    fn fifty_non_blank_ended_lines_are_enough_to_sniff() {
        let mut head = "a;b\n\n".repeat(49);
        assert!(!has_sniff_lines(head.as_bytes()));
        head.push_str("a;b");
        assert!(
            !has_sniff_lines(head.as_bytes()),
            "the last line has no end"
        );
        head.push('\r');
        assert!(has_sniff_lines(head.as_bytes()));
    }

    #[test]
    fn utf8_cut_between_blocks_is_still_utf8_and_one_bad_byte_is_not() {
        let bytes = "Élève àéç €".as_bytes();
        for cut in 0..bytes.len() {
            let mut check = Utf8Check::new();
            check.push(&bytes[..cut]);
            check.push(&bytes[cut..]);
            assert!(check.is_valid(), "cut at {cut}");
        }
        let mut check = Utf8Check::new();
        check.push(b"Pr\xc3");
        assert!(!check.is_valid(), "a character left unfinished");
        check.push(b"\xa9nom \xe9l\xe8ve");
        assert!(!check.is_valid());
    }
}
