//! The decision the results engine must give each generated candidate, and whether the rates
//! count them as présent: the generator's expected counts.
//!
//! Takes the [`Regulation`] (units, coefficients, status effects, decision precedence,
//! thresholds: nothing restated here) and a candidate's exam cells; gives a [`Verdict`] computed
//! in exact integers (grades in hundredths, coefficients in hundredths, points in ten-thousandths).
//! It mirrors `queries/10_notes_unites.sql`, `20_moyennes.sql`, `30_decisions.sql` and the
//! présents of `80_reussite.sql` for what the national generator writes (grades, ABS, ABJ, DISP,
//! NV, RES, empty cells; no kept grade, control exam or jury decision). It is never used by the
//! results engine.

use rust_decimal::Decimal;

use super::super::model::Epreuve;
use super::candidat::{Cellule, Code};
use crate::error::{Error, Result};
use crate::regulation::{Effet, Nature, Regulation};

/// What a status code does, as the regulation says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum EffetCode {
    /// Imposes this decision.
    Decision(String),
    /// The unit leaves the average.
    Dispense,
    /// Marked 0, counts.
    Zero,
}

/// One unit of the regulation with the generator's exams.
#[derive(Debug, Clone)]
struct UniteRegle {
    nature: Nature,
    /// The unit's coefficient, in hundredths.
    coefficient: i64,
    /// Optional units: points above this grade count, in hundredths.
    seuil_bonus: i64,
    /// Exam index in [`Epreuve::TOUTES`] (`None`: an exam the generator never writes) and its
    /// coefficient in hundredths.
    epreuves: Vec<(Option<usize>, i64)>,
}

/// The regulation in integers, ready to judge candidates.
#[derive(Debug, Clone)]
pub(crate) struct Regle {
    unites: Vec<UniteRegle>,
    /// Effect of each generated code, in the order of [`Code::TOUS`].
    effets: [EffetCode; 5],
    /// Blocking decisions, first wins.
    priorite: Vec<String>,
    /// The decision of a missing mandatory grade.
    note_manquante: String,
    /// Thresholds in hundredths.
    admis: i64,
    controle: i64,
    controle_professionnel: i64,
}

/// A decision and whether the candidate counts as présent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// `ADMIS`, `CONTROLE`, `AJOURNE`, or the blocking decision of the regulation.
    pub decision: String,
    /// Sat at least one exam: has a grade given this session.
    pub present: bool,
}

/// A decimal of the regulation in hundredths, refused when it has more than 2 decimals.
fn hundredths(d: Decimal, what: &str) -> Result<i64> {
    let scaled = d * Decimal::ONE_HUNDRED;
    if scaled.fract() != Decimal::ZERO {
        return Err(Error::Internal(format!(
            "règlement : {what} = {d} a plus de 2 décimales"
        )));
    }
    i64::try_from(scaled)
        .map_err(|_| Error::Internal(format!("règlement : {what} = {d} hors limites")))
}

/// How a unit stands, as `notes_unites.etat`.
enum Etat {
    Notee(i64),
    Dispense,
    Statut(String),
    Manquante,
}

