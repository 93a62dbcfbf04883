//! `ndrc-stats explain`: the whole computation of candidates' results, in French text or as one
//! JSON document (`--format json`), from the tables that give `resultats.csv` (computed first
//! when the database changed, as `results` does).

use std::io::Write;

use super::Status;
use crate::cli::{ExplainArgs, ExplainFormat};
use crate::error::{Error, Result};
use crate::explain::{read_explanations, render_text, Choix, Document, Explication};
use crate::regulation::Regulation;
use crate::store::Store;

/// Runs `explain` on an existing database.
///
/// # Errors
/// [`Error::Usage`] for a missing database or a bad `--session`; [`Error::CandidatIntrouvable`]
/// for a candidate without a result that session; [`Error::Config`], [`Error::Store`],
/// [`Error::Output`] when stdout cannot be written.
pub fn run(args: &ExplainArgs, out: &mut impl Write) -> Result<Status> {
    super::check_session(Some(args.session))?;
    let store = super::open_existing_store(&args.db)?;
    let regulation = Regulation::load(std::path::Path::new(crate::regulation::REGULATION_PATH))?;
    crate::compute::compute_results(&store, &regulation)?;
    let mut explications = Vec::new();
    if args.tous {
        explications = read_explanations(&store, args.session, Choix::Tous)?;
    }
    for candidat in &args.candidat {
        let candidat = candidat.trim();
        let mut found = read_explanations(&store, args.session, Choix::Candidat(candidat))?;
        if found.is_empty() {
            return Err(not_found(&store, args.session, candidat)?);
        }
        explications.append(&mut found);
    }
    write(out, args.format, explications)?;
    Ok(Status::Done)
}

/// Prints the explanations in `format`.
fn write(
    out: &mut impl Write,
    format: ExplainFormat,
    explications: Vec<Explication>,
) -> Result<()> {
    let text = match format {
        ExplainFormat::Json => {
            let mut json = serde_json::to_string_pretty(&Document::new(explications))
                .map_err(|e| Error::Internal(format!("document JSON : {e}")))?;
            json.push('\n');
            json
        }
        ExplainFormat::Texte => explications
            .iter()
            .map(render_text)
            .collect::<Vec<_>>()
            .join("\n"),
    };
    match out.write_all(text.as_bytes()) {
        // A closed pipe (`| head`) is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Output {
            path: "sortie standard".into(),
            source,
        }),
        Ok(()) => Ok(()),
    }
}

/// Why `candidat` has no result in `session`: never loaded, or left out of the regulation.
///
/// # Errors
/// [`Error::Store`].
fn not_found(store: &Store, session: i32, candidat: &str) -> Result<Error> {
    let motif = store.rows(
        "SELECT coalesce(motif, 'hors du règlement') FROM perimetre \
         WHERE session = ? AND candidat = ? AND NOT dans_reglement",
        duckdb::params![session, candidat],
        "candidat à expliquer",
        |r| r.get::<_, String>(0),
    )?;
    let elsewhere = store.rows(
        "SELECT DISTINCT CAST(session AS VARCHAR) FROM decisions WHERE candidat = ? ORDER BY 1",
        [candidat],
        "candidat à expliquer",
        |r| r.get::<_, String>(0),
    )?;
    let raison = match (motif.first(), elsewhere.is_empty()) {
        (Some(m), _) => format!("chargé mais hors du règlement ({m})"),
        (None, false) => format!(
            "aucun candidat de ce numéro n'a été chargé pour cette session ; il a un résultat en \
             session {}",
            elsewhere.join(", ")
        ),
        (None, true) => {
            "aucun candidat de ce numéro n'a été chargé ; vérifiez le numéro (ndrc-stats \
             results donne la liste dans resultats.csv)"
                .into()
        }
    };
    Ok(Error::CandidatIntrouvable {
        session,
        candidat: candidat.to_string(),
        raison,
    })
}
