//! Lists the files below a folder, recursively and in sorted order, so that every command that
//! walks a folder (`ingest` over exports, the HTML index over reports) sees the same files in the
//! same order on every machine.

use std::path::{Path, PathBuf};

/// A folder that could not be listed, and why.
#[derive(Debug)]
pub struct ListingError {
    /// The folder.
    pub path: PathBuf,
    /// The system's reason.
    pub source: std::io::Error,
}

/// Every file below `dir` (not the folders), sorted by path within each folder, a folder's files
/// and sub-folders interleaved by name.
///
/// # Errors
/// The first folder that cannot be listed.
pub fn files_below(dir: &Path) -> Result<Vec<PathBuf>, ListingError> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), ListingError> {
    let io = |source| ListingError {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_come_sorted_with_sub_folders_in_place_and_a_missing_folder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/c")).unwrap();
        for f in ["z.csv", "a.csv", "b/c/y.xlsx", "b/x.ods"] {
            std::fs::write(root.join(f), "").unwrap();
        }
        let got: Vec<String> = files_below(root)
            .unwrap()
            .iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(got, ["a.csv", "b/c/y.xlsx", "b/x.ods", "z.csv"]);
        let missing = root.join("absent");
        let err = files_below(&missing).unwrap_err();
        assert_eq!(err.path, missing);
    }
}
