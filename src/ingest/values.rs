//! Parsers for single cell values: grades and status codes, UAI codes, dates, and text clean-up.
//!
//! Takes one [`Cell`] (or its text) and gives a typed value or a [`Motif`] saying why it is
//! rejected. Knows nothing of files, rows or tables: the caller adds the location.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

use super::profile::Profile;
use super::read::Cell;
use super::rejet::Motif;

/// A grade in hundredths of a point (1250 = 12.50), so that no float ever holds a grade.
pub type Centiemes = i32;

/// The highest grade, in hundredths.
pub const NOTE_MAX: Centiemes = 2000;

/// What a grade cell holds once read: a grade, a status code replacing it, or both (BEN).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GradeValue {
    /// The grade in hundredths, if any.
    pub note: Option<Centiemes>,
    /// The normalised status code (ABS, ABJ, NV, DISP, BEN), if any.
    pub statut: Option<String>,
    /// The session a kept grade (BEN) comes from.
    pub session_origine: Option<i32>,
    /// The scale the grade was read on when not 20 (`28/40` gives note 14.00 and bareme 40).
    pub bareme: Option<u32>,
}

/// Reads a grade cell: a number 0–20 with at most 2 decimals (decimal comma or point), a status
/// code in one of its configured spellings, or a kept grade (`BEN 2021 : 12,5`, `12,5 (BEN 2021)`).
///
/// Returns `Ok(None)` for an empty cell.
///
/// # Errors
/// A [`Motif`] for a value out of 0–20, with more than 2 decimals, unreadable, or an unknown code.
pub fn parse_grade(cell: &Cell, profile: &Profile) -> Result<Option<GradeValue>, Motif> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(x) => grade_from_float(*x).map(|n| {
            Some(GradeValue {
                note: Some(n),
                statut: None,
                session_origine: None,
                bareme: None,
            })
        }),
        Cell::Date(_) => Err(Motif::NoteIllisible),
        Cell::Error(_) => Err(Motif::CelluleErreur),
        Cell::Text(t) => parse_grade_text(t, profile),
    }
}

/// Reads a grade cell of exam `exam` whose column says it is on `column_scale` (`E5A /40`), or
/// whose text says its own scale (`28/40`, `28 sur 40`): a grade on another scale than 20 is
/// converted exactly to 20 when the regulation marks the exam on that scale
/// ([`Profile::bareme`]), and keeps the scale read in [`GradeValue::bareme`]. Without a scale,
/// as [`parse_grade`].
///
/// # Errors
/// As [`parse_grade`]; [`Motif::BaremeNonPrevu`] for a scale the exam is not marked on,
/// [`Motif::NoteHorsBareme`] above the scale, [`Motif::ConversionInexacte`] when the grade on 20
/// would need a third decimal.
pub fn parse_grade_on(
    cell: &Cell,
    profile: &Profile,
    exam: &str,
    column_scale: Option<u32>,
) -> Result<Option<GradeValue>, Motif> {
    let own = match cell {
        Cell::Text(t) => split_scale(t),
        _ => None,
    };
    let scale = own.map_or(column_scale, |(_, s)| Some(s));
    let Some(sur) = scale.filter(|s| *s != 20) else {
        return match own {
            Some((number, _)) => parse_grade_text(number, profile),
            None => parse_grade(cell, profile),
        };
    };
    let max = i64::from(sur) * 100;
    let out_of_scale = |m: Motif| match m {
        Motif::NoteHorsBornes => Motif::NoteHorsBareme { sur },
        other => other,
    };
    let hundredths = match (cell, own) {
        (_, Some((number, _))) => match parse_decimal_max(number, max).map_err(out_of_scale)? {
            Some(v) => v,
            None => return Err(Motif::NoteIllisible),
        },
        (Cell::Number(x), None) => grade_from_float_max(*x, max).map_err(out_of_scale)?,
        (Cell::Text(t), None) => {
            let t = clean_text(t);
            match parse_decimal_max(&t, max).map_err(out_of_scale)? {
                Some(v) => v,
                None => {
                    // A kept grade on the column's scale (`BEN 2022 : 25`) is converted too.
                    if let Some((note, year)) =
                        parse_kept_grade(&t, profile, max).map_err(out_of_scale)?
                    {
                        return Ok(Some(GradeValue {
                            note: Some(to_twenty(note, sur, profile, exam)?),
                            statut: Some("BEN".into()),
                            session_origine: Some(year),
                            bareme: Some(sur),
                        }));
                    }
                    // A status code keeps its meaning on any scale.
                    return parse_grade_text(&t, profile);
                }
            }
        }
        (other, None) => return parse_grade(other, profile),
    };
    Ok(Some(GradeValue {
        note: Some(to_twenty(hundredths, sur, profile, exam)?),
        bareme: Some(sur),
        ..GradeValue::default()
    }))
}

