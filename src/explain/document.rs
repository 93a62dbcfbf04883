//! The explanation of one candidate's result as plain data: the JSON document of
//! `explain --format json` (field names are French, as the tables; decimals are exact strings
//! with a dot, a value not given is `null`), which the text and the jury's pages also render.
//! README (« The JSON document ») documents every field.

use serde::Serialize;

/// The JSON document of `explain --format json`: its format name and version, then one
/// explanation per candidate asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Always `ndrc-stats/explication`.
    pub format: &'static str,
    /// The version of this document's fields (raised when a field changes meaning or goes).
    pub version: u32,
    /// One explanation per candidate, ordered by session and candidate number.
    pub explications: Vec<Explication>,
}

impl Document {
    /// The document of `explications`.
    pub fn new(explications: Vec<Explication>) -> Document {
        Document {
            format: "ndrc-stats/explication",
            version: 1,
            explications,
        }
    }
}

/// Where a value was read: file (as loaded), sheet, row and column as the user sees them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Source {
    /// The file, as given when it was loaded.
    pub fichier: String,
    /// The sheet of a workbook (`None` for a CSV file).
    pub feuille: Option<String>,
    /// The 1-based row.
    pub ligne: Option<i64>,
    /// The column header.
    pub colonne: Option<String>,
}

/// Another value read for the same key as a stored one (kept in `doublons_<table>`, not in the
/// table): a confirmation or a conflict.
#[derive(Debug, Clone, Serialize)]
pub struct AutreValeur {
    /// The other value, as read.
    pub valeur: String,
    /// `conflit`: a different value (the stored one is kept, the rejet says why);
    /// `confirmation`: the same value, read again.
    pub etat: &'static str,
    /// Where the other value was read.
    pub source: Source,
    /// The reason of the rejet, naming the stored value and its source.
    pub motif: String,
}

/// One exam of the candidate (or a control exam): what was read, from where, and the rule.
#[derive(Debug, Clone, Serialize)]
pub struct Epreuve {
    /// Exam code (E1 … EF2, C1, C2).
    pub epreuve: String,
    /// Its unit (for a control exam: the unit it may replace).
    pub unite: Option<String>,
    /// Its title.
    pub intitule: String,
    /// Its coefficient (`None` for a control exam).
    pub coefficient: Option<String>,
    /// The grade read on 20.
    pub note: Option<String>,
    /// The status code read.
    pub statut: Option<String>,
    /// The origin session of a kept grade.
    pub session_origine: Option<String>,
    /// The grade that counts (0 for a justified absence).
    pub note_comptee: Option<String>,
    /// The scale the grade was read on when it is not 20.
    pub bareme: Option<String>,
    /// Where it was read (`None`: nothing was read).
    pub source: Option<Source>,
    /// The regulation key of the rule applied (`unites[U1].epreuves[E1].coefficient`...).
    pub cle: String,
    /// The rule applied, in French.
    pub regle: String,
    /// The other values read for the same exam.
    pub autres_valeurs: Vec<AutreValeur>,
}

/// One unit as `notes_unites` computed it.
#[derive(Debug, Clone, Serialize)]
pub struct Unite {
    /// Unit code.
    pub unite: String,
    /// Its title.
    pub intitule: String,
    /// `generale`, `professionnelle` or `facultative`.
    pub nature: String,
    /// Its coefficient (`None` for an optional unit).
    pub coefficient: Option<String>,
    /// `notee`, `dispense`, `statut` or `manquante`.
    pub etat: String,
    /// Its points (sum of coefficient × grade), exact.
    pub points: Option<String>,
    /// Its grade, truncated to 2 decimals.
    pub note: Option<String>,
    /// The best control grade given for it.
    pub note_controle: Option<String>,
    /// Its grade after the control exams, when they apply to the candidate.
    pub note_apres_controle: Option<String>,
    /// The computation of its grade, in French.
    pub formule: Option<String>,
    /// The rule applied, in French.
    pub regle: Option<String>,
}

