//! Atomic outputs (issue 13, item 4): every report file is written under a temporary name and
//! renamed, so that a run that fails leaves the previous run's files whole and no temporary file.

use std::path::Path;

use crate::common::{repo, Workdir};

/// Every file below `root`, relative, sorted.
fn files(root: &Path) -> Vec<String> {
    crate::common::files_below(root)
        .iter()
        .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_run_that_fails_leaves_the_previous_reports_whole_and_no_temporary_file() {
    let w = Workdir::new();
    let samples = repo().join("data").join("samples");
    w.run_pipeline(&samples);
    let out = w.out();
    let resultats = std::fs::read(out.join("resultats.csv")).unwrap();
    let index = std::fs::read(out.join("index.html")).unwrap();
    let before = files(&out);
    assert!(before.iter().all(|f| !f.contains(".tmp")), "{before:?}");

    // reussite.csv cannot be replaced: the run stops there (exit 3), naming it.
    std::fs::remove_file(out.join("reussite.csv")).unwrap();
    std::fs::create_dir(out.join("reussite.csv")).unwrap();
    std::fs::write(out.join("reussite.csv").join("occupé"), "x").unwrap();
    let (db, out_arg) = (w.db(), w.out());
    let run = w.run_ok(
        &[
            "run",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out_arg.to_str().unwrap(),
            samples.to_str().unwrap(),
        ],
        3,
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("reussite.csv") && stderr.contains("écriture impossible"),
        "{stderr}"
    );
    // The files written before are whole (the same data gives the same bytes), the page of the
    // previous run is still there, and no temporary file is left anywhere.
    assert_eq!(std::fs::read(out.join("resultats.csv")).unwrap(), resultats);
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), index);
    let after = files(&out);
    assert!(
        after
            .iter()
            .all(|f| !f.split('/').any(|p| p.starts_with('.'))),
        "temporary files left: {after:?}"
    );
}
