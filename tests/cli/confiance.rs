//! What already held, tested so that it cannot regress unseen (issue 13, item 3): a load killed
//! midway and run again gives the tables of one clean load; a second load on a database in use
//! is refused in French, naming the other program, and loses nothing; hostile values (a formula,
//! HTML, a class name made of `../`) are neutralised, escaped and kept inside `--out`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{repo, Workdir};

/// The content of every loaded table, without the source ids and load times (which another load
/// order or a killed load changes): per table, its rows and the sum of their hashes.
fn contents(w: &Workdir) -> Vec<(String, String)> {
    let sql = |t: &str, except: &str| {
        format!(
            "SELECT count(*) || ':' || coalesce(CAST(sum(hash(x)) AS VARCHAR), '') \
             FROM (SELECT * EXCLUDE ({except}) FROM {t}) AS x"
        )
    };
    let mut all = vec![(
        "sources".to_string(),
        w.text(&sql("sources", "source_id, charge_le")),
    )];
    // Every loaded table (each with its source_id), then the rejets.
    let tables = ndrc_stats::shape::LOADED.iter().map(|s| s.table);
    for t in tables.chain(["rejets"]) {
        all.push((t.to_string(), w.text(&sql(t, "source_id"))));
    }
    all
}

/// `ingest --db <db> data/samples` as a child process, its stdout piped.
fn spawn_ingest(w: &Workdir) -> std::process::Child {
    let samples = repo().join("data").join("samples");
    Command::new(env!("CARGO_BIN_EXE_ndrc-stats"))
        .args(["ingest", "--db"])
        .arg(w.db())
        .arg(samples)
        .current_dir(w.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Reads the child's stdout until a line starts with `prefix` (or the output ends).
fn wait_for_line(child: &mut std::process::Child, prefix: &str) -> Option<String> {
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let found = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.starts_with(prefix));
    // Keep draining in the background so that the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    found
}

fn clean_load() -> Vec<(String, String)> {
    let w = Workdir::new();
    w.ingest(&[&repo().join("data").join("samples")], 0);
    contents(&w)
}

#[test]
fn a_load_killed_midway_then_run_again_gives_the_tables_of_one_clean_load() {
    let w = Workdir::new();
    let mut child = spawn_ingest(&w);
    // Killed once a first file is committed, while the others are being loaded.
    let first = wait_for_line(&mut child, "chargé");
    assert!(first.is_some(), "no file was loaded before the end");
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the load had already finished: {status:?}"
    );
    w.ingest(&[&repo().join("data").join("samples")], 0);
    assert_eq!(contents(&w), clean_load());
}

/// Starts a load of the samples, and once its first file is in, a second one with `options`;
/// waits for both and returns the second's output.
fn load_during_another(w: &Workdir, options: &[&str]) -> std::process::Output {
    let mut child = spawn_ingest(w);
    let first = wait_for_line(&mut child, "chargé");
    assert!(first.is_some());
    let samples = repo().join("data").join("samples");
    let db = w.db();
    let mut args = vec!["ingest", "--db", db.to_str().unwrap()];
    args.extend(options);
    args.push(samples.to_str().unwrap());
    let second = w.run(&args);
    let status = child.wait().unwrap();
    assert!(status.success(), "the first load must finish: {status:?}");
    second
}

