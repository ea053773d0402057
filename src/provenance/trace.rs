//! Tracing a sentence: the N-way segment that holds it, with every layer along its derivation
//! chain from the original down — who made each layer and how, its sentences, and how sure each
//! step of the alignment is.

use super::graph::derivation_order;
use crate::model::{
    Agent, EdgeAlignment, GAP_MARK, Layer, LinkStatus, Relation, Segment, WorkAlignment,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// The trace of one sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// The work id.
    pub work: String,
    /// The sentence asked about.
    pub sentence: String,
    /// The segment id.
    pub segment: String,
    /// The provenance chain (link and ptr ids).
    pub chain: Vec<String>,
    /// Every layer of the work in derivation order (originals first).
    pub layers: Vec<TraceLayer>,
    /// Every derivation path from the sentence's layer back to an original (layer ids, the
    /// sentence's layer first): one path on a chain, several when a layer on the way was made
    /// from several sources.
    pub paths: Vec<Vec<String>>,
}

/// One layer in a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceLayer {
    /// Layer id.
    pub id: String,
    /// Language code.
    pub lang: String,
    /// Title from the layer's header.
    pub title: String,
    /// Where the text comes from (the header's source description).
    pub source_desc: String,
    /// The people responsible for the layer.
    pub agents: Vec<Agent>,
    /// How it was made from its (first) source, if it is not an original.
    pub derivation: Option<TraceDerivation>,
    /// How it was made from each of its sources (empty for an original).
    pub derivations: Vec<TraceDerivation>,
    /// Whether the layer has any text at all.
    pub has_text: bool,
    /// The gaps of the witness (reason and description), when it has no text or the segment
    /// touches none of its sentences.
    pub gaps: Vec<String>,
    /// The sentences of this layer in the segment.
    pub sentences: Vec<TraceSentence>,
    /// The alignment steps from its source to this layer that concern the segment.
    pub steps: Vec<TraceStep>,
}

/// How a layer was made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceDerivation {
    /// The relation id.
    pub relation: String,
    /// The source layer id.
    pub source: String,
    /// `translation`, `publication`, …
    pub kind: String,
    /// Who made it.
    pub resp: Vec<Agent>,
    /// When, if known.
    pub when: Option<String>,
    /// What the step is, in words: the layer's `relation/desc` (e.g. "translation, translator
    /// unknown"), or the kind and who made it.
    pub summary: String,
}

/// A sentence with its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceSentence {
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// The gap the sentence holds (the witness breaks off, or resumes, inside it), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<SentenceGap>,
}

/// A gap inside a sentence, as the edition shows it: `[…]` in place, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceGap {
    /// Where it stands in the sentence's text, in characters from the start.
    pub at: usize,
    /// `@reason` (e.g. `source-incomplete`).
    pub reason: String,
    /// Its description (`<desc>`), if any.
    pub desc: Option<String>,
}

impl TraceSentence {
    /// The text with the gap's mark in place (`…naše prohlá[…]`).
    pub fn marked_text(&self) -> String {
        let Some(g) = &self.gap else {
            return self.text.clone();
        };
        let cut = self
            .text
            .char_indices()
            .nth(g.at)
            .map_or(self.text.len(), |(b, _)| b);
        let (before, after) = self.text.split_at(cut);
        // Mid-word the mark joins the word ("prohlá[…]"); between words it stands as a word.
        let mut out = format!("{before}{GAP_MARK}");
        if before.ends_with(' ') && !after.is_empty() {
            out.push(' ');
        }
        out.push_str(after);
        out
    }
}

/// The gap sentence `idx` of `layer` holds, if any.
fn sentence_gap(layer: &Layer, idx: usize) -> Option<SentenceGap> {
    let g = layer.gaps.iter().find(|g| g.inside && g.after == idx + 1)?;
    let len = layer.sentences.get(idx)?.text.chars().count();
    Some(SentenceGap {
        at: g.at.unwrap_or(len).min(len),
        reason: g.reason.clone(),
        desc: g.desc.clone(),
    })
}

