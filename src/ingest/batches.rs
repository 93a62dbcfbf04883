//! Arrow builders for the canonical tables: normalised values are appended column by column and
//! handed to the store as record batches, never as one Rust struct per row.
//!
//! The columns of each batch are its table's shape, declared once in `crate::shape` (the order of
//! queries/00_schema.sql, checked by a test there). Each `push_*` writes one value per column of
//! its shape, in that order; a test below checks that every column is written.

use std::path::PathBuf;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Decimal128Builder, Int32Builder, StringBuilder,
};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use chrono::NaiveDate;

use super::rejet::{Motif, Rejet};
use super::values::Centiemes;
use crate::error::{Error, Location, Result};
use crate::shape::{Kind, Shape, AVIS, CORRECTEURS, GRILLES, JURY, LIVRET, NOTES, REJETS, VALEURS};

/// Where accepted values come from: the source and sheet, shared by every row of a sheet.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The `sources.source_id` of this sheet.
    pub source_id: i32,
    /// The file, for the location of a rejet.
    pub file: PathBuf,
    /// The sheet name (`None` for CSV).
    pub feuille: Option<String>,
}

/// One grade or status, ready for `notes`.
#[derive(Debug, Clone, Default)]
pub struct NoteRow<'a> {
    /// Session year.
    pub session: i32,
    /// Candidate number.
    pub candidat: &'a str,
    /// Exam code.
    pub epreuve: &'a str,
    /// Grade in hundredths.
    pub note: Option<Centiemes>,
    /// Status code.
    pub statut: Option<&'a str>,
    /// Origin session of a kept grade.
    pub session_origine: Option<i32>,
    /// Examiner, commission, subject, centre, half-day (long layouts).
    pub examinateur: Option<&'a str>,
    /// Commission.
    pub commission: Option<&'a str>,
    /// Subject.
    pub sujet: Option<&'a str>,
    /// Centre.
    pub centre: Option<&'a str>,
    /// Date of the exam.
    pub date_epreuve: Option<NaiveDate>,
    /// Half-day.
    pub demi_journee: Option<&'a str>,
    /// The general unit a control exam may replace.
    pub unite_remplacee: Option<&'a str>,
    /// The exam's form said by the column header (`CCF`, `PONCTUEL`), if it says one.
    pub mode: Option<&'a str>,
    /// 1-based row.
    pub ligne: u32,
    /// Column header.
    pub colonne: &'a str,
    /// The scale the grade was read on when not 20 (E5A on 40, converted exactly).
    pub bareme: Option<u32>,
}

/// A staging table: its name, column kinds and builders.
type Table<'a> = (&'static Shape, &'a mut Vec<Builder>);

/// The builders of every table a sheet can feed.
pub struct Batches {
    prov: Provenance,
    valeurs: Vec<Builder>,
    notes: Vec<Builder>,
    livret: Vec<Builder>,
    avis: Vec<Builder>,
    jury: Vec<Builder>,
    grilles: Vec<Builder>,
    correcteurs: Vec<Builder>,
    rejets: Vec<Builder>,
    /// The identity values already pushed for the candidate of the last rows.
    identite: IdentiteCourante,
    /// Rows appended since the last [`Batches::take`].
    pub pending: usize,
}

/// The first identity value of each field pushed for the current candidate: a long layout
/// repeats a candidate's name, school and class on each of their grade rows, and the same value
/// again is a confirmation the merge would keep no trace of. Only the candidate of the last rows
/// is remembered (memory does not grow with the sheet); a different value is still pushed, so
/// that the merge lists the conflict.
#[derive(Default)]
struct IdentiteCourante {
    session: i32,
    candidat: String,
    valeurs: Vec<(String, String)>,
    /// Counts the changes of candidate: a value known to be the first of its field in one
    /// generation stays the first until the candidate changes (see
    /// [`Batches::identity_generation`]).
    generation: u64,
}

impl IdentiteCourante {
    /// True when `(session, candidat)` is the candidate remembered.
    fn is(&self, session: i32, candidat: &str) -> bool {
        self.session == session && self.candidat == candidat
    }