#[test]
fn a_second_load_on_a_database_in_use_is_refused_in_french_and_loses_nothing() {
    let w = Workdir::new();
    let second = load_during_another(&w, &[]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    // Refused while the first one holds the base (35 files still to load).
    assert_eq!(second.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("la base est déjà ouverte par un autre programme")
            && stderr.contains("ndrc-stats (PID ")
            && stderr.contains("rien n'a été chargé ni modifié"),
        "{stderr}"
    );
    assert_eq!(contents(&w), clean_load());
}

#[test]
fn a_second_load_told_to_wait_waits_for_the_first_and_then_adds_nothing() {
    let w = Workdir::new();
    let second = load_during_another(&w, &["--attendre", "300"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&second.stdout),
        String::from_utf8_lossy(&second.stderr),
    );
    assert_eq!(second.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("la base est déjà ouverte par un autre programme")
            && stderr.contains("attente, 300 s au plus (--attendre)"),
        "{stderr}"
    );
    // Everything was loaded by the first: the second found every file already loaded.
    assert!(
        stdout.contains("(0 chargés, 36 déjà chargés, 0 en erreur)"),
        "{stdout}"
    );
    assert_eq!(contents(&w), clean_load());
}

/// Writes `text` (UTF-8, `;`) to `dir/name`.
fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn hostile_values_are_neutralised_escaped_and_kept_inside_out() {
    let w = Workdir::new();
    let inputs = w.path().join("entrees");
    // A candidate named like a formula and like a script, with every grade.
    let mut notes = String::from("Numéro du candidat;Nom;Prénom;Classe;Épreuve;Note /20\n");
    for e in ["E1", "E2", "E3", "E4", "E5A", "E5B", "E6"] {
        notes += &format!("0240000099;=1+2;<script>alert(1)</script>;../../../evasion;{e};12\n");
    }
    write(&inputs, "notes_2024.csv", &notes);
    // Their livret, in a class whose name climbs out of the folder.
    let mut livret =
        String::from("N° candidat;Nom;Prénom;UAI;Classe;Matière;Année 1;Année 2 S1;Année 2 S2\n");
    for m in [
        "Culture générale et expression",
        "Langue vivante 1",
        "Culture économique, juridique et managériale",
    ] {
        livret += &format!(
            "0240000099;=1+2;<img src=x onerror=alert(1)>;0690105P;../../../evasion;{m};11,50;12,00;13,00\n"
        );
    }
    write(&inputs, "livret_2024.csv", &livret);
    w.run_pipeline(&inputs);
    let out = w.out();

    let resultats = std::fs::read_to_string(out.join("resultats.csv")).unwrap();
    assert!(resultats.contains(";'=1+2;"), "{resultats}");
    assert!(!resultats.contains(";=1+2;"), "{resultats}");

    for page in ["index.html", "jury/pv_2024.html"] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(!html.contains("<script>alert"), "{page}");
        assert!(!html.contains("<img src=x"), "{page}");
    }
    // The first file loaded (livret_2024.csv) gave the first name kept: shown escaped.
    let pv = std::fs::read_to_string(out.join("jury/pv_2024.html")).unwrap();
    assert!(pv.contains("&lt;img src=x onerror=alert(1)&gt;"), "{pv}");

    // Nothing was written outside --out, and the class folder is inside it.
    for climbed in ["evasion", "../evasion", "../../evasion"] {
        assert!(!out.join(climbed).exists(), "{climbed}");
    }
    assert!(!w.path().join("evasion").exists());
    let livret_root = out.join("livret").join("2024");
    let classes: Vec<_> = crate::common::files_below(&livret_root)
        .into_iter()
        .filter(|p| p.ends_with("classe.html"))
        .collect();
    assert_eq!(classes.len(), 1, "{classes:?}");
    let page = &classes[0];
    assert!(
        page.canonicalize()
            .unwrap()
            .starts_with(out.canonicalize().unwrap()),
        "{}",
        page.display()
    );
    let html = std::fs::read_to_string(page).unwrap();
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
}

/// Issue 13, item 6: the table meant for publication holds no candidate's number, name, first
/// name or birth date.
#[test]
fn the_published_rates_hold_no_candidate_identity() {
    let w = Workdir::new();
    w.run_pipeline(&repo().join("data").join("samples"));
    let (db, out) = (w.db(), w.out());
    w.run_ok(
        &[
            "rates",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--publish",
        ],
        0,
    );
    let published = std::fs::read_to_string(out.join("reussite_publiable.csv")).unwrap();
    let cells: std::collections::BTreeSet<&str> = published
        .lines()
        .flat_map(|l| l.trim_end_matches('\r').split(';'))
        .collect();
    let identities = identities(&w);
    assert!(identities.len() > 3000, "{}", identities.len());
    let found: Vec<&String> = identities
        .iter()
        .filter(|v| cells.contains(v.as_str()))
        .collect();
    assert!(found.is_empty(), "identities published: {found:?}");
    assert!(published.lines().count() > 50);
}

