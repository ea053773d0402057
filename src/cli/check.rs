//! The `check` command.

use std::path::PathBuf;
use tei_align::check::{CheckOptions, check};

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// The alignment file [default: alignments/<work>/alignment.xml].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// Do not run jing (TEI validation), even when it is installed.
    #[arg(long)]
    pub no_jing: bool,
}

/// Run the command: one line per problem on stdout, non-zero exit if there is any.
pub fn run(args: Args) -> anyhow::Result<()> {
    let tei_align::project::Opened {
        work,
        path,
        alignment: al,
        ..
    } = tei_align::project::WorkRef::resolve(&args.work, args.alignment.as_deref())?.open()?;
    let mut opts = CheckOptions::detect();
    if args.no_jing {
        opts.jing = None;
    }
    let rep = check(&work, &al, &path, &opts);
    for p in &rep.problems {
        outln!("{p}");
    }
    for n in &rep.notes {
        eprintln!("note: {n}");
    }
    if !rep.is_ok() {
        anyhow::bail!(
            "{} problem(s) found in {}",
            rep.problems.len(),
            args.work.display()
        );
    }
    eprintln!(
        "ok: {} layers and {} checked",
        work.layers.len(),
        path.display()
    );
    Ok(())
}
