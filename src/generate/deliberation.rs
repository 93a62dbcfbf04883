//! The second group and the jury of a session: who sits the control exams and with what grades,
//! and the jury's sovereign decisions.
//!
//! Takes the simulated [`Session`], the regulation ([`Bareme`]) and the candidates carrying
//! planted errors (left out: their results are not computable as simulated); gives a
//! [`Deliberation`] that the writers of `controles_<Y>.csv` and `decisions_jury_<Y>.xlsx` lay out
//! and the truth reports.
//!
//! - Every candidate whose first-group decision is CONTROLE sits the control exams C1 and C2, in
//!   the two general units (U1–U3) where the grade is lowest (one only if the others are exempted).
//!   A control grade is `10.5 + 3·θ + N(0, 2)` in half points, so some candidates pass after
//!   replacement and others stay AJOURNE.
//! - The jury adds points to the AJOURNE candidates closest to the threshold (average 9.5–9.99,
//!   at most 3 points, up to two candidates) and declares ADMIS one candidate who stayed AJOURNE
//!   after the control exams (or the best AJOURNE). A justified absence is marked 0 (D643-24):
//!   there is no replacement exam to wait for.

use std::collections::BTreeSet;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rust_decimal::Decimal;

use super::bareme::{decimal, moyenne, Bareme, Bilan, Decision};
use super::grades::{MOYENNE, PENTE};
use super::model::{Candidat, Centiemes, Session};

/// Standard deviation of a control grade around the ability, in points.
const BRUIT_CONTROLE: f64 = 2.0;

/// Lowest first-group average the jury adds points to.
const MOYENNE_MIN_POINTS_JURY: Decimal = Decimal::from_parts(950, 0, 0, false, 2);

/// Most points the jury adds.
const POINTS_JURY_MAX: Decimal = Decimal::from_parts(3, 0, 0, false, 0);

/// Candidates the jury adds points to, at most.
const CANDIDATS_POINTS_JURY: usize = 2;

/// One control grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NoteControle {
    /// The control exam (`C1`, `C2`).
    pub epreuve: String,
    /// The general unit it may replace (`U1`...).
    pub unite: String,
    /// The grade.
    pub note: Centiemes,
}

/// A candidate sent to the control exams.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CandidatControle {
    /// Index in the session's candidates.
    pub index: usize,
    /// First-group average (truncated).
    pub moyenne_premier_groupe: Decimal,
    /// C1, then C2.
    pub notes: Vec<NoteControle>,
    /// Points once the higher control grades replace the unit grades.
    pub points_apres: Decimal,
    /// Average after the control exams (truncated).
    pub moyenne_apres: Decimal,
    /// The decision after the control exams (ADMIS or AJOURNE).
    pub decision: Decision,
}

/// A decision the jury writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecisionJury {
    /// Admis.
    Admis,
}

impl DecisionJury {
    /// As the jury spells it in its sheet.
    pub(crate) fn libelle(self) -> &'static str {
        match self {
            DecisionJury::Admis => "Admis",
        }
    }

    /// The code of the results.
    pub(crate) fn code(self) -> &'static str {
        match self {
            DecisionJury::Admis => "ADMIS",
        }
    }
}

/// One row of the jury's sheet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LigneJury {
    /// Index in the session's candidates.
    pub index: usize,
    /// Points added to the candidate's points.
    pub points: Option<Centiemes>,
    /// A decision replacing the computed one.
    pub decision: Option<DecisionJury>,
    /// The reason.
    pub motif: String,
    /// The decision computed before the jury (after the control exams).
    pub decision_calculee: &'static str,
    /// The decision after the jury.
    pub decision_jury: &'static str,
}

/// The second group and the jury of a session.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Deliberation {
    /// Candidates sent to the control exams, in session order.
    pub controles: Vec<CandidatControle>,
    /// Jury rows, in session order.
    pub jury: Vec<LigneJury>,
}

/// Draws the control grades of a CONTROLE candidate and applies them.
fn sit_control_exams(
    bareme: &Bareme,
    index: usize,
    c: &Candidat,
    bilan: &Bilan,
    rng: &mut ChaCha8Rng,
) -> CandidatControle {
    let mut generales: Vec<&(String, Decimal, Decimal)> = bilan
        .unites
        .iter()
        .filter(|(u, _, _)| bareme.remplacables.contains(u))
        .collect();
    // The candidate chooses the units where a control grade can gain the most.
    generales.sort_by_key(|(_, points, coef)| *points / *coef);
    let mut points_apres = bilan.points;
    let notes = bareme
        .epreuves_controle
        .iter()
        .zip(generales)
        .map(|(epreuve, (unite, points, coef))| {
            let z: f64 = rng.sample(StandardNormal);
            let note = Centiemes::from_score(MOYENNE + PENTE * c.theta + BRUIT_CONTROLE * z, 50);
            points_apres += (decimal(note) * *coef - *points).max(Decimal::ZERO);
            NoteControle {
                epreuve: epreuve.clone(),
                unite: unite.clone(),
                note,
            }
        })
        .collect();
    let decision = if bareme.is_admis(points_apres, bilan.coefficients) {
        Decision::Admis
    } else {
        Decision::Ajourne
    };
    CandidatControle {
        index,
        moyenne_premier_groupe: bilan.moyenne(),
        notes,
        points_apres,
        moyenne_apres: moyenne(points_apres, bilan.coefficients),
        decision,
    }
}

