//! The livret readers of a data row: averages in wide form (one row per student and subject, one
//! column per semester or year) and in long form (one row per student, year, period and subject).
//! A year given as one annual average is stored with semester 0: it is that year's average, not a
//! missing semester.

use super::{RowId, RowTally, RowWalker};
use crate::ingest::batches::Batches;
use crate::ingest::field::Field;
use crate::ingest::layout::LIVRET_COLUMNS;
use crate::ingest::livret_period::{parse_period, parse_training_year, Periode};
use crate::ingest::read::Cell;
use crate::ingest::rejet::Motif;
use crate::ingest::values::{cell_text, parse_grade, parse_uai, GradeValue};

impl RowWalker<'_> {
    /// The livret line of the row's subject, rejected when unknown.
    fn livret_line(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) -> Option<u8> {
        let (subject_cell, subject_col) = self.cell(cells, Field::Matiere)?;
        let label = cell_text(subject_cell);
        let line = self.profile.livret_line(&label);
        if line.is_none() {
            tally.reject(
                b,
                id.number,
                &subject_col.header,
                &label,
                &Motif::MatiereInconnue,
            );
        }
        line
    }

    /// A livret average: a number 0–20, `None` when empty; a code or anything else is rejected
    /// under its column.
    fn livret_average(
        &self,
        id: &RowId<'_>,
        (cell, header): (&Cell, &str),
        b: &mut Batches,
        tally: &mut RowTally,
    ) -> Option<i32> {
        match parse_grade(cell, self.profile) {
            Ok(Some(GradeValue {
                note: Some(m),
                statut: None,
                ..
            })) => Some(m),
            Ok(None) => None,
            _ => {
                tally.reject(
                    b,
                    id.number,
                    header,
                    &cell_text(cell),
                    &Motif::MoyenneInvalide,
                );
                None
            }
        }
    }

    /// The school and class of a livret row (the preamble's school when no column gives it).
    fn livret_class(&self, cells: &[Cell]) -> (Option<String>, Option<String>) {
        let uai = self
            .text(cells, Field::Uai)
            .and_then(|u| parse_uai(&u).ok())
            .or_else(|| self.preamble_uai.clone());
        (uai, self.text(cells, Field::Classe))
    }

    pub(super) fn livret(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) {
        let Some(line) = self.livret_line(id, cells, b, tally) else {
            return;
        };
        let (uai, classe) = self.livret_class(cells);
        for (field, (year, semester)) in LIVRET_COLUMNS {
            let Some((cell, col)) = self.cell(cells, field) else {
                continue;
            };
            if let Some(m) = self.livret_average(id, (cell, &col.header), b, tally) {
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
        }
    }

    /// One average of a long livret: its year of training (a column of its own, or said by the
    /// period, `S3` being year 2), its period (a semester, or the whole year), its value.
    pub(super) fn livret_long(
        &self,
        id: &RowId<'_>,
        cells: &[Cell],
        b: &mut Batches,
        tally: &mut RowTally,
    ) {
        let Some((cell, col)) = self.cell(cells, Field::Moyenne) else {
            return;
        };
        let Some(average) = self.livret_average(id, (cell, &col.header), b, tally) else {
            return;
        };
        let Some(line) = self.livret_line(id, cells, b, tally) else {
            return;
        };
        let Some((year, semester)) = self.livret_period(cells) else {
            let raw = [Field::Annee, Field::Periode]
                .iter()
                .filter_map(|f| self.text(cells, *f))
                .collect::<Vec<_>>()
                .join(" / ");
            let header = self
                .layout
                .field(Field::Periode)
                .or_else(|| self.layout.field(Field::Annee))
                .map_or("*", |c| c.header.as_str());
            tally.reject(b, id.number, header, &raw, &Motif::PeriodeInvalide);
            return;
        };
        let (uai, classe) = self.livret_class(cells);
        b.push_livret(
            id.session,
            id.candidat,
            uai.as_deref(),
            classe.as_deref(),
            (line, year, semester),
            average,
            id.number,
        );
        tally.accepted += 1;
    }

    /// The (year, semester) of a long livret row; semester 0 is the annual average. A row with a
    /// year and no period column is an annual average.
    fn livret_period(&self, cells: &[Cell]) -> Option<(u8, u8)> {
        let year_text = self.text(cells, Field::Annee);
        let period_text = self.text(cells, Field::Periode);
        let period = match &period_text {
            Some(t) => Some(parse_period(t)?),
            None => None,
        };
        let year = match &year_text {
            Some(t) => Some(parse_training_year(t)?),
            None => None,
        };
        let year = match (year, period.and_then(|p| p.annee)) {
            (Some(a), Some(b)) if a != b => return None,
            (Some(a), _) | (None, Some(a)) => a,
            (None, None) => return None,
        };
        let semester = match period.map(|p| p.periode) {
            Some(Periode::Semestre(n)) => n,
            Some(Periode::Annuelle) | None => 0,
        };
        Some((year, semester))
    }
}
