//! The `edition` command.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use tei_align::coverage::{CoverageOptions, DEFAULT_DOUBT_BELOW};
use tei_align::edition::{self, EditionOptions};
use tei_align::model::{Work, WorkAlignment};
use tei_align::project::{WorkRef, same_dir};

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (`texts/<work>`), one TEI file per layer.
    pub work: PathBuf,
    /// The alignment file [default: alignments/<work>/alignment.xml in the project holding the
    /// work].
    #[arg(long, value_name = "FILE")]
    pub alignment: Option<PathBuf>,
    /// The output directory; `edition.xml` (TEI) and `index.html` are written into it.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Automatic links with a confidence below X are marked doubtful.
    #[arg(long, value_name = "X", default_value_t = DEFAULT_DOUBT_BELOW)]
    pub doubt_below: f64,
}

/// Check the options against the work directory, before anything is read.
fn check_args(args: &Args) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.doubt_below) {
        bail!(
            "--doubt-below must be between 0 and 1, not {}",
            args.doubt_below
        );
    }
    // An edition written into the work directory would be read as one more layer by every
    // later command (its `<group>` repeats every layer's sentences).
    if same_dir(&args.output, &args.work) {
        bail!(
            "{}: the output directory is the work directory; write the edition elsewhere \
             (e.g. editions/<work>)",
            args.output.display()
        );
    }
    if args.output.exists() && !args.output.is_dir() {
        bail!(
            "{}: not a directory (-o names the directory that receives edition.xml and index.html)",
            args.output.display()
        );
    }
    Ok(())
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    // The work directory first: a typo or a layer file given instead of the directory should be
    // named as such, not as a missing alignment somewhere else.
    let w = WorkRef::resolve(&args.work, args.alignment.as_deref())?;
    check_args(&args)?;
    let o = w.open()?;
    write(&args, &o.work, &o.alignment, &o.path)
}

/// Write the edition of `work` with `alignment` (read from `path`) and print the files written.
pub fn write(
    args: &Args,
    work: &Work,
    alignment: &WorkAlignment,
    path: &Path,
) -> anyhow::Result<()> {
    for p in write_files(args, work, alignment, path)? {
        outln!("{}", p.display());
    }
    Ok(())
}

/// Write the edition of `work` with `alignment` (read from `path`); the files written.
pub fn write_files(
    args: &Args,
    work: &Work,
    alignment: &WorkAlignment,
    path: &Path,
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    check_args(args)?;
    let opts = EditionOptions {
        coverage: CoverageOptions {
            doubt_below: args.doubt_below,
        },
    };
    let written = edition::write_edition(&args.output, work, alignment, &opts)
        .with_context(|| format!("edition of {} with {}", args.work.display(), path.display()))?;
    Ok(written)
}
