//! Maps the columns of one header row to canonical fields and exams: by exact alias first, then by
//! the header's words (`[mots]`), then by the column's content; a header split over two rows (a
//! group row above a label row) is read as one.
//!
//! Takes the header row, the row above it (if it is a group row), a sample of the rows below and
//! the [`Profile`]; gives the recognised columns with the reason of each, and the ignored ones
//! with why and what they hold. Knows nothing of the layout's kind (see `layout`).

use super::content::{column_stats, ContentStats};
use super::field::Field;
use super::layout::{Column, Reason, Role};
use super::livret_period::{livret_field, parse_training_year};
use super::profile::Profile;
use super::read::Cell;

/// A word match is refused when fewer values than this share fit the field.
const MIN_FIT_WORDS: f64 = 0.5;

/// An exact alias gives way to a word match when its own fit is below this and the other's above
/// [`STRONG_FIT`] (`Année` is a session alias, but a column of `1` and `2` is a year of training).
const WEAK_FIT: f64 = 0.2;
const STRONG_FIT: f64 = 0.8;

/// A column is read from its content alone when this share of its values fit (UAI codes, opinions).
const CONTENT_ONLY_FIT: f64 = 0.9;

/// Why a non-empty header was not mapped.
#[derive(Debug, Clone, PartialEq)]
pub enum Ignore {
    /// No alias, no word, no content names it.
    Inconnu,
    /// Another column already holds this field (the first one wins).
    Doublon(Field),
    /// Its words name a field but its content does not fit it.
    ContenuIncompatible(Field),
    /// Its words name several fields equally and its content does not settle it.
    Ambigu(Vec<Field>),
    /// The profile lists it under `ignorer`.
    Profil,
}

/// A header that was not mapped, with what its column holds.
#[derive(Debug, Clone)]
pub struct IgnoredColumn {
    /// 0-based position.
    pub index: usize,
    /// The header as written.
    pub header: String,
    /// Why it was not mapped.
    pub why: Ignore,
    /// What its values look like.
    pub stats: ContentStats,
}

/// The columns of one header row.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Recognised columns, left to right.
    pub columns: Vec<Column>,
    /// Non-empty headers not mapped, left to right.
    pub ignored: Vec<IgnoredColumn>,
}

impl Mapping {
    /// True when a column holds `field`.
    pub fn has(&self, field: Field) -> bool {
        self.columns.iter().any(|c| c.role == Role::Field(field))
    }
}

/// One header cell, with the group above it.
struct HeaderCell {
    index: usize,
    label: String,
    /// The group row's text over this column (merged cells forward-filled), if any.
    group: Option<String>,
}

impl HeaderCell {
    /// The header shown to users: the label, prefixed by its group when the group was needed.
    fn shown(&self, with_group: bool) -> String {
        match (&self.group, with_group) {
            (Some(g), true) if !self.label.is_empty() => format!("{g} – {}", self.label),
            (Some(g), _) if self.label.is_empty() => g.clone(),
            _ => self.label.clone(),
        }
    }

    fn words_text(&self) -> String {
        match &self.group {
            Some(g) if !self.label.is_empty() => format!("{g} {}", self.label),
            Some(g) => g.clone(),
            None => self.label.clone(),
        }
    }
}

fn header_text(cell: Option<&Cell>) -> String {
    match cell {
        Some(Cell::Text(t)) => t.split_whitespace().collect::<Vec<_>>().join(" "),
        _ => String::new(),
    }
}

/// The header cells of a label row, each with the group row's text above it (a merged group cell
/// holds its text in its first column only: it covers the columns up to the next group cell).
fn header_cells(label: &[Cell], group: Option<&[Cell]>) -> Vec<HeaderCell> {
    let width = label.len().max(group.map_or(0, <[Cell]>::len));
    let mut current_group: Option<String> = None;
    let mut out = Vec::new();
    for index in 0..width {
        let own_group = group.map(|g| header_text(g.get(index)));
        if let Some(g) = &own_group {
            if !g.is_empty() {
                current_group = Some(g.clone());
            }
        }
        let label_text = header_text(label.get(index));
        // A group text alone stands for a header merged over both rows only in its own cell.
        let group_here = if label_text.is_empty() {
            own_group.filter(|g| !g.is_empty())
        } else {
            current_group.clone()
        };
        if label_text.is_empty() && group_here.is_none() {
            continue;
        }
        out.push(HeaderCell {
            index,
            label: label_text,
            group: group_here,
        });
    }
    out
}