impl Regle {
    /// Reads the regulation.
    ///
    /// # Errors
    /// [`Error::Internal`] when a code the generator writes is not in the regulation, or a
    /// number has more than 2 decimals.
    pub(crate) fn new(reg: &Regulation) -> Result<Regle> {
        let mut unites = Vec::with_capacity(reg.unites.len());
        for u in &reg.unites {
            let mut epreuves = Vec::with_capacity(u.epreuves.len());
            for e in &u.epreuves {
                let index = Epreuve::TOUTES.iter().position(|m| m.code() == e.code);
                epreuves.push((index, hundredths(e.coefficient, &e.code)?));
            }
            unites.push(UniteRegle {
                nature: u.nature,
                coefficient: hundredths(u.coefficient.unwrap_or_default(), &u.code)?,
                seuil_bonus: hundredths(u.points_au_dessus_de.unwrap_or_default(), &u.code)?,
                epreuves,
            });
        }
        let effet = |code: Code| -> Result<EffetCode> {
            let statut = reg.statuts.get(code.code()).ok_or_else(|| {
                Error::Internal(format!("règlement : code {} absent", code.code()))
            })?;
            match (statut.effet, &statut.decision) {
                (Effet::Decision, Some(d)) => Ok(EffetCode::Decision(d.clone())),
                (Effet::Dispense, _) => Ok(EffetCode::Dispense),
                (Effet::Zero, _) => Ok(EffetCode::Zero),
                _ => Err(Error::Internal(format!(
                    "règlement : effet du code {} non simulé",
                    code.code()
                ))),
            }
        };
        Ok(Regle {
            unites,
            effets: [
                effet(Code::TOUS[0])?,
                effet(Code::TOUS[1])?,
                effet(Code::TOUS[2])?,
                effet(Code::TOUS[3])?,
                effet(Code::TOUS[4])?,
            ],
            priorite: reg.decisions.priorite.clone(),
            note_manquante: reg.decisions.note_manquante.clone(),
            admis: hundredths(reg.seuils.admis, "seuils.admis")?,
            controle: hundredths(reg.seuils.controle, "seuils.controle")?,
            controle_professionnel: hundredths(
                reg.seuils.controle_moyenne_professionnelle,
                "seuils.controle_moyenne_professionnelle",
            )?,
        })
    }

    fn effet(&self, code: Code) -> &EffetCode {
        let i = Code::TOUS.iter().position(|c| *c == code).unwrap_or(0);
        &self.effets[i]
    }

    fn rang(&self, decision: &str) -> usize {
        self.priorite
            .iter()
            .position(|d| d == decision)
            .unwrap_or(usize::MAX)
    }

    /// A unit's state and points (ten-thousandths), as `queries/10_notes_unites.sql` classes it.
    fn unit_state(&self, u: &UniteRegle, cellules: &[Cellule; 8]) -> (Etat, i64) {
        let (mut notees, mut dispensees, mut points) = (0, 0, 0i64);
        let mut statut: Option<&String> = None;
        for (index, coefficient) in &u.epreuves {
            let cellule = index
                .and_then(|i| cellules.get(i))
                .copied()
                .unwrap_or(Cellule::NonInscrit);
            match cellule {
                Cellule::Note(n) => {
                    notees += 1;
                    points += coefficient * i64::from(n.0);
                }
                Cellule::Code(code) => match self.effet(code) {
                    EffetCode::Zero => notees += 1,
                    EffetCode::Dispense => dispensees += 1,
                    EffetCode::Decision(d) => {
                        if statut.is_none_or(|s| self.rang(d) < self.rang(s)) {
                            statut = Some(d);
                        }
                    }
                },
                Cellule::Vide | Cellule::NonInscrit => {}
            }
        }
        let toutes = u.epreuves.len();
        let etat = if notees == toutes {
            Etat::Notee(points)
        } else if dispensees == toutes {
            Etat::Dispense
        } else if let Some(d) = statut {
            Etat::Statut(d.clone())
        } else {
            Etat::Manquante
        };
        (etat, points)
    }

