//! The exam regulation as data: `data/regulation/ndrc.toml` read into typed rules (serde), checked,
//! and written into the `reg_*` tables of the database, which the queries of `queries/` join.
//!
//! Takes a TOML file (or the copy compiled into the binary); gives a [`Regulation`] and the tables
//! `reg_seuils`, `reg_unites`, `reg_epreuves`, `reg_statuts`, `reg_decisions`, `reg_controle`,
//! `reg_diplome*`, `reg_reussite`, `reg_livret_*`.
//! It computes nothing: every coefficient, threshold and code lives here as data, the rules that
//! use them live in SQL.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::store::Store;

/// The regulation shipped with the binary, a copy of data/regulation/ndrc.toml.
const EMBEDDED: &str = include_str!("../data/regulation/ndrc.toml");

/// Where the regulation is read from, relative to the working directory (else the embedded copy).
pub const REGULATION_PATH: &str = "data/regulation/ndrc.toml";

/// The whole regulation file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regulation {
    /// What the file is.
    #[serde(default)]
    pub description: Option<String>,
    /// The diploma and specialty the rules describe, and the sessions they apply to.
    pub diplome: Diplome,
    /// Thresholds.
    pub seuils: Seuils,
    /// Kept grades (bénéfice).
    pub benefice: Benefice,
    /// Decision precedence.
    pub decisions: Decisions,
    /// Status codes that replace a grade, by code.
    pub statuts: BTreeMap<String, Statut>,
    /// Control exams (second group).
    pub controle: Controle,
    /// Units in the order of transcripts.
    pub unites: Vec<Unite>,
    /// Examiner harmonisation thresholds (`ndrc-stats harmonize`).
    #[serde(default)]
    pub harmonisation: Harmonisation,
    /// Success rates and statistical secrecy (`ndrc-stats rates`).
    #[serde(default)]
    pub reussite: Reussite,
    /// The livret scolaire lines and opinions (`ndrc-stats livret`).
    #[serde(default)]
    pub livret: Livret,
}

/// Examiner harmonisation settings (DOMAIN.md section 6).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Harmonisation {
    /// Anonymously marked papers whose mean measures a candidate's ability.
    pub epreuves_niveau: Vec<String>,
    /// Fewest of those papers (other than the exam analysed) a candidate needs to enter the model.
    pub copies_niveau_minimum: usize,
    /// An adjusted gap is flagged from this many points (absolute value) ...
    pub ecart_signal: f64,
    /// ... when the examiner has at least this many candidates in the model.
    pub effectif_minimum: usize,
    /// The ANCOVA slope of the grade on ability under which a warning is printed.
    pub pente_alerte: f64,
    /// Exams with one national subject per half-day (seed 003 §2.7.2): without a subject, the
    /// date and half-day of the grade name it.
    #[serde(default = "default_sujet_demi_journee")]
    pub epreuves_sujet_demi_journee: Vec<String>,
    /// Which grades are a school's CCF (seed 004, table of exam forms).
    #[serde(default)]
    pub ccf: PerimetreCcf,
}

fn default_sujet_demi_journee() -> Vec<String> {
    vec!["E5B".into()]
}

impl Default for Harmonisation {
    fn default() -> Self {
        Harmonisation {
            epreuves_niveau: vec!["E1".into(), "E3".into(), "E5A".into()],
            copies_niveau_minimum: 2,
            ecart_signal: 1.0,
            effectif_minimum: 10,
            pente_alerte: 0.8,
            epreuves_sujet_demi_journee: default_sujet_demi_journee(),
            ccf: PerimetreCcf::default(),
        }
    }
}

/// The scope of a school's CCF (seed 004, table of exam forms by candidate category): the
/// exams a school grades in CCF, and the words of a candidate's category that say whether the
/// candidate sits them in CCF or as a one-off exam. A mode written in the grade's column header
/// (`… - Ponctuel oral`, `notes.mode`) wins over the category.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerimetreCcf {
    /// Exams graded in CCF by the school (E4, E6).
    pub epreuves: Vec<String>,
    /// Words or phrases of a category sitting those exams as a one-off exam; they win over
    /// [`PerimetreCcf::categories_ccf`] (`scolaire privé hors contrat`).
    pub categories_ponctuel: Vec<String>,
    /// Words or phrases of a category sitting them in CCF.
    pub categories_ccf: Vec<String>,
    /// Whether a candidate whose category has none of these words (or who has none) is in the
    /// school's CCF.
    pub categorie_inconnue_ccf: bool,
}

