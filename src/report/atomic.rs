//! Atomic report files: each report file is written under a temporary name in its own folder
//! (`.<name>.<process>.tmp.<extension>`, hidden, with the extension the writer may need) and
//! renamed over its final name once complete. A reader never sees half a file, and a run that
//! fails leaves the file of the previous run as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The temporary name of `path`: hidden, in the same folder (a rename within one file system is
/// atomic), unique to this process, ending with the same extension.
pub fn temporary(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "rapport".into(), |n| n.to_string_lossy().into_owned());
    let extension = path
        .extension()
        .map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!(".{name}.{}.tmp{extension}", std::process::id()))
}

/// True for a temporary name of [`temporary`] (a run killed before its rename leaves one).
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.contains(".tmp")
}

/// Renames the complete temporary file `temp` over `path` (parent folders exist).
///
/// # Errors
/// [`Error::Output`] naming `path`; the temporary file is removed.
pub fn finish(temp: &Path, path: &Path) -> Result<()> {
    std::fs::rename(temp, path).map_err(|source| {
        let _ = std::fs::remove_file(temp);
        Error::Output {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Writes `path` by `write` into its temporary file, then renames it (parent folders are
/// created); returns what `write` returned.
///
/// # Errors
/// What `write` returns, or [`Error::Output`] naming `path`; the temporary file is removed and
/// the previous `path` is left as it was.
pub fn write_with<T>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<T>,
) -> Result<T> {
    let out = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(out)?;
    }
    let temp = temporary(path);
    let written = std::fs::File::create(&temp).map_err(out).and_then(|file| {
        let mut file = std::io::BufWriter::new(file);
        let value = write(&mut file)?;
        file.flush().map_err(out)?;
        Ok(value)
    });
    match written {
        Ok(value) => {
            finish(&temp, path)?;
            Ok(value)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Writes `bytes` to `path` atomically (see [`write_with`]).
///
/// # Errors
/// [`Error::Output`] naming `path`.
pub fn write_bytes(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    write_with(path, |file| {
        file.write_all(bytes.as_ref())
            .map_err(|source| Error::Output {
                path: path.to_path_buf(),
                source,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_previous_file_and_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("resultats.csv");
        write_bytes(&path, "première version").unwrap();
        let failed: Result<()> = write_with(&path, |file| {
            file.write_all(b"moiti").unwrap();
            Err(Error::Internal("arrêt au milieu".into()))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "première version");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["resultats.csv"]);
        write_bytes(&path, "seconde").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "seconde");
    }

    #[test]
    fn the_temporary_name_is_hidden_beside_the_file_with_its_extension() {
        let t = temporary(Path::new("out/plots/2024/E4.png"));
        assert_eq!(t.parent(), Some(Path::new("out/plots/2024")));
        let name = t.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(".E4.png.") && name.ends_with(".tmp.png"),
            "{name}"
        );
        assert!(is_temporary(&name));
        assert!(!is_temporary("E4.png"));
    }
}
