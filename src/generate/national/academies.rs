//! The 30 French academies of the national generator, their share of the NDRC candidates, and
//! the schools (lycées, CFA, GRETA) of each, drawn once per academy from the seed.
//!
//! Takes the seed and the national count; gives each academy's count (largest remainders, so the
//! counts add up to the national one) and its schools with valid UAI codes in the academy's
//! departments. It draws no candidate: that is [`super::candidat`].

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::super::uai::format_uai;
use super::streams::{rng_for_academy, Flux};

/// One academy: how the exports name it and where its schools are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Academie {
    /// The name as the `Académie` column writes it.
    pub nom: &'static str,
    /// The file-name form of the name (ASCII, lower case, hyphens).
    pub slug: &'static str,
    /// The academy number, the first two digits of its candidates' numbers.
    pub code: u8,
    /// The departments of its schools, as the first 3 digits of a UAI (`620`, `720` for Corsica).
    pub departements: &'static [u16],
    /// Its share of the national NDRC candidates, in per mille.
    pub poids: u32,
}

const fn academie(
    nom: &'static str,
    slug: &'static str,
    code: u8,
    departements: &'static [u16],
    poids: u32,
) -> Academie {
    Academie {
        nom,
        slug,
        code,
        departements,
        poids,
    }
}

/// The academies, in alphabetical order (the order of the files and of the long CSV's rows).
/// Shares follow the academies' weight in the BTS tertiary sections: Île-de-France, the North
/// and the big southern academies first, the overseas and Corsica last.
pub(crate) const ACADEMIES: [Academie; 30] = [
    academie("Aix-Marseille", "aix-marseille", 2, &[4, 5, 13, 84], 50),
    academie("Amiens", "amiens", 20, &[2, 60, 80], 29),
    academie("Besançon", "besancon", 3, &[25, 39, 70, 90], 17),
    academie("Bordeaux", "bordeaux", 4, &[24, 33, 40, 47, 64], 48),
    academie(
        "Clermont-Ferrand",
        "clermont-ferrand",
        6,
        &[3, 15, 43, 63],
        19,
    ),
    academie("Corse", "corse", 27, &[620, 720], 5),
    academie("Créteil", "creteil", 24, &[77, 93, 94], 74),
    academie("Dijon", "dijon", 7, &[21, 58, 71, 89], 22),
    academie("Grenoble", "grenoble", 8, &[7, 26, 38, 73, 74], 44),
    academie("Guadeloupe", "guadeloupe", 32, &[971], 8),
    academie("Guyane", "guyane", 33, &[973], 5),
    academie("La Réunion", "la-reunion", 28, &[974], 22),
    academie("Lille", "lille", 9, &[59, 62], 68),
    academie("Limoges", "limoges", 22, &[19, 23, 87], 9),
    academie("Lyon", "lyon", 10, &[1, 42, 69], 50),
    academie("Martinique", "martinique", 31, &[972], 7),
    academie("Mayotte", "mayotte", 43, &[976], 5),
    academie("Montpellier", "montpellier", 11, &[11, 30, 34, 48, 66], 40),
    academie("Nancy-Metz", "nancy-metz", 12, &[54, 55, 57, 88], 35),
    academie("Nantes", "nantes", 17, &[44, 49, 53, 72, 85], 47),
    academie("Nice", "nice", 23, &[6, 83], 31),
    academie("Normandie", "normandie", 70, &[14, 27, 50, 61, 76], 45),
    academie(
        "Orléans-Tours",
        "orleans-tours",
        18,
        &[18, 28, 36, 37, 41, 45],
        37,
    ),
    academie("Paris", "paris", 1, &[75], 36),
    academie("Poitiers", "poitiers", 13, &[16, 17, 79, 86], 22),
    academie("Reims", "reims", 19, &[8, 10, 51, 52], 20),
    academie("Rennes", "rennes", 14, &[22, 29, 35, 56], 40),
    academie("Strasbourg", "strasbourg", 15, &[67, 68], 28),
    academie(
        "Toulouse",
        "toulouse",
        16,
        &[9, 12, 31, 32, 46, 65, 81, 82],
        47,
    ),
    academie("Versailles", "versailles", 25, &[78, 91, 92, 95], 90),
];

/// Splits `total` candidates over the academies by their shares (largest remainders, ties to the
/// first academy): the counts add up to `total`.
pub(crate) fn apportion(total: usize) -> [usize; 30] {
    let somme: u64 = ACADEMIES.iter().map(|a| u64::from(a.poids)).sum();
    let total64 = total as u64;
    let mut counts = [0usize; 30];
    let mut restes: Vec<(u64, usize)> = Vec::with_capacity(ACADEMIES.len());
    let mut attribues = 0u64;
    for (i, a) in ACADEMIES.iter().enumerate() {
        let exact = total64 * u64::from(a.poids);
        let part = exact / somme;
        counts[i] = usize::try_from(part).unwrap_or(usize::MAX);
        attribues += part;
        restes.push((exact % somme, i));
    }
    // Largest remainder first; equal remainders go to the academy listed first.
    restes.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    let manquants = usize::try_from(total64 - attribues).unwrap_or(0);
    for &(_, i) in restes.iter().take(manquants) {
        counts[i] += 1;
    }
    counts
}

/// What a school trains for: the routes of its candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Genre {
    /// A lycée (students; also the exam centre of individual and distance candidates).
    Lycee,
    /// A CFA (apprentices).
    Cfa,
    /// A GRETA (adults in continuing education).
    Greta,
}

