//! Test helpers: a work dir per test, running the binary, reading the DuckDB file and CSVs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real third-party files beside the repository (../shared/external).
pub fn external(rel: &str) -> PathBuf {
    let p = repo().join("..").join("shared").join("external").join(rel);
    assert!(p.exists(), "missing external test file {}", p.display());
    p
}

/// A fresh temporary folder where the binary runs, with `--db` and `--out` inside.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn db(&self) -> PathBuf {
        self.path().join("ndrc.duckdb")
    }

    pub fn out(&self) -> PathBuf {
        self.path().join("reports")
    }

    /// Runs the binary with these arguments in the work dir.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ndrc-stats"))
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap()
    }

    /// Runs and asserts the exit code, printing everything on failure.
    pub fn run_ok(&self, args: &[&str], code: i32) -> Output {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "command: ndrc-stats {}\ncwd: {}\nstatus: {:?}\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            self.path().display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs `run --db <db> --out <out> <inputs>` (the whole pipeline) and asserts it succeeds;
    /// returns its stdout.
    pub fn run_pipeline(&self, inputs: &Path) -> String {
        let (db, out) = (self.db(), self.out());
        let run = self.run_ok(
            &[
                "run",
                "--db",
                db.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                inputs.to_str().unwrap(),
            ],
            0,
        );
        String::from_utf8(run.stdout).unwrap()
    }

    /// Ingests paths into the work dir's db; asserts the exit code.
    pub fn ingest(&self, paths: &[&Path], code: i32) -> Output {
        let db = self.db();
        let mut args = vec!["ingest", "--db", db.to_str().unwrap()];
        args.extend(paths.iter().map(|p| p.to_str().unwrap()));
        self.run_ok(&args, code)
    }

    /// Runs `command --db <db> --out <out>` on the work dir's database; asserts the exit code
    /// and returns its stdout and stderr as text.
    pub fn report(&self, command: &str, code: i32) -> (String, String) {
        let (db, out) = (self.db(), self.out());
        let run = self.run_ok(
            &[
                command,
                "--db",
                db.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            code,
        );
        (
            String::from_utf8_lossy(&run.stdout).into_owned(),
            String::from_utf8_lossy(&run.stderr).into_owned(),
        )
    }

    /// Runs `results` on the work dir's database and returns `resultats.csv`.
    pub fn results_csv(&self) -> String {
        self.report("results", 0);
        std::fs::read_to_string(self.out().join("resultats.csv")).unwrap()
    }

    /// Opens the work dir's database.
    pub fn conn(&self) -> duckdb::Connection {
        duckdb::Connection::open(self.db()).unwrap()
    }

    /// One integer from a query.
    pub fn count(&self, sql: &str) -> i64 {
        self.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// One text from a query.
    pub fn text(&self, sql: &str) -> String {
        self.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

/// Every file below `dir`, recursively, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                pending.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// The row count of every canonical table.
pub fn table_counts(w: &Workdir) -> Vec<(String, i64)> {
    [
        "sources",
        "candidats",
        "candidats_valeurs",
        "notes",
        "livret",
        "avis",
        "rejets",
    ]
    .iter()
    .map(|t| (t.to_string(), w.count(&format!("SELECT count(*) FROM {t}"))))
    .collect()
}

/// Reads a report CSV of the French dialect into rows of cells (BOM stripped).
pub fn read_report(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("French CSV starts with a BOM");
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').map(str::to_string).collect())
        .collect()
}

/// Compares a written report byte for byte with `tests/golden/<rel>`; `UPDATE_GOLDEN=1` rewrites
/// the golden file instead. A mismatch shows the first differing lines.
pub fn assert_golden(actual: &Path, rel: &str) {
    let golden = repo().join("tests").join("golden").join(rel);
    let got = std::fs::read(actual).unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &got).unwrap();
        return;
    }
    let want = std::fs::read(&golden)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", golden.display()));
    if got == want {
        return;
    }
    let (got, want) = (
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&want),
    );
    let (got_lines, want_lines): (Vec<&str>, Vec<&str>) =
        (got.split('\n').collect(), want.split('\n').collect());
    let mut diff = String::new();
    for i in 0..got_lines.len().max(want_lines.len()) {
        let (g, w) = (got_lines.get(i), want_lines.get(i));
        if g != w && diff.lines().count() < 20 {
            diff += &format!(
                "line {}:\n- {}\n+ {}\n",
                i + 1,
                w.unwrap_or(&"<none>"),
                g.unwrap_or(&"<none>")
            );
        }
    }
    panic!(
        "{} differs from {} (UPDATE_GOLDEN=1 rewrites it):\n{diff}",
        actual.display(),
        golden.display()
    );
}
