//! The static HTML view of an edition: one self-contained page (inline CSS and JS, no network).
//!
//! Each layer is shown in its own structure (divisions, headings, paragraphs, opener and
//! closer, lists, notes; see [`super::text`]), the layers side by side in derivation order. The
//! text is cut into *row groups*: the smallest runs of blocks such that every segment lies in
//! one group, so a paragraph never straddles two groups and the counterparts of a sentence are
//! always beside it. Above the text: a witness panel per layer (from its teiHeader), a table of
//! contents, search, downloads and a legend; beside it a panel with the chosen segment's
//! provenance, permalink and citation.

use super::files::Extra;
use super::text::{Leaf, Renderer, SentenceLook};
use super::witness::{Prose, Witness, witness};
use super::{EditionError, EditionOptions, SentenceMarks, escape, sentence_marks};
use crate::coverage::{self, EdgeState, agent_name};
use crate::model::{Layer, LinkStatus, UnalignedKind, Work, WorkAlignment};
use crate::provenance::graph::ordered_layers;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// One step of a provenance chain as the page's script shows it.
#[derive(Debug, Clone, Serialize)]
struct Step {
    from: String,
    to: String,
    how: String,
    by: String,
    what: String,
    /// The machine's confidence; absent once a person confirmed the step.
    #[serde(skip_serializing_if = "Option::is_none")]
    cert: Option<f64>,
    status: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    doubtful: bool,
}

/// What the page's script knows of a segment: its members per layer and its chain.
#[derive(Debug, Clone, Serialize)]
struct SegInfo {
    m: Vec<(String, Vec<String>)>,
    c: Vec<Step>,
}

/// What the script needs for citations.
#[derive(Debug, Clone, Serialize)]
struct Meta {
    title: String,
    version: String,
    date: Option<String>,
    layers: BTreeMap<String, (String, String)>,
}

/// A row: a segment, or a sentence no segment holds; sentence ids per layer.
struct Row {
    id: String,
    real: bool,
    members: BTreeMap<String, Vec<String>>,
    chain: Vec<String>,
}

