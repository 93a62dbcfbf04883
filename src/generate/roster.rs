//! Who sits a session: class sizes, identities, routes and latent ability.
//!
//! Takes the session's random stream and the number of candidates; gives the candidates sorted
//! as the exports list them (school, class, name, first name, birth date), with no grade yet.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::academy::{CLASSES, ECOLES};
use super::model::Candidat;
use super::names::{sort_key, NOMS, PRENOMS_F, PRENOMS_M};

/// Share of candidates registered to the optional LV2 (EF1).
const PART_LV2: f64 = 0.3;

/// Share of female candidates.
const PART_FILLES: f64 = 0.55;

/// Draws the `n` candidates of a session, sorted as the exports list them.
pub(crate) fn build_roster(rng: &mut ChaCha8Rng, n: usize) -> Vec<Candidat> {
    let tailles = class_sizes(rng, n);
    let mut numeros = BTreeSet::new();
    let mut candidats = Vec::with_capacity(n);
    for (classe, &taille) in tailles.iter().enumerate() {
        for _ in 0..taille {
            let numero = unique_number(rng, &mut numeros);
            candidats.push(draw_candidate(rng, numero, classe));
        }
    }
    candidats.sort_by_cached_key(|c| {
        (
            ECOLES[c.classe().ecole].numero,
            c.classe().code,
            sort_key(&c.nom),
            sort_key(&c.prenom),
            c.naissance,
            c.numero.clone(),
        )
    });
    candidats
}

/// Splits `n` candidates over the classes: shares perturbed by ±20 %, largest remainders, and
/// at least one candidate per class.
fn class_sizes(rng: &mut ChaCha8Rng, n: usize) -> Vec<usize> {
    let poids: Vec<f64> = CLASSES
        .iter()
        .map(|c| f64::from(c.poids) * rng.gen_range(0.8..1.2))
        .collect();
    let total: f64 = poids.iter().sum();
    let exact: Vec<f64> = poids.iter().map(|p| p / total * n as f64).collect();
    let mut tailles: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut restes: Vec<(usize, f64)> = exact
        .iter()
        .enumerate()
        .map(|(i, x)| (i, x - x.floor()))
        .collect();
    restes.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let manque = n.saturating_sub(tailles.iter().sum());
    for &(i, _) in restes.iter().cycle().take(manque) {
        tailles[i] += 1;
    }
    while let Some(vide) = tailles.iter().position(|&t| t == 0) {
        let plus_grande = (0..tailles.len())
            .max_by_key(|&j| (tailles[j], usize::MAX - j))
            .expect("there are classes");
        if tailles[plus_grande] < 2 {
            break;
        }
        tailles[plus_grande] -= 1;
        tailles[vide] = 1;
    }
    tailles
}

/// A 10-digit candidate number starting with `02`, not yet used in the session.
fn unique_number(rng: &mut ChaCha8Rng, numeros: &mut BTreeSet<String>) -> String {
    loop {
        let numero = format!("02{:08}", rng.gen_range(0..100_000_000u32));
        if numeros.insert(numero.clone()) {
            return numero;
        }
    }
}

fn draw_candidate(rng: &mut ChaCha8Rng, numero: String, classe: usize) -> Candidat {
    let fille = rng.gen_bool(PART_FILLES);
    let prenoms = if fille { PRENOMS_F } else { PRENOMS_M };
    let nom = NOMS.choose(rng).expect("the surname list is not empty");
    let prenom = prenoms
        .choose(rng)
        .expect("the first-name list is not empty");
    let lettres = b"ABCDEFGHJKLMNPRSTUVWXYZ";
    let ine = format!(
        "{:09}{}{}",
        rng.gen_range(0..1_000_000_000u32),
        char::from(lettres[rng.gen_range(0..lettres.len())]),
        char::from(lettres[rng.gen_range(0..lettres.len())]),
    );
    let naissance = NaiveDate::from_yo_opt(rng.gen_range(2002..=2006), rng.gen_range(1..=365))
        .expect("day 1 to 365 exists in every year");
    let z: f64 = rng.sample(StandardNormal);
    Candidat {
        numero,
        ine,
        nom: (*nom).to_owned(),
        prenom: (*prenom).to_owned(),
        sexe: if fille { 'F' } else { 'M' },
        naissance,
        classe,
        theta: z + CLASSES[classe].effet_niveau,
        lv2: rng.gen_bool(PART_LV2),
        resultats: BTreeMap::new(),
        passages: BTreeMap::new(),
        e5a_correcteurs: None,
        livret: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::model::{rng_for, Flux};

    #[test]
    fn class_sizes_add_up_and_no_class_is_empty() {
        for n in [50, 600, 1999] {
            let tailles = class_sizes(&mut rng_for(1, 2024, Flux::Roster), n);
            assert_eq!(tailles.iter().sum::<usize>(), n);
            assert!(tailles.iter().all(|&t| t >= 1));
        }
    }

    #[test]
    fn candidate_numbers_are_unique_ten_digit_texts_with_a_leading_zero() {
        let roster = build_roster(&mut rng_for(1, 2024, Flux::Roster), 600);
        let numeros: BTreeSet<&str> = roster.iter().map(|c| c.numero.as_str()).collect();
        assert_eq!(numeros.len(), 600);
        assert!(numeros.iter().all(|n| n.len() == 10
            && n.starts_with("02")
            && n.bytes().all(|b| b.is_ascii_digit())));
    }
}
