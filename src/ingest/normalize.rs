//! Normalises the rows of a recognised sheet into the canonical tables: identity values of
//! candidates, grades (wide layouts turned long), livret averages, opinions; and rejets.
//!
//! Takes a [`RawSheet`], its [`Layout`] and the [`Profile`]; appends to [`Batches`] and calls
//! `flush` every [`FLUSH_ROWS`] values so that memory stays bounded. A bad value never stops
//! the sheet: it becomes a rejet with its row and column, and the rest of the row is kept.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::FixedState;

use super::batches::{Batches, NoteRow};
use super::field::Field;
use super::layout::{Column, Layout, Role, SessionSource};
use super::profile::Profile;
use super::read::{Cell, RawSheet};
use super::rejet::Motif;
use super::values::{
    cell_text, cell_text_ref, clean_text, guess_date_order, is_candidate_number, parse_date,
    parse_grade_on, parse_uai, scale_in_header, DateOrder, GradeValue,
};
use crate::error::Result;

mod livret;
mod memo;
mod records;

/// Values buffered before the builders are handed to the store.
pub const FLUSH_ROWS: usize = 65_536;

/// Identity fields copied to `candidats_valeurs`, in this order.
const IDENTITY: &[Field] = &[
    Field::Ine,
    Field::Nom,
    Field::Prenom,
    Field::DateNaissance,
    Field::Sexe,
    Field::Voie,
    Field::Academie,
    Field::Uai,
    Field::Classe,
    Field::Specialite,
];

/// What a sheet gave.
#[derive(Debug, Default, Clone)]
pub struct SheetCounts {
    /// Data rows below the header.
    pub lignes_lues: u32,
    /// Rows with at least one accepted value.
    pub lignes_acceptees: u32,
    /// Rows with nothing accepted.
    pub lignes_rejetees: u32,
    /// Rejets written (cells, rows, preamble).
    pub rejets: u32,
    /// Exam codes read that are not exams of the regulation (kept under their own code).
    pub epreuves_hors_reglement: BTreeSet<String>,
}

/// The fixed inputs of one sheet.
pub struct SheetContext<'a> {
    /// Spellings.
    pub profile: &'a Profile,
    /// A session forced by the user (`--session`).
    pub session_override: Option<i32>,
    /// Told every [`PROGRESS_ROWS`] rows how many rows were just read (a progress bar).
    pub on_rows: Option<&'a (dyn Fn(u32) + Sync)>,
}

/// Rows between two progress reports.
pub const PROGRESS_ROWS: u32 = 4096;

/// Counts of one row.
#[derive(Default)]
pub(super) struct RowTally {
    pub(super) accepted: u32,
    pub(super) rejected: u32,
}

impl RowTally {
    /// Writes a rejet of this row and counts it.
    pub(super) fn reject(
        &mut self,
        b: &mut Batches,
        ligne: u32,
        colonne: &str,
        valeur: &str,
        motif: &Motif,
    ) {
        b.push_rejet(ligne, colonne, valeur, motif);
        self.rejected += 1;
    }
}