impl Default for PerimetreCcf {
    fn default() -> Self {
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_string()).collect();
        PerimetreCcf {
            epreuves: words(&["E4", "E6"]),
            categories_ponctuel: words(&[
                "hors contrat",
                "non habilité",
                "non habilitée",
                "non habilités",
                "formation continue privée",
                "distance",
                "CNED",
                "individuel",
                "individuelle",
                "libre",
                "expérience professionnelle",
                "3 ans d'expérience",
            ]),
            categories_ccf: words(&[
                "scolaire",
                "sous contrat",
                "apprenti",
                "apprentie",
                "apprentissage",
                "CFA",
                "habilité",
                "habilitée",
                "formation continue",
                "continue",
            ]),
            categorie_inconnue_ccf: true,
        }
    }
}

/// Thresholds, in points out of 20.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seuils {
    /// Average needed to pass.
    pub admis: Decimal,
    /// Average from which the control exams are allowed.
    pub controle: Decimal,
    /// Weighted average of the professional units needed for the control exams.
    pub controle_moyenne_professionnelle: Decimal,
    /// Highest grade of an exam.
    pub note_maximale: Decimal,
    /// Distance below the pass threshold that puts a candidate on the jury's list.
    pub ecart_a_examiner: Decimal,
    /// Unit grade that gives the attestation of its competence block.
    pub bloc_acquis: Decimal,
}

/// Kept grades (bénéfice de notes).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Benefice {
    /// How many sessions back a kept grade may come from.
    pub validite_sessions: u32,
    /// Lowest grade that can be kept.
    pub note_minimale: Decimal,
}

/// Decisions that prevent the computation, by precedence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    /// First applicable wins, before the computed decision.
    pub priorite: Vec<String>,
    /// Decision of a candidate with a missing mandatory grade.
    pub note_manquante: String,
}

/// What a status code does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effet {
    /// Imposes a decision.
    Decision,
    /// The unit leaves the average.
    Dispense,
    /// A grade kept from an earlier session.
    Benefice,
    /// The exam is marked 0 and counts (a justified absence, Code de l'éducation D643-24).
    Zero,
}

impl Effet {
    fn code(self) -> &'static str {
        match self {
            Effet::Decision => "decision",
            Effet::Dispense => "dispense",
            Effet::Benefice => "benefice",
            Effet::Zero => "zero",
        }
    }
}

/// One status code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statut {
    /// French label.
    pub libelle: String,
    /// Its effect.
    pub effet: Effet,
    /// The decision it imposes (effect `decision` only).
    #[serde(default)]
    pub decision: Option<String>,
    /// What the jury list says of a candidate with this code, if the jury must know.
    #[serde(default)]
    pub signalement: Option<String>,
}

/// Control exams.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controle {
    /// Exam codes of the control exams.
    pub epreuves: Vec<String>,
    /// Units whose grade a control grade may replace.
    pub unites_remplacables: Vec<String>,
}

/// Kind of unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Nature {
    /// General, mandatory (U1-U3).
    Generale,
    /// Professional, mandatory (U4-U6).
    Professionnelle,
    /// Optional: only points above a threshold count.
    Facultative,
}

impl Nature {
    fn code(self) -> &'static str {
        match self {
            Nature::Generale => "generale",
            Nature::Professionnelle => "professionnelle",
            Nature::Facultative => "facultative",
        }
    }
}

/// One unit and its exams.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unite {
    /// Unit code (U1...).
    pub code: String,
    /// French title.
    pub intitule: String,
    /// Kind.
    pub nature: Nature,
    /// Coefficient (mandatory units).
    #[serde(default)]
    pub coefficient: Option<Decimal>,
    /// Threshold above which points count (optional units).
    #[serde(default)]
    pub points_au_dessus_de: Option<Decimal>,
    /// Competence block the unit certifies.
    #[serde(default)]
    pub bloc: Option<String>,
    /// Its exams.
    pub epreuves: Vec<Epreuve>,
}

