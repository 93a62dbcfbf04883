//! The planted truth of a generation: what the analysis tools must find in the exports.
//!
//! [`planted_truth`] rebuilds the exports in memory (no file is written) and reports, per
//! session, the counts a loader must reach, the planted examiner and school effects, the biased
//! E5B assignment, the located planted errors, the candidates sent to the control exams with
//! their control grades, the jury's decisions, and the E5B examiner planted on one grid question. Tests assert against it and
//! `data/samples/README.md` quotes it for the default options.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::academy::{CLASSES, ECOLES, ECOLE_CCF_INDULGENTE, ECOLE_FAIBLE, ECOLE_FORTE};
use super::bareme::{decimal, Bareme};
use super::examiners::PART_FORTE_CHEZ_INDULGENT;
use super::exports::{build_session_exports, SessionExports};
use super::grilles::{planted_examiner, EFFET_PLANTE, QUESTION_PLANTEE};
use super::model::{Candidat, Epreuve, Resultat, Session};
use super::notes_wide::{exam_column, Cellule, FeuilleNotes};
use super::planted::ErreurPlantee;
use super::run::{validate, GenerateOptions};
use super::uai::format_uai;
use crate::error::Result;
use crate::regulation::Regulation;

/// The truth of every generated session, in the order of `--sessions`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlantedTruth {
    /// One entry per session.
    pub sessions: Vec<SessionTruth>,
}

/// The truth of one session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionTruth {
    /// The session year.
    pub session: i32,
    /// Candidates (distinct).
    pub candidats: usize,
    /// Candidates per UAI (= data rows of each "Liste simple" export).
    pub candidats_par_uai: BTreeMap<String, usize>,
    /// Candidates per route, by national category label.
    pub candidats_par_voie: BTreeMap<String, usize>,
    /// Candidates absent from every mandatory exam (not "présents").
    pub absents_partout: Vec<String>,
    /// Data rows of sheet `Notes` (the planted duplicate included).
    pub lignes_classeur: usize,
    /// Non-empty exam cells of sheet `Notes` by canonical exam code (duplicate row included).
    pub cellules_par_epreuve: BTreeMap<String, usize>,
    /// Status codes in the simulated session by code (ABS, ABJ, NV, DISP, BEN), each candidate once.
    pub statuts: BTreeMap<String, usize>,
    /// Data rows of `oraux_<Y>.csv`.
    pub lignes_oraux: usize,
    /// Data rows of livret sheet `Moyennes` (student × line).
    pub lignes_livret: usize,
    /// Non-empty semester averages of sheet `Moyennes`.
    pub valeurs_livret: usize,
    /// Data rows of livret sheet `Avis`.
    pub lignes_avis: usize,
    /// UAI of the strong school (ability +0.6 SD, meets the lenient E5B examiner).
    pub ecole_forte: String,
    /// UAI of the weak school (ability −0.6 SD).
    pub ecole_faible: String,
    /// UAI of the school whose CCF grades (E4, E6) are lenient.
    pub ecole_ccf_indulgente: String,
    /// Classes with their planted ability effect and CCF leniency.
    pub classes: Vec<EffetClasse>,
    /// Examiners (E2, E5B, the one-off E4 and E6 of candidates without a class) and E5A
    /// corrector pairs, with their planted effect.
    pub examinateurs: Vec<EffetPlante>,
    /// The non-random E5B assignment.
    pub affectation_e5b: AffectationE5b,
    /// The planted errors (last session only), sorted by file and row.
    pub erreurs: Vec<ErreurPlantee>,
    /// Candidates whose computed decision is CONTROLE, with their control grades
    /// (`controles_<Y>.csv`), in session order.
    pub controles: Vec<ControlePlante>,
    /// Data rows of `controles_<Y>.csv`.
    pub lignes_controles: usize,
    /// Rows of `decisions_jury_<Y>.xlsx`, sheet `Décisions`, in sheet order.
    pub jury: Vec<DecisionJuryPlantee>,
    /// Data rows of `grilles_<Y>.csv` (graded E5B candidate × question).
    pub lignes_grilles: usize,
    /// Data rows of `correcteurs_e5a_<Y>.csv` (graded E5A paper × corrector).
    pub lignes_correcteurs: usize,
    /// The E5B examiner who rates one grid question differently.
    pub grille_plantee: GrillePlantee,
}

