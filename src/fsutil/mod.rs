//! File-system helpers shared by every writer: atomic writes and careful reads (reading and
//! decoding text files is the `read` module's job; this module writes files and resolves paths).

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
    #[error(
        "{path}:{line}:{column}: not UTF-8 (invalid byte 0x{byte:02x} at offset {offset}); \
         convert the file to UTF-8, e.g. with iconv"
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column (in characters) of the first invalid byte.
        column: usize,
        /// The invalid byte itself (0xE9 is "é" in Latin-1, a hint at the file's encoding).
        byte: u8,
    },
    /// The encoding the file declares (`<?xml … encoding="…"?>`) or its byte-order mark is one
    /// the file is not in, or one tei-align cannot decode.
    #[error("{path}:{line}:{column}: {message}")]
    Encoding {
        /// The file.
        path: PathBuf,
        /// 1-based line of the declaration.
        line: usize,
        /// 1-based column of the encoding name.
        column: usize,
        /// What is wrong, and what to do.
        message: String,
    },
    /// The file is empty (or only white space).
    #[error("{path}: file is empty")]
    Empty {
        /// The file.
        path: PathBuf,
    },
}

impl FsError {
    /// The error for `bytes` (the content of `path`), which are not UTF-8 from `offset` on: with
    /// the line and column of the bad byte, so that a user can find it in an editor.
    pub fn not_utf8(path: &Path, bytes: &[u8], offset: usize) -> FsError {
        let before = &bytes[..offset.min(bytes.len())];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Everything before `offset` is valid UTF-8, so the column counts characters.
        let column =
            std::str::from_utf8(&before[line_start..]).map_or(0, |s| s.chars().count()) + 1;
        FsError::NotUtf8 {
            path: path.to_owned(),
            offset,
            line: before.iter().filter(|&&b| b == b'\n').count() + 1,
            column,
            byte: bytes.get(offset).copied().unwrap_or(0),
        }
    }
}

mod read;

pub(crate) use read::pseudo_attr;
pub use read::{decode, read_text, read_text_or_gzip};

/// Write `contents` to `path` atomically: a temporary file in the same directory, then a rename,
/// so a reader never sees a half-written file and a failure leaves the old file untouched.
///
/// A symbolic link is followed: its target is replaced (atomically) and the link stays a link.
/// An existing output that is not a regular file (a FIFO, a device such as `/dev/stdout`, a
/// socket) is refused, never replaced: standard output is `-`, which callers handle.
/// Temporary files are named `.tei-align.<pid>.<random>.tmp`; those left behind by a process
/// that no longer runs (killed mid-write) are removed.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), FsError> {
    write_atomic_if(path, contents, || true).map(|_| ())
}

/// [`write_atomic`], but only if `unchanged()` still holds once the new file is written and
/// synced, right before it takes the old one's place (the slow part, the sync, is then behind
/// the check, not between it and the rename). Returns whether the file was written.
pub(crate) fn write_atomic_if(
    path: &Path,
    contents: &[u8],
    unchanged: impl FnOnce() -> bool,
) -> Result<bool, FsError> {
    let ready = Prepared::new(path, contents)?;
    if !unchanged() {
        return Ok(false);
    }
    ready.commit()?;
    Ok(true)
}

/// Write several files that belong together (an export bundle: an alignment and the documents
/// it points into), each as [`write_atomic`] does, but all of them written and synced before
/// the first takes its old file's place: a failure while writing (a full disk) leaves every
/// old file as it was and no new directory; after that only renames remain.
pub fn write_atomic_all(files: &[(&Path, &[u8])]) -> Result<(), FsError> {
    let mut ready: Vec<Prepared> = Vec::with_capacity(files.len());
    for (path, contents) in files {
        match Prepared::new(path, contents) {
            Ok(p) => ready.push(p),
            Err(e) => {
                // Deepest last made: undo in reverse, so that emptied directories can go.
                while let Some(p) = ready.pop() {
                    drop(p);
                }
                return Err(e);
            }
        }
    }
    let mut dirs: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(ready.len());
    for p in ready {
        let (dir, path) = p.rename()?;
        if !dirs.iter().any(|(d, _)| *d == dir) {
            dirs.push((dir, path));
        }
    }
    // Each directory once, after all the renames in it.
    for (dir, path) in dirs {
        sync_dir(&dir, &path)?;
    }
    Ok(())
}

