//! The harmonisation report job (`harmonize`, `run`): examiner harmonisation reports under
//! `<out>/harmonisation/`: examinateurs.csv (raw and adjusted gaps, intervals, flags),
//! etablissements_ccf.csv (the same for the schools' CCF grades of E4 and E6), epreuves.csv (ANCOVA
//! slope, flags expected by chance, the mixed model's variances and disagreements) and impact.csv
//! (candidates whose average or decision a correction of the flagged examiners, or of the flagged
//! schools' CCF grades, would change); when the database holds them, correcteurs_e5a.csv (the
//! agreement of the E5A corrector pairs) and grilles.csv (E5B grid levels per examiner and
//! question). The grades stored in the database never change.

use std::io::Write;
use std::path::Path;

use super::say;
use super::texts::comma;
use crate::error::{Error, Result};
use crate::harmonize::correcteurs::{analyse_pairs, read_copies, store_pairs, CORRECTEURS_SQL};
use crate::harmonize::corrections::CorrectionJury;
use crate::harmonize::grilles::grilles_sql;
use crate::harmonize::perimetre::store_perimeter;
use crate::harmonize::tables::report_sql;
use crate::harmonize::{
    analyse, read_papers, read_passages, simulate_impact, store_examiners, LigneExaminateur,
    Passage, SyntheseEpreuve, Unite,
};
use crate::regulation::{Harmonisation, Regulation};
use crate::report::csv::{write_query, Dialect};
use crate::report::plots::caterpillar::{write_gap_charts, ExamGaps, Gap};
use crate::report::xlsx::Table;
use crate::store::Store;

/// What `harmonize` looks at: a session, an exam, and the jury's own corrections for the impact.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scope<'a> {
    /// Only this session.
    pub session: Option<i32>,
    /// Only this exam.
    pub epreuve: Option<&'a str>,
    /// Corrections given by the jury (else: minus each flagged examiner's or school's adjusted
    /// gap).
    pub corrections: Option<&'a [CorrectionJury]>,
}

