//! `ndrc-stats check`: a dry run that writes no database. For each file and sheet it prints the
//! layout recognised, each column with the field it maps to and why (alias, words or content)
//! and sample values, the columns not read, and what would be rejected and why.
//!
//! The rejets come from a real load into an in-memory DuckDB store, so that they are exactly
//! those `ingest` would write.

use std::io::Write;
use std::path::Path;

use super::{print_error, say, Status};
use crate::cli::CheckArgs;
use crate::error::Result;
use crate::ingest::content::column_stats;
use crate::ingest::field::Field;
use crate::ingest::ignored::{summary_line, warning};
use crate::ingest::layout::{find_layout, Column, Layout, Role};
use crate::ingest::load::{expand_paths, load_file, FileOutcome, LoadOptions};
use crate::ingest::profile::Profile;
use crate::ingest::read::{read_file, RawSheet};
use crate::ingest::read_workbook::column_letters;
use crate::store::Store;

/// How many rejets are shown per file before "… et N autres".
const MAX_REJETS_SHOWN: usize = 15;

/// Runs `check`.
///
/// # Errors
/// Usage, profile or store errors. A refused file, or an ignored column that holds meaning, gives
/// [`Status::FilesFailed`] (exit 1).
pub fn run(args: &CheckArgs, out: &mut impl Write) -> Result<Status> {
    super::check_session(args.session)?;
    let profile = super::regulated_profile(&args.profiles_dir, &args.profiles)?;
    let (files, skipped) = expand_paths(&args.paths)?;
    let store = Store::open_in_memory()?;
    let opts = LoadOptions {
        profile: &profile,
        session: args.session,
        strict: false,
        progress: None,
    };
    let mut failed = false;
    for file in &files {
        say(out, &format!("fichier {}", file.display()));
        match read_file(file) {
            Ok(raw) => {
                say(out, &format!("  format : {}", raw.format));
                for sheet in &raw.sheets {
                    failed |= describe_sheet(out, file, sheet, &profile, args.session);
                }
            }
            Err(e) => {
                failed = true;
                say(out, &format!("  refusé : {e}"));
                continue;
            }
        }
        match load_file(&store, file, &opts)? {
            FileOutcome::Loaded(report) => {
                for s in &report.sheets {
                    let (lues, acceptees, rejetees) = s.lignes;
                    let name = s.feuille.as_deref().unwrap_or("(csv)");
                    say(out, &format!(
                        "  {name} : {lues} lignes lues, {acceptees} seraient acceptées, {rejetees} rejetées"
                    ));
                }
                let ids: Vec<i32> = report.sheets.iter().map(|s| s.source_id).collect();
                print_rejets(out, &store, &ids)?;
            }
            FileOutcome::AlreadyLoaded => {
                say(
                    out,
                    "  contenu identique à un fichier déjà vérifié ci-dessus",
                );
            }
            FileOutcome::Failed(e) => {
                failed = true;
                print_error(&e);
                say(out, &format!("  refusé : {e}"));
            }
        }
    }
    for s in &skipped {
        say(out, &format!("ignoré {} (ni tableur ni CSV)", s.display()));
    }
    Ok(if failed {
        Status::FilesFailed
    } else {
        Status::Done
    })
}

