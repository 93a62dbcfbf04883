//! The jury's printable documents of each session, from the rows of `resultats.csv` (the same
//! query):
//! - `jury/pv_<session>.html`, the procès-verbal de délibération: every candidate with their unit
//!   grades, average, computed decision, the jury's points and decision and the final decision,
//!   the count of each final decision, and a signature block;
//! - `jury/releves_<session>/<uai>.html`, one relevé de notes per candidate of the school, each
//!   on its own printed page (A4), reached from the minutes by `#c<candidat>`: a file per school
//!   stays small enough to open and to hand over, even for a national session;
//! - `jury/explications_<session>/<uai>.html`, beside the relevés, the explanation of each
//!   candidate's result (as `ndrc-stats explain` prints it), linked from the minutes and the
//!   relevé.
//!
//! HTML for the browser's print (no PDF crate does French tables and page breaks as well); every
//! value is escaped, nothing is fetched.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::index::escape;
use duckdb::types::Value;

use super::texts::{comma, query_texts_with, Texts as Rows};
use super::{session_param, Written, PAR_SESSION};
use crate::error::{Error, Result};
use crate::store::Store;

/// The rows of a query as text, with `params` bound, for these documents.
fn texts(store: &Store, sql: &str, params: &[Value]) -> Result<Rows> {
    query_texts_with(store, sql, params, "documents du jury")
}

/// The style of both documents: A4 landscape for the minutes, a page per relevé.
const STYLE: &str = "body{font-family:sans-serif;font-size:10pt;margin:1em}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.15em .3em}\
th{background:#eee}td.n{text-align:right}thead{display:table-header-group}tr{break-inside:avoid}\
.signatures{display:flex;gap:4em;margin-top:2em;break-inside:avoid}.signatures div{flex:1;\
border-top:1px solid #000;padding-top:.3em;min-height:5em}.releve{break-after:page;max-width:45em}\
.releve table{width:auto}.d{color:#444}@media print{a{color:inherit;text-decoration:none}}";

/// One unit of the regulation: code, title, coefficient.
struct Unit {
    code: String,
    intitule: String,
    coefficient: String,
}

/// Writes the minutes and the relevés of every session with decisions (or of `session` only)
/// under `<dir>/jury/` from the computed tables and their view `rapport_resultats`; returns what
/// it wrote.
///
/// # Errors
/// [`Error::Store`] for a query, [`Error::Output`] for a file.
pub fn write_jury_documents(store: &Store, dir: &Path, session: Option<i32>) -> Result<Written> {
    let units: Vec<Unit> = texts(
        store,
        "SELECT unite, intitule, CAST(coefficient AS VARCHAR) FROM reg_unites ORDER BY ordre",
        &[],
    )?
    .rows
    .into_iter()
    .map(|r| Unit {
        code: r[0].clone(),
        intitule: r[1].clone(),
        coefficient: r[2].clone(),
    })
    .collect();
    let sessions = texts(
        store,
        &format!("SELECT DISTINCT CAST(session AS VARCHAR) FROM decisions WHERE {PAR_SESSION} ORDER BY 1"),
        &[session_param(session)],
    )?;
    let jury = dir.join("jury");
    std::fs::create_dir_all(&jury).map_err(|source| Error::Output {
        path: jury.clone(),
        source,
    })?;
    let mut written = Written::default();
    for s in sessions.rows {
        let session = &s[0];
        let rows = texts(
            store,
            &format!(
                "SELECT COLUMNS(*)::VARCHAR FROM ({})",
                super::resultats::resultats_sql()
            ),
            &[Value::Text(session.clone())],
        )?;
        let n = rows.rows.len();
        let pv = jury.join(format!("pv_{session}.html"));
        write(&pv, &minutes(session, &rows, &units))?;
        written.say(format!("écrit {} ({n} candidats)", pv.display()));
        let folder = jury.join(format!("releves_{session}"));
        // A second run replaces the session's relevés: a school no longer there leaves no file.
        fresh_folder(&folder)?;
        let uai = rows.col("uai");
        let mut schools: BTreeMap<String, Vec<&Vec<String>>> = BTreeMap::new();
        for r in &rows.rows {
            let school = uai.map_or("", |i| r[i].as_str());
            schools.entry(school_file(school)).or_default().push(r);
        }
        for (school, mine) in &schools {
            let path = folder.join(format!("{school}.html"));
            write(&path, &transcripts(session, &rows, &mine[..], &units))?;
        }
        written.say(format!(
            "écrit {} ({n} relevés de notes, un fichier par établissement : {})",
            folder.display(),
            schools.len()
        ));
        write_explanations(store, &jury, session, &mut written)?;
    }
    Ok(written)
}

/// The candidates whose explanations [`write_explanations`] reads at once: about 6 KB of HTML
/// each, so a few hundred MB at most whatever the session's size.
const EXPLICATIONS_PAR_LOT: usize = 5_000;

