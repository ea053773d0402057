//! What a person confirmed: a short digest of the text of every sentence of a confirmed link or
//! ptr, recorded when it is confirmed, so that a confirmation whose sentences were edited later
//! is found ("confirmed on another text: review") instead of standing as confirmed without a
//! word.
//!
//! - The text is the sentence's text as the tool compares texts: its words without markup
//!   (`<hi>`, `<pb/>`, `<lb/>` …) and without notes, in Unicode NFC, white space collapsed to
//!   single spaces. So an edit of markup only does not count (it changes nothing a link asserts);
//!   any change of a character of the words does (a typo fixed, a sentence split or merged).
//! - One digest per sentence (the first 8 hex digits of its SHA-256), in `@target` order, so a
//!   report can name which sentence changed; a digest with another number of sentences than the
//!   item names (its targets changed by hand) counts as changed in all of them.
//! - The edge core records the digest of every bead put in as confirmed (`settle`, crate-internal); a bead
//!   repeating a confirmation of the same hand and date keeps the digest it had; a held item an
//!   operation confirms anew (`edit::Restate`) is settled the same way; any other held item
//!   is kept exactly, which may be without one: an alignment written before digests were kept
//!   has confirmations of unknown text, never reported as changed ([`TextCheck::unknown`]).
//! - Text split off a confirmed sentence, or added right beside it, leaves the sentence's own
//!   text as it was: `import --resplit` gives the first part the old id and its old text back,
//!   the rest a new id. So a confirmation also records the newest sentence of each of its
//!   layers then ([`ConfirmedText::newest`]): sentence ids are numbered in the order `import`
//!   gives them and never reused, so a sentence numbered above it that now stands right beside
//!   the item's sentences, in the same block, came since — split off, or added — and the
//!   confirmation no longer says where that text belongs (`new_beside`). Unless a person has
//!   placed that sentence since (a confirmed item of the edge holds it): then it was looked at.

use crate::model::{
    ConfirmedText, EdgeAlignment, Layer, Link, LinkStatus, Recorded, SentenceIndex, Unaligned,
    Work, WorkAlignment,
};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use std::collections::{HashMap, HashSet};
use unicode_normalization::UnicodeNormalization;

/// Hex digits kept of each sentence's SHA-256: 32 bits, enough that an edit goes unnoticed with
/// a chance of one in four billion, short enough to keep in the file beside every confirmation.
const HEX_DIGITS: usize = 8;

