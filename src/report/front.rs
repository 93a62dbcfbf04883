//! The figures at the top of `index.html`, for the deliberation room: per session the decision
//! counts, the success rate with its 95 % interval and its change since the session before, the
//! flagged examiners and schools (CCF) with their adjusted gaps and intervals, how many decisions
//! a correction would change, and the rejets with their main reasons; then the rate and gap
//! charts, inline; then what the reports were made from (version, time, input files with their
//! SHA-256, regulation file).
//!
//! Reads the computed tables of the store (a table not computed, such as the harmonisation's when
//! `harmonize` did not run, leaves its block out) and the charts already written under `--out`.
//! Every value is escaped; the charts are embedded as `data:` images, so the page needs no
//! network and runs no script.

use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::index::escape;
use duckdb::types::Value;

use super::texts::{comma, query_texts_with};
use crate::error::{Error, Result};
use crate::store::Store;

/// Decisions, in the order of the jury's minutes.
const DECISIONS: &[&str] = &[
    "ADMIS",
    "CONTROLE",
    "AJOURNE",
    "ABSENT",
    "NV",
    "EN_ATTENTE",
    "INCOMPLET",
];

/// The decision counts of each session (final decision, after control exams and jury).
const DECISIONS_SQL: &str =
    "SELECT * FROM rapport_accueil_decisions ORDER BY session, decision_finale";

/// Per session, the candidates the first group sent to the control exams (second group).
const CONTROLE_SQL: &str = "SELECT * FROM rapport_accueil_controle ORDER BY session";

/// The overall rate of each session, with its interval and its change in points.
const TAUX_SQL: &str = "SELECT * FROM rapport_accueil_taux ORDER BY session";

/// Flagged examiners (`examinateurs`) or schools for CCF (`etablissements_ccf`), the parameter,
/// with their adjusted gap and interval, the largest gaps of each exam first.
const SIGNALES_SQL: &str = "SELECT session, epreuve, examinateur, n, ecart_ajuste, ic95_bas, \
     ic95_haut, motif FROM rapport_harmonisation_unites WHERE unite = ? AND signal = 'OUI' \
     ORDER BY session, epreuve, abs(ecart_ajuste) DESC, examinateur";

/// Per session, the candidates whose decision a correction would change.
const IMPACT_SQL: &str = "SELECT * FROM rapport_accueil_impact ORDER BY session, correction_par";

/// The rejets by reason, the most frequent first, with one example.
const REJETS_SQL: &str = "SELECT * FROM rapport_accueil_rejets ORDER BY rejets DESC, code";

/// The files loaded, one row per file.
const SOURCES_SQL: &str = "SELECT * FROM rapport_accueil_sources ORDER BY chemin";

/// How many reasons of rejets the page lists (the others are in rejets.csv).
const MAX_MOTIFS: usize = 8;

/// The regulation file the results were computed with.
const REGULATION: &str = "data/regulation/ndrc.toml";

