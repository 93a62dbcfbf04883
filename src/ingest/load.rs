//! Loads files and folders into the store: expands folders, skips files already loaded (by
//! SHA-256), and for each new file reads, recognises and normalises every sheet, appends the
//! Arrow batches and merges them in one transaction. The lines a reader could not split are
//! stored as rejets of their sheet and counted as read and rejected.
//!
//! Gives a [`LoadReport`] per file; a file that cannot be read is reported with its error and the
//! other files still load.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use super::batches::{Batches, Provenance};
use super::layout::{find_layout, Layout};
use super::normalize::{normalize_sheet, SheetContext, SheetCounts};
use super::profile::Profile;
use super::read::{hash_file, parse_file, RawFile, RawSheet, EXTENSIONS};
use super::recognize::{Ignore, IgnoredColumn};
use crate::chrono;
use crate::error::{Error, Result};
use crate::store::{SourceRow, Store};

/// What happened to one file.
#[derive(Debug)]
pub enum FileOutcome {
    /// Loaded now.
    Loaded(FileReport),
    /// Already in the store (same SHA-256): nothing added.
    AlreadyLoaded,
    /// Not loaded, with the reason.
    Failed(Error),
}

/// The counts of one loaded file.
#[derive(Debug, Default)]
pub struct FileReport {
    /// Detected format.
    pub format: String,
    /// One line per sheet: name, layout, rows read/accepted/rejected.
    pub sheets: Vec<SourceRow>,
    /// Rejets written by the reader (unreadable lines) and by normalisation.
    pub rejets: u32,
    /// Conflicts found while merging.
    pub conflits: i64,
    /// Non-empty headers not mapped, with their sheet (`(csv)` for a CSV file).
    pub colonnes_ignorees: Vec<(String, IgnoredColumn)>,
    /// Exam codes outside the regulation, kept under their own code.
    pub epreuves_hors_reglement: Vec<String>,
    /// Sheets with no recognisable header.
    pub feuilles_non_reconnues: Vec<String>,
}

/// The options of a load.
pub struct LoadOptions<'a> {
    /// Spellings.
    pub profile: &'a Profile,
    /// A session forced for every file (`--session`).
    pub session: Option<i32>,
    /// Refuse a file with any ignored non-empty column (`--strict`).
    pub strict: bool,
    /// Told how far the current file is, in bytes of it (rows normalised × size / rows), for a
    /// progress bar.
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

/// Expands the paths: a folder gives its spreadsheet and CSV files (recursively, sorted); a file
/// is kept as given. Returns the files and the folder entries skipped as not data.
///
/// # Errors
/// [`Error::Io`] for a path that does not exist or a folder that cannot be listed.
pub fn expand_paths(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| Error::Io {
            path: p.clone(),
            source,
        })?;
        if meta.is_dir() {
            let below = crate::folder::files_below(p).map_err(|e| Error::Io {
                path: e.path,
                source: e.source,
            })?;
            for path in below {
                let data = path.extension().is_some_and(|e| {
                    EXTENSIONS.contains(&e.to_string_lossy().to_lowercase().as_str())
                });
                if data {
                    files.push(path);
                } else {
                    skipped.push(path);
                }
            }
        } else {
            files.push(p.clone());
        }
    }
    Ok((files, skipped))
}

/// Loads one file.
///
/// # Errors
/// [`Error::Store`] when the database fails (the file's transaction is rolled back); problems of
/// the file itself are returned as [`FileOutcome::Failed`].
pub fn load_file(store: &Store, path: &Path, opts: &LoadOptions<'_>) -> Result<FileOutcome> {
    let read = read_file_once(path, &|sha256| store.is_loaded(sha256).unwrap_or(false));
    load_read(store, path, read, opts)
}

/// Loads `files` in order, reading and parsing the next file on another thread while this one
/// normalises and merges the current file: reading overlaps with the store's work, and at most
/// two parsed files are held at once. Calls `each` with every file's outcome, in order.
///
/// A file whose SHA-256 the store already had when the load began is not parsed at all.
///
/// # Errors
/// The first [`Error::Store`] (the failing file's transaction is rolled back; the files before
/// it stay loaded), or the error `each` returns.
pub fn load_files(
    store: &Store,
    files: &[PathBuf],
    opts: &LoadOptions<'_>,
    mut each: impl FnMut(&Path, FileOutcome) -> Result<()>,
) -> Result<()> {
    let known = store.loaded_hashes()?;
    std::thread::scope(|scope| {
        // A rendezvous channel: the reader parses file i + 1 while file i is loaded, and waits.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Read>(0);
        scope.spawn(move || {
            for path in files {
                let read = read_file_once(path, &|sha256| known.contains(sha256));
                if tx.send(read).is_err() {
                    break;
                }
            }
        });
        for (path, read) in files.iter().zip(&rx) {
            let outcome = load_read(store, path, read, opts)?;
            each(path, outcome)?;
        }
        // An early return drops the receiver: the reader's next send fails and it stops.
        Ok(())
    })
}

