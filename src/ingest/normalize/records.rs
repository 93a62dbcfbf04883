//! The record readers of a data row beyond identity and wide grades: one grade of a long layout
//! (with examiner, commission, subject..., the unit a control exam replaces, and a status or
//! origin-session column beside the grade), the livret opinion and PIX, sovereign jury decisions,
//! grid levels and correctors' marks. The livret averages are in `livret`.

use super::{RowId, RowTally, RowWalker};
use crate::ingest::batches::{Batches, NoteRow};
use crate::ingest::field::Field;
use crate::ingest::layout::{Column, Layout};
use crate::ingest::read::Cell;
use crate::ingest::rejet::Motif;
use crate::ingest::values::{
    cell_text, cell_text_ref, parse_date, parse_grade, parse_grade_on, scale_in_header, GradeValue,
};

impl<'a> RowWalker<'a> {
    pub(super) fn long_note(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) {
        let Some((exam_cell, exam_col)) = self.cell(cells, Field::Epreuve) else {
            return;
        };
        let label = cell_text_ref(exam_cell);
        let Some(epreuve) = self.exam_label(&label) else {
            tally.reject(
                b,
                id.number,
                &exam_col.header,
                &label,
                &Motif::EpreuveInconnue,
            );
            return;
        };
        let Some((grade, colonne)) = self.long_grade(id, &epreuve, cells, b, tally) else {
            return;
        };
        let date_epreuve = match self
            .cell(cells, Field::DateEpreuve)
            .map(|(c, col)| (parse_date(c, self.exam_date_order), c, col))
        {
            Some((Ok(d), _, _)) => d,
            Some((Err(motif), c, col)) => {
                tally.reject(b, id.number, &col.header, &cell_text(c), &motif);
                None
            }
            None => None,
        };
        let text = |f: Field| self.text(cells, f);
        let (examinateur, commission, sujet, centre, demi_journee) = (
            text(Field::Examinateur),
            text(Field::Commission),
            text(Field::Sujet),
            text(Field::Centre),
            text(Field::DemiJournee),
        );
        let unite_remplacee = match self.control_unit(&epreuve, cells) {
            Ok(u) => u,
            Err((col, raw)) => {
                let attendues = self.profile.replaceable_units_text();
                tally.reject(
                    b,
                    id.number,
                    &col,
                    &raw,
                    &Motif::UniteRemplaceeInvalide { attendues },
                );
                return;
            }
        };
        // A long layout's exam label may say the form too (`E4 - Ponctuel oral`).
        let mode = self.exam_mode(&label);
        b.push_note(&NoteRow {
            session: id.session,
            candidat: id.candidat,
            epreuve: &epreuve,
            note: grade.note,
            statut: grade.statut.as_deref(),
            session_origine: grade.session_origine,
            examinateur: examinateur.as_deref(),
            commission: commission.as_deref(),
            sujet: sujet.as_deref(),
            centre: centre.as_deref(),
            date_epreuve,
            demi_journee: demi_journee.as_deref(),
            unite_remplacee: unite_remplacee.as_deref(),
            mode: mode.as_deref(),
            ligne: id.number,
            colonne,
            bareme: grade.bareme,
        });
        tally.accepted += 1;
    }