/// A sentence's text as the digest sees it: Unicode NFC, white space collapsed to one space,
/// no space at either end.
pub fn normalise(text: &str) -> String {
    // Every confirmed item's sentences are normalised by every command that checks them
    // (status, check, coverage, trace, the edition): text the quick check finds in NFC
    // already (nearly all) is not composed again, and the words go straight into one string.
    let composed;
    let nfc = if unicode_normalization::is_nfc_quick(text.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        text
    } else {
        composed = text.nfc().collect::<String>();
        &composed
    };
    let mut out = String::with_capacity(nfc.len());
    for (k, word) in nfc.split_whitespace().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The digest of one sentence's text: the first 8 hex digits of the SHA-256 of [`normalise`]d
/// text.
pub fn sentence_digest(text: &str) -> String {
    let hash = Sha256::digest(normalise(text).as_bytes());
    let mut out = String::with_capacity(HEX_DIGITS);
    for b in hash.iter().take(HEX_DIGITS / 2) {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The digest of an item whose sentences read `texts` (in `@target` order).
pub fn digest_of<'t>(texts: impl IntoIterator<Item = &'t str>) -> String {
    texts
        .into_iter()
        .map(sentence_digest)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of the sentences `ids` as they read in the work now, as a confirmation made now
/// records it (digest and the newest sentence of each of their layers); `None` when one of
/// them is not in the work (a deleted sentence is reported as such, not as edited).
pub fn current_digest(idx: &SentenceIndex<'_>, ids: &[&str]) -> Option<ConfirmedText> {
    let newest: HashMap<&str, String> = ids
        .iter()
        .filter_map(|id| idx.layer_id(id))
        .filter_map(|l| Some((l, idx.newest(l)?.to_owned())))
        .collect();
    text_now(idx, ids, &newest)
}

/// The newest sentence of every layer of the work that has one ([`newest_of`]), to record
/// the text of many items at once.
pub(crate) fn newest_by_layer(work: &Work) -> HashMap<&str, String> {
    work.layers
        .iter()
        .filter_map(|l| Some((l.id.as_str(), newest_of(l)?)))
        .collect()
}

/// [`current_digest`] with the layers' newest sentences given (`newest_by_layer`).
pub(crate) fn text_now(
    idx: &SentenceIndex<'_>,
    ids: &[&str],
    newest: &HashMap<&str, String>,
) -> Option<ConfirmedText> {
    let texts: Option<Vec<&str>> = ids.iter().map(|id| idx.text(id)).collect();
    let mut layers: Vec<&str> = Vec::new();
    for l in ids.iter().filter_map(|id| idx.layer_id(id)) {
        if !layers.contains(&l) {
            layers.push(l);
        }
    }
    let newest = layers
        .iter()
        .filter_map(|l| newest.get(l).cloned())
        .collect();
    texts.map(|t| ConfirmedText {
        digest: digest_of(t),
        newest,
        recorded: None,
    })
}

/// The number `N` of a sentence id `<layer>.s<N>`, as `import` gives them: in the order given,
/// never reused.
pub(crate) fn sentence_number(layer: &str, id: &str) -> Option<u64> {
    id.strip_prefix(layer)?.strip_prefix(".s")?.parse().ok()
}

/// The newest sentence of a layer: the one numbered highest; `<layer>.s0` when no id is
/// numbered (a layer imported from TEI with its own ids, `p3s2`, `udhr-en-a1-s3`): every
/// sentence tei-align gives later, split off or added, is `<layer>.s<N>` with N above 0, so
/// it is found beside a confirmed item as in any layer. `None` for a layer without sentences.
pub(crate) fn newest_of(layer: &Layer) -> Option<String> {
    layer
        .sentences
        .iter()
        .filter_map(|s| Some((sentence_number(&layer.id, &s.id)?, &s.id)))
        .max()
        .map(|(_, id)| id.clone())
        .or_else(|| (!layer.sentences.is_empty()).then(|| format!("{}.s0", layer.id)))
}

/// For `link --record-text`, which records a confirmation's text long after it was made: the
/// newest sentence of each layer of the item's sentences `ids` as far as the document can
/// tell, so that text split off beside them before the record is still reported. Ids are
/// given in document order at each import, so a sentence given after the ones that follow it
/// in the layer (numbered above one of them, or numbered among ids tei-align did not give)
/// came later than they did: when such a sentence stands right beside the item, the newest
/// recorded is the one before it, and `check` reports it as new beside the item: whether it
/// came before or after the confirmation cannot be known, so a person reviews it.
pub(crate) fn newest_seen<'w>(
    idx: &SentenceIndex<'w>,
    ids: &[&str],
    now: &HashMap<&'w str, String>,
) -> HashMap<&'w str, String> {
    let mut out = now.clone();
    let by_layer = positions_by_layer(idx, ids);
    let layers = &idx.work().layers;
    for (l, at) in by_layer {
        let layer = &layers[l];
        if let Some(n) = late_beside(layer, &at) {
            out.insert(layer.id.as_str(), format!("{}.s{}", layer.id, n - 1));
        }
    }
    out
}

/// The lowest number among the sentences right beside the item at `at` (same block) that
/// came later than a sentence after them ([`newest_seen`]).
fn late_beside(layer: &Layer, at: &[usize]) -> Option<u64> {
    let ss = &layer.sentences;
    let num: Vec<Option<u64>> = ss
        .iter()
        .map(|s| sentence_number(&layer.id, &s.id))
        .collect();
    let foreign = num.iter().any(Option::is_none);
    // The lowest number at or after each position: a sentence numbered above it came later.
    let mut low_after = vec![u64::MAX; ss.len() + 1];
    for k in (0..ss.len()).rev() {
        low_after[k] = low_after[k + 1].min(num[k].unwrap_or(u64::MAX));
    }
    let late = |k: usize| num[k].filter(|&n| foreign || n > low_after[k + 1]);
    let (first, last) = (*at.iter().min()?, *at.iter().max()?);
    let before = (0..first)
        .rev()
        .take_while(|&k| ss[k].block == ss[first].block && !at.contains(&k))
        .map_while(late);
    let after = (last + 1..ss.len())
        .take_while(|&k| ss[k].block == ss[last].block && !at.contains(&k))
        .map_while(late);
    before.chain(after).min()
}

/// The recorded newest number of `layer` among an item's `newest` ids.
pub(crate) fn newest_number(newest: &[String], layer: &str) -> Option<u64> {
    newest.iter().find_map(|id| sentence_number(layer, id))
}

/// A sentence that came since a confirmation and stands right beside its sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewBeside {
    /// The new sentence.
    pub sentence: String,
    /// The item's sentence it stands beside.
    pub beside: String,
    /// After it (text split off its end, or added after it), else before it.
    pub after: bool,
}

