//! The `segment` command: plain text in (paragraphs separated by blank lines), one sentence per
//! line out, a blank line between paragraphs.

use anyhow::Context;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use tei_align::fsutil::{self, FsError};
use tei_align::segment;

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Language of the text (ISO 639 code: cs, ru, en, …); codes without their own rules get the
    /// generic rules.
    #[arg(long, short)]
    lang: String,
    /// Plain-text file (UTF-8); `-` or nothing reads standard input.
    file: Option<PathBuf>,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let text = match args.file.as_deref() {
        None => read_stdin()?,
        Some(p) if p == Path::new("-") => read_stdin()?,
        Some(p) => fsutil::read_text(p)?,
    };
    // A byte-order mark is not part of the first sentence.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (k, para) in segment::split_by_paragraph(text, &args.lang)
        .into_iter()
        .enumerate()
    {
        if k > 0 {
            out.push('\n');
        }
        for r in para {
            out.push_str(&segment::one_line(&text[r]));
            out.push('\n');
        }
    }
    let stdout = std::io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    match w.write_all(out.as_bytes()).and_then(|()| w.flush()) {
        // A closed pipe (`… | head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("<stdout>: write failed"),
    }
}

/// Read standard input with the same checks as a file (UTF-8, not empty), naming `<stdin>`.
fn read_stdin() -> anyhow::Result<String> {
    let path = PathBuf::from("<stdin>");
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|source| FsError::Io {
            path: path.clone(),
            source,
        })?;
    let text = String::from_utf8(bytes).map_err(|e| FsError::NotUtf8 {
        path: path.clone(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(FsError::Empty { path }.into());
    }
    Ok(text)
}
