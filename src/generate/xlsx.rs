//! What the xlsx writers (grades, jury decisions) share: a workbook with a fixed creation date
//! (no timestamp in the file), saving to disk, and the mapping of writer failures to
//! [`Error::Output`].
//!
//! rust_xlsxwriter stamps zip entries with the zip epoch, so with the document date fixed the
//! bytes depend only on the content.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::error::{Error, Result};

/// Turns a writer failure on `path` into [`Error::Output`].
pub(crate) fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::Output {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// A new workbook dated 1 July of the session (instead of "now").
///
/// # Errors
///
/// [`Error::Output`] if the date is refused (a year outside Excel's range).
pub(crate) fn new_workbook(path: &Path, annee: i32) -> Result<Workbook> {
    let annee = u16::try_from(annee)
        .map_err(|_| Error::Internal(format!("année hors limites : {annee}")))?;
    let cree = ExcelDateTime::from_ymd(annee, 7, 1).map_err(xlsx_error(path))?;
    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&cree));
    Ok(workbook)
}

/// Saves the workbook to `path`.
///
/// # Errors
///
/// [`Error::Output`] when the workbook cannot be assembled or the file written.
pub(crate) fn save(workbook: &mut Workbook, path: &Path) -> Result<()> {
    let bytes = workbook.save_to_buffer().map_err(xlsx_error(path))?;
    std::fs::write(path, bytes).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}
