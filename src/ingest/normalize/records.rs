//! The record readers of a data row beyond identity and wide grades: one grade of a long layout
//! (with examiner, commission, subject... and the unit a control exam replaces), livret semester
//! averages, the livret opinion and PIX, and sovereign jury decisions.

use super::{RowId, RowTally, RowWalker};
use crate::ingest::batches::{Batches, NoteRow};
use crate::ingest::read::Cell;
use crate::ingest::rejet::Motif;
use crate::ingest::values::{cell_text, parse_date, parse_grade, parse_uai, GradeValue};

impl RowWalker<'_> {
    pub(super) fn long_note(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) {
        let (Some((exam_cell, exam_col)), Some((note_cell, note_col))) =
            (self.cell(cells, "epreuve"), self.cell(cells, "note"))
        else {
            return;
        };
        let label = cell_text(exam_cell);
        let Some(epreuve) = self.profile.exam_label(&label) else {
            tally.reject(
                b,
                id.number,
                &exam_col.header,
                &label,
                &Motif::EpreuveInconnue,
            );
            return;
        };
        let grade = match parse_grade(note_cell, self.profile) {
            Ok(Some(g)) => g,
            Ok(None) => {
                tally.reject(b, id.number, &note_col.header, "", &Motif::NoteManquante);
                return;
            }
            Err(motif) => {
                tally.reject(
                    b,
                    id.number,
                    &note_col.header,
                    &cell_text(note_cell),
                    &motif,
                );
                return;
            }
        };
        let date_epreuve = match self
            .cell(cells, "date_epreuve")
            .map(|(c, col)| (parse_date(c, self.exam_date_order), c, col))
        {
            Some((Ok(d), _, _)) => d,
            Some((Err(motif), c, col)) => {
                tally.reject(b, id.number, &col.header, &cell_text(c), &motif);
                None
            }
            None => None,
        };
        let text = |f: &str| self.text(cells, f);
        let (examinateur, commission, sujet, centre, demi_journee) = (
            text("examinateur"),
            text("commission"),
            text("sujet"),
            text("centre"),
            text("demi_journee"),
        );
        let unite_remplacee = match self.control_unit(&epreuve, cells) {
            Ok(u) => u,
            Err((col, raw)) => {
                tally.reject(b, id.number, &col, &raw, &Motif::UniteRemplaceeInvalide);
                return;
            }
        };
        let session_origine = grade
            .session_origine
            .or_else(|| text("session_origine").and_then(|t| t.parse().ok()));
        b.push_note(&NoteRow {
            session: id.session,
            candidat: id.candidat,
            epreuve: &epreuve,
            note: grade.note,
            statut: grade.statut.as_deref(),
            session_origine,
            examinateur: examinateur.as_deref(),
            commission: commission.as_deref(),
            sujet: sujet.as_deref(),
            centre: centre.as_deref(),
            date_epreuve,
            demi_journee: demi_journee.as_deref(),
            unite_remplacee: unite_remplacee.as_deref(),
            ligne: id.number,
            colonne: &note_col.header,
        });
        tally.accepted += 1;
    }

    /// The general unit a control exam (C1, C2) replaces: `U3`, `E3`, `CEJM` all give `U3`.
    fn control_unit(
        &self,
        epreuve: &str,
        cells: &[Cell],
    ) -> std::result::Result<Option<String>, (String, String)> {
        if !matches!(epreuve, "C1" | "C2") {
            return Ok(None);
        }
        let header = self
            .layout
            .field("unite_remplacee")
            .map_or_else(|| "Unité remplacée".to_string(), |c| c.header.clone());
        let raw = self.text(cells, "unite_remplacee").unwrap_or_default();
        match self.profile.exam_label(&raw).as_deref() {
            Some(code @ ("E1" | "E2" | "E3")) => Ok(Some(code.replacen('E', "U", 1))),
            _ => Err((header, raw)),
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
        if let Some((cell, col)) = self.cell(cells, "points_jury") {
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
        if let Some((cell, col)) = self.cell(cells, "decision") {
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
            let motif = self.text(cells, "motif_jury");
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

    pub(super) fn livret(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) {
        let Some((subject_cell, subject_col)) = self.cell(cells, "matiere") else {
            return;
        };
        let label = cell_text(subject_cell);
        let Some(line) = self.profile.livret_line(&label) else {
            tally.reject(
                b,
                id.number,
                &subject_col.header,
                &label,
                &Motif::MatiereInconnue,
            );
            return;
        };
        let uai = self
            .text(cells, "uai")
            .and_then(|u| parse_uai(&u).ok())
            .or_else(|| self.preamble_uai.clone());
        let classe = self.text(cells, "classe");
        for (field, year, semester) in [
            ("a1s1", 1, 1),
            ("a1s2", 1, 2),
            ("a2s1", 2, 1),
            ("a2s2", 2, 2),
        ] {
            let Some((cell, col)) = self.cell(cells, field) else {
                continue;
            };
            match parse_grade(cell, self.profile) {
                Ok(None) => {}
                Ok(Some(GradeValue {
                    note: Some(m),
                    statut: None,
                    ..
                })) => {
                    b.push_livret(
                        id.session,
                        id.candidat,
                        uai.as_deref(),
                        classe.as_deref(),
                        (line, year, semester),
                        m,
                        id.number,
                    );
                    tally.accepted += 1;
                }
                _ => {
                    tally.reject(
                        b,
                        id.number,
                        &col.header,
                        &cell_text(cell),
                        &Motif::MoyenneInvalide,
                    );
                }
            }
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
        if let Some((cell, col)) = self.cell(cells, "avis") {
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
        if let Some((cell, col)) = self.cell(cells, "pix") {
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
        let (cell, col) = self.cell(cells, "epreuve")?;
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
        let question = self.text(cells, "question");
        let (Some((cell, col)), Some(question)) = (self.cell(cells, "niveau"), question) else {
            return;
        };
        let raw = cell_text(cell);
        match raw.parse::<i32>().ok().filter(|n| (1..=4).contains(n)) {
            Some(niveau) => {
                let examinateur = self.text(cells, "examinateur");
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
        let Some((cell, col)) = self.cell(cells, "note_correcteur") else {
            return;
        };
        let Some(correcteur) = self.text(cells, "examinateur") else {
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