    /// The grade of a long row, read from the grade cell, the status column and the origin-session
    /// column in any combination: an empty grade with a code is that code; a kept grade (BEN)
    /// needs its grade and its origin session. Gives the value and the header it is reported under.
    fn long_grade(
        &self,
        id: &RowId<'_>,
        epreuve: &str,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) -> Option<(GradeValue, &'a str)> {
        let note = self.cell(cells, Field::Note);
        let statut = self.cell(cells, Field::Statut);
        // The layout outlives the walker's borrow: the header is reported without a copy.
        let layout: &'a Layout = self.layout;
        let header = layout
            .field(Field::Note)
            .or_else(|| layout.field(Field::Statut))
            .map(|c| c.header.as_str())?;
        let mut reject = |col: &str, raw: &str, motif: Motif| {
            tally.reject(b, id.number, col, raw, &motif);
            None
        };
        let read = |c: &Cell, col: &Column| {
            let scale = self.memos.scale.get(&col.header, scale_in_header);
            parse_grade_on(c, self.profile, epreuve, scale)
        };
        let from_note = match note.map(|(c, col)| (read(c, col), c, col)) {
            Some((Ok(g), _, _)) => g,
            Some((Err(motif), c, col)) => return reject(&col.header, &cell_text(c), motif),
            None => None,
        };
        let code = match statut {
            Some((c, col)) => match self.status_column_code(c) {
                Ok(code) => code.map(|code| (code, col)),
                Err(raw) => return reject(&col.header, &raw, Motif::CodeInconnu),
            },
            None => None,
        };
        let origin = match self.cell(cells, Field::SessionOrigine) {
            Some((c, col)) => match origin_session(c) {
                Ok(y) => y,
                Err(raw) => return reject(&col.header, &raw, Motif::SessionInvalide),
            },
            None => None,
        };
        let grade = match (from_note, code) {
            (None, None) => return reject(header, "", Motif::NoteManquante),
            (Some(g), None) => g,
            (None, Some((code, _))) => GradeValue {
                note: None,
                statut: Some(code),
                session_origine: None,
                bareme: None,
            },
            (Some(g), Some((code, col))) => match combine(g, &code) {
                Some(g) => g,
                None => {
                    let raw = format!("{} / {code}", cell_text(note.map_or(&Cell::Empty, |n| n.0)));
                    return reject(&col.header, &raw, Motif::NoteEtStatutContradictoires);
                }
            },
        };
        let is_kept = grade.statut.as_deref() == Some("BEN");
        let grade = GradeValue {
            session_origine: if is_kept {
                grade.session_origine.or(origin)
            } else {
                grade.session_origine
            },
            ..grade
        };
        if is_kept && (grade.note.is_none() || grade.session_origine.is_none()) {
            let raw = grade.note.map(|n| format!("{n}")).unwrap_or_default();
            return reject(header, &format!("BEN {raw}"), Motif::BeneficeIncomplet);
        }
        Some((grade, header))
    }

    /// The code of a status-column cell: `None` when empty or neutral (`Présent`), `Err` with the
    /// text when the profile does not know it.
    fn status_column_code(&self, cell: &Cell) -> std::result::Result<Option<String>, String> {
        let raw = cell_text(cell);
        if raw.is_empty() || self.profile.is_neutral_status(&raw) {
            return Ok(None);
        }
        self.profile
            .status_code(&raw)
            .map(|c| Some(c.to_string()))
            .ok_or(raw)
    }

    /// The general unit a control exam of the regulation replaces: `U3`, `E3`, `CEJM` all give
    /// `U3` when `controle.unites_remplacables` lists it.
    fn control_unit(
        &self,
        epreuve: &str,
        cells: &[Cell],
    ) -> std::result::Result<Option<String>, (String, String)> {
        if !self.profile.is_control_exam(epreuve) {
            return Ok(None);
        }
        let header = self
            .layout
            .field(Field::UniteRemplacee)
            .map_or_else(|| "Unité remplacée".to_string(), |c| c.header.clone());
        let raw = self.text(cells, Field::UniteRemplacee).unwrap_or_default();
        match self.profile.replaceable_unit(&raw) {
            Some(unit) => Ok(Some(unit.to_string())),
            None => Err((header, raw)),
        }
    }

    pub(super) fn jury(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) {
        let mut points = None;
        let mut decision = None;
        if let Some((cell, col)) = self.cell(cells, Field::PointsJury) {
            match parse_grade(cell, self.profile) {
                Ok(None) => {}
                Ok(Some(GradeValue {
                    note: Some(p),
                    statut: None,
                    ..
                })) => points = Some(p),
                _ => {
                    tally.reject(
                        b,
                        id.number,
                        &col.header,
                        &cell_text(cell),
                        &Motif::PointsJuryInvalides,
                    );
                }
            }
        }
        if let Some((cell, col)) = self.cell(cells, Field::Decision) {
            let raw = cell_text(cell);
            if !raw.is_empty() {
                match self.profile.decision(&raw) {
                    Some(d) => decision = Some(d.to_string()),
                    None => {
                        tally.reject(b, id.number, &col.header, &raw, &Motif::DecisionInconnue);
                    }
                }
            }
        }
        if points.is_some() || decision.is_some() {
            let motif = self.text(cells, Field::MotifJury);
            b.push_jury(
                id.session,
                id.candidat,
                points,
                decision.as_deref(),
                motif.as_deref(),
                id.number,
            );
            tally.accepted += 1;
        }
    }

