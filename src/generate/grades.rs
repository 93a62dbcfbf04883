//! From latent ability to grades: `grade = 10.5 + 3·θ + exam noise + examiner effect`, rounded
//! the way juries write them and clamped to 0–20.
//!
//! Written papers (E1, E3, E5A) are graded in quarter points, orals (E2, E5B, EF1 and the
//! one-off E4/E6 of candidates without a class) in half points. CCF grades (E4, E6 proposed by
//! schools) are the mean of three half-point situations, so they carry two decimals (12,17), and
//! they include the school's leniency. The one-off E4/E6 grades include their examiner's effect,
//! like E2 and E5B. E5A is marked by two correctors; both marks are kept.
//! Status codes are planted afterwards by [`super::statuses`].

use std::collections::BTreeMap;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::model::{Candidat, Centiemes, Epreuve, Resultat, Session};

/// The mean grade of an average candidate with a neutral examiner.
pub(crate) const MOYENNE: f64 = 10.5;

/// Points per standard deviation of ability.
pub(crate) const PENTE: f64 = 3.0;

/// Situations averaged into a CCF grade.
const SITUATIONS_CCF: u32 = 3;

/// Standard deviation of the exam-specific noise, in points.
fn bruit(epreuve: Epreuve) -> f64 {
    match epreuve {
        Epreuve::E1 | Epreuve::E3 => 2.0,
        Epreuve::E2 | Epreuve::E5A | Epreuve::E5B => 1.8,
        Epreuve::E4 | Epreuve::E6 => 1.5,
        Epreuve::EF1 => 2.2,
    }
}

/// Grades every exam of every candidate (EF1 only for those registered to it).
pub(crate) fn grade_session(session: &mut Session, rng: &mut ChaCha8Rng) {
    let effets: BTreeMap<String, (f64, Option<[f64; 2]>)> = session
        .examinateurs
        .iter()
        .map(|e| (e.id.clone(), (e.effet, e.correcteurs)))
        .collect();
    for candidat in &mut session.candidats {
        for epreuve in Epreuve::TOUTES {
            if epreuve == Epreuve::EF1 && !candidat.lv2 {
                continue;
            }
            let z: f64 = rng.sample(StandardNormal);
            let base = MOYENNE + PENTE * candidat.theta + bruit(epreuve) * z;
            let note = grade_exam(candidat, epreuve, base, &effets, rng);
            candidat.resultats.insert(epreuve, Resultat::Note(note));
        }
    }
}

