//! Examiners, their planted severities, and who grades whom, where and when.
//!
//! E2 (LV1 oral): 6 examiners, candidates drawn at random. E5A (written): 6 pairs of correctors,
//! papers drawn at random. E5B (practical): 8 examiners; each half-day has one national subject
//! and waves of 20 candidates, i.e. 4 commissions of 2 examiners and up to 5 candidates, the
//! examiners being paired differently every half-day. Assignment to E5B is **not** random: the
//! strong school's candidates fill most of the most lenient examiner's places. E4 and E6 of
//! candidates without a class (individual and distance routes): 2 examiners each, one-off orals
//! at the candidates' exam centre, individual candidates in the morning and distance candidates in
//! the afternoon; the candidates alternate between the examiners in session order, with no random
//! draw, so that adding these examiners changed no other value of the simulation.
//!
//! Severities rotate with the session year: examiner k gets `EFFETS[(k + year) mod len]`.

use chrono::{Datelike, NaiveDate, Weekday};
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::academy::{CENTRES_ORAUX, ECOLE_FORTE};
use super::model::{Epreuve, Examinateur, Passage, Session, Voie};

/// Points added by the E5B examiners (before rotation).
pub(crate) const EFFETS_E5B: [f64; 8] = [-1.5, -1.0, -0.5, 0.0, 0.0, 0.5, 1.0, 1.5];

/// Points added by the E2 examiners (before rotation).
pub(crate) const EFFETS_E2: [f64; 6] = [-1.5, -0.5, 0.0, 0.0, 0.5, 1.0];

/// Points added by each corrector of the six E5A pairs (before rotation).
pub(crate) const EFFETS_E5A: [[f64; 2]; 6] = [
    [-0.75, -0.25],
    [-0.5, 0.0],
    [0.25, -0.25],
    [0.0, 0.0],
    [0.5, 0.0],
    [0.25, 0.75],
];

/// Points added by the one-off E4 examiners (before rotation): whole points, so that the
/// half-point grades stay on the half-point grid.
pub(crate) const EFFETS_E4: [f64; 2] = [-1.0, 1.0];

/// Points added by the one-off E6 examiners (before rotation), in half points.
pub(crate) const EFFETS_E6: [f64; 2] = [-0.5, 0.5];

/// Share of the lenient E5B examiner's places given to the strong school's candidates.
pub(crate) const PART_FORTE_CHEZ_INDULGENT: f64 = 0.7;

/// Candidates per E5B commission, commissions per wave.
const PLACES_PAR_COMMISSION: usize = 5;
const COMMISSIONS_PAR_VAGUE: usize = 4;

/// The examiners and corrector pairs of a session, with their planted effects.
pub(crate) fn examiners_of(annee: i32) -> Vec<Examinateur> {
    let mut out = Vec::new();
    for (k, effet) in rotated(&EFFETS_E2, annee).into_iter().enumerate() {
        out.push(examiner(
            format!("E2-EX{:02}", k + 1),
            Epreuve::E2,
            effet,
            None,
        ));
    }
    for (k, pair) in rotated(&EFFETS_E5A, annee).into_iter().enumerate() {
        let effet = (pair[0] + pair[1]) / 2.0;
        out.push(examiner(
            format!("E5A-P{:02}", k + 1),
            Epreuve::E5A,
            effet,
            Some(pair),
        ));
    }
    for (k, effet) in rotated(&EFFETS_E5B, annee).into_iter().enumerate() {
        out.push(examiner(
            format!("E5B-EX{:02}", k + 1),
            Epreuve::E5B,
            effet,
            None,
        ));
    }
    for (epreuve, base) in [(Epreuve::E4, &EFFETS_E4), (Epreuve::E6, &EFFETS_E6)] {
        for (k, effet) in rotated(base, annee).into_iter().enumerate() {
            out.push(examiner(
                format!("{}-EX{:02}", epreuve.code(), k + 1),
                epreuve,
                effet,
                None,
            ));
        }
    }
    out
}

