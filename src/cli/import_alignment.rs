//! The `import-alignment` command.

use anyhow::Context;
use std::path::PathBuf;
use tei_align::formats::{
    Format, ImportMode, find_edge, import, keep_confirmers, merge_edge, relation_of,
};
use tei_align::model::{Change, LinkStatus};
use tei_align::project::record_confirmers;
use tei_align::review;

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// The file to import; `-` reads standard input.
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
    /// Who confirmed the file's `man` links when it does not say (see `link --by`).
    #[arg(long, value_name = "ID[:NAME]")]
    pub by: Option<String>,
    /// The alignment file [default: alignments/<work>/alignment.xml].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// When another command is editing the work, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let format = Format::parse(&args.format).context("unknown format")?;
    let (mut o, editor) = super::link::edit_as(
        &args.work,
        args.alignment.as_deref(),
        args.by.as_deref(),
        args.wait,
        "import-alignment",
    )?;
    let (work, al) = (&o.work, &mut o.alignment);
    let src = if args.file.as_os_str() == "-" {
        super::segment::read_stdin()?
    } else {
        tei_align::fsutil::read_text(&args.file)?
    };
    let ei = find_edge(al, args.edge.as_deref())?;
    let rel = relation_of(al, &al.edges[ei])?.clone();
    let who = editor.id;
    let now = review::now_iso();
    let file = args.file.display().to_string();
    let mut imported = import(format, &src, &file, work, &rel, &who, &now)?;
    // The people the file says confirmed its beads are editors like `--by`: never a person of a
    // layer header under the same id, and recorded in the alignment's header.
    let named: Vec<String> = imported
        .beads
        .iter()
        .filter_map(|b| match &b.status {
            Some(LinkStatus::Verified { who, .. }) => Some(who.clone()),
            _ => None,
        })
        .collect();
    record_confirmers(work, al, named.iter().map(String::as_str), &file)?;
    // A confirmation the file does not attribute (InterText keeps only `status="man"`) stays
    // with whoever confirmed that very bead before.
    keep_confirmers(al, ei, &mut imported);
    let beads = imported.beads;
    let mode = if args.replace {
        ImportMode::Replace
    } else {
        ImportMode::Merge
    };
    let rep = merge_edge(work, al, ei, &beads, mode, &file)?;
    let id = tei_align::provenance::fresh_id(al, "ch");
    al.changes.push(Change {
        id,
        status: "automatic".into(),
        who: "tei-align".into(),
        when: now,
        desc: format!(
            "imported {} beads of {} from {} ({}, {})",
            beads.len(),
            rel.id,
            args.file
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            args.format,
            if args.replace { "replace" } else { "merge" }
        ),
    });
    o.save()?;
    for n in &imported.notes {
        eprintln!("note: {n}");
    }
    outln!(
        "{}: {} links, {} unaligned, {} confirmed by a person",
        rel.id,
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
    if !rep.uncovered.is_empty() {
        eprintln!(
            "note: not in the file, now unaligned (to review): {}",
            rep.uncovered.join(" ")
        );
    }
    Ok(())
}