/// Writes the explanation pages of `session` under `<jury>/explications_<session>/`, one file
/// per school as the relevés, reading a few schools at a time.
fn write_explanations(
    store: &Store,
    jury: &Path,
    session: &str,
    written: &mut Written,
) -> Result<()> {
    let year: i32 = session
        .parse()
        .map_err(|_| Error::Internal(format!("session « {session} » illisible")))?;
    let folder = jury.join(format!("explications_{session}"));
    fresh_folder(&folder)?;
    // Each file's schools (the UAI as in the results) and candidates.
    let mut files: BTreeMap<String, (Vec<String>, usize)> = BTreeMap::new();
    for r in texts(
        store,
        "SELECT coalesce(c.uai, ''), CAST(count(*) AS VARCHAR) FROM decisions AS d \
         JOIN candidats_du_reglement AS c USING (session, candidat) WHERE d.session = ? \
         GROUP BY 1 ORDER BY 1",
        &[Value::Text(session.to_string())],
    )?
    .rows
    {
        let file = files.entry(school_file(&r[0])).or_default();
        file.1 += r[1].parse::<usize>().unwrap_or(0);
        file.0.push(r[0].clone());
    }
    let (mut total, mut batch, mut size) = (0, Vec::new(), 0);
    let names: Vec<&String> = files.keys().collect();
    for (i, name) in names.iter().enumerate() {
        batch.push(*name);
        size += files[*name].1;
        if size < EXPLICATIONS_PAR_LOT && i + 1 < names.len() {
            continue;
        }
        let uais_of_batch: Vec<String> = batch
            .iter()
            .flat_map(|f| files[*f].0.iter().cloned())
            .collect();
        let all = crate::explain::read_explanations(
            store,
            year,
            crate::explain::Choix::Etablissements(&uais_of_batch),
        )?;
        total += all.len();
        let mut schools: BTreeMap<String, Vec<&crate::explain::Explication>> = BTreeMap::new();
        for e in &all {
            schools
                .entry(school_file(e.identite.uai.as_deref().unwrap_or("")))
                .or_default()
                .push(e);
        }
        for (school, mine) in &schools {
            let path = folder.join(format!("{school}.html"));
            write(
                &path,
                &super::explication::render_explanations(session, &mine[..]),
            )?;
        }
        batch.clear();
        size = 0;
    }
    written.say(format!(
        "écrit {} ({total} explications des résultats, un fichier par établissement : {})",
        folder.display(),
        files.len()
    ));
    Ok(())
}

/// The file name of a school's relevés: its UAI, `sans_uai` when it has none.
fn school_file(uai: &str) -> String {
    if uai.is_empty() {
        "sans_uai".into()
    } else {
        super::livret::file_stem(uai)
    }
}

/// The procès-verbal of one session.
fn minutes(session: &str, rows: &Rows, units: &[Unit]) -> String {
    let mut html = page_head(
        &format!("Procès-verbal de délibération, session {session}"),
        "A4 landscape",
    );
    let _ = writeln!(
        html,
        "<h1>BTS Négociation et digitalisation de la relation client : procès-verbal de \
         délibération, session {}</h1>\n<p>Jury réuni le ………………………… à ………………………………. \
         {} candidats délibérés.</p>",
        escape(session),
        rows.rows.len()
    );
    let finale = rows.col("decision_finale");
    let mut counts: Vec<(String, usize)> = Vec::new();
    for r in &rows.rows {
        let d = finale.map_or("", |i| r[i].as_str()).to_string();
        match counts.iter_mut().find(|(k, _)| *k == d) {
            Some((_, n)) => *n += 1,
            None => counts.push((d, 1)),
        }
    }
    counts.sort();
    let summary: Vec<String> = counts
        .iter()
        .map(|(d, n)| format!("{} : {n}", escape(d)))
        .collect();
    let _ = writeln!(html, "<p>Décisions finales : {}.</p>", summary.join(", "));
    html.push_str("<table>\n<thead><tr><th>N° candidat</th><th>Nom</th><th>Prénom</th><th>Établissement</th><th>Classe</th>");
    for u in units {
        let _ = write!(
            html,
            "<th title=\"{}\">{}</th>",
            escape(&u.intitule),
            escape(&u.code)
        );
    }
    html.push_str(
        "<th>Moyenne</th><th>Décision calculée</th><th>Points du jury</th>\
         <th>Décision du jury</th><th>Décision finale</th><th>Explication</th></tr></thead>\n<tbody>\n",
    );
    let cell = |r: &[String], name: &str| cell(rows, r, name);
    for r in &rows.rows {
        let candidat = cell(r, "candidat");
        let f = escape(&school_file(rows.col("uai").map_or("", |i| r[i].as_str())));
        let _ = write!(
            html,
            "<tr class=\"c\"><td><a href=\"releves_{s}/{f}.html#c{candidat}\">{candidat}</a></td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            cell(r, "nom"),
            cell(r, "prenom"),
            cell(r, "uai"),
            cell(r, "classe"),
            s = escape(session),
        );
        for u in units {
            let _ = write!(html, "<td class=\"n\">{}</td>", comma(&cell(r, &u.code)));
        }
        let _ = writeln!(
            html,
            "<td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td><b>{}</b></td>\
             <td><a href=\"explications_{s}/{f}.html#c{candidat}\">pourquoi</a></td></tr>",
            comma(&cell(r, "moyenne")),
            cell(r, "decision"),
            comma(&cell(r, "points_jury")),
            cell(r, "decision_jury"),
            cell(r, "decision_finale"),
            s = escape(session),
        );
    }
    html.push_str(
        "</tbody>\n</table>\n<p class=\"d\">Moyenne calculée par le règlement d'examen \
         (data/regulation/ndrc.toml), tronquée à deux décimales ; notes d'unité après épreuves \
         de contrôle quand elles s'appliquent. Le jury est souverain : sa décision, quand il en \
         prend une, est la décision finale.</p>\n<div class=\"signatures\"><div>Le président du \
         jury (nom et signature)</div><div>Les membres du jury (noms et signatures)</div>\
         <div>Fait à ………………………, le ………………</div></div>\n</body>\n</html>\n",
    );
    html
}

