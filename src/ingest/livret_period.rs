//! Years of training and periods of the livret scolaire, as exports write them: `1re année`,
//! `Année 2`, `BTS1`; `S1`, `2e semestre`, `S3` (the cursus' third semester), `Annuel`.
//!
//! Used for the values of a long livret (one row per student, year, period and subject) and for
//! the headers of a wide one (`Moyenne S1 1re année`, `Moyenne annuelle 1re année`).

use super::field::Field;
use super::profile::normalize_label;

/// A period of a year of training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Periode {
    /// Semester 1 or 2 of the year.
    Semestre(u8),
    /// The whole year: one annual average.
    Annuelle,
}

/// A period, with the year of training when the text says it (`S3` is year 2, semester 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The year of training (1 or 2), if the text gives it.
    pub annee: Option<u8>,
    /// The semester or the whole year.
    pub periode: Periode,
}

fn tokens(text: &str) -> Vec<String> {
    normalize_label(text)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// `1` or `2` written with an ordinal suffix: `1re`, `1ere`, `1er`, `2e`, `2eme`, `2nde`, `2de`.
fn ordinal(token: &str) -> Option<u8> {
    let (digit, suffix) = token.split_at_checked(1)?;
    let n = match digit {
        "1" => 1,
        "2" => 2,
        _ => return None,
    };
    let ok = match n {
        1 => matches!(suffix, "re" | "ere" | "er" | "e"),
        _ => matches!(suffix, "e" | "eme" | "nde" | "nd" | "de" | "d"),
    };
    ok.then_some(n)
}

fn word_number(token: &str) -> Option<u8> {
    match token {
        "premiere" | "premier" => Some(1),
        "deuxieme" | "seconde" | "second" => Some(2),
        _ => None,
    }
}

fn digit(token: &str) -> Option<u8> {
    match token {
        "1" => Some(1),
        "2" => Some(2),
        _ => None,
    }
}

/// The year of training a text names: `1`, `2`, `1re année`, `Année 2`, `deuxième année`, `A1`,
/// `BTS2`, `NDRC 1`.
pub fn parse_training_year(text: &str) -> Option<u8> {
    let t = tokens(text);
    if let [only] = t.as_slice() {
        if let Some(n) = digit(only).or_else(|| ordinal(only)) {
            return Some(n);
        }
    }
    year_in_tokens(&t)
}

fn year_in_tokens(t: &[String]) -> Option<u8> {
    for (i, tok) in t.iter().enumerate() {
        let next = t.get(i + 1).map(String::as_str);
        let prev = i.checked_sub(1).and_then(|j| t.get(j)).map(String::as_str);
        match tok.as_str() {
            "a1" => return Some(1),
            "a2" => return Some(2),
            "bts1" | "ndrc1" | "1a" => return Some(1),
            "bts2" | "ndrc2" | "2a" => return Some(2),
            "annee" => {
                if let Some(n) = next.and_then(digit) {
                    return Some(n);
                }
                if let Some(n) = prev.and_then(|p| ordinal(p).or_else(|| word_number(p))) {
                    return Some(n);
                }
            }
            "bts" | "ndrc" => {
                if let Some(n) = next.and_then(digit) {
                    return Some(n);
                }
            }
            _ => {}
        }
    }
    None
}

/// The period a text names: `S1`, `Semestre 2`, `1er semestre`, `second semestre`, `S3`,
/// `Annuel`, `Année`, `Moyenne annuelle`.
pub fn parse_period(text: &str) -> Option<Period> {
    let t = tokens(text);
    let annee = year_in_tokens(&t);
    for (i, tok) in t.iter().enumerate() {
        let next = t.get(i + 1).map(String::as_str);
        let prev = i.checked_sub(1).and_then(|j| t.get(j)).map(String::as_str);
        let semestre = |n: u8| Period {
            annee,
            periode: Periode::Semestre(n),
        };
        match tok.as_str() {
            "s1" | "sem1" | "semestre1" => return Some(semestre(1)),
            "s2" | "sem2" | "semestre2" => return Some(semestre(2)),
            // The cursus numbers its four semesters: S3 and S4 are the second year's.
            "s3" | "s4" => {
                return Some(Period {
                    annee: Some(2),
                    periode: Periode::Semestre(if tok == "s3" { 1 } else { 2 }),
                })
            }
            "semestre" | "sem" => {
                let n = next
                    .and_then(digit)
                    .or_else(|| prev.and_then(|p| ordinal(p).or_else(|| word_number(p))));
                if let Some(n) = n {
                    return Some(semestre(n));
                }
            }
            "annuel" | "annuelle" | "annuelles" | "annuels" => {
                return Some(Period {
                    annee,
                    periode: Periode::Annuelle,
                })
            }
            _ => {}
        }
    }
    // `Moyenne de l'année`: the year's average.
    if t.windows(2).any(|w| w[0] == "l" && w[1] == "annee") {
        return Some(Period {
            annee,
            periode: Periode::Annuelle,
        });
    }
    // `Année` alone in a period column is the whole year.
    if t.len() == 1 && (t[0] == "annee" || t[0] == "an") {
        return Some(Period {
            annee: None,
            periode: Periode::Annuelle,
        });
    }
    None
}

/// The wide-livret field a header names when it gives both a year and a period
/// (`Moyenne S1 1re année` → `a1s1`, `Moyenne annuelle 1re année` → `a1`, `S4` → `a2s2`).
pub fn livret_field(header: &str) -> Option<Field> {
    let p = parse_period(header)?;
    Some(match (p.annee?, p.periode) {
        (1, Periode::Semestre(1)) => Field::A1S1,
        (1, Periode::Semestre(_)) => Field::A1S2,
        (1, Periode::Annuelle) => Field::A1,
        (_, Periode::Semestre(1)) => Field::A2S1,
        (_, Periode::Semestre(_)) => Field::A2S2,
        (_, Periode::Annuelle) => Field::A2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_of_training_in_their_spellings() {
        for (t, y) in [
            ("1", 1),
            ("2", 2),
            ("1re année", 1),
            ("1ère année", 1),
            ("Année 2", 2),
            ("deuxième année", 2),
            ("2nde année", 2),
            ("BTS1", 1),
            ("NDRC 2", 2),
        ] {
            assert_eq!(parse_training_year(t), Some(y), "{t}");
        }
        assert_eq!(parse_training_year("2024"), None);
        assert_eq!(parse_training_year("Année"), None);
    }

    #[test]
    fn periods_in_their_spellings() {
        let sem = |annee, n| {
            Some(Period {
                annee,
                periode: Periode::Semestre(n),
            })
        };
        assert_eq!(parse_period("S1"), sem(None, 1));
        assert_eq!(parse_period("Semestre 2"), sem(None, 2));
        assert_eq!(parse_period("1er semestre"), sem(None, 1));
        assert_eq!(parse_period("second semestre"), sem(None, 2));
        assert_eq!(parse_period("S3"), sem(Some(2), 1));
        assert_eq!(
            parse_period("Annuel"),
            Some(Period {
                annee: None,
                periode: Periode::Annuelle
            })
        );
        assert_eq!(parse_period("Sem2"), sem(None, 2));
        assert_eq!(parse_period("Trimestre 1"), None);
    }

    #[test]
    fn wide_livret_headers_name_their_year_and_period() {
        assert_eq!(livret_field("Moyenne S1 1re année"), Some(Field::A1S1));
        assert_eq!(livret_field("2e année - semestre 2"), Some(Field::A2S2));
        assert_eq!(livret_field("Moyenne annuelle 1re année"), Some(Field::A1));
        assert_eq!(livret_field("S4"), Some(Field::A2S2));
        assert_eq!(
            livret_field("Année 1 (moyenne de l'année)"),
            Some(Field::A1)
        );
        assert_eq!(
            livret_field("2e année de BTS 2nd semestre"),
            Some(Field::A2S2)
        );
        assert_eq!(livret_field("S1"), None);
        assert_eq!(livret_field("Semestre"), None);
    }
}