    /// What this value is for the candidate's field: its first value already pushed (nothing to
    /// push), its first value now (remembered), or another value.
    fn deja_vue(&mut self, session: i32, candidat: &str, champ: &str, valeur: &str) -> Vue {
        if !self.is(session, candidat) {
            self.session = session;
            candidat.clone_into(&mut self.candidat);
            self.valeurs.clear();
            self.generation += 1;
        }
        match self.valeurs.iter().find(|(c, _)| c == champ) {
            Some((_, premiere)) if premiere == valeur => Vue::Deja,
            Some(_) => Vue::Autre,
            None => {
                self.valeurs.push((champ.to_owned(), valeur.to_owned()));
                Vue::Premiere
            }
        }
    }
}

/// What an identity value is for its candidate's field (see [`IdentiteCourante::deja_vue`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vue {
    /// The field's first value, already pushed.
    Deja,
    /// The field's first value, given now.
    Premiere,
    /// Another value than the first (a conflict for the merge).
    Autre,
}

/// One column builder.
enum Builder {
    Int(Int32Builder),
    Text(StringBuilder),
    Grade(Decimal128Builder),
    Date(Date32Builder),
    Bool(BooleanBuilder),
}

impl Builder {
    fn int(&mut self, v: Option<i32>) {
        if let Builder::Int(b) = self {
            b.append_option(v);
        }
    }
    fn text(&mut self, v: Option<&str>) {
        if let Builder::Text(b) = self {
            b.append_option(v);
        }
    }
    fn grade(&mut self, v: Option<Centiemes>) {
        if let Builder::Grade(b) = self {
            b.append_option(v.map(i128::from));
        }
    }
    fn date(&mut self, v: Option<NaiveDate>) {
        if let Builder::Date(b) = self {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("the Unix epoch is a date");
            b.append_option(v.and_then(|d| i32::try_from((d - epoch).num_days()).ok()));
        }
    }
    fn boolean(&mut self, v: Option<bool>) {
        if let Builder::Bool(b) = self {
            b.append_option(v);
        }
    }
    fn finish(&mut self) -> Result<ArrayRef> {
        Ok(match self {
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Grade(b) => Arc::new(
                b.finish()
                    .with_precision_and_scale(4, 2)
                    .map_err(|e| Error::Internal(format!("DECIMAL(4,2) : {e}")))?,
            ),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
        })
    }
}

fn builders(columns: &[(&str, Kind)]) -> Vec<Builder> {
    columns
        .iter()
        .map(|(_, kind)| match kind {
            Kind::I => Builder::Int(Int32Builder::new()),
            Kind::T => Builder::Text(StringBuilder::new()),
            Kind::G => Builder::Grade(Decimal128Builder::new()),
            Kind::D => Builder::Date(Date32Builder::new()),
            Kind::B => Builder::Bool(BooleanBuilder::new()),
        })
        .collect()
}