    /// The decision of a candidate and whether they are présent.
    pub(crate) fn judge(&self, cellules: &[Cellule; 8]) -> Verdict {
        let present = cellules.iter().any(|c| matches!(c, Cellule::Note(_)));
        let mut bloquante: Option<String> = None;
        let mut bloque = |d: &str| {
            if bloquante
                .as_deref()
                .is_none_or(|b| self.rang(d) < self.rang(b))
            {
                bloquante = Some(d.to_string());
            }
        };
        let (mut points, mut coefficients) = (0i64, 0i64);
        let (mut points_pro, mut coefficients_pro) = (0i64, 0i64);
        for u in &self.unites {
            let (etat, _) = self.unit_state(u, cellules);
            if u.nature == Nature::Facultative {
                if let Etat::Notee(p) = etat {
                    let coefficients_epreuves: i64 = u.epreuves.iter().map(|(_, c)| c).sum();
                    points += (p - u.seuil_bonus * coefficients_epreuves).max(0);
                }
                continue;
            }
            if !matches!(etat, Etat::Dispense) {
                coefficients += u.coefficient;
            }
            match etat {
                Etat::Notee(p) => {
                    points += p;
                    if u.nature == Nature::Professionnelle {
                        points_pro += p;
                        coefficients_pro += u.coefficient;
                    }
                }
                Etat::Statut(d) => bloque(&d),
                Etat::Manquante => bloque(&self.note_manquante),
                Etat::Dispense => {}
            }
        }
        let decision = match bloquante {
            Some(d) => d,
            None if coefficients == 0 => self.note_manquante.clone(),
            None if points >= self.admis * coefficients => "ADMIS".to_string(),
            None if points >= self.controle * coefficients
                && coefficients_pro > 0
                && points_pro >= self.controle_professionnel * coefficients_pro =>
            {
                "CONTROLE".to_string()
            }
            None => "AJOURNE".to_string(),
        };
        Verdict { decision, present }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::model::Centiemes;

    fn regle() -> Regle {
        Regle::new(&Regulation::embedded().unwrap()).unwrap()
    }

    fn notes(n: [u16; 7]) -> [Cellule; 8] {
        let mut c = [Cellule::NonInscrit; 8];
        for (cell, x) in c.iter_mut().zip(n) {
            *cell = Cellule::Note(Centiemes(x));
        }
        c
    }

    fn decision(c: &[Cellule; 8]) -> String {
        regle().judge(c).decision
    }

    #[test]
    fn exactly_ten_passes_and_just_below_does_not() {
        assert_eq!(decision(&notes([1000; 7])), "ADMIS");
        // 209.99 points over 21: 9.9995 is not 10; the professional units average 10.
        let mut c = notes([1000; 7]);
        c[0] = Cellule::Note(Centiemes(999));
        assert_eq!(decision(&c), "CONTROLE");
    }

    #[test]
    fn lv2_points_above_ten_are_added() {
        let mut c = notes([990; 7]);
        assert_eq!(decision(&c), "AJOURNE", "professional average below 10");
        // 21 × 0.10 = 2.1 points missing: an LV2 of 12.10 gives them.
        c[7] = Cellule::Note(Centiemes(1210));
        assert_eq!(decision(&c), "ADMIS");
        c[7] = Cellule::Note(Centiemes(1209));
        assert_eq!(decision(&c), "AJOURNE");
    }

    #[test]
    fn status_codes_follow_the_regulation_precedence() {
        let mut c = notes([1200; 7]);
        c[1] = Cellule::Code(Code::Disp);
        assert_eq!(decision(&c), "ADMIS");
        c[3] = Cellule::Code(Code::Abj);
        assert_eq!(decision(&c), "AJOURNE", "E4 marked 0: 12 × 13 / 18");
        c[5] = Cellule::Code(Code::Res);
        assert_eq!(decision(&c), "EN_ATTENTE");
        c[0] = Cellule::Vide;
        assert_eq!(decision(&c), "INCOMPLET");
        c[6] = Cellule::Code(Code::Nv);
        assert_eq!(decision(&c), "NV");
        c[2] = Cellule::Code(Code::Abs);
        assert_eq!(decision(&c), "ABSENT");
        // An absence to the optional LV2 only loses its bonus.
        let mut c = notes([1200; 7]);
        c[7] = Cellule::Code(Code::Abs);
        assert_eq!(decision(&c), "ADMIS");
    }

    #[test]
    fn a_unit_with_a_held_back_part_and_a_missing_part_is_held_back() {
        // As queries/10: a unit with a status code and no grade is 'statut', not 'manquante'.
        let mut c = notes([1200; 7]);
        c[4] = Cellule::Code(Code::Res);
        c[5] = Cellule::Vide;
        assert_eq!(decision(&c), "EN_ATTENTE");
    }

    #[test]
    fn presence_needs_one_grade_given() {
        let mut c = [Cellule::Code(Code::Abs); 8];
        assert!(!regle().judge(&c).present);
        c[0] = Cellule::Code(Code::Abj);
        c[1] = Cellule::Code(Code::Disp);
        assert!(!regle().judge(&c).present);
        c[7] = Cellule::Note(Centiemes(1500));
        assert!(regle().judge(&c).present);
        assert_eq!(regle().judge(&c).decision, "ABSENT");
    }
}
