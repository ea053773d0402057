//! The `align` command: align every layer of a work along its derivation graph and write
//! `alignments/<work>/alignment.xml`.

use std::path::PathBuf;
use tei_align::model::{Work, WorkAlignment};
use tei_align::project::{WorkLock, WorkRef};
use tei_align::provenance::WorkOptions;

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (`texts/<work>`), one TEI file per layer.
    pub work: PathBuf,
    /// The alignment file to write [default: alignments/<work>/alignment.xml in the project
    /// holding the work].
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Date recorded in the new <change> when the alignment changed (ISO 8601) [default: today].
    #[arg(long)]
    pub when: Option<String>,
    /// Fail (instead of warning) when a confirmed link points at a sentence that no longer exists.
    #[arg(long)]
    pub strict: bool,
    /// Drop the links of a layer whose file is gone (removed from the work on purpose), also
    /// the ones a person confirmed; without it `align` refuses to lose them.
    #[arg(long)]
    pub drop_missing: bool,
    /// Ignore an existing alignment file, including its confirmed links and history.
    #[arg(long)]
    pub fresh: bool,
    /// Re-align every automatic link (e.g. after an aligner upgrade); by default only the
    /// neighbourhood of an edit of the texts is re-aligned. Confirmed links are kept either way.
    #[arg(long, conflicts_with = "fresh")]
    pub full: bool,
    /// When another command is editing the work, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
    /// Print what was done as JSON (for scripts) instead of a line of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub embed: super::embeddings::EmbedArgs,
}

/// What `align` did, for the text line and `--json`.
#[derive(Debug, serde::Serialize)]
pub struct AlignSummary {
    /// The alignment file.
    pub alignment: PathBuf,
    /// The work id.
    pub work: String,
    /// Number of layers.
    pub layers: usize,
    /// One entry per derivation edge.
    pub edges: Vec<EdgeSummary>,
    /// Number of N-way segments.
    pub segments: usize,
    /// Whether the file changed (false: byte-identical, not rewritten).
    pub changed: bool,
    /// Warnings (e.g. a confirmed link whose sentence was deleted).
    pub warnings: Vec<String>,
    /// Confirmed links and ptrs kept whose sentences were edited since they were confirmed:
    /// "confirmed on another text: review".
    pub review: Vec<tei_align::provenance::digest::TextChanged>,
    /// How many confirmed items have no record of the text confirmed (alignment written before
    /// tei-align kept one): whether their text changed is unknown.
    pub confirmed_text_unknown: usize,
}

/// One edge of an [`AlignSummary`].
#[derive(Debug, serde::Serialize)]
pub struct EdgeSummary {
    /// The relation id (`rel.cs-en`).
    pub relation: String,
    /// Links (1-1, n:m).
    pub links: usize,
    /// Sentences without a counterpart (omitted, added, past a source gap).
    pub unaligned: usize,
}

/// Accept `YYYY`, `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss[Z|±hh:mm]`: what TEI's `@when` takes.
fn valid_when(w: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let date = |d: &str| {
        let p: Vec<&str> = d.split('-').collect();
        p.len() == 3
            && p[0].len() == 4
            && p[1].len() == 2
            && p[2].len() == 2
            && p.iter().all(|x| digits(x))
    };
    match w.split_once('T') {
        None => (w.len() == 4 && digits(w)) || date(w),
        Some((d, t)) => {
            let t = t.trim_end_matches('Z');
            let t = t.split(['+', '-']).next().unwrap_or("");
            date(d)
                && t.split(':').count() == 3
                && t.split(':')
                    .all(|x| digits(x.split('.').next().unwrap_or("")))
        }
    }
}