/// A new file written and synced beside its target, ready to take its place.
struct Prepared {
    // Dropped first (fields drop in order): the temporary file, then the directories.
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    target: PathBuf,
    made: MadeDirs,
}

impl Prepared {
    /// Everything of an atomic write but the rename: checks, directories, the temporary file
    /// with its contents, mode and sync.
    fn new(path: &Path, contents: &[u8]) -> Result<Prepared, FsError> {
        let io = |source| FsError::Io {
            path: path.to_owned(),
            source,
        };
        // `-o out/` names a directory (existing or not): say so, rather than the OS's "Not a
        // directory" on a path that is one.
        if path
            .as_os_str()
            .to_string_lossy()
            .ends_with(std::path::MAIN_SEPARATOR)
            || path.is_dir()
        {
            return Err(FsError::Io {
                path: path.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "a directory, not a file name: give the name of the file to write",
                ),
            });
        }
        refuse_non_regular(path)?;
        let target = follow_links(path)?;
        let dir = parent_dir(&target);
        // A missing directory is made (`alignments/<work>/` on the first run), but a file where a
        // directory should be is named as such, not as "File exists" on the output path.
        if let Some(blocker) = dir.ancestors().find(|a| a.exists()).filter(|a| !a.is_dir()) {
            return Err(FsError::Io {
                path: blocker.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotADirectory,
                    format!("not a directory, so {} cannot be written", path.display()),
                ),
            });
        }
        let made = MadeDirs::create(&dir).map_err(io)?;
        clean_stale(&dir);
        // tempfile's errors (also those of writing through it) name its random temporary
        // file, which means nothing to the user: keep only the OS error, on the output path.
        let io = |e| io(plain(e));
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!("{TMP_PREFIX}{}.", std::process::id()))
            .suffix(TMP_SUFFIX)
            .tempfile_in(&dir)
            .map_err(io)?;
        tmp.write_all(contents).map_err(io)?;
        // tempfile creates files readable by the owner only; an output is an ordinary file, so
        // give it the mode of the file it replaces, or the usual 0644 for a new one.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target)
                .map(|m| m.permissions().mode())
                .unwrap_or(0o644);
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(io)?;
        }
        tmp.as_file().sync_all().map_err(io)?;
        Ok(Prepared {
            tmp,
            path: path.to_owned(),
            target,
            made,
        })
    }

    /// The new file takes the old one's place, for good: its directory synced after the rename.
    fn commit(self) -> Result<(), FsError> {
        let (dir, path) = self.rename()?;
        sync_dir(&dir, &path)
    }

    /// The new file takes the old one's place, its directory not yet synced ([`sync_dir`]):
    /// returns the directory and the output path (to name in an error).
    fn rename(self) -> Result<(PathBuf, PathBuf), FsError> {
        let Prepared {
            tmp,
            path,
            target,
            made,
        } = self;
        tmp.persist(&target).map_err(|e| FsError::Io {
            path: path.clone(),
            source: plain(e.error),
        })?;
        made.keep_synced(&path)?;
        Ok((parent_dir(&target), path))
    }
}

/// The directories a write made for its output (`alignments/<work>/` on a first run), deepest
/// first: removed again if the write fails (a full disk), so that a failed command leaves no
/// empty directory behind (an empty `texts/<work>/` would be taken for a work).
struct MadeDirs(Vec<PathBuf>);

impl MadeDirs {
    /// Make `dir` and the missing directories above it.
    fn create(dir: &Path) -> std::io::Result<MadeDirs> {
        let made: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
            .map(Path::to_path_buf)
            .collect();
        let made = MadeDirs(made);
        std::fs::create_dir_all(dir)?;
        Ok(made)
    }

    /// The write succeeded: the directories stay.
    fn keep(mut self) {
        self.0.clear();
    }

    /// [`MadeDirs::keep`], each new directory's entry made durable too (the directory holding
    /// it synced), or a file in it could be lost with it after a power loss. `path`: the output,
    /// to name in an error. The deepest made directory is the caller's to sync.
    fn keep_synced(self, path: &Path) -> Result<(), FsError> {
        for d in &self.0 {
            sync_dir(&parent_dir(d), path)?;
        }
        self.keep();
        Ok(())
    }
}

