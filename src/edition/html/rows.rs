//! The rows of the page: segments and the sentences no segment holds, how each sentence is
//! drawn, the provenance steps the panel shows, and the cells of each row group.

use super::*;

/// One step of a provenance chain as the page's script shows it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Step {
    pub(super) from: String,
    pub(super) to: String,
    pub(super) how: String,
    pub(super) by: String,
    pub(super) what: String,
    /// The machine's confidence as `@cert` has it, to three places and never rounded up to 1
    /// (0.998 shown as 1.00 would claim a certainty no automatic link has); absent once a person
    /// confirmed the step, and for a gap of a witness written without `@cert` (a fact, not a
    /// judgement).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) cert: Option<f64>,
    pub(super) status: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(super) doubtful: bool,
    /// A 0-1 on this edge that another source of the layer accounts for (not for the script).
    #[serde(skip)]
    pub(super) from_other: bool,
}

/// What the page's script knows of a segment: its members per layer and its chain.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SegInfo {
    pub(super) m: Vec<(String, Vec<String>)>,
    pub(super) c: Vec<Step>,
}

/// A row: a segment, or a sentence no segment holds; sentence ids per layer.
pub(super) struct Row {
    pub(super) id: String,
    pub(super) real: bool,
    pub(super) members: BTreeMap<String, Vec<String>>,
    pub(super) chain: Vec<String>,
}

/// The rows in order: segments first, then each sentence no segment holds placed after the row
/// of the sentence before it in its layer.
pub(super) fn rows(order: &[&Layer], alignment: &WorkAlignment) -> Vec<Row> {
    let known: HashSet<&str> = order
        .iter()
        .flat_map(|l| l.sentences.iter().map(|s| s.id.as_str()))
        .collect();
    let mut rows: Vec<Row> = Vec::new();
    let mut row_of: HashMap<String, usize> = HashMap::new();
    for seg in &alignment.segments {
        let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (layer, ids) in &seg.members {
            for id in ids.iter().map(|i| bare(i)) {
                // A sentence in two segments is shown once.
                if known.contains(id) && !row_of.contains_key(id) {
                    row_of.insert(id.to_owned(), rows.len());
                    members
                        .entry(layer.clone())
                        .or_default()
                        .push(id.to_owned());
                }
            }
        }
        if !members.is_empty() {
            rows.push(Row {
                id: seg.id.clone(),
                real: true,
                members,
                chain: seg.chain.clone(),
            });
        }
    }
    let mut orphans: BTreeMap<usize, Vec<Row>> = BTreeMap::new();
    for l in order {
        let mut anchor = 0usize;
        for s in &l.sentences {
            if let Some(&r) = row_of.get(s.id.as_str()) {
                anchor = r + 1;
                continue;
            }
            let mut members = BTreeMap::new();
            members.insert(l.id.clone(), vec![s.id.clone()]);
            orphans.entry(anchor).or_default().push(Row {
                id: format!("unaligned-{}", s.id),
                real: false,
                members,
                chain: vec![],
            });
        }
    }
    let n = rows.len();
    let mut all = Vec::with_capacity(n);
    let mut it = rows.into_iter();
    for i in 0..=n {
        if let Some(extra) = orphans.remove(&i) {
            all.extend(extra);
        }
        if let Some(r) = it.next() {
            all.push(r);
        }
    }
    all
}