/// JSON safe inside `<script>`: no `<`, `>` or `&` can end the element or start a comment.
fn script_json<T: Serialize>(v: &T) -> Result<String, EditionError> {
    let s = serde_json::to_string(v).map_err(|e| EditionError::Write(e.to_string()))?;
    Ok(s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026"))
}

fn bare(id: &str) -> &str {
    id.rsplit('#').next().unwrap_or(id)
}

fn lang_attr(p: &Prose) -> String {
    format!(" lang=\"{}\"", escape(&p.lang))
}

/// The HTML view of a work: one self-contained page. It links the download files that
/// [`super::write_edition`] writes beside it.
pub fn to_html(
    work: &Work,
    alignment: &WorkAlignment,
    opts: &EditionOptions,
) -> Result<String, EditionError> {
    let extras = super::files::extras(work, alignment);
    page(work, alignment, opts, &extras)
}

/// The rows in order: segments first, then each sentence no segment holds placed after the row
/// of the sentence before it in its layer.
fn rows(order: &[&Layer], alignment: &WorkAlignment) -> Vec<Row> {
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
fn looks(
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
                if m.source_gap {
                    add("source-gap", "the source witness has a gap here".into());
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
                if m.verified {
                    add("verified", "confirmed by an editor".into());
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
fn steps(work: &Work, alignment: &WorkAlignment, opts: &EditionOptions) -> Steps {
    let name = |id: &str| agent_name(work, alignment, id);
    let mut out = HashMap::new();
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
            LinkStatus::Verified { who, when } => {
                (format!("confirmed by {} on {when}", name(who)), true)
            }
        };
        let step = |what: String, cert: f64, st: &LinkStatus, doubtful: bool| {
            let (status, verified) = status_of(st);
            Step {
                from: rel.source.clone(),
                to: rel.derived.clone(),
                how: how.clone(),
                by: by.clone(),
                what,
                cert: (!verified).then_some((cert * 100.0).round() / 100.0),
                status,
                doubtful: doubtful && !verified,
            }
        };
        for l in &edge.links {
            let s = step(
                format!(
                    "link {} ({}{})",
                    l.id,
                    l.kind(),
                    if l.partial { ", partial" } else { "" }
                ),
                l.cert,
                &l.status,
                l.cert < opts.coverage.doubt_below,
            );
            out.insert(
                l.id.clone(),
                (rel.source.clone(), rel.derived.clone(), None, s),
            );
        }
        for u in &edge.unaligned {
            let what = match u.kind {
                UnalignedKind::SourceOnly => format!("{} omits it", rel.derived),
                UnalignedKind::DerivedOnly => format!("added in {}", rel.derived),
                UnalignedKind::SourceGap => {
                    format!("the source witness {} has a gap here", rel.source)
                }
            };
            let s = step(
                format!("no counterpart: {what} ({})", u.id),
                u.cert,
                &u.status,
                false,
            );
            out.insert(
                u.id.clone(),
                (rel.source.clone(), rel.derived.clone(), Some(u.kind), s),
            );
        }
    }
    out
}

type UnalignedKindOr = Option<UnalignedKind>;
type Steps = HashMap<String, (String, String, UnalignedKindOr, Step)>;

/// Why a layer has nothing in a row group, from the chains of its rows (in English).
fn empty_cell(lid: &str, rows: &[&Row], steps: &Steps) -> String {
    let mut why: Vec<(&str, String)> = Vec::new();
    for row in rows {
        for c in &row.chain {
            let Some((src, der, Some(kind), _)) = steps.get(bare(c)) else {
                continue;
            };
            let w = match kind {
                UnalignedKind::SourceOnly if der == lid => {
                    ("m-omitted", format!("omitted in {lid}"))
                }
                UnalignedKind::SourceGap if src == lid => {
                    ("m-gap", "not in this witness: it has a gap here".to_owned())
                }
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
fn group_leaves(
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
fn cell_html(leaves: &[&Leaf]) -> String {
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

/// The work's title: what the layers' titles share before a colon or dash ("Letter to …, August
/// 1968: Czech translation" and "…: the Russian original"), else the first layer's title, else
/// the work id.
pub(crate) fn work_title(order: &[&Layer], wits: &BTreeMap<String, Witness>) -> Prose {
    let titles: Vec<&Prose> = order
        .iter()
        .filter_map(|l| wits.get(&l.id).and_then(|w| w.title.as_ref()))
        .collect();
    // The longest title prefix that two layers share, cut before a colon, dash or bracket.
    let mut best: Option<&str> = None;
    for (i, a) in titles.iter().enumerate() {
        for b in &titles[i + 1..] {
            let n = a
                .text
                .char_indices()
                .zip(b.text.chars())
                .find(|((_, x), y)| x != y)
                .map_or(a.text.len().min(b.text.len()), |((k, _), _)| k);
            let prefix = &a.text[..n];
            let Some(cut) = prefix.rfind([':', '—', '(']) else {
                continue;
            };
            let t = prefix[..cut].trim_end_matches([' ', ',', '-', '–']).trim();
            if t.chars().count() >= 8 && best.is_none_or(|x| t.len() > x.len()) {
                best = Some(t);
            }
        }
    }
    if let Some(t) = best {
        return Prose {
            text: t.to_owned(),
            lang: titles[0].lang.clone(),
        };
    }
    titles.first().map(|t| (*t).clone()).unwrap_or(Prose {
        text: order.first().map(|l| l.id.clone()).unwrap_or_default(),
        lang: "en".into(),
    })
}

/// The latest dated change of the alignment: the date the edition stands at.
fn edition_date(alignment: &WorkAlignment) -> Option<String> {
    alignment
        .changes
        .iter()
        .map(|c| c.when.get(..10).unwrap_or(&c.when).to_owned())
        .filter(|w| super::is_w3c_date(w))
        .max()
}

/// How a layer was made, in words: "translation from cs by Mark Kramer (1992)" (the library's
/// wording, [`Layer::describe_derivation`], and the date).
fn made(l: &Layer) -> String {
    if l.derivations.is_empty() {
        let who: Vec<String> = l.agents.iter().map(|a| a.name.clone()).collect();
        return if who.is_empty() {
            "original".into()
        } else {
            format!("original ({})", who.join(", "))
        };
    }
    l.derivations
        .iter()
        .map(|d| {
            let mut s = l.describe_derivation(d);
            if let Some(w) = &d.when {
                let _ = write!(s, " ({w})");
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why a layer has no text, in a few words, from its gaps.
fn why_no_text(l: &Layer) -> String {
    let reasons: Vec<String> = l
        .gaps
        .iter()
        .map(|g| g.reason.replace(['-', '_'], " "))
        .collect();
    if reasons.is_empty() {
        "no text".into()
    } else {
        format!("no text: {}", reasons.join(", "))
    }
}

/// Everything about the page that is the same in every part.
struct Ctx<'a> {
    work: &'a Work,
    alignment: &'a WorkAlignment,
    order: Vec<&'a Layer>,
    wits: BTreeMap<String, Witness>,
    title: Prose,
}

/// The page, with `extras` the download files written beside it.
pub(crate) fn page(
    work: &Work,
    alignment: &WorkAlignment,
    opts: &EditionOptions,
    extras: &[Extra],
) -> Result<String, EditionError> {
    let order = ordered_layers(work, &alignment.relations);
    let without_text: HashSet<&str> = work
        .layers
        .iter()
        .filter(|l| !l.has_text())
        .map(|l| l.id.as_str())
        .collect();
    let marks = sentence_marks(alignment, opts, &without_text);
    let rows = rows(&order, alignment);
    let looks = looks(&rows, &order, &marks);
    let mut leaves: BTreeMap<String, Vec<Leaf>> = BTreeMap::new();
    for l in order.iter().filter(|l| l.has_text()) {
        let mut r = Renderer::new(&l.id, &looks);
        let ls = match r.leaves_from_file(l) {
            Some(ls) => ls,
            None => Renderer::new(&l.id, &looks).leaves_from_model(l),
        };
        leaves.insert(l.id.clone(), ls);
    }
    let (group_of, n_groups, group_of_row) = group_leaves(&leaves, &rows);
    let steps = steps(work, alignment, opts);
    let mut rows_of_group: Vec<Vec<&Row>> = vec![Vec::new(); n_groups];
    for (r, g) in rows.iter().zip(&group_of_row) {
        rows_of_group[*g].push(r);
    }
    let wits: BTreeMap<String, Witness> =
        order.iter().map(|l| (l.id.clone(), witness(l))).collect();
    let title = work_title(&order, &wits);
    let ctx = Ctx {
        work,
        alignment,
        order,
        wits,
        title,
    };

    let mut o = String::new();
    head(&mut o, &ctx);
    header(&mut o, &ctx, &leaves, extras);
    about(&mut o, &ctx, opts)?;
    o.push_str(
        "<main id=\"text\" aria-labelledby=\"text-h\">\n<h2 id=\"text-h\" class=\"vh\">Text</h2>\n",
    );
    colheads(&mut o, &ctx);
    groups_html(&mut o, &ctx, &leaves, &group_of, &rows_of_group, &steps);
    o.push_str("</main>\n");
    o.push_str("<aside id=\"panel\" aria-live=\"polite\" aria-label=\"Chosen segment\"><p class=\"hint\">Choose a sentence (click, tap, or Enter): its counterparts in every layer are highlighted and its provenance, permalink and citation are shown here.</p></aside>\n");
    scripts(&mut o, &ctx, &rows, &steps)?;
    Ok(o)
}

/// The row groups: one cell per layer each.
fn groups_html(
    o: &mut String,
    ctx: &Ctx,
    leaves: &BTreeMap<String, Vec<Leaf>>,
    group_of: &BTreeMap<String, Vec<usize>>,
    rows_of_group: &[Vec<&Row>],
    steps: &Steps,
) {
    // Each layer's leaves by group, once (a long work has tens of thousands of groups).
    let mut buckets: BTreeMap<&str, Vec<Vec<&Leaf>>> = BTreeMap::new();
    for (lid, ls) in leaves {
        let mut b: Vec<Vec<&Leaf>> = vec![Vec::new(); rows_of_group.len()];
        for (l, g) in ls.iter().zip(&group_of[lid]) {
            if let Some(v) = b.get_mut(*g) {
                v.push(l);
            }
        }
        buckets.insert(lid, b);
    }
    for (g, rows) in rows_of_group.iter().enumerate() {
        let _ = write!(o, "<div class=\"grp\" id=\"g{g}\">");
        for l in &ctx.order {
            let lid = l.id.as_str();
            let Some(mine) = buckets.get(lid).and_then(|b| b.get(g)) else {
                let _ = write!(
                    o,
                    "<div class=\"cell notext\" data-layer=\"{}\"></div>",
                    escape(lid)
                );
                continue;
            };
            let body = if mine.is_empty() {
                empty_cell(lid, rows, steps)
            } else {
                cell_html(mine)
            };
            let _ = write!(
                o,
                "<div class=\"cell\" data-layer=\"{id}\" data-label=\"{id} · {name}\" lang=\"{lang}\">{body}</div>",
                id = escape(lid),
                name = escape(&ctx.wits[lid].lang_name),
                lang = escape(&l.lang)
            );
        }
        o.push_str("</div>\n");
    }
}

fn head(o: &mut String, ctx: &Ctx) {
    let langs: Vec<&str> = ctx
        .order
        .iter()
        .map(|l| ctx.wits[&l.id].lang_name.as_str())
        .collect();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"tei-align {}\">\n<title>{} — parallel edition ({})</title>\n<style>{}</style>\n\
         <style id=\"hide\"></style>\n</head>\n<body>\n<a class=\"skip\" href=\"#text\">Skip to the text</a>\n",
        crate::VERSION,
        escape(&ctx.title.text),
        escape(&langs.join(", ")),
        CSS
    );
}

/// The page header: title, search, table of contents, witnesses, downloads.
fn header(o: &mut String, ctx: &Ctx, leaves: &BTreeMap<String, Vec<Leaf>>, extras: &[Extra]) {
    let _ = writeln!(
        o,
        "<header class=\"top\">\n<h1{}>{}</h1>\n<p class=\"sub\">Parallel edition of {} layers: {}. Work <code>{}</code>.</p>",
        lang_attr(&ctx.title),
        escape(&ctx.title.text),
        ctx.order.len(),
        escape(
            &ctx.order
                .iter()
                .map(|l| format!("{} ({})", ctx.wits[&l.id].lang_name, l.id))
                .collect::<Vec<_>>()
                .join(" → ")
        ),
        escape(&ctx.work.id)
    );
    o.push_str(
        "<form class=\"search\" role=\"search\" onsubmit=\"return false\"><label for=\"q\">Search all layers</label> \
         <input id=\"q\" type=\"search\" autocomplete=\"off\" aria-describedby=\"q-status\" aria-controls=\"hits\"> \
         <span id=\"q-status\" role=\"status\"></span><ol id=\"hits\"></ol></form>\n",
    );
    o.push_str("<nav class=\"jump\" aria-label=\"Parts of the page\"><a href=\"#witnesses\">Witnesses</a> · ");
    let primary = ctx.order.iter().find(|l| {
        leaves
            .get(&l.id)
            .is_some_and(|ls| ls.iter().any(|x| x.heading.is_some()))
    });
    if primary.is_some() {
        o.push_str("<a href=\"#toc\">Contents</a> · ");
    }
    o.push_str("<a href=\"#downloads\">Downloads</a> · <a href=\"#about\">About the alignment</a> · <a href=\"#text\">Text</a></nav>\n</header>\n");
    witnesses(o, ctx);
    if let Some(l) = primary {
        toc(o, l, &leaves[&l.id]);
    }
    downloads(o, extras);
}

fn toc(o: &mut String, l: &Layer, leaves: &[Leaf]) {
    let _ = write!(
        o,
        "<nav id=\"toc\" aria-label=\"Contents\"><details><summary>Contents <span class=\"small\">(headings of the {} layer)</span></summary><ol class=\"toc\" lang=\"{}\">",
        escape(&l.id),
        escape(&l.lang)
    );
    for h in leaves.iter().filter_map(|x| x.heading.as_ref()) {
        let _ = write!(
            o,
            "<li class=\"d{}\"><a href=\"#{}\">{}</a></li>",
            h.depth.min(4),
            escape(&h.anchor),
            escape(&h.text)
        );
    }
    o.push_str("</ol></details></nav>\n");
}

fn downloads(o: &mut String, extras: &[Extra]) {
    o.push_str("<section id=\"downloads\" aria-label=\"Downloads\"><details><summary>Downloads: the TEI layers, the alignment, edition.xml, TMX, cesAlign</summary><ul class=\"dl\">");
    let _ = write!(
        o,
        "<li><a href=\"{}\">edition.xml</a> — the whole edition as one TEI document (every layer, the witnesses, the alignment as standOff)</li>",
        super::TEI_FILE
    );
    for x in extras {
        let _ = write!(
            o,
            "<li><a href=\"{p}\">{p}</a> — {}</li>",
            escape(&x.label),
            p = escape(&x.path)
        );
    }
    o.push_str("</ul></details></section>\n");
}

fn witnesses(o: &mut String, ctx: &Ctx) {
    o.push_str("<section id=\"witnesses\" aria-labelledby=\"wit-h\"><h2 id=\"wit-h\">Witnesses</h2><div class=\"wits\">\n");
    for l in &ctx.order {
        let w = &ctx.wits[&l.id];
        let id = escape(&l.id);
        let _ = write!(
            o,
            "<article class=\"wit{}\" id=\"wit-{id}\" aria-labelledby=\"wit-{id}-h\"><h3 id=\"wit-{id}-h\"><span class=\"code\">{id}</span> {}</h3>",
            if l.has_text() { "" } else { " notext" },
            escape(&w.lang_name)
        );
        let _ = write!(
            o,
            "<label class=\"show\"><input type=\"checkbox\" checked data-toggle=\"{id}\"> show this witness</label><dl>"
        );
        if let Some(t) = &w.title {
            let _ = write!(
                o,
                "<dt>Title</dt><dd{}>{}</dd>",
                lang_attr(t),
                escape(&t.text)
            );
        }
        for (role, who) in &w.resp {
            let _ = write!(
                o,
                "<dt>{}</dt><dd{}>{}</dd>",
                escape(&upper_first(role)),
                lang_attr(who),
                escape(&who.text)
            );
        }
        let _ = write!(o, "<dt>Made</dt><dd>{}</dd>", escape(&made(l)));
        let _ = write!(
            o,
            "<dt>Text</dt><dd>{}</dd></dl>",
            if l.has_text() {
                format!("{} sentences", l.sentences.len())
            } else {
                escape(&why_no_text(l))
            }
        );
        o.push_str("<details><summary>Sources, repository, gaps</summary><dl>");
        for s in &w.sources {
            let _ = write!(
                o,
                "<dt>Source</dt><dd{}>{}</dd>",
                lang_attr(s),
                escape(&s.text)
            );
        }
        if let Some(r) = &w.repository {
            let _ = write!(
                o,
                "<dt>Repository</dt><dd{}>{}</dd>",
                lang_attr(r),
                escape(&r.text)
            );
        }
        for u in &w.links {
            let _ = write!(
                o,
                "<dt>Link</dt><dd><a href=\"{u}\">{u}</a></dd>",
                u = escape(u)
            );
        }
        if let Some(c) = &w.creation {
            let _ = write!(
                o,
                "<dt>Creation</dt><dd{}>{}</dd>",
                lang_attr(c),
                escape(&c.text)
            );
        }
        for g in &l.gaps {
            let mut t = format!(
                "{} (after sentence {})",
                g.reason.replace(['-', '_'], " "),
                g.after
            );
            if let Some(d) = &g.desc {
                let _ = write!(t, ": {d}");
            }
            let _ = write!(o, "<dt>Gap</dt><dd>{}</dd>", escape(&t));
        }
        o.push_str("</dl></details></article>\n");
    }
    o.push_str("</div></section>\n");
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The derivation graph, the coverage of each edge, and the legend.
fn about(o: &mut String, ctx: &Ctx, opts: &EditionOptions) -> Result<(), EditionError> {
    let report = coverage::report(ctx.work, ctx.alignment, &opts.coverage)?;
    let name = |id: &str| agent_name(ctx.work, ctx.alignment, id);
    o.push_str("<section id=\"about\" aria-label=\"About the alignment\"><details><summary>About the alignment: derivation, coverage, legend</summary><p class=\"graph\"><b>Derivation:</b> ");
    let rels = coverage::relations_in_order(ctx.work, ctx.alignment);
    if rels.is_empty() {
        o.push_str("no derivation graph recorded");
    }
    for (i, r) in rels.iter().enumerate() {
        let by: Vec<String> = r.resp.iter().map(|x| name(x)).collect();
        let _ = write!(
            o,
            "{}{} → {} ({}{}{})",
            if i > 0 { "; " } else { "" },
            escape(&r.source),
            escape(&r.derived),
            escape(r.kind.as_str()),
            if by.is_empty() {
                String::new()
            } else {
                format!(", {}", escape(&by.join(", ")))
            },
            r.when
                .as_deref()
                .map(|w| format!(", {}", escape(w)))
                .unwrap_or_default()
        );
    }
    o.push_str("</p>\n<table class=\"cov\"><caption>Coverage of each derivation edge</caption><tr><th scope=\"col\">edge</th><th scope=\"col\">coverage of the source</th><th scope=\"col\">marks</th></tr>\n");
    for ec in &report.edges {
        let t = &ec.total;
        let cov = match ec.state {
            EdgeState::NoSourceText => format!("no text: the witness {} has no text", ec.source),
            EdgeState::NoDerivedText => format!("no text: the witness {} has no text", ec.derived),
            EdgeState::Measured => format!(
                "{}/{} sentences ({:.1} %)",
                t.source_sentences_covered,
                t.source_sentences,
                t.coverage_pct.unwrap_or(0.0)
            ),
        };
        let mut m = Vec::new();
        for (n, what) in [
            (t.omitted, "omitted"),
            (t.added, "added"),
            (t.source_gap, "past a gap in the source"),
            (t.merged_or_split, "merged/split"),
            (t.doubtful, "doubtful"),
        ] {
            if n > 0 && !(ec.state == EdgeState::NoSourceText && what.starts_with("past")) {
                m.push(format!("{n} {what}"));
            }
        }
        let _ = writeln!(
            o,
            "<tr><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            escape(&ec.source),
            escape(&ec.derived),
            escape(&cov),
            escape(&m.join(", "))
        );
    }
    o.push_str("</table></details></section>\n");
    let _ = write!(
        o,
        "<div class=\"legend\" role=\"group\" aria-labelledby=\"legend-h\"><h2 id=\"legend-h\">Legend</h2><ul>\
         <li><span class=\"s hl\">highlighted</span> counterparts of the chosen sentence</li>\
         <li><span class=\"s omitted\">marked red on the left</span> omitted in a derived layer</li>\
         <li><span class=\"s added\">green</span> added: no counterpart in the source</li>\
         <li><span class=\"s source-gap\">dashed</span> the source witness has a gap here</li>\
         <li><span class=\"s doubtful\">wavy, with ?</span> doubtful link (the aligner's confidence is below {})</li>\
         <li><span class=\"s partial\">dashed underline</span> partial: one side covers clearly less than the other</li><li><span class=\"s nm\">n:m</span> merged or split</li>\
         <li><span class=\"s verified\">✓</span> confirmed by an editor (the panel says who and when)</li>\
         <li><span class=\"nref demo\">1</span> a note, apparatus entry or editorial choice: press it to read it</li>\
         <li><span class=\"nref demo\">[…]</span> a gap in the witness</li></ul></div>",
        opts.coverage.doubt_below
    );
    o.push('\n');
    Ok(())
}

/// The sticky column heads: one per layer, with its title and credits; a layer without text is
/// a narrow band that says why.
fn colheads(o: &mut String, ctx: &Ctx) {
    let cols: Vec<&str> = ctx
        .order
        .iter()
        .map(|l| {
            if l.has_text() {
                "minmax(0,1fr)"
            } else {
                "2.6rem"
            }
        })
        .collect();
    let _ = write!(
        o,
        "<div class=\"ed\" id=\"edition\" style=\"--gcols:{}\"><div class=\"colheads\">",
        cols.join(" ")
    );
    for l in &ctx.order {
        let w = &ctx.wits[&l.id];
        let id = escape(&l.id);
        if !l.has_text() {
            let _ = write!(
                o,
                "<div class=\"colhead notext\" data-layer=\"{id}\"><a href=\"#wit-{id}\" class=\"band\" title=\"{} ({id}): {}\"><span class=\"code\">{id}</span> {}</a></div>",
                escape(&w.lang_name),
                escape(&why_no_text(l)),
                escape(&why_no_text(l))
            );
            continue;
        }
        let _ = write!(
            o,
            "<div class=\"colhead\" data-layer=\"{id}\"><span class=\"code\">{id}</span> <span class=\"lname\">{}</span>",
            escape(&w.lang_name)
        );
        if let Some(t) = &w.title {
            let _ = write!(
                o,
                "<span class=\"ttl\"{}>{}</span>",
                lang_attr(t),
                escape(&t.text)
            );
        }
        let _ = write!(
            o,
            "<span class=\"by\">{} · <a href=\"#wit-{id}\">about this witness</a></span></div>",
            escape(&made(l))
        );
    }
    o.push_str("</div>\n");
}

fn scripts(o: &mut String, ctx: &Ctx, rows: &[Row], steps: &Steps) -> Result<(), EditionError> {
    o.push_str("</div>\n"); // closes div.ed
    let mut info: BTreeMap<&str, SegInfo> = BTreeMap::new();
    for row in rows {
        info.insert(
            &row.id,
            SegInfo {
                m: ctx
                    .order
                    .iter()
                    .map(|l| {
                        (
                            l.id.clone(),
                            row.members.get(&l.id).cloned().unwrap_or_default(),
                        )
                    })
                    .collect(),
                c: row
                    .chain
                    .iter()
                    .filter_map(|c| steps.get(bare(c)).map(|s| s.3.clone()))
                    .collect(),
            },
        );
    }
    let meta = Meta {
        title: ctx.title.text.clone(),
        version: crate::VERSION.to_owned(),
        date: edition_date(ctx.alignment),
        layers: ctx
            .order
            .iter()
            .map(|l| {
                let w = &ctx.wits[&l.id];
                let t = w.title.as_ref().map(|t| t.text.clone()).unwrap_or_default();
                (l.id.clone(), (t, w.lang_name.clone()))
            })
            .collect(),
    };
    let _ = writeln!(
        o,
        "<script type=\"application/json\" id=\"meta\">{}</script>\n<script type=\"application/json\" id=\"segdata\">{}</script>",
        script_json(&meta)?,
        script_json(&info)?
    );
    let _ = writeln!(o, "<script>{JS}</script>\n</body>\n</html>");
    Ok(())
}
