//! The project layer: where a work's files are, found by one rule from any current directory,
//! and the reading, locking and writing of its alignment. Every command goes through it, so that
//! `align`, `link`, `status` and `edition` can never disagree about which file they use.
//!
//! The rule (see `docs/project-layout.md`): a project is a directory holding `texts/`; a work is
//! a directory of layers (`texts/<work>/`, one TEI file per layer) and its id is the directory's
//! name. The project of a work is found by walking up from the work directory to the nearest
//! directory holding `texts/`, as git finds `.git`; the work's alignment is
//! `<project>/alignments/<work>/alignment.xml` unless a command is given another file.

mod editor;
mod import;
mod lock;

pub use editor::{Editor, record_confirmers};
pub use import::{ImportOutcome, ImportRequest, import_alignment};
pub use lock::{LockMode, WorkLock};

use crate::model::{Layer, Work, WorkAlignment};
use crate::provenance::{FileReport, WorkOptions};
use std::path::{Path, PathBuf};

/// Errors of finding, reading and writing a work's files. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The path given as a work is not a directory of layers inside a project.
    #[error("{}: {message}", path.display())]
    NotAWork {
        /// The path as given.
        path: PathBuf,
        /// What is wrong, and what to give instead.
        message: String,
    },
    /// The work has no alignment file yet.
    #[error("{}: no alignment file (run tei-align align {} first, or give --alignment)", path.display(), work.display())]
    NoAlignment {
        /// The alignment file looked for.
        path: PathBuf,
        /// The work directory as given.
        work: PathBuf,
    },
    /// A command would write over one of the user's own files (a layer, the alignment).
    #[error("{0}")]
    Refused(String),
    /// A layer the alignment names has no file any more (deleted, moved away, a checkout
    /// without it): writing the alignment would drop its links.
    #[error("{0}")]
    LayerGone(String),
    /// Another process holds the work's lock.
    #[error(
        "work {work} is being edited by {holder}; run the command again when it is done, or give --wait"
    )]
    Locked {
        /// The work id.
        work: String,
        /// Who holds the lock (`pid N since …`), as its holder recorded it.
        holder: String,
    },
    /// The alignment file changed on disk between reading and writing (an editor or program that
    /// does not take the lock): writing would lose its change.
    #[error(
        "{}: changed on disk since it was read (edited by another program?); nothing was written, run the command again", path.display()
    )]
    Changed {
        /// The alignment file.
        path: PathBuf,
    },
    /// The editor is not named, or their id cannot be used.
    #[error("{0}")]
    Editor(String),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A layer or the alignment could not be read or written.
    #[error(transparent)]
    Tei(#[from] crate::tei::TeiError),
    /// Aligning failed.
    #[error(transparent)]
    Provenance(#[from] crate::provenance::ProvenanceError),
    /// An imported file is not what its format says, or does not fit the alignment.
    #[error(transparent)]
    Format(crate::formats::FormatError),
}

impl From<crate::fsutil::FsError> for ProjectError {
    fn from(e: crate::fsutil::FsError) -> Self {
        ProjectError::Tei(e.into())
    }
}

/// Result of the project layer.
pub type Result<T, E = ProjectError> = std::result::Result<T, E>;

pub(crate) use crate::fsutil::absolute_clean;

/// The project holding `start` (an absolute, clean path): `start` itself or the nearest
/// directory above it that holds a `texts/` directory.
pub(crate) fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join("texts").is_dir())
        .map(Path::to_path_buf)
}

/// The project holding the current directory, if any.
pub fn current_root() -> Option<PathBuf> {
    find_root(&absolute_clean(Path::new(".")))
}

/// How to show the absolute path `abs` to the user: relative to the current directory when the
/// current directory is inside the project (or `abs` below it), so messages read
/// `alignments/w/alignment.xml` as before; absolute otherwise.
fn for_display(abs: &Path, root: &Path) -> PathBuf {
    let cwd = absolute_clean(Path::new("."));
    if let Ok(rest) = abs.strip_prefix(&cwd) {
        return if rest.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            rest.to_owned()
        };
    }
    if cwd.starts_with(root) {
        return PathBuf::from(crate::provenance::relative_path(&cwd, abs));
    }
    abs.to_owned()
}