/// How each sentence is drawn: marks, tooltip, segment, segment anchor.
pub(super) fn looks(
    rows: &[Row],
    order: &[&Layer],
    marks: &BTreeMap<String, SentenceMarks>,
) -> HashMap<String, SentenceLook> {
    let none = SentenceMarks::default();
    let mut out = HashMap::new();
    for row in rows {
        let mut first = row.real;
        for l in order {
            for id in row.members.get(&l.id).into_iter().flatten() {
                let m = marks.get(id).unwrap_or(&none);
                let mut c = String::new();
                let mut notes: Vec<String> = vec![id.clone()];
                let mut add = |cls: &str, note: String| {
                    c.push(' ');
                    c.push_str(cls);
                    notes.push(note);
                };
                if !m.omitted_in.is_empty() {
                    add("omitted", format!("omitted in {}", m.omitted_in.join(", ")));
                }
                if m.added {
                    add("added", "added: no counterpart in the source".into());
                }
                if !m.from_other_source.is_empty() {
                    add(
                        "other-source",
                        format!(
                            "from the other source, not added: {}",
                            m.from_other_source.join("; ")
                        ),
                    );
                }
                if !m.carried_in.is_empty() {
                    add(
                        "carried",
                        format!("not omitted: carried over into {}", m.carried_in.join("; ")),
                    );
                }
                if m.source_gap {
                    add("source-gap", "the source witness has a gap here".into());
                }
                if !m.derived_gap_in.is_empty() {
                    add(
                        "derived-gap",
                        format!(
                            "not omitted: the witness of {} has a gap here",
                            m.derived_gap_in.join(", ")
                        ),
                    );
                }
                if !m.gap_inside.is_empty() {
                    add("gap-inside", m.gap_inside.join("; "));
                }
                if m.doubtful {
                    add("doubtful", "doubtful link".into());
                }
                if m.partial {
                    add("partial", "partial: one side covers clearly less".into());
                }
                if m.merged_or_split {
                    add("nm", "merged or split".into());
                }
                if !m.text_changed.is_empty() {
                    add(
                        "text-changed",
                        format!(
                            "confirmed on another text: review: {}",
                            m.text_changed.join(", ")
                        ),
                    );
                } else if m.verified {
                    let by: Vec<String> = m
                        .confirmed
                        .iter()
                        .map(|(who, day)| format!("{who} on {day}"))
                        .collect();
                    add("verified", format!("confirmed by {}", by.join(", ")));
                }
                let anchor = first.then(|| row.id.clone());
                first = false;
                out.insert(
                    id.clone(),
                    SentenceLook {
                        class: c,
                        title: notes.join(" · "),
                        seg: row.id.clone(),
                        seg_anchor: anchor,
                    },
                );
            }
        }
    }
    out
}

/// The provenance steps by link or ptr id.
pub(super) fn steps(work: &Work, alignment: &WorkAlignment, opts: &EditionOptions) -> Steps {
    let name = |id: &str| agent_name(work, alignment, id);
    let mut out = HashMap::new();
    let sources = crate::coverage::Sources::new(
        alignment,
        work.layers
            .iter()
            .filter(|l| !l.has_text())
            .map(|l| l.id.clone())
            .collect(),
        opts.coverage.doubt_below,
        HashSet::new(),
    );

    // Confirmed items whose sentences were edited since: their panel says so.
    let changed: HashMap<String, String> = crate::provenance::digest::check_texts(work, alignment)
        .changed
        .into_iter()
        .map(|c| (c.item.clone(), c.what()))
        .collect();
    for edge in &alignment.edges {
        let Some(rel) = alignment.relations.iter().find(|r| r.id == edge.relation) else {
            continue;
        };
        let by = rel
            .resp
            .iter()
            .map(|r| name(r))
            .collect::<Vec<_>>()
            .join(", ");
        let how = match &rel.when {
            Some(w) => format!("{} ({w})", rel.kind.as_str()),
            None => rel.kind.as_str().to_owned(),
        };
        let status_of = |s: &LinkStatus| match s {
            LinkStatus::Automatic => ("automatic".to_owned(), false),
            LinkStatus::Verified { who, when, .. } => {
                (format!("confirmed by {} on {when}", name(who)), true)
            }
        };
        let step = |id: &str, what: String, cert: Option<f64>, st: &LinkStatus, doubtful: bool| {
            let (mut status, verified) = status_of(st);
            if let Some(what) = changed.get(id) {
                status.push_str(&format!(
                    " — confirmed on another text: review ({what} since)"
                ));
            }
            Step {
                from: rel.source.clone(),
                to: rel.derived.clone(),
                how: how.clone(),
                by: by.clone(),
                what,
                cert: cert.filter(|_| !verified).map(shown_cert),
                status,
                doubtful: doubtful && !verified,
                from_other: false,
            }
        };
        for l in &edge.links {
            let s = step(
                &l.id,
                format!(
                    "link {} ({}{})",
                    l.id,
                    l.kind(),
                    if l.partial { ", partial" } else { "" }
                ),
                Some(l.cert),
                &l.status,
                l.cert < opts.coverage.doubt_below,
            );
            out.insert(
                l.id.clone(),
                (rel.source.clone(), rel.derived.clone(), None, s),
            );
        }
        for u in &edge.unaligned {
            let (what, from_other) = unaligned_what(rel, u, &sources);
            let s = step(
                &u.id,
                format!("no counterpart: {what} ({})", u.id),
                // As the alignment file writes it: a gap of a witness held as certain has no
                // @cert, so the page claims none for it either.
                Some(u.cert).filter(|&c| !(u.kind.is_gap() && c == 1.0)),
                &u.status,
                false,
            );
            out.insert(
                u.id.clone(),
                (
                    rel.source.clone(),
                    rel.derived.clone(),
                    Some(u.kind),
                    Step { from_other, ..s },
                ),
            );
        }
    }
    out
}