/// The E5B examiner planted as differing on one grid question only.
#[derive(Debug, Clone, PartialEq)]
pub struct GrillePlantee {
    /// Examiner id (neutral on the grade: effect 0).
    pub examinateur: String,
    /// The question (`Q3`).
    pub question: String,
    /// Added to the latent level on that question, in ability units (−1.2: severe).
    pub effet: f64,
}

/// A candidate sent to the control exams (8 ≤ average < 10, professional units ≥ 10).
#[derive(Debug, Clone, PartialEq)]
pub struct ControlePlante {
    /// Candidate number.
    pub candidat: String,
    /// First-group average, truncated to hundredths.
    pub moyenne_premier_groupe: Decimal,
    /// The control grades, C1 then C2.
    pub notes: Vec<NoteControlePlantee>,
    /// Average once each control grade replaces its unit's grade when higher, truncated.
    pub moyenne_apres_controle: Decimal,
    /// The decision after the control exams: `ADMIS` or `AJOURNE`.
    pub decision: String,
}

/// One control grade.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteControlePlantee {
    /// `C1` or `C2`.
    pub epreuve: String,
    /// The general unit it may replace (`U1`, `U2`, `U3`).
    pub unite: String,
    /// The grade.
    pub note: Decimal,
}

/// One row of the jury's sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionJuryPlantee {
    /// The 1-based row in sheet `Décisions` (the header is row 1).
    pub ligne: u32,
    /// Candidate number.
    pub candidat: String,
    /// Points added, if any.
    pub points_jury: Option<Decimal>,
    /// The decision written (`ADMIS`, `AJOURNE`), if any.
    pub decision: Option<String>,
    /// The reason.
    pub motif: String,
    /// The decision computed before the jury (after the control exams).
    pub decision_calculee: String,
    /// The decision once the jury's row is applied.
    pub decision_jury: String,
}

/// A class and the effects planted on its candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct EffetClasse {
    /// UAI of the school (the exam centre for individual and distance candidates).
    pub uai: String,
    /// Class code.
    pub classe: String,
    /// National route category.
    pub voie: String,
    /// Candidates this session.
    pub effectif: usize,
    /// Added to the latent ability (SD units; 1 SD = 3 points).
    pub effet_niveau: f64,
    /// Points added to E4 and E6 CCF grades.
    pub biais_ccf: f64,
}

/// An examiner (or E5A corrector pair) and its planted effect.
#[derive(Debug, Clone, PartialEq)]
pub struct EffetPlante {
    /// Canonical exam code.
    pub epreuve: String,
    /// Id as written in `oraux_<Y>.csv`.
    pub examinateur: String,
    /// Points added to the grades (negative = severe).
    pub effet: f64,
    /// E5A: each corrector's own effect.
    pub correcteurs: Option<[f64; 2]>,
    /// E5A: each corrector's mean mark over the pair's papers, before they agree.
    pub moyennes_correcteurs: Option<[f64; 2]>,
    /// Candidates convened.
    pub convoques: usize,
    /// Candidates graded (ABS and ABJ excluded).
    pub notes: usize,
}

/// How far E5B assignment is from random.
#[derive(Debug, Clone, PartialEq)]
pub struct AffectationE5b {
    /// The most lenient E5B examiner.
    pub examinateur_indulgent: String,
    /// Its effect.
    pub effet: f64,
    /// Target share of its places given to the strong school.
    pub part_visee: f64,
    /// Its candidates.
    pub candidats: usize,
    /// Of which from the strong school.
    pub dont_ecole_forte: usize,
    /// Candidates of the strong school.
    pub candidats_ecole_forte: usize,
}