/// A work found on disk: its id, its directory and the alignment file every command uses.
#[derive(Debug, Clone)]
pub struct WorkRef {
    /// The work id: the name of the work directory (also for `.` or a trailing slash).
    pub id: String,
    /// The work directory as the user gave it (messages name layer files through it).
    pub dir: PathBuf,
    /// The project directory (absolute), when the work is inside one.
    pub root: Option<PathBuf>,
    /// The alignment file (relative to the current directory when that is inside the project).
    pub alignment: PathBuf,
}

impl WorkRef {
    /// Find the work at `dir` and its alignment: `alignment` when given, else
    /// `<project>/alignments/<work>/alignment.xml`.
    pub fn resolve(dir: &Path, alignment: Option<&Path>) -> Result<WorkRef> {
        Self::resolve_with(dir, alignment.map(|a| Target::File(a.to_owned())))
    }

    /// As [`WorkRef::resolve`], with the alignment in `<alignments>/<work>/alignment.xml`.
    pub fn resolve_in(dir: &Path, alignments: &Path) -> Result<WorkRef> {
        Self::resolve_with(dir, Some(Target::Dir(alignments.to_owned())))
    }

    fn resolve_with(dir: &Path, target: Option<Target>) -> Result<WorkRef> {
        let not_work = |message: String| ProjectError::NotAWork {
            path: dir.to_owned(),
            message,
        };
        match std::fs::metadata(dir) {
            Err(e) => return Err(not_work(e.to_string())),
            Ok(m) if !m.is_dir() => {
                return Err(not_work(
                    "not a directory (give the work directory, `texts/<work>`)".into(),
                ));
            }
            Ok(_) => {}
        }
        let abs = absolute_clean(dir);
        let id = abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| not_work("not a work directory (it has no name)".into()))?;
        // The work directory itself is not its own project: start above it.
        let root = abs.parent().and_then(find_root);
        let alignment = match (target, &root) {
            (Some(Target::File(f)), _) => f,
            (Some(Target::Dir(d)), _) => d.join(&id).join("alignment.xml"),
            (None, Some(root)) => for_display(
                &root.join("alignments").join(&id).join("alignment.xml"),
                root,
            ),
            (None, None) => {
                return Err(not_work(
                    "not inside a project: no directory above it holds texts/ (put the work in \
                     <project>/texts/<work>/, or name the alignment file)"
                        .into(),
                ));
            }
        };
        Ok(WorkRef {
            id,
            dir: dir.to_owned(),
            root,
            alignment,
        })
    }

    /// The directory the work's edition goes to by default: `<project>/editions/<work>`.
    pub fn default_edition_dir(&self) -> Option<PathBuf> {
        let root = self.root.as_ref()?;
        Some(for_display(&root.join("editions").join(&self.id), root))
    }

    /// Read every layer of the work (the work id is this one's, so `align .` has a name).
    pub fn read_work(&self) -> Result<Work> {
        let mut work = crate::tei::read_work(&self.dir)?;
        work.id = self.id.clone();
        Ok(work)
    }

    /// Read the work and its alignment, which must exist.
    pub fn open(&self) -> Result<Opened> {
        self.open_with(None)
    }

    /// Take the work's lock (see [`WorkLock`]), then read the work and its alignment: for the
    /// commands that change the alignment. [`Opened::save`] writes it back.
    pub fn edit(&self, mode: LockMode, command: &str) -> Result<Opened> {
        let lock = WorkLock::acquire(&self.alignment, &self.id, mode, command)?;
        let o = self.open_with(Some(lock))?;
        // Writing the alignment recomposes every segment: with a layer's file gone its
        // sentences would leave them and the segment ids would change, for an edit elsewhere.
        if let Some((id, file)) = gone_layers(&o.path, &o.work, &o.alignment).first() {
            return Err(ProjectError::LayerGone(format!(
                "{}: layer {id} is the file {}, {}: restore it, or drop the layer from the \
                 alignment with tei-align align",
                o.path.display(),
                file.display(),
                gone_how(file)
            )));
        }
        Ok(o)
    }

    /// [`WorkRef::edit`] for a change by hand: the editor (`--by`, else the environment or
    /// git) is checked against the people of the work and recorded in the alignment.
    pub fn edit_as(
        &self,
        by: Option<&str>,
        mode: LockMode,
        command: &str,
    ) -> Result<(Opened, Editor)> {
        let editor = Editor::resolve(by, self.root.as_deref())?;
        let mut o = self.edit(mode, command)?;
        editor.check(&o.work, &o.alignment)?;
        editor.record(&mut o.alignment);
        Ok((o, editor))
    }

    fn open_with(&self, lock: Option<WorkLock>) -> Result<Opened> {
        let path = self.alignment.clone();
        // The layers and the alignment are independent files: read them side by side (on a
        // 50k-sentence work each takes about as long as the other).
        let (work, read) = rayon::join(
            || self.read_work(),
            || -> Result<_> {
                let Some(text) = read_optional(&path)? else {
                    return Ok(None);
                };
                let parsed =
                    crate::tei::standoff::parse_alignment(&text, &path.display().to_string());
                Ok(Some((text, parsed)))
            },
        );
        let work = work?;
        // `--alignment texts/w/cs.xml` is a slip: reading it fails obscurely, and the commands
        // that update the alignment would overwrite the layer.
        if let Some(layer) = layer_at(&path, &work) {
            return Err(ProjectError::Refused(format!(
                "{}: this is layer {} of work {}, not its alignment file (see --alignment)",
                path.display(),
                layer.id,
                work.id
            )));
        }
        let Some((text, alignment)) = read? else {
            return Err(ProjectError::NoAlignment {
                path,
                work: self.dir.clone(),
            });
        };
        let alignment = alignment?;
        Ok(Opened {
            work,
            alignment,
            stamp: Stamp::of(Some(text.as_bytes())),
            path,
            _lock: lock,
        })
    }

    /// Take the work's lock for `command` (see [`WorkLock`]) before reading anything: `align`
    /// reads the layers under it, so that a `link` on a sentence added meanwhile waits for the
    /// alignment instead of being dropped by one made from the layers as they were.
    pub fn lock(&self, mode: LockMode, command: &str) -> Result<WorkLock> {
        refuse_work_dir(&self.alignment, &self.dir)?;
        WorkLock::acquire(&self.alignment, &self.id, mode, command)
    }

    /// Align `work` (read through [`WorkRef::read_work`] while holding `lock`, from
    /// [`WorkRef::lock`]) and write the alignment file, keeping what an existing file holds
    /// (confirmed links, history) unless `fresh`. A file that would not change is not
    /// rewritten.
    pub fn align(
        &self,
        lock: &WorkLock,
        work: &Work,
        opts: &WorkOptions,
        fresh: bool,
        drop_missing: bool,
    ) -> Result<FileReport> {
        let out = &self.alignment;
        refuse_work_dir(out, &work.dir)?;
        if lock.alignment() != out.as_path() {
            return Err(ProjectError::Refused(format!(
                "{}: the lock held is that of {}, not of this alignment",
                out.display(),
                lock.alignment().display()
            )));
        }
        let before = read_optional(out)?;
        let existing = match (&before, fresh) {
            (Some(text), false) => Some(
                crate::tei::standoff::parse_alignment(text, &out.display().to_string())
                    .map_err(crate::provenance::ProvenanceError::Unreadable)?,
            ),
            _ => None,
        };
        if let Some(a) = &existing
            && !drop_missing
        {
            refuse_losing_confirmed(out, work, a)?;
        }
        let files = crate::provenance::layer_files_for(work, out);
        let report = crate::provenance::align_work(work, existing.as_ref(), files, opts)?;
        let xml = crate::tei::standoff::to_tei(&report.alignment);
        let same = before.as_deref() == Some(xml.as_str());
        if !same {
            write_checked(out, &Stamp::of(before.as_deref().map(str::as_bytes)), &xml)?;
        }
        Ok(FileReport {
            report,
            written: !same,
        })
    }
}

