//! The simulated academy of one session: candidates, their grades, sittings and livret.
//!
//! This is the one place that holds the "truth" of a session before it is written out. The
//! simulation runs in stages, each in its own module and each drawing from its own seeded random
//! stream (so that changing one stage does not reshuffle the others): [`super::roster`] (who sits),
//! [`super::examiners`] (who grades whom, when), [`super::grades`] (ability → grades),
//! [`super::statuses`] (ABS, ABJ, NV, DISP, BEN), [`super::scolarite`] (livret). Writers only read
//! a finished [`Session`]. Extension points belong here as new fields filled by a new stage;
//! stages drawn after the simulation (control exams, E5B grid levels) use their own stream.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::academy::{Classe, Ecole, CLASSES, ECOLES};
use super::uai::format_uai;

/// A grade in hundredths of a point (0 to 2000), so that no float ever decides a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Centiemes(pub u16);

impl Centiemes {
    /// Rounds a raw score to a multiple of `step` hundredths, clamped to 0–20.
    pub(crate) fn from_score(score: f64, step: u16) -> Centiemes {
        let step = f64::from(step.max(1));
        let clamped = score.clamp(0.0, 20.0) * 100.0;
        let rounded = ((clamped / step).round() * step).clamp(0.0, 2000.0);
        // The value is within 0..=2000 after the clamp, so the cast is exact.
        Centiemes(rounded as u16)
    }

    /// The grade as a number of points.
    pub(crate) fn points(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    /// French text without useless zeros: `12,5`, `8`, `8,25`.
    pub(crate) fn comma_short(self) -> String {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => whole.to_string(),
            f if f % 10 == 0 => format!("{whole},{}", f / 10),
            f => format!("{whole},{f:02}"),
        }
    }

    /// French text padded as some school software writes it: `08,25`, `12,50`.
    pub(crate) fn comma_padded(self) -> String {
        format!("{:02},{:02}", self.0 / 100, self.0 % 100)
    }
}

/// An exam of the BTS NDRC (the unit E5 has two sub-exams).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Epreuve {
    /// Culture générale et expression.
    E1,
    /// Langue vivante 1 (oral).
    E2,
    /// Culture économique, juridique et managériale.
    E3,
    /// Relation client et négociation-vente (CCF).
    E4,
    /// Relation client à distance et digitalisation, written part.
    E5A,
    /// Relation client à distance et digitalisation, practical part.
    E5B,
    /// Relation client et animation de réseaux (CCF).
    E6,
    /// Optional LV2.
    EF1,
}

impl Epreuve {
    /// Every exam, in the column order of the wide workbook.
    pub(crate) const TOUTES: [Epreuve; 8] = [
        Epreuve::E1,
        Epreuve::E2,
        Epreuve::E3,
        Epreuve::E4,
        Epreuve::E5A,
        Epreuve::E5B,
        Epreuve::E6,
        Epreuve::EF1,
    ];

    /// The canonical code (`E5A`, `EF1`...).
    pub fn code(self) -> &'static str {
        match self {
            Epreuve::E1 => "E1",
            Epreuve::E2 => "E2",
            Epreuve::E3 => "E3",
            Epreuve::E4 => "E4",
            Epreuve::E5A => "E5A",
            Epreuve::E5B => "E5B",
            Epreuve::E6 => "E6",
            Epreuve::EF1 => "EF1",
        }
    }

    /// Whether the exam is mandatory (every exam but the optional LV2).
    pub(crate) fn is_mandatory(self) -> bool {
        self != Epreuve::EF1
    }
}

/// How a candidate prepared the diploma (the "Catégorie Candidat" of the national export).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Voie {
    /// Students of a school.
    Scolaire,
    /// Apprentices of a CFA.
    Apprentissage,
    /// Adults in continuing education (GRETA).
    FormationContinue,
    /// Individual candidates, with no school.
    Individuel,
    /// Distance learning (CNED).
    Distance,
}

