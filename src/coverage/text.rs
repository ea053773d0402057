//! The coverage report as a readable table for the terminal: one row per edge and one for the
//! whole work, then per measured edge the blocks worth a look and the sentences and links named.

use super::{BlockCoverage, Counts, CoverageReport, EdgeCoverage, EdgeState};
use super::{LayerCoverage, LayerNote, LinkNote, SentenceNote};
use std::fmt::Write;

fn pct(p: Option<f64>) -> String {
    match p {
        Some(p) => format!("{p:.1} %"),
        None => "—".to_owned(),
    }
}

fn clip(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out.push('…');
    }
    out
}

/// The report as a readable table for the terminal.
pub fn to_text(report: &CoverageReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Coverage of {} (doubtful: automatic links, omissions and additions with cert < {})",
        report.work, report.doubt_below
    );
    let _ = writeln!(o);
    if report.edges.is_empty() {
        // A table of zeros would read as "nothing covered"; there is simply nothing to compare.
        let _ = writeln!(
            o,
            "no derivation edges: no layer of this work is derived from another, so there is \
             nothing to compare"
        );
        return o;
    }
    // Two more columns where a layer is made from several sources.
    let several: Vec<&LayerCoverage> = report
        .layers
        .iter()
        .filter(|l| l.sources.len() > 1)
        .collect();
    let wide = !several.is_empty();
    let _ = write!(
        o,
        "{:<12} {:>9} {:>9} {:>9} {:>5} {:>7} {:>7} {:>6} {:>10} {:>11} {:>8} {:>8}",
        "edge",
        "sentences",
        "coverage",
        "chars",
        "full",
        "partial",
        "omitted",
        "added",
        "source-gap",
        "derived-gap",
        "n:m",
        "doubtful"
    );
    if wide {
        let _ = write!(o, " {:>8} {:>9}", "carried", "other-src");
    }
    o.push('\n');
    for e in &report.edges {
        edge_row(&mut o, e, wide);
    }
    counts_row(&mut o, "whole work", &report.total, wide);
    for l in &several {
        let _ = writeln!(o);
        layer_summary(&mut o, l);
    }
    for e in report
        .edges
        .iter()
        .filter(|e| e.state == EdgeState::Measured)
    {
        let _ = writeln!(o);
        blocks(&mut o, e);
        sentence_lists(&mut o, e);
        other_source_lists(&mut o, e);
        link_lists(&mut o, e);
    }
    for l in several.iter().filter(|l| l.state == EdgeState::Measured) {
        layer_lists(&mut o, l);
    }
    o
}

/// A layer made from several sources against all of them: the figures `--fail-under`
/// compares for it.
fn layer_summary(o: &mut String, l: &LayerCoverage) {
    let t = &l.total;
    let _ = writeln!(
        o,
        "{} against all its sources ({}): what --fail-under compares for it",
        l.layer,
        l.sources.join(", ")
    );
    if l.state != EdgeState::Measured {
        let _ = writeln!(o, "  no text: nothing to measure");
        return;
    }
    let _ = writeln!(
        o,
        "  sentences of its sources with a counterpart: {}/{} ({}), characters {}: {} on their own \
         edge, {} carried over through another source; omitted {}; derived-gap {}; partial {}",
        t.source_sentences_covered + t.source_sentences_carried,
        t.source_sentences - t.derived_gap,
        pct(t.coverage_pct),
        pct(t.char_coverage_pct),
        t.source_sentences_covered,
        t.source_sentences_carried,
        t.omitted,
        t.derived_gap,
        t.source_sentences_partial
    );
    let _ = writeln!(
        o,
        "  sentences of {}: {}; linked in a source {} (in full {}, partial at best {}, only \
         doubtful {}); from the other source {}; added {}; source-gap {}",
        l.layer,
        t.derived_sentences,
        t.derived_matched,
        t.derived_full,
        t.derived_partial,
        t.derived_doubtful,
        t.from_other_source,
        t.added,
        t.source_gap
    );
}