/// One exam of a unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Epreuve {
    /// Exam code (E1...).
    pub code: String,
    /// French title.
    pub intitule: String,
    /// Weight inside the unit.
    pub coefficient: Decimal,
    /// The scale the texts mark it on when it is not 20 (E5A: 40, seed 001): an export that
    /// says so is converted exactly to 20 on reading.
    #[serde(default)]
    pub sur: Option<u32>,
}

impl Regulation {
    /// The regulation compiled into the binary.
    ///
    /// # Errors
    /// Only if the shipped file is malformed (a build defect caught by the tests).
    pub fn embedded() -> Result<Regulation> {
        Regulation::from_toml(EMBEDDED, Path::new("data/regulation/ndrc.toml (intégré)"))
    }

    /// The text of the regulation built into the program (`data/regulation/ndrc.toml` at build
    /// time), which applies when that file is not in the working folder.
    pub fn embedded_text() -> &'static str {
        EMBEDDED
    }

    /// Reads `path` when it exists, else the embedded regulation.
    ///
    /// # Errors
    /// [`Error::Io`] for an unreadable file, [`Error::Config`] naming the key of a bad value.
    pub fn load(path: &Path) -> Result<Regulation> {
        if !path.exists() {
            return Regulation::embedded();
        }
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Regulation::from_toml(&text, path)
    }

    /// Parses and checks a regulation text; `path` names it in errors.
    ///
    /// # Errors
    /// [`Error::Config`] naming the key of a bad value.
    pub fn from_toml(text: &str, path: &Path) -> Result<Regulation> {
        let config = |reason: String| Error::Config {
            path: path.to_path_buf(),
            reason,
        };
        let reg: Regulation = toml::from_str(text).map_err(|e| config(e.to_string()))?;
        reg.check().map_err(config)?;
        reg.check_reussite_livret().map_err(config)?;
        reg.check_diplome().map_err(config)?;
        Ok(reg)
    }

    /// The exams marked on another scale than 20, with that scale (`E5A` → 40).
    pub fn baremes(&self) -> BTreeMap<String, u32> {
        self.unites
            .iter()
            .flat_map(|u| &u.epreuves)
            .filter_map(|e| e.sur.map(|s| (e.code.clone(), s)))
            .collect()
    }

    /// The control exams (`C1`, `C2`) and, for each exam code of a unit a control grade may
    /// replace, that unit (`E3` → `U3`), from `[controle]` and `[[unites]]`.
    pub fn controle_unites(&self) -> (BTreeSet<String>, BTreeMap<String, String>) {
        let epreuves = self.controle.epreuves.iter().cloned().collect();
        let unites = self
            .unites
            .iter()
            .filter(|u| self.controle.unites_remplacables.contains(&u.code))
            .flat_map(|u| u.epreuves.iter().map(|e| (e.code.clone(), u.code.clone())))
            .collect();
        (epreuves, unites)
    }

    /// The mandatory and optional units, in transcript order.
    pub fn unit_codes(&self) -> impl Iterator<Item = &str> {
        self.unites.iter().map(|u| u.code.as_str())
    }

    /// Writes the `reg_*` tables (replacing them).
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn load_tables(&self, store: &Store) -> Result<()> {
        let conn = store.connection();
        let err = |what: &str| store.fail(&format!("chargement du règlement dans {what}"));
        conn.execute_batch(TABLES)
            .map_err(err("les tables reg_*"))?;
        let s = &self.seuils;
        conn.execute(
            "INSERT INTO reg_seuils VALUES (CAST(? AS DECIMAL(6,2)), CAST(? AS DECIMAL(6,2)), \
             CAST(? AS DECIMAL(6,2)), CAST(? AS DECIMAL(6,2)), CAST(? AS DECIMAL(6,2)), \
             CAST(? AS DECIMAL(6,2)), ?, CAST(? AS DECIMAL(6,2)))",
            duckdb::params![
                s.admis.to_string(),
                s.controle.to_string(),
                s.controle_moyenne_professionnelle.to_string(),
                s.note_maximale.to_string(),
                s.ecart_a_examiner.to_string(),
                s.bloc_acquis.to_string(),
                self.benefice.validite_sessions,
                self.benefice.note_minimale.to_string(),
            ],
        )
        .map_err(err("reg_seuils"))?;
        self.insert_units(store)
            .map_err(err("reg_unites, reg_epreuves"))?;
        for (code, st) in &self.statuts {
            conn.execute(
                "INSERT INTO reg_statuts VALUES (?, ?, ?, ?, ?)",
                duckdb::params![
                    code,
                    st.libelle,
                    st.effet.code(),
                    st.decision,
                    st.signalement
                ],
            )
            .map_err(err("reg_statuts"))?;
        }
        for (rang, d) in self.decisions.priorite.iter().enumerate() {
            let manquante = *d == self.decisions.note_manquante;
            conn.execute(
                "INSERT INTO reg_decisions VALUES (?, ?, ?)",
                duckdb::params![d, rang + 1, manquante],
            )
            .map_err(err("reg_decisions"))?;
        }
        self.load_rates_livret_tables(store)?;
        self.load_diplome_tables(store)?;
        for (ordre, e) in self.controle.epreuves.iter().enumerate() {
            conn.execute(
                "INSERT INTO reg_controle VALUES (?, ?)",
                duckdb::params![e, ordre + 1],
            )
            .map_err(err("reg_controle"))?;
        }
        Ok(())
    }

    fn insert_units(&self, store: &Store) -> duckdb::Result<()> {
        let conn = store.connection();
        let mut ordre_epreuve = 0;
        for (ordre, u) in self.unites.iter().enumerate() {
            let remplacable = self.controle.unites_remplacables.contains(&u.code);
            conn.execute(
                "INSERT INTO reg_unites VALUES (?, ?, ?, ?, CAST(? AS DECIMAL(6,2)), \
                 CAST(? AS DECIMAL(6,2)), ?, ?)",
                duckdb::params![
                    u.code,
                    ordre + 1,
                    u.intitule,
                    u.nature.code(),
                    u.coefficient.map(|c| c.to_string()),
                    u.points_au_dessus_de.map(|c| c.to_string()),
                    u.bloc,
                    remplacable
                ],
            )?;
            for e in &u.epreuves {
                ordre_epreuve += 1;
                conn.execute(
                    "INSERT INTO reg_epreuves VALUES (?, ?, ?, ?, CAST(? AS DECIMAL(6,2)))",
                    duckdb::params![
                        e.code,
                        u.code,
                        ordre_epreuve,
                        e.intitule,
                        e.coefficient.to_string()
                    ],
                )?;
            }
        }
        Ok(())
    }
}