/// Rounds points up to the next half point.
fn half_point_up(points: Decimal) -> Decimal {
    (points * Decimal::TWO).ceil() / Decimal::TWO
}

/// Simulates the control exams and the jury of a session.
pub(crate) fn deliberate(
    session: &Session,
    bareme: &Bareme,
    exclus: &BTreeSet<&str>,
    rng: &mut ChaCha8Rng,
) -> Deliberation {
    let mut controles = Vec::new();
    // AJOURNE candidates (after the control exams): index, points, coefficients, was CONTROLE.
    let mut ajournes: Vec<(usize, Decimal, Decimal, bool)> = Vec::new();
    for (index, c) in session.candidats.iter().enumerate() {
        if exclus.contains(c.numero.as_str()) {
            continue;
        }
        let Some(bilan) = bareme.bilan(c) else {
            continue;
        };
        match bareme.decision(&bilan) {
            Decision::Admis => {}
            Decision::Ajourne => ajournes.push((index, bilan.points, bilan.coefficients, false)),
            Decision::Controle => {
                let cc = sit_control_exams(bareme, index, c, &bilan, rng);
                if cc.decision == Decision::Ajourne {
                    ajournes.push((index, cc.points_apres, bilan.coefficients, true));
                }
                controles.push(cc);
            }
        }
    }
    // Closest to the threshold first; ties by session order.
    ajournes.sort_by(|a, b| {
        moyenne(b.1, b.2)
            .cmp(&moyenne(a.1, a.2))
            .then(a.0.cmp(&b.0))
    });
    let mut jury = Vec::new();
    for &(index, points, coefficients, _) in &ajournes {
        let manque = bareme.manque_pour_admis(points, coefficients);
        if jury.len() == CANDIDATS_POINTS_JURY
            || moyenne(points, coefficients) < MOYENNE_MIN_POINTS_JURY
        {
            break;
        }
        let ajout = half_point_up(manque).max(Decimal::new(5, 1));
        if ajout > POINTS_JURY_MAX {
            continue;
        }
        let centiemes = u16::try_from((ajout * Decimal::ONE_HUNDRED).trunc().mantissa())
            .expect("at most 3 points");
        jury.push(LigneJury {
            index,
            points: Some(Centiemes(centiemes)),
            decision: None,
            motif: "Points de jury : assiduité et progression régulière au cours de la formation"
                .into(),
            decision_calculee: "AJOURNE",
            decision_jury: "ADMIS",
        });
    }
    let pris: BTreeSet<usize> = jury.iter().map(|l| l.index).collect();
    let admis = ajournes
        .iter()
        .filter(|a| !pris.contains(&a.0))
        .find(|a| a.3)
        .or_else(|| ajournes.iter().find(|a| !pris.contains(&a.0)));
    if let Some(&(index, ..)) = admis {
        jury.push(LigneJury {
            index,
            points: None,
            decision: Some(DecisionJury::Admis),
            motif: "Délibération du jury : dossier de formation et épreuves de contrôle \
                    témoignant du niveau attendu"
                .into(),
            decision_calculee: "AJOURNE",
            decision_jury: "ADMIS",
        });
    }
    jury.sort_by_key(|l| l.index);
    Deliberation { controles, jury }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::model::{rng_for, simulate_session, Flux};
    use crate::regulation::Regulation;

    fn deliberation(seed: u64, annee: i32) -> (Session, Deliberation) {
        let session = simulate_session(seed, annee, 600);
        let bareme = Bareme::new(&Regulation::embedded().expect("embedded regulation"));
        let d = deliberate(
            &session,
            &bareme,
            &BTreeSet::new(),
            &mut rng_for(seed, annee, Flux::Deliberation),
        );
        (session, d)
    }

    #[test]
    fn control_candidates_sit_two_general_units_and_both_outcomes_occur() {
        let (_, d) = deliberation(2024, 2023);
        assert!(!d.controles.is_empty());
        for c in &d.controles {
            assert!(!c.notes.is_empty() && c.notes.len() <= 2, "{c:?}");
            assert!(c
                .notes
                .iter()
                .all(|n| ["U1", "U2", "U3"].contains(&n.unite.as_str())));
            assert!(c.moyenne_premier_groupe >= Decimal::from(8));
            assert!(c.moyenne_premier_groupe < Decimal::from(10));
            assert!(c.moyenne_apres >= c.moyenne_premier_groupe);
        }
        assert!(d.controles.iter().any(|c| c.decision == Decision::Admis));
        assert!(d.controles.iter().any(|c| c.decision == Decision::Ajourne));
    }

    #[test]
    fn the_jury_writes_points_and_explicit_decisions_once_per_candidate() {
        let (session, d) = deliberation(2024, 2024);
        assert!((3..=5).contains(&d.jury.len()), "{:?}", d.jury);
        let distincts: BTreeSet<usize> = d.jury.iter().map(|l| l.index).collect();
        assert_eq!(distincts.len(), d.jury.len());
        assert!(d.jury.iter().any(|l| l.points.is_some()));
        assert!(d
            .jury
            .iter()
            .any(|l| l.decision == Some(DecisionJury::Admis)));
        assert!(d.jury.iter().all(|l| l.index < session.candidats.len()));
    }
}