/// `hundredths` on `sur` as hundredths on 20, when the regulation marks `exam` on `sur` and the
/// value on 20 has at most 2 decimals.
fn to_twenty(hundredths: i64, sur: u32, profile: &Profile, exam: &str) -> Result<Centiemes, Motif> {
    if profile.bareme(exam) != Some(sur) {
        return Err(Motif::BaremeNonPrevu { sur });
    }
    let on_twenty = hundredths * 20;
    if on_twenty % i64::from(sur) != 0 {
        return Err(Motif::ConversionInexacte { sur });
    }
    Centiemes::try_from(on_twenty / i64::from(sur)).map_err(|_| Motif::NoteHorsBareme { sur })
}

/// The scale a header says its grades are on: `/40`, `/ 40`, `sur 40` (1 to 100), if any.
pub fn scale_in_header(header: &str) -> Option<u32> {
    let lower = header.to_lowercase();
    let after_marker = |rest: &str| -> Option<u32> {
        let digits: String = rest
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let n: u32 = digits.parse().ok()?;
        (1..=100).contains(&n).then_some(n)
    };
    for (i, _) in lower.match_indices('/') {
        if let Some(n) = after_marker(&lower[i + 1..]) {
            return Some(n);
        }
    }
    lower
        .split(|c: char| !c.is_alphanumeric())
        .collect::<Vec<_>>()
        .windows(2)
        .find_map(|w| (w[0] == "sur").then(|| after_marker(w[1])).flatten())
}

/// A cell that says its own scale: `28/40`, `28 / 40`, `28 sur 40` → (`28`, 40).
fn split_scale(text: &str) -> Option<(&str, u32)> {
    let t = text.trim();
    let (number, scale) = t
        .rsplit_once('/')
        .or_else(|| t.rsplit_once(" sur "))
        .or_else(|| t.rsplit_once(" SUR "))?;
    let (number, scale) = (number.trim(), scale.trim());
    if number.is_empty() || scale.is_empty() || !scale.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let sur: u32 = scale.parse().ok()?;
    let looks_numeric = number
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
    ((1..=100).contains(&sur) && looks_numeric).then_some((number, sur))
}

/// Reads the text of a grade cell (see [`parse_grade`]).
///
/// # Errors
/// As [`parse_grade`].
pub fn parse_grade_text(text: &str, profile: &Profile) -> Result<Option<GradeValue>, Motif> {
    let t = clean_text_ref(text);
    if t.is_empty() {
        return Ok(None);
    }
    if let Some(n) = parse_decimal_text(&t)? {
        return Ok(Some(GradeValue {
            note: Some(n),
            statut: None,
            session_origine: None,
            bareme: None,
        }));
    }
    if let Some(code) = profile.status_code(&t) {
        if code == "BEN" {
            // A kept grade needs its grade and origin session: `BEN` alone says neither.
            return Err(Motif::BeneficeIncomplet);
        }
        return Ok(Some(GradeValue {
            note: None,
            statut: Some(code.to_string()),
            session_origine: None,
            bareme: None,
        }));
    }
    if let Some((note, year)) = parse_kept_grade(&t, profile, i64::from(NOTE_MAX))? {
        return Ok(Some(GradeValue {
            note: Centiemes::try_from(note).ok(),
            statut: Some("BEN".into()),
            session_origine: Some(year),
            bareme: None,
        }));
    }
    // A code is short, in capitals or abbreviated with a dot (`XYZ`, `EA`, `Exc.`); other text
    // (`douze`, `12,5,3`) is an unreadable grade.
    let looks_like_code = t.chars().count() <= 8
        && t.chars().all(|c| c.is_alphabetic() || c == '.' || c == ' ')
        && (t == t.to_uppercase() || t.contains('.'));
    if looks_like_code {
        Err(Motif::CodeInconnu)
    } else {
        Err(Motif::NoteIllisible)
    }
}