/// The layers the alignment at `path` names that the work no longer has and whose files are
/// gone (deleted, moved away, a checkout without them, a directory in the file's place), with
/// the file looked for. A layer renamed within the work keeps its id and is not gone.
fn gone_layers(path: &Path, work: &Work, al: &WorkAlignment) -> Vec<(String, PathBuf)> {
    let base = path.parent().unwrap_or(Path::new(""));
    al.layer_files
        .iter()
        .filter(|(id, _)| work.layer(id).is_none())
        .filter_map(|(id, file)| {
            let p = crate::fsutil::lexical(&base.join(file.split('#').next().unwrap_or(file)));
            // `is_file`, not `exists`: the work reads no layer from a directory named `ru.xml`.
            (!p.is_file()).then(|| (id.clone(), p))
        })
        .collect()
}

/// How a gone layer's file is missing, for the messages.
fn gone_how(file: &Path) -> &'static str {
    if file.is_dir() {
        "which is a directory, not a file"
    } else {
        "which does not exist (moved or renamed?)"
    }
}

/// `align` must not drop what a person confirmed because a layer file went missing: a gone
/// layer whose edges hold confirmed items is an error unless `--drop-missing` says the layer
/// was removed on purpose. (Automatic items are dropped: a re-alignment makes them again.)
fn refuse_losing_confirmed(path: &Path, work: &Work, al: &WorkAlignment) -> Result<()> {
    use crate::model::EdgeAlignment;
    for (id, file) in gone_layers(path, work, al) {
        let on_layer = |rel: &str| {
            al.relations
                .iter()
                .any(|r| r.id == rel && (r.source == id || r.derived == id))
        };
        let confirmed: usize = al
            .edges
            .iter()
            .filter(|e| on_layer(&e.relation))
            .map(EdgeAlignment::confirmed)
            .sum();
        if confirmed > 0 {
            return Err(ProjectError::LayerGone(format!(
                "{}: layer {id} is the file {}, {}, and {confirmed} item(s) a person \
                 confirmed on its edges would be dropped: restore it, or give --drop-missing if \
                 the layer was removed on purpose",
                path.display(),
                file.display(),
                gone_how(&file)
            )));
        }
    }
    Ok(())
}