/// The regulation tables, recreated at every computation.
const TABLES: &str = "
CREATE OR REPLACE TABLE reg_seuils (
    admis DECIMAL(6,2) NOT NULL, controle DECIMAL(6,2) NOT NULL,
    controle_moyenne_professionnelle DECIMAL(6,2) NOT NULL, note_maximale DECIMAL(6,2) NOT NULL,
    ecart_a_examiner DECIMAL(6,2) NOT NULL, bloc_acquis DECIMAL(6,2) NOT NULL,
    benefice_validite_sessions INTEGER NOT NULL, benefice_note_minimale DECIMAL(6,2) NOT NULL);
CREATE OR REPLACE TABLE reg_unites (
    unite VARCHAR NOT NULL, ordre INTEGER NOT NULL, intitule VARCHAR NOT NULL, nature VARCHAR NOT NULL,
    coefficient DECIMAL(6,2), points_au_dessus_de DECIMAL(6,2), bloc VARCHAR,
    remplacable_par_controle BOOLEAN NOT NULL);
CREATE OR REPLACE TABLE reg_epreuves (
    epreuve VARCHAR NOT NULL, unite VARCHAR NOT NULL, ordre INTEGER NOT NULL, intitule VARCHAR NOT NULL,
    coefficient DECIMAL(6,2) NOT NULL);
CREATE OR REPLACE TABLE reg_statuts (
    statut VARCHAR NOT NULL, libelle VARCHAR NOT NULL, effet VARCHAR NOT NULL, decision VARCHAR,
    signalement VARCHAR);
CREATE OR REPLACE TABLE reg_decisions (decision VARCHAR NOT NULL, rang INTEGER NOT NULL, note_manquante BOOLEAN NOT NULL);
CREATE OR REPLACE TABLE reg_controle (epreuve VARCHAR NOT NULL, ordre INTEGER NOT NULL);
";

mod check;
mod diplome;
mod reussite;

pub use diplome::Diplome;
pub use reussite::{Livret, Reussite};