/// A kept grade: a BEN spelling, a 4-digit origin session and a grade of at most `max`
/// hundredths, in either order; gives (grade in hundredths, origin session).
fn parse_kept_grade(t: &str, profile: &Profile, max: i64) -> Result<Option<(i64, i32)>, Motif> {
    let tokens: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ':' | '/' | '-'))
        .filter(|s| !s.is_empty())
        .collect();
    let is_ben = tokens
        .iter()
        .any(|tok| profile.status_code(tok) == Some("BEN"));
    if !is_ben {
        return Ok(None);
    }
    let mut year = None;
    let mut grade = None;
    for tok in &tokens {
        if tok.len() == 4 && tok.chars().all(|c| c.is_ascii_digit()) {
            year = tok.parse::<i32>().ok();
        } else if tok.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            grade = parse_decimal_max(tok, max)?;
        }
    }
    match (year, grade) {
        (Some(y), Some(g)) => Ok(Some((g, y))),
        _ => Err(Motif::BeneficeIncomplet),
    }
}

/// Parses `12`, `12,5`, `12.50`, `08,25` into hundredths; `Ok(None)` when the text is not a number.
///
/// # Errors
/// [`Motif::NoteHorsBornes`] outside 0–20, [`Motif::TropDeDecimales`] past 2 decimals.
pub fn parse_decimal_text(t: &str) -> Result<Option<Centiemes>, Motif> {
    let value = parse_decimal_max(t, i64::from(NOTE_MAX))?;
    value
        .map(|v| i32::try_from(v).map_err(|_| Motif::NoteHorsBornes))
        .transpose()
}

/// As [`parse_decimal_text`] with `max` hundredths as the top of the scale.
fn parse_decimal_max(t: &str, max: i64) -> Result<Option<i64>, Motif> {
    let t = t.trim();
    let (int_part, frac_part) = match t.find([',', '.']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let negative = int_part.starts_with('-');
    let int_digits = int_part.trim_start_matches(['-', '+']);
    if int_digits.is_empty() && frac_part.is_empty()
        || !digits(int_digits)
        || !digits(frac_part)
        || int_digits.is_empty() && !t.contains([',', '.'])
    {
        return Ok(None);
    }
    if negative {
        return Err(Motif::NoteHorsBornes);
    }
    let significant = frac_part.trim_end_matches('0');
    if significant.len() > 2 {
        return Err(Motif::TropDeDecimales);
    }
    let int_value: i64 = if int_digits.is_empty() {
        0
    } else if int_digits.len() > 4 {
        return Err(Motif::NoteHorsBornes);
    } else {
        int_digits.parse().map_err(|_| Motif::NoteIllisible)?
    };
    // At most two ASCII digits (checked above), read as hundredths without a string.
    let frac_value = match *significant.as_bytes() {
        [] => 0,
        [tenths] => i64::from(tenths - b'0') * 10,
        [tenths, hundredths] => i64::from(tenths - b'0') * 10 + i64::from(hundredths - b'0'),
        _ => return Err(Motif::NoteIllisible),
    };
    let value = int_value * 100 + frac_value;
    if value > max {
        return Err(Motif::NoteHorsBornes);
    }
    Ok(Some(value))
}

/// A grade from a numeric cell. Spreadsheets store `19.4` as `19.399999999999999`: a value within
/// a millionth of a hundredth is that hundredth; a real third decimal is an error.
///
/// # Errors
/// As [`parse_decimal_text`], and [`Motif::NoteIllisible`] for NaN or infinity.
pub fn grade_from_float(x: f64) -> Result<Centiemes, Motif> {
    let value = grade_from_float_max(x, i64::from(NOTE_MAX))?;
    i32::try_from(value).map_err(|_| Motif::NoteHorsBornes)
}

/// As [`grade_from_float`] with `max` hundredths as the top of the scale.
fn grade_from_float_max(x: f64, max: i64) -> Result<i64, Motif> {
    if !x.is_finite() {
        return Err(Motif::NoteIllisible);
    }
    let scaled = x * 100.0;
    let rounded = scaled.round();
    if (scaled - rounded).abs() > 1e-6 {
        return Err(Motif::TropDeDecimales);
    }
    // `max` is at most 10,000 hundredths: exact as a float.
    #[expect(
        clippy::cast_precision_loss,
        reason = "max is a small scale in hundredths"
    )]
    let top = max as f64;
    if !(0.0..=top).contains(&rounded) {
        return Err(Motif::NoteHorsBornes);
    }
    // The range check above makes the conversion exact.
    Ok(rounded as i64)
}

