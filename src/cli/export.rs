//! The `export` command.

use anyhow::Context;
use std::path::PathBuf;
use tei_align::formats::{Format, export};

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// cesalign | intertext | tmx | tsv | ladder.
    #[arg(long, value_parser = ["cesalign", "intertext", "tmx", "tsv", "ladder"])]
    pub format: String,
    /// The edge to export, as `source-derived` (e.g. `cs-en`); TMX without it writes the N-way
    /// segments.
    #[arg(long)]
    pub edge: Option<String>,
    /// The alignment file [default: alignments/<work>/alignment.xml].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// The output file (`-` for stdout).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let format = Format::parse(&args.format).context("unknown format")?;
    let tei_align::project::Opened {
        work,
        path,
        alignment: al,
        ..
    } = tei_align::project::WorkRef::resolve(&args.work, args.alignment.as_deref())?.open()?;
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout {
        // Before any work: an export must never replace a layer or the alignment it reads.
        tei_align::project::refuse_overwrite(&args.output, &work, Some(&path))?;
    }
    // A broken alignment (a hand edit) is reported against its file, as `check` does.
    let text = export(format, &work, &al, args.edge.as_deref())
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if to_stdout {
        out!("{text}");
    } else {
        tei_align::fsutil::write_atomic(&args.output, text.as_bytes())?;
        eprintln!("wrote {}", args.output.display());
    }
    Ok(())
}
