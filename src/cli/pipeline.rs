//! The `run` command: the main job. For each work it aligns the layers along the derivation
//! graph (keeping every confirmed link of an existing alignment), prints the coverage report and
//! writes the parallel edition (TEI and HTML). It is the other commands run in sequence, so that
//! the main job and the single commands can never drift apart.

use std::path::PathBuf;
use tei_align::coverage::DEFAULT_DOUBT_BELOW;

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Work directories (`texts/<work>`), one TEI file per layer.
    #[arg(required = true, value_name = "WORK_DIR")]
    pub works: Vec<PathBuf>,
    /// Where the alignment files go: `<DIR>/<work>/alignment.xml`.
    #[arg(long, value_name = "DIR", default_value = "alignments")]
    pub alignments: PathBuf,
    /// Where the editions go: `<DIR>/<work>/` (TEI parallel edition and `index.html`).
    #[arg(long, value_name = "DIR", default_value = "editions")]
    pub editions: PathBuf,
    /// Date recorded in a new `<change>` when an alignment changed (ISO 8601) [default: today].
    #[arg(long)]
    pub when: Option<String>,
}

/// Whether `a` and `b` are the same existing directory.
fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    // Every work directory is checked before the first is aligned, so that a typo in the last
    // one does not leave the others half done.
    for work in &args.works {
        match std::fs::metadata(work) {
            Err(e) => anyhow::bail!("{}: {e}", work.display()),
            Ok(m) if !m.is_dir() => anyhow::bail!(
                "{}: not a directory (give work directories, `texts/<work>`)",
                work.display()
            ),
            Ok(_) => {}
        }
        // Outputs inside the work directory would be read as layers by the next run (and an
        // alignment written there over a layer of the same name would destroy it).
        let name = work
            .components()
            .next_back()
            .map(|c| c.as_os_str().to_owned());
        if let Some(name) = name {
            for (flag, dir) in [
                ("--alignments", args.alignments.join(&name)),
                ("--editions", args.editions.join(&name)),
            ] {
                if same_dir(&dir, work) {
                    anyhow::bail!(
                        "{flag} {}: would write into the work directory {}; choose another \
                         directory",
                        dir.display(),
                        work.display()
                    );
                }
            }
        }
    }
    for work in &args.works {
        let name = work
            .components()
            .next_back()
            .map(|c| c.as_os_str().to_owned())
            .ok_or_else(|| anyhow::anyhow!("{}: not a work directory", work.display()))?;
        let alignment = args.alignments.join(&name).join("alignment.xml");
        // The heading of this work's report, on stdout with the report itself: stderr carries
        // only warnings and the one-line error.
        outln!("== {}", work.display());
        super::align::run(super::align::Args {
            work: work.clone(),
            out: Some(alignment.clone()),
            when: args.when.clone(),
            strict: false,
            fresh: false,
            full: false,
        })?;
        super::coverage::run(super::coverage::Args {
            alignment: alignment.clone(),
            json: false,
            fail_under: None,
            allow_empty: false,
            doubt_below: DEFAULT_DOUBT_BELOW,
        })?;
        super::edition::run(super::edition::Args {
            work: work.clone(),
            alignment: Some(alignment),
            output: args.editions.join(&name),
            doubt_below: DEFAULT_DOUBT_BELOW,
        })?;
    }
    Ok(())
}
