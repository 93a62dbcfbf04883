//! The candidates of one academy-session of the national generator: identity, route, school,
//! class, specialty, and one cell per exam (a grade, a status code, an empty cell or no row).
//!
//! Takes the seed, the session, the academy and its schools; gives the candidates sorted as the
//! national export lists them (school, class, name), numbered in that order. Grades follow a
//! latent ability (school and route effects included) so that about four candidates in five
//! pass. Status codes: whole absences and scattered ABS, ABJ, exemptions (DISP) on the general
//! units, NV on E4/E6, RES, and a very few empty cells. It writes nothing.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::super::model::{Centiemes, Epreuve};
use super::super::names::{sort_key, NOMS, PRENOMS_F, PRENOMS_M};
use super::academies::{Etablissement, Genre, ACADEMIES};
use super::streams::{rng_for_academy, Flux};

/// A status code written instead of a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// Unjustified absence.
    Abs,
    /// Justified absence (marked 0).
    Abj,
    /// Exemption.
    Disp,
    /// CCF file not compliant.
    Nv,
    /// Grade held back pending a check.
    Res,
}

impl Code {
    /// Every code the generator writes.
    pub(crate) const TOUS: [Code; 5] = [Code::Abs, Code::Abj, Code::Disp, Code::Nv, Code::Res];

    /// The code as the exports and the regulation spell it.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Code::Abs => "ABS",
            Code::Abj => "ABJ",
            Code::Disp => "DISP",
            Code::Nv => "NV",
            Code::Res => "RES",
        }
    }
}

/// What stands for one exam of one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cellule {
    /// A grade given this session.
    Note(Centiemes),
    /// A status code instead of the grade.
    Code(Code),
    /// The exam's row or cell is there, empty, with no code: a missing grade.
    Vide,
    /// Not registered (the optional LV2 not chosen): no row, an empty cell.
    NonInscrit,
}

/// How a candidate prepared the diploma, as the `Voie` column writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Voie {
    /// Students of a lycée.
    Scolaire,
    /// Apprentices of a CFA.
    Apprentissage,
    /// Adults of a GRETA.
    FormationContinue,
    /// Distance learning (CNED).
    Distance,
    /// Individual candidates.
    Individuel,
}

impl Voie {
    /// The label of the `Voie` column.
    pub(crate) fn libelle(self) -> &'static str {
        match self {
            Voie::Scolaire => "Scolaire",
            Voie::Apprentissage => "Apprentissage",
            Voie::FormationContinue => "Formation continue",
            Voie::Distance => "Enseignement à distance",
            Voie::Individuel => "Individuel",
        }
    }

    /// Added to the ability of the route's candidates.
    fn effet(self) -> f64 {
        match self {
            Voie::Scolaire => 0.0,
            Voie::Apprentissage => -0.05,
            Voie::FormationContinue => -0.2,
            Voie::Distance => -0.45,
            Voie::Individuel => -0.55,
        }
    }

    /// The kind of school the route's candidates are attached to (individual and distance
    /// candidates sit in a lycée, their exam centre).
    fn genre(self) -> Genre {
        match self {
            Voie::Apprentissage => Genre::Cfa,
            Voie::FormationContinue => Genre::Greta,
            Voie::Scolaire | Voie::Distance | Voie::Individuel => Genre::Lycee,
        }
    }
}

/// Shares of the routes, in per mille (issue 11: realistic national shares).
const VOIES: [(Voie, u32); 5] = [
    (Voie::Scolaire, 620),
    (Voie::Apprentissage, 300),
    (Voie::FormationContinue, 40),
    (Voie::Distance, 20),
    (Voie::Individuel, 20),
];

/// The specialty of the NDRC candidates.
pub(crate) const NDRC: &str = "NDRC";

/// The other BTS found in the same export, which results and rates must leave out.
pub(crate) const AUTRE_BTS: &str = "MCO";

