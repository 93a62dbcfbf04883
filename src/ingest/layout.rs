//! Recognises a sheet: finds the header row below any preamble, maps each header to a canonical
//! field or an exam, says which tables the sheet feeds, and finds the session and the school UAI
//! written in the preamble, the file name or the sheet name.
//!
//! Takes a [`RawSheet`] and the [`Profile`]; gives a [`Layout`], or `None` when no row looks like
//! a header (the sheet is then listed as not recognised). Reads no values below the header.

use std::path::Path;

use super::field::Field;
use super::profile::Profile;
use super::read::{Cell, RawSheet};
use super::recognize::{map_columns, Depth, IgnoredColumn, Mapping};
use super::values::{cell_text, find_uai_in_text};

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 40;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A canonical field (`candidat`, `nom`, `note`...).
    Field(Field),
    /// An exam column of a wide layout; `known` is false for another diploma's exam code.
    Exam {
        /// The exam code (E1 ... EF2, or the national application's own code).
        code: String,
        /// Whether the code is an exam of the regulation.
        known: bool,
    },
}

/// How a column was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Its header is an exact alias of the profile.
    Alias,
    /// Its header's words name the field (`[mots]`).
    Mots,
    /// Its content settled what its header left open, or named it alone.
    Contenu,
}

impl Reason {
    /// The French word shown by `check`.
    pub fn label(self) -> &'static str {
        match self {
            Reason::Alias => "alias",
            Reason::Mots => "mots",
            Reason::Contenu => "contenu",
        }
    }
}

/// A recognised column: its position, header text, role and how it was recognised.
#[derive(Debug, Clone)]
pub struct Column {
    /// 0-based position in the row.
    pub index: usize,
    /// The header as written (for messages and rejets); `group – label` for a two-row header.
    pub header: String,
    /// What it holds.
    pub role: Role,
    /// Why.
    pub reason: Reason,
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
    /// Non-empty headers not mapped, with why and what their column holds.
    pub ignored: Vec<IgnoredColumn>,
    /// The group row read with the header row (a header split over two merged rows), 1-based.
    pub group_row: Option<u32>,
    /// Where the session comes from.
    pub session: SessionSource,
    /// A UAI written in the preamble (the national application's `NAME (UAI)`), with its row.
    pub preamble_uai: Option<(String, u32)>,
}

impl Layout {
    /// The column of a canonical field, if present.
    pub fn field(&self, field: Field) -> Option<&Column> {
        self.columns.iter().find(|c| c.role == Role::Field(field))
    }

    /// True when the field has a column.
    pub fn has(&self, field: Field) -> bool {
        self.field(field).is_some()
    }

    /// The exam columns of a wide layout.
    pub fn exams(&self) -> impl Iterator<Item = &Column> {
        self.columns
            .iter()
            .filter(|c| matches!(c.role, Role::Exam { .. }))
    }

    /// True for one row per grade (`Epreuve` and `Note` or status columns).
    pub fn is_long_notes(&self) -> bool {
        self.has(Field::Epreuve) && (self.has(Field::Note) || self.has(Field::Statut))
    }

    /// True for livret averages in wide form (one row per student and subject, one column per
    /// semester or year).
    pub fn is_livret(&self) -> bool {
        self.has(Field::Matiere) && LIVRET_COLUMNS.iter().any(|(f, _)| self.has(*f))
    }

    /// True for livret averages in long form (one row per student, year, period and subject).
    pub fn is_livret_long(&self) -> bool {
        self.has(Field::Matiere)
            && self.has(Field::Moyenne)
            && (self.has(Field::Annee) || self.has(Field::Periode))
            && !self.is_livret()
    }

    /// True for the livret opinion and PIX.
    pub fn is_avis(&self) -> bool {
        self.has(Field::Avis) || self.has(Field::Pix)
    }

    /// True for grid levels (one row per candidate and question).
    pub fn is_grille(&self) -> bool {
        self.has(Field::Question) && self.has(Field::Niveau)
    }

    /// True for each corrector's own mark (one row per corrector).
    pub fn is_correcteurs(&self) -> bool {
        self.has(Field::NoteCorrecteur) && self.has(Field::Examinateur)
    }

