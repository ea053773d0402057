//! The static HTML view of an edition: one self-contained page (inline CSS and JS, no network),
//! the layers side by side in derivation order, one table row per N-way segment.

use super::{EditionError, EditionOptions, SentenceMarks, escape, sentence_marks};
use crate::coverage::{self, EdgeState, agent_name};
use crate::model::{Layer, LinkStatus, Sentence, UnalignedKind, Work, WorkAlignment};
use crate::provenance::graph::ordered_layers;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// One step of a provenance chain as the page's script shows it.
#[derive(Debug, Clone, Serialize)]
struct Step {
    id: String,
    from: String,
    to: String,
    how: String,
    by: String,
    what: String,
    cert: f64,
    status: String,
    doubtful: bool,
}

/// What the page's script knows of a segment.
#[derive(Debug, Clone, Serialize)]
struct SegInfo {
    members: Vec<(String, Vec<String>)>,
    chain: Vec<Step>,
}

/// A row of the table: a segment, or a sentence the segments do not hold.
struct Row<'a> {
    id: String,
    members: BTreeMap<&'a str, Vec<&'a Sentence>>,
    chain: Vec<String>,
}

/// Where a chain element sits: (source layer, derived layer, what it says).
#[derive(Clone, Copy, PartialEq)]
enum ChainKind {
    Link,
    Unaligned(UnalignedKind),
}