/// Rebuilds the exports of `opts` in memory and reports what was planted in them.
///
/// # Errors
///
/// [`crate::error::Error::Usage`] for invalid options (as [`super::run`]).
pub fn planted_truth(opts: &GenerateOptions) -> Result<PlantedTruth> {
    validate(opts)?;
    let bareme = Bareme::new(&Regulation::embedded()?);
    let sessions = opts
        .sessions
        .iter()
        .enumerate()
        .map(|(i, &annee)| {
            let derniere = i + 1 == opts.sessions.len();
            session_truth(&build_session_exports(
                opts.seed,
                annee,
                opts.candidats,
                derniere,
                &bareme,
            ))
        })
        .collect();
    Ok(PlantedTruth { sessions })
}

/// Non-empty exam cells of the grade sheet, by canonical exam code.
pub(crate) fn count_exam_cells(feuille: &FeuilleNotes) -> BTreeMap<String, usize> {
    Epreuve::TOUTES
        .iter()
        .map(|&e| {
            let col = exam_column(e);
            let n = feuille
                .lignes
                .iter()
                .filter(|l| !matches!(l.get(col), None | Some(Cellule::Vide)))
                .count();
            (e.code().to_owned(), n)
        })
        .collect()
}

fn session_truth(x: &SessionExports) -> SessionTruth {
    let s = &x.session;
    let mut par_uai = BTreeMap::new();
    let mut par_voie = BTreeMap::new();
    for c in &s.candidats {
        *par_uai.entry(c.uai()).or_insert(0) += 1;
        *par_voie
            .entry(c.classe().voie.categorie().to_owned())
            .or_insert(0) += 1;
    }
    SessionTruth {
        session: s.annee,
        candidats: s.candidats.len(),
        candidats_par_uai: par_uai,
        candidats_par_voie: par_voie,
        absents_partout: s
            .candidats
            .iter()
            .filter(|c| c.is_absent_everywhere())
            .map(|c| c.numero.clone())
            .collect(),
        lignes_classeur: x.notes.lignes.len(),
        cellules_par_epreuve: count_exam_cells(&x.notes),
        statuts: count_statuses(s),
        lignes_oraux: x.oraux.lignes.len(),
        lignes_livret: x.livret.moyennes.len(),
        valeurs_livret: x
            .livret
            .moyennes
            .iter()
            .flat_map(|l| l.iter().skip(7))
            .filter(|c| **c != Cellule::Vide)
            .count(),
        lignes_avis: x.livret.avis.len(),
        ecole_forte: format_uai(ECOLES[ECOLE_FORTE].numero),
        ecole_faible: format_uai(ECOLES[ECOLE_FAIBLE].numero),
        ecole_ccf_indulgente: format_uai(ECOLES[ECOLE_CCF_INDULGENTE].numero),
        classes: class_effects(s),
        examinateurs: examiner_effects(s),
        affectation_e5b: e5b_assignment(s),
        erreurs: x.erreurs.clone(),
        controles: control_truth(x),
        lignes_controles: x.deliberation.controles.iter().map(|c| c.notes.len()).sum(),
        jury: jury_truth(x),
        lignes_grilles: x.grilles.len(),
        lignes_correcteurs: x.correcteurs.len(),
        grille_plantee: GrillePlantee {
            examinateur: planted_examiner(s).to_owned(),
            question: QUESTION_PLANTEE.to_owned(),
            effet: EFFET_PLANTE,
        },
    }
}

fn control_truth(x: &SessionExports) -> Vec<ControlePlante> {
    x.deliberation
        .controles
        .iter()
        .map(|cc| ControlePlante {
            candidat: x.session.candidats[cc.index].numero.clone(),
            moyenne_premier_groupe: cc.moyenne_premier_groupe,
            notes: cc
                .notes
                .iter()
                .map(|n| NoteControlePlantee {
                    epreuve: n.epreuve.clone(),
                    unite: n.unite.clone(),
                    note: decimal(n.note),
                })
                .collect(),
            moyenne_apres_controle: cc.moyenne_apres,
            decision: cc.decision.code().to_owned(),
        })
        .collect()
}