impl Drop for MadeDirs {
    fn drop(&mut self) {
        // Only empty ones: another process may have written beside us meanwhile.
        for d in &self.0 {
            let _ = std::fs::remove_dir(d);
        }
    }
}

/// Temporary files and directories of tei-align start with this, then the writer's pid.
const TMP_PREFIX: &str = ".tei-align.";
/// Temporary files end with this.
const TMP_SUFFIX: &str = ".tmp";

/// Make the renames and new entries in `dir` durable: sync the directory itself. A rename is a
/// change of the directory, not of the file: after a power loss, a file synced and renamed into
/// place may come back under its temporary name, or the old file may, unless the directory was
/// synced too (POSIX `fsync` on the directory; ext4, XFS and btrfs need it). `path`: the output,
/// named in an error: a failed sync (`EIO`) means the new file may not survive, and the
/// command says so. Where the platform cannot sync a directory — not on Unix (Windows opens
/// no directory as a file), or a file system that refuses (`EINVAL`, `ENOTSUP`: some network
/// and FUSE file systems) — the rename stands as the file system keeps it.
fn sync_dir(dir: &Path, path: &Path) -> Result<(), FsError> {
    #[cfg(unix)]
    {
        // EINVAL and ENOSYS/ENOTSUP, as the standard library names them.
        let refused = |e: &std::io::Error| {
            matches!(
                e.kind(),
                std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Unsupported
            )
        };
        // A directory that cannot be opened (writable but not readable, mode 0300) was
        // written all the same: the rename stands, as it did before directories were synced.
        if let Ok(d) = std::fs::File::open(dir)
            && let Err(e) = d.sync_all()
            && !refused(&e)
        {
            return Err(FsError::Io {
                path: path.to_owned(),
                source: e,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = (dir, path);
    Ok(())
}

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// An error unless `path` is absent, a regular file or a directory (following links): a write
/// must never replace a FIFO or a device node with a file.
fn refuse_non_regular(path: &Path) -> Result<(), FsError> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() && !m.is_dir() => Err(FsError::Io {
            path: path.to_owned(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file (a FIFO, device or socket); tei-align writes only regular \
                 files (use - for standard output)",
            ),
        }),
        _ => Ok(()),
    }
}

/// `path` with its symbolic links followed to the file they name (which may not exist yet).
pub(crate) fn follow_links(path: &Path) -> Result<PathBuf, FsError> {
    let mut p = path.to_owned();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let t = std::fs::read_link(&p).map_err(|source| FsError::Io {
                    path: p.clone(),
                    source,
                })?;
                p = if t.is_absolute() {
                    t
                } else {
                    parent_dir(&p).join(t)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(FsError::Io {
        path: path.to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "too many levels of symbolic links",
        ),
    })
}

/// Whether the process that made a temporary file named with `pid` has ended.
fn writer_gone(pid: &str, entry: &std::fs::DirEntry) -> bool {
    if Path::new("/proc/self").exists() {
        return pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists();
    }
    // No /proc: a day-old temporary file is stale.
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age.as_secs() > 86_400)
}

/// Remove from `dir` the temporary files and directories of tei-align processes that no longer
/// run (killed mid-write). Best effort: what cannot be removed is left.
pub(crate) fn clean_stale(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in rd.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        // `.tei-align.<pid>.<random>.tmp` (files) and `.<dir>.tei-align.<pid>.<random>` (the
        // directories of `write_dir_atomic`).
        let Some(k) = name.find(TMP_PREFIX) else {
            continue;
        };
        let rest = &name[k + TMP_PREFIX.len()..];
        let Some((pid, _)) = rest.split_once('.') else {
            continue;
        };
        if !writer_gone(pid, &entry) {
            continue;
        }
        let p = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() && k > 0 => {
                let _ = std::fs::remove_dir_all(&p);
            }
            Ok(t) if t.is_file() && k == 0 && name.ends_with(TMP_SUFFIX) => {
                let _ = std::fs::remove_file(&p);
            }
            _ => {}
        }
    }
}

