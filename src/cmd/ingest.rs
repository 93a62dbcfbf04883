//! `ndrc-stats ingest`: loads exports into the DuckDB file and prints what each file gave.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{print_error, say, Status};
use crate::cli::{IngestArgs, LoadArgs};
use crate::error::{Error, Result};
use crate::ingest::ignored::{summary_line, warning};
use crate::ingest::load::{expand_paths, load_files, FileOutcome, LoadOptions};
use crate::ingest::profile::Profile;
use crate::ingest::recognize::IgnoredColumn;
use crate::ingest::replace::{replace_file, Replaced};
use crate::store::Store;

/// Totals over the files of one load.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoadTotals {
    /// Files loaded now, already loaded, failed.
    pub charges: u32,
    /// Files skipped because the store already has them.
    pub deja_charges: u32,
    /// Files not loaded.
    pub en_erreur: u32,
    /// Data rows read, with an accepted value, entirely rejected.
    pub lignes_lues: u64,
    /// Rows with at least one accepted value.
    pub lignes_acceptees: u64,
    /// Rows with nothing accepted.
    pub lignes_rejetees: u64,
    /// Rejets written by normalisation.
    pub rejets: u64,
    /// Conflicts found by merging.
    pub conflits: i64,
}

/// Runs `ingest`.
///
/// # Errors
/// Usage, profile or store errors; unreadable files are reported and give [`Status::FilesFailed`].
pub fn run(args: &IngestArgs, out: &mut impl Write) -> Result<Status> {
    let store = open_store(&args.load)?;
    let totals = match args.remplace {
        Some(id) => replace(&store, &args.load, id, &args.paths, out)?,
        None => load_into(&store, &args.load, &args.paths, out)?,
    };
    print_table_counts(&store, out)?;
    Ok(if totals.en_erreur > 0 {
        Status::FilesFailed
    } else {
        Status::Done
    })
}