/// Where the alignment file was named: a file, or a directory of `<work>/alignment.xml`.
enum Target {
    File(PathBuf),
    Dir(PathBuf),
}

/// A work and its alignment, read; the lock held when opened for editing.
#[derive(Debug)]
pub struct Opened {
    /// The work's layers.
    pub work: Work,
    /// The alignment as read (and as changed by the command).
    pub alignment: WorkAlignment,
    /// The alignment file.
    pub path: PathBuf,
    stamp: Stamp,
    _lock: Option<WorkLock>,
}

impl Opened {
    /// Recompose the N-way segments after a change of the pairwise links, then write the
    /// alignment atomically — unless the file changed on disk since it was read (then nothing
    /// is written and [`ProjectError::Changed`] says so).
    pub fn save(&mut self) -> Result<()> {
        crate::provenance::recompose(&self.work, &mut self.alignment);
        let xml = crate::tei::standoff::to_tei(&self.alignment);
        write_checked(&self.path, &self.stamp, &xml)?;
        self.stamp = Stamp::of(Some(xml.as_bytes()));
        Ok(())
    }
}

/// What a file held when it was read: its length and a hash of its bytes (`None`: no file).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp(Option<(usize, u64)>);

impl Stamp {
    fn of(bytes: Option<&[u8]>) -> Stamp {
        use std::hash::{Hash, Hasher};
        Stamp(bytes.map(|b| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            b.hash(&mut h);
            (b.len(), h.finish())
        }))
    }
}

