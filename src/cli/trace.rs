//! The `trace` command: show the segment holding a sentence, every layer along its chain.

use anyhow::Context as _;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tei_align::model::{Change, WorkAlignment};
use tei_align::project::WorkRef;
use tei_align::provenance::trace;
use tei_align::tei;

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The sentence id (e.g. `en.s12`).
    pub sentence: String,
    /// The work directory (`texts/<work>`); its alignment is `alignments/<work>/alignment.xml`.
    #[arg(long)]
    pub work: Option<PathBuf>,
    /// The alignment file [default: from --work, or the one of the current project holding the
    /// sentence].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Find the alignment file to read.
fn alignment_path(args: &Args) -> anyhow::Result<PathBuf> {
    if let Some(a) = &args.alignment {
        return Ok(a.clone());
    }
    if let Some(w) = &args.work {
        return Ok(WorkRef::resolve(w, None)?.alignment);
    }
    // Look for the sentence in every alignment of the project holding the current directory.
    let Some(root) = tei_align::project::current_root() else {
        anyhow::bail!(
            "not inside a project (no directory above this one holds texts/); give --work or --alignment"
        );
    };
    let dir = root.join("alignments");
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| {
            format!(
                "{}: no alignments here; give --work or --alignment",
                dir.display()
            )
        })?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("alignment.xml"))
        .filter(|p| p.is_file())
        .collect();
    candidates.sort();
    for c in candidates {
        let a = tei::standoff::read_alignment(&c)?;
        if a.segments
            .iter()
            .any(|s| s.members.values().flatten().any(|x| *x == args.sentence))
        {
            return Ok(c);
        }
    }
    anyhow::bail!(
        "sentence \"{}\" is in no alignment under {}; give --work or --alignment",
        args.sentence,
        dir.display()
    )
}

/// What an id names in the alignment when it is not a sentence: a link, a ptr, a segment.
fn item_kind(a: &WorkAlignment, id: &str) -> Option<&'static str> {
    if a.segments.iter().any(|s| s.id == id) {
        return Some("a segment");
    }
    for e in &a.edges {
        if e.links.iter().any(|l| l.id == id) {
            return Some("a link");
        }
        if e.unaligned.iter().any(|u| u.id == id) {
            return Some("an unaligned ptr");
        }
    }
    None
}

/// The change that retired this id (its description lists it after "Ids retired"), if any.
fn retired_by<'a>(a: &'a WorkAlignment, id: &str) -> Option<&'a Change> {
    a.changes.iter().rev().find(|c| {
        c.desc.split_once("Ids retired").is_some_and(|(_, rest)| {
            rest.split(|ch: char| ch.is_whitespace() || ch == ':')
                .map(|t| t.trim_end_matches('.'))
                .any(|t| t == id)
        })
    })
}

/// A sentence id of the alignment, to show in a hint.
fn example_sentence(a: &WorkAlignment) -> Option<&str> {
    a.segments
        .iter()
        .flat_map(|s| s.members.values().flatten())
        .map(String::as_str)
        .next()
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let path = alignment_path(&args)?;
    let alignment = tei::standoff::read_alignment(&path)?;
    let base = path.parent().unwrap_or(Path::new("."));
    // An id of a link, ptr or segment is a common slip (they are what papers cite): say what
    // it is and what trace wants, rather than "not found".
    if let Some(kind) = item_kind(&alignment, &args.sentence) {
        anyhow::bail!(
            "{}: \"{}\" is the id of {kind}, not of a sentence; trace takes a sentence id (e.g. {})",
            path.display(),
            args.sentence,
            example_sentence(&alignment).unwrap_or("en.s1")
        );
    }
    if let Some(c) = retired_by(&alignment, &args.sentence) {
        let when = if c.when.is_empty() {
            String::new()
        } else {
            format!(", {}", c.when)
        };
        anyhow::bail!(
            "{}: \"{}\" named an item that change {}{when} retired; it names nothing now and is never reused (the change: {})",
            path.display(),
            args.sentence,
            c.id,
            c.desc
        );
    }
    let mut layers = BTreeMap::new();
    for (id, file) in &alignment.layer_files {
        let p = tei_align::fsutil::lexical(&base.join(file));
        if !p.is_file() {
            anyhow::bail!(
                "{}: layer {id} is the file {}, which does not exist (moved or renamed? re-run align)",
                path.display(),
                p.display()
            );
        }
        let layer = tei::read_layer(&p)
            .with_context(|| format!("{}: layer {id} of the alignment", path.display()))?;
        layers.insert(id.clone(), layer);
    }
    let t = trace::trace(&alignment, &layers, &args.sentence)
        .with_context(|| path.display().to_string())?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&t)?);
    } else {
        out!("{}", t.to_text());
    }
    Ok(())
}
