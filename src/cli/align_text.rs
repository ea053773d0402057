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

/// What paragraph marks in the input mean to the aligner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Paragraphs {
    /// A bead may cross a paragraph mark, at a cost: translations re-paragraph.
    Soft,
    /// Paragraph k of the source is aligned with paragraph k of the target only (both texts
    /// must have the same number of paragraphs).
    Hard,
    /// Paragraph marks are dropped.
    Ignore,
}

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Source text, one sentence per line; `-` reads standard input. A blank line or a line
    /// `<p>` (hunalign's mark) is a paragraph mark, not a sentence: sentence ids count
    /// sentences from 0, not lines.
    pub src: PathBuf,
    /// Target text, one sentence per line (as the source); `-` reads standard input.
    pub tgt: PathBuf,
    /// What paragraph marks mean: soft anchors, hard boundaries, or nothing.
    #[arg(long, value_enum, default_value = "soft")]
    pub paragraphs: Paragraphs,
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
    #[command(flatten)]
    pub embed: super::embeddings::EmbedArgs,
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

/// One side of the input: its sentences and the paragraph of each.
struct Side {
    text: String,
    /// Byte ranges of the sentences in `text`.
    sentences: Vec<std::ops::Range<usize>>,
    /// Paragraph index of each sentence.
    blocks: Vec<usize>,
}

impl Side {
    /// Read a one-sentence-per-line file (or stdin for `-`) and find its paragraph marks.
    fn read(path: &Path) -> anyhow::Result<Side> {
        let text = if path == Path::new("-") {
            super::segment::read_stdin()?
        } else {
            read_text(path)?
        };
        let (mut sentences, mut blocks) = (Vec::new(), Vec::new());
        let (mut block, mut pos, mut in_block) = (0, 0, false);
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim();
            if trimmed.is_empty() || trimmed == "<p>" {
                // Runs of marks make one boundary; a mark before the first sentence none.
                if in_block {
                    block += 1;
                    in_block = false;
                }
            } else {
                sentences.push(pos..pos + content.len());
                blocks.push(block);
                in_block = true;
            }
            pos += line.len();
        }
        Ok(Side {
            text,
            sentences,
            blocks,
        })
    }

    fn lines(&self) -> Vec<&str> {
        self.sentences
            .iter()
            .map(|r| &self.text[r.clone()])
            .collect()
    }
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    if args.src == Path::new("-") && args.tgt == Path::new("-") {
        return Err(super::ui::UsageError(
            "only one of SRC and TGT can be `-` (standard input)".into(),
        )
        .into());
    }
    for (flag, code) in [
        ("--src-lang", &args.src_lang),
        ("--tgt-lang", &args.tgt_lang),
    ] {
        if !code.is_empty() {
            super::check_lang_arg(flag, code)?;
        }
    }
    let src_side = Side::read(&args.src)?;
    let tgt_side = Side::read(&args.tgt)?;
    let (src, tgt) = (src_side.lines(), tgt_side.lines());
    let dictionary = match &args.dict {
        Some(p) => read_dictionary(p)?,
        None => Vec::new(),
    };
    // Soft anchors only where there are paragraphs to anchor: a text without marks aligns as
    // it always did.
    let marked = src_side.blocks.last().is_some_and(|&b| b > 0)
        || tgt_side.blocks.last().is_some_and(|&b| b > 0);
    let soft = args.paragraphs == Paragraphs::Soft && marked;
    let opts = AlignOptions {
        src_lang: args.src_lang.clone(),
        tgt_lang: args.tgt_lang.clone(),
        src_blocks: soft.then(|| src_side.blocks.clone()),
        tgt_blocks: soft.then(|| tgt_side.blocks.clone()),
        dictionary,
        progress: super::ui::progress(),
        embedder: args.embed.for_alignment()?,
        ..AlignOptions::default()
    };
    let context = || {
        format!(
            "aligning {} with {}",
            args.src.display(),
            args.tgt.display()
        )
    };
    let beads = if args.paragraphs == Paragraphs::Hard {
        align_by_paragraph(&src_side, &tgt_side, &opts).with_context(context)?
    } else {
        align(&src, &tgt, &opts).with_context(context)?
    };
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

/// `--paragraphs hard`: paragraph k with paragraph k, each aligned on its own, the beads
/// renumbered into whole-text sentence ids.
fn align_by_paragraph(
    src: &Side,
    tgt: &Side,
    opts: &AlignOptions,
) -> anyhow::Result<Vec<tei_align::model::Bead>> {
    let groups = |side: &Side| {
        let mut g: Vec<Vec<usize>> = Vec::new();
        for (i, &b) in side.blocks.iter().enumerate() {
            if g.len() <= b {
                g.resize_with(b + 1, Vec::new);
            }
            g[b].push(i);
        }
        g
    };
    let (sg, tg) = (groups(src), groups(tgt));
    if sg.len() != tg.len() {
        return Err(super::ui::UsageError(format!(
            "--paragraphs hard: the source has {} paragraph(s), the target {}; use soft",
            sg.len(),
            tg.len()
        ))
        .into());
    }
    let (src_lines, tgt_lines) = (src.lines(), tgt.lines());
    let mut beads = Vec::new();
    for (s, t) in sg.iter().zip(&tg) {
        let s_text: Vec<&str> = s.iter().map(|&i| src_lines[i]).collect();
        let t_text: Vec<&str> = t.iter().map(|&j| tgt_lines[j]).collect();
        for mut b in align(&s_text, &t_text, opts)? {
            b.src = b.src.iter().map(|&i| s[i]).collect();
            b.tgt = b.tgt.iter().map(|&j| t[j]).collect();
            beads.push(b);
        }
    }
    Ok(beads)
}