/// The text of `path`, or `None` when there is no such file. Absence is what the read itself
/// reports (not an `exists` test before it, which another process can make stale); anything
/// else at the path that cannot be read — a directory, a file without permission — is an
/// error naming it, not "no alignment yet".
fn read_optional(path: &Path) -> Result<Option<String>> {
    match crate::fsutil::read_text(path) {
        Ok(text) => Ok(Some(text)),
        Err(crate::fsutil::FsError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Write `xml` to `path` atomically if the file still holds what `stamp` describes. Checked
/// when the new file is ready to take the old one's place, so that a save by a program that
/// does not lock (an editor) in the meantime is not overwritten. (tei-align's own writers
/// are kept apart by the work's lock.)
fn write_checked(path: &Path, stamp: &Stamp, xml: &str) -> Result<()> {
    let mut unreadable = None;
    let unchanged = || match std::fs::read(path) {
        Ok(b) => Stamp::of(Some(&b)) == *stamp,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Stamp::of(None) == *stamp,
        Err(e) => {
            unreadable = Some(e);
            false
        }
    };
    if crate::fsutil::write_atomic_if(path, xml.as_bytes(), unchanged)? {
        return Ok(());
    }
    Err(match unreadable {
        Some(source) => ProjectError::Io {
            path: path.to_owned(),
            source,
        },
        None => ProjectError::Changed {
            path: path.to_owned(),
        },
    })
}

/// Canonical form of a path that may not exist yet: the canonical parent joined with the file
/// name, so that `texts/w/./cs.xml`, a symlink to it and its absolute path all compare equal.
fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            std::fs::canonicalize(dir).map_or_else(|_| p.to_owned(), |d| d.join(name))
        }
        _ => p.to_owned(),
    }
}

/// The layer of `work` whose file `path` is (compared as canonical paths), if any.
fn layer_at<'w>(path: &Path, work: &'w Work) -> Option<&'w Layer> {
    let p = canonical(path);
    work.layers.iter().find(|l| canonical(&l.path) == p)
}

/// Whether `a` and `b` are the same existing directory.
pub fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Refuse an alignment inside the work directory: it would overwrite a layer (the user's text),
/// or be taken for a layer by the next command that reads the work.
fn refuse_work_dir(out: &Path, work_dir: &Path) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if same_dir(parent, work_dir) {
        return Err(ProjectError::Refused(format!(
            "{}: refusing to write the alignment into the work directory {} (it holds the layers); alignments go to alignments/<work>/alignment.xml",
            out.display(),
            work_dir.display()
        )));
    }
    Ok(())
}

/// Refuse to write `output` when it is one of the user's own files: a layer of the work, any
/// file in the work directory, or (unless `alignment` is `None`) the alignment file. Exports and
/// reports go elsewhere; only the commands that update the alignment write it.
pub fn refuse_overwrite(output: &Path, work: &Work, alignment: Option<&Path>) -> Result<()> {
    if let Some(layer) = layer_at(output, work) {
        return Err(ProjectError::Refused(format!(
            "{}: refusing to overwrite layer {} of work {} (give another output file)",
            output.display(),
            layer.id,
            work.id
        )));
    }
    // Any other file in the work directory would be taken for a layer by the next command
    // that reads the work (as `align` also refuses).
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if same_dir(parent, &work.dir) {
        return Err(ProjectError::Refused(format!(
            "{}: refusing to write into the work directory {} (it holds the layers; give a file elsewhere)",
            output.display(),
            work.dir.display()
        )));
    }
    if let Some(a) = alignment
        && canonical(a) == canonical(output)
    {
        return Err(ProjectError::Refused(format!(
            "{}: refusing to overwrite the alignment file of work {} (give another output file)",
            output.display(),
            work.id
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
