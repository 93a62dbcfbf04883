//! Stores the harmonisation results as DuckDB tables, so that reports are written by the same
//! CSV writer as every other report (`harmonisation_examinateurs` and
//! `harmonisation_examinateurs_epreuves`; the same for `etablissements_ccf`).
//!
//! Takes the lines computed by [`super::examiners`]; gives tables, replaced on every run.

use duckdb::params;

use super::examiners::{LigneExaminateur, SyntheseEpreuve};
use crate::error::Result;
use crate::store::Store;

const CREATE: &str = "
CREATE OR REPLACE TABLE harmonisation_{nom} (
    session INTEGER, epreuve VARCHAR, examinateur VARCHAR, n BIGINT, moyenne DOUBLE,
    ecart_type DOUBLE, ecart_brut DOUBLE, n_modele BIGINT, ecart_ajuste DOUBLE,
    erreur_type DOUBLE, ic95_bas DOUBLE, ic95_haut DOUBLE, signal BOOLEAN, motif VARCHAR,
    ecart_mixte DOUBLE, erreur_type_mixte DOUBLE, ic95_bas_mixte DOUBLE, ic95_haut_mixte DOUBLE,
    signal_mixte BOOLEAN
);
CREATE OR REPLACE TABLE harmonisation_{nom}_epreuves (
    session INTEGER, epreuve VARCHAR, pente_ancova DOUBLE, pente_erreur_type DOUBLE,
    signaux BIGINT, signaux_attendus_hasard DOUBLE, variance_candidat_mixte DOUBLE,
    variance_residuelle_mixte DOUBLE, desaccords_mixte BIGINT
);";

/// Replaces the tables `harmonisation_<nom>` and `harmonisation_<nom>_epreuves` with `lignes`
/// and `syntheses` (`nom`: `examinateurs` or `etablissements_ccf`).
///
/// # Errors
/// [`crate::error::Error::Store`].
pub fn store_examiners(
    store: &Store,
    nom: &str,
    lignes: &[LigneExaminateur],
    syntheses: &[SyntheseEpreuve],
) -> Result<()> {
    let err = store.fail(&format!(
        "tables harmonisation_{nom} et harmonisation_{nom}_epreuves"
    ));
    let conn = store.connection();
    conn.execute_batch(&CREATE.replace("{nom}", nom))
        .map_err(&err)?;
    let mut app = conn
        .appender(&format!("harmonisation_{nom}"))
        .map_err(&err)?;
    for l in lignes {
        let n = i64::try_from(l.n).unwrap_or(i64::MAX);
        let n_modele = i64::try_from(l.n_modele).unwrap_or(i64::MAX);
        app.append_row(params![
            l.session,
            l.epreuve,
            l.examinateur,
            n,
            l.moyenne,
            l.ecart_type,
            l.ecart_brut,
            n_modele,
            l.ecart_ajuste.map(|e| e.value),
            l.ecart_ajuste.map(|e| e.se),
            l.ic95.map(|i| i.0),
            l.ic95.map(|i| i.1),
            l.signal,
            l.motif,
            l.ecart_mixte.map(|e| e.value),
            l.ecart_mixte.map(|e| e.se),
            l.ic95_mixte.map(|i| i.0),
            l.ic95_mixte.map(|i| i.1),
            l.signal_mixte,
        ])
        .map_err(&err)?;
    }
    app.flush().map_err(&err)?;
    drop(app);
    let mut app = conn
        .appender(&format!("harmonisation_{nom}_epreuves"))
        .map_err(&err)?;
    for s in syntheses {
        let signaux = i64::try_from(s.signaux).unwrap_or(i64::MAX);
        let desaccords = i64::try_from(s.desaccords_mixte).unwrap_or(i64::MAX);
        app.append_row(params![
            s.session,
            s.epreuve,
            s.pente.map(|e| e.value),
            s.pente.map(|e| e.se),
            signaux,
            s.signaux_attendus,
            s.variances_mixte.map(|v| v.0),
            s.variances_mixte.map(|v| v.1),
            desaccords,
        ])
        .map_err(&err)?;
    }
    app.flush().map_err(&err)
}