/// The letters of the UAI check key: the alphabet without I, O and Q.
const UAI_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// The check letter of the 7 digits of a UAI code (number modulo 23 in the UAI alphabet).
pub fn uai_check_letter(digits: &str) -> Option<char> {
    if digits.len() != 7 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    let index = usize::try_from(n % 23).ok()?;
    UAI_LETTERS.get(index).map(|&b| char::from(b))
}

/// Checks and normalises a UAI code (`0691234a` → `0691234A`).
///
/// # Errors
/// [`Motif::UaiMalForme`] when it is not 7 digits and a letter, [`Motif::UaiCleInvalide`] when
/// the letter is not the check letter of the digits.
pub fn parse_uai(text: &str) -> Result<String, Motif> {
    let t: String = text.trim().to_uppercase();
    if t.len() != 8 || !t.is_ascii() {
        return Err(Motif::UaiMalForme);
    }
    let (digits, letter) = t.split_at(7);
    let expected = uai_check_letter(digits).ok_or(Motif::UaiMalForme)?;
    if !letter.starts_with(expected) {
        return Err(Motif::UaiCleInvalide { attendue: expected });
    }
    Ok(t)
}

/// Finds a UAI code written inside a text, as in `LYC TEST – VILLEFICTIVE  (0921234A)`.
pub fn find_uai_in_text(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|tok| {
            tok.len() == 8
                && tok[..7].chars().all(|c| c.is_ascii_digit())
                && tok[7..].chars().all(|c| c.is_ascii_alphabetic())
        })
        .map(str::to_uppercase)
}

/// True for a value shaped like a candidate number: digits as in the national application, or a
/// school's identifier without spaces (`0240000001`, `NDRC-2024-017`). Labels of summary and
/// signature rows (`Nombre de candidats`, `Total`, `Le chef de centre`) are not.
pub fn is_candidate_number(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().count() <= 30
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
}

/// The order of day and month in a column of slash dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `dd/mm/yyyy`, the French order (the default).
    DayMonth,
    /// `m/d/yy`, what a US-set Excel writes when it re-saves a CSV.
    MonthDay,
}

/// Guesses the order of a column of slash dates: month first when a first part exceeds 12 never
/// happens but a second part does.
pub fn guess_date_order<'a>(texts: impl Iterator<Item = &'a str>) -> DateOrder {
    let mut first_over_12 = false;
    let mut second_over_12 = false;
    for t in texts {
        let parts: Vec<&str> = t.trim().split('/').collect();
        if parts.len() == 3 {
            let a: u32 = parts[0].parse().unwrap_or(0);
            let b: u32 = parts[1].parse().unwrap_or(0);
            first_over_12 |= a > 12;
            second_over_12 |= b > 12;
        }
    }
    if second_over_12 && !first_over_12 {
        DateOrder::MonthDay
    } else {
        DateOrder::DayMonth
    }
}

/// Reads a date: a date cell, an Excel serial number, `dd/mm/yyyy` (or `m/d/yy` when the column
/// is month-first), or ISO `yyyy-mm-dd`.
///
/// # Errors
/// [`Motif::DateInvalide`] for anything else.
pub fn parse_date(cell: &Cell, order: DateOrder) -> Result<Option<NaiveDate>, Motif> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(*d)),
        Cell::Number(x) => excel_serial_to_date(*x).map(Some),
        Cell::Error(_) => Err(Motif::CelluleErreur),
        Cell::Text(t) => {
            let t = clean_text(t);
            if t.is_empty() {
                return Ok(None);
            }
            parse_date_text(&t, order).map(Some)
        }
    }
}

