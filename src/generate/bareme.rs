//! The exam regulation applied to a simulated candidate: points, coefficients and the
//! first-group decision (ADMIS, CONTROLE, AJOURNE), so that the generator knows who the results
//! engine will send to the control exams.
//!
//! Takes the [`Regulation`] (units, coefficients, thresholds: nothing is restated here) and a
//! [`Candidat`]; gives a [`Bilan`] in exact decimals. It mirrors queries/10–30 for the cases the
//! generator produces (grades, BEN, DISP, ABS, ABJ, NV); it does not write anything and is not
//! used by the results engine.

use rust_decimal::Decimal;

use super::model::{Candidat, Centiemes, Epreuve, Resultat};
use crate::regulation::{Nature, Regulation};

/// A grade as an exact decimal.
pub(crate) fn decimal(note: Centiemes) -> Decimal {
    Decimal::new(i64::from(note.0), 2)
}

/// A unit of the regulation with the model's exams.
#[derive(Debug, Clone)]
struct UniteBareme {
    code: String,
    nature: Nature,
    coefficient: Decimal,
    seuil_bonus: Decimal,
    epreuves: Vec<(Epreuve, Decimal)>,
}

/// The regulation, keyed by the model's exams.
#[derive(Debug, Clone)]
pub(crate) struct Bareme {
    unites: Vec<UniteBareme>,
    admis: Decimal,
    controle: Decimal,
    controle_professionnel: Decimal,
    /// Units a control grade may replace (U1, U2, U3).
    pub remplacables: Vec<String>,
    /// Exam codes of the control exams (C1, C2).
    pub epreuves_controle: Vec<String>,
}

/// The first-group decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Average at or above the pass threshold.
    Admis,
    /// Allowed to sit the control exams.
    Controle,
    /// Failed.
    Ajourne,
}

impl Decision {
    /// The code of the results (`ADMIS`...).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Decision::Admis => "ADMIS",
            Decision::Controle => "CONTROLE",
            Decision::Ajourne => "AJOURNE",
        }
    }
}

/// The points of a candidate every mandatory unit of whom has a grade or an exemption.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bilan {
    /// Mandatory graded units: code, points (Σ coefficient × grade) and Σ exam coefficients.
    pub unites: Vec<(String, Decimal, Decimal)>,
    /// Points of the mandatory units plus the optional bonus.
    pub points: Decimal,
    /// Coefficients of the mandatory units not exempted.
    pub coefficients: Decimal,
    /// Points of the professional units.
    pub points_professionnels: Decimal,
    /// Coefficients of the professional units.
    pub coefficients_professionnels: Decimal,
}

impl Bilan {
    /// The average truncated to hundredths.
    pub(crate) fn moyenne(&self) -> Decimal {
        moyenne(self.points, self.coefficients)
    }
}

/// `points / coefficients` truncated to hundredths (as the results show it).
pub(crate) fn moyenne(points: Decimal, coefficients: Decimal) -> Decimal {
    if coefficients.is_zero() {
        return Decimal::ZERO;
    }
    (points * Decimal::ONE_HUNDRED / coefficients).floor() / Decimal::ONE_HUNDRED
}

impl Bareme {
    /// Reads the units, coefficients and thresholds of the regulation. Exams the simulation does
    /// not have (EF2) are left out, so their optional unit never gives a bonus.
    pub(crate) fn new(reg: &Regulation) -> Bareme {
        let unites = reg
            .unites
            .iter()
            .map(|u| UniteBareme {
                code: u.code.clone(),
                nature: u.nature,
                coefficient: u.coefficient.unwrap_or_default(),
                seuil_bonus: u.points_au_dessus_de.unwrap_or_default(),
                epreuves: u
                    .epreuves
                    .iter()
                    .filter_map(|e| {
                        Epreuve::TOUTES
                            .into_iter()
                            .find(|m| m.code() == e.code)
                            .map(|m| (m, e.coefficient))
                    })
                    .collect(),
            })
            .filter(|u| !u.epreuves.is_empty())
            .collect();
        Bareme {
            unites,
            admis: reg.seuils.admis,
            controle: reg.seuils.controle,
            controle_professionnel: reg.seuils.controle_moyenne_professionnelle,
            remplacables: reg.controle.unites_remplacables.clone(),
            epreuves_controle: reg.controle.epreuves.clone(),
        }
    }

