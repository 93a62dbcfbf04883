//! What a column's values look like: grades, status codes, UAI codes, dates, candidate numbers,
//! opinions, years... Used to settle headers that words leave ambiguous, to refuse a header whose
//! column plainly holds something else, and to warn about ignored columns that hold meaning.
//!
//! Takes the cells below a header (a bounded sample); gives [`ContentStats`]. Reads no header.

use super::field::Field;
use super::livret_period::{parse_period, parse_training_year};
use super::profile::Profile;
use super::read::Cell;
use super::values::{cell_text, is_candidate_number, parse_date, parse_grade, DateOrder};

/// How many values below a header are looked at.
pub const SAMPLE_ROWS: usize = 200;

/// Counts of what the non-empty values of a column look like (a value may count in several).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ContentStats {
    /// Non-empty values looked at.
    pub non_empty: usize,
    /// Numbers 0–20 with at most 2 decimals.
    pub grades: usize,
    /// Status codes of `[statuts]` (or neutral status words).
    pub statuses: usize,
    /// UAI-shaped codes (7 digits and a letter, check letter not verified).
    pub uais: usize,
    /// Dates.
    pub dates: usize,
    /// Values shaped like a candidate number (no space, at least one digit).
    pub candidate_ids: usize,
    /// Opinions of `[avis]`.
    pub opinions: usize,
    /// Years 2000–2099.
    pub years: usize,
    /// Sexes of `[sexes]`.
    pub sexes: usize,
    /// Yes/no answers of `[oui_non]`.
    pub yes_no: usize,
    /// Years of training (1, 2, `1re année`...).
    pub training_years: usize,
    /// Livret periods (S1, S2, annual...).
    pub periods: usize,
    /// Exam labels or codes of `[epreuves]`.
    pub exams: usize,
    /// Up to 3 distinct values, for messages.
    pub samples: Vec<String>,
}

impl ContentStats {
    /// The share of non-empty values that fit `field`, or `None` when the field's content is not
    /// checked (free text: names, classes, subjects...) or the column is empty.
    pub fn fit(&self, field: Field) -> Option<f64> {
        let hits = match field {
            Field::Candidat => self.candidate_ids,
            Field::Uai => self.uais,
            Field::DateNaissance | Field::DateEpreuve => self.dates,
            Field::Note
            | Field::NoteCorrecteur
            | Field::PointsJury
            | Field::Moyenne
            | Field::A1S1
            | Field::A1S2
            | Field::A1
            | Field::A2S1
            | Field::A2S2
            | Field::A2 => self.grades + self.statuses,
            Field::Statut => self.statuses,
            Field::Session | Field::SessionOrigine => self.years,
            Field::Sexe => self.sexes,
            Field::Avis => self.opinions,
            Field::Pix => self.yes_no,
            Field::Annee => self.training_years,
            Field::Periode => self.periods,
            Field::Epreuve => self.exams,
            _ => return None,
        };
        if self.non_empty == 0 {
            return None;
        }
        // Counts are bounded by SAMPLE_ROWS: the conversion is exact.
        Some(hits as f64 / self.non_empty as f64)
    }

    /// What the column plainly holds when it holds something the tool reads, for the warning
    /// about an ignored column: `notes`, `codes de statut`, `codes UAI`, `avis`, `dates`.
    pub fn meaning(&self) -> Option<&'static str> {
        if self.non_empty == 0 {
            return None;
        }
        let share = |n: usize| n * 10 >= self.non_empty * 8;
        if share(self.uais) {
            Some("codes UAI")
        } else if share(self.opinions) {
            Some("avis")
        } else if self.statuses * 2 >= self.non_empty && self.grades < self.statuses {
            Some("codes de statut")
        } else if share(self.grades + self.statuses)
            && self.years < self.non_empty
            && self.samples.len() >= 2
        {
            // One repeated value (a template's `0` formulas) is no column of grades.
            Some("notes")
        } else if share(self.dates) && self.grades == 0 {
            Some("dates")
        } else {
            None
        }
    }
}

