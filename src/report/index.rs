//! The front page of a report folder (`index.html`): the session's figures and charts at the top
//! (see [`super::front`]), then every table and chart written under `--out`, grouped by what it
//! is for, each linked with a one-line French description.
//!
//! Takes the store and the report folder; lists the files found there (sorted). The page is
//! self-contained (no network, no script) and prints on A4.

use std::path::Path;

use crate::error::{Error, Result};
use crate::store::Store;

/// The sections of the page: title, folder or file prefix, description.
const SECTIONS: &[(&str, &str, &str)] = &[
    ("Classeur Excel", "ndrc-stats.xlsx", "tous les tableaux ci-dessous dans un seul classeur, une feuille par tableau, nombres et dates typés"),
    ("Données refusées", "rejets.csv", "chaque valeur, ligne ou feuille refusée et chaque conflit, avec le fichier, la feuille, la ligne, la colonne et le motif"),
    ("Hors du règlement", "hors_reglement.csv", "candidats d'un autre diplôme trouvés dans les exports : chargés, listés avec le motif, laissés hors des résultats, des taux et de l'harmonisation"),
    ("Résultats", "resultats.csv", "moyenne, décision calculée et décision du jury de chaque candidat"),
    ("Résultats", "jury/", "les candidats que le jury doit examiner"),
    ("Résultats", "statistiques_epreuves.csv", "statistiques de chaque épreuve et de chaque code de statut"),
    ("Résultats", "plots/20", "distribution des notes de chaque épreuve"),
    ("Taux de réussite", "reussite", "présents, admis, taux et intervalle de confiance à 95 %, évolution sur trois sessions"),
    ("Taux de réussite", "plots/reussite", "taux par établissement et par voie"),
    ("Harmonisation", "harmonisation/", "écarts des examinateurs ajustés du niveau des candidats, établissements (CCF), binômes de correcteurs E5A, grilles E5B, impact d'une correction"),
    ("Livret scolaire", "livret/", "profil de classe, cotation et graphique de chaque élève"),
];

/// The page's style: readable on a laptop, printable on A4 (no chart split across sheets).
const STYLE: &str = "body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em}\
h2{border-bottom:1px solid #888;margin-top:1.5em}li{margin:.2em 0}.d{color:#555}\
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:.2em .5em}\
th{background:#eee}td.n{text-align:right;white-space:nowrap}table.s td{font-size:.85em}code{font-size:.85em}\
.g{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0;width:34em;max-width:100%}\
figure img{width:100%}figcaption{font-size:.8em;color:#555}\
@page{size:A4;margin:1.5cm}@media print{body{max-width:none;margin:0}figure{break-inside:avoid}\
table{break-inside:auto}tr{break-inside:avoid}a{color:inherit;text-decoration:none}}";

/// Writes `<out>/index.html`: the figures of the store (without the example of each rejet reason
/// when `pseudonymised`), then a link to every file under `out`;
/// returns how many files it links.
///
/// # Errors
/// [`Error::Store`] for a figure's query, [`Error::Output`] when the folder cannot be listed or
/// the page written.
pub fn write_index(store: &Store, out: &Path, pseudonymised: bool) -> Result<usize> {
    let mut files = list(out)?;
    files.sort();
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>ndrc-stats : BTS NDRC, résultats et harmonisation</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<h1>BTS NDRC : résultats, réussite et harmonisation</h1>\n"
    );
    html.push_str(&super::front::front_html(store, out, pseudonymised)?);
    html.push_str("<h2>Tous les fichiers</h2>\n");
    let mut linked = 0;
    let mut current = "";
    for (title, prefix, description) in SECTIONS {
        let mine: Vec<&String> = files
            .iter()
            .filter(|f| f.starts_with(prefix) && is_listed(f))
            .collect();
        if mine.is_empty() {
            continue;
        }
        if *title != current {
            html.push_str(&format!("<h3>{}</h3>\n", escape(title)));
            current = title;
        }
        html.push_str(&format!(
            "<p class=\"d\">{}</p>\n<ul>\n",
            escape(description)
        ));
        for f in mine {
            html.push_str(&format!("<li><a href=\"{0}\">{0}</a></li>\n", escape(f)));
            linked += 1;
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</body>\n</html>\n");
    let path = out.join("index.html");
    super::atomic::write_bytes(&path, html)?;
    Ok(linked)
}

/// Tables, charts and pages; a PNG beside its SVG is not listed twice, and the livret is listed
/// by its class pages and tables (its thousands of charts are on those pages).
fn is_listed(file: &str) -> bool {
    if file.starts_with("livret/") {
        return file.ends_with(".html") || file.ends_with(".csv");
    }
    file.ends_with(".csv")
        || file.ends_with(".svg")
        || file.ends_with(".html")
        || file.ends_with(".xlsx")
}

/// The files written under `root`, relative, with `/` separators, the index itself left out.
fn list(root: &Path) -> Result<Vec<String>> {
    let below = crate::folder::files_below(root).map_err(|e| Error::Output {
        path: e.path,
        source: e.source,
    })?;
    Ok(below
        .iter()
        .filter_map(|p| p.strip_prefix(root).ok())
        .map(|rel| rel.to_string_lossy().replace('\\', "/"))
        .filter(|rel| rel != "index.html")
        // A temporary file a killed run left behind is not a report.
        .filter(|rel| !rel.split('/').any(super::atomic::is_temporary))
        .collect())
}

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_links_tables_and_charts_once_each_by_section() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        for f in [
            "rejets.csv",
            "hors_reglement.csv",
            "resultats.csv",
            "plots/2024/E1.svg",
            "plots/2024/E1.png",
            "livret/2024/0690105P/A/classe.html",
            "livret/2024/0690105P/A/0001.svg",
        ] {
            let p = out.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let store = Store::open_in_memory().unwrap();
        assert_eq!(write_index(&store, out, false).unwrap(), 5);
        let html = std::fs::read_to_string(out.join("index.html")).unwrap();
        assert!(html.contains("<a href=\"rejets.csv\">"));
        assert!(html.contains("<a href=\"hors_reglement.csv\">"));
        assert!(html.find("Hors du règlement") < html.find("Résultats"));
        assert!(html.contains("<a href=\"plots/2024/E1.svg\">"));
        assert!(!html.contains("E1.png"));
        assert!(!html.contains("0001.svg"));
        assert!(html.find("Données refusées") < html.find("Livret scolaire"));
    }
}
