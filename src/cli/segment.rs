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
    /// Language of the text (a BCP 47 code: cs, ru, en, en-GB, …); well-formed codes without
    /// their own rules get the generic rules, malformed ones (`en_US`, `../x`) are an error.
    #[arg(long, short)]
    lang: String,
    /// Plain-text file (UTF-8); `-` or nothing reads standard input.
    file: Option<PathBuf>,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    // A malformed code is a mistake (`--lang ../x`, `--lang ""`); a well-formed unknown one is not.
    super::check_lang_arg("--lang", &args.lang)?;
    let text = match args.file.as_deref() {
        None => read_stdin()?,
        Some(p) if p == Path::new("-") => read_stdin()?,
        Some(p) => fsutil::read_text(p)?,
    };
    // A byte-order mark is not part of the first sentence.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Written as it is split, paragraph by paragraph: a copy of the whole output would double the
    // memory on a long book.
    let stdout = std::io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    let written = (|| -> std::io::Result<()> {
        for (k, p) in segment::split_paragraphs(text).into_iter().enumerate() {
            if k > 0 {
                w.write_all(b"\n")?;
            }
            // By paragraph: a paragraph of punctuation only ("* * *") is printed, not dropped.
            for r in segment::split_by_paragraph(&text[p.clone()], &args.lang)
                .into_iter()
                .flatten()
            {
                w.write_all(
                    segment::one_line(&text[p.start + r.start..p.start + r.end]).as_bytes(),
                )?;
                w.write_all(b"\n")?;
            }
        }
        w.flush()
    })();
    match written {
        // A closed pipe (`… | head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("<stdout>: write failed"),
    }
}

/// Read standard input with the same checks as a file (UTF-8, not empty), naming `<stdin>`.
pub(crate) fn read_stdin() -> anyhow::Result<String> {
    let path = PathBuf::from("<stdin>");
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|source| FsError::Io {
            path: path.clone(),
            source,
        })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        FsError::not_utf8(&path, e.as_bytes(), offset)
    })?;
    if text.trim().is_empty() {
        return Err(FsError::Empty { path }.into());
    }
    Ok(text)
}