impl NewBeside {
    /// `en.s12 new after en.s5`.
    pub fn phrase(&self) -> String {
        let side = if self.after { "after" } else { "before" };
        format!("{} new {side} {}", self.sentence, self.beside)
    }
}

/// The sentences of `layer` numbered above `newest` (so given since it was the newest) that
/// stand right after the last, or right before the first, of the sentences at `at` (an item's
/// sentences in this layer, by index), in the same block, and that no person has placed since
/// (`placed`: the sentences of the edge's confirmed items). A run of them counts whole.
pub(crate) fn new_beside(
    layer: &Layer,
    at: &[usize],
    newest: u64,
    placed: &HashSet<&str>,
) -> Vec<NewBeside> {
    let ss = &layer.sentences;
    let (Some(&first), Some(&last)) = (at.iter().min(), at.iter().max()) else {
        return Vec::new();
    };
    let fresh = |k: usize, anchor: usize| {
        let s = &ss[k];
        s.block == ss[anchor].block
            && !at.contains(&k)
            && !placed.contains(s.id.as_str())
            && sentence_number(&layer.id, &s.id).is_some_and(|n| n > newest)
    };
    let beside = |k: usize, anchor: usize, after: bool| NewBeside {
        sentence: ss[k].id.clone(),
        beside: ss[anchor].id.clone(),
        after,
    };
    let mut out: Vec<NewBeside> = (0..first)
        .rev()
        .take_while(|&k| fresh(k, first))
        .map(|k| beside(k, first, false))
        .collect();
    out.reverse();
    out.extend(
        (last + 1..ss.len())
            .take_while(|&k| fresh(k, last))
            .map(|k| beside(k, last, true)),
    );
    out
}

/// The digest of sentences of one layer (by id); `None` when one is not in it.
fn layer_digest<'a>(layer_text: &HashMap<&str, &'a str>, ids: &[&String]) -> Option<String> {
    let texts: Option<Vec<&'a str>> = ids
        .iter()
        .map(|id| layer_text.get(id.as_str()).copied())
        .collect();
    texts.map(digest_of)
}

