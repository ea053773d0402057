//! The `embed` command: sentence vectors for users who build their own pipelines.

use anyhow::bail;
use std::io::Write;
use std::path::PathBuf;
use tei_align::fsutil::{read_text, write_atomic};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// NumPy `.npy`: a float32 array of shape (sentences, dimension).
    Npy,
    /// Raw little-endian float32, one row of `dimension` values per sentence, no header.
    Raw,
}

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The text, one sentence per line (row k is line k, from 0).
    pub file: PathBuf,
    /// Where the vectors go; `-` for standard output.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Output format [default: npy when OUT ends in .npy, else raw].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub embed: super::embeddings::EmbedArgs,
}

/// The `.npy` (version 1.0) encoding of a row-major float32 matrix.
fn npy(rows: &[Vec<f32>], dim: usize) -> Vec<u8> {
    let mut header = format!(
        "{{'descr': '<f4', 'fortran_order': False, 'shape': ({}, {dim}), }}",
        rows.len()
    );
    // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64
    // and ended by a newline, as the format asks.
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + rows.len() * dim * 4);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend(raw(rows));
    out
}

fn raw(rows: &[Vec<f32>]) -> Vec<u8> {
    rows.iter()
        .flat_map(|r| r.iter().flat_map(|v| v.to_le_bytes()))
        .collect()
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let text = read_text(&args.file)?;
    let lines: Vec<&str> = text.lines().collect();
    let mut embed = args.embed.clone();
    if embed.embeddings.is_none() {
        embed.embeddings = Some("e5".into());
    }
    let Some(embedder) = embed.embedder()? else {
        bail!("no embeddings source");
    };
    let vectors = embedder.embed(&lines)?;
    let dim = embedder.dim();
    let to_stdout = args.out.as_os_str() == "-";
    let format = args.format.unwrap_or(
        if !to_stdout && args.out.extension().is_some_and(|e| e == "npy") {
            Format::Npy
        } else {
            Format::Raw
        },
    );
    let bytes = match format {
        Format::Npy => npy(&vectors, dim),
        Format::Raw => raw(&vectors),
    };
    if to_stdout {
        std::io::stdout().lock().write_all(&bytes)?;
    } else {
        write_atomic(&args.out, &bytes)?;
        eprintln!(
            "tei-align: {} vectors of {dim} floats ({}) to {}",
            vectors.len(),
            embedder.describe(),
            args.out.display()
        );
    }
    Ok(())
}
