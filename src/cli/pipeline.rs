//! The `run` command: the main job. For each work it aligns the layers along the derivation
//! graph (keeping every confirmed link of an existing alignment), prints the coverage report and
//! writes the parallel edition (TEI and HTML). It is the other commands run in sequence, so that
//! the main job and the single commands can never drift apart.

use std::path::{Path, PathBuf};
use tei_align::coverage::DEFAULT_DOUBT_BELOW;
use tei_align::project::{WorkRef, same_dir};

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Work directories (`texts/<work>`), one TEI file per layer.
    #[arg(required = true, value_name = "WORK_DIR")]
    pub works: Vec<PathBuf>,
    /// Where the alignment files go: `<DIR>/<work>/alignment.xml` [default: alignments/ in the
    /// project holding the work].
    #[arg(long, value_name = "DIR")]
    pub alignments: Option<PathBuf>,
    /// Where the editions go: `<DIR>/<work>/` (TEI parallel edition and `index.html`) [default:
    /// editions/ in the project holding the work].
    #[arg(long, value_name = "DIR")]
    pub editions: Option<PathBuf>,
    /// Date recorded in a new `<change>` when an alignment changed (ISO 8601) [default: today].
    #[arg(long)]
    pub when: Option<String>,
    /// When another command is editing a work, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
    /// Print one JSON document (per work: what align did, the coverage report, the edition's
    /// files) instead of the text reports.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub embed: super::embeddings::EmbedArgs,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    super::align::check_when(args.when.as_deref())?;
    let works = resolve_all(&args)?;
    let mut reports = Vec::new();
    for (dir, w, editions) in works {
        if let Some(report) = run_one(&args, dir, &w, editions)? {
            reports.push(report);
        }
    }
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&reports)?);
    }
    Ok(())
}

/// Every work with its alignment and edition directory, found and checked before the first is
/// aligned, so that a typo in the last one does not leave the others half done.
fn resolve_all(args: &Args) -> anyhow::Result<Vec<(&PathBuf, WorkRef, PathBuf)>> {
    let mut works = Vec::new();
    for dir in &args.works {
        let w = match &args.alignments {
            Some(d) => WorkRef::resolve_in(dir, d)?,
            None => WorkRef::resolve(dir, None)?,
        };
        let editions = match (&args.editions, w.default_edition_dir()) {
            (Some(d), _) => d.join(&w.id),
            (None, Some(d)) => d,
            (None, None) => anyhow::bail!(
                "{}: not inside a project; give --editions DIR",
                dir.display()
            ),
        };
        // Outputs inside the work directory would be read as layers by the next run (and an
        // alignment written there over a layer of the same name would destroy it).
        for (flag, out) in [
            (
                "--alignments",
                w.alignment.parent().unwrap_or(Path::new(".")),
            ),
            ("--editions", editions.as_path()),
        ] {
            if same_dir(out, dir) {
                anyhow::bail!(
                    "{flag} {}: would write into the work directory {}; choose another \
                     directory",
                    out.display(),
                    dir.display()
                );
            }
        }
        works.push((dir, w, editions));
    }
    Ok(works)
}

/// Align one work, report its coverage and write its edition: printed as text, or returned as
/// its part of the JSON document with `--json`.
fn run_one(
    args: &Args,
    dir: &Path,
    w: &WorkRef,
    editions: PathBuf,
) -> anyhow::Result<Option<serde_json::Value>> {
    // The heading of this work's report, on stdout with the report itself: stderr carries
    // only warnings and the one-line error.
    if !args.json {
        outln!("== {}", dir.display());
    }
    // Each layer is read once, for the alignment, the coverage report and the edition; under
    // the work's lock, as `align` reads them (see `WorkRef::lock`).
    let lock = w.lock(super::link::lock_mode(args.wait), "run")?;
    let work = w.read_work()?;
    let align_args = super::align::Args {
        work: dir.to_path_buf(),
        out: Some(w.alignment.clone()),
        when: args.when.clone(),
        strict: false,
        drop_missing: false,
        fresh: false,
        full: false,
        wait: args.wait,
        json: args.json,
        embed: args.embed.clone(),
    };
    // The lock is held until the coverage and the edition are written: they are made from the
    // alignment just written, and a `link` or `unlink` landing in between would leave an
    // edition of an alignment that no longer exists, written after the one that replaced it.
    let (alignment, summary) = super::align::align(w, &lock, &work, &align_args)?;
    pause_point("run-edition");
    let coverage_args = super::coverage::Args {
        alignment: w.alignment.clone(),
        json: args.json,
        fail_under: None,
        allow_empty: false,
        doubt_below: DEFAULT_DOUBT_BELOW,
    };
    let edition_args = super::edition::Args {
        work: dir.to_path_buf(),
        alignment: Some(w.alignment.clone()),
        output: editions,
        doubt_below: DEFAULT_DOUBT_BELOW,
    };
    if !args.json {
        super::align::print_summary(&summary, false)?;
        super::coverage::print(&coverage_args, &w.alignment, &work, &alignment)?;
        super::edition::write(&edition_args, &work, &alignment, &w.alignment)?;
        drop(lock);
        return Ok(None);
    }
    let coverage = super::coverage::report(&coverage_args, &w.alignment, &work, &alignment)?;
    let files = super::edition::write_files(&edition_args, &work, &alignment, &w.alignment)?;
    drop(lock);
    Ok(Some(serde_json::json!({
        "work": dir,
        "align": summary,
        "coverage": coverage,
        "edition": files,
    })))
}

/// A point where a test can stop `run` to see what another command may do meanwhile:
/// with `TEI_ALIGN_PAUSE=<point>:<file>`, reaching `<point>` creates `<file>` and waits (at
/// most a minute) until the test removes it. Without the variable it costs one lookup of the
/// environment. Races between two commands are tested this way, deterministically, instead of
/// with sleeps that pass on a fast machine and fail on a loaded one.
fn pause_point(point: &str) {
    let Some(spec) = std::env::var_os("TEI_ALIGN_PAUSE") else {
        return;
    };
    let spec = spec.to_string_lossy();
    let Some(file) = spec
        .split_once(':')
        .filter(|(p, _)| *p == point)
        .map(|(_, f)| PathBuf::from(f))
    else {
        return;
    };
    if std::fs::write(&file, std::process::id().to_string()).is_err() {
        return;
    }
    let start = std::time::Instant::now();
    while file.exists() && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