/// Give every confirmed item among the new ones of an edge (beads put in; held items are kept
/// exactly, their digest or its absence included) that has no digest the one it should have:
/// the digest of the old item with the same targets when the same person confirmed it at the
/// same time (a bead repeating a confirmation, as an import does: the text confirmed then, or
/// none when unknown); otherwise, a confirmation made now, the digest of its sentences as they
/// read now.
pub(crate) fn settle<'e>(
    links: impl IntoIterator<Item = &'e mut Link>,
    ptrs: impl IntoIterator<Item = &'e mut Unaligned>,
    old: Option<&EdgeAlignment>,
    (source, derived): (&Layer, &Layer),
) {
    let pending = |s: &LinkStatus| s.is_verified() && s.digest().is_none();
    let links: Vec<&mut Link> = links.into_iter().filter(|l| pending(&l.status)).collect();
    let ptrs: Vec<&mut Unaligned> = ptrs.into_iter().filter(|u| pending(&u.status)).collect();
    if links.is_empty() && ptrs.is_empty() {
        return;
    }
    let same_hand = |a: &LinkStatus, b: &LinkStatus| match (a, b) {
        (
            LinkStatus::Verified { who, when, .. },
            LinkStatus::Verified {
                who: w2, when: t2, ..
            },
        ) => who == w2 && when == t2,
        _ => false,
    };
    let old_links: HashMap<(&[String], &[String]), &LinkStatus> = old
        .iter()
        .flat_map(|o| &o.links)
        .map(|l| ((l.source.as_slice(), l.derived.as_slice()), &l.status))
        .collect();
    let old_ptrs: HashMap<(&str, &str), &LinkStatus> = old
        .iter()
        .flat_map(|o| &o.unaligned)
        .map(|u| ((u.layer.as_str(), u.sentence.as_str()), &u.status))
        .collect();
    let src_text: HashMap<&str, &str> = source
        .sentences
        .iter()
        .map(|s| (s.id.as_str(), s.text.as_str()))
        .collect();
    let der_text: HashMap<&str, &str> = derived
        .sentences
        .iter()
        .map(|s| (s.id.as_str(), s.text.as_str()))
        .collect();
    let (src_newest, der_newest) = (newest_of(source), newest_of(derived));
    let now = |digest: Option<String>, newest: Vec<Option<&String>>| {
        digest.map(|digest| ConfirmedText {
            digest,
            newest: newest.into_iter().flatten().cloned().collect(),
            recorded: None,
        })
    };
    for l in links {
        let text = match old_links.get(&(l.source.as_slice(), l.derived.as_slice())) {
            Some(o) if same_hand(o, &l.status) => o.confirmed_text().cloned(),
            _ => {
                let s: Vec<&String> = l.source.iter().collect();
                let d: Vec<&String> = l.derived.iter().collect();
                let digest = match (layer_digest(&src_text, &s), layer_digest(&der_text, &d)) {
                    (Some(a), Some(b)) => Some(format!("{a} {b}")),
                    _ => None,
                };
                now(digest, vec![src_newest.as_ref(), der_newest.as_ref()])
            }
        };
        set_digest(&mut l.status, text);
    }
    for u in ptrs {
        let (texts, newest) = if u.layer == derived.id {
            (&der_text, &der_newest)
        } else {
            (&src_text, &src_newest)
        };
        let text = match old_ptrs.get(&(u.layer.as_str(), u.sentence.as_str())) {
            Some(o) if same_hand(o, &u.status) => o.confirmed_text().cloned(),
            _ => now(layer_digest(texts, &[&u.sentence]), vec![newest.as_ref()]),
        };
        set_digest(&mut u.status, text);
    }
}

/// Record `digest` in a confirmation.
pub(crate) fn set_digest(status: &mut LinkStatus, new: Option<ConfirmedText>) {
    if let LinkStatus::Verified { digest, .. } = status {
        *digest = new;
    }
}

/// A confirmed link or ptr whose sentences no longer read as they did when it was confirmed,
/// or beside which text came since (split off one of its sentences, or added).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextChanged {
    /// The relation (edge) id.
    pub relation: String,
    /// The link or ptr id.
    pub item: String,
    /// Its sentences, in `@target` order.
    pub sentences: Vec<String>,
    /// Those whose text changed since the confirmation.
    pub changed: Vec<String>,
    /// Sentences that came since, right beside its sentences (`new_beside`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub new_beside: Vec<NewBeside>,
    /// Who confirmed it.
    pub who: String,
    /// When.
    pub when: String,
    /// Who recorded its text, and when, when not at the confirmation (`link --record-text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<Recorded>,
}