/// The relevés de notes of `mine` (rows of `rows`), one section (printed page) per candidate.
fn transcripts(session: &str, rows: &Rows, mine: &[&Vec<String>], units: &[Unit]) -> String {
    let mut html = page_head(&format!("Relevés de notes, session {session}"), "A4");
    let cell = |r: &[String], name: &str| cell(rows, r, name);
    for r in mine {
        let candidat = cell(r, "candidat");
        let _ = writeln!(
            html,
            "<section class=\"releve\" id=\"c{candidat}\">\n<h1>Relevé de notes : BTS NDRC, \
             session {}</h1>\n<p><b>{} {}</b>, candidat n° {candidat}<br>Établissement {} ; \
             classe {} ; voie {}</p>",
            escape(session),
            cell(r, "nom"),
            cell(r, "prenom"),
            cell(r, "uai"),
            cell(r, "classe"),
            cell(r, "voie")
        );
        html.push_str("<table>\n<tr><th>Unité</th><th>Intitulé</th><th>Coefficient</th><th>Note /20</th></tr>\n");
        for u in units {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&u.code),
                escape(&u.intitule),
                escape(&comma(&u.coefficient)),
                comma(&cell(r, &u.code))
            );
        }
        let _ = writeln!(
            html,
            "</table>\n<p>Moyenne : <b>{}</b> ; décision : <b>{}</b>",
            comma(&cell(r, "moyenne")),
            cell(r, "decision_finale")
        );
        let jury = cell(r, "decision_jury");
        if !jury.is_empty() {
            let _ = write!(
                html,
                " (décision du jury ; décision calculée : {})",
                cell(r, "decision")
            );
        }
        html.push_str(".</p>\n");
        let _ = writeln!(
            html,
            "<p><a href=\"../explications_{}/{}.html#c{candidat}\">Explication du calcul et des \
             décisions</a></p>",
            escape(session),
            escape(&school_file(rows.col("uai").map_or("", |i| r[i].as_str())))
        );
        for (name, label) in [
            ("blocs_acquis", "Blocs de compétences acquis"),
            ("statuts", "Codes de statut"),
            ("manque", "Manque"),
        ] {
            let value = cell(r, name);
            if !value.is_empty() {
                let _ = writeln!(html, "<p>{label} : {value}</p>");
            }
        }
        html.push_str("</section>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}

/// The cell of column `name` of row `r`, escaped ("" when the query has no such column).
fn cell(rows: &Rows, r: &[String], name: &str) -> String {
    rows.col(name).map_or(String::new(), |i| escape(&r[i]))
}

/// The start of a page with its title and style.
fn page_head(title: &str, page: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>{STYLE}@page{{size:{page};margin:1cm}}</style>\n</head>\n<body>\n",
        escape(title)
    )
}

/// Writes a page.
fn write(path: &Path, html: &str) -> Result<()> {
    super::atomic::write_bytes(path, html)
}

/// Empties `folder` (made when missing): a second run replaces a session's pages, and a school
/// no longer there leaves no file.
///
/// # Errors
/// [`Error::Output`] naming the folder.
fn fresh_folder(folder: &std::path::Path) -> Result<()> {
    match std::fs::remove_dir_all(folder) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::Output {
                path: folder.to_path_buf(),
                source: e,
            })
        }
        _ => {}
    }
    std::fs::create_dir_all(folder).map_err(|source| Error::Output {
        path: folder.to_path_buf(),
        source,
    })
}