/// Looks at the values of column `index` in `rows` (at most [`SAMPLE_ROWS`] non-empty values).
pub fn column_stats(rows: &[(u32, Vec<Cell>)], index: usize, profile: &Profile) -> ContentStats {
    let mut s = ContentStats::default();
    for (_, cells) in rows {
        let Some(cell) = cells.get(index) else {
            continue;
        };
        let text = cell_text(cell);
        if text.is_empty() {
            continue;
        }
        s.non_empty += 1;
        count_value(&mut s, cell, &text, profile);
        if s.samples.len() < 3 && !s.samples.contains(&text) {
            s.samples.push(text.chars().take(40).collect());
        }
        if s.non_empty >= SAMPLE_ROWS {
            break;
        }
    }
    s
}

fn count_value(s: &mut ContentStats, cell: &Cell, text: &str, profile: &Profile) {
    let status = profile.status_code(text).is_some() || profile.is_neutral_status(text);
    s.statuses += usize::from(status);
    let grade = !status
        && matches!(parse_grade(cell, profile), Ok(Some(g)) if g.note.is_some() && g.statut.is_none());
    s.grades += usize::from(grade);
    s.uais += usize::from(is_uai_shaped(text));
    let date = match cell {
        Cell::Date(_) => true,
        Cell::Text(_) => text.contains(['/', '-']) && parse_date(cell, DateOrder::DayMonth).is_ok(),
        _ => false,
    };
    s.dates += usize::from(date);
    s.candidate_ids += usize::from(is_candidate_number(text));
    s.opinions += usize::from(profile.opinion(text).is_some());
    let year = text
        .parse::<i32>()
        .is_ok_and(|y| (2000..=2099).contains(&y));
    s.years += usize::from(year);
    s.sexes += usize::from(profile.sex(text).is_some());
    s.yes_no += usize::from(profile.yes_no(text).is_some());
    s.training_years += usize::from(parse_training_year(text).is_some());
    s.periods += usize::from(parse_period(text).is_some());
    s.exams += usize::from(profile.exam_label(text).is_some());
}

/// Seven digits and a letter: the shape of a UAI, whatever its check letter.
fn is_uai_shaped(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 8 && b[..7].iter().all(u8::is_ascii_digit) && b[7].is_ascii_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(values: &[&str]) -> Vec<(u32, Vec<Cell>)> {
        values
            .iter()
            .zip(2..)
            .map(|(v, n)| (n, vec![Cell::Text((*v).into())]))
            .collect()
    }

    fn stats(values: &[&str]) -> ContentStats {
        let profile = Profile::embedded().expect("profile");
        column_stats(&rows(values), 0, &profile)
    }

    #[test]
    fn grades_and_codes_are_told_apart() {
        let s = stats(&["12,5", "ABS", "14", "", "8.25"]);
        assert_eq!((s.non_empty, s.grades, s.statuses), (4, 3, 1));
        assert_eq!(s.fit(Field::Note), Some(1.0));
        assert_eq!(s.meaning(), Some("notes"));
        let s = stats(&["ABJ", "Dispensé", "", "BEN"]);
        assert_eq!(s.meaning(), Some("codes de statut"));
        assert_eq!(s.fit(Field::Statut), Some(1.0));
    }

    #[test]
    fn uai_opinions_years_and_numbers_are_recognised() {
        assert_eq!(
            stats(&["0690105P", "0692782Z"]).meaning(),
            Some("codes UAI")
        );
        assert_eq!(
            stats(&["Très favorable", "Favorable"]).fit(Field::Avis),
            Some(1.0)
        );
        assert_eq!(
            stats(&["2021", "2022"]).fit(Field::SessionOrigine),
            Some(1.0)
        );
        let ids = stats(&["0240000001", "Nombre de candidats"]);
        assert_eq!(ids.fit(Field::Candidat), Some(0.5));
        assert_eq!(stats(&["1", "2"]).fit(Field::Annee), Some(1.0));
        assert_eq!(stats(&["DUPONT", "MARTIN"]).fit(Field::Nom), None);
    }

    #[test]
    fn samples_keep_three_distinct_values() {
        let s = stats(&["12", "12", "13", "14", "15"]);
        assert_eq!(s.samples, vec!["12", "13", "14"]);
    }
}
