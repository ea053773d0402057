//! Verse: sentences that run over lines.
//!
//! Two or more sibling `<l>` (in an `<lg>`, an `<sp>`, a `<div>` …, with only white space,
//! comments and page or line breaks between them) are one stretch of text for the splitter,
//! the lines joined by a space. A sentence that runs over a line end is cut at it into parts,
//! one inside each line (`<l>` may not stand in `<s>`, and an `<s>` may not cross `</l>`):
//! `<l><s xml:id="en.s4" part="I">Whose woods these are</s></l>
//! <l><s xml:id="en.s4.2" part="F">I think I know.</s></l>`. The reader joins the parts into
//! one sentence named by the first part's id ([`crate::tei::reader`]), so the alignment points
//! at `en.s4`. A line that holds structure (a `<stage>`, an existing `<s>`) ends the stretch: it
//! is segmented on its own, as is a lone line.

use super::Inserter;
use super::place::trim;
use crate::tei::dom::Node;
use std::ops::Range;

/// Empty elements that may stand between two lines without ending the verse.
const BETWEEN_LINES: &[&str] = &["pb", "lb", "cb", "milestone", "anchor"];

/// The lines of a stretch of verse: (the `<l>` node, its units, its range in the content).
type Lines = Vec<(usize, Vec<super::Unit>, Range<usize>)>;

impl Inserter<'_, '_> {
    /// How many of `nodes` (siblings, from the first) make one stretch of verse: two or more
    /// lines that can hold `<s>`, with nothing but white space, comments, processing
    /// instructions and [`BETWEEN_LINES`] between them. 0 when they do not start one.
    pub(super) fn verse_len(&self, nodes: &[usize]) -> usize {
        let doc = self.doc;
        let (mut lines, mut end) = (0, 0);
        for (k, &n) in nodes.iter().enumerate() {
            match &doc.nodes[n] {
                Node::Text { raw } if doc.src[raw.clone()].trim().is_empty() => {}
                Node::Other { .. } => {}
                Node::Element(e) => match doc.local(n) {
                    Some("l") if e.end.is_some() && !self.holds_structure(n) => {
                        lines += 1;
                        end = k + 1;
                    }
                    Some(l) if BETWEEN_LINES.contains(&l) && doc.children(n).is_empty() => {}
                    _ => break,
                },
                _ => break,
            }
        }
        if lines >= 2 { end } else { 0 }
    }

    /// Segment a stretch of verse (`nodes` as measured by [`Self::verse_len`]).
    pub(super) fn verse(&mut self, nodes: &[usize]) {
        let doc = self.doc;
        let mut content = String::new();
        let mut lines: Lines = Vec::new();
        for &l in nodes.iter().filter(|&&n| doc.local(n) == Some("l")) {
            if !content.is_empty() {
                // The line end, as the splitter sees it: a space.
                content.push(' ');
            }
            let base = content.len();
            let (units, text) = self.build_units(doc.children(l), base);
            content.push_str(&text);
            lines.push((l, units, base..content.len()));
        }
        if content.trim().is_empty() {
            return;
        }
        let mut sents: Vec<Range<usize>> = crate::segment::split(&content, &self.lang)
            .into_iter()
            .filter(|r| content[r.clone()].chars().any(char::is_alphanumeric))
            .collect();
        self.merge_in_lines(&lines, &mut sents);
        let n = sents.len();
        let indexed: Vec<(usize, Range<usize>)> = sents.into_iter().enumerate().collect();
        let mut frags = Vec::new();
        let mut lo = 0;
        for (l, units, range) in &lines {
            // Sentences and lines are both in order: the sentences of a line are a window that
            // only moves forward, so a long poem stays linear.
            while lo < n && indexed[lo].1.end <= range.start {
                lo += 1;
            }
            let hi = lo
                + indexed[lo..]
                    .iter()
                    .take_while(|(_, r)| r.start < range.end)
                    .count();
            let clipped: Vec<(usize, Range<usize>)> = indexed[lo..hi]
                .iter()
                .filter_map(|(k, r)| {
                    trim(&content, r.start.max(range.start)..r.end.min(range.end)).map(|t| (*k, t))
                })
                .collect();
            let name = self.s_name(*l);
            self.place(units, &content, &clipped, &name, &mut frags);
        }
        self.emit_parts(frags, n);
    }

    /// Sentences that share an element inside a line that cannot hold `<s>` are kept whole,
    /// as in a paragraph (see `place_all`).
    fn merge_in_lines(&mut self, lines: &Lines, sents: &mut Vec<Range<usize>>) {
        for (_, units, range) in lines {
            loop {
                let lo = sents.partition_point(|r| r.end <= range.start);
                let hi = sents.partition_point(|r| r.start < range.end);
                let Some((i, j, node)) = self.find_merge(units, &sents[lo..hi.max(lo)]) else {
                    break;
                };
                let (i, j) = (lo + i, lo + j);
                sents[i].end = sents[j].end;
                sents.drain(i + 1..=j);
                self.warn_kept_whole(node);
            }
        }
    }
}
