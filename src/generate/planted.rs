//! The errors planted in the last session's exports, and where they ended up.
//!
//! Exactly one of each, on six distinct candidates whose mandatory grades are all plain grades:
//! in `notes_<Y>.xlsx` a grade of 21 (E3), an unknown status `XYZ` (E6), a grade spelt `douze`
//! (E1), an exact duplicate row, a UAI with a wrong control letter; in `oraux_<Y>.csv` an E5B
//! grade that disagrees with the workbook. The writers apply them; this module only chooses the
//! candidates and describes an error for the truth.

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::model::{Centiemes, Resultat, Session};

/// Which candidate carries each planted error (by candidate number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plantations {
    /// E3 written as the number 21.
    pub note_21: String,
    /// E6 written as the unknown status `XYZ`.
    pub statut_inconnu: String,
    /// E1 written as the text `douze`.
    pub note_en_lettres: String,
    /// Whole row repeated immediately below.
    pub doublon: String,
    /// UAI column with a wrong control letter.
    pub uai_faux: String,
    /// E5B grade in the long CSV differing from the workbook.
    pub desaccord_e5b: String,
}

impl Plantations {
    /// The six candidates carrying a planted error.
    pub(crate) fn candidats(&self) -> [&str; 6] {
        [
            &self.note_21,
            &self.statut_inconnu,
            &self.note_en_lettres,
            &self.doublon,
            &self.uai_faux,
            &self.desaccord_e5b,
        ]
    }
}

/// Chooses six distinct candidates whose mandatory exams all hold a grade.
pub(crate) fn choose_plantations(session: &Session, rng: &mut ChaCha8Rng) -> Plantations {
    let mut propres: Vec<&str> = session
        .candidats
        .iter()
        .filter(|c| {
            c.resultats
                .iter()
                .filter(|(e, _)| e.is_mandatory())
                .all(|(_, r)| matches!(r, Resultat::Note(_)))
        })
        .map(|c| c.numero.as_str())
        .collect();
    propres.shuffle(rng);
    let mut pris = propres.into_iter().map(str::to_owned);
    let mut next = || {
        pris.next()
            .expect("a session has more than six clean candidates")
    };
    Plantations {
        note_21: next(),
        statut_inconnu: next(),
        note_en_lettres: next(),
        doublon: next(),
        uai_faux: next(),
        desaccord_e5b: next(),
    }
}

/// The grade the long CSV shows instead of the workbook's: 3 points away, still within 0–20.
pub(crate) fn disagreeing_grade(note: Centiemes) -> Centiemes {
    if note.0 >= 1000 {
        Centiemes(note.0 - 300)
    } else {
        Centiemes(note.0 + 300)
    }
}

/// One planted error: where it is, what it holds and what the tool must report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErreurPlantee {
    /// The file name (no folder).
    pub fichier: String,
    /// The sheet, for a workbook.
    pub feuille: Option<String>,
    /// The 1-based row as a spreadsheet or text editor shows it (title and preamble rows counted).
    pub ligne: u32,
    /// The column header as written in the file (empty for a whole-row error).
    pub colonne: String,
    /// The candidate number on that row.
    pub candidat: String,
    /// The value written in the cell (the UAI, the text, the number...).
    pub valeur: String,
    /// What the tool must report, in French.
    pub attendu: String,
}