const CSS: &str = r#"
:root { --hl:#ffe066; --hl-line:#c99700; --line:#d8d8d0; --bg-head:#f6f5ef; }
* { box-sizing:border-box; }
body { margin:0; color:#1d1d1d; background:#fff; line-height:1.5;
  font-family:"DejaVu Serif","Noto Serif","Liberation Serif",Georgia,"Times New Roman",serif; }
header.top { padding:1rem 1.25rem .5rem; }
h1 { font-size:1.45rem; margin:0 0 .3rem; }
.graph, .cov, .legend { font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif; font-size:.85rem; }
.graph { margin:.2rem 0 .6rem; }
table.cov { border-collapse:collapse; margin:.3rem 0 .6rem; }
table.cov td, table.cov th { padding:.1rem .6rem .1rem 0; text-align:left; vertical-align:top; }
table.cov td:first-child { white-space:nowrap; }
.legend { display:flex; flex-wrap:wrap; gap:.35rem .9rem; align-items:center; margin:.3rem 0; }
.legend .s { cursor:default; }
.scroll { overflow-x:auto; }
table.ed { border-collapse:collapse; width:100%; table-layout:fixed; min-width:calc(var(--cols) * 15rem); }
table.ed th, table.ed td { vertical-align:top; padding:.45rem .7rem; border-bottom:1px solid var(--line);
  border-left:1px solid var(--line); text-align:left; }
table.ed th:first-child, table.ed td:first-child { border-left:none; }
table.ed thead th { position:sticky; top:0; background:var(--bg-head); z-index:1; font-weight:normal;
  font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif; font-size:.85rem; }
th .code { font-weight:bold; font-size:1rem; margin-right:.3rem; }
th .by, th .note { display:block; color:#555; }
.s { cursor:pointer; border-radius:3px; padding:0 .12em; }
.s:hover, .s.hover { background:#fff6c8; }
.s.hl { background:var(--hl); box-shadow:0 0 0 2px var(--hl-line); }
.s.cur { background:#ffc933; box-shadow:0 0 0 2px #8a5a00; }
.s:focus-visible { outline:2px solid #1c7ed6; }
tr.active td { background:#fffcea; }
.s.doubtful { text-decoration:underline wavy #d9480f; text-decoration-thickness:1px; text-underline-offset:3px; }
.s.doubtful::after { content:"?"; color:#d9480f; font:bold .75em sans-serif; vertical-align:super; margin-left:.1em; }
.s.added { background:#dff7ec; border-left:3px solid #0ca678; padding-left:.3em; }
.s.source-gap { border-left:3px dashed #868e96; padding-left:.3em; color:#333; }
.s.omitted { border-left:3px solid #e03131; padding-left:.3em; }
.s.nm::before { content:"n:m"; font:bold .65em sans-serif; color:#1864ab; border:1px solid #1864ab;
  border-radius:2px; padding:0 .2em; margin-right:.25em; vertical-align:middle; }
.s.verified::after { content:"✓"; color:#2b8a3e; font:bold .8em sans-serif; margin-left:.15em; }
.s.doubtful.verified::after { content:"✓"; }
.mark { display:inline-block; font:.78rem "DejaVu Sans",Arial,sans-serif; padding:.05em .45em; border-radius:3px; }
.m-omitted { background:#ffe3e3; color:#a61e1e; border:1px solid #e03131; }
.m-gap, .gapnote { background:repeating-linear-gradient(45deg,#f1f3f5 0 6px,#dee2e6 6px 12px); color:#343a40;
  border:1px dashed #868e96; }
.gapnote { display:block; margin:.3rem 0; padding:.1em .45em; font:.78rem "DejaVu Sans",Arial,sans-serif; border-radius:3px; }
.m-none { color:#868e96; border:1px dotted #adb5bd; }
td.no-text { background:repeating-linear-gradient(45deg,#fbfbfb 0 6px,#f1f1f1 6px 12px); }
#panel { position:sticky; bottom:0; background:#fff; border-top:3px solid var(--hl-line); padding:.5rem 1.25rem;
  max-height:42vh; overflow:auto; box-shadow:0 -2px 8px rgba(0,0,0,.12);
  font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif; font-size:.85rem; z-index:2; }
#panel h2 { font-size:.95rem; margin:.1rem 0 .3rem; }
#panel ol { margin:.2rem 0; padding-left:1.3rem; }
#panel .doubt { color:#d9480f; font-weight:bold; }
#panel .ok { color:#2b8a3e; font-weight:bold; }
@media (max-width:700px) {
  table.ed { min-width:0; }
  table.ed, table.ed tbody, table.ed tr, table.ed td { display:block; width:auto; }
  table.ed thead { display:none; }
  table.ed tr { border-bottom:2px solid #bbb; padding:.2rem 0; }
  table.ed td { border-left:none; border-bottom:1px dotted var(--line); }
  table.ed td::before { content:attr(data-label); display:block; color:#666;
    font:bold .72rem "DejaVu Sans",Arial,sans-serif; }
  header.top { padding:.7rem; }
  #panel { max-height:35vh; padding:.4rem .7rem; }
  #panel:not(.open) { display:none; }
  /* A witness without text would add an empty box to every row. */
  table.ed td.no-text:empty { display:none; }
}
@media print {
  #panel, .hint { display:none; }
  .scroll { overflow:visible; }
  table.ed { min-width:0; }
  table.ed thead th { position:static; }
  table.ed tr { break-inside:avoid; page-break-inside:avoid; }
  body { font-size:10pt; }
  * { -webkit-print-color-adjust:exact; print-color-adjust:exact; }
  .s.hl, .s.cur { box-shadow:none; }
}
"#;

const JS: &str = r#"
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('segdata').textContent);
  var panel = document.getElementById('panel');
  function each(sel, f) { Array.prototype.forEach.call(document.querySelectorAll(sel), f); }
  // Index the sentences by segment once, so hovering stays fast on long texts.
  var bySeg = {};
  each('.s[data-seg]', function (e) {
    var k = e.getAttribute('data-seg');
    (bySeg[k] = bySeg[k] || []).push(e);
  });
  function sameSeg(seg) { return bySeg[seg] || []; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function show(seg, sid) {
    var info = data[seg];
    panel.textContent = '';
    panel.appendChild(el('h2', '', 'Segment ' + seg + (sid ? ' \u2014 ' + sid : '')));
    if (!info) return;
    var m = el('p', 'members');
    info.members.forEach(function (pair, i) {
      if (i) m.appendChild(document.createTextNode(' \u00b7 '));
      m.appendChild(el('b', '', pair[0] + ': '));
      m.appendChild(document.createTextNode(pair[1].length ? pair[1].join(' ') : '\u2014'));
    });
    panel.appendChild(m);
    if (!info.chain.length) { panel.appendChild(el('p', '', 'No provenance recorded for this segment.')); return; }
    var ol = el('ol', 'chain');
    info.chain.forEach(function (st) {
      var li = el('li');
      li.appendChild(el('b', '', st.from + ' \u2192 ' + st.to));
      li.appendChild(document.createTextNode(' ' + st.how + (st.by ? ' by ' + st.by : '') + ' \u00b7 ' + st.what +
        ' \u00b7 confidence ' + st.cert.toFixed(2) + ' \u00b7 '));
      li.appendChild(el('span', st.status.indexOf('confirmed') === 0 ? 'ok' : '', st.status));
      if (st.doubtful) li.appendChild(el('span', 'doubt', ' \u00b7 doubtful'));
      li.setAttribute('data-step', st.id);
      ol.appendChild(li);
    });
    panel.appendChild(ol);
  }
  function select(s) {
    each('.s.hl', function (e) { e.classList.remove('hl'); });
    each('.s.cur', function (e) { e.classList.remove('cur'); });
    each('tr.active', function (e) { e.classList.remove('active'); });
    var seg = s.getAttribute('data-seg');
    sameSeg(seg).forEach(function (e) { e.classList.add('hl'); });
    s.classList.add('cur');
    var row = s.closest('tr');
    if (row) row.classList.add('active');
    show(seg, s.id);
    panel.classList.add('open');
    if (window.history && history.replaceState) history.replaceState(null, '', '#' + encodeURIComponent(s.id));
  }
  document.addEventListener('click', function (ev) {
    var s = ev.target.closest ? ev.target.closest('.s[data-seg]') : null;
    if (s) select(s);
  });
  document.addEventListener('keydown', function (ev) {
    var s = ev.target.closest ? ev.target.closest('.s[data-seg]') : null;
    if (s && (ev.key === 'Enter' || ev.key === ' ')) { ev.preventDefault(); select(s); }
  });
  document.addEventListener('mouseover', function (ev) {
    var s = ev.target.closest ? ev.target.closest('.s[data-seg]') : null;
    each('.s.hover', function (e) { e.classList.remove('hover'); });
    if (s) sameSeg(s.getAttribute('data-seg')).forEach(function (e) { e.classList.add('hover'); });
  });
  if (location.hash.length > 1) {
    var first = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (first && first.classList.contains('s')) { select(first); }
  }
})();
"#;

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

/// The HTML view of a work: one self-contained page.
pub fn to_html(
    work: &Work,
    alignment: &WorkAlignment,
    opts: &EditionOptions,
) -> Result<String, EditionError> {
    let order = ordered_layers(work, &alignment.relations);
    let report = coverage::report(work, alignment, &opts.coverage)?;
    let without_text: HashSet<&str> = work
        .layers
        .iter()
        .filter(|l| !l.has_text())
        .map(|l| l.id.as_str())
        .collect();
    let marks = sentence_marks(alignment, opts, &without_text);
    let none = SentenceMarks::default();
    let e = escape;
    let name = |id: &str| agent_name(work, alignment, id);

    // Chain elements: id → (relation, what).
    let mut chain_el: HashMap<&str, (&crate::model::Relation, ChainKind, Step)> = HashMap::new();
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
            LinkStatus::Automatic => "automatic".to_owned(),
            LinkStatus::Verified { who, when } => format!("confirmed by {} ({when})", name(who)),
        };
        for l in &edge.links {
            let verified = matches!(l.status, LinkStatus::Verified { .. });
            let step = Step {
                id: l.id.clone(),
                from: rel.source.clone(),
                to: rel.derived.clone(),
                how: how.clone(),
                by: by.clone(),
                what: format!("link {} ({})", l.id, l.kind()),
                cert: l.cert,
                status: status_of(&l.status),
                doubtful: !verified && l.cert < opts.coverage.doubt_below,
            };
            chain_el.insert(&l.id, (rel, ChainKind::Link, step));
        }
        for u in &edge.unaligned {
            let what = match u.kind {
                UnalignedKind::SourceOnly => format!("{} omits it", rel.derived),
                UnalignedKind::DerivedOnly => format!("added in {}", rel.derived),
                UnalignedKind::SourceGap => {
                    format!("the source witness {} has a gap here", rel.source)
                }
            };
            let step = Step {
                id: u.id.clone(),
                from: rel.source.clone(),
                to: rel.derived.clone(),
                how: how.clone(),
                by: by.clone(),
                what: format!("no counterpart: {what} ({})", u.id),
                cert: u.cert,
                status: status_of(&u.status),
                doubtful: false,
            };
            chain_el.insert(&u.id, (rel, ChainKind::Unaligned(u.kind), step));
        }
    }

    // Sentences by id, and the rows: segments first, then sentences no segment holds, each
    // placed after the row of the sentence before it in its layer.
    let mut by_id: HashMap<&str, (&Layer, &Sentence)> = HashMap::new();
    let mut index_in_layer: HashMap<&str, usize> = HashMap::new();
    for l in &work.layers {
        for (i, s) in l.sentences.iter().enumerate() {
            by_id.insert(&s.id, (l, s));
            index_in_layer.insert(&s.id, i);
        }
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut row_of: HashMap<&str, usize> = HashMap::new();
    for seg in &alignment.segments {
        let mut members: BTreeMap<&str, Vec<&Sentence>> = BTreeMap::new();
        for ids in seg.members.values() {
            for id in ids {
                if let Some((l, s)) = by_id.get(bare(id)) {
                    if row_of.contains_key(s.id.as_str()) {
                        continue; // a sentence in two segments is shown once
                    }
                    row_of.insert(&s.id, rows.len());
                    members.entry(l.id.as_str()).or_default().push(s);
                }
            }
        }
        if members.is_empty() {
            continue;
        }
        rows.push(Row {
            id: seg.id.clone(),
            members,
            chain: seg.chain.clone(),
        });
    }
    let mut orphans: BTreeMap<usize, Vec<Row>> = BTreeMap::new(); // after row index (+1)
    for l in &order {
        let mut anchor = 0usize; // 0 = before the first row; k = after row k-1
        for s in &l.sentences {
            if let Some(&r) = row_of.get(s.id.as_str()) {
                anchor = r + 1;
                continue;
            }
            let mut members = BTreeMap::new();
            members.insert(l.id.as_str(), vec![s]);
            orphans.entry(anchor).or_default().push(Row {
                id: format!("unaligned-{}", s.id),
                members,
                chain: vec![],
            });
        }
    }
    let mut all_rows: Vec<Row> = Vec::new();
    let mut seg_rows = rows.into_iter();
    for i in 0..=seg_rows.len() {
        if let Some(extra) = orphans.remove(&i) {
            all_rows.extend(extra);
        }
        if let Some(r) = seg_rows.next() {
            all_rows.push(r);
        }
    }

    // Gaps: (layer, index of the sentence they follow) → gaps; `None` for before any sentence.
    let mut gaps_after: HashMap<(&str, usize), Vec<&crate::model::Gap>> = HashMap::new();
    let mut gaps_before_first: HashMap<&str, Vec<&crate::model::Gap>> = HashMap::new();
    for l in &order {
        for g in &l.gaps {
            if g.after == 0 || l.sentences.is_empty() {
                gaps_before_first.entry(&l.id).or_default().push(g);
            } else {
                let i = g.after.min(l.sentences.len()) - 1;
                gaps_after.entry((&l.id, i)).or_default().push(g);
            }
        }
    }
    let gap_note = |g: &crate::model::Gap| {
        let mut t = format!("Gap in this witness ({})", g.reason);
        if let Some(d) = &g.desc {
            t.push_str(": ");
            t.push_str(d);
        }
        format!("<span class=\"gapnote\">{}</span>", e(&t))
    };

    let mut o = String::new();
    let title = format!("{} — parallel edition", work.id);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"tei-align {}\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        crate::VERSION,
        e(&title),
        CSS
    );
    let _ = writeln!(o, "<header class=\"top\">\n<h1>{}</h1>", e(&title));
    // The derivation graph, one line per relation.
    o.push_str("<div class=\"graph\"><b>Derivation:</b> ");
    let rels = coverage::relations_in_order(work, alignment);
    if rels.is_empty() {
        o.push_str("no derivation graph recorded");
    }
    for (i, r) in rels.iter().enumerate() {
        if i > 0 {
            o.push_str("; ");
        }
        let by = r
            .resp
            .iter()
            .map(|x| name(x))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = write!(
            o,
            "{} → {} ({}{}{})",
            e(&r.source),
            e(&r.derived),
            e(r.kind.as_str()),
            if by.is_empty() {
                String::new()
            } else {
                format!(", {}", e(&by))
            },
            r.when
                .as_deref()
                .map(|w| format!(", {}", e(w)))
                .unwrap_or_default()
        );
    }
    o.push_str("</div>\n");
    // Coverage summary.
    o.push_str("<table class=\"cov\"><tr><th>edge</th><th>coverage of the source</th><th>marks</th></tr>\n");
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
            e(&ec.source),
            e(&ec.derived),
            e(&cov),
            e(&m.join(", "))
        );
    }
    o.push_str("</table>\n");
    o.push_str(
        "<div class=\"legend\" aria-label=\"legend\"><b>Legend:</b>\
         <span class=\"s hl hint\">counterparts of the chosen sentence</span>\
         <span class=\"mark m-omitted\">omitted</span>\
         <span class=\"s added\">added (no source)</span>\
         <span class=\"s source-gap\">source witness has a gap</span>\
         <span class=\"mark m-gap\">gap in this witness</span>\
         <span class=\"s doubtful\">doubtful link</span>\
         <span class=\"s nm\">merged or split</span>\
         <span class=\"s verified\">confirmed by an editor</span>\
         <span class=\"hint\">Click or tap a sentence to see its counterparts and provenance.</span></div>\n",
    );
    o.push_str("</header>\n<main>\n");
    let _ = writeln!(
        o,
        "<div class=\"scroll\"><table class=\"ed\" id=\"edition\" style=\"--cols:{}\">",
        order.len().max(1)
    );
    o.push_str("<thead><tr>");
    for l in &order {
        // One phrase per source: a layer may be made from several.
        let made: Vec<String> = l
            .derivations
            .iter()
            .map(|d| l.describe_derivation(d))
            .collect();
        let by = if made.is_empty() {
            let who: Vec<String> = l.agents.iter().map(|a| a.name.clone()).collect();
            if who.is_empty() {
                "original".to_owned()
            } else {
                format!("original ({})", who.join(", "))
            }
        } else {
            made.join("; ")
        };
        let _ = write!(
            o,
            "<th data-layer=\"{id}\" lang=\"{lang}\" scope=\"col\"><span class=\"code\">{id}</span>{title}<span class=\"by\" lang=\"en\">{by}</span>",
            id = e(&l.id),
            lang = e(&l.lang),
            title = e(&l.title),
            by = e(&by)
        );
        if !l.has_text() {
            let _ = write!(
                o,
                "<span class=\"note\" lang=\"en\">no text in this witness</span>"
            );
            for g in gaps_before_first.get(l.id.as_str()).into_iter().flatten() {
                o.push_str(&gap_note(g));
            }
        }
        o.push_str("</th>");
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    let mut seg_info: BTreeMap<String, SegInfo> = BTreeMap::new();
    let mut first_row_of_layer: HashSet<&str> = HashSet::new();
    for row in &all_rows {
        let steps: Vec<&(&crate::model::Relation, ChainKind, Step)> = row
            .chain
            .iter()
            .filter_map(|c| chain_el.get(bare(c)))
            .collect();
        seg_info.insert(
            row.id.clone(),
            SegInfo {
                members: order
                    .iter()
                    .map(|l| {
                        (
                            l.id.clone(),
                            row.members
                                .get(l.id.as_str())
                                .map(|v| v.iter().map(|s| s.id.clone()).collect())
                                .unwrap_or_default(),
                        )
                    })
                    .collect(),
                chain: steps.iter().map(|s| s.2.clone()).collect(),
            },
        );
        let _ = writeln!(o, "<tr id=\"row-{id}\" data-seg=\"{id}\">", id = e(&row.id));
        for l in &order {
            let lid = l.id.as_str();
            let sentences = row.members.get(lid);
            let mut cls = String::from("cell");
            if !l.has_text() {
                cls.push_str(" no-text");
            }
            let _ = write!(
                o,
                "<td class=\"{cls}\" data-layer=\"{id}\" data-label=\"{id}\" lang=\"{lang}\">",
                id = e(lid),
                lang = e(&l.lang)
            );
            match sentences {
                Some(list) if !list.is_empty() => {
                    if first_row_of_layer.insert(lid) {
                        for g in gaps_before_first.get(lid).into_iter().flatten() {
                            o.push_str(&gap_note(g));
                        }
                    }
                    for (k, s) in list.iter().enumerate() {
                        let m = marks.get(&s.id).unwrap_or(&none);
                        let mut c = String::from("s");
                        let mut notes: Vec<String> = vec![s.id.clone()];
                        if !m.omitted_in.is_empty() {
                            c.push_str(" omitted");
                            notes.push(format!("omitted in {}", m.omitted_in.join(", ")));
                        }
                        if m.added {
                            c.push_str(" added");
                            notes.push("added: no counterpart in the source".into());
                        }
                        if m.source_gap {
                            c.push_str(" source-gap");
                            notes.push("the source witness has a gap here".into());
                        }
                        if m.doubtful {
                            c.push_str(" doubtful");
                            notes.push("doubtful link".into());
                        }
                        if m.merged_or_split {
                            c.push_str(" nm");
                            notes.push("merged or split".into());
                        }
                        if m.verified {
                            c.push_str(" verified");
                            notes.push("confirmed by an editor".into());
                        }
                        if k > 0 {
                            o.push(' ');
                        }
                        let _ = write!(
                            o,
                            "<span class=\"{c}\" id=\"{id}\" data-seg=\"{seg}\" tabindex=\"0\" title=\"{t}\">{text}</span>",
                            id = e(&s.id),
                            seg = e(&row.id),
                            t = e(&notes.join(" · ")),
                            text = e(&s.text)
                        );
                        let idx = index_in_layer
                            .get(s.id.as_str())
                            .copied()
                            .unwrap_or(usize::MAX);
                        for g in gaps_after.get(&(lid, idx)).into_iter().flatten() {
                            o.push_str(&gap_note(g));
                        }
                    }
                }
                _ if !l.has_text() => {}
                _ => {
                    // Why is this cell empty? Ask the chain.
                    let mut why: Vec<(&str, String)> = Vec::new();
                    for (rel, kind, _) in &steps {
                        match kind {
                            ChainKind::Unaligned(UnalignedKind::SourceOnly)
                                if rel.derived == lid =>
                            {
                                why.push(("m-omitted", format!("omitted in {lid}")))
                            }
                            ChainKind::Unaligned(UnalignedKind::SourceGap) if rel.source == lid => {
                                why.push(("m-gap", "gap in this witness".into()))
                            }
                            ChainKind::Unaligned(UnalignedKind::DerivedOnly)
                                if rel.source == lid =>
                            {
                                why.push((
                                    "m-none",
                                    format!("no counterpart (added in {})", rel.derived),
                                ))
                            }
                            _ => {}
                        }
                    }
                    why.dedup();
                    if why.is_empty() {
                        o.push_str("<span class=\"mark m-none\" lang=\"en\">—</span>");
                    }
                    for (c, t) in why {
                        let _ = write!(o, "<span class=\"mark {c}\" lang=\"en\">{}</span>", e(&t));
                    }
                }
            }
            o.push_str("</td>");
        }
        o.push_str("\n</tr>\n");
    }
    o.push_str("</tbody></table></div>\n</main>\n");
    o.push_str("<aside id=\"panel\" aria-live=\"polite\"><p class=\"hint\">Click or tap a sentence: its counterparts in every layer are highlighted and its provenance chain is shown here.</p></aside>\n");
    let _ = writeln!(
        o,
        "<script type=\"application/json\" id=\"segdata\">{}</script>",
        script_json(&seg_info)?
    );
    let _ = writeln!(o, "<script>{JS}</script>\n</body>\n</html>");
    Ok(o)
}