/// One candidate of the national export.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CandidatNational {
    /// The 10-digit number: academy, session's last two digits, rank in the academy.
    pub numero: String,
    /// Surname, upper case.
    pub nom: &'static str,
    /// First name.
    pub prenom: &'static str,
    /// `F` or `M`.
    pub sexe: char,
    /// The route.
    pub voie: Voie,
    /// The school's UAI.
    pub uai: String,
    /// The class.
    pub classe: &'static str,
    /// `NDRC`, or `MCO` for the other BTS of the export.
    pub specialite: &'static str,
    /// One cell per exam, in the order of [`Epreuve::TOUTES`].
    pub cellules: [Cellule; 8],
}

impl CandidatNational {
    /// Whether the candidate is of the NDRC (the regulation's diploma).
    pub(crate) fn is_ndrc(&self) -> bool {
        self.specialite == NDRC
    }
}

/// Probabilities of the status codes (issue 11, item 2).
mod taux {
    /// Candidates absent from every exam.
    pub const ABSENT_PARTOUT: f64 = 0.005;
    /// Candidates exempted from one or more general units.
    pub const DISPENSE: f64 = 0.03;
    /// Per cell: scattered unjustified absences.
    pub const ABS: f64 = 0.0035;
    /// Per cell: justified absences.
    pub const ABJ: f64 = 0.004;
    /// Per E4 or E6 cell: file not compliant.
    pub const NV: f64 = 0.003;
    /// Per cell: grade held back.
    pub const RES: f64 = 0.0005;
    /// Per mandatory cell: an empty cell with no code.
    pub const VIDE: f64 = 0.0002;
    /// Candidates of the other BTS.
    pub const AUTRE_BTS: f64 = 0.005;
    /// Candidates registered to the optional LV2.
    pub const LV2: f64 = 0.3;
    /// Female candidates.
    pub const FEMMES: f64 = 0.56;
}

/// Mean grade of each exam, in the order of [`Epreuve::TOUTES`].
const MOYENNES: [f64; 8] = [11.5, 12.1, 11.3, 13.1, 11.4, 12.6, 13.0, 12.2];

/// Spread of a grade around its exam's mean.
const ECART: f64 = 3.3;

/// Share of a grade's spread that the ability explains (the rest is the sitting's noise).
const PART_NIVEAU: f64 = 0.72;

/// The name lists without the few names DuckDB's `latin-1` reader refuses (`Œ`, `’`: bytes
/// 0x80–0x9F of Windows-1252), so that the benchmark's DuckDB-alone peer reads the file natively.
/// Every other accent stays (é è ê ë ï î ô ö ü ç).
struct Noms {
    noms: Vec<&'static str>,
    femmes: Vec<&'static str>,
    hommes: Vec<&'static str>,
}