/// A school of an academy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Etablissement {
    /// The full UAI code (7 digits and the control letter).
    pub uai: String,
    /// What it trains for.
    pub genre: Genre,
    /// Its relative size (candidates are drawn in proportion).
    pub taille: f64,
    /// Added to its candidates' ability (the school effect).
    pub effet: f64,
    /// The exam-year class names of its students (a lycée has one to three).
    pub classes: Vec<&'static str>,
}

/// How schools name their exam-year NDRC classes.
const CLASSES_LYCEE: [&[&str]; 4] = [
    &["BTS NDRC 2"],
    &["BTS2 NDRC A", "BTS2 NDRC B"],
    &["2NDRC1", "2NDRC2", "2NDRC3"],
    &["NDRC2"],
];

/// Draws the schools of an academy: 10 to 40 depending on its share, about one in four a CFA,
/// at least one GRETA; distinct UAI codes in its departments.
pub(crate) fn schools_of(seed: u64, index: usize) -> Vec<Etablissement> {
    let academie = &ACADEMIES[index];
    let mut rng = rng_for_academy(seed, 0, index, Flux::Etablissements);
    let nombre = (10 + academie.poids * 30 / 90).min(40) as usize;
    let mut numeros: Vec<u32> = Vec::with_capacity(nombre);
    let mut ecoles = Vec::with_capacity(nombre);
    while ecoles.len() < nombre {
        let departement = academie.departements[rng.gen_range(0..academie.departements.len())];
        let numero = u32::from(departement) * 10_000 + rng.gen_range(0..10_000);
        if numeros.contains(&numero) {
            continue;
        }
        numeros.push(numero);
        let genre = match ecoles.len() {
            0 => Genre::Greta,
            _ if rng.gen_bool(0.27) => Genre::Cfa,
            _ => Genre::Lycee,
        };
        ecoles.push(Etablissement {
            uai: format_uai(numero),
            genre,
            taille: rng.gen_range(0.4..2.0),
            effet: draw_effect(&mut rng),
            classes: match genre {
                Genre::Lycee => CLASSES_LYCEE[rng.gen_range(0..CLASSES_LYCEE.len())].to_vec(),
                Genre::Cfa => vec!["NDRC2 APP"],
                Genre::Greta => vec!["GRETA NDRC"],
            },
        });
    }
    // A CFA and a lycée in every academy, so that each route has somewhere to go.
    if !ecoles.iter().any(|e| e.genre == Genre::Cfa) {
        if let Some(e) = ecoles.get_mut(1) {
            e.genre = Genre::Cfa;
            e.classes = vec!["NDRC2 APP"];
        }
    }
    if !ecoles.iter().any(|e| e.genre == Genre::Lycee) {
        if let Some(e) = ecoles.get_mut(2) {
            e.genre = Genre::Lycee;
            e.classes = CLASSES_LYCEE[0].to_vec();
        }
    }
    ecoles.sort_by(|a, b| a.uai.cmp(&b.uai));
    ecoles
}

/// A school effect of about ±0.3 ability (sum of uniforms: bounded, bell-shaped).
fn draw_effect(rng: &mut ChaCha8Rng) -> f64 {
    (rng.gen_range(-0.3..0.3) + rng.gen_range(-0.3..0.3)) * 0.75
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::uai::is_valid_uai;

    #[test]
    fn shares_add_up_to_one_thousand_and_codes_are_distinct() {
        assert_eq!(ACADEMIES.iter().map(|a| a.poids).sum::<u32>(), 1000);
        let mut codes: Vec<u8> = ACADEMIES.iter().map(|a| a.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ACADEMIES.len());
    }

    #[test]
    fn every_name_exists_in_windows_1252() {
        for a in &ACADEMIES {
            let (_, _, lossy) = encoding_rs::WINDOWS_1252.encode(a.nom);
            assert!(!lossy, "{}", a.nom);
            assert!(a.slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
        }
    }

    #[test]
    fn counts_add_up_to_the_national_count() {
        for n in [1, 29, 300, 100_000, 1_000_000] {
            assert_eq!(apportion(n).iter().sum::<usize>(), n);
        }
        let c = apportion(100_000);
        assert_eq!(c[29], 9_000, "Versailles");
        assert_eq!(c[5], 500, "Corse");
    }

    #[test]
    fn schools_have_valid_distinct_uai_in_their_departments() {
        for (i, a) in ACADEMIES.iter().enumerate() {
            let ecoles = schools_of(7, i);
            assert!((10..=40).contains(&ecoles.len()), "{}", a.nom);
            assert!(ecoles.iter().any(|e| e.genre == Genre::Cfa));
            assert!(ecoles.iter().any(|e| e.genre == Genre::Greta));
            assert!(ecoles.iter().any(|e| e.genre == Genre::Lycee));
            for e in &ecoles {
                assert!(is_valid_uai(&e.uai), "{}", e.uai);
                let departement: u16 = e.uai[..3].parse().unwrap();
                assert!(a.departements.contains(&departement), "{}", e.uai);
            }
            let mut uai: Vec<&str> = ecoles.iter().map(|e| e.uai.as_str()).collect();
            uai.dedup();
            assert_eq!(uai.len(), ecoles.len());
            assert_eq!(ecoles, schools_of(7, i));
        }
    }
}
