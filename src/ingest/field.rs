//! The canonical fields a column can hold ([`Field`]), named as in the tables and in the
//! profiles' `[champs]` and `[mots]` sections.
//!
//! A field is a closed enum so that a typo in the code does not compile and a typo in a profile
//! is an error naming the key, instead of a look-up that silently matches nothing.

use std::fmt;

macro_rules! fields {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// A canonical field of an export column.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Field {
            $(#[doc = $doc] $variant,)*
        }

        impl Field {
            /// Every field, in declaration order.
            pub const ALL: &'static [Field] = &[$(Field::$variant,)*];

            /// The name used in the tables and the profiles (`date_naissance`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Field::$variant => $name,)*
                }
            }
        }
    };
}

fields! {
    Session => "session", "The exam session (a year).";
    Candidat => "candidat", "The candidate number.";
    Ine => "ine", "The national student identifier.";
    Nom => "nom", "Family name.";
    Prenom => "prenom", "First name(s).";
    DateNaissance => "date_naissance", "Birth date.";
    Sexe => "sexe", "Sex.";
    Voie => "voie", "Route (candidate category).";
    Academie => "academie", "Academy.";
    Uai => "uai", "School code (UAI).";
    Etablissement => "etablissement", "School name (read, not stored).";
    Classe => "classe", "Class (division).";
    Specialite => "specialite", "Diploma or specialty.";
    Epreuve => "epreuve", "Exam label of a long layout.";
    Note => "note", "Grade of a long layout.";
    Statut => "statut", "Status code in a column of its own (ABS, DISP, BEN...).";
    SessionOrigine => "session_origine", "Origin session of a kept grade.";
    Examinateur => "examinateur", "Examiner or corrector.";
    Commission => "commission", "Examination commission.";
    Sujet => "sujet", "Exam subject.";
    Centre => "centre", "Exam centre.";
    DateEpreuve => "date_epreuve", "Exam date.";
    DemiJournee => "demi_journee", "Half-day of the exam.";
    Matiere => "matiere", "Livret subject (line).";
    A1S1 => "a1s1", "Livret average, year 1, semester 1.";
    A1S2 => "a1s2", "Livret average, year 1, semester 2.";
    A1 => "a1", "Livret annual average of year 1.";
    A2S1 => "a2s1", "Livret average, year 2, semester 1.";
    A2S2 => "a2s2", "Livret average, year 2, semester 2.";
    A2 => "a2", "Livret annual average of year 2.";
    Annee => "annee", "Year of training (1 or 2) of a long livret.";
    Periode => "periode", "Semester or period of a long livret (S1, S2, annual).";
    Moyenne => "moyenne", "Average of a long livret row.";
    Avis => "avis", "Class council opinion.";
    Pix => "pix", "PIX certification.";
    PointsJury => "points_jury", "Points added by the jury.";
    Decision => "decision", "Jury decision.";
    MotifJury => "motif_jury", "Reason of a jury decision.";
    UniteRemplacee => "unite_remplacee", "Unit replaced by a control exam.";
    Question => "question", "Grid question.";
    Niveau => "niveau", "Grid level.";
    NoteCorrecteur => "note_correcteur", "One corrector's own mark.";
}

impl Field {
    /// The field of a profile key, if any.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// Every field name, comma-separated, for messages.
    pub fn all_names() -> String {
        Field::ALL
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_field() {
        for f in Field::ALL {
            assert_eq!(Field::from_name(f.name()), Some(*f));
        }
        assert_eq!(Field::from_name("note_finale"), None);
    }
}
