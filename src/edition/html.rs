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
use super::witness::{Prose, Witness, html_lang, witness};
use super::{EditionError, EditionOptions, SentenceMarks, escape, sentence_marks};
use crate::coverage::{self, EdgeState, agent_name};
use crate::model::{Layer, LinkStatus, UnalignedKind, Work, WorkAlignment};
use crate::provenance::graph::ordered_layers;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

mod front;
mod rows;

pub(crate) use front::work_title;
use front::{about, edition_date, gaps_inside, made, why_no_text, witnesses};
use rows::{Row, SegInfo, Steps, cell_html, empty_cell, group_leaves, looks, rows, steps};

const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// What the script needs for citations.
#[derive(Debug, Clone, Serialize)]
struct Meta {
    title: String,
    version: String,
    date: Option<String>,
    layers: BTreeMap<String, (String, String)>,
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

/// Without JavaScript the note buttons open nothing, search finds nothing and no sentence can be
/// chosen: the notes are shown as the footnotes print has, and the parts that need the script
/// are left out.
const NOSCRIPT: &str = "<noscript><style>.fnotes { display:block; margin:.2rem 0 0; \
     padding-left:1.2rem; border-top:1px solid #ccc; font-size:.85rem; } .search, #panel \
     { display:none; }</style></noscript>";

fn lang_attr(p: &Prose) -> String {
    html_lang(&p.lang)
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
    let mut marks = sentence_marks(alignment, opts, &without_text);
    for (who, _) in marks.values_mut().flat_map(|m| m.confirmed.iter_mut()) {
        *who = agent_name(work, alignment, who);
    }
    // A confirmation of a text edited since is marked on every sentence of the item.
    for c in crate::provenance::digest::check_texts(work, alignment).changed {
        let note = format!("{} ({} since)", c.item, c.what());
        for id in &c.sentences {
            marks
                .entry(id.clone())
                .or_default()
                .text_changed
                .push(note.clone());
        }
    }
    for (id, what) in gaps_inside(&order) {
        marks.entry(id).or_default().gap_inside.push(what);
    }
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
    o.push_str("<aside id=\"panel\" aria-live=\"polite\" aria-label=\"Chosen segment\"><p class=\"hint\">Choose a sentence (click, tap, or Enter; Enter again on it comes here): its counterparts in every layer are highlighted and its provenance, permalink and citation are shown here.</p></aside>\n");
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
                "<div class=\"cell\" data-layer=\"{id}\" data-label=\"{id} · {name}\"{lang}>{body}</div>",
                id = escape(lid),
                name = escape(&ctx.wits[lid].lang_name),
                lang = html_lang(&l.lang)
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
         <style id=\"hide\"></style>\n{NOSCRIPT}\n</head>\n<body>\n<a class=\"skip\" href=\"#text\">Skip to the text</a>\n",
        crate::VERSION,
        escape(&ctx.title.text),
        escape(&langs.join(", ")),
        CSS
    );
}

/// The layers in derivation order for the page's subtitle: as a chain (`Russian (ru) → Czech
/// (cs) → English (en)`) only when each layer is made from the one before it; otherwise listed,
/// with the derivations (`…; derivations en → cs, en → ru`), since arrows between neighbours
/// would claim a chain the work does not have (the UDHR's Russian is not made from the Czech).
fn layers_line(ctx: &Ctx) -> String {
    let named: Vec<String> = ctx
        .order
        .iter()
        .map(|l| format!("{} ({})", ctx.wits[&l.id].lang_name, l.id))
        .collect();
    let rels = &ctx.alignment.relations;
    let chain = rels.len() + 1 == ctx.order.len()
        && ctx.order.windows(2).all(|w| {
            rels.iter()
                .any(|r| r.source == w[0].id && r.derived == w[1].id)
        });
    if chain || rels.is_empty() {
        return named.join(if chain { " → " } else { ", " });
    }
    let derivations: Vec<String> = rels
        .iter()
        .map(|r| format!("{} → {}", r.source, r.derived))
        .collect();
    format!(
        "{}; derivations {}",
        named.join(", "),
        derivations.join(", ")
    )
}

/// The subtitle states the derivation as the headers record it; where a layer's sources
/// disagree (a `note[@type="conflict"]`, e.g. on the original language), it must not read as
/// settled, so the subtitle says so and points to the witnesses, where the note is shown.
fn disputed(ctx: &Ctx) -> &'static str {
    let any = ctx
        .order
        .iter()
        .any(|l| ctx.wits.get(&l.id).is_some_and(|w| !w.conflicts.is_empty()));
    if any {
        " The sources disagree on part of this: see <a href=\"#witnesses\">Witnesses</a>."
    } else {
        ""
    }
}

/// The page header: title, search, table of contents, witnesses, downloads.
fn header(o: &mut String, ctx: &Ctx, leaves: &BTreeMap<String, Vec<Leaf>>, extras: &[Extra]) {
    let _ = writeln!(
        o,
        "<header class=\"top\">\n<h1{}>{}</h1>\n<p class=\"sub\">Parallel edition of {} layers: {}.{} Work <code>{}</code>.</p>",
        lang_attr(&ctx.title),
        escape(&ctx.title.text),
        ctx.order.len(),
        escape(&layers_line(ctx)),
        disputed(ctx),
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
        "<nav id=\"toc\" aria-label=\"Contents\"><details><summary>Contents <span class=\"small\">(headings of the {} layer)</span></summary><ol class=\"toc\"{}>",
        escape(&l.id),
        html_lang(&l.lang)
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