fn examiner(id: String, epreuve: Epreuve, effet: f64, pair: Option<[f64; 2]>) -> Examinateur {
    Examinateur {
        id,
        epreuve,
        effet,
        correcteurs: pair,
    }
}

fn rotated<T: Copy>(base: &[T], annee: i32) -> Vec<T> {
    let len = base.len();
    let shift = annee.rem_euclid(len as i32) as usize;
    (0..len).map(|k| base[(k + shift) % len]).collect()
}

/// Gives every candidate a sitting of E2, E5A and E5B, and the candidates without a class a
/// sitting of E4 and E6 (absent candidates are convened too).
pub(crate) fn assign_examiners(session: &mut Session, rng: &mut ChaCha8Rng) {
    assign_e2(session, rng);
    assign_e5a(session, rng);
    assign_e5b(session, rng);
    // Last and without the random generator: the draws of the other exams stay as they were.
    assign_ponctuels(session);
}

fn ids_of(session: &Session, epreuve: Epreuve) -> Vec<String> {
    session
        .examinateurs
        .iter()
        .filter(|e| e.epreuve == epreuve)
        .map(|e| e.id.clone())
        .collect()
}

fn assign_e2(session: &mut Session, rng: &mut ChaCha8Rng) {
    let ids = ids_of(session, Epreuve::E2);
    let n = session.candidats.len();
    let demi_journees = n.div_ceil(10 * ids.len()).clamp(1, 12);
    let par_demi_journee = n.div_ceil(demi_journees);
    let jours = working_days(session.annee, 4, demi_journees.div_ceil(2));
    let mut ordre: Vec<usize> = (0..n).collect();
    ordre.shuffle(rng);
    for (i, &c) in ordre.iter().enumerate() {
        let h = i / par_demi_journee;
        let passage = Passage {
            examinateur: ids[i % ids.len()].clone(),
            commission: None,
            sujet: format!("E2-{}-S{}", session.annee, h + 1),
            centre: CENTRES_ORAUX[i % ids.len() % 2],
            date: jours[h / 2],
            apres_midi: h % 2 == 1,
        };
        session.candidats[c].passages.insert(Epreuve::E2, passage);
    }
}

fn assign_e5a(session: &mut Session, rng: &mut ChaCha8Rng) {
    let ids = ids_of(session, Epreuve::E5A);
    let date = working_days(session.annee, 13, 1)[0];
    let mut ordre: Vec<usize> = (0..session.candidats.len()).collect();
    ordre.shuffle(rng);
    for (i, &c) in ordre.iter().enumerate() {
        let candidat = &mut session.candidats[c];
        let passage = Passage {
            examinateur: ids[i % ids.len()].clone(),
            commission: None,
            sujet: format!("E5A-{}", session.annee),
            centre: candidat.ecole().nom,
            date,
            apres_midi: false,
        };
        candidat.passages.insert(Epreuve::E5A, passage);
    }
}

/// The one-off E4 and E6 orals of the candidates without a class (individual and distance
/// routes; the others have CCF grades from their school). Candidates alternate between the
/// examiners in session order; E4 is on the first working day from 27 May, E6 on the next one.
fn assign_ponctuels(session: &mut Session) {
    let jours = working_days(session.annee, 27, 2);
    let sans_classe: Vec<usize> = (0..session.candidats.len())
        .filter(|&c| !session.candidats[c].classe().voie.has_class())
        .collect();
    for (jour, epreuve) in [Epreuve::E4, Epreuve::E6].into_iter().enumerate() {
        let ids = ids_of(session, epreuve);
        if ids.is_empty() {
            continue;
        }
        for (i, &c) in sans_classe.iter().enumerate() {
            let candidat = &mut session.candidats[c];
            let passage = Passage {
                examinateur: ids[i % ids.len()].clone(),
                commission: None,
                sujet: format!("{}-{}", epreuve.code(), session.annee),
                centre: candidat.ecole().nom,
                date: jours[jour],
                apres_midi: candidat.classe().voie == Voie::Distance,
            };
            candidat.passages.insert(epreuve, passage);
        }
    }
}

/// One place in an E5B commission.
struct Place {
    demi_journee: usize,
    paire: usize,
    groupe: usize,
    examinateur: usize,
}

