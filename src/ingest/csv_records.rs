//! Cuts CSV bytes into records with a quote-aware scan, before any CSV reader sees them, so that
//! each row keeps the line number a text editor shows and a malformed record costs its own line
//! only.
//!
//! Takes the bytes and the separator, whole ([`scan_records`]) or block by block as a file is
//! read ([`RecordScanner`]: a record cut by the end of a block is scanned again with the next
//! one, so both ways give the same records). The bytes are the file's own, in UTF-8 or
//! Windows-1252: quotes, separators and line ends are single ASCII bytes in both, never part of
//! another character, so no decoding is needed to find them. A line ends with `\n`, `\r\n`, or a
//! lone `\r` (old Mac exports), as a text editor shows it.
//!
//! Gives the well-formed, non-blank records (byte ranges and first lines), the widest field
//! count, and the malformed records with their [`Fault`] and the bytes of their first line. Does
//! not split fields into values: polars does, on the well-formed records.

/// Why a record was left out of the text handed to polars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fault {
    /// A quoted field that never closes, or that runs over a line holding separators (the
    /// opening quote was stray and would swallow the following records).
    UnclosedQuote,
    /// An odd number of quotes inside unquoted fields: a CSV reader would take the rest of the
    /// file as quoted.
    QuoteInField,
    /// A closing quote followed by something else than a separator or the line end.
    TextAfterQuote,
}

/// A record: its first line and its bytes `start..end` (line end excluded; a quoted field may
/// span lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    /// The 1-based line where it starts.
    pub line: u32,
    /// Where its bytes start in the text.
    pub start: usize,
    /// Where its bytes end (its line end excluded).
    pub end: usize,
}

/// The bytes kept of a malformed record's first line: enough for the 200 characters its rejet
/// shows, and one more, in any encoding (at most 4 bytes a character).
pub(super) const MALFORMED_HEAD_BYTES: usize = 4 * 201;

/// A record left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Malformed {
    /// Its first line only: the scan goes on at the next line.
    pub record: Record,
    /// What is wrong with it.
    pub fault: Fault,
    /// The first [`MALFORMED_HEAD_BYTES`] bytes of its first line, undecoded.
    pub head: Vec<u8>,
}

/// A CSV text cut into records by a quote-aware scan.
#[derive(Debug)]
pub(super) struct CsvScan {
    /// The largest field count of a well-formed record.
    pub width: usize,
    /// The first line of the first record of that width.
    pub widest_line: u32,
    /// The fields of the well-formed records, all counted (what the rows hold at least).
    pub fields: u64,
    /// The well-formed, non-blank records, in order.
    pub records: Vec<Record>,
    /// The malformed records: each is cut to its first line, and the scan goes on at the next.
    pub malformed: Vec<Malformed>,
}

impl CsvScan {
    fn new() -> Self {
        Self {
            width: 1,
            widest_line: 1,
            fields: 0,
            records: Vec::new(),
            malformed: Vec::new(),
        }
    }
}

/// Cuts a whole text into records (see [`RecordScanner`] for a file read block by block).
pub(super) fn scan_records(bytes: &[u8], separator: u8) -> CsvScan {
    let mut cut = Cut {
        separator,
        line: 1,
        scan: CsvScan::new(),
    };
    cut.records(bytes, 0, 0, true);
    cut.scan
}

/// Cuts bytes into records as they come, block by block: the same records as [`scan_records`]
/// on the whole text, holding only the bytes of the record a block ends in.
pub(super) struct RecordScanner {
    cut: Cut,
    /// Bytes not yet cut into records (a record a block ended in).
    pending: Vec<u8>,
    /// The offset of `pending[0]` in the text.
    base: usize,
    /// How long `pending` must be before it is scanned again: twice what was too short, so that
    /// a quoted field over a whole file is scanned a few times, not once per block.
    rescan_at: usize,
}

impl RecordScanner {
    /// A scanner of a text whose first byte given will be at `offset` (after a byte order mark).
    pub(super) fn new(separator: u8, offset: usize) -> Self {
        Self {
            cut: Cut {
                separator,
                line: 1,
                scan: CsvScan::new(),
            },
            pending: Vec::new(),
            base: offset,
            rescan_at: 0,
        }
    }