/// A file read and parsed, or why not.
enum Read {
    /// Its sheets, its size in bytes.
    Parsed(RawFile, u64),
    /// Its SHA-256 is already in the store.
    AlreadyLoaded,
    /// It could not be read or parsed.
    Failed(Error),
}

/// Reads and parses `path`, unless `loaded` says its SHA-256 is already stored.
fn read_file_once(path: &Path, loaded: &dyn Fn(&str) -> bool) -> Read {
    let hashed = match hash_file(path) {
        Ok(hashed) => hashed,
        Err(e) => return Read::Failed(e),
    };
    if loaded(&hashed.sha256) {
        return Read::AlreadyLoaded;
    }
    let t0 = Instant::now();
    let parsed = parse_file(path, &hashed);
    chrono::since("lecture", t0);
    match parsed {
        Ok(raw) => Read::Parsed(raw, hashed.size),
        Err(e) => Read::Failed(e),
    }
}

/// Loads a file read by [`read_file_once`] in one transaction.
fn load_read(
    store: &Store,
    path: &Path,
    read: Read,
    opts: &LoadOptions<'_>,
) -> Result<FileOutcome> {
    let (raw, size) = match read {
        Read::Parsed(raw, size) => (raw, size),
        Read::AlreadyLoaded => return Ok(FileOutcome::AlreadyLoaded),
        Read::Failed(e) => return Ok(FileOutcome::Failed(e)),
    };
    // Two copies of one file in the same load: the second is already loaded by now.
    if store.is_loaded(&raw.sha256)? {
        return Ok(FileOutcome::AlreadyLoaded);
    }
    store.begin()?;
    let loaded = load_raw(store, &raw, opts, size);
    drop(raw);
    match loaded {
        Ok(FileOutcome::Loaded(report)) => {
            if let Some(refusal) = strict_refusal(opts, path, &report) {
                store.rollback();
                return Ok(FileOutcome::Failed(refusal));
            }
            let t0 = Instant::now();
            store.commit()?;
            chrono::since("validation", t0);
            Ok(FileOutcome::Loaded(report))
        }
        Ok(other) => {
            store.rollback();
            Ok(other)
        }
        // A later chunk of a big CSV that cannot be split fails this file only.
        Err(e @ Error::Unreadable { .. }) => {
            store.rollback();
            Ok(FileOutcome::Failed(e))
        }
        Err(e) => {
            store.rollback();
            Err(e)
        }
    }
}

/// Normalises a sheet on a worker thread while this thread appends its batches to the store (a
/// DuckDB connection stays on its thread), so that a big file's normalisation and appends
/// overlap. At most [`BATCHES_IN_FLIGHT`] batches wait between the two: memory stays bounded.
///
/// # Errors
/// The first failure of either side: a store failure, or a later chunk of a big CSV that cannot
/// be split.
fn normalize_and_append(
    store: &Store,
    sheet: &RawSheet,
    layout: &Layout,
    ctx: &SheetContext<'_>,
    batches: Batches,
) -> Result<SheetCounts> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Staged>(BATCHES_IN_FLIGHT);
        let worker = scope.spawn(move || {
            let mut batches = batches;
            let mut send = |b: &mut Batches| {
                tx.send(b.take()?)
                    .map_err(|_| Error::Internal("ajout interrompu".into()))
            };
            let counts = normalize_sheet(sheet, layout, ctx, &mut batches, &mut send)?;
            send(&mut batches)?;
            Ok::<SheetCounts, Error>(counts)
        });
        let mut appended = Ok(());
        for staged in &rx {
            appended = store.append(staged);
            if appended.is_err() {
                break;
            }
        }
        // A store failure closes the channel: the worker's next send fails and it stops.
        drop(rx);
        let normalised = worker
            .join()
            .map_err(|_| Error::Internal("la normalisation s'est arrêtée".into()))?;
        appended?;
        normalised
    })
}

