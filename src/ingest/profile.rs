//! Header aliases and value spellings (data/profiles/*.toml): which header is which canonical
//! field or exam, which text is which status code, livret line, opinion, route or sex.
//!
//! Everything is compared after [`normalize_label`]: case, accents, punctuation and spacing are
//! ignored. The profiles shipped in the binary are used when no data/profiles folder is found.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::field::Field;
use super::words::{score_fields, WordRule, WordRuleFile};
use crate::error::{Error, Result};

/// The profile shipped with the binary, a copy of data/profiles/ndrc.toml.
const EMBEDDED: &str = include_str!("../../data/profiles/ndrc.toml");

/// One profile file as written by users.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    ignorer: Vec<String>,
    #[serde(default)]
    statuts_neutres: Vec<String>,
    #[serde(default)]
    exclus_epreuves: Vec<String>,
    #[serde(default)]
    champs: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    mots: BTreeMap<String, WordRuleFile>,
    #[serde(default)]
    epreuves: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    statuts: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    matieres: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    avis: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    voies: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    sexes: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    oui_non: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    decisions: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    modes: BTreeMap<String, Vec<String>>,
}

/// All known spellings, normalised, ready for look-ups.
#[derive(Debug, Default, Clone)]
pub struct Profile {
    fields: BTreeMap<String, Field>,
    words: Vec<(Field, WordRule)>,
    ignored: BTreeSet<String>,
    neutral_statuses: BTreeSet<String>,
    not_exam_words: BTreeSet<String>,
    exams: BTreeMap<String, String>,
    statuses: BTreeMap<String, String>,
    lines: BTreeMap<String, u8>,
    opinions: BTreeMap<String, String>,
    routes: Vec<(String, String)>,
    sexes: BTreeMap<String, String>,
    yes_no: BTreeMap<String, bool>,
    decisions: BTreeMap<String, String>,
    /// (normalised words, form code) of the exam forms a column header may end with.
    modes: Vec<(String, String)>,
    /// Exams the regulation marks on another scale than 20 (`E5A` → 40), set by the commands
    /// from the regulation file ([`Profile::set_baremes`]).
    baremes: BTreeMap<String, u32>,
    /// The regulation's control exams (`C1`, `C2`), set with [`Profile::set_controle`].
    control_exams: BTreeSet<String>,
    /// For each exam code of a unit a control grade may replace, that unit (`E3` → `U3`).
    replaceable_units: BTreeMap<String, String>,
    /// Where each part came from, for messages.
    pub origins: Vec<String>,
}

impl Profile {
    /// Takes the exams marked on another scale than 20 from the regulation
    /// ([`crate::regulation::Regulation::baremes`]): a grade that says `/40` is read on 40 only
    /// for those exams.
    pub fn set_baremes(&mut self, baremes: BTreeMap<String, u32>) {
        self.baremes = baremes;
    }

    /// Takes the control exams and the units they may replace from the regulation
    /// ([`crate::regulation::Regulation::controle_unites`]): a control grade names its unit.
    pub fn set_controle(&mut self, exams: BTreeSet<String>, units: BTreeMap<String, String>) {
        self.control_exams = exams;
        self.replaceable_units = units;
    }

    /// Whether `exam` is a control exam of the regulation.
    pub fn is_control_exam(&self, exam: &str) -> bool {
        self.control_exams.contains(exam)
    }

    /// The unit a control grade may replace named by `label` (`U3`, `E3`, `CEJM` → `U3`), if the
    /// regulation lets a control grade replace it.
    pub fn replaceable_unit(&self, label: &str) -> Option<&str> {
        let exam = self.exam_label(label)?;
        self.replaceable_units.get(&exam).map(String::as_str)
    }

