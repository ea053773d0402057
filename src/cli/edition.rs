//! The `edition` command.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use tei_align::coverage::{CoverageOptions, DEFAULT_DOUBT_BELOW};
use tei_align::edition::{self, EditionOptions};

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (`texts/<work>`), one TEI file per layer.
    pub work: PathBuf,
    /// The alignment file; default `alignments/<work>/alignment.xml` beside `texts/`.
    #[arg(long, value_name = "FILE")]
    pub alignment: Option<PathBuf>,
    /// The output directory; `edition.xml` (TEI) and `index.html` are written into it.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Automatic links with a confidence below X are marked doubtful.
    #[arg(long, value_name = "X", default_value_t = DEFAULT_DOUBT_BELOW)]
    pub doubt_below: f64,
}

/// `texts/<work>` → `alignments/<work>/alignment.xml` (both under the same project directory).
fn default_alignment(work_dir: &Path) -> Option<PathBuf> {
    let name = work_dir.file_name()?;
    let texts = work_dir.parent()?;
    let root = texts.parent().unwrap_or(Path::new(""));
    Some(root.join("alignments").join(name).join("alignment.xml"))
}

/// Whether `a` and `b` are the same existing directory.
fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.doubt_below) {
        bail!(
            "--doubt-below must be between 0 and 1, not {}",
            args.doubt_below
        );
    }
    let work_dir = args.work.components().as_path().to_path_buf();
    // The work directory first: a typo or a layer file given instead of the directory should be
    // named as such, not as a missing alignment somewhere else.
    match std::fs::metadata(&work_dir) {
        Err(e) => bail!("{}: {e}", work_dir.display()),
        Ok(m) if !m.is_dir() => bail!(
            "{}: not a directory (give the work directory, `texts/<work>`)",
            work_dir.display()
        ),
        Ok(_) => {}
    }
    // An edition written into the work directory would be read as one more layer by every
    // later command (its `<group>` repeats every layer's sentences).
    if same_dir(&args.output, &work_dir) {
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
    let alignment_path = match args.alignment {
        Some(p) => p,
        None => {
            let abs = std::path::absolute(&work_dir).unwrap_or(work_dir.clone());
            match default_alignment(&abs) {
                Some(p) if p.exists() => p,
                Some(p) => bail!(
                    "{}: no alignment found for this work (run `tei-align align` first or give --alignment FILE)",
                    p.display()
                ),
                None => bail!("{}: not a work directory", work_dir.display()),
            }
        }
    };
    let work = tei_align::tei::read_work(&work_dir)?;
    let alignment = tei_align::tei::standoff::read_alignment(&alignment_path)?;
    let opts = EditionOptions {
        coverage: CoverageOptions {
            doubt_below: args.doubt_below,
        },
    };
    let written =
        edition::write_edition(&args.output, &work, &alignment, &opts).with_context(|| {
            format!(
                "edition of {} with {}",
                work_dir.display(),
                alignment_path.display()
            )
        })?;
    for p in written {
        outln!("{}", p.display());
    }
    Ok(())
}