/// Normalises every data row of a sheet, chunk by chunk for a big CSV.
///
/// # Errors
/// What `flush` returns (a store failure), or [`crate::error::Error::Unreadable`] when a later
/// chunk of a big CSV cannot be split.
pub fn normalize_sheet(
    sheet: &RawSheet,
    layout: &Layout,
    ctx: &SheetContext<'_>,
    batches: &mut Batches,
    flush: &mut dyn FnMut(&mut Batches) -> Result<()>,
) -> Result<SheetCounts> {
    let mut counts = SheetCounts::default();
    // A big CSV comes in chunks (`RawSheet::later`): the first one is in memory now, and it is
    // what decides the order of day and month in date columns.
    let first = sheet
        .rows
        .get(layout.header_index + 1..)
        .unwrap_or_default();
    let total = sheet.row_count().saturating_sub(layout.header_index + 1);
    let fixed_session = match (ctx.session_override, &layout.session) {
        (Some(y), _) => Some(y),
        (None, SessionSource::Fixed(y, _)) => Some(*y),
        _ => None,
    };
    if fixed_session.is_none() && layout.session == SessionSource::Missing && total > 0 {
        batches.push_rejet(
            layout.header_row,
            "*",
            &format!("{total} lignes"),
            &Motif::SessionIntrouvable,
        );
        counts.rejets += 1;
        counts.lignes_lues = u32::try_from(total).unwrap_or(u32::MAX);
        counts.lignes_rejetees = counts.lignes_lues;
        return Ok(counts);
    }
    let preamble_uai = check_preamble_uai(layout, batches, &mut counts);
    let walker = RowWalker {
        layout,
        profile: ctx.profile,
        fixed_session,
        preamble_uai,
        birth_order: column_date_order(first, layout.field(Field::DateNaissance)),
        exam_date_order: column_date_order(first, layout.field(Field::DateEpreuve)),
        memos: memo::Memos::new(),
        identity_seen: RefCell::new(vec![None; IDENTITY.len()]),
    };
    for c in layout.exams() {
        if let Role::Exam { code, known: false } = &c.role {
            counts.epreuves_hors_reglement.insert(code.clone());
        }
    }
    // Sized for every row at once: a national file's 2 M rows would otherwise rehash it often.
    let mut seen: HashMap<u64, u32, FixedState> =
        HashMap::with_capacity_and_hasher(total, FixedState::default());
    // A CSV line with a value past the header's last column was split on a separator inside a
    // field (a quote after a space is not a quote): its cells are shifted, none can be trusted.
    let header_width = sheet
        .rows
        .get(layout.header_index)
        .map_or(usize::MAX, |(_, cells)| {
            cells
                .iter()
                .rposition(|c| !c.is_blank())
                .map_or(0, |i| i + 1)
        });
    let csv = sheet.name.is_none();
    sheet.for_each_chunk(layout.header_index + 1, &mut |rows| {
        for (number, cells) in rows {
            counts.lignes_lues += 1;
            if counts.lignes_lues % PROGRESS_ROWS == 0 {
                if let Some(tell) = ctx.on_rows {
                    tell(PROGRESS_ROWS);
                }
            }
            if csv && cells.iter().skip(header_width).any(|c| !c.is_blank()) {
                let motif = Motif::LigneIllisible {
                    raison: "plus de champs que d'en-têtes : un séparateur dans un champ sans \
                             guillemets, ou un guillemet après une espace",
                };
                batches.push_rejet(*number, "*", &row_summary(cells), &motif);
                counts.rejets += 1;
                counts.lignes_rejetees += 1;
                continue;
            }
            // Only a row with a candidate number can repeat a candidate's row: a template or
            // summary row is rejected for what it is (no number, summary), however often it
            // recurs.
            let key = row_hash(cells);
            let candidat = walker.candidate_cell(cells);
            let repeated = candidat
                .as_deref()
                .filter(|c| is_candidate_number(c))
                .and_then(|_| seen.get(&key));
            let tally = if let Some(first) = repeated {
                let motif = Motif::LigneEnDouble { premiere: *first };
                batches.push_rejet(*number, "*", &row_summary(cells), &motif);
                RowTally {
                    accepted: 0,
                    rejected: 1,
                }
            } else {
                seen.insert(key, *number);
                walker.row(*number, candidat, cells, batches)
            };
            counts.rejets += tally.rejected;
            if tally.accepted > 0 {
                counts.lignes_acceptees += 1;
            } else if tally.rejected > 0 {
                counts.lignes_rejetees += 1;
            }
            if batches.pending >= FLUSH_ROWS {
                flush(batches)?;
            }
        }
        Ok(())
    })?;
    Ok(counts)
}

/// The preamble's school code, if valid; a bad one is rejected once for the sheet.
fn check_preamble_uai(
    layout: &Layout,
    batches: &mut Batches,
    counts: &mut SheetCounts,
) -> Option<String> {
    let (uai, row) = layout.preamble_uai.as_ref()?;
    match parse_uai(uai) {
        Ok(u) => Some(u),
        Err(motif) => {
            batches.push_rejet(*row, "préambule (établissement)", uai, &motif);
            counts.rejets += 1;
            None
        }
    }
}

fn column_date_order(data: &[(u32, Vec<Cell>)], column: Option<&Column>) -> DateOrder {
    let Some(col) = column else {
        return DateOrder::DayMonth;
    };
    guess_date_order(
        data.iter()
            .filter_map(|(_, cells)| match cells.get(col.index) {
                Some(Cell::Text(t)) => Some(t.as_str()),
                _ => None,
            }),
    )
}