fn e5b_places(n: usize, examinateurs: usize) -> Vec<Place> {
    let vagues = n.div_ceil(400).max(2);
    let par_demi_journee = vagues * COMMISSIONS_PAR_VAGUE * PLACES_PAR_COMMISSION;
    let mut places = Vec::new();
    let mut groupe = 0;
    for demi_journee in 0..n.div_ceil(par_demi_journee) {
        let paires = round_robin(examinateurs, demi_journee % (examinateurs - 1));
        for _ in 0..vagues {
            for (paire, &(a, b)) in paires.iter().enumerate() {
                for rang in 0..PLACES_PAR_COMMISSION {
                    let examinateur = if rang % 2 == 0 { a } else { b };
                    places.push(Place {
                        demi_journee,
                        paire,
                        groupe,
                        examinateur,
                    });
                }
                groupe += 1;
            }
        }
    }
    places
}

/// The pairs of round `round` of a round-robin tournament between `n` (even) players.
fn round_robin(n: usize, round: usize) -> Vec<(usize, usize)> {
    let m = n - 1;
    let mut paires = vec![(round % m, m)];
    for i in 1..n / 2 {
        paires.push(((round + i) % m, (round + m - i) % m));
    }
    paires
}

fn assign_e5b(session: &mut Session, rng: &mut ChaCha8Rng) {
    let examinateurs: Vec<&Examinateur> = session
        .examinateurs
        .iter()
        .filter(|e| e.epreuve == Epreuve::E5B)
        .collect();
    let indulgent = (0..examinateurs.len())
        .max_by(|&a, &b| examinateurs[a].effet.total_cmp(&examinateurs[b].effet))
        .expect("E5B has examiners");
    let ids: Vec<String> = examinateurs.iter().map(|e| e.id.clone()).collect();
    let places = e5b_places(session.candidats.len(), ids.len());
    let occupant = fill_places(session, &places, indulgent, rng);
    let jours = working_days(
        session.annee,
        14,
        places.last().map_or(1, |p| p.demi_journee / 2 + 1),
    );
    let mut groupes_utilises: Vec<usize> = occupant
        .iter()
        .zip(&places)
        .filter(|(o, _)| o.is_some())
        .map(|(_, p)| p.groupe)
        .collect();
    groupes_utilises.dedup();
    for (place, candidat) in places.iter().zip(&occupant) {
        let Some(c) = *candidat else { continue };
        let rang = groupes_utilises.partition_point(|&g| g < place.groupe);
        let passage = Passage {
            examinateur: ids[place.examinateur].clone(),
            commission: Some(u32::try_from(rang + 1).expect("fewer than 4 billion commissions")),
            sujet: format!("E5B-{}-S{}", session.annee, place.demi_journee + 1),
            centre: CENTRES_ORAUX[place.paire / 2 % 2],
            date: jours[place.demi_journee / 2],
            apres_midi: place.demi_journee % 2 == 1,
        };
        session.candidats[c].passages.insert(Epreuve::E5B, passage);
    }
}