/// Loads `paths` into `store`, printing one line per file and the totals.
///
/// # Errors
/// [`Error::Usage`] for a bad `--session`, [`Error::Config`] for a bad profile, [`Error::Io`] for
/// a missing path, [`Error::Store`].
pub fn load_into(
    store: &Store,
    args: &LoadArgs,
    paths: &[PathBuf],
    out: &mut impl Write,
) -> Result<LoadTotals> {
    super::check_session(args.session)?;
    let profile = load_profile(args)?;
    let (files, skipped) = expand_paths(paths)?;
    let mut t = LoadTotals::default();
    // The bar goes to stderr only on a terminal: piped output stays the summary alone.
    let bar = progress_bar(&files);
    // Where the current file starts on the bar: the bytes of the files before it.
    let base = AtomicU64::new(0);
    let size_of = |f: &Path| std::fs::metadata(f).map_or(0, |m| m.len());
    let tell = |bytes: u64| {
        if let Some(b) = &bar {
            b.set_position(base.load(Ordering::Relaxed) + bytes);
        }
    };
    let opts = LoadOptions {
        profile: &profile,
        session: args.session,
        strict: args.strict,
        progress: Some(&tell),
    };
    let mut next = files.iter().skip(1);
    if let (Some(b), Some(first)) = (&bar, files.first()) {
        b.set_message(first.display().to_string());
    }
    load_files(store, &files, &opts, |file, outcome| {
        let done = base.fetch_add(size_of(file), Ordering::Relaxed) + size_of(file);
        let report = || report_outcome(out, &mut t, file, outcome);
        match &bar {
            Some(b) => {
                b.set_position(done);
                b.suspend(report);
                if let Some(f) = next.next() {
                    b.set_message(f.display().to_string());
                }
            }
            None => report(),
        }
        Ok(())
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    for s in &skipped {
        say(
            out,
            &format!("ignoré       {} (ni tableur ni CSV)", s.display()),
        );
    }
    say(out, &format!(
        "Total : {} fichiers ({} chargés, {} déjà chargés, {} en erreur) ; {} lignes lues, {} acceptées, {} rejetées ; {} valeurs rejetées, {} conflits",
        files.len(), t.charges, t.deja_charges, t.en_erreur, t.lignes_lues, t.lignes_acceptees,
        t.lignes_rejetees, t.rejets, t.conflits
    ));
    Ok(t)
}

/// `ingest --remplace ID FICHIER`: retires the file of source `id` and loads `paths` (one file)
/// in its place, printing what left, what loaded and what the freed values became.
///
/// # Errors
/// [`Error::Usage`] unless `paths` is one file, or for an unknown source; [`Error::Config`] for
/// a bad profile; [`Error::Store`].
fn replace(
    store: &Store,
    args: &LoadArgs,
    id: i32,
    paths: &[PathBuf],
    out: &mut impl Write,
) -> Result<LoadTotals> {
    let [path] = paths else {
        return Err(Error::Usage(format!(
            "--remplace {id} attend un seul fichier, le fichier corrigé ({} chemins donnés)",
            paths.len()
        )));
    };
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "--remplace {id} attend le fichier corrigé, pas un dossier : {}",
            path.display()
        )));
    }
    super::check_session(args.session)?;
    let profile = load_profile(args)?;
    let opts = LoadOptions {
        profile: &profile,
        session: args.session,
        strict: args.strict,
        progress: None,
    };
    let mut t = LoadTotals::default();
    match replace_file(store, id, path, &opts)? {
        Replaced::Done {
            retired_file,
            retired,
            report,
            settled,
        } => {
            let sheets = retired_file.source_ids.len();
            say(
                out,
                &format!(
                    "remplacé     {} (source {id}, {sheets} feuille{}) par {} : remplacement n° {}",
                    retired_file.chemin,
                    if sheets > 1 { "s" } else { "" },
                    path.display(),
                    retired.retrait
                ),
            );
            let moved: Vec<String> = retired
                .rows
                .iter()
                .map(|(table, n)| format!("{table} {n}"))
                .collect();
            say(
                out,
                &format!(
                    "  retiré vers l'historique (historique_*) : {}",
                    if moved.is_empty() {
                        "aucune ligne".to_string()
                    } else {
                        moved.join(", ")
                    }
                ),
            );
            match report {
                Some(report) => report_outcome(out, &mut t, path, FileOutcome::Loaded(report)),
                None => say(
                    out,
                    &format!(
                        "  {} était déjà chargé : ses valeurs passent avant celles des autres fichiers",
                        path.display()
                    ),
                ),
            }
            say(
                out,
                &format!(
                    "  valeurs reprises d'autres fichiers (clés absentes du fichier corrigé) : {} ; \
                     conflits recalculés : {}",
                    settled.promues, settled.conflits
                ),
            );
            t.conflits += settled.conflits;
        }
        Replaced::AlreadyDone { replacement } => say(
            out,
            &format!(
                "déjà remplacé  source {id} ({}) par {} le {} (remplacement n° {}) : rien n'a changé",
                replacement.chemin,
                replacement.par_chemin,
                replacement.le,
                replacement.retrait
            ),
        ),
        Replaced::Identical { file } => say(
            out,
            &format!(
                "identique    {} a le même contenu que la source {id} ({}) : rien n'a changé",
                path.display(),
                file.chemin
            ),
        ),
        Replaced::Failed(e) => {
            t.en_erreur += 1;
            print_error(&e);
            say(
                out,
                &format!("non remplacé source {id} : le fichier corrigé n'a pas pu être chargé, rien n'a changé"),
            );
        }
    }
    Ok(t)
}

/// Opens the database of a load, waiting `--attendre` seconds at most while another program
/// holds it (said once on stderr).
///
/// # Errors
/// As [`Store::open_waiting`].
pub fn open_store(args: &LoadArgs) -> Result<Store> {
    let wait = std::time::Duration::from_secs(args.attendre);
    Store::open_waiting(&args.db, wait, |reason| {
        eprintln!(
            "ndrc-stats: base {} : {} ; attente, {} s au plus (--attendre)",
            args.db.display(),
            reason
                .split_once(" ; ")
                .map_or(reason, |(first, _)| first)
                .trim_start_matches("ouverture impossible : "),
            args.attendre
        );
    })
}