    /// Cuts the records that `block`, the next bytes of the text, completes.
    pub(super) fn push(&mut self, block: &[u8]) {
        self.pending.extend_from_slice(block);
        if self.pending.len() < self.rescan_at {
            return;
        }
        let done = self.cut.records(&self.pending, 0, self.base, false);
        self.pending.drain(..done);
        self.base += done;
        self.rescan_at = 2 * self.pending.len();
    }

    /// Cuts what is left, the end of the text reached, and gives the scan.
    pub(super) fn finish(mut self) -> CsvScan {
        self.cut.records(&self.pending, 0, self.base, true);
        self.cut.scan
    }
}

/// The state of a scan between records.
struct Cut {
    separator: u8,
    /// The line the next record starts on.
    line: u32,
    scan: CsvScan,
}

impl Cut {
    /// Cuts `bytes[from..]` (at `base + from` in the text) into records; gives where the first
    /// record not cut starts: one that needs bytes after `bytes` (unless `eof`: there are none).
    fn records(&mut self, bytes: &[u8], from: usize, base: usize, eof: bool) -> usize {
        let mut pos = from;
        while pos < bytes.len() {
            match scan_record(bytes, pos, self.separator, eof) {
                Step::More => return pos,
                Step::Done(found) => {
                    if !found.blank {
                        if found.fields > self.scan.width {
                            self.scan.width = found.fields;
                            self.scan.widest_line = self.line;
                        }
                        self.scan.fields = self.scan.fields.saturating_add(found.fields as u64);
                        self.scan.records.push(Record {
                            line: self.line,
                            start: base + pos,
                            end: base + found.end,
                        });
                    }
                    pos = found.end + 1;
                    self.line = self.line.saturating_add(found.line_breaks);
                }
                Step::Bad(fault) => {
                    let Some(end) = line_end(bytes, pos, eof) else {
                        return pos;
                    };
                    let head = bytes
                        .get(pos..end.min(pos + MALFORMED_HEAD_BYTES))
                        .unwrap_or_default()
                        .to_vec();
                    let record = Record {
                        line: self.line,
                        start: base + pos,
                        end: base + end,
                    };
                    self.scan.malformed.push(Malformed {
                        record,
                        fault,
                        head,
                    });
                    pos = end + 1;
                    self.line = self.line.saturating_add(1);
                }
            }
        }
        pos.min(bytes.len())
    }
}

/// What the scan of one record found.
enum Step {
    /// A well-formed record.
    Done(RecordEnd),
    /// A malformed one.
    Bad(Fault),
    /// The bytes end before the record does, and more may come.
    More,
}

/// How a well-formed record ends.
struct RecordEnd {
    /// Where its bytes end (its line end or the end of the text).
    end: usize,
    /// The line breaks it holds, its own line end included.
    line_breaks: u32,
    fields: usize,
    blank: bool,
}

/// What is at a position, line ends told apart.
enum At {
    /// A byte that ends no line (the `\r` of a `\r\n` is one: its `\n` ends the line).
    Byte(u8),
    /// A `\n`, or a `\r` that no `\n` follows.
    LineEnd,
    /// The end of the text.
    End,
    /// The end of the bytes given, more to come.
    More,
}

/// What is at `i`.
fn at(bytes: &[u8], i: usize, eof: bool) -> At {
    match bytes.get(i) {
        None if eof => At::End,
        None => At::More,
        Some(b'\n') => At::LineEnd,
        Some(b'\r') => match bytes.get(i + 1) {
            Some(b'\n') => At::Byte(b'\r'),
            None if !eof => At::More,
            _ => At::LineEnd,
        },
        Some(&b) => At::Byte(b),
    }
}

/// The index of the first line end at or after `from`, or the text's length; `None` when the
/// bytes end first and more may come.
fn line_end(bytes: &[u8], from: usize, eof: bool) -> Option<usize> {
    let mut i = from;
    loop {
        match at(bytes, i, eof) {
            At::More => return None,
            At::End | At::LineEnd => return Some(i),
            At::Byte(_) => i += 1,
        }
    }
}

