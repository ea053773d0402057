//! The `status` command: review progress per edge.

use std::path::{Path, PathBuf};
use tei_align::coverage::{LayerCoverage, LayerNote};
use tei_align::model::{Work, WorkAlignment};
use tei_align::review;

/// Arguments of the command.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The work directory (texts/<work>).
    pub work: PathBuf,
    /// The alignment file [default: alignments/<work>/alignment.xml].
    #[arg(long)]
    pub alignment: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also list the doubtful items (automatic links, omissions and additions with cert < 0.5,
    /// and confirmed ones whose sentences were edited since) with their texts: what to review
    /// first.
    #[arg(long)]
    pub doubtful: bool,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let tei_align::project::Opened {
        work,
        path,
        alignment: al,
        ..
    } = tei_align::project::WorkRef::resolve(&args.work, args.alignment.as_deref())?.open()?;
    // Counts of a broken alignment (a hand edit left a link pointing nowhere) would mislead:
    // print them, but warn and exit non-zero, as `check` does.
    let mut problems = tei_align::formats::alignment_problems(&work, &al);
    // A merge's open conflict: the counts hold one editor's decision where two differ.
    problems.extend(
        tei_align::provenance::merge::open_conflicts(&al)
            .into_iter()
            .map(|c| format!("{}: an open merge conflict: {}", c.change, c.desc)),
    );
    let result = if problems.is_empty() {
        Ok(())
    } else {
        for p in &problems {
            eprintln!("warning: {}: {p}", path.display());
        }
        Err(anyhow::Error::from(super::ui::CheckFailed(format!(
            "{}: {} problem(s) in the alignment: broken edges or open merge conflicts (see \
             tei-align check {})",
            path.display(),
            problems.len(),
            args.work.display()
        ))))
    };
    let edges = review::status(&al);
    let overall = review::overall_progress(&edges);
    let texts = tei_align::provenance::digest::check_texts(&work, &al);
    let several = several_sources(&work, &al);
    if args.json {
        let v = serde_json::json!({
            "alignment": path.display().to_string(),
            "edges": edges,
            "progress": overall,
            "problems": problems,
            // Confirmed items whose sentences were edited since: to review, whatever --doubtful.
            "confirmed_on_another_text": texts.changed,
            "confirmed_text_unknown": texts.unknown.len(),
            // Layers made from several sources, each against all of them.
            "several_sources": several.iter().map(several_json).collect::<Vec<_>>(),
        });
        outln!("{}", serde_json::to_string_pretty(&v)?);
        return result;
    }
    print_table(&path, &edges, overall)?;
    print_several(&several)?;
    if !texts.changed.is_empty() {
        outln!(
            "confirmed on another text (sentences edited since they were confirmed; review): {}",
            texts.changed_ids().collect::<Vec<_>>().join(" ")
        );
    }
    if let Some(note) = texts.unknown_note() {
        super::ui::note(&note);
    }
    if args.doubtful {
        print_doubtful(&work, &al, &several)?;
        print_text_changed(&work, &texts.changed)?;
    }
    result
}

/// The layers made from several sources, each against all of them: what one edge leaves
/// without a counterpart and another source accounts for (none if the alignment is broken:
/// the problems say so).
fn several_sources(work: &Work, al: &WorkAlignment) -> Vec<LayerCoverage> {
    tei_align::coverage::report(work, al, &Default::default())
        .map(|r| r.layers)
        .unwrap_or_default()
        .into_iter()
        .filter(|l| l.sources.len() > 1)
        .collect()
}

fn ids(v: &[LayerNote]) -> Vec<String> {
    v.iter().map(|n| n.id.clone()).collect()
}

fn several_json(l: &LayerCoverage) -> serde_json::Value {
    serde_json::json!({
        "layer": l.layer,
        "sources": l.sources,
        "from_other_source": ids(&l.from_other_source),
        "carried_over": ids(&l.carried_over),
        "added": ids(&l.added),
        "omitted": ids(&l.omitted),
    })
}

/// One line per layer made from several sources.
fn print_several(several: &[LayerCoverage]) -> anyhow::Result<()> {
    for l in several {
        outln!(
            "{}: {} sentence(s) without a counterpart in one source but linked in another (from \
             the other source, not additions){}; {} source sentence(s) carried over through \
             another source (not omissions){}; added in no source: {}",
            l.name(),
            l.from_other_source.len(),
            list(&ids(&l.from_other_source)),
            l.carried_over.len(),
            list(&ids(&l.carried_over)),
            l.added.len()
        );
    }
    Ok(())
}

/// `: a b c` for a non-empty list.
fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        String::new()
    } else {
        format!(": {}", ids.join(" "))
    }
}