/// Write the directory `dir` to hold `files` (name, contents) as a whole, atomically: the files
/// are written into a new directory beside it, which then takes its place in one step
/// (`renameat2` exchange on Linux; elsewhere two renames). A reader sees the old set or the new
/// set, never a mix; a failure (full disk, kill) leaves the old directory as it was. Other files
/// already in `dir` are carried over (hard-linked or copied); a subdirectory in it is an error.
/// A symbolic link `dir` is followed.
pub fn write_dir_atomic(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), FsError> {
    let io = |p: &Path| {
        let p = p.to_owned();
        move |source| FsError::Io { path: p, source }
    };
    refuse_non_regular(dir)?;
    let mut target = follow_links(dir)?;
    if target.file_name().is_none() {
        // `.` or `..`: the directory's own name is needed to put a new one beside it.
        target = target.canonicalize().map_err(io(dir))?;
    }
    let parent = parent_dir(&target);
    let base = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let made = MadeDirs::create(&parent).map_err(io(&parent))?;
    clean_stale(&parent);
    let new = tempfile::Builder::new()
        .prefix(&format!(".{base}{TMP_PREFIX}{}.", std::process::id()))
        .tempdir_in(&parent)
        .map_err(|e| io(dir)(plain(e)))?;
    for (name, contents) in files {
        let p = new.path().join(name);
        let mut f = std::fs::File::create(&p).map_err(io(&dir.join(name)))?;
        f.write_all(contents).map_err(io(&dir.join(name)))?;
        f.sync_all().map_err(io(&dir.join(name)))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o755);
        std::fs::set_permissions(new.path(), std::fs::Permissions::from_mode(mode))
            .map_err(io(dir))?;
    }
    // The directories are not synced (`sync_dir`), unlike a file's: an edition is made again
    // from the alignment by any `run` or `edition`, and a power loss that undoes the exchange
    // leaves the old set whole (the exchange is one step, never a mix). Syncing the new directory
    // and its parent cost `run` about 12 ms per work (24 ms of 280 on the two committed works,
    // load 17; docs/robustness.md), for nothing a person did.
    if !target.is_dir() {
        let kept = new.keep();
        std::fs::rename(&kept, &target).map_err(|e| {
            let _ = std::fs::remove_dir_all(&kept);
            io(dir)(e)
        })?;
        made.keep();
        return Ok(());
    }
    clean_stale(&target);
    carry_over(&target, new.path(), files)?;
    swap_dirs(new.path(), &target).map_err(io(dir))?;
    // `new` now names the old directory; dropping it removes it.
    drop(new);
    made.keep();
    Ok(())
}

/// Hard-link (or copy) into `new` the entries of `old` that `files` does not replace.
fn carry_over(old: &Path, new: &Path, files: &[(&str, &[u8])]) -> Result<(), FsError> {
    let rd = std::fs::read_dir(old).map_err(|source| FsError::Io {
        path: old.to_owned(),
        source,
    })?;
    for entry in rd.flatten() {
        let name = entry.file_name();
        if files.iter().any(|(n, _)| name == *n) {
            continue;
        }
        let from = entry.path();
        let to = new.join(&name);
        let err = |source| FsError::Io {
            path: from.clone(),
            source,
        };
        let kind = entry.file_type().map_err(err)?;
        if kind.is_symlink() {
            let t = std::fs::read_link(&from).map_err(err)?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(&t, &to).map_err(err)?;
            #[cfg(not(unix))]
            let _ = t;
        } else if kind.is_file() {
            if std::fs::hard_link(&from, &to).is_err() {
                std::fs::copy(&from, &to).map_err(err)?;
            }
        } else {
            return Err(err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a subdirectory in the output directory, which is replaced as a whole: move it \
                 or write elsewhere",
            )));
        }
    }
    Ok(())
}

/// Exchange the directories `a` and `b` (both exist): in one step where the system can.
fn swap_dirs(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // Not supported by this file system: the two renames below.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    // Move the old directory aside under a name `clean_stale` recognises, move the new one in,
    // and put the old one where `a` was (its owner removes it).
    let aside = parent_dir(a).join(format!(
        "{}{TMP_PREFIX}{}.old",
        a.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::rename(b, &aside)?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&aside, b);
        return Err(e);
    }
    std::fs::rename(&aside, a)
}

/// The OS error without the context a library added to its message.
fn plain(e: std::io::Error) -> std::io::Error {
    if let Some(code) = e.raw_os_error() {
        return std::io::Error::from_raw_os_error(code);
    }
    // tempfile wraps the OS error in its own, which names the temporary path.
    let inner = e
        .get_ref()
        .and_then(|i| i.source())
        .and_then(|s| s.downcast_ref::<std::io::Error>());
    if let Some(code) = inner.and_then(std::io::Error::raw_os_error) {
        return std::io::Error::from_raw_os_error(code);
    }
    let msg = e.to_string();
    let msg = msg.split(" at path ").next().unwrap_or(&msg).to_owned();
    std::io::Error::new(e.kind(), msg)
}