/// Seats the candidates: most of the lenient examiner's places go to the strong school, the
/// other candidates fill the remaining places in order. Returns the occupant of each place.
fn fill_places(
    session: &Session,
    places: &[Place],
    indulgent: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Option<usize>> {
    let mut occupant = vec![None; places.len()];
    let mut chez_indulgent: Vec<usize> = (0..places.len())
        .filter(|&p| places[p].examinateur == indulgent)
        .collect();
    chez_indulgent.shuffle(rng);
    let mut forts: Vec<usize> = (0..session.candidats.len())
        .filter(|&c| {
            let candidat = &session.candidats[c];
            candidat.classe().ecole == ECOLE_FORTE && candidat.classe().voie == Voie::Scolaire
        })
        .collect();
    forts.shuffle(rng);
    let quota = (PART_FORTE_CHEZ_INDULGENT * chez_indulgent.len() as f64).ceil() as usize;
    let places_fortes = quota.min(forts.len());
    for (&p, &c) in chez_indulgent.iter().zip(&forts).take(places_fortes) {
        occupant[p] = Some(c);
    }
    let mut assis = vec![false; session.candidats.len()];
    for &c in &forts[..places_fortes] {
        assis[c] = true;
    }
    let mut autres: Vec<usize> = (0..session.candidats.len())
        .filter(|&c| !assis[c])
        .collect();
    autres.shuffle(rng);
    let libres: Vec<usize> = (0..places.len())
        .filter(|&p| occupant[p].is_none())
        .collect();
    for (p, c) in libres.into_iter().zip(autres) {
        occupant[p] = Some(c);
    }
    occupant
}

/// `count` working days of May of `annee`, from day `from` on (weekends, 1 and 8 May skipped;
/// the list continues into June if May runs out).
fn working_days(annee: i32, from: u32, count: usize) -> Vec<NaiveDate> {
    let mut jours = Vec::with_capacity(count);
    let mut jour = NaiveDate::from_ymd_opt(annee, 5, from).expect("the day exists in May");
    while jours.len() < count.max(1) {
        let ferie = jour.month() == 5 && matches!(jour.day(), 1 | 8);
        if !matches!(jour.weekday(), Weekday::Sat | Weekday::Sun) && !ferie {
            jours.push(jour);
        }
        jour = jour.succ_opt().expect("dates run far beyond any session");
    }
    jours
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin_pairs_every_examiner_once_per_round() {
        for round in 0..7 {
            let mut seen: Vec<usize> = round_robin(8, round)
                .into_iter()
                .flat_map(|(a, b)| [a, b])
                .collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..8).collect::<Vec<_>>());
        }
    }

    #[test]
    fn severities_rotate_with_the_year_but_keep_their_values() {
        let mut a = rotated(&EFFETS_E5B, 2023);
        let mut b = rotated(&EFFETS_E5B, 2024);
        assert_ne!(a, b);
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        assert_eq!(a, b);
    }

    #[test]
    fn one_off_e4_e6_examiners_see_only_candidates_without_a_class() {
        use crate::generate::model::{simulate_session, Resultat};
        for annee in [2022, 2023, 2024] {
            let session = simulate_session(2024, annee, 600);
            let mut vus: std::collections::BTreeMap<&str, usize> = Default::default();
            for c in &session.candidats {
                for epreuve in [Epreuve::E4, Epreuve::E6] {
                    let passage = c.passages.get(&epreuve);
                    if c.classe().voie.has_class() {
                        assert!(passage.is_none(), "{} {epreuve:?}", c.numero);
                        continue;
                    }
                    match (c.resultats.get(&epreuve), passage) {
                        // A kept grade is not sat: no examiner.
                        (Some(Resultat::Benefice { .. }), p) => assert!(p.is_none()),
                        (Some(Resultat::Note(_) | Resultat::Absent), Some(p)) => {
                            assert!(p.examinateur.starts_with(&format!("{}-EX", epreuve.code())));
                            assert_eq!(p.sujet, format!("{}-{annee}", epreuve.code()));
                            assert_eq!(p.centre, c.ecole().nom);
                            assert_eq!(p.date.month(), 5);
                            assert!(p.commission.is_none());
                            *vus.entry(p.examinateur.as_str()).or_default() += 1;
                        }
                        other => panic!("{} {epreuve:?}: {other:?}", c.numero),
                    }
                }
            }
            let ids: Vec<&str> = vus.keys().copied().collect();
            assert_eq!(ids, ["E4-EX01", "E4-EX02", "E6-EX01", "E6-EX02"], "{annee}");
            // The default samples (600 candidates): 21 to 26 candidates without a class, so each
            // examiner is given at least 10.
            assert!(vus.values().all(|&n| n >= 10), "{annee}: {vus:?}");
        }
    }

    #[test]
    fn exam_days_are_weekdays_in_may() {
        for jour in working_days(2024, 4, 10) {
            assert_eq!(jour.month(), 5);
            assert!(!matches!(jour.weekday(), Weekday::Sat | Weekday::Sun));
            assert_ne!(jour.day(), 8);
        }
    }
}