/// A certainty as the page shows it: to three places, as the aligner writes `@cert`, cut rather
/// than rounded (0.9996 is not 1): the page claims no more than the file. The small allowance
/// keeps 0.68 read back as 0.67999… at 0.68.
fn shown_cert(x: f64) -> f64 {
    (x * 1000.0 + 1e-6).floor() / 1000.0
}

/// What an unaligned ptr of the edge of `rel` says, in words, and whether it is a 0-1 that
/// another source of a layer made from several accounts for.
fn unaligned_what(
    rel: &crate::model::Relation,
    u: &crate::model::Unaligned,
    sources: &crate::coverage::Sources<'_>,
) -> (String, bool) {
    let what = match u.kind {
        UnalignedKind::SourceOnly => {
            match sources.carried(&rel.source, &rel.derived, &u.sentence) {
                Some(c) => format!(
                    "not on this edge, but carried over into {} through {} ({}): not an omission",
                    rel.derived,
                    c.route(),
                    c.evidence()
                ),
                None => format!("{} omits it", rel.derived),
            }
        }
        UnalignedKind::DerivedOnly => {
            let other = sources.elsewhere(&rel.derived, &rel.source, &u.sentence);
            if other.is_empty() {
                format!("added in {}", rel.derived)
            } else {
                let why = if other.matched_in.is_empty() {
                    format!("the witness of {} has a gap here", other.gap_in.join(", "))
                } else {
                    format!("linked in {}", other.matched_in.join(", "))
                };
                let what = format!(
                    "none in {}; {} has it from the other source ({why}): not an addition",
                    rel.source, rel.derived
                );
                return (what, true);
            }
        }
        UnalignedKind::SourceGap => format!("the source witness {} has a gap here", rel.source),
        UnalignedKind::DerivedGap => {
            format!("the derived witness {} has a gap here", rel.derived)
        }
    };
    (what, false)
}

pub(super) type UnalignedKindOr = Option<UnalignedKind>;
pub(super) type Steps = HashMap<String, (String, String, UnalignedKindOr, Step)>;

