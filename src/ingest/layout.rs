//! Recognises a sheet: finds the header row below any preamble, maps each header to a canonical
//! field or an exam, says which tables the sheet feeds, and finds the session and the school UAI
//! written in the preamble, the file name or the sheet name.
//!
//! Takes a [`RawSheet`] and the [`Profile`]; gives a [`Layout`], or `None` when no row looks like
//! a header (the sheet is then listed as not recognised). Reads no values below the header.

use std::path::Path;

use super::profile::Profile;
use super::read::{Cell, RawSheet};
use super::values::{cell_text, find_uai_in_text};

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 40;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A canonical field (`candidat`, `nom`, `note`...).
    Field(&'static str),
    /// An exam column of a wide layout; `known` is false for another diploma's exam code.
    Exam {
        /// The exam code (E1 ... EF2, or the national application's own code).
        code: String,
        /// Whether the code is an exam of the regulation.
        known: bool,
    },
}

/// A recognised column: its position, header text and role.
#[derive(Debug, Clone)]
pub struct Column {
    /// 0-based position in the row.
    pub index: usize,
    /// The header as written (for messages and rejets).
    pub header: String,
    /// What it holds.
    pub role: Role,
}

/// Where the session of a sheet's rows comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionSource {
    /// A `Session` column on every row.
    Column,
    /// One year for the whole sheet, and where it was read.
    Fixed(i32, &'static str),
    /// Found nowhere.
    Missing,
}

/// The recognised layout of a sheet.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Index of the header in `RawSheet::rows`.
    pub header_index: usize,
    /// The header's 1-based row number.
    pub header_row: u32,
    /// The recognised columns, left to right; the first column of a field wins over duplicates.
    pub columns: Vec<Column>,
    /// Headers that name nothing known (kept out, listed in the summary).
    pub ignored: Vec<String>,
    /// Where the session comes from.
    pub session: SessionSource,
    /// A UAI written in the preamble (the national application's `NAME (UAI)`), with its row.
    pub preamble_uai: Option<(String, u32)>,
}

impl Layout {
    /// The column of a canonical field, if present.
    pub fn field(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.role == Role::Field(field_ref(name)))
    }

    /// True when the field has a column.
    pub fn has(&self, name: &str) -> bool {
        self.field(name).is_some()
    }

    /// The exam columns of a wide layout.
    pub fn exams(&self) -> impl Iterator<Item = &Column> {
        self.columns
            .iter()
            .filter(|c| matches!(c.role, Role::Exam { .. }))
    }

    /// True for one row per grade (`Epreuve` and `Note` columns).
    pub fn is_long_notes(&self) -> bool {
        self.has("epreuve") && self.has("note")
    }

    /// True for livret semester averages.
    pub fn is_livret(&self) -> bool {
        self.has("matiere") && ["a1s1", "a1s2", "a2s1", "a2s2"].iter().any(|f| self.has(f))
    }

    /// True for the livret opinion and PIX.
    pub fn is_avis(&self) -> bool {
        self.has("avis") || self.has("pix")
    }

    /// True for grid levels (one row per candidate and question).
    pub fn is_grille(&self) -> bool {
        self.has("question") && self.has("niveau")
    }

    /// True for each corrector's own mark (one row per corrector).
    pub fn is_correcteurs(&self) -> bool {
        self.has("note_correcteur") && self.has("examinateur")
    }

    /// True for sovereign jury decisions (points added or a decision).
    pub fn is_jury(&self) -> bool {
        self.has("points_jury") || self.has("decision")
    }

    /// A short name of what the sheet holds, stored in `sources.gabarit`.
    pub fn kind(&self) -> String {
        let mut parts = Vec::new();
        if self.is_long_notes() {
            parts.push("notes-longues");
        } else if self.exams().next().is_some() {
            parts.push("notes-larges");
        }
        if self.is_livret() {
            parts.push("livret");
        }
        if self.is_avis() {
            parts.push("avis");
        }
        if self.is_jury() {
            parts.push("decisions-jury");
        }
        if self.is_grille() {
            parts.push("grilles");
        }
        if self.is_correcteurs() {
            parts.push("notes-correcteurs");
        }
        if parts.is_empty() {
            parts.push("candidats");
        }
        parts.join("+")
    }
}

/// The `&'static str` of a canonical field name (fields are compared by value).
fn field_ref(name: &str) -> &'static str {
    super::profile::FIELDS
        .iter()
        .find(|f| **f == name)
        .copied()
        .unwrap_or("")
}