fn jury_truth(x: &SessionExports) -> Vec<DecisionJuryPlantee> {
    (2u32..)
        .zip(&x.deliberation.jury)
        .map(|(ligne, l)| DecisionJuryPlantee {
            ligne,
            candidat: x.session.candidats[l.index].numero.clone(),
            points_jury: l.points.map(decimal),
            decision: l.decision.map(|d| d.code().to_owned()),
            motif: l.motif.clone(),
            decision_calculee: l.decision_calculee.to_owned(),
            decision_jury: l.decision_jury.to_owned(),
        })
        .collect()
}

/// Status codes of the simulated session (the planted errors are not statuses).
fn count_statuses(s: &Session) -> BTreeMap<String, usize> {
    let mut statuts = BTreeMap::new();
    for r in s.candidats.iter().flat_map(|c| c.resultats.values()) {
        let code = match r {
            Resultat::Note(_) => continue,
            Resultat::Absent => "ABS",
            Resultat::AbsentJustifie => "ABJ",
            Resultat::NonValide => "NV",
            Resultat::Dispense => "DISP",
            Resultat::Benefice { .. } => "BEN",
        };
        *statuts.entry(code.to_owned()).or_insert(0) += 1;
    }
    statuts
}

fn class_effects(s: &Session) -> Vec<EffetClasse> {
    CLASSES
        .iter()
        .enumerate()
        .map(|(k, classe)| EffetClasse {
            uai: format_uai(ECOLES[classe.ecole].numero),
            classe: classe.code.to_owned(),
            voie: classe.voie.categorie().to_owned(),
            effectif: s.candidats.iter().filter(|c| c.classe == k).count(),
            effet_niveau: classe.effet_niveau,
            biais_ccf: if classe.voie.has_class() {
                ECOLES[classe.ecole].biais_ccf
            } else {
                0.0
            },
        })
        .collect()
}

fn examiner_effects(s: &Session) -> Vec<EffetPlante> {
    s.examinateurs
        .iter()
        .map(|ex| {
            let vus: Vec<_> = s
                .candidats
                .iter()
                .filter(|c| {
                    c.passages
                        .get(&ex.epreuve)
                        .is_some_and(|p| p.examinateur == ex.id)
                })
                .collect();
            let notes = vus
                .iter()
                .filter(|c| matches!(c.resultats.get(&ex.epreuve), Some(Resultat::Note(_))))
                .count();
            let copies: Vec<[f64; 2]> = vus
                .iter()
                .filter(|c| matches!(c.resultats.get(&ex.epreuve), Some(Resultat::Note(_))))
                .filter_map(|c| c.e5a_correcteurs.map(|m| m.map(|n| n.points())))
                .collect();
            let moyennes_correcteurs =
                (ex.epreuve == Epreuve::E5A && !copies.is_empty()).then(|| {
                    let n = copies.len() as f64;
                    [0, 1].map(|k| copies.iter().map(|m| m[k]).sum::<f64>() / n)
                });
            EffetPlante {
                epreuve: ex.epreuve.code().to_owned(),
                examinateur: ex.id.clone(),
                effet: ex.effet,
                correcteurs: ex.correcteurs,
                moyennes_correcteurs,
                convoques: vus.len(),
                notes,
            }
        })
        .collect()
}