impl TextChanged {
    /// What changed, in words: `en.s5 edited, en.s12 new after en.s5`.
    pub fn what(&self) -> String {
        let edited =
            (!self.changed.is_empty()).then(|| format!("{} edited", self.changed.join(" ")));
        edited
            .into_iter()
            .chain(self.new_beside.iter().map(NewBeside::phrase))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Since when: `since jnovak confirmed it on 2026-12-01`, or, for a text recorded later,
    /// `since eva recorded its text on 2026-12-02 (jnovak confirmed it on 2026-11-01)`.
    pub fn since(&self) -> String {
        let on = |w: &str| {
            if w.is_empty() {
                String::new()
            } else {
                format!(" on {w}")
            }
        };
        match &self.recorded {
            None => format!("since {} confirmed it{}", self.who, on(&self.when)),
            Some(r) => format!(
                "since {} recorded its text{} ({} confirmed it{})",
                r.who,
                on(&r.when),
                self.who,
                on(&self.when)
            ),
        }
    }

    /// The one line every command reports it with: `a.cs-en.5 (cs.s5 en.s5): confirmed on
    /// another text: review (en.s5 edited since jnovak confirmed it on 2026-12-01)`.
    pub fn line(&self) -> String {
        format!(
            "{} ({}): confirmed on another text: review ({} {})",
            self.item,
            self.sentences.join(" "),
            self.what(),
            self.since()
        )
    }
}

/// What [`check_texts`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TextCheck {
    /// Confirmed items whose text changed since they were confirmed, in file order.
    pub changed: Vec<TextChanged>,
    /// Ids of confirmed items with no digest (confirmed before digests were kept): whether their
    /// text changed is unknown.
    pub unknown: Vec<String>,
}

impl TextCheck {
    /// The note said once about confirmations of unknown text, if there are any.
    pub fn unknown_note(&self) -> Option<String> {
        let n = self.unknown.len();
        (n > 0).then(|| {
            format!(
                "{n} confirmed item{} {} no record of the text confirmed (confirmed before \
                 tei-align kept one), so an edit of {} text cannot be told: `tei-align link \
                 <work> <link id>` confirms one anew; `tei-align link <work> --record-text` \
                 records {} text as it reads now, under your name",
                if n == 1 { "" } else { "s" },
                if n == 1 { "has" } else { "have" },
                if n == 1 { "its" } else { "their" },
                if n == 1 { "its" } else { "their" },
            )
        })
    }

    /// The item ids reported as changed.
    pub fn changed_ids(&self) -> impl Iterator<Item = &str> {
        self.changed.iter().map(|c| c.item.as_str())
    }
}

/// Every confirmed item of the alignment compared with the texts of the work as they are now.
/// An item naming a sentence the work no longer has is left out (that is reported as a
/// confirmed link whose sentence was deleted).
pub fn check_texts(work: &Work, al: &WorkAlignment) -> TextCheck {
    let idx = SentenceIndex::new(work);
    let mut out = TextCheck::default();
    for e in &al.edges {
        let placed = placed(e);
        let links = e.links.iter().map(|l| {
            let ids = l.sentence_ids();
            (&l.id, &l.status, ids)
        });
        let ptrs = e
            .unaligned
            .iter()
            .map(|u| (&u.id, &u.status, vec![u.sentence.as_str()]));
        for (id, status, ids) in links.chain(ptrs) {
            let LinkStatus::Verified { who, when, digest } = status else {
                continue;
            };
            let Some(recorded) = digest else {
                out.unknown.push(id.clone());
                continue;
            };
            let Some((changed, mut new_beside)) = edited(&idx, &ids, recorded) else {
                continue; // a sentence is gone
            };
            new_beside.extend(beside_item(&idx, &ids, &recorded.newest, &placed));
            if changed.is_empty() && new_beside.is_empty() {
                continue;
            }
            out.changed.push(TextChanged {
                relation: e.relation.clone(),
                item: id.clone(),
                sentences: ids.iter().map(|s| (*s).to_owned()).collect(),
                changed,
                new_beside,
                who: who.clone(),
                when: when.clone(),
                recorded: recorded.recorded.clone(),
            });
        }
    }
    out
}