/// Points, coefficients and averages as `moyennes` and `decisions` computed them.
#[derive(Debug, Clone, Serialize)]
pub struct Calcul {
    /// Every mandatory unit has a grade or an exemption.
    pub complet: bool,
    /// Coefficients of the mandatory units not exempted.
    pub coefficients: String,
    /// Points of the optional units above the threshold.
    pub bonus: String,
    /// Points before control exams, bonus included.
    pub points_premier_groupe: Option<String>,
    /// Points / coefficients to 6 decimals (truncated).
    pub moyenne_exacte: Option<String>,
    /// The exact average stops at those 6 decimals.
    pub moyenne_exacte_finie: Option<bool>,
    /// The average before control exams, truncated to 2 decimals.
    pub moyenne_premier_groupe: Option<String>,
    /// Points of the professional units.
    pub points_professionnels: String,
    /// Coefficients of the professional units graded.
    pub coefficients_professionnels: String,
    /// Average of the professional units, truncated to 2 decimals.
    pub moyenne_professionnelle: Option<String>,
    /// The control exams apply to the candidate.
    pub controle_applique: bool,
    /// Points after control exams.
    pub points_controle: Option<String>,
    /// Average after control exams.
    pub moyenne_controle: Option<String>,
    /// The points kept (after control exams when they apply).
    pub points: Option<String>,
    /// The average of `resultats.csv` (column `moyenne`).
    pub moyenne: Option<String>,
}

/// The decisions and the rules that gave them.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// The first group's decision (`None` when a blocking decision applies).
    pub premier_groupe: Option<String>,
    /// The blocking decisions that apply, in order of precedence, with their causes.
    pub bloquantes: Option<String>,
    /// What prevents the computation.
    pub manque: Option<String>,
    /// The rule of the first group's (or the blocking) decision, in French.
    pub regle: Option<String>,
    /// The rule of the control exams, in French.
    pub regle_controle: Option<String>,
    /// The rule of the competence blocks, in French.
    pub regle_blocs: Option<String>,
    /// The computed decision (column `decision` of `resultats.csv`).
    pub calculee: String,
    /// The final decision (column `decision_finale` of `resultats.csv`).
    pub finale: String,
}

/// The jury's points or decision, with its source.
#[derive(Debug, Clone, Serialize)]
pub struct Jury {
    /// Points the jury added.
    pub points: Option<String>,
    /// The decision written in the jury's file.
    pub decision_saisie: Option<String>,
    /// Its reason.
    pub motif: Option<String>,
    /// The average with the jury's points.
    pub moyenne_jury: Option<String>,
    /// The jury's decision that applies.
    pub decision: Option<String>,
    /// The rule, in French.
    pub regle: Option<String>,
    /// Where it was read.
    pub source: Option<Source>,
    /// Other values read for the jury's decision.
    pub autres_valeurs: Vec<AutreValeur>,
}

/// A competence block kept.
#[derive(Debug, Clone, Serialize)]
pub struct Bloc {
    /// Its unit.
    pub unite: String,
    /// The block's title.
    pub bloc: String,
    /// The unit grade that gave it.
    pub note: String,
}

/// One line of the livret, year 2.
#[derive(Debug, Clone, Serialize)]
pub struct LigneLivret {
    /// Line 1 to 7.
    pub ligne: String,
    /// Its official title.
    pub intitule: String,
    /// The year-2 average rounded to hundredths.
    pub moyenne: Option<String>,
    /// The missing semester.
    pub manque: Option<String>,
}

/// The livret the jury saw.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Livret {
    /// The seven lines, year 2 (empty when no livret is loaded).
    pub lignes: Vec<LigneLivret>,
    /// The class council's opinion.
    pub avis: Option<String>,
    /// The PIX certification: `oui`, `non`.
    pub pix: Option<String>,
}

/// The candidate's identity as the results show it.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Identite {
    /// Surname.
    pub nom: Option<String>,
    /// First name.
    pub prenom: Option<String>,
    /// School (UAI).
    pub uai: Option<String>,
    /// Class.
    pub classe: Option<String>,
    /// Route.
    pub voie: Option<String>,
}

/// The whole explanation of one candidate's result.
#[derive(Debug, Clone, Serialize)]
pub struct Explication {
    /// Session.
    pub session: i32,
    /// Candidate number.
    pub candidat: String,
    /// Identity.
    pub identite: Identite,
    /// The regulation's exams, in its order.
    pub epreuves: Vec<Epreuve>,
    /// The units, in the regulation's order.
    pub unites: Vec<Unite>,
    /// Points and averages.
    pub calcul: Calcul,
    /// The control exams read.
    pub epreuves_controle: Vec<Epreuve>,
    /// Decisions and their rules.
    pub decision: Decision,
    /// The jury, when it decided.
    pub jury: Option<Jury>,
    /// The blocks kept.
    pub blocs_acquis: Vec<Bloc>,
    /// The livret year 2.
    pub livret: Livret,
}
