//! The fixed reference data of the simulated academy (Académie de Lyon): schools, classes,
//! exam centres, and the planted school-level truth (ability effects, CCF leniency).
//!
//! Everything here is constant across sessions; what varies per session (class sizes, who is
//! absent, examiner severities) is drawn by the simulation stages.

use super::model::Voie;

/// The academy code written in the workbook's `Académie` column.
pub(crate) const ACADEMIE: &str = "LYON";

/// The academy name written in titles.
pub(crate) const ACADEMIE_NOM: &str = "Académie de Lyon";

/// The specialty code of the BTS NDRC.
pub(crate) const CODE_SPECIALITE: &str = "32031";

/// The specialty label.
pub(crate) const SPECIALITE: &str = "Négociation et digitalisation de la relation client";

/// A school (or the CFA) of the academy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ecole {
    /// The 7 digits of the UAI (the control letter is computed).
    pub numero: u32,
    /// The name as the national application writes it.
    pub nom: &'static str,
    /// The town.
    pub commune: &'static str,
    /// Points added to the CCF grades (E4, E6) that this school proposes.
    pub biais_ccf: f64,
}

/// The strong school: its classes have a higher ability, and meet the lenient E5B examiner.
pub(crate) const ECOLE_FORTE: usize = 0;

/// The weak school.
pub(crate) const ECOLE_FAIBLE: usize = 2;

/// The school whose CCF grades (E4, E6) are lenient.
pub(crate) const ECOLE_CCF_INDULGENTE: usize = 3;

/// The five schools. UAI numbers are fictitious 069xxxx (Rhône) codes.
pub(crate) const ECOLES: [Ecole; 5] = [
    Ecole {
        numero: 690_105,
        nom: "LYCEE LA MARTINIERE DIDEROT",
        commune: "LYON 1ER",
        biais_ccf: 0.0,
    },
    Ecole {
        numero: 690_128,
        nom: "LYCEE JEAN MOULIN",
        commune: "LYON 5E",
        biais_ccf: 0.0,
    },
    Ecole {
        numero: 691_645,
        nom: "LYCEE JACQUES BREL",
        commune: "VENISSIEUX",
        biais_ccf: 0.0,
    },
    Ecole {
        numero: 692_782,
        nom: "LYCEE CONDORCET",
        commune: "SAINT-PRIEST",
        biais_ccf: 1.5,
    },
    Ecole {
        numero: 694_917,
        nom: "CFA DE LA CCI LYON METROPOLE",
        commune: "LYON 9E",
        biais_ccf: 0.0,
    },
];

/// An exam-year class, or the pseudo-class of individual and distance candidates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Classe {
    /// Index of the school (the exam centre for `INDIVIDUEL` and `CNED`).
    pub ecole: usize,
    /// The class code (`Division de classe`).
    pub code: &'static str,
    /// The route of its candidates.
    pub voie: Voie,
    /// Share of the session's candidates, in percent (perturbed each session).
    pub poids: u32,
    /// Added to the candidates' latent ability (the school effect).
    pub effet_niveau: f64,
}

/// The classes of every session. Shares add up to 100.
pub(crate) const CLASSES: [Classe; 10] = [
    classe(0, "BTS2 NDRC A", Voie::Scolaire, 11, 0.6),
    classe(0, "BTS2 NDRC B", Voie::Scolaire, 11, 0.6),
    classe(1, "2NDRC1", Voie::Scolaire, 19, 0.0),
    classe(2, "2NDRC1", Voie::Scolaire, 10, -0.6),
    classe(2, "2NDRC2", Voie::Scolaire, 10, -0.6),
    classe(3, "BTS NDRC 2", Voie::Scolaire, 17, 0.0),
    classe(3, "GRETA NDRC", Voie::FormationContinue, 3, 0.0),
    classe(4, "NDRC2 APP", Voie::Apprentissage, 15, 0.0),
    classe(1, "INDIVIDUEL", Voie::Individuel, 2, -0.4),
    classe(2, "CNED", Voie::Distance, 2, -0.3),
];

const fn classe(ecole: usize, code: &'static str, voie: Voie, poids: u32, effet: f64) -> Classe {
    Classe {
        ecole,
        code,
        voie,
        poids,
        effet_niveau: effet,
    }
}

/// The centres of the oral exams (E2, E5B), which are two of the schools.
pub(crate) const CENTRES_ORAUX: [&str; 2] = [ECOLES[0].nom, ECOLES[1].nom];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::uai::{format_uai, is_valid_uai};

    #[test]
    fn every_school_has_a_valid_rhone_uai() {
        for ecole in &ECOLES {
            let uai = format_uai(ecole.numero);
            assert!(uai.starts_with("069"), "{uai}");
            assert!(is_valid_uai(&uai), "{uai}");
        }
    }

    #[test]
    fn class_shares_add_up_to_one_hundred() {
        assert_eq!(CLASSES.iter().map(|c| c.poids).sum::<u32>(), 100);
    }
}
