//! The `import-alignment` command.

use anyhow::Context;
use std::path::PathBuf;
use tei_align::formats::{Format, ImportMode};
use tei_align::project::{ImportRequest, import_alignment};

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// The file to import (gzip-compressed as OPUS ships it, or not); `-` reads standard input.
    pub file: PathBuf,
    /// cesalign | intertext | tmx | tsv | ladder.
    #[arg(long, value_parser = ["cesalign", "intertext", "tmx", "tsv", "ladder"])]
    pub format: String,
    /// The edge it aligns, as `source-derived` (e.g. `cs-en`); needed when the work has several.
    #[arg(long)]
    pub edge: Option<String>,
    /// Replace the edge with the file (default: merge — the file's beads replace the ones they
    /// overlap, and links a person confirmed are kept against unconfirmed ones).
    #[arg(long)]
    pub replace: bool,
    /// Who, where, when.
    #[command(flatten)]
    pub edit: super::link::EditArgs,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let format = Format::parse(&args.format).context("unknown format")?;
    let (mut o, editor, now) = args.edit.open(&args.work, "import-alignment")?;
    let text = if args.file.as_os_str() == "-" {
        super::segment::read_stdin()?
    } else {
        tei_align::fsutil::read_text_or_gzip(&args.file)?
    };
    let file = args.file.display().to_string();
    let req = ImportRequest {
        format,
        format_name: &args.format,
        text: &text,
        file: &file,
        edge: args.edge.as_deref(),
        mode: if args.replace {
            ImportMode::Replace
        } else {
            ImportMode::Merge
        },
        who: &editor.id,
        when: &now,
    };
    let out = import_alignment(&o.work, &mut o.alignment, &req)?;
    if out.changed {
        o.save()?;
    } else {
        outln!(
            "{}: the file agrees with the alignment; nothing changed",
            out.relation
        );
    }
    for n in &out.notes {
        eprintln!("note: {n}");
    }
    let rep = &out.report;
    outln!(
        "{}: {} links, {} unaligned, {} confirmed by a person",
        out.relation,
        rep.links,
        rep.unaligned,
        rep.verified
    );
    for line in &rep.skipped {
        eprintln!("warning: {file}:{line}: skipped: it would override a link a person confirmed");
    }
    for id in &rep.lost_verified {
        eprintln!("warning: confirmed link {id} is no longer in the alignment");
    }
    for (id, sentence) in &rep.lost_unaligned {
        eprintln!(
            "warning: {sentence} is no longer confirmed as having no counterpart ({id} is no \
             longer in the alignment)"
        );
    }
    for (line, id) in &rep.kept_confirmed {
        eprintln!(
            "note: {file}:{line}: the file gives {id} as not confirmed; kept as a person \
             confirmed it (a merge never undoes a confirmation; --replace does)"
        );
    }
    if !rep.uncovered.is_empty() {
        eprintln!(
            "note: not in the file, now unaligned (to review): {}",
            rep.uncovered.join(" ")
        );
    }
    Ok(())
}