fn parse_date_text(t: &str, order: DateOrder) -> Result<NaiveDate, Motif> {
    let t = t.split_whitespace().next().unwrap_or_default();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d);
    }
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    let [a, b, y] = parts.as_slice() else {
        if let Ok(x) = t.replace(',', ".").parse::<f64>() {
            return excel_serial_to_date(x);
        }
        return Err(Motif::DateInvalide);
    };
    let num = |s: &str| s.parse::<u32>().map_err(|_| Motif::DateInvalide);
    let (day, month) = match order {
        DateOrder::DayMonth => (num(a)?, num(b)?),
        DateOrder::MonthDay => (num(b)?, num(a)?),
    };
    let mut year = i32::try_from(num(y)?).map_err(|_| Motif::DateInvalide)?;
    if y.len() <= 2 {
        // Two-digit years: birth dates and exam dates of this century unless clearly older.
        year += if year <= 50 { 2000 } else { 1900 };
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(Motif::DateInvalide)
}

/// Converts an Excel serial day number (1900 system) to a date.
///
/// # Errors
/// [`Motif::DateInvalide`] outside 1900–2100 or with a time-only value.
pub fn excel_serial_to_date(x: f64) -> Result<NaiveDate, Motif> {
    if !x.is_finite() || !(1.0..=73_051.0).contains(&x) {
        return Err(Motif::DateInvalide);
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or(Motif::DateInvalide)?;
    // The range check above bounds the value, so the conversion is exact.
    let days = x.floor() as i64;
    let d = epoch
        .checked_add_signed(chrono::Duration::days(days))
        .ok_or(Motif::DateInvalide)?;
    if d.year() < 1900 {
        return Err(Motif::DateInvalide);
    }
    Ok(d)
}

/// Cleans a text cell: trims, drops Excel's keep-as-text single quotes (`'TMA'`), folds inner
/// line breaks and runs of spaces, and reads the national application's ` -` as empty.
pub fn clean_text(text: &str) -> String {
    clean_text_ref(text).into_owned()
}

/// [`clean_text`] without a copy when the text needs no change but trimming.
pub fn clean_text_ref(text: &str) -> Cow<'_, str> {
    let t = strip_edges(text);
    if t == "-" || t == "–" {
        return Cow::Borrowed("");
    }
    if is_collapsed(t) {
        return Cow::Borrowed(t);
    }
    Cow::Owned(t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The text without the white space around it and without Excel's quotes around it (`'TMA'`).
fn strip_edges(text: &str) -> &str {
    let bytes = text.as_bytes();
    // Most cells start and end with a printable ASCII character that is not a quote: as is.
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic() && *b != b'\'');
    if plain(bytes.first()) && plain(bytes.last()) {
        return text;
    }
    let t = text.trim();
    t.strip_prefix('\'')
        .map(|s| s.strip_suffix('\'').unwrap_or(s))
        .unwrap_or(t)
        .trim()
}

/// True when the words of a trimmed text are separated by single spaces only (nothing to
/// collapse).
fn is_collapsed(t: &str) -> bool {
    // Most cells are ASCII: a byte test, no decoding of characters.
    if t.is_ascii() {
        let bytes = t.as_bytes();
        // `char::is_whitespace` of an ASCII byte, but the space (a vertical tab included).
        return !bytes
            .iter()
            .any(|b| matches!(b, b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r'))
            && !bytes.windows(2).any(|w| w == b"  ");
    }
    let mut after_space = false;
    t.chars().all(|c| {
        if c == ' ' {
            let single = !after_space;
            after_space = true;
            single
        } else {
            after_space = false;
            !c.is_whitespace()
        }
    })
}

/// The text of any cell as a user would read it: numbers without a useless `.0`, dates as
/// `dd/mm/yyyy`. Used for identifiers (a candidate number stored as a number) and for rejets.
pub fn cell_text(cell: &Cell) -> String {
    cell_text_ref(cell).into_owned()
}

/// [`cell_text`] without a copy for a text cell that needs no change but trimming.
pub fn cell_text_ref(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Text(t) => clean_text_ref(t),
        other => Cow::Owned(other_cell_text(other)),
    }
}

fn other_cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => clean_text(t),
        Cell::Number(x) => {
            if x.fract() == 0.0 && x.abs() < 1e15 {
                format!("{x:.0}")
            } else {
                let s = format!("{x}");
                s.replace('.', ",")
            }
        }
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
        Cell::Error(e) => e.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn profile() -> Profile {
        Profile::embedded().expect("the embedded profile parses")
    }

    fn grade(t: &str) -> Result<Option<GradeValue>, Motif> {
        parse_grade_text(t, &profile())
    }

    fn note(n: Centiemes) -> Result<Option<GradeValue>, Motif> {
        Ok(Some(GradeValue {
            note: Some(n),
            statut: None,
            session_origine: None,
            bareme: None,
        }))
    }

    #[test]
    fn decimal_comma_and_point_read_the_same() {
        assert_eq!(grade("12,5"), note(1250));
        assert_eq!(grade("12.50"), note(1250));
        assert_eq!(grade("08,25"), note(825));
        assert_eq!(grade("20"), note(2000));
        assert_eq!(grade("0"), note(0));
        assert_eq!(grade(" 9,99 "), note(999));
    }

    #[test]
    fn grade_above_twenty_is_rejected() {
        assert_eq!(grade("21"), Err(Motif::NoteHorsBornes));
        assert_eq!(grade("20,01"), Err(Motif::NoteHorsBornes));
        assert_eq!(grade("-1"), Err(Motif::NoteHorsBornes));
        assert_eq!(grade_from_float(21.0), Err(Motif::NoteHorsBornes));
    }

    #[test]
    fn third_decimal_is_rejected_but_float_noise_is_not() {
        assert_eq!(grade("12,555"), Err(Motif::TropDeDecimales));
        // What a spreadsheet stores for 19.4 or a sum like 0.1 + 0.2 is not the decimal itself.
        assert_eq!(grade_from_float(19.4 + 1e-12), Ok(1940));
        assert_eq!(grade_from_float(8.2 - 1e-12), Ok(820));
        assert_eq!(grade_from_float(0.1 + 0.2), Ok(30));
        assert_eq!(grade_from_float(12.345), Err(Motif::TropDeDecimales));
    }

    #[test]
    fn status_spellings_are_normalised() {
        for (text, code) in [
            ("ABS", "ABS"),
            ("Abs.", "ABS"),
            ("absent", "ABS"),
            ("AB", "ABS"),
            ("ABJ", "ABJ"),
            ("Abs. justifiée", "ABJ"),
            ("NV", "NV"),
            ("Non valide", "NV"),
            ("DISP", "DISP"),
            ("Dispensé", "DISP"),
            ("dispense", "DISP"),
        ] {
            let got = grade(text).expect(text).expect(text);
            assert_eq!(got.statut.as_deref(), Some(code), "{text}");
            assert_eq!(got.note, None, "{text}");
        }
    }

    #[test]
    fn kept_grade_reads_year_and_grade_in_any_order() {
        let expected = Ok(Some(GradeValue {
            note: Some(1250),
            statut: Some("BEN".into()),
            session_origine: Some(2021),
            bareme: None,
        }));
        assert_eq!(grade("BEN 2021 : 12,5"), expected);
        assert_eq!(grade("12,50 (BEN 2021)"), expected);
        assert_eq!(grade("BEN"), Err(Motif::BeneficeIncomplet));
    }

    #[test]
    fn unknown_code_and_unreadable_text_are_told_apart() {
        assert_eq!(grade("XYZ"), Err(Motif::CodeInconnu));
        assert_eq!(grade("EA"), Err(Motif::CodeInconnu));
        assert_eq!(grade("douze"), Err(Motif::NoteIllisible));
        assert_eq!(grade("12,5,3"), Err(Motif::NoteIllisible));
        assert_eq!(grade("1O"), Err(Motif::NoteIllisible));
    }

    #[test]
    fn uai_check_letter_matches_known_codes() {
        assert_eq!(uai_check_letter("3500050"), Some('C'));
        assert_eq!(uai_check_letter("0921234"), Some('S'));
        assert_eq!(parse_uai("3500050c"), Ok("3500050C".into()));
        assert_eq!(
            parse_uai("0921234A"),
            Err(Motif::UaiCleInvalide { attendue: 'S' })
        );
        assert_eq!(parse_uai("092123A"), Err(Motif::UaiMalForme));
        assert_eq!(parse_uai("ABCDEFGH"), Err(Motif::UaiMalForme));
    }

    #[test]
    fn uai_is_found_in_a_school_title() {
        assert_eq!(
            find_uai_in_text("LYC TEST – VILLEFICTIVE  (0921234A)"),
            Some("0921234A".into())
        );
        assert_eq!(find_uai_in_text("Listes simples"), None);
    }

    #[test]
    fn dates_in_every_written_form() {
        let d = NaiveDate::from_ymd_opt(2007, 9, 24);
        let text = |s: &str| Cell::Text(s.into());
        assert_eq!(parse_date(&text("24/09/2007"), DateOrder::DayMonth), Ok(d));
        assert_eq!(parse_date(&text("9/24/07"), DateOrder::MonthDay), Ok(d));
        assert_eq!(parse_date(&text("2007-09-24"), DateOrder::DayMonth), Ok(d));
        assert_eq!(
            parse_date(&Cell::Number(39349.0), DateOrder::DayMonth),
            Ok(d)
        );
        assert_eq!(
            parse_date(&text("31/02/2007"), DateOrder::DayMonth),
            Err(Motif::DateInvalide)
        );
        assert_eq!(
            guess_date_order(["8/27/06", "11/5/07"].into_iter()),
            DateOrder::MonthDay
        );
        assert_eq!(
            guess_date_order(["27/08/2006", "05/11/2007"].into_iter()),
            DateOrder::DayMonth
        );
    }

    #[test]
    fn text_clean_up_keeps_accents() {
        assert_eq!(clean_text("'TMA'"), "TMA");
        assert_eq!(clean_text(" -"), "");
        assert_eq!(clean_text("  LABBÉ \r\n Éloïse "), "LABBÉ Éloïse");
        assert_eq!(cell_text(&Cell::Number(9_900_000_001.0)), "9900000001");
    }

    proptest! {
        #[test]
        fn grade_parser_never_panics(s in "\\PC{0,24}") {
            let _ = grade(&s);
        }

        /// The shortcut for text without runs of spaces gives what collapsing every run gives.
        #[test]
        fn clean_text_collapses_every_run_of_white_space(s in "[ a\t\u{a0}\r\n'é-]{0,12}") {
            let t = s.trim();
            let t = t.strip_prefix('\'').map(|x| x.strip_suffix('\'').unwrap_or(x)).unwrap_or(t).trim();
            let expected = if t == "-" { String::new() } else { t.split_whitespace().collect::<Vec<_>>().join(" ") };
            prop_assert_eq!(clean_text(&s), expected);
        }

        /// The ASCII shortcut of `is_collapsed` agrees with the test over characters, on every
        /// ASCII white space (a vertical tab and a form feed included).
        #[test]
        fn ascii_text_is_collapsed_as_by_characters(s in "[ a\t\x0B\x0C\r\n'-]{0,12}") {
            let by_chars = !s.contains("  ") && !s.chars().any(|c| c != ' ' && c.is_whitespace());
            prop_assert_eq!(is_collapsed(&s), by_chars);
        }

        #[test]
        fn every_valid_grade_round_trips(h in 0i32..=2000) {
            let point = format!("{}.{:02}", h / 100, h % 100);
            let comma = point.replace('.', ",");
            prop_assert_eq!(grade(&point), note(h));
            prop_assert_eq!(grade(&comma), note(h));
            prop_assert_eq!(grade_from_float(f64::from(h) / 100.0), Ok(h));
        }

        #[test]
        fn grades_past_twenty_are_always_rejected(h in 2001i32..100_000) {
            let text = format!("{},{:02}", h / 100, h % 100);
            prop_assert_eq!(grade(&text), Err(Motif::NoteHorsBornes));
        }

        #[test]
        fn uai_with_its_own_letter_is_valid(n in 0u32..10_000_000) {
            let digits = format!("{n:07}");
            let letter = uai_check_letter(&digits).expect("7 digits");
            let code = format!("{digits}{letter}");
            prop_assert_eq!(parse_uai(&code), Ok(code.clone()));
        }
    }
}

/// Issue 10 item 4: E5A « notée sur 40 points » (seed 001) is converted exactly to 20.
#[cfg(test)]
mod scale_tests {
    use proptest::prelude::*;

    use super::*;

    fn profile() -> Profile {
        let mut p = Profile::embedded().expect("the embedded profile parses");
        p.set_baremes([("E5A".to_string(), 40)].into_iter().collect());
        p
    }

    fn on(cell: Cell, exam: &str, scale: Option<u32>) -> Result<Option<GradeValue>, Motif> {
        parse_grade_on(&cell, &profile(), exam, scale)
    }

    fn converted(note: Centiemes) -> Result<Option<GradeValue>, Motif> {
        Ok(Some(GradeValue {
            note: Some(note),
            bareme: Some(40),
            ..GradeValue::default()
        }))
    }

    fn text(t: &str) -> Cell {
        Cell::Text(t.into())
    }

    #[test]
    fn a_header_says_its_scale_in_french_ways() {
        assert_eq!(scale_in_header("E5A écrit /40"), Some(40));
        assert_eq!(scale_in_header("E5A (sur 40 points)"), Some(40));
        assert_eq!(scale_in_header("Note E5A / 40"), Some(40));
        assert_eq!(scale_in_header("E5A Sur 20"), Some(20));
        assert_eq!(scale_in_header("E5A"), None);
        assert_eq!(scale_in_header("Session 2024/2025"), None);
        assert_eq!(scale_in_header("Surveillance E5A"), None);
    }

    #[test]
    fn a_mark_on_40_is_halved_exactly_and_keeps_its_scale() {
        // 28 / 40 = 14.00 / 20; 28,5 / 40 = 14.25; 0 and 40 are the bounds.
        assert_eq!(on(text("28"), "E5A", Some(40)), converted(1400));
        assert_eq!(on(text("28,5"), "E5A", Some(40)), converted(1425));
        assert_eq!(on(Cell::Number(28.5), "E5A", Some(40)), converted(1425));
        assert_eq!(on(text("40"), "E5A", Some(40)), converted(2000));
        assert_eq!(on(text("0"), "E5A", Some(40)), converted(0));
        // The cell says its own scale, whatever its column says.
        assert_eq!(on(text("31/40"), "E5A", None), converted(1550));
        assert_eq!(on(text("31 sur 40"), "E5A", Some(20)), converted(1550));
        assert_eq!(
            on(text("14/20"), "E5A", Some(40)),
            Ok(Some(GradeValue {
                note: Some(1400),
                ..GradeValue::default()
            }))
        );
    }

    #[test]
    fn what_cannot_be_converted_exactly_is_rejected_with_its_reason() {
        // 28,25 / 40 = 14,125: a third decimal.
        assert_eq!(
            on(text("28,25"), "E5A", Some(40)),
            Err(Motif::ConversionInexacte { sur: 40 })
        );
        assert_eq!(
            on(text("41"), "E5A", Some(40)),
            Err(Motif::NoteHorsBareme { sur: 40 })
        );
        // E1 is not marked on 40 in the regulation.
        assert_eq!(
            on(text("28"), "E1", Some(40)),
            Err(Motif::BaremeNonPrevu { sur: 40 })
        );
        assert_eq!(
            on(text("28/40"), "E1", None),
            Err(Motif::BaremeNonPrevu { sur: 40 })
        );
        // A mark above 20 in a column that says nothing is still out of bounds.
        assert_eq!(on(text("28"), "E5A", None), Err(Motif::NoteHorsBornes));
        assert_eq!(on(text("28"), "E5A", Some(20)), Err(Motif::NoteHorsBornes));
    }

    #[test]
    fn a_kept_grade_on_40_is_converted_and_stays_kept() {
        assert_eq!(
            on(text("BEN 2022 : 25"), "E5A", Some(40)),
            Ok(Some(GradeValue {
                note: Some(1250),
                statut: Some("BEN".into()),
                session_origine: Some(2022),
                bareme: Some(40),
            }))
        );
    }

    #[test]
    fn codes_and_empty_cells_keep_their_meaning_on_40() {
        assert_eq!(on(Cell::Empty, "E5A", Some(40)), Ok(None));
        assert_eq!(
            on(text("ABS"), "E5A", Some(40)),
            Ok(Some(GradeValue {
                statut: Some("ABS".into()),
                ..GradeValue::default()
            }))
        );
    }

    proptest! {
        /// Every mark on 40 in hundredths is halved exactly when even, rejected when odd; the
        /// value on 20 never exceeds 20.
        #[test]
        fn marks_on_40_convert_exactly_or_not_at_all(h in 0i64..=4000) {
            let t = format!("{},{:02}", h / 100, h % 100);
            let got = on(text(&t), "E5A", Some(40));
            if h % 2 == 0 {
                prop_assert_eq!(got, converted(Centiemes::try_from(h / 2).unwrap()));
            } else {
                prop_assert_eq!(got, Err(Motif::ConversionInexacte { sur: 40 }));
            }
        }

        #[test]
        fn the_scaled_parser_never_panics(s in "\\PC{0,24}", scale in proptest::option::of(1u32..=100)) {
            let _ = on(text(&s), "E5A", scale);
        }
    }
}
