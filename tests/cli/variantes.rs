//! Layout invariance (issue 9, item 7): `generate --variantes` writes the planted truth of
//! `data/samples` through many export layouts; each variant, loaded into a fresh database, must
//! give byte-identical `resultats.csv`, `reussite.csv` and livret `profil.csv` / `cotation.csv`
//! (every class of every session, under `livret/<session>/<uai>/<classe>/`) to the canonical
//! samples. Each session's livret `signalements.csv` is compared too: profiles and ratings use
//! year 2 only, so a year-1 average lost (an annual average ignored) shows only there.
//!
//! Only `ingest`, `results`, `rates` and `livret --session <Y>` run (not `run`, which would also
//! draw the harmonisation charts nobody compares here). Every variant is checked before the
//! test fails, and the failure names each variant with a short line diff of each differing file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{repo, Workdir};

/// The sessions of data/samples (the livret report is written once per session).
const SESSIONS: [&str; 3] = ["2022", "2023", "2024"];

/// Differing lines shown per file.
const LIGNES_MONTREES: usize = 3;

/// Differing files shown per variant.
const FICHIERS_MONTRES: usize = 6;

/// Lines of a failing command's stderr shown.
const MESSAGES_MONTRES: usize = 4;

/// What a load gave: the compared reports by relative path, and the messages of the commands.
struct Rapports {
    fichiers: BTreeMap<String, Vec<u8>>,
    journal: String,
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn note(journal: &mut String, args: &[&str], out: &Output) {
    if out.status.success() && out.stderr.is_empty() {
        return;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lignes: Vec<&str> = stderr.lines().collect();
    let court = lignes[..lignes.len().min(MESSAGES_MONTRES)].join("\n      ");
    let reste = lignes.len().saturating_sub(MESSAGES_MONTRES);
    journal.push_str(&format!(
        "    ndrc-stats {} → exit {:?}\n      {court}\n",
        args.first().unwrap_or(&""),
        out.status.code(),
    ));
    if reste > 0 {
        journal.push_str(&format!("      (… {reste} more lines)\n"));
    }
}

/// The compared files under `dir`: resultats.csv, reussite.csv, and each session's
/// livret/<session>/**/{profil,cotation}.csv and livret/<session>/signalements.csv.
fn compared_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                pending.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let keep = matches!(rel.as_str(), "resultats.csv" | "reussite.csv")
                || (rel.starts_with("livret/")
                    && (rel.ends_with("/signalements.csv")
                        || rel.ends_with("/profil.csv")
                        || rel.ends_with("/cotation.csv")));
            if keep {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Loads `inputs` into a fresh database and writes the compared reports.
fn reports_of(inputs: &Path) -> Rapports {
    let w = Workdir::new();
    let (db, out) = (w.db(), w.out());
    let mut journal = String::new();
    let ingest = ["ingest", "--db", s(&db), s(inputs)];
    note(&mut journal, &ingest, &w.run(&ingest));
    let db_out = ["--db", s(&db), "--out", s(&out)];
    for job in ["results", "rates"] {
        let args: Vec<&str> = std::iter::once(job).chain(db_out).collect();
        note(&mut journal, &args, &w.run(&args));
    }
    // `livret` writes one session at a time, under livret/<session>/.
    for session in SESSIONS {
        let args = [
            "livret",
            "--session",
            session,
            "--db",
            s(&db),
            "--out",
            s(&out),
        ];
        note(&mut journal, &args, &w.run(&args));
    }
    Rapports {
        fichiers: compared_files(&out),
        journal,
    }
}

/// A short line diff of two report files.
fn line_diff(want: &[u8], got: &[u8]) -> String {
    let (want, got) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut diff = format!("      {} lines expected, {} written\n", w.len(), g.len());
    let mut shown = 0;
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i), g.get(i));
        if a != b && shown < LIGNES_MONTREES {
            diff += &format!(
                "      line {}:\n      - {}\n      + {}\n",
                i + 1,
                a.unwrap_or(&"<none>"),
                b.unwrap_or(&"<none>")
            );
            shown += 1;
        }
    }
    diff
}

/// What differs between the canonical reports and a variant's, empty when nothing does: the
/// missing files counted, the first differing files with a line diff, the rest counted.
fn differences(canon: &Rapports, variante: &Rapports) -> String {
    let mut out = String::new();
    let manquants: Vec<&String> = canon
        .fichiers
        .keys()
        .filter(|rel| !variante.fichiers.contains_key(*rel))
        .collect();
    if let Some(premier) = manquants.first() {
        out += &format!(
            "    {} of {} reports not written (first: {premier})\n",
            manquants.len(),
            canon.fichiers.len()
        );
    }
    let differents: Vec<(&String, &Vec<u8>, &Vec<u8>)> = canon
        .fichiers
        .iter()
        .filter_map(|(rel, want)| Some((rel, want, variante.fichiers.get(rel)?)))
        .filter(|(_, want, got)| want != got)
        .collect();
    for (rel, want, got) in differents.iter().take(FICHIERS_MONTRES) {
        out += &format!("    {rel} differs:\n{}", line_diff(want, got));
    }
    if differents.len() > FICHIERS_MONTRES {
        out += &format!(
            "    … and {} other reports differ\n",
            differents.len() - FICHIERS_MONTRES
        );
    }
    for rel in variante.fichiers.keys() {
        if !canon.fichiers.contains_key(rel) {
            out += &format!("    {rel}: written, but not by the canonical samples\n");
        }
    }
    out
}

fn variant_folders(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_layout_variant_gives_the_reports_of_the_canonical_samples() {
    let w = Workdir::new();
    let root = w.path().join("variantes");
    w.run_ok(&["generate", "--variantes", "--out", s(&root)], 0);
    let canon = reports_of(&repo().join("data").join("samples"));
    assert!(
        canon.fichiers.contains_key("resultats.csv")
            && canon.fichiers.contains_key("reussite.csv")
            && canon
                .fichiers
                .keys()
                .filter(|k| k.ends_with("profil.csv"))
                .count()
                >= 3 * 8,
        "the canonical samples gave too few reports: {:?}\n{}",
        canon.fichiers.keys().collect::<Vec<_>>(),
        canon.journal
    );
    let dirs = variant_folders(&root);
    assert!(dirs.len() >= 6, "only {} variants", dirs.len());
    let mut failures = String::new();
    for dir in &dirs {
        let variante = reports_of(dir);
        let diff = differences(&canon, &variante);
        if !diff.is_empty() {
            let nom = dir.file_name().unwrap().to_string_lossy();
            failures += &format!("variant {nom}:\n{diff}{}", variante.journal);
        }
    }
    assert!(
        failures.is_empty(),
        "layout variants whose reports differ from data/samples:\n{failures}"
    );
}