/// The figures and charts of the front page, as HTML, and the metadata of the run.
///
/// # Errors
/// [`Error::Store`] for a query.
pub fn front_html(store: &Store, out: &Path, pseudonymised: bool) -> Result<String> {
    let mut html = String::new();
    let tables = existing_tables(store)?;
    let has = |t: &str| tables.iter().any(|x| x == t);
    let decisions = if has("rapport_accueil_decisions") {
        rows(store, DECISIONS_SQL)?
    } else {
        Vec::new()
    };
    let taux = if has("rapport_accueil_taux") {
        rows(store, TAUX_SQL)?
    } else {
        Vec::new()
    };
    let mut sessions: Vec<String> = decisions.iter().map(|r| r[0].clone()).collect();
    sessions.dedup();
    let columns = decision_columns(&decisions);
    if !sessions.is_empty() {
        html.push_str("<h2>Décisions et réussite par session</h2>\n<table>\n<tr><th>session</th>");
        for d in &columns {
            let _ = write!(html, "<th>{}</th>", escape(d));
        }
        html.push_str(
            "<th>présents</th><th>admis</th><th>taux</th><th>intervalle à 95 %</th>\
             <th>évolution</th></tr>\n",
        );
        for s in &sessions {
            let _ = write!(html, "<tr><td>{}</td>", escape(s));
            for d in &columns {
                let n = decisions
                    .iter()
                    .find(|r| &r[0] == s && r[1] == *d)
                    .map_or("0", |r| r[2].as_str());
                let _ = write!(html, "<td class=\"n\">{}</td>", escape(n));
            }
            match taux.iter().find(|r| &r[0] == s) {
                Some(r) => {
                    let evolution = if r[6].is_empty() {
                        "—".to_string()
                    } else {
                        format!("{} point(s)", signed(&r[6]))
                    };
                    let _ = write!(
                        html,
                        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} %</td>\
                         <td class=\"n\">[{} ; {}]</td><td class=\"n\">{}</td>",
                        escape(&r[1]),
                        escape(&r[2]),
                        escape(&comma(&r[3])),
                        escape(&comma(&r[4])),
                        escape(&comma(&r[5])),
                        escape(&evolution)
                    );
                }
                None => html.push_str("<td></td><td></td><td></td><td></td><td></td>"),
            }
            html.push_str("</tr>\n");
        }
        html.push_str(
            "</table>\n<p class=\"d\">Décision finale (après épreuves de contrôle et jury) ; \
             taux = admis / présents, intervalle de Wilson ; évolution : écart au taux de la \
             session précédente. Détail : resultats.csv, reussite.csv.</p>\n",
        );
        let controle: Vec<String> = rows(store, CONTROLE_SQL)?
            .iter()
            .map(|r| format!("{} : {}", escape(&r[0]), escape(&r[1])))
            .collect();
        if !controle.is_empty() {
            let _ = writeln!(
                html,
                "<p>Candidats admis aux épreuves de contrôle par le premier groupe (session : \
                 candidats) : {}.</p>",
                controle.join(" ; ")
            );
        }
    }
    let flagged = harmonisation(store, &has, &mut html)?;
    let rejets = rows(store, REJETS_SQL)?;
    let total: u64 = rejets.iter().filter_map(|r| r[1].parse::<u64>().ok()).sum();
    let _ = writeln!(html, "<h2>Données refusées : {total}</h2>");
    if !rejets.is_empty() {
        html.push_str("<table>\n<tr><th>motif</th><th>nombre</th><th>exemple</th></tr>\n");
        for r in rejets.iter().take(MAX_MOTIFS) {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                escape(&r[0]),
                escape(&r[1]),
                // A reason may quote the value refused (a name, a number): not on a
                // pseudonymised page.
                if pseudonymised {
                    "(masqué : rapports pseudonymisés)".to_string()
                } else {
                    escape(&r[2])
                }
            );
        }
        html.push_str("</table>\n");
        if rejets.len() > MAX_MOTIFS {
            let _ = writeln!(
                html,
                "<p class=\"d\">… et {} autres motifs.</p>",
                rejets.len() - MAX_MOTIFS
            );
        }
        html.push_str("<p class=\"d\">Chaque valeur refusée, avec son fichier, sa feuille, sa ligne et sa colonne : rejets.csv.</p>\n");
    }
    charts(out, &flagged, &mut html)?;
    metadata(store, &mut html)?;
    Ok(html)
}