/// Finds the header row and maps the columns; `None` when no row has a candidate-number column
/// and at least one other known column.
pub fn find_layout(sheet: &RawSheet, profile: &Profile, file: &Path) -> Option<Layout> {
    let (header_index, columns, ignored) = sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .filter_map(|(i, (_, cells))| {
            let (columns, ignored) = map_columns(cells, profile);
            let has_candidate = columns.iter().any(|c| c.role == Role::Field("candidat"));
            (has_candidate && columns.len() >= 2).then_some((i, columns, ignored))
        })
        .max_by_key(|(i, columns, _)| (columns.len(), std::cmp::Reverse(*i)))?;
    let header_row = sheet.rows.get(header_index).map(|(n, _)| *n)?;
    let preamble: Vec<(u32, String)> = sheet.rows[..header_index]
        .iter()
        .flat_map(|(n, cells)| cells.iter().map(move |c| (*n, cell_text(c))))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let has_session_column = columns.iter().any(|c| c.role == Role::Field("session"));
    let session = if has_session_column {
        SessionSource::Column
    } else {
        find_session(&preamble, file, sheet.name.as_deref())
    };
    let preamble_uai = preamble
        .iter()
        .find_map(|(n, t)| find_uai_in_text(t).map(|u| (u, *n)));
    Some(Layout {
        header_index,
        header_row,
        columns,
        ignored,
        session,
        preamble_uai,
    })
}

fn map_columns(cells: &[Cell], profile: &Profile) -> (Vec<Column>, Vec<String>) {
    let mut columns: Vec<Column> = Vec::new();
    let mut ignored = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        let Cell::Text(raw) = cell else { continue };
        let header = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if header.is_empty() {
            continue;
        }
        let role = if let Some(field) = profile.field(&header) {
            if columns.iter().any(|c| c.role == Role::Field(field)) {
                // A duplicated header (the national application repeats "Division de classe"):
                // the first column is read.
                ignored.push(header);
                continue;
            }
            Role::Field(field)
        } else if let Some((code, known)) = profile.exam(&header) {
            Role::Exam { code, known }
        } else {
            ignored.push(header);
            continue;
        };
        columns.push(Column {
            index,
            header,
            role,
        });
    }
    (columns, ignored)
}

/// The first plausible year (2000–2099) in the preamble, then the file name, then the sheet name.
fn find_session(preamble: &[(u32, String)], file: &Path, sheet: Option<&str>) -> SessionSource {
    if let Some(y) = preamble.iter().find_map(|(_, t)| find_year(t)) {
        return SessionSource::Fixed(y, "préambule");
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(y) = find_year(&stem) {
        return SessionSource::Fixed(y, "nom du fichier");
    }
    if let Some(y) = sheet.and_then(find_year) {
        return SessionSource::Fixed(y, "nom de la feuille");
    }
    SessionSource::Missing
}

/// A standalone 4-digit year 2000–2099 in a text (`Session 2024`, `notes_bac_2024`).
pub fn find_year(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|tok| tok.len() == 4)
        .filter_map(|tok| tok.parse::<i32>().ok())
        .find(|y| (2000..=2099).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_row(n: u32, cells: &[&str]) -> (u32, Vec<Cell>) {
        let cells = cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text((*c).into())
                }
            })
            .collect();
        (n, cells)
    }

    #[test]
    fn header_is_found_below_the_national_preamble() {
        let sheet = RawSheet {
            name: None,
            rows: vec![
                text_row(1, &["2023 ", "", ""]),
                text_row(2, &["Listes simples", "", ""]),
                text_row(3, &["LYC TEST – VILLEFICTIVE  (0921234A)", "", ""]),
                text_row(4, &["Critères de tris : Nom et prénom, Date de naissance"]),
                text_row(
                    5,
                    &[
                        "Division de classe",
                        "N° Candidat",
                        "Nom de famille",
                        "Division de classe",
                    ],
                ),
                text_row(6, &["'TMA'", "2011557741", "ALLARD", "'TMA'"]),
            ],
            rejets: Vec::new(),
        };
        let profile = Profile::embedded().expect("profile");
        let layout = find_layout(&sheet, &profile, Path::new("cyclade1.csv")).expect("layout");
        assert_eq!(layout.header_row, 5);
        assert_eq!(layout.columns.len(), 3);
        assert_eq!(layout.ignored, vec!["Division de classe".to_string()]);
        assert_eq!(layout.session, SessionSource::Fixed(2023, "préambule"));
        assert_eq!(layout.preamble_uai, Some(("0921234A".into(), 3)));
        assert_eq!(layout.kind(), "candidats");
    }

    #[test]
    fn session_falls_back_to_the_file_name() {
        assert_eq!(
            find_session(&[], Path::new("raw/notes_bac_2024.csv"), None),
            SessionSource::Fixed(2024, "nom du fichier")
        );
        assert_eq!(find_year("Extraire_Notes_100720241021"), None);
    }

    #[test]
    fn a_sheet_without_candidate_numbers_is_not_recognised() {
        let sheet = RawSheet {
            name: Some("Légende".into()),
            rows: vec![text_row(1, &["ABS : absent", "NV : non valide"])],
            rejets: Vec::new(),
        };
        let profile = Profile::embedded().expect("profile");
        assert!(find_layout(&sheet, &profile, Path::new("notes.xlsx")).is_none());
    }
}
