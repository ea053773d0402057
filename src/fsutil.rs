//! File-system helpers shared by every writer: atomic writes and careful reads.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Errors of reading or writing a file, always naming the file.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is not UTF-8.
    #[error("{path}: not UTF-8 (invalid byte at offset {offset})")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The file is empty (or only white space).
    #[error("{path}: file is empty")]
    Empty {
        /// The file.
        path: PathBuf,
    },
}

/// Read a whole file as UTF-8 text; an empty or non-UTF-8 file is an error naming the file.
pub fn read_text(path: &Path) -> Result<String, FsError> {
    let bytes = std::fs::read(path).map_err(|source| FsError::Io {
        path: path.to_owned(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| FsError::NotUtf8 {
        path: path.to_owned(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(FsError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(text)
}

/// Write `contents` to `path` atomically: a temporary file in the same directory, then a rename,
/// so a reader never sees a half-written file and a failure leaves the old file untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), FsError> {
    let io = |source| FsError::Io {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    tmp.write_all(contents).map_err(io)?;
    // tempfile creates files readable by the owner only; an output is an ordinary file, so give
    // it the mode of the file it replaces, or the usual 0644 for a new one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.xml");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644, "new outputs are world-readable like any file");
        }
    }

    #[test]
    fn read_text_rejects_empty_and_non_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("e.txt");
        std::fs::write(&empty, "  \n").unwrap();
        assert!(matches!(read_text(&empty), Err(FsError::Empty { .. })));
        let bad = dir.path().join("b.txt");
        std::fs::write(&bad, b"ab\xffcd").unwrap();
        match read_text(&bad) {
            Err(FsError::NotUtf8 { offset, .. }) => assert_eq!(offset, 2),
            other => panic!("expected NotUtf8, got {other:?}"),
        }
    }
}