fn grade_exam(
    candidat: &mut Candidat,
    epreuve: Epreuve,
    base: f64,
    effets: &BTreeMap<String, (f64, Option<[f64; 2]>)>,
    rng: &mut ChaCha8Rng,
) -> Centiemes {
    let (effet, correcteurs) = candidat
        .passages
        .get(&epreuve)
        .and_then(|p| effets.get(&p.examinateur))
        .copied()
        .unwrap_or((0.0, None));
    match epreuve {
        Epreuve::E1 | Epreuve::E3 => Centiemes::from_score(base, 25),
        Epreuve::E2 | Epreuve::E5B => Centiemes::from_score(base + effet, 50),
        Epreuve::EF1 => Centiemes::from_score(base, 50),
        Epreuve::E5A => {
            let copies = correcteurs.unwrap_or([0.0, 0.0]).map(|effet| {
                let z: f64 = rng.sample(StandardNormal);
                Centiemes::from_score(base + effet + 0.5 * z, 25)
            });
            candidat.e5a_correcteurs = Some(copies);
            Centiemes::from_score((copies[0].points() + copies[1].points()) / 2.0, 25)
        }
        Epreuve::E4 | Epreuve::E6 if candidat.classe().voie.has_class() => {
            let biais = candidat.ecole().biais_ccf;
            let total: f64 = (0..SITUATIONS_CCF)
                .map(|_| {
                    let z: f64 = rng.sample(StandardNormal);
                    Centiemes::from_score(base + biais + 0.8 * z, 50).points()
                })
                .sum();
            Centiemes::from_score(total / f64::from(SITUATIONS_CCF), 1)
        }
        Epreuve::E4 | Epreuve::E6 => Centiemes::from_score(base + effet, 50),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::model::simulate_session;

    #[test]
    fn every_grade_is_between_0_and_20_with_at_most_two_decimals() {
        let session = simulate_session(3, 2024, 300);
        for c in &session.candidats {
            for r in c.resultats.values() {
                if let Resultat::Note(n) = r {
                    assert!(n.0 <= 2000);
                }
            }
        }
    }

    /// The session of `simulate_session`, without the E4 and E6 examiners (as before they were
    /// named).
    fn session_without_one_off_examiners(seed: u64, annee: i32, n: usize) -> Session {
        use crate::generate::model::{rng_for, Flux};
        let mut session = Session {
            annee,
            candidats: crate::generate::roster::build_roster(
                &mut rng_for(seed, annee, Flux::Roster),
                n,
            ),
            examinateurs: crate::generate::examiners::examiners_of(annee),
        };
        session
            .examinateurs
            .retain(|e| !matches!(e.epreuve, Epreuve::E4 | Epreuve::E6));
        crate::generate::examiners::assign_examiners(
            &mut session,
            &mut rng_for(seed, annee, Flux::Jurys),
        );
        grade_session(&mut session, &mut rng_for(seed, annee, Flux::Notes));
        crate::generate::statuses::plant_statuses(
            &mut session,
            &mut rng_for(seed, annee, Flux::Statuts),
        );
        session
    }

    #[test]
    fn one_off_e4_e6_grades_move_by_their_examiner_effect_and_nothing_else_changes() {
        for annee in [2022, 2023, 2024] {
            let avec = simulate_session(2024, annee, 600);
            let sans = session_without_one_off_examiners(2024, annee, 600);
            let effets: BTreeMap<&str, f64> = avec
                .examinateurs
                .iter()
                .map(|e| (e.id.as_str(), e.effet))
                .collect();
            let mut deplacees = 0;
            for (a, s) in avec.candidats.iter().zip(&sans.candidats) {
                assert_eq!(a.theta, s.theta);
                assert_eq!(a.e5a_correcteurs, s.e5a_correcteurs);
                for (epreuve, ra) in &a.resultats {
                    let rs = &s.resultats[epreuve];
                    let passage = a.passages.get(epreuve);
                    let un_seul = matches!(epreuve, Epreuve::E4 | Epreuve::E6)
                        && !a.classe().voie.has_class();
                    match (ra, rs, passage) {
                        (Resultat::Note(na), Resultat::Note(ns), Some(p)) if un_seul => {
                            let effet = effets[p.examinateur.as_str()];
                            // Half or whole points: the grade stays on the half-point grid.
                            assert_eq!(na.0 % 50, 0);
                            if (100..=1900).contains(&ns.0) {
                                assert_eq!(na.points(), ns.points() + effet, "{}", a.numero);
                            }
                            deplacees += 1;
                        }
                        _ => assert_eq!(ra, rs, "{} {epreuve:?}", a.numero),
                    }
                }
                for (epreuve, p) in &s.passages {
                    assert_eq!(a.passages.get(epreuve), Some(p));
                }
            }
            assert!(deplacees >= 38, "{annee}: {deplacees}");
        }
    }

    #[test]
    fn orals_are_in_half_points_and_written_papers_in_quarters() {
        let session = simulate_session(3, 2024, 300);
        for c in &session.candidats {
            for (e, r) in &c.resultats {
                let Resultat::Note(n) = r else { continue };
                match e {
                    Epreuve::E2 | Epreuve::E5B | Epreuve::EF1 => assert_eq!(n.0 % 50, 0),
                    Epreuve::E1 | Epreuve::E3 | Epreuve::E5A => assert_eq!(n.0 % 25, 0),
                    Epreuve::E4 | Epreuve::E6 => {}
                }
            }
        }
    }
}