fn e5b_assignment(s: &Session) -> AffectationE5b {
    let indulgent = s
        .examinateurs
        .iter()
        .filter(|e| e.epreuve == Epreuve::E5B)
        .max_by(|a, b| a.effet.total_cmp(&b.effet))
        .expect("E5B has examiners");
    let forte = |c: &Candidat| c.classe().ecole == ECOLE_FORTE;
    let chez_lui: Vec<_> = s
        .candidats
        .iter()
        .filter(|c| {
            c.passages
                .get(&Epreuve::E5B)
                .is_some_and(|p| p.examinateur == indulgent.id)
        })
        .collect();
    AffectationE5b {
        examinateur_indulgent: indulgent.id.clone(),
        effet: indulgent.effet,
        part_visee: PART_FORTE_CHEZ_INDULGENT,
        candidats: chez_lui.len(),
        dont_ecole_forte: chez_lui.iter().filter(|c| forte(c)).count(),
        candidats_ecole_forte: s.candidats.iter().filter(|c| forte(c)).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> GenerateOptions {
        GenerateOptions {
            out: "unused".into(),
            seed: 2024,
            candidats: 200,
            sessions: vec![2023, 2024],
        }
    }

    #[test]
    fn errors_are_planted_in_the_last_session_only() {
        let truth = planted_truth(&small()).expect("valid options");
        assert!(truth.sessions[0].erreurs.is_empty());
        let erreurs = &truth.sessions[1].erreurs;
        assert_eq!(erreurs.len(), 6);
        assert_eq!(
            erreurs
                .iter()
                .filter(|e| e.fichier == "notes_2024.xlsx")
                .count(),
            5
        );
        assert_eq!(
            erreurs
                .iter()
                .filter(|e| e.fichier == "oraux_2024.csv")
                .count(),
            1
        );
    }

    #[test]
    fn the_duplicate_row_is_the_only_extra_workbook_row() {
        let truth = planted_truth(&small()).expect("valid options");
        assert_eq!(truth.sessions[0].lignes_classeur, 200);
        assert_eq!(truth.sessions[1].lignes_classeur, 201);
        // E2, E5A, E5B for the 200 candidates, E4 and E6 for the 8 without a class, less the
        // E5A and E5B of the candidate who keeps the whole unit U5.
        assert_eq!(truth.sessions[1].lignes_oraux, 614);
    }

    #[test]
    fn one_off_e4_e6_examiners_are_in_the_truth_with_rotating_effects() {
        let truth = planted_truth(&small()).expect("valid options");
        for s in &truth.sessions {
            for (epreuve, base) in [("E4", [-1.0, 1.0]), ("E6", [-0.5, 0.5])] {
                let mut ex: Vec<&EffetPlante> = s
                    .examinateurs
                    .iter()
                    .filter(|e| e.epreuve == epreuve)
                    .collect();
                assert_eq!(ex.len(), 2, "{} {epreuve}", s.session);
                // Examiner k gets base[(k + year) mod 2].
                let k = usize::try_from(s.session).expect("positive year") % 2;
                assert_eq!(ex[0].effet, base[k]);
                assert_eq!(ex[1].effet, base[1 - k]);
                assert_eq!(ex[0].examinateur, format!("{epreuve}-EX01"));
                ex.sort_by_key(|e| e.convoques);
                let sans_classe: usize = s
                    .classes
                    .iter()
                    .filter(|c| c.classe == "INDIVIDUEL" || c.classe == "CNED")
                    .map(|c| c.effectif)
                    .sum();
                // Alternation: the two examiners' counts differ by one at most, or two when a
                // kept grade removed a sitting.
                assert!(ex[1].convoques - ex[0].convoques <= 2, "{ex:?}");
                assert!(ex[0].convoques + ex[1].convoques <= sans_classe);
                assert!(ex[0].convoques + ex[1].convoques + 2 >= sans_classe);
            }
        }
    }

    #[test]
    fn the_lenient_e5b_examiner_sees_mostly_the_strong_school() {
        let truth = planted_truth(&small()).expect("valid options");
        for s in &truth.sessions {
            let a = &s.affectation_e5b;
            assert_eq!(a.effet, 1.5);
            assert!(a.dont_ecole_forte * 2 > a.candidats, "{a:?}");
        }
    }
}
