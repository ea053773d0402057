//! The `merge-alignment` command (git's merge driver for alignment files) and `git-setup`
//! (which installs it in a repository).

use anyhow::Context;
use std::path::{Path, PathBuf};
use tei_align::model::WorkAlignment;
use tei_align::provenance::merge::{MergeOutcome, merge_alignments};

/// The name of the merge driver in `.gitattributes` and `git config merge.<name>`.
const DRIVER: &str = "tei-align";

/// The `.gitattributes` line that sends alignment files to the driver.
const ATTRIBUTES: &str = "alignments/**/alignment.xml merge=tei-align";

/// Arguments of `merge-alignment`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The common ancestor's version (git's %O; an empty file when there is none).
    pub base: PathBuf,
    /// Our version (git's %A); the merge is written here.
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
    /// The alignment file's path in the repository (git's %P), to find the work's layers;
    /// default: texts/<work> of the project holding the current directory.
    pub path: Option<PathBuf>,
    /// The time to record (ISO 8601); default now.
    #[arg(long, hide = true)]
    pub when: Option<String>,
}

/// The alignment file as the user knows it, for messages: %P (git's %A, %B and %O are
/// temporary copies, `.merge_file_XXXXXX`).
fn shown(args: &Args) -> String {
    let p = args.path.as_deref().unwrap_or(&args.ours);
    p.display().to_string()
}

/// Read one version: `None` for an empty file (git's %O when the versions have no common
/// ancestor). Errors name `shown` ([`shown`]) and the copy read.
fn read_version(path: &Path, what: &str, shown: &str) -> anyhow::Result<Option<WorkAlignment>> {
    let name = format!("{what} of {shown}");
    let bytes = std::fs::read(path).with_context(|| format!("{name} ({})", path.display()))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let text = String::from_utf8(bytes).with_context(|| name.clone())?;
    Ok(Some(tei_align::tei::standoff::parse_alignment(
        &text, &name,
    )?))
}

/// The work directory: beside the alignment at `path`, where its layer files are; else
/// texts/<work> of the current project.
fn work_dir(ours: &WorkAlignment, path: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(p) = path
        && let Some(file) = ours.layer_files.values().next()
    {
        let dir = p.parent().unwrap_or(Path::new(""));
        let layer = tei_align::fsutil::lexical(&dir.join(file.split('#').next().unwrap_or(file)));
        if let Some(d) = layer.parent() {
            return Ok(d.to_owned());
        }
    }
    let root = tei_align::project::current_root()
        .context("not inside a project (no texts/ above the current directory): give %P")?;
    Ok(root.join("texts").join(&ours.work))
}

/// Run `merge-alignment`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let file = shown(&args);
    let base = read_version(&args.base, "the common version", &file)?;
    let ours = read_version(&args.ours, "our version", &file)?
        .with_context(|| format!("our version of {file} is empty: nothing to merge into"))?;
    let theirs = read_version(&args.theirs, "their version", &file)?
        .with_context(|| format!("their version of {file} is empty: nothing to merge"))?;
    let dir = work_dir(&ours, args.path.as_deref())?;
    let work = tei_align::project::WorkRef::resolve(&dir, args.path.as_deref())?.read_work()?;
    let when = args.when.unwrap_or_else(tei_align::review::now_iso);
    let out = merge_alignments(&work, base.as_ref(), &ours, &theirs, &when).map_err(|e| {
        // The working tree holds our layers while git merges: once theirs are merged in,
        // git can run the driver again.
        let path = args
            .path
            .as_deref()
            .unwrap_or(&args.ours)
            .display()
            .to_string();
        anyhow::Error::new(e).context(format!(
            "{path}: not merged (ours left as it was); once the layers are merged, \
             `git checkout -m {path}` runs the merge again"
        ))
    })?;
    let xml = tei_align::tei::standoff::to_tei(&out.alignment);
    tei_align::fsutil::write_atomic(&args.ours, xml.as_bytes())?;
    let name = args
        .path
        .as_deref()
        .unwrap_or(&args.ours)
        .display()
        .to_string();
    report(&name, &out);
    if out.conflicts.is_empty() {
        return Ok(());
    }
    Err(super::ui::CheckFailed(format!(
        "{name}: {} conflict(s) between the two versions: ours kept, theirs recorded \
         (tei-align check or status lists them; confirm what is right with tei-align link, \
         then git add the file)",
        out.conflicts.len()
    ))
    .into())
}

