//! The success-rate and livret settings of the regulation file (`[reussite]`, `[livret]`): the
//! Wilson interval quantile, the statistical-secrecy threshold, how many past sessions are shown,
//! the seven livret lines in their official order and wording, and the class-council opinions.
//!
//! Gives the tables `reg_reussite`, `reg_livret_lignes` and `reg_livret_avis`, which
//! `queries/8x_*.sql` and `queries/9x_*.sql` join. Computes nothing.

use serde::Deserialize;

use super::Regulation;
use crate::error::Result;
use crate::store::Store;

/// Success rates (DOMAIN.md section 4).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reussite {
    /// Normal quantile of the Wilson interval (1.959964 for 95 %).
    pub z_confiance: f64,
    /// Statistical secrecy: a published cell needs at least this many présents.
    pub secret_presents_minimum: u32,
    /// Sessions of the evolution table and of the livret's "last sessions" block.
    pub sessions_historique: u32,
}

impl Default for Reussite {
    fn default() -> Self {
        Reussite {
            z_confiance: 1.959964,
            secret_presents_minimum: 5,
            sessions_historique: 3,
        }
    }
}

/// The livret scolaire (DOMAIN.md section 5, seed 001 annexes III-1 to III-3).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Livret {
    /// The lines 1 to 7, official wording, in order.
    pub lignes: Vec<String>,
    /// The class-council opinions, in the order of the rating block.
    pub avis: Vec<String>,
}

impl Default for Livret {
    fn default() -> Self {
        Livret {
            lignes: [
                "Culture générale et expression",
                "Communication en langue vivante étrangère 1",
                "Culture économique, juridique et managériale",
                "Bloc 1 Relation client et négociation vente",
                "Bloc 2 Relation client à distance et digitalisation",
                "Bloc 3 Relation client et animation de réseaux",
                "Communication en langue vivante étrangère 2",
            ]
            .map(String::from)
            .to_vec(),
            avis: ["Très favorable", "Favorable", "Doit faire ses preuves"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl Regulation {
    /// Checks the `[reussite]` and `[livret]` sections; the error names the key.
    pub(super) fn check_reussite_livret(&self) -> std::result::Result<(), String> {
        let r = &self.reussite;
        if !(r.z_confiance.is_finite() && r.z_confiance > 0.0) {
            return Err(
                "reussite.z_confiance : nombre positif attendu (1.959964 pour 95 %)".into(),
            );
        }
        if r.secret_presents_minimum == 0 {
            return Err("reussite.secret_presents_minimum : au moins 1 attendu".into());
        }
        if r.sessions_historique == 0 {
            return Err("reussite.sessions_historique : au moins 1 session attendue".into());
        }
        if self.livret.lignes.len() != 7 {
            return Err(format!(
                "livret.lignes : les 7 lignes du livret attendues, {} trouvées",
                self.livret.lignes.len()
            ));
        }
        if self.livret.avis.is_empty() {
            return Err("livret.avis : au moins un avis attendu".into());
        }
        Ok(())
    }

    /// Writes `reg_reussite`, `reg_livret_lignes` and `reg_livret_avis` (replacing them).
    pub(super) fn load_rates_livret_tables(&self, store: &Store) -> Result<()> {
        let conn = store.connection();
        let err = store.fail("chargement du règlement dans reg_reussite, reg_livret_*");
        conn.execute_batch(
            "CREATE OR REPLACE TABLE reg_reussite (z_confiance DOUBLE NOT NULL,
                 secret_presents_minimum INTEGER NOT NULL, sessions_historique INTEGER NOT NULL);
             CREATE OR REPLACE TABLE reg_livret_lignes (ligne INTEGER NOT NULL, intitule VARCHAR NOT NULL);
             CREATE OR REPLACE TABLE reg_livret_avis (avis VARCHAR NOT NULL, ordre INTEGER NOT NULL);",
        )
        .map_err(&err)?;
        let r = &self.reussite;
        conn.execute(
            "INSERT INTO reg_reussite VALUES (?, ?, ?)",
            duckdb::params![
                r.z_confiance,
                r.secret_presents_minimum,
                r.sessions_historique
            ],
        )
        .map_err(&err)?;
        for (i, intitule) in self.livret.lignes.iter().enumerate() {
            conn.execute(
                "INSERT INTO reg_livret_lignes VALUES (?, ?)",
                duckdb::params![i + 1, intitule],
            )
            .map_err(&err)?;
        }
        for (i, avis) in self.livret.avis.iter().enumerate() {
            conn.execute(
                "INSERT INTO reg_livret_avis VALUES (?, ?)",
                duckdb::params![avis, i + 1],
            )
            .map_err(&err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_matches_the_defaults() {
        let reg = Regulation::embedded().unwrap();
        let d = Livret::default();
        assert_eq!(reg.livret.lignes, d.lignes);
        assert_eq!(reg.livret.avis, d.avis);
        assert_eq!(reg.reussite.secret_presents_minimum, 5);
        assert_eq!(reg.reussite.sessions_historique, 3);
    }
}