/// The sentences a layer made from several sources is judged by, named.
fn layer_lists(o: &mut String, l: &LayerCoverage) {
    let _ = writeln!(o);
    let _ = writeln!(o, "{} against all its sources:", l.layer);
    let mut any = false;
    let lists: [(&str, &Vec<LayerNote>); 6] = [
        (
            "from the other source (no counterpart in one source, linked in another: not additions)",
            &l.from_other_source,
        ),
        (
            "carried over (no counterpart on their own edge, linked through another source: not omissions)",
            &l.carried_over,
        ),
        ("added (linked in no source)", &l.added),
        ("omitted (in every path tried)", &l.omitted),
        ("past a gap of a source witness", &l.source_gap),
        (
            "linked, but not in full (partial or doubtful links only)",
            &l.not_in_full,
        ),
    ];
    for (title, list) in lists {
        if list.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(o, "  {title}:");
        for n in list {
            let _ = writeln!(o, "    {:<10} {}", n.id, clip(&n.text, 50));
            let _ = writeln!(o, "               {}", layer_note_why(n));
        }
    }
    if !any {
        let _ = writeln!(
            o,
            "  every sentence linked in full in a source; nothing omitted"
        );
    }
}

/// What the sources say of a sentence, in words.
pub(crate) fn layer_note_why(n: &LayerNote) -> String {
    let mut why = Vec::new();
    if !n.matched_in.is_empty() {
        why.push(format!(
            "linked in {} ({})",
            n.matched_in.join(", "),
            n.links.join(" ")
        ));
    }
    if let Some(by) = &n.matched_by {
        why.push(format!("{by} at best"));
    }
    if !n.unmatched_in.is_empty() {
        why.push(format!("no counterpart in {}", n.unmatched_in.join(", ")));
    }
    if !n.gap_in.is_empty() {
        why.push(format!(
            "the witness of {} has a gap here",
            n.gap_in.join(", ")
        ));
    }
    if let Some(c) = &n.carried {
        why.push(format!(
            "carried over through {}: {} ({})",
            c.route(),
            c.path(&n.id),
            c.evidence()
        ));
    }
    if !n.tried.is_empty() {
        why.push(format!("tried {}", n.tried.join("; ")));
    }
    why.join("; ")
}

/// On an edge into a layer made from several sources: what this edge alone leaves without a
/// counterpart but another source accounts for.
fn other_source_lists(o: &mut String, e: &EdgeCoverage) {
    let lists: [(&str, &Vec<LayerNote>); 2] = [
        (
            "no counterpart here, from the other source (not additions)",
            &e.from_other_source,
        ),
        (
            "no counterpart here, carried over through another source (not omissions)",
            &e.carried_over,
        ),
    ];
    for (title, list) in lists {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(o, "  {title}:");
        for n in list {
            let _ = writeln!(o, "    {:<10} {}", n.id, clip(&n.text, 50));
            let _ = writeln!(o, "               {}", layer_note_why(n));
        }
    }
}

/// An edge's row of the table, or why it has no figures.
fn edge_row(o: &mut String, e: &EdgeCoverage, wide: bool) {
    let name = format!("{} → {}", e.source, e.derived);
    match e.state {
        EdgeState::NoSourceText => {
            let _ = writeln!(
                o,
                "{:<12} no text: the source witness {} has no text ({} sentences of {} cannot be checked)",
                name, e.source, e.total.derived_sentences, e.derived
            );
        }
        EdgeState::NoDerivedText => {
            let _ = writeln!(
                o,
                "{:<12} no text: the derived witness {} has no text",
                name, e.derived
            );
        }
        EdgeState::Measured => counts_row(o, &name, &e.total, wide),
    }
}

/// One row of figures.
fn counts_row(o: &mut String, name: &str, t: &Counts, wide: bool) {
    let _ = write!(
        o,
        "{:<12} {:>9} {:>9} {:>9} {:>5} {:>7} {:>7} {:>6} {:>10} {:>11} {:>8} {:>8}",
        name,
        // Of the source sentences the derived witness holds (as the percentage).
        format!(
            "{}/{}",
            t.source_sentences_covered,
            t.source_sentences - t.derived_gap
        ),
        pct(t.coverage_pct),
        pct(t.char_coverage_pct),
        t.source_sentences_covered - t.source_sentences_partial,
        t.source_sentences_partial,
        t.omitted,
        t.added,
        t.source_gap,
        t.derived_gap,
        t.merged_or_split,
        t.doubtful
    );
    if wide {
        let _ = write!(o, " {:>8} {:>9}", t.carried_over, t.from_other_source);
    }
    o.push('\n');
}