    /// The units a control grade may replace, for messages: `U1, U2 ou U3`.
    pub fn replaceable_units_text(&self) -> String {
        let units: BTreeSet<&str> = self
            .replaceable_units
            .values()
            .map(String::as_str)
            .collect();
        let units: Vec<&str> = units.into_iter().collect();
        match units.split_last() {
            None => "aucune unité".to_string(),
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} ou {last}", rest.join(", ")),
        }
    }

    /// The scale other than 20 that the regulation allows for `exam`, if any.
    pub fn bareme(&self, exam: &str) -> Option<u32> {
        self.baremes.get(exam).copied()
    }

    /// The profile compiled into the binary.
    ///
    /// # Errors
    /// Only if the shipped file is malformed (a build defect caught by the tests).
    pub fn embedded() -> Result<Profile> {
        let mut p = Profile::default();
        p.merge_text(EMBEDDED, Path::new("data/profiles/ndrc.toml (intégré)"))?;
        Ok(p)
    }

    /// Loads every `*.toml` of `dir` (sorted by name) when the folder exists, else the embedded
    /// profile; then each extra file given with `--profile`.
    ///
    /// # Errors
    /// [`Error::Config`] naming the file and key of a malformed profile.
    pub fn load(dir: &Path, extra: &[PathBuf]) -> Result<Profile> {
        let mut p = Profile::default();
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "toml"))
                .collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        if files.is_empty() {
            p = Profile::embedded()?;
        }
        for f in files.iter().chain(extra) {
            let text = std::fs::read_to_string(f).map_err(|source| Error::Io {
                path: f.clone(),
                source,
            })?;
            p.merge_text(&text, f)?;
        }
        Ok(p)
    }

    fn merge_text(&mut self, text: &str, path: &Path) -> Result<()> {
        let config = |reason: String| Error::Config {
            path: path.to_path_buf(),
            reason,
        };
        let file: ProfileFile = toml::from_str(text).map_err(|e| config(e.to_string()))?;
        let field_of = |section: &str, key: &str| {
            Field::from_name(key).ok_or_else(|| {
                config(format!(
                    "{section}.{key}: champ inconnu (champs possibles : {})",
                    Field::all_names()
                ))
            })
        };
        for (key, aliases) in &file.champs {
            let field = field_of("champs", key)?;
            for a in aliases {
                self.fields.insert(normalize_label(a), field);
            }
        }
        for (key, rule) in &file.mots {
            let field = field_of("mots", key)?;
            match self.words.iter_mut().find(|(f, _)| *f == field) {
                Some((_, existing)) => existing.extend(rule),
                None => {
                    let mut new = WordRule::default();
                    new.extend(rule);
                    self.words.push((field, new));
                }
            }
        }
        self.words.sort_by_key(|(f, _)| *f);
        self.ignored
            .extend(file.ignorer.iter().map(|h| normalize_label(h)));
        self.neutral_statuses
            .extend(file.statuts_neutres.iter().map(|h| normalize_label(h)));
        self.not_exam_words
            .extend(file.exclus_epreuves.iter().map(|h| normalize_label(h)));
        for (exam, aliases) in &file.epreuves {
            self.exams.insert(normalize_label(exam), exam.clone());
            for a in aliases {
                self.exams.insert(normalize_label(a), exam.clone());
            }
        }
        insert_all(&mut self.statuses, &file.statuts);
        for (line, aliases) in &file.matieres {
            let n: u8 = line
                .parse()
                .ok()
                .filter(|n| (1..=7).contains(n))
                .ok_or_else(|| config(format!("matieres.{line}: ligne 1 à 7 attendue")))?;
            for a in aliases {
                self.lines.insert(normalize_label(a), n);
            }
        }
        insert_all(&mut self.opinions, &file.avis);
        insert_all(&mut self.sexes, &file.sexes);
        insert_all(&mut self.decisions, &file.decisions);
        for (code, words) in &file.modes {
            if !matches!(code.as_str(), "CCF" | "PONCTUEL") {
                return Err(config(format!(
                    "modes.{code}: « CCF » ou « PONCTUEL » attendu"
                )));
            }
            for w in words {
                self.modes.push((normalize_label(w), code.clone()));
            }
        }
        for (route, words) in &file.voies {
            for w in words {
                self.routes.push((normalize_label(w), route.clone()));
            }
        }
        for (answer, spellings) in &file.oui_non {
            let value = match answer.as_str() {
                "oui" => true,
                "non" => false,
                other => {
                    return Err(config(format!(
                        "oui_non.{other}: « oui » ou « non » attendu"
                    )))
                }
            };
            for s in spellings {
                self.yes_no.insert(normalize_label(s), value);
            }
        }
        let what = file.description.unwrap_or_default();
        self.origins.push(format!("{} {what}", path.display()));
        Ok(())
    }

    /// The canonical field a header names by one of its exact aliases, if any.
    pub fn field(&self, header: &str) -> Option<Field> {
        self.fields.get(&normalize_label(header)).copied()
    }

    /// The fields a header may name by its words (`[mots]`), best score first.
    pub fn fields_by_words(&self, header: &str) -> Vec<(Field, u32)> {
        score_fields(&self.words, &normalize_label(header))
    }

    /// True for a header the profile says to ignore (`ignorer`: known columns of no use).
    pub fn is_ignored(&self, header: &str) -> bool {
        self.ignored.contains(&normalize_label(header))
    }

    /// True for a status-column value that means "graded as usual" (`statuts_neutres`).
    pub fn is_neutral_status(&self, text: &str) -> bool {
        self.neutral_statuses.contains(&normalize_label(text))
    }

    /// The exam a header names: `E5 A`, `U51`, `E1 - Culture générale`, `EF1 LV2 facultative`...
    /// Returns `(code, known)`: `known` is false for a national-application exam column whose code
    /// is not an exam of the regulation (kept under its own code).
    pub fn exam(&self, header: &str) -> Option<(String, bool)> {
        let norm = normalize_label(header);
        if norm.is_empty() {
            return None;
        }
        let lookup = |s: &str| {
            self.exams
                .get(s)
                .or_else(|| self.exams.get(&s.replace(' ', "")))
                .cloned()
        };
        if let Some(code) = lookup(&norm) {
            return Some((code, true));
        }
        let parts: Vec<&str> = header.split(" - ").map(str::trim).collect();
        if parts.len() >= 2 {
            if let Some(code) = lookup(&normalize_label(parts[0])) {
                return Some((code, true));
            }
            // The national application's "<code> - <n> - <label> - <mode>".
            let is_national = parts.len() >= 3
                && !parts[0].is_empty()
                && !parts[0].contains(' ')
                && parts[1].chars().all(|c| c.is_ascii_digit());
            if is_national {
                return Some((parts[0].to_uppercase(), false));
            }
        }
        let first = norm.split(' ').next().unwrap_or_default();
        let first_is_code = first.chars().any(|c| c.is_ascii_digit());
        if first_is_code && first.len() <= 4 {
            if let Some(code) = lookup(first) {
                return Some((code, true));
            }
        }
        None
    }

    /// The exam a header names somewhere in its words (`Note obtenue à l'épreuve E5B`, `Résultat
    /// CEJM /20`): exactly one exam code or label among its words, and none of the words of
    /// `exclus_epreuves` (`coefficient`, `rang`...). The caller checks that no other field's
    /// words are there (`Date E5B` is a date).
    pub fn exam_in_words(&self, header: &str) -> Option<String> {
        let norm = normalize_label(header);
        let tokens: Vec<&str> = norm.split(' ').filter(|t| !t.is_empty()).collect();
        if tokens.iter().any(|t| self.not_exam_words.contains(*t)) {
            return None;
        }
        let mut found: BTreeSet<&str> = BTreeSet::new();
        for (alias, code) in &self.exams {
            let words: Vec<&str> = alias.split(' ').collect();
            let joined = alias.replace(' ', "");
            let as_phrase = tokens.windows(words.len()).any(|w| w == words.as_slice());
            // `E 5 A` and `E5 A` are the code `E5A` written with spaces.
            let as_split_code = (2..=3).any(|n| {
                tokens
                    .windows(n)
                    .any(|w| w.concat() == joined && w.iter().any(|t| t.len() == 1))
            });
            if as_phrase || as_split_code {
                found.insert(code.as_str());
            }
        }
        // Two exams named (`E5A et E5B`) is no single grade column.
        match found.len() {
            1 => found.into_iter().next().map(str::to_string),
            _ => None,
        }
    }

    /// The exam form a grade column's header says (`CCF` or `PONCTUEL`), from the words of
    /// `[modes]`: in the last ` - ` part of the header (the national application's
    /// `E4 - 1 - Relation client - Ponctuel oral`, `… - Contrôle continu (livret)`), else at the
    /// end of the header (`E6 CCF`). `None` when it says none, or both.
    pub fn exam_mode(&self, header: &str) -> Option<&str> {
        let has = |text: &str, w: &str| format!(" {text} ").contains(&format!(" {w} "));
        let in_text = |text: &str| {
            let found: BTreeSet<&str> = self
                .modes
                .iter()
                .filter(|(w, _)| !w.is_empty() && has(text, w))
                .map(|(_, code)| code.as_str())
                .collect();
            (found.len() == 1)
                .then(|| found.into_iter().next())
                .flatten()
        };
        let parts: Vec<&str> = header.split(" - ").collect();
        if let [_, .., last] = parts.as_slice() {
            if let Some(code) = in_text(&normalize_label(last)) {
                return Some(code);
            }
        }
        // Else the header must end with the words of the one form it names.
        let norm = normalize_label(header);
        let code = in_text(&norm)?;
        let spaced = format!(" {norm}");
        self.modes
            .iter()
            .any(|(w, c)| c == code && !w.is_empty() && spaced.ends_with(&format!(" {w}")))
            .then_some(code)
    }

    /// The exam a long-layout label names (`E5B`, `U52`, `Culture générale et expression`).
    pub fn exam_label(&self, label: &str) -> Option<String> {
        self.exam(label).filter(|(_, known)| *known).map(|(c, _)| c)
    }

    /// The status code of a spelling (`Abs.` → `ABS`).
    pub fn status_code(&self, text: &str) -> Option<&str> {
        self.statuses
            .get(&normalize_label(text))
            .map(String::as_str)
    }

    /// The livret line (1–7) of a subject label.
    pub fn livret_line(&self, label: &str) -> Option<u8> {
        self.lines.get(&normalize_label(label)).copied()
    }

    /// The official wording of a jury opinion.
    pub fn opinion(&self, text: &str) -> Option<&str> {
        self.opinions
            .get(&normalize_label(text))
            .map(String::as_str)
    }

    /// The route (voie) named in a candidate category: the longest configured word it contains.
    pub fn route(&self, text: &str) -> Option<&str> {
        let norm = format!(" {} ", normalize_label(text));
        self.routes
            .iter()
            .filter(|(word, _)| norm.contains(&format!(" {word} ")))
            .max_by_key(|(word, _)| word.len())
            .map(|(_, route)| route.as_str())
    }

    /// `M` or `F` for a spelling of sex.
    pub fn sex(&self, text: &str) -> Option<&str> {
        self.sexes.get(&normalize_label(text)).map(String::as_str)
    }

    /// The canonical code of a jury decision (`Admis` → `ADMIS`).
    pub fn decision(&self, text: &str) -> Option<&str> {
        self.decisions
            .get(&normalize_label(text))
            .map(String::as_str)
    }

    /// A yes/no answer (PIX).
    pub fn yes_no(&self, text: &str) -> Option<bool> {
        self.yes_no.get(&normalize_label(text)).copied()
    }
}