/// A recognised column: its role, why, and whether the group row above was needed.
type Mapped = (Role, Reason, bool);

/// A column's outcome: recognised, or ignored with why.
type Found = Result<Mapped, Ignore>;

/// How much work a mapping does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Enough to compare candidate header rows: no content-only columns, no stats of ignored ones.
    Survey,
    /// Everything, for the chosen header row.
    Full,
}

/// Maps a header row. `group` is the row just above when it is a group row; `data` the rows below.
pub fn map_columns(
    label: &[Cell],
    group: Option<&[Cell]>,
    data: &[(u32, Vec<Cell>)],
    profile: &Profile,
    depth: Depth,
) -> Mapping {
    let cells = header_cells(label, group);
    let mut stats: Vec<Option<ContentStats>> = vec![None; cells.len()];
    let mut stats_of = |i: usize| -> ContentStats {
        stats[i]
            .get_or_insert_with(|| column_stats(data, cells[i].index, profile))
            .clone()
    };
    let mut decided: Vec<Option<Found>> = vec![None; cells.len()];
    let mut taken: Vec<Field> = Vec::new();
    // Pass 1: exact aliases and exam codes, so that a word match never takes their field.
    for (i, hc) in cells.iter().enumerate() {
        if profile.is_ignored(&hc.label) || hc.label.is_empty() && group_ignored(hc, profile) {
            decided[i] = Some(Err(Ignore::Profil));
            continue;
        }
        let Some(found) = by_alias(hc, profile, &mut || stats_of(i)) else {
            continue;
        };
        decided[i] = Some(take(found, &mut taken));
    }
    // Pass 2: words, checked against content.
    for (i, hc) in cells.iter().enumerate() {
        if decided[i].is_some() || !has_word_match(hc, profile) {
            continue;
        }
        let s = stats_of(i);
        if let Some(found) = by_words(hc, profile, &s, &taken) {
            decided[i] = Some(found.and_then(|f| take(f, &mut taken)));
        }
    }
    // Pass 3: content alone, for what content says unmistakably.
    for (i, _) in cells.iter().enumerate() {
        if decided[i].is_some() || depth == Depth::Survey {
            continue;
        }
        let s = stats_of(i);
        let by_content = [Field::Uai, Field::Avis]
            .into_iter()
            .find(|f| !taken.contains(f) && s.fit(*f).is_some_and(|x| x >= CONTENT_ONLY_FIT));
        if let Some(f) = by_content {
            decided[i] = Some(take((Role::Field(f), Reason::Contenu, false), &mut taken));
        }
    }
    let mut mapping = Mapping::default();
    let mut ignored_stats = |i: usize| match depth {
        Depth::Full => stats_of(i),
        Depth::Survey => ContentStats::default(),
    };
    for (i, hc) in cells.iter().enumerate() {
        match decided[i].take() {
            Some(Ok((role, reason, with_group))) => mapping.columns.push(Column {
                index: hc.index,
                header: hc.shown(with_group),
                role,
                reason,
            }),
            Some(Err(why)) => mapping.ignored.push(IgnoredColumn {
                index: hc.index,
                header: hc.shown(true),
                why,
                stats: ignored_stats(i),
            }),
            None => mapping.ignored.push(IgnoredColumn {
                index: hc.index,
                header: hc.shown(true),
                why: Ignore::Inconnu,
                stats: ignored_stats(i),
            }),
        }
    }
    mapping
}

/// True when the header's words may name something (worth looking at its content).
fn has_word_match(hc: &HeaderCell, profile: &Profile) -> bool {
    let text = hc.words_text();
    livret_field(&text).is_some()
        || parse_training_year(&text).is_some()
        || !profile.fields_by_words(&text).is_empty()
        || profile.exam_in_words(&text).is_some()
}

fn group_ignored(hc: &HeaderCell, profile: &Profile) -> bool {
    hc.group.as_deref().is_some_and(|g| profile.is_ignored(g))
}

