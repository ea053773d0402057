//! The `align-text` command: align two pre-split texts (one sentence per line) and print beads.

use anyhow::{Context, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use tei_align::align::{AlignOptions, align};
use tei_align::formats::beads::{write_beads, write_ladder, write_tsv};
use tei_align::fsutil::read_text;

/// Output formats of the command.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// `[1, 2]:[3]:0.81` per line (source ids, target ids, confidence).
    Beads,
    /// hunalign's ladder: `src<TAB>tgt<TAB>score` per rung.
    Ladder,
    /// Source text, target text, confidence.
    Tsv,
}

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Source text, one sentence per line (line k is sentence k, from 0).
    pub src: PathBuf,
    /// Target text, one sentence per line.
    pub tgt: PathBuf,
    /// Source language code (informative).
    #[arg(long, default_value = "")]
    pub src_lang: String,
    /// Target language code (informative).
    #[arg(long, default_value = "")]
    pub tgt_lang: String,
    /// Bilingual dictionary in hunalign's format: `target_word @ source_word` per line.
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "beads")]
    pub format: Format,
}

/// Read a hunalign dictionary as (source word, target word) pairs.
pub fn read_dictionary(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text = read_text(path)?;
    let mut pairs = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((tgt, src)) = line.split_once(" @ ") else {
            bail!(
                "{}:{}: expected `target_word @ source_word`, got `{line}`",
                path.display(),
                k + 1
            );
        };
        pairs.push((src.trim().to_owned(), tgt.trim().to_owned()));
    }
    Ok(pairs)
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let src_text = read_text(&args.src)?;
    let tgt_text = read_text(&args.tgt)?;
    let src: Vec<&str> = src_text.lines().collect();
    let tgt: Vec<&str> = tgt_text.lines().collect();
    let dictionary = match &args.dict {
        Some(p) => read_dictionary(p)?,
        None => Vec::new(),
    };
    let opts = AlignOptions {
        src_lang: args.src_lang,
        tgt_lang: args.tgt_lang,
        dictionary,
        progress: super::ui::progress(),
        ..AlignOptions::default()
    };
    let beads = align(&src, &tgt, &opts).with_context(|| {
        format!(
            "aligning {} with {}",
            args.src.display(),
            args.tgt.display()
        )
    })?;
    let out = match args.format {
        Format::Beads => write_beads(&beads),
        Format::Ladder => write_ladder(&beads, src.len(), tgt.len()),
        Format::Tsv => write_tsv(&beads, &src, &tgt),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .context("writing to standard output")?;
    Ok(())
}