/// Computes the harmonisation and writes its reports under `dir/harmonisation/`. The results
/// tables (`decisions`...) must have been computed.
///
/// # Errors
/// [`Error::Store`], [`Error::Output`].
pub fn write_harmonisation(
    store: &Store,
    regulation: &Regulation,
    dir: &Path,
    scope: &Scope<'_>,
    dialect: Dialect,
    out: &mut impl Write,
) -> Result<Vec<Table>> {
    let (session, epreuve) = (scope.session, scope.epreuve);
    let reglage = &regulation.harmonisation;
    let passages = read_passages(store, reglage, Unite::Examinateurs, session, epreuve)?;
    let papiers = read_papers(store, reglage, session)?;
    let (lignes, syntheses) = analyse(&passages, &papiers, reglage);
    store_examiners(store, "examinateurs", &lignes, &syntheses)?;
    let (n_ccf, n_ponctuel) = store_perimeter(store, &reglage.ccf)?;
    say(
        out,
        &format!(
            "périmètre CCF des établissements ({}) : {n_ccf} note(s) en CCF, {n_ponctuel} en épreuve ponctuelle",
            reglage.ccf.epreuves.join(", ")
        ),
    );
    let ccf = read_passages(store, reglage, Unite::EtablissementsCcf, session, epreuve)?;
    let (lignes_ccf, syntheses_ccf) = analyse(&ccf, &papiers, reglage);
    store_examiners(store, "etablissements_ccf", &lignes_ccf, &syntheses_ccf)?;
    let changes = simulate_impact(store, regulation, scope.corrections)?;
    let filter = match session {
        Some(y) => format!("WHERE session = {y}"),
        None => String::new(),
    };
    let dir = dir.join("harmonisation");
    let reports = [
        (
            "examinateurs.csv",
            report_sql("examinateurs", "examinateur"),
            "examinateurs",
        ),
        (
            "etablissements_ccf.csv",
            report_sql("etablissements_ccf", "uai"),
            "établissements × épreuves CCF",
        ),
        (
            "epreuves.csv",
            "SELECT session, epreuve, CAST(round(pente_ancova, 2) AS DECIMAL(6, 2)) AS pente_ancova, \
             CAST(round(pente_erreur_type, 3) AS DECIMAL(6, 3)) AS pente_erreur_type, signaux, \
             CAST(round(signaux_attendus_hasard, 2) AS DECIMAL(6, 2)) AS signaux_attendus_hasard, \
             CAST(round(variance_candidat_mixte, 2) AS DECIMAL(6, 2)) AS variance_candidat_mixte, \
             CAST(round(variance_residuelle_mixte, 2) AS DECIMAL(6, 2)) AS variance_residuelle_mixte, \
             desaccords_mixte \
             FROM harmonisation_examinateurs_epreuves ORDER BY session, epreuve"
                .to_string(),
            "épreuves",
        ),
        (
            "impact.csv",
            crate::harmonize::impact::IMPACT_SQL.replace("{filter}", &filter.replace("session", "i.session")),
            "candidats dont la moyenne ou la décision changerait",
        ),
    ];
    let mut tables = Vec::new();
    for (name, sql, what) in reports {
        let path = dir.join(name);
        let n = write_query(store.connection(), store.path(), &sql, &path, dialect)?;
        say(out, &format!("écrit {} ({n} {what})", path.display()));
        tables.push(Table {
            fichier: Path::new("harmonisation").join(name),
            sql,
        });
    }
    tables.extend(write_grid_and_pair_reports(
        store, reglage, &dir, session, epreuve, dialect, out,
    )?);
    let kinds = syntheses
        .iter()
        .map(|s| (s, "examinateur(s)"))
        .chain(syntheses_ccf.iter().map(|s| (s, "établissement(s) (CCF)")));
    for (s, unit) in kinds {
        let pente = s.pente.map_or("non estimable".to_string(), |p| {
            comma(&format!("{:.2} (± {:.2})", p.value, 1.96 * p.se))
        });
        say(
            out,
            &format!(
                "harmonisation {} {} : {} {unit} signalé(s), {} attendu(s) par hasard ; pente note/niveau {pente} ; {}",
                s.session,
                s.epreuve,
                s.signaux,
                comma(&format!("{:.1}", s.signaux_attendus)),
                mixed_summary(s)
            ),
        );
        if s.desaccords_mixte > 0 {
            eprintln!(
                "ndrc-stats: attention : {} {} : le modèle mixte ne conclut pas comme le modèle des \
                 différences pour {} {unit} (colonne signal_mixte) ; regarder leurs candidats avant d'agir",
                s.session, s.epreuve, s.desaccords_mixte
            );
        }
        if s.pente.is_some_and(|p| p.value < reglage.pente_alerte) {
            eprintln!(
                "ndrc-stats: attention : {} {} : la note suit peu le niveau écrit (pente {pente} < {}) ; \
                 les écarts ajustés surcorrigent les examinateurs aux candidats forts ou faibles",
                s.session,
                s.epreuve,
                comma(&reglage.pente_alerte.to_string())
            );
        }
    }
    let plots = write_gap_charts(
        &exam_gaps(&lignes, &passages, reglage.ecart_signal),
        &dir.join("plots"),
    )?;
    say(
        out,
        &format!(
            "écrit {} ({} graphiques d'écarts, PNG et SVG)",
            dir.join("plots").display(),
            plots.len()
        ),
    );
    say(
        out,
        &format!(
            "{changes} candidat(s) changeraient de moyenne ou de décision après correction \
             (examinateurs ou CCF des établissements, impact.csv)"
        ),
    );
    store.apply_comments()?;
    Ok(tables)
}

