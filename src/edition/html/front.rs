//! The parts of the page about the work rather than its text: the title, the witness panels
//! (from each layer's teiHeader), and the "about" section (derivation graph, coverage, legend).

use super::*;

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
pub(super) fn edition_date(alignment: &WorkAlignment) -> Option<String> {
    alignment
        .changes
        .iter()
        .map(|c| c.when.get(..10).unwrap_or(&c.when).to_owned())
        .filter(|w| super::super::is_w3c_date(w))
        .max()
}

/// How a layer was made, in words: "translation from cs by Mark Kramer (1992)" (the library's
/// wording, [`Layer::describe_derivation`], and the date).
pub(super) fn made(l: &Layer) -> String {
    if l.derivations.is_empty() {
        // A publisher or archive published or holds the text; it did not make it.
        let who: Vec<String> = l
            .agents
            .iter()
            .filter(|a| !crate::tei::header::is_org_role(&a.role))
            .map(|a| a.name.clone())
            .collect();
        let root = crate::model::NO_SOURCE_LAYER;
        return if who.is_empty() {
            root.into()
        } else {
            format!("{root}; {}", who.join(", "))
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
pub(super) fn why_no_text(l: &Layer) -> String {
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

/// Where a gap stands in its witness, in words, naming the sentence by the id the page shows: a
/// gap inside a sentence (the Czech letter breaks off mid-word in cs.s16) is not "after" it.
fn gap_place(l: &Layer, g: &crate::model::Gap) -> String {
    let Some(s) = g.after.checked_sub(1).and_then(|i| l.sentences.get(i)) else {
        return if l.has_text() {
            "before the first sentence".to_owned()
        } else {
            "in place of the whole text".to_owned()
        };
    };
    if !g.inside {
        return format!("after {}", s.id);
    }
    match g.at {
        Some(0) => format!("inside {}, which begins after it", s.id),
        Some(n) if n < s.text.chars().count() => format!("inside {}", s.id),
        _ => format!("inside {}, which breaks off there", s.id),
    }
}

/// The words a sentence with a gap inside it gets in its tooltip (which is also what a screen
/// reader says for it), by sentence id: that this witness breaks off there, or resumes there, is
/// a fact about the text beside which a link's "partial" would otherwise be read as the
/// translator's.
pub(super) fn gaps_inside(order: &[&Layer]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for l in order {
        for g in l.gaps.iter().filter(|g| g.inside) {
            let Some(s) = g.after.checked_sub(1).and_then(|i| l.sentences.get(i)) else {
                continue;
            };
            let reason = g.reason.replace(['-', '_'], " ");
            let what = match g.at {
                Some(0) => format!(
                    "the text of {} begins inside this sentence (a gap in the witness before it: {reason})",
                    l.id
                ),
                Some(n) if n < s.text.chars().count() => format!(
                    "the witness {} has a gap inside this sentence ({reason})",
                    l.id
                ),
                _ => format!(
                    "the text of {} breaks off inside this sentence (a gap in the witness: {reason})",
                    l.id
                ),
            };
            out.push((s.id.clone(), what));
        }
    }
    out
}

pub(super) fn witnesses(o: &mut String, ctx: &Ctx) {
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
            // An indirect attribution keeps its hedge beside the name (`@cert`, the note).
            let hedge = w
                .attributions
                .iter()
                .filter(|(name, _)| role == "publisher" && *name == who.text)
                .map(|(_, a)| format!(" <span{}>({})</span>", lang_attr(a), escape(&a.text)))
                .collect::<String>();
            let _ = write!(
                o,
                "<dt>{}</dt><dd><span{}>{}</span>{hedge}</dd>",
                escape(&upper_first(role)),
                lang_attr(who),
                escape(&who.text)
            );
        }
        let _ = write!(o, "<dt>Made</dt><dd>{}</dd>", escape(&made(l)));
        for c in &w.conflicts {
            let _ = write!(
                o,
                "<dt>The sources disagree</dt><dd{}>{}</dd>",
                lang_attr(c),
                escape(&c.text)
            );
        }
        match &w.licence {
            Some(p) => {
                let _ = write!(
                    o,
                    "<dt>Licence</dt><dd{}>{}</dd>",
                    lang_attr(p),
                    escape(&p.text)
                );
            }
            None => o.push_str("<dt>Licence</dt><dd>not stated in the layer's header</dd>"),
        }
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
        for a in &w.alt_ids {
            let _ = write!(
                o,
                "<dt>Other identifier</dt><dd{}>{}</dd>",
                lang_attr(a),
                escape(&a.text)
            );
        }
        for h in &w.history {
            let _ = write!(
                o,
                "<dt>Provenance</dt><dd{}>{}</dd>",
                lang_attr(h),
                escape(&h.text)
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
                "{} ({})",
                g.reason.replace(['-', '_'], " "),
                gap_place(l, g)
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

/// The rows of the coverage table for the layers made from several sources: each against all
/// of them (what `coverage --fail-under` compares for it).
fn several_sources(o: &mut String, report: &coverage::CoverageReport) {
    for l in report.layers.iter().filter(|l| l.sources.len() > 1) {
        let t = &l.total;
        let cov = match t.coverage_pct {
            Some(p) => format!(
                "{}/{} sentences of its sources ({p:.1} %)",
                t.source_sentences_covered + t.source_sentences_carried,
                t.source_sentences - t.derived_gap
            ),
            None => "no text".to_owned(),
        };
        let mut m = Vec::new();
        for (n, what) in [
            (t.omitted, "omitted"),
            (t.source_sentences_carried, "carried over"),
            (t.added, "added"),
            (t.from_other_source, "from the other source"),
            (t.source_gap, "past a gap in a source"),
            (t.derived_gap, "past a gap in the derived witness"),
            (t.derived_partial, "linked partially at best"),
            (t.derived_doubtful, "linked only doubtfully"),
        ] {
            if n > 0 {
                m.push(format!("{n} {what}"));
            }
        }
        let _ = writeln!(
            o,
            "<tr><td>{} against all its sources ({})</td><td>{}</td><td>{}</td></tr>",
            escape(&l.layer),
            escape(&l.sources.join(", ")),
            escape(&cov),
            escape(&m.join(", "))
        );
    }
}

pub(super) fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The derivation graph, the coverage of each edge, and the legend.
pub(super) fn about(o: &mut String, ctx: &Ctx, opts: &EditionOptions) -> Result<(), EditionError> {
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
                // Of what the derived witness holds (as the percentage).
                t.source_sentences - t.derived_gap,
                t.coverage_pct.unwrap_or(0.0)
            ),
        };
        let mut m = Vec::new();
        for (n, what) in [
            (t.omitted, "omitted"),
            (
                t.carried_over,
                "carried over through another source (not omitted)",
            ),
            (t.added, "added"),
            (t.from_other_source, "from the other source (not added)"),
            (t.source_gap, "past a gap in the source"),
            (t.derived_gap, "past a gap in the derived witness"),
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
    several_sources(o, &report);
    o.push_str("</table></details></section>\n");
    let legend_more = if report.layers.iter().any(|l| l.sources.len() > 1) {
        "<li><span class=\"s other-source\">blue bar</span> from the other source: no counterpart in one source of a layer made from several, linked in another (not added)</li>\
         <li><span class=\"s carried\">double bar</span> not omitted: no counterpart on its own edge, carried over through another source</li>"
    } else {
        ""
    };
    let _ = write!(
        o,
        "<div class=\"legend\" role=\"group\" aria-labelledby=\"legend-h\"><h2 id=\"legend-h\">Legend</h2><ul>\
         <li><span class=\"s hl\">highlighted</span> counterparts of the chosen sentence</li>\
         <li><span class=\"s omitted\">marked red on the left</span> omitted in a derived layer</li>\
         <li><span class=\"s added\">green</span> added: no counterpart in the source</li>\
         <li><span class=\"s source-gap\">dashed</span> the source witness has a gap here</li>\
         <li><span class=\"s derived-gap\">dotted</span> not omitted: the derived witness has a gap here</li>{legend_more}\
         <li><span class=\"s doubtful\">wavy, with ?</span> doubtful link (the aligner's confidence is below {})</li>\
         <li><span class=\"s partial\">dashed underline</span> partial: one side covers clearly less than the other</li><li><span class=\"s nm\">n:m</span> merged or split</li>\
         <li><span class=\"s verified\">✓</span> confirmed by an editor (the panel says who and when)</li>\
         <li><span class=\"s text-changed\">✓?</span> confirmed on another text: the sentence was edited since an editor confirmed it (review)</li>\
         <li><span class=\"nref demo\">1</span> a note, apparatus entry or editorial choice: press it to read it</li>\
         <li><span class=\"nref demo\">{}</span> a gap in the witness</li></ul></div>",
        opts.coverage.doubt_below,
        crate::model::GAP_MARK
    );
    o.push('\n');
    Ok(())
}