/// The blocks of either side with something to look at; the rest are summed up in one line.
fn blocks(o: &mut String, e: &EdgeCoverage) {
    let notable: Vec<&BlockCoverage> = e
        .source_blocks
        .iter()
        .filter(|b| {
            b.counts.source_sentences_covered < b.counts.source_sentences
                || b.counts.omitted > 0
                || b.counts.partial > 0
                || b.counts.doubtful > 0
        })
        .collect();
    let _ = writeln!(
        o,
        "{} → {} per block of {}: {} of {} blocks complete, in full and without doubt{}",
        e.source,
        e.derived,
        e.source,
        e.source_blocks.len() - notable.len(),
        e.source_blocks.len(),
        if notable.is_empty() {
            ""
        } else {
            "; the others:"
        }
    );
    for b in notable {
        let c = &b.counts;
        let mut extra = String::new();
        if c.omitted > 0 {
            let _ = write!(extra, "  omitted {}", c.omitted);
        }
        if c.derived_gap > 0 {
            let _ = write!(extra, "  derived-gap {}", c.derived_gap);
        }
        if c.partial > 0 {
            let _ = write!(extra, "  partial {}", c.partial);
        }
        if c.doubtful > 0 {
            let _ = write!(extra, "  doubtful {}", c.doubtful);
        }
        let _ = writeln!(
            o,
            "  {:<24} {:>7} {:>9}{}",
            format!("block {} (from {})", b.block, b.first_sentence),
            format!(
                "{}/{}",
                c.source_sentences_covered,
                c.source_sentences - c.derived_gap
            ),
            pct(c.coverage_pct),
            extra
        );
    }
    let marked: Vec<&BlockCoverage> = e
        .derived_blocks
        .iter()
        .filter(|b| b.counts.added > 0 || b.counts.source_gap > 0)
        .collect();
    if !marked.is_empty() {
        let _ = writeln!(
            o,
            "  blocks of {} with sentences lacking a source:",
            e.derived
        );
        for b in marked {
            let _ = writeln!(
                o,
                "  {:<24} added {}  source-gap {}",
                format!("block {} (from {})", b.block, b.first_sentence),
                b.counts.added,
                b.counts.source_gap
            );
        }
    }
}

/// The sentences named: omitted, lost in a derived gap, added, lost in a source gap, not in the
/// alignment.
fn sentence_lists(o: &mut String, e: &EdgeCoverage) {
    let lists: [(&str, &Vec<SentenceNote>); 6] = [
        ("omitted (1-0)", &e.omitted),
        (
            "derived gap (the derived witness is incomplete)",
            &e.derived_gap,
        ),
        ("added (0-1)", &e.added),
        (
            "source gap (the source witness is incomplete)",
            &e.source_gap,
        ),
        ("not in the alignment", &e.unaccounted),
        (
            "not in the alignment (derived layer: run tei-align align)",
            &e.unaccounted_derived,
        ),
    ];
    for (title, list) in lists {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(o, "  {title}:");
        for s in list {
            let _ = writeln!(o, "    {:<10} {}", s.id, clip(&s.text, 60));
        }
    }
}

/// The links named: merges and splits, partial links, doubtful beads; then the confirmations
/// of a text since edited.
fn link_lists(o: &mut String, e: &EdgeCoverage) {
    link_notes(o, e);
    if !e.confirmed_on_another_text.is_empty() {
        let _ = writeln!(o, "  confirmed on another text (edited since; review):");
        for c in &e.confirmed_on_another_text {
            let _ = writeln!(o, "    {}", c.line());
        }
    }
}

fn link_notes(o: &mut String, e: &EdgeCoverage) {
    let lists: [(&str, &Vec<LinkNote>); 3] = [
        ("merged/split", &e.merged_or_split),
        (
            "partial (one side covers clearly less than the other)",
            &e.partial,
        ),
        ("doubtful", &e.doubtful),
    ];
    for (title, list) in lists {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(o, "  {title}:");
        for l in list {
            let _ = writeln!(
                o,
                "    {:<12} {:<4} cert {:.2}  {} ↔ {}",
                l.id,
                l.kind,
                l.cert,
                l.source.join(" "),
                l.derived.join(" ")
            );
        }
    }
}