/// One link or unaligned ptr of the chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceStep {
    /// The link or ptr id.
    pub id: String,
    /// `link` or `unaligned`.
    pub what: String,
    /// The bead type (`"1-2"`) or the unaligned kind (`source-gap` …).
    pub kind: String,
    /// Source sentence ids.
    pub source: Vec<String>,
    /// Derived sentence ids.
    pub derived: Vec<String>,
    /// Confidence in [0, 1].
    pub cert: f64,
    /// A link one side of which covers clearly less than the other (`@subtype="partial"`).
    pub partial: bool,
    /// `automatic` or `verified`.
    pub status: String,
    /// Who made or confirmed it.
    pub who: String,
    /// When it was confirmed (verified steps only).
    pub when: Option<String>,
    /// For a confirmed step, whether its sentences read as when it was confirmed: `unchanged`,
    /// `edited` (confirmed on another text: review) or `unknown` (no record of the text
    /// confirmed, or a layer not at hand).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_text: Option<String>,
    /// The sentences edited since the confirmation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edited: Vec<String>,
    /// Sentences that came since the confirmation right beside its sentences (split off them,
    /// or added): `en.s12 new after en.s5`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub new_beside: Vec<String>,
    /// For a sentence without a counterpart on an edge into a layer made from several sources,
    /// what the other sources say, in words: "from the other source: linked in grc
    /// (a.grc-cs.6), not an addition", or "carried over through grc (…), not an omission".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_source: Option<String>,
}

/// Errors of tracing.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// The sentence is in no segment.
    #[error("sentence \"{0}\" is in no segment of the alignment")]
    NotFound(String),
}

/// Build the trace of `sentence` from an alignment and the layers it points to (by layer id;
/// a layer missing from `layers` is shown with what the alignment knows of it).
pub fn trace(
    alignment: &WorkAlignment,
    layers: &BTreeMap<String, Layer>,
    sentence: &str,
) -> Result<Trace, TraceError> {
    let seg = alignment
        .segments
        .iter()
        .find(|s| s.members.values().any(|v| v.iter().any(|x| x == sentence)))
        .ok_or_else(|| TraceError::NotFound(sentence.to_owned()))?;
    let ids: Vec<String> = alignment.layer_files.keys().cloned().collect();
    let order = derivation_order(&ids, &alignment.relations);
    let without_text = layers
        .values()
        .filter(|l| !l.has_text())
        .map(|l| l.id.clone())
        .collect();
    let sources = crate::coverage::Sources::new(
        alignment,
        without_text,
        crate::coverage::DEFAULT_DOUBT_BELOW,
        Default::default(),
    );
    let out = order
        .iter()
        .map(|lid| trace_layer(alignment, seg, lid, layers, &sources))
        .collect();
    let home = seg
        .members
        .iter()
        .find(|(_, v)| v.iter().any(|x| x == sentence))
        .map(|(k, _)| k.clone())
        .unwrap_or_default();
    let paths = paths_to_originals(&home, &alignment.relations);
    Ok(Trace {
        paths,
        work: alignment.work.clone(),
        sentence: sentence.to_owned(),
        segment: seg.id.clone(),
        chain: seg.chain.clone(),
        layers: out,
    })
}