/// Records a field as taken; a second column of the same field is a duplicate.
fn take(found: Mapped, taken: &mut Vec<Field>) -> Found {
    if let Role::Field(f) = found.0 {
        if taken.contains(&f) {
            return Err(Ignore::Doublon(f));
        }
        taken.push(f);
    }
    Ok(found)
}

/// An exact alias of a field or an exam, of the label or of the group over a grade label.
fn by_alias(
    hc: &HeaderCell,
    profile: &Profile,
    stats: &mut dyn FnMut() -> ContentStats,
) -> Option<Mapped> {
    let label_field = profile.field(&hc.label);
    // `Note` under a group `E5B` is the E5B grade column of a wide layout.
    if label_field.is_none() || label_field == Some(Field::Note) {
        if let Some(code) = hc.group.as_deref().and_then(|g| known_exam(profile, g)) {
            if label_field == Some(Field::Note) || profile.exam(&hc.label).is_none() {
                return Some((Role::Exam { code, known: true }, Reason::Alias, true));
            }
        }
    }
    if let Some(f) = label_field {
        // Only a header whose words also name another field is checked against its content.
        let others: Vec<Field> = profile
            .fields_by_words(&hc.label)
            .into_iter()
            .map(|(g, _)| g)
            .filter(|g| *g != f)
            .collect();
        if !others.is_empty() {
            let s = stats();
            if s.fit(f).is_some_and(|x| x < WEAK_FIT) {
                // The content contradicts the alias: a word match that fits wins.
                let better = others
                    .into_iter()
                    .find(|g| s.fit(*g).is_some_and(|x| x >= STRONG_FIT));
                if let Some(g) = better {
                    return Some((Role::Field(g), Reason::Contenu, false));
                }
            }
        }
        return Some((Role::Field(f), Reason::Alias, false));
    }
    if let Some((code, known)) = profile.exam(&hc.label) {
        return Some((Role::Exam { code, known }, Reason::Alias, false));
    }
    if hc.label.is_empty() {
        let g = hc.group.as_deref()?;
        if let Some(f) = profile.field(g) {
            return Some((Role::Field(f), Reason::Alias, true));
        }
        if let Some((code, known)) = profile.exam(g) {
            return Some((Role::Exam { code, known }, Reason::Alias, true));
        }
    }
    None
}

fn known_exam(profile: &Profile, text: &str) -> Option<String> {
    match profile.exam(text) {
        Some((code, true)) => Some(code),
        _ => profile.exam_in_words(text),
    }
}

/// A field or an exam named by the header's words, accepted when the content does not contradict.
fn by_words(
    hc: &HeaderCell,
    profile: &Profile,
    s: &ContentStats,
    taken: &[Field],
) -> Option<Found> {
    let fits = |f: Field| s.fit(f).is_none_or(|x| x >= MIN_FIT_WORDS);
    if let Some(f) = livret_field(&hc.label).or_else(|| livret_field(&hc.words_text())) {
        if fits(f) {
            return Some(Ok((Role::Field(f), Reason::Mots, hc.group.is_some())));
        }
    }
    // A header that names only a year of training (`1re année`) over averages is that year's
    // annual average (the livret model gives year 1 one column).
    if let Some(year) = parse_training_year(&hc.words_text()) {
        let annual = if year == 1 { Field::A1 } else { Field::A2 };
        if s.fit(annual).is_some_and(|x| x >= MIN_FIT_WORDS) && !taken.contains(&annual) {
            return Some(Ok((
                Role::Field(annual),
                Reason::Contenu,
                hc.group.is_some(),
            )));
        }
    }
    for (text, with_group) in [(hc.label.clone(), false), (hc.words_text(), true)] {
        if text.is_empty() || with_group && hc.group.is_none() {
            continue;
        }
        let scored = profile.fields_by_words(&text);
        // Words of a grade or of an exam label (`Note`, `Épreuve`, `Unité`) go with an exam code.
        let non_grade: Vec<Field> = scored
            .iter()
            .map(|(f, _)| *f)
            .filter(|f| !matches!(f, Field::Note | Field::Epreuve))
            .collect();
        // An exam named among the words, with no other field's words (`Date E5B` is a date).
        if non_grade.is_empty() {
            if let Some(code) = profile.exam_in_words(&text) {
                if fits(Field::Note) {
                    return Some(Ok((
                        Role::Exam { code, known: true },
                        Reason::Mots,
                        with_group,
                    )));
                }
            }
        }
        if let Some(found) = best_by_words(&scored, s, taken) {
            return Some(found.map(|f| (Role::Field(f), reason_of(&scored, s), with_group)));
        }
    }
    None
}