/// The flagged examiners and schools, and what a correction would change; returns the sessions
/// and exams with a flag.
fn harmonisation(
    store: &Store,
    has: &dyn Fn(&str) -> bool,
    html: &mut String,
) -> Result<Vec<(String, String)>> {
    let mut exams: Vec<(String, String)> = Vec::new();
    if !has("rapport_harmonisation_unites") {
        return Ok(exams);
    }
    for (unite, title, who) in [
        ("examinateurs", "Examinateurs signalés", "examinateur"),
        (
            "etablissements_ccf",
            "Établissements signalés (CCF)",
            "établissement",
        ),
    ] {
        let flagged = rows_with(store, SIGNALES_SQL, &[Value::Text(unite.to_string())])?;
        exams.extend(flagged.iter().map(|r| (r[0].clone(), r[1].clone())));
        let _ = writeln!(html, "<h2>{} : {}</h2>", escape(title), flagged.len());
        if flagged.is_empty() {
            continue;
        }
        let _ = writeln!(
            html,
            "<table>\n<tr><th>session</th><th>épreuve</th><th>{}</th><th>n</th>\
             <th>écart ajusté</th><th>intervalle à 95 %</th><th>motif</th></tr>",
            escape(who)
        );
        for r in &flagged {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">[{} ; {}]</td><td>{}</td></tr>",
                escape(&r[0]),
                escape(&r[1]),
                escape(&r[2]),
                escape(&r[3]),
                escape(&signed(&r[4])),
                escape(&comma(&r[5])),
                escape(&comma(&r[6])),
                escape(&r[7])
            );
        }
        html.push_str("</table>\n");
    }
    if has("rapport_accueil_impact") {
        let impact = rows(store, IMPACT_SQL)?;
        html.push_str("<h2>Ce qu'une correction changerait</h2>\n");
        if impact.is_empty() {
            html.push_str("<p>Aucune correction proposée ne change de moyenne.</p>\n");
        } else {
            html.push_str(
                "<table>\n<tr><th>session</th><th>correction des</th>\
                 <th>décisions changées</th><th>moyennes changées</th></tr>\n",
            );
            for r in &impact {
                let par = if r[1] == "examinateur" {
                    "examinateurs"
                } else {
                    "établissements (CCF)"
                };
                let _ = writeln!(
                    html,
                    "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    escape(&r[0]),
                    escape(par),
                    escape(&r[2]),
                    escape(&r[3])
                );
            }
            html.push_str(
                "</table>\n<p class=\"d\">Candidat par candidat : harmonisation/impact.csv.</p>\n",
            );
        }
    }
    exams.sort();
    exams.dedup();
    Ok(exams)
}

/// The rate charts and the gap chart of each exam with a flag, embedded.
fn charts(out: &Path, flagged: &[(String, String)], html: &mut String) -> Result<()> {
    let files: Vec<String> =
        [
            "plots/reussite_voies.svg",
            "plots/reussite_etablissements.svg",
        ]
        .iter()
        .map(ToString::to_string)
        .chain(flagged.iter().map(|(session, epreuve)| {
            format!("harmonisation/plots/{session}/{epreuve}_ecarts.svg")
        }))
        .filter(|f| out.join(f).is_file())
        .collect();
    if files.is_empty() {
        return Ok(());
    }
    html.push_str("<h2>Graphiques</h2>\n<div class=\"g\">\n");
    for f in &files {
        let path = out.join(f);
        let svg =
            std::fs::read_to_string(&path).map_err(|source| Error::Output { path, source })?;
        let _ = writeln!(
            html,
            "<figure><a href=\"{0}\"><img alt=\"{0}\" src=\"data:image/svg+xml;charset=utf-8,{1}\"></a>\
             <figcaption>{0}</figcaption></figure>",
            escape(f),
            percent_encode(&svg)
        );
    }
    html.push_str("</div>\n");
    Ok(())
}

