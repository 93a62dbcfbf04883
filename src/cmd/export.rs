//! `ndrc-stats export --parquet DIR`: computes the results of the loaded database and writes the
//! canonical tables and the results as Hive-partitioned Parquet.

use std::io::Write;
use std::path::Path;

use super::{say, Status};
use crate::cli::ExportArgs;
use crate::compute::compute_results;
use crate::error::Result;
use crate::regulation::Regulation;
use crate::report::parquet::export_parquet;

/// Runs `export`.
///
/// # Errors
/// [`crate::error::Error::Usage`] for a missing database, [`crate::error::Error::Config`] for a
/// bad regulation file, [`crate::error::Error::Store`], [`crate::error::Error::Output`].
pub fn run(args: &ExportArgs, out: &mut impl Write) -> Result<Status> {
    let store = super::open_existing_store(&args.db)?;
    let regulation = Regulation::load(Path::new(super::results::REGULATION_PATH))?;
    compute_results(&store, &regulation)?;
    for t in export_parquet(&store, &args.parquet)? {
        say(
            out,
            &format!(
                "écrit {} ({} lignes)",
                args.parquet.join(&t.table).display(),
                t.rows
            ),
        );
    }
    Ok(Status::Done)
}