    /// True for sovereign jury decisions (points added or a decision).
    pub fn is_jury(&self) -> bool {
        self.has(Field::PointsJury) || self.has(Field::Decision)
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
        if self.is_livret_long() {
            parts.push("livret-long");
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

/// The wide livret's columns: (field, (year, semester)); semester 0 is the annual average.
pub const LIVRET_COLUMNS: [(Field, (u8, u8)); 6] = [
    (Field::A1S1, (1, 1)),
    (Field::A1S2, (1, 2)),
    (Field::A1, (1, 0)),
    (Field::A2S1, (2, 1)),
    (Field::A2S2, (2, 2)),
    (Field::A2, (2, 0)),
];

/// Finds the header row and maps the columns; `None` when no row has a candidate-number column
/// and at least one other known column. A row just above the header that groups its columns
/// (merged cells such as `Identité` over `Nom`, `Prénom`) is read with it.
pub fn find_layout(sheet: &RawSheet, profile: &Profile, file: &Path) -> Option<Layout> {
    let rows = &sheet.rows;
    let (header_index, group_index, _) = (0..rows.len().min(HEADER_SEARCH_ROWS))
        .filter_map(|i| {
            let (_, label) = &rows[i];
            // A row holding a candidate number is a candidate's row, never a header (a first row
            // split into one cell more than the header would otherwise make the header its group
            // row, and the candidate would vanish).
            if label.iter().any(|c| is_number_of_candidate(&cell_text(c))) {
                return None;
            }
            let data = rows.get(i + 1..).unwrap_or_default();
            let group_index = group_row_above(rows, i);
            let group = group_index.map(|g| rows[g].1.as_slice());
            let mapping = map_columns(label, group, data, profile, Depth::Survey);
            let usable = mapping.has(Field::Candidat) && mapping.columns.len() >= 2;
            usable.then_some((i, group_index, mapping.columns.len()))
        })
        .max_by_key(|(i, _, n)| (*n, std::cmp::Reverse(*i)))?;
    let group = group_index.map(|g| rows[g].1.as_slice());
    let data = rows.get(header_index + 1..).unwrap_or_default();
    let Mapping { columns, ignored } =
        map_columns(&rows[header_index].1, group, data, profile, Depth::Full);
    let header_row = rows.get(header_index).map(|(n, _)| *n)?;
    let preamble_end = group_index.unwrap_or(header_index);
    let preamble: Vec<(u32, String)> = rows[..preamble_end]
        .iter()
        .flat_map(|(n, cells)| cells.iter().map(move |c| (*n, cell_text(c))))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let has_session_column = columns
        .iter()
        .any(|c| c.role == Role::Field(Field::Session));
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
        group_row: group_index.and_then(|g| rows.get(g)).map(|(n, _)| *n),
        session,
        preamble_uai,
    })
}

/// A number of the national application (6 digits or more, nothing else): never a header's
/// text.
fn is_number_of_candidate(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 6 && t.bytes().all(|b| b.is_ascii_digit())
}

/// The row just above row `i` when it is a group row: on the line right above, with at least two
/// text cells but fewer than the label row (a title spans one cell; a group row names groups).
fn group_row_above(rows: &[(u32, Vec<Cell>)], i: usize) -> Option<usize> {
    let g = i.checked_sub(1)?;
    let (above_n, above) = rows.get(g)?;
    let (n, label) = rows.get(i)?;
    let texts = |cells: &[Cell]| {
        cells
            .iter()
            .filter(|c| matches!(c, Cell::Text(t) if !t.trim().is_empty()))
            .count()
    };
    let (a, l) = (texts(above), texts(label));
    (above_n + 1 == *n && a >= 2 && a < l).then_some(g)
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
            later: None,
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
        let ignored: Vec<&str> = layout.ignored.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(ignored, vec!["Division de classe"]);
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
            later: None,
            name: Some("Légende".into()),
            rows: vec![text_row(1, &["ABS : absent", "NV : non valide"])],
            rejets: Vec::new(),
        };
        let profile = Profile::embedded().expect("profile");
        assert!(find_layout(&sheet, &profile, Path::new("notes.xlsx")).is_none());
    }
}