fn row_hash(cells: &[Cell]) -> u64 {
    let mut h = FixedState::default().build_hasher();
    let last = cells
        .iter()
        .rposition(|c| !c.is_blank())
        .map_or(0, |i| i + 1);
    for c in &cells[..last] {
        cell_text_ref(c).hash(&mut h);
    }
    h.finish()
}

/// When a candidate cell holds a whole line cut by another separator than the file's (a
/// candidate number, then at least two more fields), what is wrong with it, in French.
fn other_separator(cell: &str) -> Option<&'static str> {
    [
        (',', "séparateur « , » au lieu de celui du reste du fichier"),
        (';', "séparateur « ; » au lieu de celui du reste du fichier"),
        ('|', "séparateur « | » au lieu de celui du reste du fichier"),
        // A tabulation is read as a space.
        (
            ' ',
            "séparateur tabulation ou espaces au lieu de celui du reste du fichier",
        ),
    ]
    .into_iter()
    .find(|(sep, _)| {
        let mut parts = cell.split(*sep);
        parts
            .next()
            .is_some_and(|first| is_candidate_number(first.trim().trim_matches('"')))
            && parts.count() >= 2
    })
    .map(|(_, raison)| raison)
}

/// The first non-empty values of a row, for a rejet of the whole row.
fn row_summary(cells: &[Cell]) -> String {
    cells
        .iter()
        .map(cell_text)
        .filter(|t| !t.is_empty())
        .take(4)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Reads the rows of one sheet.
pub(super) struct RowWalker<'a> {
    layout: &'a Layout,
    profile: &'a Profile,
    fixed_session: Option<i32>,
    preamble_uai: Option<String>,
    birth_order: DateOrder,
    exam_date_order: DateOrder,
    memos: memo::Memos,
    /// Per identity field, the last text read and what it gave: a long layout repeats a
    /// candidate's identity on each of their rows, and the same text gives the same answer.
    identity_seen: RefCell<Vec<Option<IdentitySeen>>>,
}

/// An identity cell's text and what it gave: the value, and the category for a route.
#[derive(Clone)]
struct IdentitySeen {
    kind: std::mem::Discriminant<Cell>,
    raw: String,
    value: std::result::Result<(String, Option<String>), Motif>,
    /// The generation of `Batches`' remembered candidate in which this value (and category) was
    /// said to be the candidate's first: pushing it again for the same candidate would add
    /// nothing, so a long layout's repeated identity is not pushed row after row.
    first_in: Option<u64>,
}