/// The profile of a load: the spellings and the regulation's scales other than 20.
///
/// # Errors
/// [`Error::Config`].
fn load_profile(args: &LoadArgs) -> Result<Profile> {
    super::regulated_profile(&args.profiles_dir, &args.profiles)
}

/// A progress bar over the bytes of `files`, on a terminal only.
fn progress_bar(files: &[PathBuf]) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] {bytes}/{total_bytes} reste {eta} {wide_msg}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// Prints what one file gave and adds it to the totals.
fn report_outcome(out: &mut impl Write, t: &mut LoadTotals, file: &Path, outcome: FileOutcome) {
    match outcome {
        FileOutcome::Loaded(r) => {
            t.charges += 1;
            t.rejets += u64::from(r.rejets);
            t.conflits += r.conflits;
            say(
                out,
                &format!("chargé       {} ({})", file.display(), r.format),
            );
            for s in &r.sheets {
                let (lues, acceptees, rejetees) = s.lignes;
                t.lignes_lues += u64::from(lues);
                t.lignes_acceptees += u64::from(acceptees);
                t.lignes_rejetees += u64::from(rejetees);
                let name = s
                    .feuille
                    .as_deref()
                    .map(|f| format!("feuille « {f} » "))
                    .unwrap_or_default();
                say(
                    out,
                    &format!(
                    "  {name}{} : {lues} lignes lues, {acceptees} acceptées, {rejetees} rejetées",
                    s.gabarit
                ),
                );
            }
            if r.rejets > 0 || r.conflits > 0 {
                say(
                    out,
                    &format!(
                        "  {} valeurs rejetées, {} conflits (voir rejets.csv)",
                        r.rejets, r.conflits
                    ),
                );
            }
            if !r.epreuves_hors_reglement.is_empty() {
                say(
                    out,
                    &format!(
                        "  attention : épreuves hors du règlement NDRC gardées sous leur code : {}",
                        r.epreuves_hors_reglement.join(", ")
                    ),
                );
            }
            print_ignored(out, &r.colonnes_ignorees);
            for f in &r.feuilles_non_reconnues {
                say(
                    out,
                    &format!("  attention : feuille « {f} » ignorée, aucun en-tête reconnu"),
                );
            }
        }
        FileOutcome::AlreadyLoaded => {
            t.deja_charges += 1;
            say(
                out,
                &format!(
                    "déjà chargé  {} (même contenu, rien ajouté)",
                    file.display()
                ),
            );
        }
        FileOutcome::Failed(e) => {
            t.en_erreur += 1;
            print_error(&e);
        }
    }
}

/// Prints a loud warning for each ignored column that holds meaning (on stdout and stderr, so that
/// a piped summary still shows it on the terminal), then one line for the other ignored headers.
fn print_ignored(out: &mut impl Write, ignored: &[(String, IgnoredColumn)]) {
    for (sheet, col) in ignored {
        if let Some(w) = warning(sheet, col) {
            say(out, &format!("  {w}"));
            if !std::io::stdout().is_terminal() {
                eprintln!("ndrc-stats: {w}");
            }
        }
    }
    if let Some(line) = summary_line(ignored.iter().map(|(s, c)| (s.as_str(), c))) {
        say(out, &format!("  {line}"));
    }
}

/// Prints the row count of every canonical table.
///
/// # Errors
/// [`Error::Store`].
pub fn print_table_counts(store: &Store, out: &mut impl Write) -> Result<()> {
    let mut parts = Vec::new();
    for table in [
        "sources",
        "candidats",
        "notes",
        "notes_correcteurs",
        "grilles",
        "livret",
        "avis",
        "decisions_jury",
        "rejets",
    ] {
        // The view `candidats` has one row per key of `cles_candidats`: counting the keys does
        // not pivot every identity value (a fifth of a re-run's time at national scale).
        let counted = if table == "candidats" {
            "cles_candidats"
        } else {
            table
        };
        let n = store.count(&format!("SELECT count(*) FROM {counted}"))?;
        parts.push(format!("{table} {n}"));
    }
    say(
        out,
        &format!("Base {} : {}", store.path().display(), parts.join(", ")),
    );
    Ok(())
}