/// Scans one record from `start`, the start of a line outside quotes, as RFC 4180 with the
/// leniency of polars: a field is quoted when it starts with `"` (`""` inside is a quote); quotes
/// inside an unquoted field are text when they pair up on their record.
fn scan_record(bytes: &[u8], start: usize, separator: u8, eof: bool) -> Step {
    let mut i = start;
    let mut fields = 1;
    let mut line_breaks = 0;
    let mut content = false;
    let mut loose_quotes = 0usize;
    // One pass reads one field and what ends it: a separator goes round again.
    loop {
        if bytes.get(i) == Some(&b'"') {
            content = true;
            i = match quoted_field_end(bytes, i + 1, separator, eof, &mut line_breaks) {
                Ok(end) => end,
                Err(step) => return step,
            };
            // After the closing quote: a separator, the line end, or the end of the text.
            match at(bytes, i, eof) {
                At::More => return Step::More,
                At::Byte(b) if b == separator => {
                    fields += 1;
                    i += 1;
                    continue;
                }
                // The `\r` of a `\r\n`: its `\n` ends the record.
                At::Byte(b'\r') => i += 1,
                At::Byte(_) => return Step::Bad(Fault::TextAfterQuote),
                At::LineEnd | At::End => {}
            }
        } else {
            loop {
                match at(bytes, i, eof) {
                    At::More => return Step::More,
                    At::LineEnd | At::End => break,
                    At::Byte(b) if b == separator => break,
                    At::Byte(b'"') => loose_quotes += 1,
                    At::Byte(b'\r') => {}
                    At::Byte(_) => content = true,
                }
                i += 1;
            }
            if bytes.get(i) == Some(&separator) {
                content = true;
                fields += 1;
                i += 1;
                continue;
            }
        }
        if loose_quotes % 2 == 1 {
            return Step::Bad(Fault::QuoteInField);
        }
        let ends_line = matches!(at(bytes, i, eof), At::LineEnd);
        return Step::Done(RecordEnd {
            end: i,
            line_breaks: line_breaks + u32::from(ends_line),
            fields,
            blank: !content && loose_quotes == 0,
        });
    }
}