/// The candidates' numbers, names, first names and birth dates stored (as the reports write them).
fn identities(w: &Workdir) -> std::collections::BTreeSet<String> {
    let conn = w.conn();
    let mut stmt = conn
        .prepare(
            "SELECT DISTINCT v FROM (SELECT candidat AS v FROM candidats UNION ALL \
             SELECT nom FROM candidats UNION ALL SELECT prenom FROM candidats UNION ALL \
             SELECT CAST(date_naissance AS VARCHAR) FROM candidats UNION ALL \
             SELECT strftime(date_naissance, '%d/%m/%Y') FROM candidats) WHERE v IS NOT NULL",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Runs `run` on the samples into the work dir's `--out`, with these extra arguments.
fn run_samples(w: &Workdir, extra: &[&str]) {
    let (db, out) = (w.db(), w.out());
    let samples = repo().join("data").join("samples");
    let mut args = vec![
        "run",
        "--db",
        db.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args.push(samples.to_str().unwrap());
    w.run_ok(&args, 0);
}

/// Issue 13, item 6: `--pseudonymise CLÉ` leaves no candidate number, name, first name or birth
/// date in any table (CSV or workbook), writes no nominative document (and removes those of an
/// earlier run), and gives the same pseudonyms with the same key, others with another key.
#[test]
fn pseudonymised_reports_hold_no_identity_and_keep_their_pseudonyms_per_key() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let w = Workdir::new();
    run_samples(&w, &[]);
    let out = w.out();
    let plain = crate::common::read_report(&out.join("resultats.csv"));
    assert!(out.join("jury/pv_2024.html").exists() && out.join("livret").exists());

    let key = "clé de démonstration, longue";
    run_samples(&w, &["--pseudonymise", key]);
    let ids = identities(&w);
    assert!(ids.len() > 3000);
    let mut tables = 0;
    for file in crate::common::files_below(&out) {
        let name = file.to_string_lossy().into_owned();
        assert!(
            !name.contains("pv_") && !name.contains("releves_") && !name.contains("/livret/"),
            "nominative document left: {name}"
        );
        if name.ends_with(".csv") {
            tables += 1;
            let text = std::fs::read_to_string(&file).unwrap();
            let leaked: Vec<&str> = text
                .lines()
                .flat_map(|l| l.trim_end_matches('\r').split(';'))
                .filter(|c| ids.contains(*c))
                .collect();
            assert!(leaked.is_empty(), "{name}: {leaked:?}");
        }
    }
    assert!(tables >= 10, "{tables}");
    let mut book: Xlsx<_> = open_workbook(out.join("ndrc-stats.xlsx")).unwrap();
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).unwrap();
        for cell in range.used_cells() {
            if let (_, _, Data::String(s)) = cell {
                assert!(!ids.contains(s), "sheet {sheet}: {s}");
            }
        }
    }
    let rejets = std::fs::read_to_string(out.join("rejets.csv")).unwrap();
    assert!(rejets
        .lines()
        .next()
        .unwrap()
        .ends_with("source;feuille;ligne;colonne;code"));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("(masqué : rapports pseudonymisés)"));

    // The same rows and decisions, the identity replaced.
    let first = crate::common::read_report(&out.join("resultats.csv"));
    assert_eq!(first.len(), plain.len());
    let col = |rows: &[Vec<String>], name: &str| {
        let i = rows[0].iter().position(|c| c == name).unwrap();
        rows.iter()
            .skip(1)
            .map(|r| r[i].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        col(&first, "decision_finale").len(),
        col(&plain, "decision_finale").len()
    );
    let mut a = col(&first, "decision_finale");
    let mut b = col(&plain, "decision_finale");
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert!(col(&first, "candidat")
        .iter()
        .all(|c| c.starts_with("C-") && c.len() == 18));
    assert!(col(&first, "nom").iter().all(|c| c.starts_with("N-")));

    // Same key, same pseudonyms; another key, others.
    run_samples(&w, &["--pseudonymise", key]);
    assert_eq!(
        crate::common::read_report(&out.join("resultats.csv")),
        first
    );
    run_samples(&w, &["--pseudonymise", "une tout autre clé, longue"]);
    let other = crate::common::read_report(&out.join("resultats.csv"));
    let (x, y) = (col(&first, "candidat"), col(&other, "candidat"));
    assert!(x.iter().all(|c| !y.contains(c)));

    let short = w.run(&[
        "run",
        "--pseudonymise",
        "court",
        "--db",
        w.db().to_str().unwrap(),
    ]);
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("12 caractères"));
}