fn schema(columns: &[(&str, Kind)]) -> Arc<Schema> {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(name, kind)| {
            let dt = match kind {
                Kind::I => DataType::Int32,
                Kind::T => DataType::Utf8,
                Kind::G => DataType::Decimal128(4, 2),
                Kind::D => DataType::Date32,
                Kind::B => DataType::Boolean,
            };
            Field::new(*name, dt, true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

fn row_number(n: u32) -> Option<i32> {
    Some(i32::try_from(n).unwrap_or(i32::MAX))
}

impl Batches {
    /// Empty builders for one sheet.
    pub fn new(prov: Provenance) -> Batches {
        Batches {
            prov,
            valeurs: builders(VALEURS.columns),
            notes: builders(NOTES.columns),
            livret: builders(LIVRET.columns),
            avis: builders(AVIS.columns),
            jury: builders(JURY.columns),
            grilles: builders(GRILLES.columns),
            correcteurs: builders(CORRECTEURS.columns),
            rejets: builders(REJETS.columns),
            identite: IdentiteCourante::default(),
            pending: 0,
        }
    }

    fn push_provenance(b: &mut [Builder], prov: &Provenance, ligne: u32) {
        let n = b.len();
        b[n - 3].int(Some(prov.source_id));
        b[n - 2].text(prov.feuille.as_deref());
        b[n - 1].int(row_number(ligne));
    }

    /// An identity value of a candidate (`nom`, `uai`...), unless the rows just before gave the
    /// same candidate the same value for this field. Returns true when the value is now the
    /// field's first value for the candidate (given just now or before), false for another value
    /// (pushed, so that the merge lists the conflict).
    pub fn push_valeur(
        &mut self,
        session: i32,
        candidat: &str,
        champ: &str,
        valeur: &str,
        ligne: u32,
    ) -> bool {
        let vue = self.identite.deja_vue(session, candidat, champ, valeur);
        if vue == Vue::Deja {
            return true;
        }
        let b = &mut self.valeurs;
        b[0].int(Some(session));
        b[1].text(Some(candidat));
        b[2].text(Some(champ));
        b[3].text(Some(valeur));
        Self::push_provenance(b, &self.prov, ligne);
        self.pending += 1;
        vue == Vue::Premiere
    }

    /// The generation of the remembered candidate when it is `(session, candidat)`: a value that
    /// [`Batches::push_valeur`] said first in this generation would be pushed again for nothing.
    pub fn identity_generation(&self, session: i32, candidat: &str) -> Option<u64> {
        self.identite
            .is(session, candidat)
            .then_some(self.identite.generation)
    }

    /// A grade or status.
    pub fn push_note(&mut self, r: &NoteRow<'_>) {
        let b = &mut self.notes;
        b[0].int(Some(r.session));
        b[1].text(Some(r.candidat));
        b[2].text(Some(r.epreuve));
        b[3].grade(r.note);
        b[4].text(r.statut);
        b[5].int(r.session_origine);
        b[6].text(r.examinateur);
        b[7].text(r.commission);
        b[8].text(r.sujet);
        b[9].text(r.centre);
        b[10].date(r.date_epreuve);
        b[11].text(r.demi_journee);
        b[12].text(r.unite_remplacee);
        b[13].int(Some(self.prov.source_id));
        b[14].text(self.prov.feuille.as_deref());
        b[15].int(row_number(r.ligne));
        b[16].text(Some(r.colonne));
        b[17].text(r.mode);
        b[18].int(r.bareme.and_then(|s| i32::try_from(s).ok()));
        self.pending += 1;
    }

    /// A livret semester average: `(session, candidat, uai, classe)`, line, year, semester.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per column of the livret table"
    )]
    pub fn push_livret(
        &mut self,
        session: i32,
        candidat: &str,
        uai: Option<&str>,
        classe: Option<&str>,
        line_year_semester: (u8, u8, u8),
        moyenne: Centiemes,
        ligne: u32,
    ) {
        let (line, year, semester) = line_year_semester;
        let b = &mut self.livret;
        b[0].int(Some(session));
        b[1].text(Some(candidat));
        b[2].text(uai);
        b[3].text(classe);
        b[4].int(Some(i32::from(line)));
        b[5].int(Some(i32::from(year)));
        b[6].int(Some(i32::from(semester)));
        b[7].grade(Some(moyenne));
        Self::push_provenance(b, &self.prov, ligne);
        self.pending += 1;
    }

    /// A jury opinion and PIX flag.
    pub fn push_avis(
        &mut self,
        session: i32,
        candidat: &str,
        avis: Option<&str>,
        pix: Option<bool>,
        ligne: u32,
    ) {
        let b = &mut self.avis;
        b[0].int(Some(session));
        b[1].text(Some(candidat));
        b[2].text(avis);
        b[3].boolean(pix);
        Self::push_provenance(b, &self.prov, ligne);
        self.pending += 1;
    }

    /// A sovereign jury decision: points added and/or a final decision, with its reason.
    pub fn push_jury(
        &mut self,
        session: i32,
        candidat: &str,
        points: Option<Centiemes>,
        decision: Option<&str>,
        motif: Option<&str>,
        ligne: u32,
    ) {
        let b = &mut self.jury;
        b[0].int(Some(session));
        b[1].text(Some(candidat));
        b[2].grade(points);
        b[3].text(decision);
        b[4].text(motif);
        Self::push_provenance(b, &self.prov, ligne);
        self.pending += 1;
    }

    /// A grid level: `(epreuve, question)`, level 1–4, examiner.
    pub fn push_grille(
        &mut self,
        session: i32,
        candidat: &str,
        epreuve_question: (&str, &str),
        niveau: i32,
        examinateur: Option<&str>,
        ligne: u32,
    ) {
        let b = &mut self.grilles;
        b[0].int(Some(session));
        b[1].text(Some(candidat));
        b[2].text(Some(epreuve_question.0));
        b[3].text(Some(epreuve_question.1));
        b[4].int(Some(niveau));
        b[5].text(examinateur);
        Self::push_provenance(b, &self.prov, ligne);
        self.pending += 1;
    }

    /// One corrector's own mark of a jointly marked paper.
    pub fn push_correcteur(
        &mut self,
        session: i32,
        candidat: &str,
        epreuve: &str,
        correcteur: &str,
        note: Centiemes,
        ligne: u32,
    ) {
        let b = &mut self.correcteurs;
        b[0].int(Some(session));
        b[1].text(Some(candidat));
        b[2].text(Some(epreuve));
        b[3].text(Some(correcteur));
        b[4].grade(Some(note));
        Self::push_provenance(b, &self.prov, ligne);
        self.pending += 1;
    }

    /// The location of a cell of this sheet.
    pub fn location(&self, ligne: u32, colonne: &str) -> Location {
        Location {
            file: self.prov.file.clone(),
            sheet: self.prov.feuille.clone(),
            row: ligne,
            column: colonne.to_string(),
        }
    }

    /// A rejected value or row of this sheet, at row `ligne` and column `colonne`.
    pub fn push_rejet(&mut self, ligne: u32, colonne: &str, valeur: &str, motif: &Motif) {
        let rejet = Rejet {
            location: self.location(ligne, colonne),
            valeur: valeur.to_string(),
            motif: motif.clone(),
        };
        self.push(&rejet);
    }

    /// A rejet, stored with this sheet's source.
    pub fn push(&mut self, rejet: &Rejet) {
        let b = &mut self.rejets;
        b[0].int(Some(self.prov.source_id));
        b[1].text(rejet.location.sheet.as_deref());
        b[2].int(row_number(rejet.location.row));
        b[3].text(Some(&rejet.location.column));
        b[4].text(Some(&rejet.valeur));
        b[5].text(Some(rejet.motif.code()));
        b[6].text(Some(&rejet.motif.to_string()));
        self.pending += 1;
    }

    /// Finishes the builders into `(staging table, batch)` pairs, leaving them empty for more.
    ///
    /// # Errors
    /// [`Error::Internal`] if a batch does not match its schema (a bug).
    pub fn take(&mut self) -> Result<Vec<(&'static str, RecordBatch)>> {
        let mut out = Vec::new();
        let tables: [Table<'_>; 8] = [
            (&VALEURS, &mut self.valeurs),
            (&NOTES, &mut self.notes),
            (&LIVRET, &mut self.livret),
            (&AVIS, &mut self.avis),
            (&JURY, &mut self.jury),
            (&GRILLES, &mut self.grilles),
            (&CORRECTEURS, &mut self.correcteurs),
            (&REJETS, &mut self.rejets),
        ];
        for (shape, builders) in tables {
            let (table, columns) = (shape.batch_table(), shape.columns);
            let arrays: Vec<ArrayRef> = builders
                .iter_mut()
                .map(Builder::finish)
                .collect::<Result<_>>()?;
            let batch = RecordBatch::try_new(schema(columns), arrays)
                .map_err(|e| Error::Internal(format!("lot Arrow {table} : {e}")))?;
            if batch.num_rows() > 0 {
                out.push((table, batch));
            }
        }
        self.pending = 0;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long layout repeats a candidate's identity on every grade row: the same value again is
    /// pushed once, a different value and another candidate's values are pushed, and a candidate
    /// met again after another one is pushed again (only the last candidate is remembered).
    #[test]
    fn a_repeated_identity_value_of_the_same_candidate_is_pushed_once() {
        let mut b = Batches::new(Provenance {
            source_id: 1,
            file: PathBuf::from("long.csv"),
            feuille: None,
        });
        b.push_valeur(2024, "C1", "nom", "MARTIN", 2);
        b.push_valeur(2024, "C1", "uai", "0690026D", 2);
        b.push_valeur(2024, "C1", "nom", "MARTIN", 3);
        b.push_valeur(2024, "C1", "uai", "0690026D", 3);
        b.push_valeur(2024, "C1", "nom", "MARTINS", 4);
        b.push_valeur(2024, "C1", "nom", "MARTIN", 5);
        b.push_valeur(2023, "C1", "nom", "MARTIN", 6);
        b.push_valeur(2024, "C2", "nom", "MARTIN", 7);
        b.push_valeur(2024, "C1", "nom", "MARTIN", 8);
        let batches = b.take().unwrap();
        let (_, valeurs) = batches
            .iter()
            .find(|(t, _)| *t == VALEURS.batch_table())
            .unwrap();
        let lignes = valeurs
            .column(6)
            .as_any()
            .downcast_ref::<arrow::array::Int32Array>()
            .unwrap();
        assert_eq!(lignes.values().to_vec(), vec![2, 2, 4, 6, 7, 8]);
    }

    /// Issue 11 item 4: every `push_*` writes every column of its shape, in its kind: one row of
    /// each table with every value given comes out without a null, in a batch whose schema is
    /// the shape's.
    #[test]
    fn every_push_fills_every_column_of_its_shape() {
        let mut b = Batches::new(Provenance {
            source_id: 7,
            file: PathBuf::from("notes.xlsx"),
            feuille: Some("Notes".into()),
        });
        b.push_valeur(2024, "C1", "nom", "NOM", 3);
        b.push_note(&NoteRow {
            session: 2024,
            candidat: "C1",
            epreuve: "E5A",
            note: Some(1400),
            statut: Some("BEN"),
            session_origine: Some(2022),
            examinateur: Some("E5A-P01"),
            commission: Some("C01"),
            sujet: Some("E5A-2024"),
            centre: Some("Lycée"),
            date_epreuve: NaiveDate::from_ymd_opt(2024, 5, 13),
            demi_journee: Some("matin"),
            unite_remplacee: Some("U1"),
            ligne: 3,
            colonne: "E5A /40",
            mode: Some("PONCTUEL"),
            bareme: Some(40),
        });
        b.push_livret(
            2024,
            "C1",
            Some("0690105P"),
            Some("BTS2"),
            (1, 2, 1),
            1250,
            4,
        );
        b.push_avis(2024, "C1", Some("Favorable"), Some(true), 5);
        b.push_jury(2024, "C1", Some(50), Some("ADMIS"), Some("jury"), 6);
        b.push_grille(2024, "C1", ("E5B", "Q1"), 3, Some("E5B-EX01"), 7);
        b.push_correcteur(2024, "C1", "E5A", "E5A-P01-A", 1425, 8);
        b.push_rejet(9, "E1", "douze", &Motif::NoteIllisible);
        let batches = b.take().unwrap();
        assert_eq!(batches.len(), crate::shape::LOADED.len());
        for ((table, batch), shape) in batches.iter().zip(crate::shape::LOADED) {
            assert_eq!(*table, shape.batch_table());
            let schema = batch.schema();
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            let declared: Vec<&str> = shape.columns.iter().map(|(n, _)| *n).collect();
            assert_eq!(names, declared, "{table}");
            assert_eq!(batch.num_rows(), 1, "{table}");
            for (i, (name, _)) in shape.columns.iter().enumerate() {
                assert_eq!(
                    batch.column(i).null_count(),
                    0,
                    "{table}.{name} not written"
                );
            }
        }
    }
}
