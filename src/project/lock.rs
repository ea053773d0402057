//! The work lock: an advisory lock on a file beside the alignment (`.alignment.xml.lock`), held by
//! every command that writes the alignment from before it reads the file until after it has
//! written it, so that two editors' commands run one after the other and neither loses the
//! other's change. The lock is the operating system's (`flock`, through `fs4`), so it is released when the
//! process ends, however it ends; the file itself stays (removing it would race with a waiter).

use super::{ProjectError, Result};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// What to do when another process holds the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// Fail at once, naming the holder.
    Fail,
    /// Wait until the holder is done.
    Wait,
}

/// A held work lock; released when dropped.
#[derive(Debug)]
pub struct WorkLock {
    file: std::fs::File,
    path: PathBuf,
    /// The alignment file the lock protects.
    alignment: PathBuf,
    /// Directories made for the lock file, deepest first.
    made: Vec<PathBuf>,
}

/// The lock file of the alignment file `alignment`: `.<name>.lock` in the same directory. A
/// symbolic link is followed first: the lock is beside the file it names, so that a command
/// given the link and one given the file itself (`--alignment`) take the same lock.
pub(crate) fn lock_path(alignment: &Path) -> PathBuf {
    let resolved = crate::fsutil::follow_links(alignment);
    let alignment = resolved.as_deref().unwrap_or(alignment);
    let name = alignment
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "alignment.xml".into());
    let dir = match alignment.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    dir.join(format!(".{name}.lock"))
}

impl WorkLock {
    /// Take the lock of the alignment file `alignment` of work `work` for `command` (recorded
    /// in the lock file, with the process id and the time, for whoever has to wait).
    pub fn acquire(alignment: &Path, work: &str, mode: LockMode, command: &str) -> Result<Self> {
        let path = lock_path(alignment);
        let io = |source| ProjectError::Io {
            path: path.clone(),
            source,
        };
        // The directories made for the lock are removed again when nothing was written beside
        // it, so that a failed first `align` leaves no `alignments/<work>/` behind.
        let dir = path.parent().unwrap_or(Path::new("."));
        let made: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
            .map(Path::to_path_buf)
            .collect();
        let mut file = loop {
            std::fs::create_dir_all(dir).map_err(io)?;
            let file = open_locked(&path, work, mode)?;
            // A holder that removed the lock file (see `Drop`) while we waited leaves us locking
            // a file nobody else will see: lock the one at the path instead.
            if same_file(&file, &path) {
                break file;
            }
        };
        let line = format!(
            "pid {} since {} (tei-align {command})\n",
            std::process::id(),
            crate::review::now_iso()
        );
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        file.write_all(line.as_bytes()).map_err(io)?;
        Ok(WorkLock {
            file,
            path,
            alignment: alignment.to_owned(),
            made,
        })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The alignment file the lock protects.
    pub fn alignment(&self) -> &Path {
        &self.alignment
    }
}

/// Open (creating) and lock the lock file at `path`, waiting or failing as `mode` says.
fn open_locked(path: &Path, work: &str, mode: LockMode) -> Result<std::fs::File> {
    let io = |source| ProjectError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io)?;
    // fs4's calls, not `File`'s own: those need Rust 1.89 (the crate's MSRV is 1.88).
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => Ok(file),
        Err(fs4::TryLockError::WouldBlock) => match mode {
            LockMode::Fail => {
                let mut holder = String::new();
                // The holder writes its line right after locking; an empty file means it has
                // not yet done so.
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                Err(ProjectError::Locked {
                    work: work.to_owned(),
                    holder: if holder.is_empty() {
                        "another process".into()
                    } else {
                        holder.to_owned()
                    },
                })
            }
            LockMode::Wait => {
                fs4::FileExt::lock(&file).map_err(io)?;
                Ok(file)
            }
        },
        Err(fs4::TryLockError::Error(e)) => Err(io(e)),
    }
}

/// Whether the open `file` is the file now at `path`.
#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether the open `file` is the file now at `path` (elsewhere: lock files are never removed
/// while held, see `Drop`).
#[cfg(not(unix))]
fn same_file(_file: &std::fs::File, path: &Path) -> bool {
    path.exists()
}

impl Drop for WorkLock {
    fn drop(&mut self) {
        // Nothing written (a first `align` that failed): remove the lock file and the
        // directories made for it, while still holding the lock (a waiter then sees that its
        // file is gone and starts over).
        if !self.made.is_empty() && !self.alignment.exists() {
            let _ = std::fs::remove_file(&self.path);
            for d in &self.made {
                let _ = std::fs::remove_dir(d);
            }
        } else {
            // Say that nobody holds it now, so a message read later names no finished process.
            let _ = self.file.set_len(0);
        }
        let _ = fs4::FileExt::unlock(&self.file);
    }
}