/// The sentences a person has placed on an edge: those of its confirmed items.
pub(crate) fn placed(e: &EdgeAlignment) -> HashSet<&str> {
    let links = e
        .links
        .iter()
        .filter(|l| l.status.is_verified())
        .flat_map(|l| l.sentence_ids());
    let ptrs = e
        .unaligned
        .iter()
        .filter(|u| u.status.is_verified())
        .map(|u| u.sentence.as_str());
    links.chain(ptrs).collect()
}

/// The sentences new beside an item's sentences `ids` in each of their layers whose newest
/// sentence was recorded ([`new_beside`]).
fn beside_item(
    idx: &SentenceIndex<'_>,
    ids: &[&str],
    newest: &[String],
    placed: &HashSet<&str>,
) -> Vec<NewBeside> {
    let by_layer = positions_by_layer(idx, ids);
    let layers = &idx.work().layers;
    by_layer
        .iter()
        .filter_map(|(l, at)| {
            let layer = &layers[*l];
            let n = newest_number(newest, &layer.id)?;
            Some(new_beside(layer, at, n, placed))
        })
        .flatten()
        .collect()
}

/// The sentences of `ids` whose text no longer has the digest `recorded`, and those that came
/// since inside the item ([`compare`]); `None` when one of them is gone from the work.
fn edited(
    idx: &SentenceIndex<'_>,
    ids: &[&str],
    recorded: &ConfirmedText,
) -> Option<(Vec<String>, Vec<NewBeside>)> {
    let now: Vec<(&str, &str, &str)> = ids
        .iter()
        .map(|id| Some((idx.layer_id(id)?, *id, idx.text(id)?)))
        .collect::<Option<_>>()?;
    Some(compare(recorded, &now))
}

/// An item's sentences, given as (layer, id, text now) in `@target` order, against what its
/// confirmation `recorded`: the ones edited since ([`edited_since`]), and the ones that came
/// since inside it, numbered above the newest sentence of their layer then. Only `align` puts
/// such a sentence inside a confirmed link — text split off one of its sentences, taken in so
/// that the link joins consecutive sentences again — and the person did not confirm it, so it
/// is reported as new beside the sentence before it (or after it), like text split off at an
/// end, and left out of the comparison with the digest, which names the sentences confirmed.
pub(crate) fn compare(
    recorded: &ConfirmedText,
    now: &[(&str, &str, &str)],
) -> (Vec<String>, Vec<NewBeside>) {
    let came = |&(l, id, _): &(&str, &str, &str)| {
        let n = newest_number(&recorded.newest, l);
        n.is_some_and(|n| sentence_number(l, id).is_some_and(|k| k > n))
    };
    let mut inside = Vec::new();
    for (k, item) in now.iter().enumerate().filter(|(_, x)| came(x)) {
        let old = |j: &usize| now[*j].0 == item.0 && !came(&now[*j]);
        let before = (0..k).rev().find(old);
        let after = (k + 1..now.len()).find(old);
        if let Some(j) = before.or(after) {
            inside.push(NewBeside {
                sentence: item.1.to_owned(),
                beside: now[j].1.to_owned(),
                after: before.is_some(),
            });
        }
    }
    let kept: Vec<(&str, &str)> = now
        .iter()
        .filter(|x| !came(x))
        .map(|&(_, id, t)| (id, t))
        .collect();
    (edited_since(&recorded.digest, &kept), inside)
}

/// The sentences, given as (id, text now) in `@target` order, whose text is not the one whose
/// digest was `recorded`: all of them when the digest names another number of sentences.
pub fn edited_since(recorded: &str, now: &[(&str, &str)]) -> Vec<String> {
    let was: Vec<&str> = recorded.split_whitespace().collect();
    if was.len() != now.len() {
        return now.iter().map(|(id, _)| (*id).to_owned()).collect();
    }
    now.iter()
        .zip(was)
        .filter(|((_, t), w)| sentence_digest(t) != *w)
        .map(|((id, _), _)| (*id).to_owned())
        .collect()
}