/// Say on stderr (git shows it) what the merge did.
fn report(name: &str, out: &MergeOutcome) {
    let mut said = vec![format!("{} item(s) from theirs", out.from_theirs)];
    if !out.renamed_changes.is_empty() {
        let v: Vec<String> = out
            .renamed_changes
            .iter()
            .map(|(a, b)| format!("{a} → {b}"))
            .collect();
        said.push(format!("their changes renumbered {}", v.join(", ")));
    }
    if !out.renamed_items.is_empty() {
        said.push(format!(
            "{} id(s) of theirs renumbered",
            out.renamed_items.len()
        ));
    }
    if !out.renamed_ours.is_empty() {
        let v: Vec<String> = out
            .renamed_ours
            .iter()
            .map(|(a, b)| format!("{a} → {b}"))
            .collect();
        said.push(format!(
            "ids both versions made for different items renumbered in both, ours {} (the old ids name nothing now)",
            v.join(", ")
        ));
    }
    if !out.uncovered.is_empty() {
        said.push(format!(
            "{} sentence(s) left without counterpart, to review",
            out.uncovered.len()
        ));
    }
    super::ui::note(&format!("merged {name}: {}", said.join("; ")));
    for c in &out.conflicts {
        eprintln!("CONFLICT (alignment) {name}: {c}");
    }
}

/// Arguments of `git-setup`.
#[derive(Debug, clap::Args)]
pub struct SetupArgs {
    /// The project directory [default: the project holding the current directory].
    pub project: Option<PathBuf>,
}

/// `s` quoted for the shell git runs the driver with, when it needs quoting.
fn sh_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+:@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Run `git config` in `dir`.
fn git_config(dir: &Path, key: &str, value: &str) -> anyhow::Result<()> {
    let st = std::process::Command::new("git")
        .current_dir(dir)
        .args(["config", key, value])
        .status()
        .context("running git (is it installed?)")?;
    anyhow::ensure!(st.success(), "git config {key} failed in {}", dir.display());
    Ok(())
}

/// Add the driver's line to `.gitattributes` unless it is there; the rest of the file stays
/// as it is. True when added.
fn add_attributes(root: &Path) -> anyhow::Result<bool> {
    let path = root.join(".gitattributes");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(anyhow::Error::new(e).context(path.display().to_string())),
    };
    if text.lines().any(|l| l.trim() == ATTRIBUTES) {
        return Ok(false);
    }
    let mut new = text;
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    new.push_str(ATTRIBUTES);
    new.push('\n');
    tei_align::fsutil::write_atomic(&path, new.as_bytes())?;
    Ok(true)
}

/// Run `git-setup`: the driver in this clone's git config, the attribute in `.gitattributes`.
pub fn run_setup(args: SetupArgs) -> anyhow::Result<()> {
    let root = match args.project {
        Some(p) => p,
        None => tei_align::project::current_root()
            .context("not inside a project (no texts/ above the current directory)")?,
    };
    let inside = std::process::Command::new("git")
        .current_dir(&root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .context("running git (is it installed?)")?;
    if !inside.status.success() {
        return Err(super::ui::UsageError(format!(
            "{} is not in a git repository (git init first)",
            root.display()
        ))
        .into());
    }
    let exe = std::env::current_exe().context("finding the tei-align program")?;
    let driver = format!(
        "{} merge-alignment %O %A %B %P",
        sh_quote(&exe.display().to_string())
    );
    git_config(
        &root,
        &format!("merge.{DRIVER}.name"),
        "tei-align: merge two versions of an alignment file",
    )?;
    git_config(&root, &format!("merge.{DRIVER}.driver"), &driver)?;
    outln!("git config merge.{DRIVER}.driver \"{driver}\"");
    if add_attributes(&root)? {
        outln!(
            "added to .gitattributes: {ATTRIBUTES} (commit it; every clone runs tei-align git-setup once)"
        );
    } else {
        outln!(".gitattributes already has: {ATTRIBUTES}");
    }
    Ok(())
}