impl Voie {
    /// The category as the national application writes it.
    pub(crate) fn categorie(self) -> &'static str {
        match self {
            Voie::Scolaire => "SCOLAIRE BTS (132)",
            Voie::Apprentissage => "APPRENTI BTS (133)",
            Voie::FormationContinue => "FORMATION CONTINUE (134)",
            Voie::Individuel => "INDIVIDUEL (135)",
            Voie::Distance => "ENSEIGNEMENT A DISTANCE (136)",
        }
    }

    /// Whether candidates of this route belong to a class with CCF grades and a livret.
    pub(crate) fn has_class(self) -> bool {
        !matches!(self, Voie::Individuel | Voie::Distance)
    }
}

/// What stands in an exam cell: a grade or a status code replacing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resultat {
    /// A grade obtained this session.
    Note(Centiemes),
    /// Unjustified absence.
    Absent,
    /// Justified absence.
    AbsentJustifie,
    /// CCF file not compliant.
    NonValide,
    /// Exemption (prior diploma).
    Dispense,
    /// A grade kept from an earlier session.
    Benefice {
        /// The session the grade was obtained in.
        origine: i32,
        /// The kept grade (≥ 10).
        note: Centiemes,
    },
}

/// Where and by whom a candidate sat an oral or written exam with an examiner id (E2, E5A,
/// E5B, and the one-off E4 and E6 of the candidates without a class).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Passage {
    /// The examiner (E2, E4, E5B, E6) or corrector pair (E5A) id.
    pub examinateur: String,
    /// The E5B commission (one per group of up to 5 candidates), numbered from 1.
    pub commission: Option<u32>,
    /// The national subject.
    pub sujet: String,
    /// The exam centre.
    pub centre: &'static str,
    /// The day.
    pub date: NaiveDate,
    /// Afternoon (true) or morning.
    pub apres_midi: bool,
}

/// The jury opinion in the livret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Avis {
    /// Très favorable.
    TresFavorable,
    /// Favorable.
    Favorable,
    /// Doit faire ses preuves.
    DoitFaireSesPreuves,
}

impl Avis {
    /// The label of the livret.
    pub(crate) fn libelle(self) -> &'static str {
        match self {
            Avis::TresFavorable => "Très favorable",
            Avis::Favorable => "Favorable",
            Avis::DoitFaireSesPreuves => "Doit faire ses preuves",
        }
    }
}

/// The livret of a student: semester averages per line, jury opinion, PIX.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Livret {
    /// One entry per livret line (6, or 7 with LV2): year 1 S1, S2, year 2 S1, S2.
    pub moyennes: Vec<[Option<Centiemes>; 4]>,
    /// The jury opinion.
    pub avis: Avis,
    /// The PIX certification flag.
    pub pix: bool,
}

/// One candidate of one session.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidat {
    /// The 10-digit candidate number (text: it starts with 0).
    pub numero: String,
    /// The national student identifier.
    pub ine: String,
    /// Surname, upper case.
    pub nom: String,
    /// First name.
    pub prenom: String,
    /// `M` or `F`.
    pub sexe: char,
    /// Birth date.
    pub naissance: NaiveDate,
    /// Index in [`CLASSES`].
    pub classe: usize,
    /// Latent ability, class effect included.
    pub theta: f64,
    /// Registered to the optional LV2 (EF1).
    pub lv2: bool,
    /// One entry per exam taken (EF1 absent when not registered).
    pub resultats: BTreeMap<Epreuve, Resultat>,
    /// Sittings of E2, E5A and E5B, and of E4 and E6 for a candidate without a class.
    pub passages: BTreeMap<Epreuve, Passage>,
    /// The two E5A correctors' own marks, before they agree on the grade.
    pub e5a_correcteurs: Option<[Centiemes; 2]>,
    /// The livret, for students of a class.
    pub livret: Option<Livret>,
}

impl Candidat {
    /// The candidate's class.
    pub(crate) fn classe(&self) -> &'static Classe {
        &CLASSES[self.classe]
    }

    /// The candidate's school (the exam centre for individual and distance candidates).
    pub(crate) fn ecole(&self) -> &'static Ecole {
        &ECOLES[self.classe().ecole]
    }

    /// The UAI of the candidate's school.
    pub(crate) fn uai(&self) -> String {
        format_uai(self.ecole().numero)
    }

    /// Whether every mandatory exam is an ABS.
    pub(crate) fn is_absent_everywhere(&self) -> bool {
        self.resultats
            .iter()
            .filter(|(e, _)| e.is_mandatory())
            .all(|(_, r)| *r == Resultat::Absent)
    }
}

