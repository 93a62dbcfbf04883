//! Status codes replacing grades: ABS, ABJ, NV, DISP, BEN, and the candidates absent everywhere.
//!
//! Each status goes to a distinct set of candidates (no candidate carries two kinds), so the
//! counts in `data/samples/README.md` are easy to check. Per session of `n` candidates:
//! DISP on E1 and E3 for max(2, 3 %) candidates with a prior diploma (continuing education
//! first); 2–3 candidates absent from every exam; one ABS for max(1, 1.5 %); one ABJ for
//! max(2, 0.5 %); NV on E4 or E6 for 2 students of a class; one BEN (kept grade ≥ 10 from one to
//! four sessions earlier) for max(2, 1 %); one ABS at the optional EF1; one candidate who keeps
//! the whole unit U5 (E5A and E5B from one earlier session, the unit grade ≥ 10 while E5B alone is
//! under 10: a grade is kept per unit, D643-15). A kept grade also removes the candidate's sitting
//! of that exam (the one-off E4/E6 orals): they do not sit it.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::model::{Centiemes, Epreuve, Resultat, Session, Voie};

const OBLIGATOIRES: [Epreuve; 7] = [
    Epreuve::E1,
    Epreuve::E2,
    Epreuve::E3,
    Epreuve::E4,
    Epreuve::E5A,
    Epreuve::E5B,
    Epreuve::E6,
];
const PONCTUELLES: [Epreuve; 5] = [
    Epreuve::E1,
    Epreuve::E2,
    Epreuve::E3,
    Epreuve::E5A,
    Epreuve::E5B,
];
const CCF: [Epreuve; 2] = [Epreuve::E4, Epreuve::E6];
const CONSERVABLES: [Epreuve; 4] = [Epreuve::E1, Epreuve::E3, Epreuve::E4, Epreuve::E6];

fn share(n: usize, part: f64, min: usize) -> usize {
    ((n as f64 * part).round() as usize).max(min)
}

/// Removes from `libres` and returns the first `k` candidates that `keep` accepts.
fn take(libres: &mut Vec<usize>, k: usize, keep: impl Fn(usize) -> bool) -> Vec<usize> {
    let mut pris = Vec::with_capacity(k);
    libres.retain(|&c| {
        if pris.len() < k && keep(c) {
            pris.push(c);
            false
        } else {
            true
        }
    });
    pris
}

/// Replaces grades by status codes for disjoint random sets of candidates.
pub(crate) fn plant_statuses(session: &mut Session, rng: &mut ChaCha8Rng) {
    let n = session.candidats.len();
    let mut libres: Vec<usize> = (0..n).collect();
    libres.shuffle(rng);
    let voie = |c: usize| session.candidats[c].classe().voie;
    let mut par_fc_dabord = libres.clone();
    par_fc_dabord.sort_by_key(|&c| voie(c) != Voie::FormationContinue);
    let dispenses = take(&mut par_fc_dabord, share(n, 0.03, 2), |_| true);
    libres.retain(|c| !dispenses.contains(c));
    let absents = take(&mut libres, rng.gen_range(2..=3), |_| true);
    let abs = take(&mut libres, share(n, 0.015, 1), |_| true);
    let abj = take(&mut libres, share(n, 0.005, 2), |_| true);
    let nv = take(&mut libres, 2, |c| voie(c).has_class());
    let ben = take(&mut libres, share(n, 0.01, 2), |_| true);
    let lv2_abs = take(&mut libres, 1, |c| session.candidats[c].lv2);
    let u5_conservee = take(&mut libres, 1, |_| true);

    let annee = session.annee;
    let candidats = &mut session.candidats;
    for c in dispenses {
        for e in [Epreuve::E1, Epreuve::E3] {
            candidats[c].resultats.insert(e, Resultat::Dispense);
        }
    }
    for c in absents {
        for r in candidats[c].resultats.values_mut() {
            *r = Resultat::Absent;
        }
    }
    for (cs, choix, statut) in [
        (abs, &OBLIGATOIRES[..], Resultat::Absent),
        (abj, &PONCTUELLES[..], Resultat::AbsentJustifie),
        (nv, &CCF[..], Resultat::NonValide),
    ] {
        for c in cs {
            let e = *choix.choose(rng).expect("the exam list is not empty");
            candidats[c].resultats.insert(e, statut);
        }
    }
    for c in ben {
        let e = *CONSERVABLES
            .choose(rng)
            .expect("the exam list is not empty");
        let note = Centiemes::from_score(rng.gen_range(10.0..15.0), 50);
        let origine = annee - rng.gen_range(1..=4);
        candidats[c]
            .resultats
            .insert(e, Resultat::Benefice { origine, note });
        // A candidate who keeps a grade does not sit the exam: no examiner for it (only the
        // one-off E4 and E6 of a candidate without a class can have one).
        candidats[c].passages.remove(&e);
    }
    for c in lv2_abs {
        candidats[c]
            .resultats
            .insert(Epreuve::EF1, Resultat::Absent);
    }
    for c in u5_conservee {
        // (2 x E5A + 2 x E5B) / 4 >= 10 with E5B < 10: valid only as one kept unit.
        let origine = annee - rng.gen_range(1..=2);
        let e5a = Centiemes::from_score(rng.gen_range(12.0..14.0), 50);
        let e5b = Centiemes::from_score(rng.gen_range(8.0..9.5), 50);
        for (e, note) in [(Epreuve::E5A, e5a), (Epreuve::E5B, e5b)] {
            candidats[c]
                .resultats
                .insert(e, Resultat::Benefice { origine, note });
            candidats[c].passages.remove(&e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::model::simulate_session;

    #[test]
    fn two_or_three_candidates_are_absent_from_every_exam() {
        for annee in [2022, 2023, 2024] {
            let session = simulate_session(2024, annee, 600);
            let absents = session
                .candidats
                .iter()
                .filter(|c| c.is_absent_everywhere())
                .count();
            assert!((2..=3).contains(&absents), "{annee}: {absents}");
        }
    }

    #[test]
    fn kept_grades_are_at_least_ten_and_at_most_four_sessions_old() {
        let session = simulate_session(2024, 2024, 600);
        let mut vus = 0;
        for c in &session.candidats {
            // The kept unit U5 is checked as one unit below.
            for (_, r) in c
                .resultats
                .iter()
                .filter(|(e, _)| !matches!(e, Epreuve::E5A | Epreuve::E5B))
            {
                if let Resultat::Benefice { origine, note } = r {
                    vus += 1;
                    assert!(note.0 >= 1000);
                    assert!((2020..2024).contains(origine));
                }
            }
        }
        assert_eq!(vus, 6);
    }

    #[test]
    fn one_candidate_keeps_the_whole_unit_u5_from_one_session() {
        for annee in [2022, 2023, 2024] {
            let session = simulate_session(2024, annee, 600);
            let kept: Vec<_> = session
                .candidats
                .iter()
                .filter_map(|c| {
                    match (
                        c.resultats.get(&Epreuve::E5A),
                        c.resultats.get(&Epreuve::E5B),
                    ) {
                        (
                            Some(Resultat::Benefice {
                                origine: a,
                                note: na,
                            }),
                            Some(Resultat::Benefice {
                                origine: b,
                                note: nb,
                            }),
                        ) => Some((*a, *b, na.0, nb.0)),
                        _ => None,
                    }
                })
                .collect();
            assert_eq!(kept.len(), 1, "{annee}");
            let (a, b, na, nb) = kept[0];
            assert_eq!(a, b);
            assert!(na + nb >= 2000 && nb < 1000, "{na} {nb}");
        }
    }
}
