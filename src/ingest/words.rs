//! Header recognition by words: each field has a vocabulary (profile section `[mots.<champ>]`)
//! of required words, supporting words and excluded words, and a header is scored by the words it
//! shares with each field.
//!
//! Takes a normalised header (see `profile::normalize_label`); gives the fields it may name,
//! best first. Knows nothing of the column's content: `recognize` settles ties with it.

use serde::Deserialize;

use super::field::Field;
use super::profile::normalize_label;

/// The vocabulary of one field as written in a profile.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WordRuleFile {
    /// At least one of these words or phrases must be in the header (each scores 2).
    #[serde(default)]
    pub requis: Vec<String>,
    /// Words that support the field (each scores 1).
    #[serde(default)]
    pub mots: Vec<String>,
    /// Words that rule the field out.
    #[serde(default)]
    pub exclus: Vec<String>,
}

/// A phrase: one or more normalised words that must follow each other.
type Phrase = Vec<String>;

/// The vocabulary of one field, normalised.
#[derive(Debug, Default, Clone)]
pub(crate) struct WordRule {
    requis: Vec<Phrase>,
    mots: Vec<Phrase>,
    exclus: Vec<Phrase>,
}

/// A word without its plural `s` (`disciplines` is `discipline`); short words stay (`s1`, `pix`).
fn singular(token: &str) -> &str {
    match token.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 => stem,
        _ => token,
    }
}

fn phrases(words: &[String]) -> Vec<Phrase> {
    words
        .iter()
        .map(|w| {
            normalize_label(w)
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(|t| singular(t).to_string())
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

impl WordRule {
    /// Normalises a rule read from a profile; a later profile adds to an earlier one.
    pub(crate) fn extend(&mut self, file: &WordRuleFile) {
        self.requis.extend(phrases(&file.requis));
        self.mots.extend(phrases(&file.mots));
        self.exclus.extend(phrases(&file.exclus));
    }

    /// The score of a header's words, or `None` when a required word is missing or an excluded
    /// word is present. A phrase of n words scores n times its weight.
    pub(crate) fn score(&self, tokens: &[&str]) -> Option<u32> {
        if self.exclus.iter().any(|p| contains_phrase(tokens, p)) {
            return None;
        }
        let weight = |p: &Phrase| u32::try_from(p.len()).unwrap_or(u32::MAX);
        let required: u32 = self
            .requis
            .iter()
            .filter(|p| contains_phrase(tokens, p))
            .map(|p| 2 * weight(p))
            .sum();
        if required == 0 {
            return None;
        }
        let support: u32 = self
            .mots
            .iter()
            .filter(|p| contains_phrase(tokens, p))
            .map(weight)
            .sum();
        Some(required + support)
    }
}

/// True when the words of `phrase` appear one after the other in `tokens`.
fn contains_phrase(tokens: &[&str], phrase: &[String]) -> bool {
    !phrase.is_empty()
        && tokens
            .windows(phrase.len())
            .any(|w| w.iter().zip(phrase).all(|(t, p)| *t == p.as_str()))
}

/// The fields a normalised header may name by its words, best score first (ties in field order).
pub(crate) fn score_fields(rules: &[(Field, WordRule)], normalised: &str) -> Vec<(Field, u32)> {
    let tokens: Vec<&str> = normalised
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(singular)
        .collect();
    let mut scored: Vec<(Field, u32)> = rules
        .iter()
        .filter_map(|(f, rule)| rule.score(&tokens).map(|s| (*f, s)))
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(requis: &[&str], mots: &[&str], exclus: &[&str]) -> WordRule {
        let mut r = WordRule::default();
        let own = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect();
        r.extend(&WordRuleFile {
            requis: own(requis),
            mots: own(mots),
            exclus: own(exclus),
        });
        r
    }

    #[test]
    fn a_header_needs_a_required_word_and_no_excluded_word() {
        let r = rule(&["candidat", "matricule"], &["numero"], &["nom"]);
        let tokens = |s: &str| normalize_label(s);
        let score = |s: &str| {
            let n = tokens(s);
            r.score(&n.split(' ').collect::<Vec<_>>())
        };
        assert_eq!(score("Numéro du candidat"), Some(3));
        assert_eq!(score("Matricule"), Some(2));
        assert_eq!(score("Nom du candidat"), None);
        assert_eq!(score("Numéro d'inscription"), None);
        let plural = |s: &str| {
            let n = tokens(s);
            let words: Vec<&str> = n.split(' ').map(singular).collect();
            r.score(&words)
        };
        assert_eq!(plural("Numéros des candidats"), Some(3));
    }

    #[test]
    fn phrases_match_consecutive_words_only() {
        let r = rule(&["code etablissement"], &[], &[]);
        let n = normalize_label("Code de l'établissement");
        assert_eq!(r.score(&n.split(' ').collect::<Vec<_>>()), None);
        let n = normalize_label("Code établissement (UAI)");
        assert_eq!(r.score(&n.split(' ').collect::<Vec<_>>()), Some(4));
    }
}