impl RowWalker<'_> {
    pub(super) fn cell<'c>(&self, cells: &'c [Cell], field: Field) -> Option<(&'c Cell, &Column)> {
        let col = self.layout.field(field)?;
        Some((cells.get(col.index).unwrap_or(&Cell::Empty), col))
    }

    pub(super) fn text(&self, cells: &[Cell], field: Field) -> Option<String> {
        self.text_ref(cells, field).map(Cow::into_owned)
    }

    /// [`RowWalker::text`] without a copy when the cell needs no cleaning.
    pub(super) fn text_ref<'c>(&self, cells: &'c [Cell], field: Field) -> Option<Cow<'c, str>> {
        self.cell(cells, field)
            .map(|(c, _)| cell_text_ref(c))
            .filter(|t| !t.is_empty())
    }

    /// The candidate cell's text, unless empty or made of zeros (what an empty template's
    /// formulas show).
    fn candidate_cell<'c>(&self, cells: &'c [Cell]) -> Option<Cow<'c, str>> {
        self.text_ref(cells, Field::Candidat)
            .filter(|c| !c.chars().all(|ch| ch == '0'))
    }

    /// Normalises one row, whose candidate cell (see [`RowWalker::candidate_cell`]) is
    /// `candidat`.
    fn row(
        &self,
        number: u32,
        candidat: Option<Cow<'_, str>>,
        cells: &[Cell],
        b: &mut Batches,
    ) -> RowTally {
        let mut tally = RowTally::default();
        let header = self
            .layout
            .field(Field::Candidat)
            .map_or("*", |c| c.header.as_str());
        let Some(candidat) = candidat else {
            // A label where the names go, with neither number nor family name, is a summary row
            // (`Moyenne des notes`, `Note la plus haute`) rather than a candidate without number.
            let motif = if self.is_label_row(cells) {
                Motif::LigneDeSynthese
            } else {
                Motif::CandidatManquant
            };
            tally.reject(b, number, header, &row_summary(cells), &motif);
            return tally;
        };
        // Summary, total and signature rows under a table carry a label where the number goes;
        // a candidate's line written with another separator than the file's carries the whole
        // line there.
        if !is_candidate_number(&candidat) {
            let motif = other_separator(&candidat).map_or(Motif::LigneDeSynthese, |raison| {
                Motif::LigneIllisible { raison }
            });
            tally.reject(b, number, header, &row_summary(cells), &motif);
            return tally;
        }
        let session = match self.session(cells) {
            Ok(s) => s,
            Err((valeur, motif)) => {
                tally.reject(b, number, "Session", &valeur, &motif);
                return tally;
            }
        };
        let id = RowId {
            session,
            candidat: &candidat,
            number,
        };
        self.identity(&id, cells, b, &mut tally);
        if self.layout.is_long_notes() {
            self.long_note(&id, cells, b, &mut tally);
        } else {
            self.wide_notes(&id, cells, b, &mut tally);
        }
        if self.layout.is_livret() {
            self.livret(&id, cells, b, &mut tally);
        }
        if self.layout.is_livret_long() {
            self.livret_long(&id, cells, b, &mut tally);
        }
        if self.layout.is_avis() {
            self.avis(&id, cells, b, &mut tally);
        }
        if self.layout.is_jury() {
            self.jury(&id, cells, b, &mut tally);
        }
        if self.layout.is_grille() {
            self.grille(&id, cells, b, &mut tally);
        }
        if self.layout.is_correcteurs() {
            self.correcteur(&id, cells, b, &mut tally);
        }
        tally
    }

    /// True for a row without candidate number nor family name whose first text is a label of
    /// several words, more letters than digits (`Moyenne des notes`, `Fait à Lyon, le 04/07/2024`).
    fn is_label_row(&self, cells: &[Cell]) -> bool {
        if self.text(cells, Field::Nom).is_some() {
            return false;
        }
        cells
            .iter()
            .find_map(|c| match c {
                Cell::Text(t) if !t.trim().is_empty() => Some(t.trim()),
                _ => None,
            })
            .is_some_and(|t| {
                let letters = t.chars().filter(|c| c.is_alphabetic()).count();
                let digits = t.chars().filter(char::is_ascii_digit).count();
                t.split_whitespace().count() >= 2 && letters > digits
            })
    }

    fn session(&self, cells: &[Cell]) -> std::result::Result<i32, (String, Motif)> {
        if let Some(y) = self.fixed_session {
            return Ok(y);
        }
        let text = self.text_ref(cells, Field::Session).unwrap_or_default();
        text.parse::<i32>()
            .ok()
            .filter(|y| (2000..=2099).contains(y))
            .ok_or_else(|| (text.into_owned(), Motif::SessionInvalide))
    }

    fn identity(&self, id: &RowId<'_>, cells: &[Cell], b: &mut Batches, tally: &mut RowTally) {
        let mut has_uai = false;
        let mut seen = self.identity_seen.borrow_mut();
        for (i, field) in IDENTITY.iter().enumerate() {
            let Some((cell, col)) = self.cell(cells, *field) else {
                continue;
            };
            let raw = cell_text_ref(cell);
            if raw.is_empty() {
                continue;
            }
            // A date cell and a text may show the same text: the kind is part of the key.
            let kind = std::mem::discriminant(cell);
            let known = seen[i]
                .as_ref()
                .is_some_and(|s| s.kind == kind && s.raw == *raw);
            if !known {
                seen[i] = Some(IdentitySeen {
                    kind,
                    raw: raw.to_string(),
                    value: self.identity_value(*field, cell, &raw).map(|value| {
                        // The category as written says more than its route (`privé hors
                        // contrat`, `CFA non habilité`): harmonisation's CCF scope reads it.
                        let categorie = (*field == Field::Voie).then(|| clean_text(&raw));
                        (value, categorie)
                    }),
                    first_in: None,
                });
            }
            let Some(IdentitySeen {
                value, first_in, ..
            }) = &mut seen[i]
            else {
                continue;
            };
            match value {
                Ok((value, categorie)) => {
                    has_uai |= *field == Field::Uai;
                    let generation = b.identity_generation(id.session, id.candidat);
                    if generation.is_none() || *first_in != generation {
                        let mut first =
                            b.push_valeur(id.session, id.candidat, field.name(), value, id.number);
                        if let Some(categorie) = categorie {
                            first &= b.push_valeur(
                                id.session,
                                id.candidat,
                                "categorie",
                                categorie,
                                id.number,
                            );
                        }
                        *first_in = if first {
                            b.identity_generation(id.session, id.candidat)
                        } else {
                            None
                        };
                    }
                    tally.accepted += 1;
                }
                Err(motif) => {
                    tally.reject(b, id.number, &col.header, &raw, motif);
                }
            }
        }
        if !has_uai && !self.layout.has(Field::Uai) {
            if let Some(uai) = &self.preamble_uai {
                b.push_valeur(id.session, id.candidat, "uai", uai, id.number);
            }
        }
        // A row that only names a candidate still records that the candidate exists.
        if tally.accepted == 0 && tally.rejected == 0 && self.is_identity_only() {
            tally.accepted += 1;
        }
    }

    /// The form of an exam (CCF, one-off) that a header or a label says.
    pub(super) fn exam_mode(&self, text: &str) -> Option<String> {
        self.memos
            .exam_mode
            .get(text, |t| self.profile.exam_mode(t).map(str::to_string))
    }

    /// The exam code of a label.
    pub(super) fn exam_label(&self, text: &str) -> Option<std::rc::Rc<str>> {
        self.memos
            .exam_label
            .get(text, |t| self.profile.exam_label(t).map(std::rc::Rc::from))
    }

    fn is_identity_only(&self) -> bool {
        !self.layout.is_long_notes()
            && !self.layout.is_livret()
            && !self.layout.is_livret_long()
            && !self.layout.is_avis()
            && !self.layout.is_jury()
            && !self.layout.is_grille()
            && !self.layout.is_correcteurs()
            && self.layout.exams().next().is_none()
    }

    fn identity_value(
        &self,
        field: Field,
        cell: &Cell,
        raw: &str,
    ) -> std::result::Result<String, Motif> {
        match field {
            Field::Uai => parse_uai(raw),
            Field::DateNaissance => parse_date(cell, self.birth_order).map(|d| {
                d.map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            }),
            Field::Sexe => self
                .memos
                .sex
                .get(raw, |t| self.profile.sex(t).map(str::to_string))
                .ok_or(Motif::SexeInconnu),
            Field::Voie => self
                .memos
                .route
                .get(raw, |t| self.profile.route(t).map(str::to_string))
                .ok_or(Motif::VoieInconnue),
            _ => Ok(clean_text(raw)),
        }
    }

    fn wide_notes(&self, id: &RowId<'_>, cells: &[Cell], b: &mut Batches, tally: &mut RowTally) {
        let mut done: Vec<(&str, GradeValue)> = Vec::new();
        for col in self.layout.exams() {
            let Role::Exam { code, .. } = &col.role else {
                continue;
            };
            let cell = cells.get(col.index).unwrap_or(&Cell::Empty);
            let scale = self.memos.scale.get(&col.header, scale_in_header);
            match parse_grade_on(cell, self.profile, code, scale) {
                Ok(None) => {}
                Ok(Some(g)) => {
                    if let Some((_, first)) = done.iter().find(|(c, _)| *c == code.as_str()) {
                        if *first != g {
                            tally.reject(
                                b,
                                id.number,
                                &col.header,
                                &cell_text(cell),
                                &Motif::DoubleValeur,
                            );
                        }
                        continue;
                    }
                    let mode = self.exam_mode(&col.header);
                    b.push_note(&NoteRow {
                        session: id.session,
                        candidat: id.candidat,
                        epreuve: code,
                        note: g.note,
                        statut: g.statut.as_deref(),
                        session_origine: g.session_origine,
                        mode: mode.as_deref(),
                        ligne: id.number,
                        colonne: &col.header,
                        bareme: g.bareme,
                        ..NoteRow::default()
                    });
                    tally.accepted += 1;
                    done.push((code, g));
                }
                Err(motif) => {
                    tally.reject(b, id.number, &col.header, &cell_text(cell), &motif);
                }
            }
        }
    }
}

/// The key of a data row.
pub(super) struct RowId<'a> {
    pub(super) session: i32,
    pub(super) candidat: &'a str,
    pub(super) number: u32,
}