/// The index just after the closing quote of a quoted field whose text starts at `from`.
fn quoted_field_end(
    bytes: &[u8],
    from: usize,
    separator: u8,
    eof: bool,
    line_breaks: &mut u32,
) -> Result<usize, Step> {
    let mut i = from;
    let mut continuation = false;
    loop {
        match at(bytes, i, eof) {
            At::More => return Err(Step::More),
            At::End => return Err(Step::Bad(Fault::UnclosedQuote)),
            At::Byte(b'"') => match bytes.get(i + 1) {
                Some(b'"') => i += 2,
                None if !eof => return Err(Step::More),
                _ => return Ok(i + 1),
            },
            At::LineEnd => {
                *line_breaks += 1;
                continuation = true;
                i += 1;
            }
            // A line of separated values inside quotes is records swallowed by a stray quote.
            At::Byte(b) if b == separator && continuation => {
                return Err(Step::Bad(Fault::UnclosedQuote))
            }
            At::Byte(_) => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faults(text: &str) -> Vec<(u32, Fault)> {
        scan_records(text.as_bytes(), b';')
            .malformed
            .iter()
            .map(|m| (m.record.line, m.fault))
            .collect()
    }

    #[test]
    fn shape_counts_quoted_newlines_as_one_record() {
        let scan = scan_records(b"a;b\n\"x\ny\";2\n\n3;4\n", b';');
        assert_eq!(scan.width, 2);
        let lines: Vec<u32> = scan.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 5]);
        assert!(scan.malformed.is_empty());
    }

    #[test]
    fn each_kind_of_stray_quote_is_named() {
        assert_eq!(faults("a;b\n\"c;d\ne;f\n"), [(2, Fault::UnclosedQuote)]);
        assert_eq!(faults("a;b\n\"c;d"), [(2, Fault::UnclosedQuote)]);
        assert_eq!(faults("a;b\nc\"d;e\n"), [(2, Fault::QuoteInField)]);
        assert_eq!(
            faults("a;b\n\"c\"d;e\r\nf;g\n"),
            [(2, Fault::TextAfterQuote)]
        );
        assert_eq!(
            faults("a;\"b\"\"c\"\r\nd \"e\";f\n\"g\nh\";i\n"),
            Vec::new()
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_a_line_feed_does() {
        let lone = scan_records(b"a;b\r\"x\ry\";2\r\r3;4\r", b';');
        let lf = scan_records(b"a;b\n\"x\ny\";2\n\n3;4\n", b';');
        assert_eq!(lone.records, lf.records);
        assert_eq!(faults("a;b\r\"c;d\re;f\r"), [(2, Fault::UnclosedQuote)]);
        // The `\r` of a `\r\n` is part of its record; the `\n` ends it.
        let crlf = scan_records(b"a;b\r\nc;d", b';');
        let ranges: Vec<(u32, usize, usize)> = crlf
            .records
            .iter()
            .map(|r| (r.line, r.start, r.end))
            .collect();
        assert_eq!(ranges, [(1, 0, 4), (2, 5, 8)]);
    }

    #[test]
    fn a_malformed_line_keeps_its_bytes_up_to_the_head_length() {
        let text = format!("a;b\nx\"{}\r\nc;d\n", "y".repeat(1_000));
        let scan = scan_records(text.as_bytes(), b';');
        assert_eq!(scan.malformed.len(), 1);
        assert_eq!(scan.malformed[0].head.len(), MALFORMED_HEAD_BYTES);
        assert_eq!(scan.malformed[0].record.end, 4 + 2 + 1_000 + 1);
        assert_eq!(scan.records.last().map(|r| r.line), Some(3));
    }

    /// Scans `bytes` pushed in blocks of `size` bytes (after an `offset` of skipped bytes).
    fn scan_in_blocks(bytes: &[u8], size: usize, offset: usize) -> CsvScan {
        let mut scanner = RecordScanner::new(b';', offset);
        for block in bytes[offset..].chunks(size) {
            scanner.push(block);
        }
        scanner.finish()
    }

    /// A scan as comparable data.
    fn summary(scan: &CsvScan) -> (usize, u32, u64, Vec<Record>, Vec<Malformed>) {
        (
            scan.width,
            scan.widest_line,
            scan.fields,
            scan.records.clone(),
            scan.malformed.clone(),
        )
    }

    #[test]
    fn a_quoted_field_over_many_blocks_is_scanned_a_few_times_only() {
        // One quote opens a field that never closes, over 4 MB of lines without separators.
        let mut text = String::from("a;b\n\"x\n");
        text.push_str(&"ligne sans séparateur\n".repeat(200_000));
        let whole = scan_records(text.as_bytes(), b';');
        assert_eq!(
            summary(&scan_in_blocks(text.as_bytes(), 1_024, 0)),
            summary(&whole)
        );
        assert_eq!(whole.malformed.len(), 1);
        assert_eq!(whole.records.len(), 200_001);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn blocks_of_any_size_cut_the_same_records_as_the_whole_text(
                bytes in prop::collection::vec(
                    prop_oneof![
                        Just(b'\n'), Just(b'\r'), Just(b'"'), Just(b';'), Just(b'a'), 0x20u8..=0xFF
                    ],
                    0..300,
                ),
                size in 1usize..40,
            ) {
                let whole = scan_records(&bytes, b';');
                let mut with_offset = vec![0xEF, 0xBB, 0xBF];
                with_offset.extend_from_slice(&bytes);
                let mut shifted = scan_records(&bytes, b';');
                for r in &mut shifted.records {
                    r.start += 3;
                    r.end += 3;
                }
                for m in &mut shifted.malformed {
                    m.record.start += 3;
                    m.record.end += 3;
                }
                prop_assert_eq!(summary(&scan_in_blocks(&bytes, size, 0)), summary(&whole));
                prop_assert_eq!(summary(&scan_in_blocks(&with_offset, size, 3)), summary(&shifted));
            }
        }
    }
}