/// Layer `lid` in the trace of segment `seg`: its sentences there, how it was made, and the
/// alignment steps into it that concern the segment.
fn trace_layer(
    alignment: &WorkAlignment,
    seg: &Segment,
    lid: &str,
    layers: &BTreeMap<String, Layer>,
    sources: &crate::coverage::Sources<'_>,
) -> TraceLayer {
    let layer = layers.get(lid);
    // Every edge into the layer: a layer may be made from several sources.
    let rels: Vec<&Relation> = alignment
        .relations
        .iter()
        .filter(|r| r.derived == lid)
        .collect();
    let sentences: Vec<TraceSentence> = seg
        .members
        .get(lid)
        .into_iter()
        .flatten()
        .map(|id| {
            let idx = layer.and_then(|l| l.index_of(id));
            let found = layer.zip(idx);
            TraceSentence {
                id: id.clone(),
                text: found
                    .map(|(l, i)| l.sentences[i].text.clone())
                    .unwrap_or_default(),
                gap: found.and_then(|(l, i)| sentence_gap(l, i)),
            }
        })
        .collect();
    let steps = rels
        .iter()
        .filter_map(|r| {
            let e = alignment.edges.iter().find(|e| e.relation == r.id)?;
            Some(
                seg.chain
                    .iter()
                    .filter_map(move |cid| step(r, e, cid, layers))
                    .map(move |mut s| {
                        s.other_source = other_source(r, &s, sources);
                        s
                    }),
            )
        })
        .flatten()
        .collect();
    let derivations: Vec<TraceDerivation> = rels
        .iter()
        .map(|r| derivation(alignment, r, layer))
        .collect();
    let gaps = layer
        .filter(|_| sentences.is_empty())
        .map(|l| {
            l.gaps
                .iter()
                .map(|g| match &g.desc {
                    Some(d) => format!("{}: {}", g.reason, d),
                    None => g.reason.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    TraceLayer {
        id: lid.to_owned(),
        lang: layer.map(|l| l.lang.clone()).unwrap_or_default(),
        title: layer.map(|l| l.title.clone()).unwrap_or_default(),
        source_desc: layer.map(|l| l.source_desc.clone()).unwrap_or_default(),
        agents: layer.map(|l| l.agents.clone()).unwrap_or_default(),
        derivation: derivations.first().cloned(),
        derivations,
        has_text: layer.is_some_and(|l| l.has_text()),
        gaps,
        sentences,
        steps,
    }
}

/// The step of edge `e` (of relation `r`) that chain item `cid` names, if it is on this edge.
fn step(
    r: &Relation,
    e: &EdgeAlignment,
    cid: &str,
    layers: &BTreeMap<String, Layer>,
) -> Option<TraceStep> {
    if let Some(l) = e.links.iter().find(|l| l.id == cid) {
        let (who, when, status) = status_parts(&l.status);
        let on: Vec<(&str, &str)> = l
            .source
            .iter()
            .map(|s| (r.source.as_str(), s.as_str()))
            .chain(l.derived.iter().map(|d| (r.derived.as_str(), d.as_str())))
            .collect();
        let (confirmed_text, edited, new_beside) = confirmed_text(&l.status, &on, layers, e);
        return Some(TraceStep {
            id: l.id.clone(),
            what: "link".into(),
            kind: l.kind(),
            source: l.source.clone(),
            derived: l.derived.clone(),
            cert: l.cert,
            partial: l.partial,
            status,
            who,
            when,
            confirmed_text,
            edited,
            new_beside,
            other_source: None,
        });
    }
    let u = e.unaligned.iter().find(|u| u.id == cid)?;
    let (who, when, status) = status_parts(&u.status);
    let (confirmed_text, edited, new_beside) = confirmed_text(
        &u.status,
        &[(u.layer.as_str(), u.sentence.as_str())],
        layers,
        e,
    );
    let (source, derived) = if u.layer == r.source {
        (vec![u.sentence.clone()], vec![])
    } else {
        (vec![], vec![u.sentence.clone()])
    };
    Some(TraceStep {
        id: u.id.clone(),
        what: "unaligned".into(),
        kind: u.kind.as_str().into(),
        source,
        derived,
        cert: u.cert,
        partial: false,
        status,
        who,
        when,
        confirmed_text,
        edited,
        new_beside,
        other_source: None,
    })
}

/// What the other sources of a layer made from several say of a step that leaves a sentence
/// without a counterpart (`crate::coverage::Sources`), in words.
fn other_source(
    r: &Relation,
    s: &TraceStep,
    sources: &crate::coverage::Sources<'_>,
) -> Option<String> {
    if !sources.several(&r.derived) || s.kind.ends_with("gap") {
        return None;
    }
    match (s.source.as_slice(), s.derived.as_slice()) {
        ([], [d]) => {
            let e = sources.elsewhere(&r.derived, &r.source, d);
            if !e.matched_in.is_empty() {
                Some(format!(
                    "from the other source: linked in {} ({}), not an addition",
                    e.matched_in.join(", "),
                    e.links.join(" ")
                ))
            } else if !e.gap_in.is_empty() {
                Some(format!(
                    "the witness of {} has a gap here: not an addition",
                    e.gap_in.join(", ")
                ))
            } else {
                None
            }
        }
        ([x], []) => sources.carried(&r.source, &r.derived, x).map(|c| {
            format!(
                "carried over through {}: {} ({}), not an omission",
                c.route(),
                c.path(x),
                c.evidence()
            )
        }),
        _ => None,
    }
}

/// Whether a confirmed item's sentences (layer, id) read as when it was confirmed, the ones
/// edited since and the sentences new beside them since ([`super::digest::new_beside`]);
/// nothing for an automatic one.
fn confirmed_text(
    status: &LinkStatus,
    on: &[(&str, &str)],
    layers: &BTreeMap<String, Layer>,
    edge: &EdgeAlignment,
) -> (Option<String>, Vec<String>, Vec<String>) {
    if !status.is_verified() {
        return (None, Vec::new(), Vec::new());
    }
    let now: Option<Vec<(&str, &str, &str)>> = on
        .iter()
        .map(|&(lid, id)| {
            let l = layers.get(lid)?;
            Some((lid, id, l.sentences[l.index_of(id)?].text.as_str()))
        })
        .collect();
    let (Some(t), Some(now)) = (status.confirmed_text(), now) else {
        return (Some("unknown".to_owned()), Vec::new(), Vec::new());
    };
    let (edited, inside) = super::digest::compare(t, &now);
    let placed = super::digest::placed(edge);
    let mut beside: Vec<String> = inside
        .iter()
        .map(super::digest::NewBeside::phrase)
        .collect();
    for (lid, l) in layers {
        let at: Vec<usize> = on
            .iter()
            .filter(|(x, _)| *x == lid.as_str())
            .filter_map(|(_, id)| l.index_of(id))
            .collect();
        let newest = t
            .newest
            .iter()
            .find_map(|id| super::digest::sentence_number(lid, id));
        if let Some(n) = newest {
            let found = super::digest::new_beside(l, &at, n, &placed);
            beside.extend(found.iter().map(super::digest::NewBeside::phrase));
        }
    }
    let word = if edited.is_empty() && beside.is_empty() {
        "unchanged"
    } else {
        "edited"
    };
    (Some(word.to_owned()), edited, beside)
}

/// How `layer` was made from the source of `r`. The layer's own header is the record of who
/// made it (its witness description); the alignment's copy of the graph is the fallback for a
/// layer that is not at hand.
fn derivation(alignment: &WorkAlignment, r: &Relation, layer: Option<&Layer>) -> TraceDerivation {
    let agent = |id: &str| -> Agent {
        layer
            .and_then(|l| l.agent(id))
            .or_else(|| alignment.agents.iter().find(|a| a.id == id))
            .cloned()
            .unwrap_or_else(|| Agent::new(id.to_owned(), id.to_owned(), String::new()))
    };
    let own = layer.and_then(|l| l.derivation_from(&r.source));
    let resp: Vec<Agent> = own
        .map_or(&r.resp, |d| &d.resp)
        .iter()
        .map(|a| agent(a))
        .collect();
    let kind = r.kind.as_str().to_owned();
    let summary = own.and_then(|d| d.note.clone()).unwrap_or_else(|| {
        crate::tei::header::derivation_words(&kind, &resp.iter().collect::<Vec<_>>())
    });
    TraceDerivation {
        relation: r.id.clone(),
        source: r.source.clone(),
        kind,
        resp,
        when: own.map_or_else(|| r.when.clone(), |d| d.when.clone()),
        summary,
    }
}

/// Every path from `layer` back along its sources to an original (a layer with no source), each
/// starting with `layer`. A cycle (which `check` reports) ends a path rather than looping.
pub(crate) fn paths_to_originals(
    layer: &str,
    relations: &[crate::model::Relation],
) -> Vec<Vec<String>> {
    fn walk(
        path: &mut Vec<String>,
        relations: &[crate::model::Relation],
        out: &mut Vec<Vec<String>>,
    ) {
        let Some(cur) = path.last().cloned() else {
            return;
        };
        let sources: Vec<&str> = relations
            .iter()
            .filter(|r| r.derived == cur && !path.contains(&r.source))
            .map(|r| r.source.as_str())
            .collect();
        if sources.is_empty() {
            out.push(path.clone());
        }
        for s in sources {
            path.push(s.to_owned());
            walk(path, relations, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&mut vec![layer.to_owned()], relations, &mut out);
    out
}

fn status_parts(s: &LinkStatus) -> (String, Option<String>, String) {
    match s {
        LinkStatus::Automatic => (
            crate::tei::standoff::TOOL_ID.into(),
            None,
            "automatic".into(),
        ),
        LinkStatus::Verified { who, when, .. } => (
            who.clone(),
            // A link confirmed by hand in an XML editor may have no date.
            Some(when.clone()).filter(|w| !w.is_empty()),
            "verified".into(),
        ),
    }
}

impl Trace {
    /// The trace as readable text, one layer after another from the original down.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{} — segment {} of {} (chain: {})",
            self.sentence,
            self.segment,
            self.work,
            if self.chain.is_empty() {
                "none".to_owned()
            } else {
                self.chain.join(" ")
            }
        );
        // A chain needs no summary (the layers below show it); a branching one does.
        if self.paths.len() > 1 {
            let paths: Vec<String> = self.paths.iter().map(|p| p.join(" ← ")).collect();
            let _ = writeln!(o, "derivation paths: {}", paths.join("; "));
        }
        for l in &self.layers {
            o.push('\n');
            l.write_text(&mut o);
        }
        o
    }
}

impl TraceLayer {
    /// The layer as [`Trace::to_text`] shows it: how it was made, who is responsible, the
    /// alignment steps into it and its sentences.
    fn write_text(&self, o: &mut String) {
        use std::fmt::Write as _;
        let l = self;
        let _ = writeln!(
            o,
            "[{}] {}{}",
            l.id,
            if l.lang.is_empty() { "?" } else { &l.lang },
            if l.title.is_empty() {
                String::new()
            } else {
                format!(" — {}", l.title)
            }
        );
        if l.derivations.is_empty() {
            let _ = writeln!(o, "  {}", crate::model::NO_SOURCE_LAYER);
        }
        for d in &l.derivations {
            let _ = writeln!(
                o,
                "  {} (from {}){}",
                d.summary,
                d.source,
                d.when
                    .as_ref()
                    .map(|w| format!(", {w}"))
                    .unwrap_or_default()
            );
        }
        if !l.agents.is_empty() {
            let people: Vec<String> = l
                .agents
                .iter()
                .map(|a| {
                    if a.name == crate::tei::header::UNKNOWN {
                        format!("{} unknown", a.role)
                    } else {
                        format!("{} ({}{})", a.name, a.role, a.hedge())
                    }
                })
                .collect();
            let _ = writeln!(o, "  responsible: {}", people.join("; "));
        }
        if !l.source_desc.is_empty() {
            let _ = writeln!(o, "  source: {}", l.source_desc);
        }
        for s in &l.steps {
            let _ = writeln!(o, "  {}", s.text());
        }
        if !l.has_text {
            let _ = writeln!(o, "  no text available");
        } else if l.sentences.is_empty() {
            let _ = writeln!(o, "  (no sentence of this layer in the segment)");
        }
        if !l.has_text || l.sentences.is_empty() {
            for g in &l.gaps {
                let _ = writeln!(o, "  gap: {g}");
            }
        }
        for s in &l.sentences {
            let _ = writeln!(o, "  {}: {}", s.id, s.marked_text());
            if let Some(g) = &s.gap {
                let _ = match &g.desc {
                    Some(d) => writeln!(o, "    {GAP_MARK} gap ({}): {d}", g.reason),
                    None => writeln!(o, "    {GAP_MARK} gap ({})", g.reason),
                };
            }
        }
    }
}

impl TraceStep {
    /// The step in words: `step a.cs-en.3: link 1-2, cert 0.93, automatic`.
    fn text(&self) -> String {
        let s = self;
        let conf = if s.status == "verified" {
            format!(
                "confirmed by {}{}",
                s.who,
                s.when
                    .as_ref()
                    .map(|w| format!(" on {w}"))
                    .unwrap_or_default()
            )
        } else {
            "automatic".to_owned()
        };
        let edited = (!s.edited.is_empty()).then(|| format!("{} edited", s.edited.join(" ")));
        let what: Vec<String> = edited.into_iter().chain(s.new_beside.clone()).collect();
        let conf = if what.is_empty() {
            conf
        } else {
            format!(
                "{conf} — confirmed on another text: review ({} since)",
                what.join(", ")
            )
        };
        let what = match (s.what.as_str(), s.kind.as_str()) {
            // A sentence another source of a layer made from several accounts for.
            (_, k) if s.other_source.is_some() => format!(
                "{}no counterpart on this edge; {}",
                if s.what == "link" {
                    format!("link {k}, ")
                } else {
                    String::new()
                },
                s.other_source.as_deref().unwrap_or_default()
            ),
            ("link", k) if s.partial => {
                format!("link {k}, partial (one side covers clearly less than the other)")
            }
            ("link", k) => format!("link {k}"),
            (_, "source-gap") => "no counterpart: the source witness has a gap here".into(),
            (_, "derived-gap") => {
                "no counterpart: the derived witness has a gap here (not an omission)".into()
            }
            (_, "source-only") => "no counterpart: omitted in this layer".into(),
            (_, "derived-only") => "no counterpart: added in this layer".into(),
            (_, k) => k.to_owned(),
        };
        // A gap in a witness is a fact of the witness, not a judgement with a score.
        if s.kind == "source-gap" || s.kind == "derived-gap" {
            format!("step {}: {what}, {conf}", s.id)
        } else {
            format!("step {}: {what}, cert {}, {conf}", s.id, s.cert)
        }
    }
}