/// The batches of one flush, table by table.
type Staged = Vec<(&'static str, arrow::record_batch::RecordBatch)>;

/// Batches waiting between the normalising thread and the store.
const BATCHES_IN_FLIGHT: usize = 2;

/// With `--strict`, the error for a file that has ignored non-empty columns.
pub(super) fn strict_refusal(
    opts: &LoadOptions<'_>,
    path: &Path,
    report: &FileReport,
) -> Option<Error> {
    if !opts.strict {
        return None;
    }
    let non_empty: Vec<&(String, IgnoredColumn)> = report
        .colonnes_ignorees
        .iter()
        .filter(|(_, c)| c.stats.non_empty > 0)
        .collect();
    if non_empty.is_empty() {
        return None;
    }
    let mut columns: Vec<String> = non_empty
        .iter()
        .take(super::ignored::MAX_NAMED)
        .map(|(_, c)| format!("« {} »", c.header))
        .collect();
    if non_empty.len() > super::ignored::MAX_NAMED {
        columns.push(format!(
            "… et {} autres",
            non_empty.len() - super::ignored::MAX_NAMED
        ));
    }
    Some(Error::Strict {
        path: path.to_path_buf(),
        columns: columns.join(", "),
    })
}

pub(super) fn load_raw(
    store: &Store,
    raw: &RawFile,
    opts: &LoadOptions<'_>,
    size: u64,
) -> Result<FileOutcome> {
    let total_rows: u64 = raw.sheets.iter().map(|s| s.row_count() as u64).sum();
    let done = AtomicU64::new(0);
    let on_rows = |n: u32| {
        let so_far = done.fetch_add(u64::from(n), Ordering::Relaxed) + u64::from(n);
        if let Some(progress) = opts.progress {
            // Both factors are bounded by the file: the product fits in 128 bits.
            let bytes = u128::from(size) * u128::from(so_far) / u128::from(total_rows.max(1));
            progress(u64::try_from(bytes).unwrap_or(size));
        }
    };
    let mut report = FileReport {
        format: raw.format.clone(),
        ..FileReport::default()
    };
    let chemin = raw.path.display().to_string();
    let ctx = SheetContext {
        profile: opts.profile,
        session_override: opts.session,
        on_rows: Some(&on_rows),
    };
    let t0 = Instant::now();
    for sheet in &raw.sheets {
        let source_id = store.next_source_id()?;
        let sheet_label = sheet.name.clone().unwrap_or_else(|| "(csv)".into());
        let Some(layout) = find_layout(sheet, opts.profile, &raw.path) else {
            if !sheet.rows.is_empty() {
                report.feuilles_non_reconnues.push(sheet_label);
            }
            let gabarit = if sheet.rows.is_empty() {
                "vide"
            } else {
                "non reconnue"
            };
            let lues = u32::try_from(sheet.row_count()).unwrap_or(u32::MAX);
            report.sheets.push(SourceRow {
                source_id,
                chemin: chemin.clone(),
                sha256: raw.sha256.clone(),
                feuille: sheet.name.clone(),
                gabarit: gabarit.into(),
                lignes: (lues, 0, 0),
            });
            continue;
        };
        let mut batches = Batches::new(Provenance {
            source_id,
            file: raw.path.clone(),
            feuille: sheet.name.clone(),
        });
        // Lines the reader could not split (a CSV row with a stray quote) are read and rejected.
        for r in &sheet.rejets {
            batches.push_rejet(r.ligne, "*", &r.valeur, &r.motif);
        }
        let illisibles = u32::try_from(sheet.rejets.len()).unwrap_or(u32::MAX);
        let counts = normalize_and_append(store, sheet, &layout, &ctx, batches)?;
        report.rejets += counts.rejets.saturating_add(illisibles);
        report.colonnes_ignorees.extend(
            layout
                .ignored
                .iter()
                .filter(|c| c.why != Ignore::Profil)
                .map(|c| (sheet_label.clone(), c.clone())),
        );
        report
            .epreuves_hors_reglement
            .extend(counts.epreuves_hors_reglement);
        report.sheets.push(SourceRow {
            source_id,
            chemin: chemin.clone(),
            sha256: raw.sha256.clone(),
            feuille: sheet.name.clone(),
            gabarit: layout.kind(),
            lignes: (
                counts.lignes_lues.saturating_add(illisibles),
                counts.lignes_acceptees,
                counts.lignes_rejetees.saturating_add(illisibles),
            ),
        });
    }
    let recognised = report
        .sheets
        .iter()
        .any(|s| s.gabarit != "vide" && s.gabarit != "non reconnue");
    if !recognised {
        let reason = if report.feuilles_non_reconnues.is_empty() {
            "fichier vide, aucune donnée".to_string()
        } else {
            "une colonne « N° candidat » et une autre colonne connue sont attendues dans les \
             40 premières lignes : ajoutez les intitulés de ce fichier à data/profiles/ ou \
             utilisez --profile"
                .to_string()
        };
        return Ok(FileOutcome::Failed(Error::NoHeader {
            path: raw.path.clone(),
            reason,
        }));
    }
    for s in &report.sheets {
        store.record_source(s)?;
    }
    let append = crate::store::APPEND.take();
    // The two overlap: the normalising thread runs while this one appends.
    chrono::report("normalisation (avec les ajouts)", t0.elapsed());
    chrono::report("  dont ajouts au magasin", append);
    let t0 = Instant::now();
    report.conflits = store.merge_staged()?;
    chrono::since("fusion", t0);
    Ok(FileOutcome::Loaded(report))
}