/// `a/./b/../c` → `a/c`: `.` and `name/..` removed lexically, without the file system, so a
/// symbolic link in the path stays as the user wrote it. A `..` with nothing to cancel stays in a
/// relative path and is dropped at the root (`/..` is `/`). The empty result is `.`.
pub fn lexical(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// `p` made absolute against the current directory, then [`lexical`]: the one way every room
/// turns a path a user gave into the path it compares and points from.
pub(crate) fn absolute_clean(p: &Path) -> PathBuf {
    lexical(&std::path::absolute(p).unwrap_or_else(|_| p.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_removes_dots_and_cancelled_parents_only() {
        let l = |p: &str| lexical(Path::new(p)).to_string_lossy().into_owned();
        assert_eq!(l("alignments/w/../../texts/w/cs.xml"), "texts/w/cs.xml");
        assert_eq!(l("./a/./b/.."), "a");
        assert_eq!(l("../x/../../y"), "../../y");
        assert_eq!(l("/../a"), "/a");
        assert_eq!(l("a/.."), ".");
        assert!(absolute_clean(Path::new("a/../b")).is_absolute());
        assert!(absolute_clean(Path::new("a/../b")).ends_with("b"));
    }

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

    /// The directory sync after the rename cannot open a directory that is writable but not
    /// readable: the write stands all the same, as it did before directories were synced. (Run
    /// as root, which opens any directory, this tests the write only.)
    #[cfg(unix)]
    #[test]
    fn a_directory_that_cannot_be_read_is_written_all_the_same() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("drop-box");
        std::fs::create_dir(&sub).unwrap();
        let mode = |m| std::fs::Permissions::from_mode(m);
        std::fs::set_permissions(&sub, mode(0o300)).unwrap();
        let p = sub.join("a.xml");
        let written = write_atomic(&p, b"one");
        std::fs::set_permissions(&sub, mode(0o755)).unwrap();
        written.unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
        // New directories made for the output are synced into their parents as well.
        let deep = dir.path().join("x/y/b.xml");
        write_atomic(&deep, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&deep).unwrap(), "two");
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
        std::fs::write(&bad, "řádek\nčeský \u{e9}".replace('\u{e9}', "\0")).unwrap();
        let mut bytes = std::fs::read(&bad).unwrap();
        *bytes.last_mut().unwrap() = 0xe9; // Latin-1 "é"
        std::fs::write(&bad, &bytes).unwrap();
        match read_text(&bad) {
            Err(
                e @ FsError::NotUtf8 {
                    line, column, byte, ..
                },
            ) => {
                assert_eq!((line, column, byte), (2, 7, 0xe9));
                assert!(e.to_string().contains(":2:7: not UTF-8"), "{e}");
            }
            other => panic!("expected NotUtf8, got {other:?}"),
        }
    }

    #[test]
    fn a_directory_as_output_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        for p in [dir.path().to_path_buf(), dir.path().join("new/")] {
            let msg = write_atomic(&p, b"x").unwrap_err().to_string();
            assert!(msg.contains("a directory, not a file name"), "{msg}");
        }
        assert!(!dir.path().join("new").exists());
    }

    #[test]
    fn a_file_in_place_of_the_directory_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "x").unwrap();
        let err = write_atomic(&file.join("sub/out.xml"), b"y").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with(&format!("{}: not a directory", file.display())),
            "{msg}"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    }

    #[test]
    fn a_failed_write_does_not_name_the_temporary_file() {
        // /proc accepts no new files, even for root (who may write anywhere else).
        let p = Path::new("/proc/tei-align-test.xml");
        if !Path::new("/proc/self").exists() {
            eprintln!("skipped: no /proc on this system");
            return;
        }
        let msg = write_atomic(p, b"y").unwrap_err().to_string();
        assert!(msg.starts_with("/proc/tei-align-test.xml: "), "{msg}");
        assert!(!msg.contains(".tmp"), "{msg}");
        // The OS's own words, not only the kind of error.
        assert!(msg.contains("(os error "), "{msg}");
    }
}
