//! The `coverage` command.

use super::ui::{CheckFailed, UsageError};
use anyhow::Context;
use std::path::{Path, PathBuf};
use tei_align::coverage::{self, CoverageOptions, DEFAULT_DOUBT_BELOW};
use tei_align::model::{Work, WorkAlignment};
use tei_align::project::WorkRef;

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The alignment file (`alignments/<work>/alignment.xml`; its layers are found through the
    /// file names it records, relative to it), or the work directory (`texts/<work>`).
    pub alignment: PathBuf,
    /// Print the report as JSON (for scripts) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Exit non-zero when the coverage of any derived layer with text is below PCT percent (a
    /// layer made from several sources: its coverage of all of them together).
    #[arg(long, value_name = "PCT")]
    pub fail_under: Option<f64>,
    /// With --fail-under: pass when no edge can be measured (no derivation edge, or no edge
    /// whose two layers have text). Without it such a work fails: a gate that compared nothing
    /// must not look like one that passed.
    #[arg(long, requires = "fail_under")]
    pub allow_empty: bool,
    /// Automatic links, omissions and additions with a confidence below X count as doubtful
    /// (`@cert` is the calibrated probability that the bead is right).
    #[arg(long, value_name = "X", default_value_t = DEFAULT_DOUBT_BELOW)]
    pub doubt_below: f64,
}

/// Check the options.
fn check_args(args: &Args) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.doubt_below) {
        return Err(UsageError(format!(
            "--doubt-below must be between 0 and 1, not {}",
            args.doubt_below
        ))
        .into());
    }
    if let Some(p) = args.fail_under
        && !(0.0..=100.0).contains(&p)
    {
        return Err(UsageError(format!(
            "--fail-under must be a percentage between 0 and 100, not {p}"
        ))
        .into());
    }
    Ok(())
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    check_args(&args)?;
    // A work directory names its alignment by the project rule; a file is the alignment itself
    // (its layers found through the file names it records, relative to it).
    let (path, work, alignment) = if args.alignment.is_dir() {
        let o = WorkRef::resolve(&args.alignment, None)?.open()?;
        (o.path, o.work, o.alignment)
    } else {
        let (work, alignment) = coverage::load(&args.alignment)?;
        (args.alignment.clone(), work, alignment)
    };
    print(&args, &path, &work, &alignment)
}

/// Print the report of `alignment` (of the file `path`) over `work`, and fail under
/// `--fail-under`.
pub fn print(
    args: &Args,
    path: &Path,
    work: &Work,
    alignment: &WorkAlignment,
) -> anyhow::Result<()> {
    let report = report(args, path, work, alignment)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        out!("{}", coverage::to_text(&report));
    }
    gate(args, path, &report)
}

/// The coverage report of `alignment` (of the file `path`) over `work`.
pub fn report(
    args: &Args,
    path: &Path,
    work: &Work,
    alignment: &WorkAlignment,
) -> anyhow::Result<coverage::CoverageReport> {
    check_args(args)?;
    coverage::report(
        work,
        alignment,
        &CoverageOptions {
            doubt_below: args.doubt_below,
        },
    )
    .with_context(|| path.display().to_string())
}

/// `--fail-under`: fail (exit 1) when the alignment is not up to date with the layers, an edge
/// is below the threshold, or nothing was measured. Without it, a stale alignment is a warning.
fn gate(args: &Args, path: &Path, report: &coverage::CoverageReport) -> anyhow::Result<()> {
    if let Some(why) = report.stale() {
        let msg = format!("{}: {why}", path.display());
        if args.fail_under.is_some() {
            return Err(CheckFailed(msg).into());
        }
        super::ui::warn(&msg);
    }
    if args.fail_under.is_some() && report.lowest_gate().is_none() && !args.allow_empty {
        return Err(CheckFailed(format!(
            "{}: --fail-under: nothing to measure (no derivation edge whose two layers have \
             text); give --allow-empty to accept that",
            path.display()
        ))
        .into());
    }
    // A layer made from several sources is gated on its figure against all of them (a
    // sentence carried over through the other source is no omission); other layers on their
    // edge.
    if let Some(limit) = args.fail_under
        && let Some((name, pct)) = report.lowest_gate()
        && pct < limit
    {
        return Err(CheckFailed(format!(
            "{}: coverage of {name} is {pct:.1} %, below {limit} %",
            path.display(),
        ))
        .into());
    }
    Ok(())
}