/// Why a layer has nothing in a row group, from the chains of its rows (in English).
pub(super) fn empty_cell(lid: &str, rows: &[&Row], steps: &Steps) -> String {
    let mut why: Vec<(&str, String)> = Vec::new();
    for row in rows {
        for c in &row.chain {
            let Some((src, der, Some(kind), step)) = steps.get(bare(c)) else {
                continue;
            };
            let w = match kind {
                UnalignedKind::SourceOnly if der == lid => {
                    ("m-omitted", format!("omitted in {lid}"))
                }
                UnalignedKind::SourceGap if src == lid => {
                    ("m-gap", "not in this witness: it has a gap here".to_owned())
                }
                UnalignedKind::DerivedGap if der == lid => {
                    ("m-gap", "not in this witness: it has a gap here".to_owned())
                }
                UnalignedKind::DerivedOnly if src == lid && step.from_other => (
                    "m-none",
                    format!("no counterpart here ({der} has it from another source)"),
                ),
                UnalignedKind::DerivedOnly if src == lid => {
                    ("m-none", format!("no counterpart here (added in {der})"))
                }
                _ => continue,
            };
            if !why.contains(&w) {
                why.push(w);
            }
        }
    }
    why.iter()
        .map(|(c, t)| format!("<p class=\"mark {c}\" lang=\"en\">{}</p>", escape(t)))
        .collect()
}

/// Cut the rows into groups so that no leaf (paragraph …) of any layer straddles two groups:
/// returns, per layer, the group of each leaf, and the number of groups.
pub(super) fn group_leaves(
    leaves: &BTreeMap<String, Vec<Leaf>>,
    rows: &[Row],
) -> (BTreeMap<String, Vec<usize>>, usize, Vec<usize>) {
    let mut row_of: HashMap<&str, usize> = HashMap::new();
    for (r, row) in rows.iter().enumerate() {
        for id in row.members.values().flatten() {
            row_of.insert(id, r);
        }
    }
    let span = |leaf: &Leaf| {
        let rs: Vec<usize> = leaf
            .sentences
            .iter()
            .filter_map(|s| row_of.get(s.as_str()).copied())
            .collect();
        Some((*rs.iter().min()?, *rs.iter().max()?))
    };
    let n = rows.len();
    let mut reach: Vec<usize> = (0..n).collect();
    for ls in leaves.values() {
        for l in ls {
            if let Some((a, b)) = span(l) {
                reach[a] = reach[a].max(b);
            }
        }
    }
    let mut group_of_row = vec![0usize; n];
    let (mut g, mut end) = (0usize, 0usize);
    for r in 0..n {
        end = end.max(reach[r]);
        group_of_row[r] = g;
        if r == end {
            g += 1;
        }
    }
    let groups = g.max(1);
    let mut out = BTreeMap::new();
    for (lid, ls) in leaves {
        let mut gs: Vec<Option<usize>> = ls
            .iter()
            .map(|l| span(l).map(|(a, _)| group_of_row[a]))
            .collect();
        // A leaf with no sentence (a gap, a heading without text) goes with the next leaf that
        // has one, or else with the last.
        let mut next: Option<usize> = None;
        for x in gs.iter_mut().rev() {
            match x {
                Some(v) => next = Some(*v),
                None => *x = next,
            }
        }
        let last = gs.iter().flatten().last().copied().unwrap_or(0);
        out.insert(
            lid.clone(),
            gs.into_iter().map(|x| x.unwrap_or(last)).collect(),
        );
    }
    (out, groups, group_of_row)
}

/// The HTML of one cell: its leaves with their containers opened and closed as needed, and
/// their notes as footnotes for print.
pub(super) fn cell_html(leaves: &[&Leaf]) -> String {
    let mut o = String::new();
    let mut stack: Vec<(usize, &str)> = Vec::new();
    let mut notes: Vec<&str> = Vec::new();
    for leaf in leaves {
        let common = stack
            .iter()
            .zip(&leaf.path)
            .take_while(|(a, b)| a.0 == b.key)
            .count();
        while stack.len() > common {
            if let Some((_, close)) = stack.pop() {
                o.push_str(close);
            }
        }
        for c in &leaf.path[common..] {
            o.push_str(&c.open);
            stack.push((c.key, &c.close));
        }
        o.push_str(&leaf.html);
        notes.extend(leaf.notes.iter().map(String::as_str));
    }
    while let Some((_, close)) = stack.pop() {
        o.push_str(close);
    }
    if !notes.is_empty() {
        o.push_str("<ol class=\"fnotes\">");
        for n in notes {
            o.push_str(n);
        }
        o.push_str("</ol>");
    }
    o
}
