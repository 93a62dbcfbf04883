//! The livret scolaire of the students of a class: semester averages per livret line, the jury
//! opinion and the PIX flag, all correlated with the student's ability.
//!
//! Individual and distance candidates have no class, hence no livret. Three students (or fewer
//! in a tiny run) have no average at all for year 1, semester 1 (they joined late).

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::model::{Avis, Centiemes, Livret, Session};

/// The livret lines, in order; the seventh (LV2) only for students taking EF1.
pub(crate) const LIGNES_LIVRET: [&str; 7] = [
    "Culture générale et expression",
    "Langue vivante 1",
    "Culture économique, juridique et managériale",
    "Bloc 1 - Relation client et négociation vente",
    "Bloc 2 - Relation client à distance et digitalisation",
    "Bloc 3 - Relation client et animation de réseaux",
    "Langue vivante 2",
];

/// Students whose year-1 first semester is missing.
const ARRIVES_EN_COURS: usize = 3;

/// Share of students with the PIX certification.
const PART_PIX: f64 = 0.75;

/// Fills the livret of every student of a class.
pub(crate) fn fill_livrets(session: &mut Session, rng: &mut ChaCha8Rng) {
    for candidat in &mut session.candidats {
        if !candidat.classe().voie.has_class() {
            continue;
        }
        let lignes = if candidat.lv2 { 7 } else { 6 };
        let moyennes = (0..lignes)
            .map(|_| semester_averages(candidat.theta, rng))
            .collect();
        let t = candidat.theta + 0.5 * rng.sample::<f64, _>(StandardNormal);
        let avis = if t > 0.6 {
            Avis::TresFavorable
        } else if t > -0.5 {
            Avis::Favorable
        } else {
            Avis::DoitFaireSesPreuves
        };
        candidat.livret = Some(Livret {
            moyennes,
            avis,
            pix: rng.gen_bool(PART_PIX),
        });
    }
    let mut eleves: Vec<usize> = (0..session.candidats.len())
        .filter(|&c| session.candidats[c].livret.is_some())
        .collect();
    eleves.shuffle(rng);
    for &c in eleves.iter().take(ARRIVES_EN_COURS) {
        if let Some(livret) = session.candidats[c].livret.as_mut() {
            for ligne in &mut livret.moyennes {
                ligne[0] = None;
            }
        }
    }
}

/// Year 1 S1, S2, year 2 S1, S2 of one line: a line level around `11 + 2.6·θ`, a slight
/// progression, and semester noise; two decimals.
fn semester_averages(theta: f64, rng: &mut ChaCha8Rng) -> [Option<Centiemes>; 4] {
    let niveau = 11.0 + 2.6 * theta + 1.2 * rng.sample::<f64, _>(StandardNormal);
    let mut out = [None; 4];
    for (s, slot) in out.iter_mut().enumerate() {
        let progression = 0.2 * (s as f64 - 1.5);
        let z: f64 = rng.sample(StandardNormal);
        *slot = Some(Centiemes::from_score(niveau + progression + 0.9 * z, 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::generate::model::simulate_session;

    #[test]
    fn only_students_of_a_class_have_a_livret_and_lv2_adds_a_line() {
        let session = simulate_session(5, 2024, 200);
        for c in &session.candidats {
            match &c.livret {
                None => assert!(!c.classe().voie.has_class()),
                Some(l) => assert_eq!(l.moyennes.len(), if c.lv2 { 7 } else { 6 }),
            }
        }
    }

    #[test]
    fn three_students_miss_their_first_semester() {
        let session = simulate_session(5, 2024, 200);
        let manquants = session
            .candidats
            .iter()
            .filter_map(|c| c.livret.as_ref())
            .filter(|l| l.moyennes.iter().all(|m| m[0].is_none()))
            .count();
        assert_eq!(manquants, 3);
    }
}