    /// The candidate's points, or `None` when a mandatory unit has a status code imposing a
    /// decision (ABS, NV), a missing grade, or an exemption of only part of its exams. A justified
    /// absence (ABJ) is marked 0 and counts (Code de l'éducation D643-24).
    pub(crate) fn bilan(&self, c: &Candidat) -> Option<Bilan> {
        let mut bilan = Bilan {
            unites: Vec::new(),
            points: Decimal::ZERO,
            coefficients: Decimal::ZERO,
            points_professionnels: Decimal::ZERO,
            coefficients_professionnels: Decimal::ZERO,
        };
        for u in &self.unites {
            let mut points = Decimal::ZERO;
            let mut coef_epreuves = Decimal::ZERO;
            let mut notees = 0;
            let mut dispensees = 0;
            for (e, coef) in &u.epreuves {
                coef_epreuves += *coef;
                match c.resultats.get(e) {
                    Some(Resultat::Note(n) | Resultat::Benefice { note: n, .. }) => {
                        points += *coef * decimal(*n);
                        notees += 1;
                    }
                    Some(Resultat::AbsentJustifie) => notees += 1,
                    Some(Resultat::Dispense) => dispensees += 1,
                    _ => {}
                }
            }
            let toutes = u.epreuves.len();
            if u.nature == Nature::Facultative {
                if notees == toutes {
                    bilan.points += (points - u.seuil_bonus * coef_epreuves).max(Decimal::ZERO);
                }
            } else if dispensees == toutes {
                continue;
            } else if notees == toutes {
                bilan.points += points;
                bilan.coefficients += u.coefficient;
                if u.nature == Nature::Professionnelle {
                    bilan.points_professionnels += points;
                    bilan.coefficients_professionnels += u.coefficient;
                }
                bilan.unites.push((u.code.clone(), points, coef_epreuves));
            } else {
                return None;
            }
        }
        Some(bilan)
    }

    /// Whether `points` over `coefficients` reaches the pass threshold.
    pub(crate) fn is_admis(&self, points: Decimal, coefficients: Decimal) -> bool {
        coefficients > Decimal::ZERO && points >= self.admis * coefficients
    }

    /// The points missing to reach the pass threshold (zero when reached).
    pub(crate) fn manque_pour_admis(&self, points: Decimal, coefficients: Decimal) -> Decimal {
        (self.admis * coefficients - points).max(Decimal::ZERO)
    }

    /// The first-group decision of a candidate's points.
    pub(crate) fn decision(&self, b: &Bilan) -> Decision {
        if self.is_admis(b.points, b.coefficients) {
            Decision::Admis
        } else if b.points >= self.controle * b.coefficients
            && b.coefficients_professionnels > Decimal::ZERO
            && b.points_professionnels
                >= self.controle_professionnel * b.coefficients_professionnels
        {
            Decision::Controle
        } else {
            Decision::Ajourne
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::model::simulate_session;

    fn bareme() -> Bareme {
        Bareme::new(&Regulation::embedded().expect("embedded regulation"))
    }

    #[test]
    fn points_follow_the_regulation_coefficients() {
        let session = simulate_session(3, 2024, 60);
        let c = session
            .candidats
            .iter()
            .find(|c| !c.lv2 && c.resultats.values().all(|r| matches!(r, Resultat::Note(_))))
            .expect("a candidate with plain grades");
        let note = |e| match c.resultats[&e] {
            Resultat::Note(n) => decimal(n),
            _ => unreachable!(),
        };
        let k = Decimal::from;
        let attendu = k(3) * note(Epreuve::E1)
            + k(3) * note(Epreuve::E2)
            + k(3) * note(Epreuve::E3)
            + k(5) * note(Epreuve::E4)
            + k(2) * note(Epreuve::E5A)
            + k(2) * note(Epreuve::E5B)
            + k(3) * note(Epreuve::E6);
        let b = bareme().bilan(c).expect("complete");
        assert_eq!(b.points, attendu);
        assert_eq!(b.coefficients, Decimal::from(21));
        assert_eq!(b.coefficients_professionnels, Decimal::from(12));
    }

    #[test]
    fn averages_are_truncated_and_ten_passes() {
        assert_eq!(
            moyenne(Decimal::new(20999, 2), Decimal::from(21)),
            Decimal::new(999, 2)
        );
        let b = bareme();
        assert!(b.is_admis(Decimal::from(210), Decimal::from(21)));
        assert!(!b.is_admis(Decimal::new(20999, 2), Decimal::from(21)));
    }
}