/// Prints one sheet's layout (`forced`: the `--session` given); true when a meaningful column is
/// ignored.
fn describe_sheet(
    out: &mut impl Write,
    file: &Path,
    sheet: &RawSheet,
    profile: &Profile,
    forced: Option<i32>,
) -> bool {
    let name = sheet.name.clone().unwrap_or_else(|| "(csv)".into());
    let Some(layout) = find_layout(sheet, profile, file) else {
        let what = if sheet.rows.is_empty() {
            "vide"
        } else {
            "aucun en-tête reconnu (une colonne de numéros de candidat et une autre colonne connue sont attendues)"
        };
        say(out, &format!("  feuille {name} : {what}"));
        return false;
    };
    let group = layout
        .group_row
        .map(|g| format!(", avec la ligne de groupe {g}"))
        .unwrap_or_default();
    say(
        out,
        &format!(
            "  feuille {name} : {}, en-tête ligne {}{group}",
            layout.kind(),
            layout.header_row
        ),
    );
    let data = sheet
        .rows
        .get(layout.header_index + 1..)
        .unwrap_or_default();
    for col in &layout.columns {
        let samples = column_stats(data, col.index, profile).samples.join(" ; ");
        say(
            out,
            &format!(
                "    {:<4}« {} » → {}{} ({}) ex. : {samples}",
                column_letter(col.index),
                col.header,
                role_name(&col.role),
                scale_note(col),
                col.reason.label()
            ),
        );
    }
    let mut meaningful = false;
    for col in &layout.ignored {
        if let Some(w) = warning(&name, col) {
            meaningful = true;
            say(out, &format!("    {w}"));
        }
    }
    if let Some(line) = summary_line(layout.ignored.iter().map(|c| (name.as_str(), c))) {
        say(out, &format!("    {line}"));
    }
    say(out, &describe_session(&layout, forced));
    meaningful
}

fn describe_session(layout: &Layout, forced: Option<i32>) -> String {
    use crate::ingest::layout::SessionSource;
    if let Some(y) = forced {
        return format!("    session : {y} (--session)");
    }
    match &layout.session {
        SessionSource::Column => "    session : colonne".to_string(),
        SessionSource::Fixed(y, from) => format!("    session : {y} ({from})"),
        SessionSource::Missing => {
            "    session : introuvable (toutes les lignes seraient rejetées ; utilisez --session)"
                .to_string()
        }
    }
}

/// `, notée sur 40 : convertie sur 20` for a grade column whose header says another scale.
fn scale_note(col: &Column) -> String {
    let grade_column = matches!(col.role, Role::Exam { .. } | Role::Field(Field::Note));
    match crate::ingest::values::scale_in_header(&col.header) {
        Some(sur) if grade_column && sur != 20 => {
            format!(", notée sur {sur} : convertie sur 20")
        }
        _ => String::new(),
    }
}

fn role_name(role: &Role) -> String {
    match role {
        Role::Field(f) => f.name().to_string(),
        Role::Exam { code, known: true } => format!("épreuve {code}"),
        Role::Exam { code, known: false } => format!("épreuve {code} (hors règlement)"),
    }
}

/// The spreadsheet letter of a 0-based column.
fn column_letter(index: usize) -> String {
    column_letters(u32::try_from(index).unwrap_or(u32::MAX))
}

/// Prints the rejets the load would write, grouped by reason, then the first ones.
fn print_rejets(out: &mut impl Write, store: &Store, ids: &[i32]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let list = ids
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    // The ids are integers produced by the store: the list cannot carry SQL.
    let sql = format!(
        "SELECT coalesce(feuille, ''), ligne, colonne, coalesce(valeur, ''), motif FROM rejets \
         WHERE source_id IN ({list}) ORDER BY source_id, ligne, colonne"
    );
    let rows: Vec<(String, i64, String, String, String)> =
        store.rows(&sql, [], "rejets du contrôle", |r| r.try_into())?;
    if rows.is_empty() {
        say(out, "  rien ne serait rejeté");
        return Ok(());
    }
    say(out, &format!("  rejets prévus : {}", rows.len()));
    for (feuille, ligne, colonne, valeur, motif) in rows.iter().take(MAX_REJETS_SHOWN) {
        let sheet = if feuille.is_empty() {
            String::new()
        } else {
            format!("feuille « {feuille} », ")
        };
        say(
            out,
            &format!("    {sheet}ligne {ligne}, colonne {colonne} : « {valeur} » : {motif}"),
        );
    }
    if rows.len() > MAX_REJETS_SHOWN {
        say(
            out,
            &format!("    … et {} autres", rows.len() - MAX_REJETS_SHOWN),
        );
    }
    Ok(())
}
