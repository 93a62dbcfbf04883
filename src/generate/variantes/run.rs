//! The `generate --variantes` job: simulates the sessions exactly as [`super::super::run`] does
//! (same options, same planted truth), then writes every [`VARIANTES`] layout into its own
//! sub-folder of `--out`, and a README.md listing them.
//!
//! Per variant and session: one candidate list per school, `notes_<Y>`, `oraux_<Y>`,
//! `livret_<Y>` (plus `livret_avis_<Y>` when the opinion has its own file), `controles_<Y>`,
//! `decisions_jury_<Y>`, `grilles_<Y>` and `correcteurs_e5a_<Y>`, each in the variant's format.
//! The canonical stems are kept so that files load in the same order as `data/samples`. Same
//! options, same bytes.

use std::path::{Path, PathBuf};

use super::super::academy::ECOLES;
use super::super::bareme::Bareme;
use super::super::exports::{build_session_exports, SessionExports};
use super::super::liste_simple;
use super::super::run::{validate, GenerateOptions, GenerateSummary};
use super::super::truth::count_exam_cells;
use super::catalogue::{readme, Avis, Variante, VARIANTES};
use super::tableau::{Fichier, Format, Tableau};
use super::{annexes, classeur, csv, inscrits, livret, notes};
use crate::error::{Error, Result};
use crate::regulation::Regulation;

fn output_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Output {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes one file of a variant.
fn write_file(dir: &Path, f: &Fichier) -> Result<PathBuf> {
    let path = dir.join(&f.nom);
    match f.format {
        Format::Csv(d) => {
            let t = f
                .feuilles
                .first()
                .ok_or_else(|| Error::Internal(format!("{} : aucune feuille", f.nom)))?;
            std::fs::write(&path, csv::csv_bytes(t, d)?).map_err(output_error(&path))?;
        }
        Format::Xlsx => classeur::write_xlsx(&path, f)?,
        Format::Ods => classeur::write_ods(&path, f)?,
    }
    Ok(path)
}

fn file(stem: &str, annee: i32, format: Format, feuilles: Vec<Tableau>) -> Fichier {
    Fichier {
        nom: format!("{stem}.{}", format.extension()),
        format,
        feuilles,
        annee,
    }
}

/// Every file of one variant for one session, in writing order.
fn session_files(v: &Variante, x: &SessionExports) -> Vec<Fichier> {
    let annee = x.session.annee;
    let mut out: Vec<Fichier> = (0..ECOLES.len())
        .map(|e| {
            let canon = liste_simple::file_name(e, annee);
            let stem = canon.trim_end_matches(".csv");
            let t = inscrits::list_table(v, &x.session, e);
            file(stem, annee, v.formats.listes, vec![t])
        })
        .collect();
    let f = v.formats.notes;
    out.push(file(
        &format!("notes_{annee}"),
        annee,
        f,
        vec![notes::grade_table(v, x)],
    ));
    out.push(file(
        &format!("oraux_{annee}"),
        annee,
        f,
        vec![annexes::oral_table(v, x)],
    ));
    let f = v.formats.livret;
    let (moyennes, avis) = (livret::averages_table(v, x), livret::opinion_table(v, x));
    if v.avis == Avis::AutreFeuille && f.has_sheets() {
        out.push(file(
            &format!("livret_{annee}"),
            annee,
            f,
            vec![moyennes, avis],
        ));
    } else {
        out.push(file(&format!("livret_{annee}"), annee, f, vec![moyennes]));
        out.push(file(&format!("livret_avis_{annee}"), annee, f, vec![avis]));
    }
    let f = v.formats.annexes;
    for (stem, t) in [
        ("controles", annexes::control_table(v, x)),
        ("decisions_jury", annexes::jury_table(v, x)),
        ("grilles", annexes::grid_table(v, x)),
        ("correcteurs_e5a", annexes::corrector_table(v, x)),
    ] {
        out.push(file(&format!("{stem}_{annee}"), annee, f, vec![t]));
    }
    out
}

/// Generates every layout variant of the sessions of `opts` under `opts.out`.
///
/// # Errors
///
/// [`Error::Usage`] for invalid options, [`Error::Output`] when a folder or file cannot be
/// written, [`Error::Internal`] on a writer bug.
///
/// # Example
///
/// ```no_run
/// use ndrc_stats::generate::{run_variantes, GenerateOptions};
/// let opts = GenerateOptions { out: "variantes".into(), ..GenerateOptions::default() };
/// let summary = run_variantes(&opts)?;
/// println!("{} fichiers", summary.files.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run_variantes(opts: &GenerateOptions) -> Result<GenerateSummary> {
    validate(opts)?;
    let bareme = Bareme::new(&Regulation::embedded()?);
    let exports: Vec<SessionExports> = opts
        .sessions
        .iter()
        .enumerate()
        .map(|(i, &annee)| {
            let derniere = i + 1 == opts.sessions.len();
            build_session_exports(opts.seed, annee, opts.candidats, derniere, &bareme)
        })
        .collect();
    let mut summary = GenerateSummary {
        files: Vec::new(),
        candidats: exports.iter().map(|x| x.session.candidats.len()).sum(),
        notes: exports
            .iter()
            .map(|x| count_exam_cells(&x.notes).values().sum::<usize>())
            .sum(),
    };
    for v in &VARIANTES {
        let dir = opts.out.join(v.nom);
        std::fs::create_dir_all(&dir).map_err(output_error(&dir))?;
        for x in &exports {
            for f in session_files(v, x) {
                summary.files.push(write_file(&dir, &f)?);
            }
        }
    }
    let path = opts.out.join("README.md");
    let text = readme(opts.seed, opts.candidats, &opts.sessions);
    std::fs::write(&path, text).map_err(output_error(&path))?;
    summary.files.push(path);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(out: PathBuf) -> GenerateOptions {
        GenerateOptions {
            out,
            seed: 11,
            candidats: 80,
            sessions: vec![2023, 2024],
        }
    }

    #[test]
    fn every_variant_has_its_files_and_regeneration_is_byte_identical() {
        let (a, b) = (
            tempfile::tempdir().expect("dir"),
            tempfile::tempdir().expect("dir"),
        );
        let first = run_variantes(&options(a.path().to_path_buf())).expect("first run");
        let second = run_variantes(&options(b.path().to_path_buf())).expect("second run");
        assert_eq!(first.files.len(), second.files.len());
        for (x, y) in first.files.iter().zip(&second.files) {
            assert_eq!(x.strip_prefix(a.path()).ok(), y.strip_prefix(b.path()).ok());
            let (bx, by) = (
                std::fs::read(x).expect("read"),
                std::fs::read(y).expect("read"),
            );
            assert!(!bx.is_empty(), "{} is empty", x.display());
            assert!(bx == by, "{} differs between runs", x.display());
        }
        for v in &VARIANTES {
            let dir = a.path().join(v.nom);
            let n = std::fs::read_dir(&dir).expect("variant folder").count();
            let avis = usize::from(v.avis == Avis::AutreFichier || !v.formats.livret.has_sheets());
            assert_eq!(n, 2 * (ECOLES.len() + 7 + avis), "{}", v.nom);
            for stem in ["notes_2024", "oraux_2024", "livret_2024", "controles_2023"] {
                let ext = if stem.starts_with("controles") {
                    v.formats.annexes.extension()
                } else if stem.starts_with("livret") {
                    v.formats.livret.extension()
                } else {
                    v.formats.notes.extension()
                };
                assert!(
                    dir.join(format!("{stem}.{ext}")).is_file(),
                    "{} {stem}",
                    v.nom
                );
            }
        }
        let readme = std::fs::read_to_string(a.path().join("README.md")).expect("README");
        assert!(VARIANTES.iter().all(|v| readme.contains(v.nom)));
    }
}