/// The positions of the sentences `ids` names, grouped by layer (layers in the order first named;
/// ids no layer has are left out).
fn positions_by_layer(idx: &SentenceIndex<'_>, ids: &[&str]) -> Vec<(usize, Vec<usize>)> {
    let mut by_layer: Vec<(usize, Vec<usize>)> = Vec::new();
    for p in ids.iter().filter_map(|id| idx.get(id)) {
        match by_layer.iter_mut().find(|(l, _)| *l == p.layer) {
            Some((_, at)) => at.push(p.index),
            None => by_layer.push((p.layer, vec![p.index])),
        }
    }
    by_layer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_that_came_since_inside_an_item_is_new_beside_not_edited() {
        let recorded = ConfirmedText {
            digest: digest_of(["Ahoj.", "Hello", "there."]),
            newest: vec!["cs.s9".into(), "en.s10".into()],
            recorded: None,
        };
        let now = [
            ("cs", "cs.s2", "Ahoj."),
            ("en", "en.s2", "Hello"),
            ("en", "en.s11", "you"),
            ("en", "en.s3", "there."),
        ];
        let (edited, inside) = compare(&recorded, &now);
        assert!(edited.is_empty(), "{edited:?}");
        let said: Vec<String> = inside.iter().map(NewBeside::phrase).collect();
        assert_eq!(said, ["en.s11 new after en.s2"]);
        // Numbered below the newest then: it was there, so the digest names another count.
        let old = ConfirmedText {
            newest: vec!["en.s12".into()],
            ..recorded
        };
        let (edited, inside) = compare(&old, &now);
        assert_eq!(edited.len(), 4);
        assert!(inside.is_empty());
    }

    #[test]
    fn a_confirmation_records_the_highest_numbered_sentence_of_each_layer_not_the_last() {
        let mut w = crate::review::testdata::work();
        // The newest sentence stands first in the cs layer (split off and moved since);
        // the en layer's ids are not numbered as import numbers them.
        w.layers[0].sentences[0].id = "cs.s9".into();
        for s in &mut w.layers[1].sentences {
            s.id = s.id.replace(".s", ".x");
        }
        let idx = SentenceIndex::new(&w);
        assert_eq!(idx.newest("cs"), Some("cs.s9"));
        assert_eq!(idx.newest("en"), newest_of(&w.layers[1]).as_deref());
        assert_eq!(idx.newest("de"), None);
        let t = current_digest(&idx, &["cs.s2", "en.x1"]).expect("both sentences are there");
        let want: Vec<String> = ["cs.s9"]
            .into_iter()
            .map(String::from)
            .chain(newest_of(&w.layers[1]))
            .collect();
        assert_eq!(t.newest, want);
        assert_eq!(t.digest, digest_of(["Píšeme vám dopis.", "Dear comrades."]));
    }

    #[test]
    fn text_already_in_nfc_is_normalised_as_text_that_is_not() {
        for (text, want) in [
            (
                "Derült, hideg\u{a0}áprilisi nap",
                "Derült, hideg áprilisi nap",
            ),
            (
                "Derült, hideg\u{a0}a\u{301}prilisi nap",
                "Derült, hideg áprilisi nap",
            ),
            ("  \t ", ""),
            ("a\u{30a}\u{301} x", "\u{1fb} x"),
        ] {
            assert_eq!(normalise(text), want, "{text:?}");
        }
    }

    #[test]
    fn normalisation_is_nfc_with_white_space_collapsed() {
        // "é" as e + combining acute and as one code point; tabs, newlines, runs of spaces.
        assert_eq!(normalise("  Cafe\u{301}\t au\n\n lait  "), "Café au lait");
        assert_eq!(
            sentence_digest("Café au lait"),
            sentence_digest(" Cafe\u{301}  au\nlait")
        );
        // A typo fixed or a word changed is a different text.
        assert_ne!(sentence_digest("teh letter"), sentence_digest("the letter"));
        assert_ne!(sentence_digest("Café"), sentence_digest("Cafe"));
        let d = sentence_digest("x");
        assert_eq!(d.len(), HEX_DIGITS);
        assert!(d.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(
            digest_of(["a", "b"]),
            format!("{} {}", sentence_digest("a"), sentence_digest("b"))
        );
    }
}
