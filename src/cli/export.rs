//! The `export` command.

use anyhow::Context;
use std::path::{Path, PathBuf};
use tei_align::formats::{ExportOptions, Format, export_files};

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// cesalign | intertext | tmx | tsv | ladder.
    #[arg(long, value_parser = ["cesalign", "intertext", "tmx", "tsv", "ladder"])]
    pub format: String,
    /// The edge to export, as `source-derived` (e.g. `cs-en`); TMX without it writes the N-way
    /// segments (or, with --pairs, the beads of every edge).
    #[arg(long)]
    pub edge: Option<String>,
    /// TMX: one unit per bead of every edge (of --edge if given) instead of one per N-way
    /// segment.
    #[arg(long)]
    pub pairs: bool,
    /// TSV for a spreadsheet: a UTF-8 BOM, CRLF line ends, and text cells a spreadsheet would
    /// take for a formula (`=`, `+`, `-`, `@` …) prefixed with `'`.
    #[arg(long)]
    pub excel: bool,
    /// The alignment file [default: alignments/<work>/alignment.xml].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// The output file (`-` for stdout); for cesalign and intertext a directory, which gets the
    /// alignment file and the two sentence documents it points to (stdout: the alignment only).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let format = Format::parse(&args.format).context("unknown format")?;
    // Options of one format given with another would be silently ignored.
    for (given, flag, only) in [
        (args.pairs, "--pairs", Format::Tmx),
        (args.excel, "--excel", Format::Tsv),
    ] {
        if given && format != only {
            return Err(super::ui::UsageError(format!(
                "{flag} applies to --format {}, not {}",
                if only == Format::Tmx { "tmx" } else { "tsv" },
                args.format
            ))
            .into());
        }
    }
    let tei_align::project::Opened {
        work,
        path,
        alignment: al,
        ..
    } = tei_align::project::WorkRef::resolve(&args.work, args.alignment.as_deref())?.open()?;
    let to_stdout = args.output.as_os_str() == "-";
    let opts = ExportOptions {
        pairs: args.pairs,
        excel: args.excel,
    };
    // A broken alignment (a hand edit) is reported against its file, as `check` does.
    let out = export_files(format, &work, &al, args.edge.as_deref(), opts)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let targets: Vec<(PathBuf, &str)> = if format.is_bundle() {
        out.files
            .iter()
            .map(|f| (args.output.join(&f.name), f.text.as_str()))
            .collect()
    } else {
        out.files
            .iter()
            .take(1)
            .map(|f| (args.output.clone(), f.text.as_str()))
            .collect()
    };
    if to_stdout {
        if let Some(f) = out.files.first() {
            out!("{}", f.text);
        }
    } else {
        // Before writing anything: an export must never replace a layer or the alignment it
        // reads, nor write into the work directory.
        if format.is_bundle() {
            tei_align::project::refuse_overwrite(&args.output, &work, Some(&path))?;
            if args.output.exists() && !args.output.is_dir() {
                anyhow::bail!(
                    "{}: not a directory ({} writes a bundle: the alignment and its sentence documents)",
                    args.output.display(),
                    args.format
                );
            }
        }
        for (p, _) in &targets {
            tei_align::project::refuse_overwrite(p, &work, Some(&path))?;
        }
        // A bundle's files point into each other: all written before any replaces its old
        // file, so a full disk leaves the old bundle whole (a missing directory is made, and
        // removed again on failure).
        let files: Vec<(&Path, &[u8])> = targets
            .iter()
            .map(|(p, text)| (p.as_path(), text.as_bytes()))
            .collect();
        tei_align::fsutil::write_atomic_all(&files)?;
        if format.is_bundle() {
            eprintln!(
                "wrote {} ({})",
                args.output.display(),
                out.files
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        } else {
            eprintln!("wrote {}", args.output.display());
        }
    }
    for n in &out.notes {
        eprintln!("note: {n}");
    }
    Ok(())
}
