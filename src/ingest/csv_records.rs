//! Cuts a CSV text into records with a quote-aware scan, before any CSV reader sees it, so that
//! each row keeps the line number a text editor shows and a malformed record costs its own line
//! only.
//!
//! Takes the decoded text and its separator; gives the well-formed, non-blank records (byte
//! ranges and first lines), the widest field count, and the malformed records with their
//! [`Fault`]. Does not split fields into values: polars does, on the well-formed records.

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

/// A CSV text cut into records by a quote-aware scan.
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
    pub malformed: Vec<(Record, Fault)>,
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

/// Cuts a text into records as RFC 4180 with the leniency of polars: a field is quoted when it
/// starts with `"` (`""` inside is a quote); quotes inside an unquoted field are text when they
/// pair up on their record. A malformed record is set aside with its first line only, so one
/// stray quote costs one line, never the rest of the file.
pub(super) fn scan_records(text: &str, separator: u8) -> CsvScan {
    let bytes = text.as_bytes();
    let mut scan = CsvScan {
        width: 1,
        widest_line: 1,
        fields: 0,
        records: Vec::new(),
        malformed: Vec::new(),
    };
    let mut pos = 0;
    let mut line: u32 = 1;
    while pos < bytes.len() {
        match scan_record(bytes, pos, separator) {
            Ok(found) => {
                if !found.blank {
                    if found.fields > scan.width {
                        scan.width = found.fields;
                        scan.widest_line = line;
                    }
                    scan.fields = scan.fields.saturating_add(found.fields as u64);
                    scan.records.push(Record {
                        line,
                        start: pos,
                        end: found.end,
                    });
                }
                pos = found.end + 1;
                line = line.saturating_add(found.line_breaks);
            }
            Err(fault) => {
                let end = line_end(bytes, pos);
                let record = Record {
                    line,
                    start: pos,
                    end,
                };
                scan.malformed.push((record, fault));
                pos = end + 1;
                line = line.saturating_add(1);
            }
        }
    }
    scan
}

/// The index of the first `\n` at or after `from`, or the text's length.
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
        .map_or(bytes.len(), |i| from + i)
}

/// Scans one record from `start`, the start of a line outside quotes.
fn scan_record(bytes: &[u8], start: usize, separator: u8) -> Result<RecordEnd, Fault> {
    let mut i = start;
    let mut fields = 1;
    let mut line_breaks = 0;
    let mut content = false;
    let mut loose_quotes = 0usize;
    // One pass reads one field and what ends it: a separator goes round again.
    loop {
        if bytes.get(i) == Some(&b'"') {
            content = true;
            i = quoted_field_end(bytes, i + 1, separator, &mut line_breaks)?;
            // After the closing quote: a separator, the line end, or the end of the text.
            if bytes.get(i) == Some(&b'\r') && matches!(bytes.get(i + 1), None | Some(b'\n')) {
                i += 1;
            }
            match bytes.get(i) {
                Some(b) if *b == separator => {
                    fields += 1;
                    i += 1;
                    continue;
                }
                Some(b'\n') | None => {}
                Some(_) => return Err(Fault::TextAfterQuote),
            }
        } else {
            while let Some(b) = bytes.get(i) {
                match *b {
                    b'\n' => break,
                    b if b == separator => break,
                    b'"' => loose_quotes += 1,
                    b'\r' => {}
                    _ => content = true,
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
            return Err(Fault::QuoteInField);
        }
        let ends_line = bytes.get(i) == Some(&b'\n');
        return Ok(RecordEnd {
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
    line_breaks: &mut u32,
) -> Result<usize, Fault> {
    let mut i = from;
    let mut continuation = false;
    loop {
        match bytes.get(i) {
            None => return Err(Fault::UnclosedQuote),
            Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
            Some(b'"') => return Ok(i + 1),
            Some(b'\n') => {
                *line_breaks += 1;
                continuation = true;
                i += 1;
            }
            // A line of separated values inside quotes is records swallowed by a stray quote.
            Some(b) if *b == separator && continuation => return Err(Fault::UnclosedQuote),
            Some(_) => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_counts_quoted_newlines_as_one_record() {
        let scan = scan_records("a;b\n\"x\ny\";2\n\n3;4\n", b';');
        assert_eq!(scan.width, 2);
        let lines: Vec<u32> = scan.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 5]);
        assert!(scan.malformed.is_empty());
    }

    #[test]
    fn each_kind_of_stray_quote_is_named() {
        let faults = |text: &str| -> Vec<(u32, Fault)> {
            scan_records(text, b';')
                .malformed
                .iter()
                .map(|(r, f)| (r.line, *f))
                .collect()
        };
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
}