fn insert_all(map: &mut BTreeMap<String, String>, from: &BTreeMap<String, Vec<String>>) {
    for (canonical, spellings) in from {
        map.insert(normalize_label(canonical), canonical.clone());
        for s in spellings {
            map.insert(normalize_label(s), canonical.clone());
        }
    }
}

/// Lower case, accents removed, every run of punctuation or spaces folded into one space.
///
/// ```
/// use ndrc_stats::ingest::profile::normalize_label;
/// assert_eq!(normalize_label("  N° Candidat "), "n candidat");
/// assert_eq!(normalize_label("Prénom(s)"), "prenom s");
/// ```
pub fn normalize_label(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> Profile {
        Profile::embedded().expect("embedded profile parses")
    }

    #[test]
    fn headers_match_whatever_their_case_accents_and_spacing() {
        let p = profile();
        assert_eq!(p.field("N° Candidat"), Some(Field::Candidat));
        assert_eq!(p.field("numero   candidat"), Some(Field::Candidat));
        assert_eq!(p.field("PRENOM(S)"), Some(Field::Prenom));
        assert_eq!(p.field("Division de classe"), Some(Field::Classe));
        assert_eq!(p.field("Nom d'usage"), None);
    }

    #[test]
    fn a_grade_header_says_the_exam_form_by_its_last_words() {
        let p = profile();
        for (header, mode) in [
            (
                "E4 - 1 - Relation client et négociation-vente - Ponctuel oral",
                Some("PONCTUEL"),
            ),
            (
                "E6 - 1 - Relation client et animation de réseaux - CCF",
                Some("CCF"),
            ),
            (
                "LP001 - 1 - Histoire - Géographie - Contrôle continu (livret)",
                Some("CCF"),
            ),
            ("T001 - 1 - Français écrit - Ponctuel", Some("PONCTUEL")),
            ("E4 CCF", Some("CCF")),
            ("E6 (épreuve ponctuelle)", Some("PONCTUEL")),
            ("E4 - Relation client et négociation-vente", None),
            ("C1 - Contrôle 1", None),
            ("E4", None),
            ("CCF ou ponctuel", None),
        ] {
            assert_eq!(p.exam_mode(header), mode, "{header}");
        }
    }

    #[test]
    fn exam_columns_match_every_spelling() {
        let p = profile();
        let known = |c: &str| Some((c.to_string(), true));
        assert_eq!(p.exam("E5 A"), known("E5A"));
        assert_eq!(p.exam("E51"), known("E5A"));
        assert_eq!(p.exam("U52"), known("E5B"));
        assert_eq!(p.exam("Culture générale et expression"), known("E1"));
        assert_eq!(p.exam("E1 - Culture générale et expression"), known("E1"));
        assert_eq!(p.exam("EF1 LV2 facultative"), known("EF1"));
        assert_eq!(p.exam("U2 LV1"), known("E2"));
        assert_eq!(
            p.exam("LP003 - 1 - Langue vivante A - Anglais - Contrôle continu (livret)"),
            Some(("LP003".to_string(), false))
        );
        assert_eq!(p.exam("Nom"), None);
        assert_eq!(p.exam("Critères de tris : Nom et prénom"), None);
    }

    #[test]
    fn values_map_to_their_canonical_spelling() {
        let p = profile();
        assert_eq!(p.route("SCOLAIRE BTS (132)"), Some("scolaire"));
        assert_eq!(p.route("APPRENTI BTS (133)"), Some("apprentissage"));
        assert_eq!(
            p.route("ENSEIGNEMENT A DISTANCE (136)"),
            Some("enseignement à distance")
        );
        assert_eq!(
            p.route("FORMATION CONTINUE (134)"),
            Some("formation continue")
        );
        assert_eq!(
            p.livret_line("Bloc 2 - Relation client à distance et digitalisation"),
            Some(5)
        );
        assert_eq!(p.opinion("tres favorable"), Some("Très favorable"));
        assert_eq!(p.sex("Féminin"), Some("F"));
        assert_eq!(p.yes_no("Oui"), Some(true));
    }

    #[test]
    fn an_unknown_field_in_a_profile_is_a_clear_error() {
        let mut p = Profile::default();
        let err = p
            .merge_text("[champs]\nnote_finale = [\"Note\"]\n", Path::new("x.toml"))
            .expect_err("unknown field");
        assert!(err.to_string().contains("champs.note_finale"), "{err}");
    }
}