    pub(super) fn avis(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) {
        let mut avis = None;
        let mut pix = None;
        if let Some((cell, col)) = self.cell(cells, Field::Avis) {
            let raw = cell_text(cell);
            if !raw.is_empty() {
                match self.profile.opinion(&raw) {
                    Some(a) => avis = Some(a.to_string()),
                    None => {
                        tally.reject(b, id.number, &col.header, &raw, &Motif::AvisInconnu);
                    }
                }
            }
        }
        if let Some((cell, col)) = self.cell(cells, Field::Pix) {
            let raw = cell_text(cell);
            if !raw.is_empty() {
                match self.profile.yes_no(&raw) {
                    Some(v) => pix = Some(v),
                    None => {
                        tally.reject(b, id.number, &col.header, &raw, &Motif::OuiNonInconnu);
                    }
                }
            }
        }
        if avis.is_some() || pix.is_some() {
            b.push_avis(id.session, id.candidat, avis.as_deref(), pix, id.number);
            tally.accepted += 1;
        }
    }

    /// The exam of a grid or corrector row: its `Epreuve` label, rejected when unknown.
    fn row_exam(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) -> Option<String> {
        let (cell, col) = self.cell(cells, Field::Epreuve)?;
        let label = cell_text(cell);
        let exam = self.profile.exam_label(&label);
        if exam.is_none() {
            tally.reject(b, id.number, &col.header, &label, &Motif::EpreuveInconnue);
        }
        exam
    }

    /// One grid level (E5B: question Q1–Q4, level 1–4).
    pub(super) fn grille(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) {
        let Some(epreuve) = self.row_exam(id, cells, b, tally) else {
            return;
        };
        let question = self.text(cells, Field::Question);
        let (Some((cell, col)), Some(question)) = (self.cell(cells, Field::Niveau), question)
        else {
            return;
        };
        let raw = cell_text(cell);
        match raw.parse::<i32>().ok().filter(|n| (1..=4).contains(n)) {
            Some(niveau) => {
                let examinateur = self.text(cells, Field::Examinateur);
                b.push_grille(
                    id.session,
                    id.candidat,
                    (&epreuve, &question),
                    niveau,
                    examinateur.as_deref(),
                    id.number,
                );
                tally.accepted += 1;
            }
            None => {
                tally.reject(b, id.number, &col.header, &raw, &Motif::NiveauInvalide);
            }
        }
    }

    /// One corrector's own mark of a jointly marked paper (E5A).
    pub(super) fn correcteur(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) {
        let Some(epreuve) = self.row_exam(id, cells, b, tally) else {
            return;
        };
        let Some((cell, col)) = self.cell(cells, Field::NoteCorrecteur) else {
            return;
        };
        let Some(correcteur) = self.text(cells, Field::Examinateur) else {
            tally.reject(
                b,
                id.number,
                &col.header,
                &cell_text(cell),
                &Motif::CorrecteurManquant,
            );
            return;
        };
        match parse_grade(cell, self.profile) {
            Ok(None) => {}
            Ok(Some(GradeValue {
                note: Some(n),
                statut: None,
                ..
            })) => {
                b.push_correcteur(id.session, id.candidat, &epreuve, &correcteur, n, id.number);
                tally.accepted += 1;
            }
            Ok(Some(_)) => {
                tally.reject(
                    b,
                    id.number,
                    &col.header,
                    &cell_text(cell),
                    &Motif::NoteIllisible,
                );
            }
            Err(motif) => {
                tally.reject(b, id.number, &col.header, &cell_text(cell), &motif);
            }
        }
    }
}

/// A grade cell and a status column together: a kept grade (BEN) with its grade; a justified
/// absence written `0` beside its code; the same code twice. `None` when they contradict (a grade
/// and an absence or an exemption).
fn combine(g: GradeValue, code: &str) -> Option<GradeValue> {
    match (&g.statut, g.note) {
        (Some(own), _) if own == code => Some(g),
        (Some(_), _) => None,
        (None, Some(n)) if code == "BEN" => Some(GradeValue {
            note: Some(n),
            statut: Some(code.to_string()),
            session_origine: g.session_origine,
            bareme: None,
        }),
        // An absence written as a zero beside its code is that code.
        (None, Some(0)) if code != "BEN" => Some(GradeValue {
            note: None,
            statut: Some(code.to_string()),
            session_origine: None,
            bareme: None,
        }),
        _ => None,
    }
}

/// The origin session of a kept grade: a year 2000–2099, or empty.
fn origin_session(cell: &Cell) -> std::result::Result<Option<i32>, String> {
    let raw = cell_text(cell);
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i32>()
        .ok()
        .filter(|y| (2000..=2099).contains(y))
        .map(Some)
        .ok_or(raw)
}