/// The mixed-model cross-check of an exam, in one French phrase.
fn mixed_summary(s: &SyntheseEpreuve) -> String {
    match (s.variances_mixte, s.desaccords_mixte) {
        (None, _) => "modèle mixte non estimable".into(),
        (Some((candidat, residuelle)), desaccords) => comma(&format!(
            "modèle mixte (variance candidat {candidat:.2}, résiduelle {residuelle:.2}) : {}",
            if desaccords == 0 {
                "mêmes signaux".to_string()
            } else {
                format!("{desaccords} désaccord(s) sur le signal")
            }
        )),
    }
}

/// Writes correcteurs_e5a.csv and grilles.csv when their tables have rows (after the filters);
/// returns the tables written.
fn write_grid_and_pair_reports(
    store: &Store,
    reglage: &Harmonisation,
    dir: &Path,
    session: Option<i32>,
    epreuve: Option<&str>,
    dialect: Dialect,
    out: &mut impl Write,
) -> Result<Vec<Table>> {
    let mut tables = Vec::new();
    let copies = read_copies(store, session, epreuve)?;
    if !copies.is_empty() {
        let lignes = analyse_pairs(&copies);
        store_pairs(store, &lignes)?;
        let path = dir.join("correcteurs_e5a.csv");
        tables.push(Table {
            fichier: Path::new("harmonisation").join("correcteurs_e5a.csv"),
            sql: CORRECTEURS_SQL.to_string(),
        });
        let n = write_query(
            store.connection(),
            store.path(),
            CORRECTEURS_SQL,
            &path,
            dialect,
        )?;
        say(
            out,
            &format!(
                "écrit {} ({n} paires de correcteurs E5A et ensembles)",
                path.display()
            ),
        );
    }
    let mut conditions = Vec::new();
    if let Some(y) = session {
        conditions.push(format!("session = {y}"));
    }
    if let Some(e) = epreuve {
        conditions.push(format!("epreuve = '{}'", e.replace('\'', "''")));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let grids: i64 = store
        .connection()
        .query_row(&format!("SELECT count(*) FROM grilles {filter}"), [], |r| {
            r.get(0)
        })
        .map_err(|source| Error::Store {
            db: store.path().to_path_buf(),
            context: "lecture des grilles E5B".into(),
            source,
        })?;
    if grids > 0 {
        let path = dir.join("grilles.csv");
        let sql = grilles_sql(&filter, reglage);
        let n = write_query(store.connection(), store.path(), &sql, &path, dialect)?;
        tables.push(Table {
            fichier: Path::new("harmonisation").join("grilles.csv"),
            sql,
        });
        say(
            out,
            &format!(
                "écrit {} ({n} examinateurs × questions des grilles)",
                path.display()
            ),
        );
    }
    Ok(tables)
}

/// The chart data: per session and exam, the examiners with an adjusted gap.
fn exam_gaps(lignes: &[LigneExaminateur], passages: &[Passage], seuil: f64) -> Vec<ExamGaps> {
    let mut exams: Vec<ExamGaps> = Vec::new();
    for l in lignes {
        let (Some(e), Some(ic95)) = (l.ecart_ajuste, l.ic95) else {
            continue;
        };
        let same = exams
            .last()
            .is_some_and(|x| x.session == l.session && x.epreuve == l.epreuve);
        if !same {
            exams.push(ExamGaps {
                session: l.session,
                epreuve: l.epreuve.clone(),
                seuil,
                gaps: Vec::new(),
            });
        }
        if let Some(x) = exams.last_mut() {
            x.gaps.push(Gap {
                examinateur: l.examinateur.clone(),
                brut: l.ecart_brut,
                ajuste: e.value,
                mixte: l.ecart_mixte.map(|m| m.value),
                ic95,
                signal: l.signal,
                notes: passages
                    .iter()
                    .filter(|p| {
                        p.session == l.session
                            && p.epreuve == l.epreuve
                            && p.examinateur == l.examinateur
                    })
                    .map(|p| p.note)
                    .collect(),
            });
        }
    }
    exams
}