/// The progress table: one row per edge, then the overall count.
fn print_table(path: &Path, edges: &[review::EdgeStatus], overall: f64) -> anyhow::Result<()> {
    outln!("{}", path.display());
    outln!(
        "{:<12} {:>6} {:>10} {:>10} {:>9} {:>10} {:>6} {:>9}",
        "edge",
        "links",
        "confirmed",
        "automatic",
        "doubtful",
        "unaligned",
        "gaps",
        "reviewed"
    );
    for e in edges {
        outln!(
            "{:<12} {:>6} {:>10} {:>10} {:>9} {:>10} {:>6} {:>8.0}%",
            format!("{} → {}", e.source, e.derived),
            e.confirmed + e.automatic,
            e.confirmed,
            e.automatic,
            e.doubtful,
            format!(
                "{} ({})",
                e.unaligned_confirmed + e.unaligned_automatic,
                e.unaligned_confirmed
            ),
            e.source_gap + e.derived_gap,
            e.progress()
        );
    }
    let done: usize = edges
        .iter()
        .map(|e| e.confirmed + e.unaligned_confirmed)
        .sum();
    let total: usize = edges
        .iter()
        .map(|e| e.confirmed + e.automatic + e.unaligned_confirmed + e.unaligned_automatic)
        .sum();
    outln!(
        "overall: {done} of {total} links and unaligned sentences reviewed ({overall:.0}%); doubtful = automatic links, omissions and additions with cert < {}",
        review::DOUBTFUL_BELOW
    );
    // Which gaps the column counts, where there are any (as `coverage` names them).
    let (sg, dg): (usize, usize) = edges
        .iter()
        .fold((0, 0), |(a, b), e| (a + e.source_gap, b + e.derived_gap));
    if sg + dg > 0 {
        outln!(
            "gaps = unaligned sentences past a gap of a witness (in unaligned; never doubtful): {sg} source-gap, {dg} derived-gap"
        );
    }
    Ok(())
}

/// The confirmed items whose sentences were edited since, with their texts now.
fn print_text_changed(
    work: &Work,
    changed: &[tei_align::provenance::digest::TextChanged],
) -> anyhow::Result<()> {
    let idx = review::SentenceIndex::new(work);
    for c in changed {
        outln!("\n{}", c.line());
        for id in &c.sentences {
            let mark = if c.changed.contains(id) { "*" } else { " " };
            outln!("{mark} {id}: {}", idx.text(id).unwrap_or(""));
        }
    }
    Ok(())
}

/// The doubtful items (automatic links, omissions and additions with cert below
/// [`review::DOUBTFUL_BELOW`]) with their texts.
fn print_doubtful(
    work: &Work,
    al: &WorkAlignment,
    several: &[LayerCoverage],
) -> anyhow::Result<()> {
    let idx = review::SentenceIndex::new(work);
    let text = |ids: &[String]| {
        ids.iter()
            .filter_map(|id| idx.text(id))
            .collect::<Vec<_>>()
            .join(" ")
    };
    for e in &al.edges {
        for l in e.links.iter().filter(|l| {
            l.status == tei_align::model::LinkStatus::Automatic && l.cert < review::DOUBTFUL_BELOW
        }) {
            outln!(
                "\n{} ({}, cert {}): {} ↔ {}\n  {}\n  {}",
                l.id,
                l.kind(),
                l.cert,
                l.source.join(" "),
                l.derived.join(" "),
                text(&l.source),
                text(&l.derived)
            );
        }
        // An omission or addition the aligner is unsure of, as `coverage` lists it.
        for u in e.unaligned.iter().filter(|u| review::doubtful_unaligned(u)) {
            // Whether another source of the derived layer accounts for it.
            let der = al
                .relations
                .iter()
                .find(|r| r.id == e.relation)
                .map(|r| r.derived.as_str());
            let other = |pick: fn(&LayerCoverage) -> &[LayerNote]| {
                several
                    .iter()
                    .filter(|l| Some(l.layer.as_str()) == der)
                    .any(|l| pick(l).iter().any(|n| n.id == u.sentence))
            };
            let kind = match u.kind {
                tei_align::model::UnalignedKind::DerivedOnly if other(|l| &l.from_other_source) => {
                    "0-1, from the other source, not added"
                }
                tei_align::model::UnalignedKind::DerivedOnly => "0-1, added",
                _ if other(|l| &l.carried_over) => {
                    "1-0, carried over through another source, not omitted"
                }
                _ => "1-0, omitted",
            };
            outln!(
                "\n{} ({kind}, cert {}): {}\n  {}",
                u.id,
                u.cert,
                u.sentence,
                text(std::slice::from_ref(&u.sentence))
            );
        }
    }
    Ok(())
}