/// Check `--when`.
pub fn check_when(when: Option<&str>) -> anyhow::Result<()> {
    if let Some(w) = when
        && !valid_when(w)
    {
        anyhow::bail!("--when {w}: not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)");
    }
    Ok(())
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    check_when(args.when.as_deref())?;
    let w = WorkRef::resolve(&args.work, args.out.as_deref())?;
    // The lock before the layers are read: see `WorkRef::lock`.
    let lock = w.lock(super::link::lock_mode(args.wait), "align")?;
    let work = w.read_work()?;
    let (_, summary) = align(&w, &lock, &work, &args)?;
    print_summary(&summary, args.json)
}

/// Align the work (read already, under `lock`) and write its alignment. Returns the alignment,
/// for `run` to go on with, and what was done.
pub fn align(
    w: &WorkRef,
    lock: &WorkLock,
    work: &Work,
    args: &Args,
) -> anyhow::Result<(WorkAlignment, AlignSummary)> {
    super::ui::detail(&format!(
        "work {} ({}): {} layer(s); alignment {}",
        work.id,
        work.dir.display(),
        work.layers.len(),
        w.alignment.display()
    ));
    let opts = WorkOptions {
        when: args.when.clone(),
        strict: args.strict,
        progress: super::ui::progress(),
        full: args.full,
        embedder: args.embed.for_alignment()?,
    };
    let done = w.align(lock, work, &opts, args.fresh, args.drop_missing)?;
    let out = &w.alignment;
    for warning in &done.report.warnings {
        super::ui::warn(&format!("{}: {warning}", out.display()));
    }
    let texts = &done.report.texts;
    for c in &texts.changed {
        super::ui::warn(&format!("{}: {}", out.display(), c.line()));
    }
    if let Some(note) = texts.unknown_note() {
        super::ui::note(&format!("{}: {note}", out.display()));
    }
    let a = done.report.alignment;
    if a.edges.is_empty() && work.layers.len() > 1 {
        // Layers imported without --source-layer (or a TEI file whose header names no
        // source) are all originals: the run compared nothing, which must not pass unsaid.
        super::ui::note(&format!(
            "{}: no layer of {} names another as its source, so nothing was aligned: give \
             `tei-align import --source-layer <id>` for a derived layer, or write \
             sourceDesc/listRelation[@type=\"derivation\"]/relation in its TEI header \
             (docs/layers.md)",
            out.display(),
            work.id
        ));
    }
    let summary = AlignSummary {
        alignment: out.clone(),
        work: work.id.clone(),
        layers: work.layers.len(),
        edges: a
            .edges
            .iter()
            .map(|e| EdgeSummary {
                relation: e.relation.clone(),
                links: e.links.len(),
                unaligned: e.unaligned.len(),
            })
            .collect(),
        segments: a.segments.len(),
        changed: done.written,
        warnings: done.report.warnings.clone(),
        review: done.report.texts.changed.clone(),
        confirmed_text_unknown: done.report.texts.unknown.len(),
    };
    Ok((a, summary))
}

/// Print what `align` did: one line, or JSON.
pub fn print_summary(s: &AlignSummary, json: bool) -> anyhow::Result<()> {
    if json {
        outln!("{}", serde_json::to_string_pretty(s)?);
        return Ok(());
    }
    let links: usize = s.edges.iter().map(|e| e.links).sum();
    let unaligned: usize = s.edges.iter().map(|e| e.unaligned).sum();
    outln!(
        "{}: {} layer(s), {} edge(s), {links} link(s), {unaligned} unaligned, {} segment(s){}",
        s.alignment.display(),
        s.layers,
        s.edges.len(),
        s.segments,
        if s.changed { "" } else { " (unchanged)" }
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn when_formats() {
        for ok in [
            "2026",
            "2026-11-25",
            "2026-11-25T10:00:00Z",
            "2026-11-25T10:00:00+01:00",
        ] {
            assert!(super::valid_when(ok), "{ok}");
        }
        for bad in ["", "yesterday", "2026-1-5", "25.11.2026", "2026-11-25T10"] {
            assert!(!super::valid_when(bad), "{bad}");
        }
    }
}
