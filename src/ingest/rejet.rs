//! Why a value, a row or a sheet is rejected: [`Motif`], with a stable machine code and a French
//! text, and [`Rejet`], a rejected value with its place in the source.

use std::fmt;

use crate::error::Location;

/// The reason a value or a row is rejected. `Display` is the French text shown to users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Motif {
    /// A grade below 0 or above 20.
    NoteHorsBornes,
    /// A grade with more than 2 decimals.
    TropDeDecimales,
    /// A grade read on a scale (`/40`) that the regulation does not give its exam.
    BaremeNonPrevu {
        /// The scale read.
        sur: u32,
    },
    /// A grade on another scale whose value on 20 would need more than 2 decimals.
    ConversionInexacte {
        /// The scale read.
        sur: u32,
    },
    /// A grade above the scale it says it is on (`45/40`).
    NoteHorsBareme {
        /// The scale read.
        sur: u32,
    },
    /// A grade cell that is neither a number nor a known code.
    NoteIllisible,
    /// A status code that the configuration does not know.
    CodeInconnu,
    /// A kept grade (BEN) without its origin session or its grade.
    BeneficeIncomplet,
    /// A spreadsheet error cell (#DIV/0!, #N/A...).
    CelluleErreur,
    /// A UAI that is not 7 digits and a letter.
    UaiMalForme,
    /// A UAI whose letter is not the check letter of its digits.
    UaiCleInvalide {
        /// The letter the digits call for.
        attendue: char,
    },
    /// A date that cannot be read.
    DateInvalide,
    /// A sex that is neither M nor F in any spelling.
    SexeInconnu,
    /// A route (voie) that the configuration does not know.
    VoieInconnue,
    /// A session that is not a year.
    SessionInvalide,
    /// A session found nowhere (no column, preamble, file or sheet name).
    SessionIntrouvable,
    /// A data row without a candidate number.
    CandidatManquant,
    /// A row identical to an earlier row of the same sheet.
    LigneEnDouble {
        /// The 1-based number of the first occurrence.
        premiere: u32,
    },
    /// An exam label in a long layout that matches no exam.
    EpreuveInconnue,
    /// A livret line label that matches none of the 7 lines.
    MatiereInconnue,
    /// A jury opinion that is none of the three official ones.
    AvisInconnu,
    /// A semester average that cannot be read or is outside 0–20.
    MoyenneInvalide,
    /// The same exam given twice on one row with different values.
    DoubleValeur,
    /// A row of a long layout with an empty grade.
    NoteManquante,
    /// A yes/no cell (PIX) that is neither.
    OuiNonInconnu,
    /// A jury decision that the configuration does not know.
    DecisionInconnue,
    /// Jury points that cannot be read or are outside 0–20.
    PointsJuryInvalides,
    /// A control exam without the unit it replaces, or with one the regulation does not let a
    /// control grade replace.
    UniteRemplaceeInvalide {
        /// The units the regulation lets a control grade replace (`U1, U2, U3`).
        attendues: String,
    },
    /// A grid level that is not 1 to 4, or a row without its question.
    NiveauInvalide,
    /// A corrector's mark without its corrector.
    CorrecteurManquant,
    /// A summary, total or signature row: its candidate cell holds no candidate number.
    LigneDeSynthese,
    /// A grade and a status column that contradict (a grade beside an absence).
    NoteEtStatutContradictoires,
    /// A livret row whose year of training or period cannot be read.
    PeriodeInvalide,
    /// A line the reader could not split into cells (a CSV row with a stray quote).
    LigneIllisible {
        /// What is wrong with the line, in French (`guillemet non fermé`...).
        raison: &'static str,
    },
}

impl Motif {
    /// A stable code for counting and filtering (`rejets.code`).
    pub fn code(&self) -> &'static str {
        match self {
            Motif::NoteHorsBornes => "note_hors_bornes",
            Motif::TropDeDecimales => "trop_de_decimales",
            Motif::BaremeNonPrevu { .. } => "bareme_non_prevu",
            Motif::ConversionInexacte { .. } => "conversion_inexacte",
            Motif::NoteHorsBareme { .. } => "note_hors_bareme",
            Motif::NoteIllisible => "note_illisible",
            Motif::CodeInconnu => "code_inconnu",
            Motif::BeneficeIncomplet => "benefice_incomplet",
            Motif::CelluleErreur => "cellule_erreur",
            Motif::UaiMalForme => "uai_mal_forme",
            Motif::UaiCleInvalide { .. } => "uai_cle_invalide",
            Motif::DateInvalide => "date_invalide",
            Motif::SexeInconnu => "sexe_inconnu",
            Motif::VoieInconnue => "voie_inconnue",
            Motif::SessionInvalide => "session_invalide",
            Motif::SessionIntrouvable => "session_introuvable",
            Motif::CandidatManquant => "candidat_manquant",
            Motif::LigneEnDouble { .. } => "ligne_en_double",
            Motif::EpreuveInconnue => "epreuve_inconnue",
            Motif::MatiereInconnue => "matiere_inconnue",
            Motif::AvisInconnu => "avis_inconnu",
            Motif::MoyenneInvalide => "moyenne_invalide",
            Motif::DoubleValeur => "double_valeur",
            Motif::NoteManquante => "note_manquante",
            Motif::OuiNonInconnu => "oui_non_inconnu",
            Motif::DecisionInconnue => "decision_inconnue",
            Motif::PointsJuryInvalides => "points_jury_invalides",
            Motif::UniteRemplaceeInvalide { .. } => "unite_remplacee_invalide",
            Motif::NiveauInvalide => "niveau_invalide",
            Motif::CorrecteurManquant => "correcteur_manquant",
            Motif::LigneDeSynthese => "ligne_de_synthese",
            Motif::NoteEtStatutContradictoires => "note_et_statut_contradictoires",
            Motif::PeriodeInvalide => "periode_invalide",
            Motif::LigneIllisible { .. } => "ligne_illisible",
        }
    }
}