impl Noms {
    fn new() -> Noms {
        let latin1 = |list: &[&'static str]| -> Vec<&'static str> {
            list.iter()
                .copied()
                .filter(|n| n.chars().all(|c| u32::from(c) <= 0xFF))
                .collect()
        };
        Noms {
            noms: latin1(NOMS),
            femmes: latin1(PRENOMS_F),
            hommes: latin1(PRENOMS_M),
        }
    }
}

/// The schools of one kind with their cumulative sizes, for weighted draws.
struct Tirage<'a> {
    ecoles: Vec<(&'a Etablissement, f64)>,
}

impl<'a> Tirage<'a> {
    fn new(ecoles: &'a [Etablissement], genre: Genre) -> Tirage<'a> {
        let mut cumul = 0.0;
        let mut choisies: Vec<(&Etablissement, f64)> = Vec::new();
        for e in ecoles.iter().filter(|e| e.genre == genre) {
            cumul += e.taille;
            choisies.push((e, cumul));
        }
        Tirage { ecoles: choisies }
    }

    fn draw(&self, rng: &mut ChaCha8Rng) -> Option<&'a Etablissement> {
        let total = self.ecoles.last()?.1;
        let x = rng.gen_range(0.0..total);
        self.ecoles
            .iter()
            .find(|(_, c)| x < *c)
            .or(self.ecoles.last())
            .map(|(e, _)| *e)
    }
}

/// Draws the `n` candidates of one academy-session, sorted and numbered.
pub(crate) fn draw_candidates(
    seed: u64,
    session: i32,
    academie: usize,
    n: usize,
    ecoles: &[Etablissement],
) -> Vec<CandidatNational> {
    let mut rng = rng_for_academy(seed, session, academie, Flux::Candidats);
    let tirages = [Genre::Lycee, Genre::Cfa, Genre::Greta].map(|g| (g, Tirage::new(ecoles, g)));
    let noms = Noms::new();
    let mut candidats: Vec<CandidatNational> = (0..n)
        .filter_map(|_| draw_one(&mut rng, &noms, &tirages))
        .collect();
    candidats
        .sort_by_cached_key(|c| (c.uai.clone(), c.classe, sort_key(c.nom), sort_key(c.prenom)));
    let code = ACADEMIES.get(academie).map_or(0, |a| a.code);
    let annee = session.rem_euclid(100);
    for (rang, c) in (1..).zip(candidats.iter_mut()) {
        c.numero = format!("{code:02}{annee:02}{rang:06}");
    }
    candidats
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
}

fn draw_voie(rng: &mut ChaCha8Rng) -> Voie {
    let x = rng.gen_range(0..1000);
    let mut cumul = 0;
    for (voie, part) in VOIES {
        cumul += part;
        if x < cumul {
            return voie;
        }
    }
    Voie::Scolaire
}

fn draw_one(
    rng: &mut ChaCha8Rng,
    noms: &Noms,
    tirages: &[(Genre, Tirage<'_>); 3],
) -> Option<CandidatNational> {
    let femme = rng.gen_bool(taux::FEMMES);
    let nom = pick(rng, &noms.noms);
    let prenom = pick(rng, if femme { &noms.femmes } else { &noms.hommes });
    let voie = draw_voie(rng);
    let ecole = tirages
        .iter()
        .find(|(g, _)| *g == voie.genre())
        .and_then(|(_, t)| t.draw(rng))
        .or_else(|| tirages[0].1.draw(rng))?;
    let autre_bts = rng.gen_bool(taux::AUTRE_BTS);
    let classe = match (voie, autre_bts) {
        (_, true) => "BTS MCO 2",
        (Voie::Scolaire, false) => pick(rng, &ecole.classes),
        (Voie::Apprentissage | Voie::FormationContinue, false) => {
            ecole.classes.first().copied().unwrap_or("NDRC2")
        }
        (Voie::Distance, false) => "CNED",
        (Voie::Individuel, false) => "INDIVIDUEL",
    };
    let niveau: f64 = rng.sample::<f64, _>(StandardNormal) + ecole.effet + voie.effet();
    let lv2 = rng.gen_bool(taux::LV2);
    Some(CandidatNational {
        numero: String::new(),
        nom,
        prenom,
        sexe: if femme { 'F' } else { 'M' },
        voie,
        uai: ecole.uai.clone(),
        classe,
        specialite: if autre_bts { AUTRE_BTS } else { NDRC },
        cellules: draw_cells(rng, niveau, lv2),
    })
}

/// The exam cells: grades from the ability, then the status codes.
fn draw_cells(rng: &mut ChaCha8Rng, niveau: f64, lv2: bool) -> [Cellule; 8] {
    let bruit = (1.0 - PART_NIVEAU * PART_NIVEAU).sqrt();
    let mut cellules = [Cellule::NonInscrit; 8];
    for (i, epreuve) in Epreuve::TOUTES.into_iter().enumerate() {
        if epreuve == Epreuve::EF1 && !lv2 {
            continue;
        }
        let z: f64 = rng.sample(StandardNormal);
        let score = MOYENNES[i] + ECART * (PART_NIVEAU * niveau + bruit * z);
        // Written and CCF grades in quarter points, the others in halves.
        let pas = match epreuve {
            Epreuve::E4 | Epreuve::E5A | Epreuve::E6 => 25,
            _ => 50,
        };
        cellules[i] = Cellule::Note(Centiemes::from_score(score, pas));
    }
    if rng.gen_bool(taux::ABSENT_PARTOUT) {
        for c in cellules.iter_mut().filter(|c| **c != Cellule::NonInscrit) {
            *c = Cellule::Code(Code::Abs);
        }
        return cellules;
    }
    if rng.gen_bool(taux::DISPENSE) {
        // One general unit exempted, sometimes more.
        let premiere = rng.gen_range(0..3);
        for (i, c) in cellules.iter_mut().take(3).enumerate() {
            if i == premiere || rng.gen_bool(0.3) {
                *c = Cellule::Code(Code::Disp);
            }
        }
    }
    for (epreuve, c) in Epreuve::TOUTES.into_iter().zip(cellules.iter_mut()) {
        if !matches!(c, Cellule::Note(_)) {
            continue;
        }
        let x: f64 = rng.gen();
        let nv = if matches!(epreuve, Epreuve::E4 | Epreuve::E6) {
            taux::NV
        } else {
            0.0
        };
        let vide = if epreuve.is_mandatory() {
            taux::VIDE
        } else {
            0.0
        };
        let seuils = [
            (taux::ABS, Cellule::Code(Code::Abs)),
            (taux::ABJ, Cellule::Code(Code::Abj)),
            (nv, Cellule::Code(Code::Nv)),
            (taux::RES, Cellule::Code(Code::Res)),
            (vide, Cellule::Vide),
        ];
        let mut cumul = 0.0;
        for (p, cellule) in seuils {
            cumul += p;
            if x < cumul {
                *c = cellule;
                break;
            }
        }
    }
    cellules
}

#[cfg(test)]
mod tests {
    use super::super::academies::schools_of;
    use super::*;

    #[test]
    fn numbers_are_ten_digits_unique_and_in_file_order() {
        let ecoles = schools_of(3, 6);
        let c = draw_candidates(3, 2024, 6, 2_000, &ecoles);
        assert_eq!(c.len(), 2_000);
        assert!(c
            .iter()
            .all(|c| c.numero.len() == 10 && c.numero.starts_with("2424")));
        assert!(c.windows(2).all(|w| w[0].numero < w[1].numero));
        assert!(c.iter().all(|c| ecoles.iter().any(|e| e.uai == c.uai)));
    }

    #[test]
    fn names_keep_their_accents_within_latin_1() {
        let noms = Noms::new();
        assert!(noms.noms.contains(&"LEFÈVRE") && noms.noms.contains(&"FRANÇOIS"));
        assert!(!noms.noms.contains(&"LECŒUR") && !noms.noms.contains(&"D’ANGELO"));
        assert!(noms.femmes.contains(&"Éloïse") && noms.hommes.contains(&"Noël"));
    }

    #[test]
    fn the_same_academy_session_is_drawn_the_same() {
        let ecoles = schools_of(3, 0);
        assert_eq!(
            draw_candidates(3, 2023, 0, 500, &ecoles),
            draw_candidates(3, 2023, 0, 500, &ecoles)
        );
        assert_ne!(
            draw_candidates(3, 2023, 0, 500, &ecoles),
            draw_candidates(3, 2024, 0, 500, &ecoles)
        );
    }

    #[test]
    fn codes_come_in_their_planned_shares() {
        let ecoles = schools_of(1, 29);
        let c = draw_candidates(1, 2024, 29, 40_000, &ecoles);
        let cellules: Vec<&Cellule> = c
            .iter()
            .flat_map(|c| c.cellules.iter())
            .filter(|c| **c != Cellule::NonInscrit)
            .collect();
        let part = |code| {
            cellules
                .iter()
                .filter(|c| ***c == Cellule::Code(code))
                .count() as f64
                / cellules.len() as f64
        };
        assert!(
            (0.006..0.011).contains(&part(Code::Abs)),
            "{}",
            part(Code::Abs)
        );
        assert!(
            (0.003..0.005).contains(&part(Code::Abj)),
            "{}",
            part(Code::Abj)
        );
        let mco = c.iter().filter(|c| !c.is_ndrc()).count();
        assert!((120..300).contains(&mco), "{mco}");
        let lv2 = c
            .iter()
            .filter(|c| c.cellules[7] != Cellule::NonInscrit)
            .count();
        assert!((11_000..13_000).contains(&lv2), "{lv2}");
        assert!(cellules.iter().any(|c| **c == Cellule::Vide));
        assert!(cellules.iter().any(|c| **c == Cellule::Code(Code::Res)));
    }
}
