//! The diploma scope of the regulation file (`[diplome]`): which diploma and specialty the rules
//! describe, recognised by codes and by word groups in a candidate's specialty, and which sessions
//! they apply to.
//!
//! Gives the tables `reg_diplome`, `reg_diplome_codes` and `reg_diplome_mots`, which
//! `queries/05_perimetre.sql` joins. Computes nothing.

use serde::Deserialize;

use super::Regulation;
use crate::error::Result;
use crate::store::Store;

/// The diploma and specialty the regulation describes (DOMAIN.md section 4).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diplome {
    /// Its French title.
    pub intitule: String,
    /// Specialty codes (a code is a whole word of the specialty value).
    #[serde(default)]
    pub codes: Vec<String>,
    /// Word groups: a group recognises the specialty when each of its words begins a word of
    /// the value (case, accents and punctuation ignored).
    #[serde(default)]
    pub mots: Vec<Vec<String>>,
    /// First session the rules apply to.
    pub premiere_session: i32,
    /// Last session they apply to (none while in force).
    #[serde(default)]
    pub derniere_session: Option<i32>,
}

impl Diplome {
    /// Whether the rules apply to `session`.
    pub fn couvre(&self, session: i32) -> bool {
        session >= self.premiere_session && self.derniere_session.is_none_or(|d| session <= d)
    }

    /// The covered sessions in French words (« 2020 et suivantes », « 2020 à 2025 »).
    pub fn sessions_couvertes(&self) -> String {
        match self.derniere_session {
            Some(d) => format!("{} à {d}", self.premiere_session),
            None => format!("{} et suivantes", self.premiere_session),
        }
    }
}

impl Regulation {
    /// Checks the `[diplome]` section; the error names the key.
    pub(super) fn check_diplome(&self) -> std::result::Result<(), String> {
        let d = &self.diplome;
        if d.intitule.trim().is_empty() {
            return Err("diplome.intitule : l'intitulé du diplôme est vide".into());
        }
        if d.codes.is_empty() && d.mots.is_empty() {
            return Err(
                "diplome : au moins un code ou un groupe de mots est nécessaire pour \
                 reconnaître les candidats du diplôme"
                    .into(),
            );
        }
        if let Some(code) = d.codes.iter().find(|c| !is_one_word(c)) {
            return Err(format!(
                "diplome.codes : « {code} » n'est pas un seul mot de lettres et de chiffres"
            ));
        }
        if d.mots.iter().any(Vec::is_empty) {
            return Err("diplome.mots : un groupe de mots est vide".into());
        }
        if let Some(mot) = d.mots.iter().flatten().find(|m| !is_one_word(m)) {
            return Err(format!(
                "diplome.mots : « {mot} » n'est pas un seul mot de lettres et de chiffres"
            ));
        }
        if let Some(derniere) = d.derniere_session {
            if derniere < d.premiere_session {
                return Err(format!(
                    "diplome.derniere_session : {derniere} est avant la première session {}",
                    d.premiere_session
                ));
            }
        }
        Ok(())
    }

    /// Writes `reg_diplome`, `reg_diplome_codes` and `reg_diplome_mots` (replacing them).
    pub(super) fn load_diplome_tables(&self, store: &Store) -> Result<()> {
        let conn = store.connection();
        let err = store.fail("chargement du règlement dans reg_diplome*");
        conn.execute_batch(
            "CREATE OR REPLACE TABLE reg_diplome (intitule VARCHAR NOT NULL,
                 premiere_session INTEGER NOT NULL, derniere_session INTEGER);
             CREATE OR REPLACE TABLE reg_diplome_codes (code VARCHAR NOT NULL);
             CREATE OR REPLACE TABLE reg_diplome_mots (groupe INTEGER NOT NULL, mot VARCHAR NOT NULL);",
        )
        .map_err(&err)?;
        let d = &self.diplome;
        conn.execute(
            "INSERT INTO reg_diplome VALUES (?, ?, ?)",
            duckdb::params![d.intitule, d.premiere_session, d.derniere_session],
        )
        .map_err(&err)?;
        for code in &d.codes {
            conn.execute(
                "INSERT INTO reg_diplome_codes VALUES (?)",
                duckdb::params![code],
            )
            .map_err(&err)?;
        }
        for (groupe, mots) in d.mots.iter().enumerate() {
            for mot in mots {
                conn.execute(
                    "INSERT INTO reg_diplome_mots VALUES (?, ?)",
                    duckdb::params![groupe + 1, mot],
                )
                .map_err(&err)?;
            }
        }
        Ok(())
    }
}

/// A code or word is letters and digits only: the query compares it with the words of a value.
fn is_one_word(text: &str) -> bool {
    !text.is_empty() && text.chars().all(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_describes_the_bts_ndrc_from_2020() {
        let d = Regulation::embedded().unwrap().diplome;
        assert!(d.intitule.contains("Négociation et digitalisation"));
        assert!(d.codes.contains(&"32031".to_string()));
        assert!(!d.couvre(2019));
        assert!(d.couvre(2020) && d.couvre(2031));
        assert_eq!(d.sessions_couvertes(), "2020 et suivantes");
    }

    #[test]
    fn a_bounded_regulation_covers_its_sessions_only() {
        let d = Diplome {
            intitule: "x".into(),
            codes: vec!["1".into()],
            mots: vec![],
            premiere_session: 2020,
            derniere_session: Some(2025),
        };
        assert!(d.couvre(2025) && !d.couvre(2026));
        assert_eq!(d.sessions_couvertes(), "2020 à 2025");
    }
}