impl fmt::Display for Motif {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Motif::NoteHorsBornes => write!(f, "note hors de l'intervalle 0 à 20"),
            Motif::TropDeDecimales => write!(f, "note avec plus de 2 décimales"),
            Motif::BaremeNonPrevu { sur } => write!(
                f,
                "note sur {sur} : le règlement ne prévoit pas ce barème pour cette épreuve \
                 (seule une épreuve notée sur {sur} dans data/regulation/ndrc.toml est convertie)"
            ),
            Motif::ConversionInexacte { sur } => write!(
                f,
                "note sur {sur} dont la valeur sur 20 aurait plus de 2 décimales : conversion \
                 exacte impossible"
            ),
            Motif::NoteHorsBareme { sur } => write!(f, "note hors de l'intervalle 0 à {sur}"),
            Motif::NoteIllisible => write!(f, "note illisible (ni nombre ni code connu)"),
            Motif::CodeInconnu => write!(
                f,
                "code de statut inconnu : ajoutez son orthographe à [statuts] dans data/profiles/ndrc.toml pour le reconnaître"
            ),
            Motif::BeneficeIncomplet => write!(
                f,
                "note conservée (BEN) sans session d'origine ou sans note"
            ),
            Motif::CelluleErreur => write!(f, "cellule en erreur dans le tableur"),
            Motif::UaiMalForme => write!(f, "code UAI mal formé (7 chiffres et une lettre attendus)"),
            Motif::UaiCleInvalide { attendue } => {
                write!(f, "lettre de contrôle UAI invalide (attendue : {attendue})")
            }
            Motif::DateInvalide => write!(f, "date illisible"),
            Motif::SexeInconnu => write!(f, "sexe non reconnu (M ou F attendu)"),
            Motif::VoieInconnue => write!(f, "voie de formation non reconnue"),
            Motif::SessionInvalide => write!(f, "session illisible (année attendue)"),
            Motif::SessionIntrouvable => write!(
                f,
                "session introuvable (ni colonne, ni préambule, ni nom de fichier ou de feuille) : utilisez --session"
            ),
            Motif::CandidatManquant => write!(f, "ligne sans numéro de candidat"),
            Motif::LigneEnDouble { premiere } => {
                write!(f, "ligne identique à la ligne {premiere} : doublon ignoré")
            }
            Motif::EpreuveInconnue => write!(f, "épreuve non reconnue"),
            Motif::MatiereInconnue => write!(f, "matière du livret non reconnue"),
            Motif::AvisInconnu => write!(
                f,
                "avis non reconnu (Très favorable, Favorable ou Doit faire ses preuves)"
            ),
            Motif::MoyenneInvalide => write!(f, "moyenne illisible ou hors de 0 à 20"),
            Motif::DoubleValeur => write!(
                f,
                "épreuve donnée dans deux colonnes de la même ligne avec des valeurs différentes"
            ),
            Motif::NoteManquante => write!(f, "note vide sur une ligne de note"),
            Motif::OuiNonInconnu => write!(f, "valeur non reconnue (Oui ou Non attendu)"),
            Motif::DecisionInconnue => write!(
                f,
                "décision du jury non reconnue : ajoutez son orthographe à [decisions] dans data/profiles/ndrc.toml"
            ),
            Motif::PointsJuryInvalides => write!(f, "points du jury illisibles ou hors de 0 à 20"),
            Motif::NiveauInvalide => write!(f, "niveau de grille illisible (1 à 4 attendu, avec sa question)"),
            Motif::CorrecteurManquant => write!(f, "note de correcteur sans correcteur"),
            Motif::LigneDeSynthese => write!(
                f,
                "ligne de synthèse, de total ou de signature (pas un numéro de candidat) : non chargée"
            ),
            Motif::NoteEtStatutContradictoires => write!(
                f,
                "note et code de statut contradictoires sur la même ligne (une note et une absence ou une dispense)"
            ),
            Motif::PeriodeInvalide => write!(
                f,
                "année de formation ou période du livret illisible (1re/2e année ; S1, S2 ou annuelle attendus)"
            ),
            Motif::LigneIllisible { raison } => {
                write!(f, "ligne CSV mal formée ({raison}) : ligne ignorée")
            }
            Motif::UniteRemplaceeInvalide { attendues } => write!(
                f,
                "épreuve de contrôle sans unité remplacée reconnue ({attendues} attendue : \
                 controle.unites_remplacables de data/regulation/ndrc.toml)"
            ),
        }
    }
}

/// A rejected value or row, with its place: file, sheet, 1-based row (preamble included) and
/// column header (`*` for a whole row or sheet), the same [`Location`] errors name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejet {
    /// Where it was read.
    pub location: Location,
    /// The value as read.
    pub valeur: String,
    /// Why it is rejected.
    pub motif: Motif,
}

impl fmt::Display for Rejet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} : « {} » : {}",
            self.location, self.valeur, self.motif
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejet_names_its_file_sheet_row_column_value_and_reason() {
        let r = Rejet {
            location: Location {
                file: "data/notes_2024.xlsx".into(),
                sheet: Some("Notes".into()),
                row: 14,
                column: "E5B".into(),
            },
            valeur: "21".into(),
            motif: Motif::NoteHorsBornes,
        };
        assert_eq!(
            r.to_string(),
            "notes_2024.xlsx, feuille « Notes », ligne 14, colonne E5B : « 21 » : note hors de \
             l'intervalle 0 à 20"
        );
    }
}