/// Version, time, input files and regulation file.
fn metadata(store: &Store, html: &mut String) -> Result<()> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    let when = chrono::DateTime::from_timestamp(now, 0)
        .map_or_else(String::new, |t| t.format("%d/%m/%Y %H:%M UTC").to_string());
    // Without the file in the working folder, the copy built into the program applies.
    let regulation = std::fs::read(REGULATION).map_or_else(
        |_| {
            format!(
                "{REGULATION} absent du dossier de travail : copie intégrée au programme \
                 (SHA-256 {:x})",
                Sha256::digest(crate::regulation::Regulation::embedded_text().as_bytes())
            )
        },
        |bytes| format!("{REGULATION} (SHA-256 {:x})", Sha256::digest(&bytes)),
    );
    let _ = write!(
        html,
        "<h2>Provenance</h2>\n<p>ndrc-stats {} ; rapports écrits le {} ; règlement \
         <code>{}</code>.</p>\n",
        escape(env!("CARGO_PKG_VERSION")),
        escape(&when),
        escape(&regulation)
    );
    let sources = rows(store, SOURCES_SQL)?;
    if !sources.is_empty() {
        html.push_str(
            "<table class=\"s\">\n<tr><th>fichier chargé</th><th>SHA-256</th><th>lignes lues</th>\
             <th>chargé le</th></tr>\n",
        );
        for r in &sources {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td>{}</td></tr>",
                escape(&r[0]),
                escape(&r[1]),
                escape(&r[2]),
                escape(r[3].get(..16).unwrap_or(&r[3]))
            );
        }
        html.push_str("</table>\n");
    }
    Ok(())
}

/// The decision columns of the front page: [`DECISIONS`] in the minutes' order, then any other
/// decision the counts hold (a status code the regulation file gained with a decision of its
/// own), in the counts' order: a decision is never left off the page.
fn decision_columns(counts: &[Vec<String>]) -> Vec<&str> {
    let mut columns: Vec<&str> = DECISIONS.to_vec();
    for r in counts {
        if !columns.contains(&r[1].as_str()) {
            columns.push(r[1].as_str());
        }
    }
    columns
}

/// The names of the tables and views of the store.
fn existing_tables(store: &Store) -> Result<Vec<String>> {
    Ok(rows(
        store,
        "SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views()",
    )?
    .into_iter()
    .map(|mut r| r.swap_remove(0))
    .collect())
}

/// The rows of `sql`, each cell cast to text by DuckDB (NULL as "").
fn rows(store: &Store, sql: &str) -> Result<Vec<Vec<String>>> {
    rows_with(store, sql, &[])
}

/// [`rows`] with `params` bound to the query's `?`.
fn rows_with(store: &Store, sql: &str, params: &[Value]) -> Result<Vec<Vec<String>>> {
    let sql = format!("SELECT COLUMNS(*)::VARCHAR FROM ({sql})");
    Ok(query_texts_with(store, &sql, params, "chiffres de la page d'accueil")?.rows)
}

/// A decimal with a comma and its sign (`+1,20`, `-0,85`).
fn signed(text: &str) -> String {
    if text.starts_with('-') || text.is_empty() {
        comma(text)
    } else {
        format!("+{}", comma(text))
    }
}

/// Percent-encodes a text for a `data:` URL in an attribute: everything but unreserved ASCII.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/:=,;()".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_url_keeps_no_quote_nor_angle_bracket() {
        let e = percent_encode("<svg a=\"1\">é & '</svg>");
        assert!(!e.contains(['<', '>', '"', '\'', '&']), "{e}");
        assert!(
            e.starts_with("%3Csvg%20a=%221%22%3E%C3%A9%20%26%20%27"),
            "{e}"
        );
    }

    #[test]
    fn a_decision_outside_the_minutes_list_gets_its_own_column() {
        let counts: Vec<Vec<String>> = [["2024", "ADMIS", "5"], ["2024", "ELIMINE", "1"]]
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let columns = decision_columns(&counts);
        assert_eq!(columns[..DECISIONS.len()], *DECISIONS);
        assert_eq!(columns[DECISIONS.len()..], ["ELIMINE"]);
    }

    #[test]
    fn signs_and_commas_are_french() {
        assert_eq!(signed("1.2"), "+1,2");
        assert_eq!(signed("-0.85"), "-0,85");
        assert_eq!(comma("58.5"), "58,5");
    }
}