/// An examiner or corrector and the effect planted on the grades they give.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Examinateur {
    /// The id written in the exports (`E5B-EX03`, `E5A-P02`, `E4-EX01`...).
    pub id: String,
    /// The exam.
    pub epreuve: Epreuve,
    /// Points added to the grades (negative = severe). For an E5A pair, the mean of its correctors.
    pub effet: f64,
    /// For an E5A pair, each corrector's own effect.
    pub correcteurs: Option<[f64; 2]>,
}

/// One simulated session of the academy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Session {
    /// The session year.
    pub annee: i32,
    /// Candidates, sorted by UAI, class, name, first name, birth date.
    pub candidats: Vec<Candidat>,
    /// Examiners of E2 and E5B, corrector pairs of E5A, examiners of the one-off E4 and E6.
    pub examinateurs: Vec<Examinateur>,
}

/// The independent random streams of a session, one per simulation stage or writer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Flux {
    /// Who sits: names, classes, ability.
    Roster = 1,
    /// Who grades whom.
    Jurys = 2,
    /// Grades.
    Notes = 3,
    /// Status codes.
    Statuts = 4,
    /// Livret.
    Scolarite = 5,
    /// How each workbook cell is spelt.
    Cellules = 6,
    /// Which candidates carry the planted errors.
    Plantes = 7,
    /// Control exams and jury decisions.
    Deliberation = 8,
    /// E5B grid levels.
    Grilles = 9,
}

/// The random generator of one stage of one session: same seed, year and stage, same numbers.
pub(crate) fn rng_for(seed: u64, annee: i32, flux: Flux) -> ChaCha8Rng {
    let year = u64::from(annee.unsigned_abs());
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ year.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    rng.set_stream(flux as u64);
    rng
}

/// Simulates one session of `n` candidates: roster, juries, grades, statuses, livret.
pub(crate) fn simulate_session(seed: u64, annee: i32, n: usize) -> Session {
    let candidats = super::roster::build_roster(&mut rng_for(seed, annee, Flux::Roster), n);
    let mut session = Session {
        annee,
        candidats,
        examinateurs: super::examiners::examiners_of(annee),
    };
    super::examiners::assign_examiners(&mut session, &mut rng_for(seed, annee, Flux::Jurys));
    super::grades::grade_session(&mut session, &mut rng_for(seed, annee, Flux::Notes));
    super::statuses::plant_statuses(&mut session, &mut rng_for(seed, annee, Flux::Statuts));
    super::scolarite::fill_livrets(&mut session, &mut rng_for(seed, annee, Flux::Scolarite));
    session
}

/// A date as the exports write it: `dd/mm/yyyy`.
pub(crate) fn format_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_round_to_the_step_and_stay_within_bounds() {
        assert_eq!(Centiemes::from_score(12.26, 25), Centiemes(1225));
        assert_eq!(Centiemes::from_score(12.76, 50), Centiemes(1300));
        assert_eq!(Centiemes::from_score(23.0, 50), Centiemes(2000));
        assert_eq!(Centiemes::from_score(-1.0, 1), Centiemes(0));
    }

    #[test]
    fn grades_are_written_with_a_decimal_comma() {
        assert_eq!(Centiemes(1250).comma_short(), "12,5");
        assert_eq!(Centiemes(825).comma_short(), "8,25");
        assert_eq!(Centiemes(800).comma_short(), "8");
        assert_eq!(Centiemes(825).comma_padded(), "08,25");
        assert_eq!(Centiemes(1250).comma_padded(), "12,50");
    }

    #[test]
    fn same_seed_same_session() {
        assert_eq!(simulate_session(7, 2024, 80), simulate_session(7, 2024, 80));
        assert_ne!(simulate_session(7, 2024, 80), simulate_session(8, 2024, 80));
    }
}