fn reason_of(scored: &[(Field, u32)], s: &ContentStats) -> Reason {
    let top = scored.first().map(|(_, n)| *n);
    let tied = scored.iter().filter(|(_, n)| Some(*n) == top).count();
    if tied > 1 && s.non_empty > 0 {
        Reason::Contenu
    } else {
        Reason::Mots
    }
}

/// The best word match whose content fits; ties are settled by content, else reported.
fn best_by_words(
    scored: &[(Field, u32)],
    s: &ContentStats,
    taken: &[Field],
) -> Option<Result<Field, Ignore>> {
    let first_refused = scored.first().map(|(f, _)| *f);
    let usable: Vec<(Field, u32, Option<f64>)> = scored
        .iter()
        .map(|(f, n)| (*f, *n, s.fit(*f)))
        .filter(|(f, _, fit)| fit.is_none_or(|x| x >= MIN_FIT_WORDS) && !taken.contains(f))
        .collect();
    let Some(&(_, top, _)) = usable.first() else {
        // A column whose content does not fit is no duplicate of the field, whatever its words.
        return first_refused.map(|f| {
            let fits = s.fit(f).is_none_or(|x| x >= MIN_FIT_WORDS);
            Err(if fits && taken.contains(&f) {
                Ignore::Doublon(f)
            } else {
                Ignore::ContenuIncompatible(f)
            })
        });
    };
    let tied: Vec<(Field, Option<f64>)> = usable
        .iter()
        .filter(|(_, n, _)| *n == top)
        .map(|(f, _, fit)| (*f, *fit))
        .collect();
    if let [(only, _)] = tied.as_slice() {
        return Some(Ok(*only));
    }
    // Content settles a tie when one field's content fits clearly better than the others'.
    let mut by_fit: Vec<(Field, f64)> = tied.iter().map(|(f, x)| (*f, x.unwrap_or(0.0))).collect();
    by_fit.sort_by(|a, b| b.1.total_cmp(&a.1));
    match by_fit.as_slice() {
        [(best, a), (_, b), ..] if *a >= STRONG_FIT && a - b >= 0.3 => Some(Ok(*best)),
        _ => Some(Err(Ignore::Ambigu(tied.iter().map(|(f, _)| *f).collect()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text((*c).into())
                }
            })
            .collect()
    }

    fn data(rows: &[&[&str]]) -> Vec<(u32, Vec<Cell>)> {
        rows.iter().zip(2..).map(|(r, n)| (n, row(r))).collect()
    }

    fn roles(m: &Mapping) -> Vec<(String, Role, Reason)> {
        m.columns
            .iter()
            .map(|c| (c.header.clone(), c.role.clone(), c.reason))
            .collect()
    }

    fn profile() -> Profile {
        Profile::embedded().expect("profile")
    }

    #[test]
    fn headers_worded_differently_are_recognised_by_their_words() {
        let header = row(&[
            "Numéro d'inscription du candidat",
            "NOM patronymique",
            "Prénom usuel",
            "Code UAI de l'établissement – Lycée Jean Moulin",
            "Note obtenue à l'épreuve E5B",
        ]);
        let rows = data(&[&["0240000001", "DURAND", "Léa", "0690105P", "12,5"]]);
        let m = map_columns(&header, None, &rows, &profile(), Depth::Full);
        let got: Vec<Role> = m.columns.iter().map(|c| c.role.clone()).collect();
        assert_eq!(
            got,
            vec![
                Role::Field(Field::Candidat),
                Role::Field(Field::Nom),
                Role::Field(Field::Prenom),
                Role::Field(Field::Uai),
                Role::Exam {
                    code: "E5B".into(),
                    known: true
                },
            ]
        );
        assert!(m.columns.iter().all(|c| c.reason == Reason::Mots));
    }

    #[test]
    fn exact_aliases_win_over_words() {
        let header = row(&["N° candidat", "Numéro du candidat"]);
        let rows = data(&[&["0240000001", "0240000001"]]);
        let m = map_columns(&header, None, &rows, &profile(), Depth::Full);
        assert_eq!(m.columns.len(), 1);
        assert_eq!(m.columns[0].reason, Reason::Alias);
        assert_eq!(m.ignored[0].why, Ignore::Doublon(Field::Candidat));
    }

    #[test]
    fn content_refuses_words_that_do_not_fit() {
        // "Date" names the exam date by its words, but the column holds grades.
        let header = row(&["N° candidat", "Date du passage à l'oral"]);
        let rows = data(&[&["0240000001", "12,5"], &["0240000002", "14"]]);
        let m = map_columns(&header, None, &rows, &profile(), Depth::Full);
        assert_eq!(m.columns.len(), 1);
        assert_eq!(
            m.ignored[0].why,
            Ignore::ContenuIncompatible(Field::DateEpreuve)
        );
        assert_eq!(m.ignored[0].stats.meaning(), Some("notes"));
    }

    #[test]
    fn a_year_of_training_is_not_a_session_although_annee_is_a_session_alias() {
        let header = row(&["N° candidat", "Année", "Matière", "Semestre", "Moyenne"]);
        let rows = data(&[&["0240000001", "1", "CEJM", "S1", "12"]]);
        let m = map_columns(&header, None, &rows, &profile(), Depth::Full);
        let got: Vec<Role> = m.columns.iter().map(|c| c.role.clone()).collect();
        assert_eq!(got[1], Role::Field(Field::Annee));
        assert_eq!(m.columns[1].reason, Reason::Contenu);
        assert_eq!(got[3], Role::Field(Field::Periode));
        assert_eq!(got[4], Role::Field(Field::Moyenne));
    }

    #[test]
    fn a_group_row_over_labels_is_read_as_one_header() {
        let group = row(&["Identité", "", "", "E5B", "", "Épreuve E4"]);
        let label = row(&[
            "N° candidat",
            "Nom",
            "Prénom",
            "Note",
            "Examinateur",
            "Note /20",
        ]);
        let rows = data(&[&["0240000001", "DURAND", "Léa", "12", "EX01", "13"]]);
        let m = map_columns(&label, Some(&group), &rows, &profile(), Depth::Full);
        let got = roles(&m);
        assert_eq!(got[0].1, Role::Field(Field::Candidat));
        assert_eq!(
            got[3],
            (
                "E5B – Note".to_string(),
                Role::Exam {
                    code: "E5B".into(),
                    known: true
                },
                Reason::Alias
            )
        );
        assert_eq!(got[4].1, Role::Field(Field::Examinateur));
        assert_eq!(
            got[5].1,
            Role::Exam {
                code: "E4".into(),
                known: true
            }
        );
    }

    #[test]
    fn status_and_origin_session_columns_are_recognised() {
        let header = row(&[
            "N° candidat",
            "Epreuve",
            "Note",
            "Situation à l'épreuve",
            "Session d'obtention du bénéfice",
        ]);
        let rows = data(&[
            &["0240000001", "E1", "", "ABJ", ""],
            &["0240000001", "E2", "12", "BEN", "2021"],
        ]);
        let m = map_columns(&header, None, &rows, &profile(), Depth::Full);
        let got: Vec<Role> = m.columns.iter().map(|c| c.role.clone()).collect();
        assert_eq!(got[3], Role::Field(Field::Statut));
        assert_eq!(got[4], Role::Field(Field::SessionOrigine));
    }

    #[test]
    fn a_text_column_about_the_candidate_is_no_duplicate_candidate_number() {
        let header = row(&["N° candidat", "Identité du candidat"]);
        let rows = data(&[
            &["0240000001", "DURAND Léa"],
            &["0240000002", "MARTIN Hugo"],
        ]);
        let m = map_columns(&header, None, &rows, &profile(), Depth::Full);
        assert_eq!(
            m.ignored[0].why,
            Ignore::ContenuIncompatible(Field::Candidat)
        );
    }

    #[test]
    fn a_header_whose_words_name_two_fields_equally_is_reported_not_guessed() {
        let header = row(&["N° candidat", "Centre commission"]);
        let rows = data(&[&["0240000001", "Lyon C01"]]);
        let m = map_columns(&header, None, &rows, &profile(), Depth::Full);
        assert_eq!(m.columns.len(), 1);
        assert_eq!(
            m.ignored[0].why,
            Ignore::Ambigu(vec![Field::Commission, Field::Centre])
        );
    }

    #[test]
    fn a_year_of_training_over_averages_is_that_years_annual_average() {
        let header = row(&[
            "N° candidat",
            "Matière",
            "1re année",
            "2e année S1",
            "2e année S2",
        ]);
        let rows = data(&[&["0240000001", "CEJM", "12,5", "13", "14"]]);
        let m = map_columns(&header, None, &rows, &profile(), Depth::Full);
        let got: Vec<Role> = m.columns.iter().map(|c| c.role.clone()).collect();
        assert_eq!(got[2], Role::Field(Field::A1));
        assert_eq!(m.columns[2].reason, Reason::Contenu);
        assert_eq!(got[3], Role::Field(Field::A2S1));
    }

    #[test]
    fn the_livret_models_opinion_header_is_an_opinion() {
        let header = row(&["N° candidat", "AVIS DU CONSEIL DE CLASSE"]);
        let rows = data(&[&["0240000001", "Très favorable"]]);
        let m = map_columns(&header, None, &rows, &profile(), Depth::Full);
        assert_eq!(m.columns[1].role, Role::Field(Field::Avis));
    }

    #[test]
    fn a_uai_column_without_a_known_header_is_read_from_its_content() {
        let header = row(&["N° candidat", "Organisme de formation"]);
        let rows = data(&[&["0240000001", "0690105P"], &["0240000002", "0692782Z"]]);
        let m = map_columns(&header, None, &rows, &profile(), Depth::Full);
        assert_eq!(m.columns[1].role, Role::Field(Field::Uai));
        assert_eq!(m.columns[1].reason, Reason::Contenu);
    }

    /// Real headers of public exports (tests/fixtures/entetes_reelles): every one marked
    /// `reconnu` maps to its field, or is ignored when it names nothing the tool reads.
    #[test]
    fn real_headers_of_public_exports_map_to_their_fields() {
        let text = include_str!("../../tests/fixtures/entetes_reelles/cas.tsv");
        let profile = profile();
        let mut checked = 0;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [header, values, expected, neighbour, _source, status] = cols[..] else {
                panic!("bad line {line}");
            };
            if status != "reconnu" {
                continue;
            }
            let values: Vec<&str> = values.split('|').collect();
            // A neighbour column as in the file it came from; else a birth date (or a name
            // beside a birth-date header, which the birth date would take).
            let about_birth = header.to_lowercase().contains("naiss") || expected.contains("naiss");
            let (n_header, n_values) = match neighbour.split_once('=') {
                Some((h, v)) => (h, v.split('|').collect::<Vec<_>>()),
                None if about_birth => ("Nom", vec!["DUPONT", "MARTIN", "BERNARD"]),
                None => (
                    "Date de naissance",
                    vec!["12/03/2004", "01/11/2003", "25/06/2004"],
                ),
            };
            let header_row = row(&["N° candidat", n_header, header]);
            let rows: Vec<(u32, Vec<Cell>)> = (0..3)
                .map(|i| {
                    let v = [
                        "0241234567",
                        n_values.get(i).copied().unwrap_or(""),
                        values.get(i).copied().unwrap_or(""),
                    ];
                    (u32::try_from(i).unwrap() + 2, row(&v))
                })
                .collect();
            let m = map_columns(&header_row, None, &rows, &profile, Depth::Full);
            let got = m
                .columns
                .iter()
                .find(|c| c.index == 2)
                .map(|c| c.role.clone());
            match expected {
                "(ignoré)" => assert!(got.is_none(), "{header}: {got:?}, expected ignored"),
                field => assert_eq!(
                    got,
                    Some(Role::Field(Field::from_name(field).unwrap())),
                    "{header}"
                ),
            }
            checked += 1;
        }
        assert_eq!(checked, 53);
    }
}