#[cfg(test)]
mod wording_tests {
    use std::collections::BTreeSet;

    use super::super::vocabulaire::{entete, tous_les_champs};
    use super::*;

    /// Every header and group label of one variant's files (the « /40 » a variant adds to the
    /// E5A wording taken off, so that the wording itself is counted).
    fn headers_of(v: &Variante, x: &SessionExports) -> BTreeSet<String> {
        session_files(v, x)
            .iter()
            .flat_map(|f| f.feuilles.iter())
            .flat_map(|t| {
                let groupes = t.groupes.iter().flatten().map(|(g, _)| g.clone());
                t.entete.iter().cloned().chain(groupes)
            })
            .map(|h| h.strip_suffix(" /40").map_or(h.clone(), str::to_string))
            .collect()
    }

    #[test]
    fn every_header_used_is_worded_at_least_three_ways_across_variants() {
        let bareme = Bareme::new(&Regulation::embedded().expect("regulation"));
        let x = build_session_exports(11, 2024, 80, true, &bareme);
        let par_variante: Vec<BTreeSet<String>> =
            VARIANTES.iter().map(|v| headers_of(v, &x)).collect();
        for champ in tous_les_champs() {
            let formes: BTreeSet<usize> = VARIANTES
                .iter()
                .zip(&par_variante)
                .filter(|(v, set)| {
                    std::iter::once(None)
                        .chain(ECOLES.iter().map(|e| Some(e.nom)))
                        .any(|etab| set.contains(&entete(champ, v.forme, etab)))
                })
                .map(|(v, _)| v.forme % 4)
                .collect();
            assert!(
                formes.len() >= 3,
                "{champ:?} is worded {} ways",
                formes.len()
            );
        }
    }
}
