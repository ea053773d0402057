//! Putting imported beads into an edge of the alignment: which items of the edge the file's
//! beads replace (all of them, or those they overlap or cross), and what a bead says when the
//! file is silent. The edge itself is then made by the edge core
//! ([`crate::provenance::build_edge`]), as an alignment run or a `link` makes it.

use super::{FormatError, ImportedBead, relation_of};
use crate::model::{
    EdgeAlignment, Layer, Link, LinkStatus, Relation, SentenceIndex, Unaligned, UnalignedKind,
    Work, WorkAlignment,
};
use crate::provenance::edit::SpanPair;
use crate::provenance::{EdgeEdit, IdAlloc, NewBead, Restate, build_edge};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// How imported beads go into an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// The file replaces the edge; sentences it does not mention become automatic unaligned
    /// ptrs (cert 0, to be reviewed).
    Replace,
    /// The file's beads replace the beads they overlap or cross; the rest of the edge stays.
    /// A bead that would remove a link a person confirmed is skipped unless it is confirmed
    /// itself.
    Merge,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    /// Links written.
    pub links: usize,
    /// Unaligned ptrs written.
    pub unaligned: usize,
    /// Of those, confirmed by a person.
    pub verified: usize,
    /// Confirmed links of the old edge that are gone (replace mode, or overridden by a
    /// confirmed imported bead).
    pub lost_verified: Vec<String>,
    /// Imported beads skipped because they conflict with a confirmed link (merge mode): lines.
    pub skipped: Vec<usize>,
    /// Sentences no bead covers, now unaligned (replace mode).
    pub uncovered: Vec<String>,
    /// Items a person confirmed that the file gives as not confirmed (`auto`, InterText's
    /// `plain` after its user took a confirmation back): kept as confirmed, since a merge never
    /// undoes a person's confirmation. (line in the file, item id.)
    pub kept_confirmed: Vec<(usize, String)>,
    /// Sentences a person confirmed as having no counterpart whose judgement is gone (the
    /// file's confirmed beads put them into links, or `--replace`): (ptr id, sentence).
    pub lost_unaligned: Vec<(String, String)>,
}

fn is_verified(s: &LinkStatus) -> bool {
    matches!(s, LinkStatus::Verified { .. })
}

/// The same person's confirmation at the same time (the digest aside: a file does not carry it).
pub(crate) fn same_confirmation(a: &LinkStatus, b: &LinkStatus) -> bool {
    match (a, b) {
        (
            LinkStatus::Verified {
                who: w1, when: t1, ..
            },
            LinkStatus::Verified {
                who: w2, when: t2, ..
            },
        ) => w1 == w2 && t1 == t2,
        _ => false,
    }
}

/// A bead of the file on sentence ids in document order, with its positions.
struct FileBead<'b> {
    bead: &'b ImportedBead,
    src: Vec<String>,
    der: Vec<String>,
    /// (first, last) positions; `None` for an empty side.
    sp: Option<(usize, usize)>,
    dp: Option<(usize, usize)>,
}

/// Put imported beads into edge `ei` of the alignment. Every id must be a sentence of the right
/// layer; within the file, beads must not overlap or cross. Ids from the file are kept when
/// they are free; beads equal to an existing link keep that link's id, confidence and (when the
/// file says nothing) status.
pub(crate) fn merge_edge(
    work: &Work,
    al: &mut WorkAlignment,
    ei: usize,
    beads: &[ImportedBead],
    mode: ImportMode,
    path: &str,
) -> Result<ImportReport, FormatError> {
    let idx = SentenceIndex::new(work);
    let Some(edge_now) = al.edges.get(ei) else {
        return Err(FormatError::Alignment(format!("no edge number {ei}")));
    };
    let rel = relation_of(al, edge_now)?.clone();
    let (Some(source), Some(derived)) = (work.layer(&rel.source), work.layer(&rel.derived)) else {
        return Err(FormatError::Alignment(format!(
            "the work has no layers for {}",
            rel.id
        )));
    };
    let beads = oriented(&idx, &rel, beads);
    validate(&idx, &rel, &beads, path)?;
    let file: Vec<FileBead> = beads
        .iter()
        .filter(|b| !b.source.is_empty() || !b.derived.is_empty())
        .map(|b| file_bead(&idx, b))
        .collect();
    let old = &al.edges[ei];
    let mut report = ImportReport::default();
    let mut restate = HashMap::new();
    let (held_links, held_ptrs, file, orphans) = match mode {
        ImportMode::Replace => (vec![], vec![], file, HashSet::new()),
        ImportMode::Merge => {
            let (links, ptrs, file) = held_by_merge(&idx, old, file, (&mut report, &mut restate));
            let orphans = removed_sentences(old, &links);
            (links, ptrs, file, orphans)
        }
    };
    let olds = OldItems::new(old);
    let new_beads = file
        .iter()
        .map(|f| new_bead(&olds, f, (source, derived)))
        .collect();
    let edit = EdgeEdit {
        relation: &rel,
        source,
        derived,
        old: Some(old),
        held_links,
        held_ptrs,
        restate,
        beads: new_beads,
        fill: true,
    };
    let mut ids = IdAlloc::new(al);
    let built = build_edge(edit, &mut ids);
    if mode == ImportMode::Replace {
        report.lost_verified = lost_verified(old, &built.edge);
        report.lost_unaligned = lost_unaligned(old, &built.edge);
    }
    report.uncovered = built
        .uncovered
        .into_iter()
        .filter(|s| !orphans.contains(s))
        .collect();
    let edge = built.edge;
    report.links = edge.links.len();
    report.unaligned = edge.unaligned.len();
    report.verified = edge.links.iter().filter(|l| is_verified(&l.status)).count()
        + edge
            .unaligned
            .iter()
            .filter(|u| is_verified(&u.status))
            .count();
    al.edges[ei] = edge;
    Ok(report)
}

/// The beads as the edge reads them. A file written the other way round (its first side is
/// the derived layer) whose document names did not tell: the ids do. Every id of the first side
/// is in the derived layer and every id of the second in the source layer → swap.
fn oriented<'b>(
    idx: &SentenceIndex<'_>,
    rel: &Relation,
    beads: &'b [ImportedBead],
) -> Cow<'b, [ImportedBead]> {
    let all_in = |ids: &[String], layer: &str| ids.iter().all(|id| idx.layer_id(id) == Some(layer));
    let reversed = rel.source != rel.derived
        && beads
            .iter()
            .any(|b| !b.source.is_empty() || !b.derived.is_empty())
        && beads
            .iter()
            .all(|b| all_in(&b.source, &rel.derived) && all_in(&b.derived, &rel.source));
    if !reversed {
        return Cow::Borrowed(beads);
    }
    Cow::Owned(
        beads
            .iter()
            .map(|b| ImportedBead {
                source: b.derived.clone(),
                derived: b.source.clone(),
                ..b.clone()
            })
            .collect(),
    )
}

/// Every id a sentence of the right layer, the sentences of a bead consecutive, no sentence
/// twice, no two beads crossing; else an error at the bead's line.
fn validate(
    idx: &SentenceIndex<'_>,
    rel: &Relation,
    beads: &[ImportedBead],
    path: &str,
) -> Result<(), FormatError> {
    let perr = |line: usize, message: String| FormatError::Parse {
        path: path.to_owned(),
        line,
        message,
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    // (line, spans) of the beads with sentences on both sides.
    let mut links: Vec<(usize, SpanPair)> = Vec::new();
    for b in beads {
        let mut sp = [None, None];
        for (k, (ids, layer)) in [(&b.source, &rel.source), (&b.derived, &rel.derived)]
            .into_iter()
            .enumerate()
        {
            let mut pos = Vec::new();
            for id in ids {
                match idx.layer_id(id) {
                    Some(l) if l == layer => {}
                    Some(l) => {
                        let m = format!("{id} is in layer {l}, expected a sentence of {layer}");
                        return Err(perr(b.line, m));
                    }
                    None => {
                        let m = format!("unknown sentence id {id} in layer {layer}");
                        return Err(perr(b.line, m));
                    }
                }
                if let Some(prev) = seen.insert(id, b.line) {
                    let m = format!("{id} is already aligned on line {prev}");
                    return Err(perr(b.line, m));
                }
                pos.push(idx.index(id).unwrap_or(0));
            }
            pos.sort_unstable();
            if pos.windows(2).any(|w| w[1] != w[0] + 1) {
                let m = format!(
                    "the {layer} sentences of a bead must be consecutive: {}",
                    ids.join(" ")
                );
                return Err(perr(b.line, m));
            }
            sp[k] = pos.first().map(|&f| (f, *pos.last().unwrap_or(&f)));
        }
        if let [Some(s), Some(d)] = sp {
            links.push((b.line, (s, d)));
        }
    }
    links.sort_by_key(|&(_, (s, _))| s);
    for w in links.windows(2) {
        if w[1].1.1.0 <= w[0].1.1.1 {
            let m = format!("this bead crosses the one on line {}", w[0].0);
            return Err(perr(w[1].0, m));
        }
    }
    Ok(())
}

/// A (validated) bead with its ids in document order and its spans.
fn file_bead<'b>(idx: &SentenceIndex<'_>, b: &'b ImportedBead) -> FileBead<'b> {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort_by_key(|id| idx.index(id));
        v
    };
    let (src, der) = (sorted(&b.source), sorted(&b.derived));
    let span = |v: &[String]| Some((idx.index(v.first()?)?, idx.index(v.last()?)?));
    FileBead {
        bead: b,
        sp: span(&src),
        dp: span(&der),
        src,
        der,
    }
}

/// Merge mode: the old items the file's beads leave standing, and the beads that go in. A bead
/// that repeats a link changes at most its status (never downgrading what a person confirmed)
/// and confidence: the link is held, and the change goes to `restate` for the edge core to make
/// (it gives a confirmation the file brings the digest of its text); a bead on one side only
/// over sentences that had no counterpart before repeats that judgement, and unconfirmed it
/// leaves a person's standing. A bead replaces the links it overlaps or crosses and the ptrs of
/// its sentences, unless one of them is confirmed and the bead is not (then it is skipped); the
/// confirmed ones it replaces are reported.
fn held_by_merge<'b>(
    idx: &SentenceIndex<'_>,
    old: &EdgeAlignment,
    file: Vec<FileBead<'b>>,
    (report, restate): (&mut ImportReport, &mut HashMap<String, Restate>),
) -> (Vec<Link>, Vec<Unaligned>, Vec<FileBead<'b>>) {
    let mut links: Vec<Option<Link>> = old.links.iter().cloned().map(Some).collect();
    let by_members: HashMap<(&[String], &[String]), usize> = old
        .links
        .iter()
        .enumerate()
        .map(|(k, l)| ((l.source.as_slice(), l.derived.as_slice()), k))
        .collect();
    let span = |v: &[String]| Some((idx.index(v.first()?)?, idx.index(v.last()?)?));
    let spans: Vec<Option<SpanPair>> = old
        .links
        .iter()
        .map(|l| Some((span(&l.source)?, span(&l.derived)?)))
        .collect();
    let ptr_of: HashMap<&str, &Unaligned> = old
        .unaligned
        .iter()
        .map(|u| (u.sentence.as_str(), u))
        .collect();
    let mut going_in: Vec<FileBead> = Vec::new();
    let mut changed: Vec<(usize, Option<LinkStatus>, Option<f64>)> = Vec::new();
    for f in file {
        let same = (!f.src.is_empty() && !f.der.is_empty())
            .then(|| by_members.get(&(f.src.as_slice(), f.der.as_slice())))
            .flatten();
        if let Some(&k) = same {
            changed.push(repeated_link(&f, k, old, report));
            continue;
        }
        let bead_status = f.bead.status.clone().unwrap_or(LinkStatus::Automatic);
        let members = || f.src.iter().chain(&f.der).map(String::as_str);
        let old_ptrs: Vec<&Unaligned> = members().filter_map(|s| ptr_of.get(s).copied()).collect();
        let confirmed_ptr = old_ptrs.iter().find(|u| is_verified(&u.status));
        // A bead on one side only, on sentences that had no counterpart before: the same
        // judgement. Unconfirmed, it does not undo a person's (as for a link).
        if f.src.is_empty() != f.der.is_empty() && old_ptrs.len() == members().count() {
            match confirmed_ptr {
                Some(u) if !is_verified(&bead_status) => {
                    if f.bead.status.is_some() {
                        report.kept_confirmed.push((f.bead.line, u.id.clone()));
                    }
                }
                _ => going_in.push(f),
            }
            continue;
        }
        let hit: Vec<usize> = (0..links.len())
            .filter(|&k| {
                links[k]
                    .as_ref()
                    .is_some_and(|l| conflicts(&f, l, spans[k]))
            })
            .collect();
        let hits_confirmed = confirmed_ptr.is_some()
            || hit
                .iter()
                .any(|&k| links[k].as_ref().is_some_and(|l| is_verified(&l.status)));
        if hits_confirmed && !is_verified(&bead_status) {
            // Never silently override what a person confirmed.
            report.skipped.push(f.bead.line);
            continue;
        }
        for k in hit {
            if let Some(l) = links[k].take()
                && is_verified(&l.status)
            {
                report.lost_verified.push(l.id);
            }
        }
        report.lost_unaligned.extend(
            old_ptrs
                .iter()
                .filter(|u| is_verified(&u.status))
                .map(|u| (u.id.clone(), u.sentence.clone())),
        );
        going_in.push(f);
    }
    restate_repeats(&links, changed, restate);
    let on_beads: HashSet<&str> = going_in
        .iter()
        .flat_map(|f| f.src.iter().chain(&f.der).map(String::as_str))
        .collect();
    let ptrs = old
        .unaligned
        .iter()
        .filter(|u| !on_beads.contains(u.sentence.as_str()))
        .cloned()
        .collect();
    (links.into_iter().flatten().collect(), ptrs, going_in)
}

/// What a bead repeating link `k` of the edge changes of it: (k, status, confidence). It
/// changes at most its status (never taking back what a person confirmed: where the file says
/// otherwise, the report notes the line) and confidence.
fn repeated_link(
    f: &FileBead<'_>,
    k: usize,
    old: &EdgeAlignment,
    report: &mut ImportReport,
) -> (usize, Option<LinkStatus>, Option<f64>) {
    let old_status = &old.links[k].status;
    if is_verified(old_status) && f.bead.status.as_ref().is_some_and(|s| !is_verified(s)) {
        report
            .kept_confirmed
            .push((f.bead.line, old.links[k].id.clone()));
    }
    let status = f
        .bead
        .status
        .clone()
        .filter(|s| is_verified(s) || !is_verified(old_status));
    // A confirmation made now is certain, as `link` records one (see `new_bead`).
    let cert = match &status {
        Some(s) if is_verified(s) && !same_confirmation(s, old_status) => Some(1.0),
        // A confirmed link keeps the certainty its confirmation gave it: a score beside it in
        // the file (an export from before the confirmation) is the aligner's, not the person's.
        _ if is_verified(old_status) => None,
        _ => f.bead.cert,
    };
    (k, status, cert)
}

/// The changes of [`repeated_link`] to the links still held, for the edge core to make.
fn restate_repeats(
    links: &[Option<Link>],
    changed: Vec<(usize, Option<LinkStatus>, Option<f64>)>,
    restate: &mut HashMap<String, Restate>,
) {
    for (k, status, cert) in changed {
        // A link the file repeats and a later bead replaced is not held: nothing to restate.
        if let Some(l) = links.get(k).and_then(Option::as_ref) {
            restate.insert(
                l.id.clone(),
                Restate {
                    status,
                    cert,
                    anew: false,
                },
            );
        }
    }
}

/// True when the bead overlaps or crosses a link with spans `ls`/`ld` (a 1-0/0-1 bead crosses
/// a link only by falling inside it on its side: an overlap).
fn conflicts(f: &FileBead<'_>, l: &Link, span: Option<SpanPair>) -> bool {
    let overlap =
        l.source.iter().any(|s| f.src.contains(s)) || l.derived.iter().any(|d| f.der.contains(d));
    let cross = match (f.sp, f.dp, span) {
        (Some(bs), Some(bd), Some((ls, ld))) => {
            !((bs.1 < ls.0 && bd.1 < ld.0) || (bs.0 > ls.1 && bd.0 > ld.1))
        }
        _ => false,
    };
    overlap || cross
}

/// The old items a bead repeats, found by their targets.
struct OldItems<'a> {
    links: HashMap<(&'a [String], &'a [String]), &'a Link>,
    ptrs: HashMap<&'a str, &'a Unaligned>,
}

impl<'a> OldItems<'a> {
    fn new(old: &'a EdgeAlignment) -> Self {
        OldItems {
            links: old
                .links
                .iter()
                .map(|l| ((l.source.as_slice(), l.derived.as_slice()), l))
                .collect(),
            ptrs: old
                .unaligned
                .iter()
                .map(|u| (u.sentence.as_str(), u))
                .collect(),
        }
    }
}

/// A file bead as a bead for the edge core: what the file does not say (status, confidence, a
/// source or derived gap) taken from the old item with the same targets, else automatic with 0.5
/// (1 when confirmed). A gap in a witness is known from the old alignment; a plain 0-1 or 1-0
/// bead in a file cannot say it (without an old ptr, the edge core's gap rule decides).
fn new_bead(old: &OldItems<'_>, f: &FileBead<'_>, (source, derived): (&Layer, &Layer)) -> NewBead {
    let b = f.bead;
    let range = |s: Option<(usize, usize)>| s.map_or(vec![], |(lo, hi)| (lo..=hi).collect());
    let (src, tgt) = (range(f.sp), range(f.dp));
    let is_link = !src.is_empty() && !tgt.is_empty();
    let same_link = is_link
        .then(|| {
            old.links
                .get(&(f.src.as_slice(), f.der.as_slice()))
                .copied()
        })
        .flatten();
    let first = f.src.first().or(f.der.first()).map(String::as_str);
    let old_ptr = (!is_link)
        .then(|| first.and_then(|s| old.ptrs.get(s).copied()))
        .flatten();
    let old_status = same_link.map(|l| &l.status).or(old_ptr.map(|u| &u.status));
    let status = b
        .status
        .clone()
        .or_else(|| old_status.cloned())
        .unwrap_or(LinkStatus::Automatic);
    let old_cert = same_link.map(|l| l.cert).or(old_ptr.map(|u| u.cert));
    let fallback = if is_verified(&status) { 1.0 } else { 0.5 };
    // A confirmation the file brings to an item of the edge (not the one the item had) is
    // certain, as `link` records one: the certainty beside it in the file is the aligner's
    // score of the bead before a person looked at it. A bead new to the edge keeps the file's
    // certainty, if it gives one (else 1 when confirmed).
    let confirmed_now = match (&status, old_status) {
        (LinkStatus::Verified { .. }, Some(old)) => !same_confirmation(&status, old),
        _ => false,
    };
    // The mirror for a 1-0 bead: a gap of the derived witness is known from the old alignment.
    let kind = old_ptr.map(|u| match (src.is_empty(), u.kind) {
        (true, UnalignedKind::SourceGap) => UnalignedKind::SourceGap,
        (true, _) => UnalignedKind::DerivedOnly,
        (false, UnalignedKind::DerivedGap) => UnalignedKind::DerivedGap,
        (false, _) => UnalignedKind::SourceOnly,
    });
    // The same link as before stays as it was: the file cannot say otherwise. Another link
    // holding a sentence in which its witness breaks off is partial, whoever made it: the
    // evidence the aligner goes by (the length of the texts) is not judged over a
    // person's link, but a broken-off sentence is a fact of the layer.
    let partial = match same_link {
        Some(l) => l.partial,
        None => {
            is_link
                && (src.iter().any(|&i| source.is_truncated(i))
                    || tgt.iter().any(|&j| derived.is_truncated(j)))
        }
    };
    NewBead {
        src,
        tgt,
        cert: if confirmed_now {
            1.0
        } else {
            b.cert.or(old_cert).unwrap_or(fallback)
        },
        status,
        partial,
        id: b.id.clone(),
        kind,
    }
}

/// The sentences of the old links an import removed (merge mode): left over, they are not
/// "not in the file".
fn removed_sentences(old: &EdgeAlignment, held: &[Link]) -> HashSet<String> {
    let kept: HashSet<&str> = held.iter().map(|l| l.id.as_str()).collect();
    old.links
        .iter()
        .filter(|l| !kept.contains(l.id.as_str()))
        .flat_map(|l| l.source.iter().chain(&l.derived).cloned())
        .collect()
}

/// The sentences `old` has confirmed as without counterpart that `new` does not: (ptr id,
/// sentence).
fn lost_unaligned(old: &EdgeAlignment, new: &EdgeAlignment) -> Vec<(String, String)> {
    let now: HashSet<&str> = new
        .unaligned
        .iter()
        .filter(|u| is_verified(&u.status))
        .map(|u| u.sentence.as_str())
        .collect();
    old.unaligned
        .iter()
        .filter(|u| is_verified(&u.status) && !now.contains(u.sentence.as_str()))
        .map(|u| (u.id.clone(), u.sentence.clone()))
        .collect()
}

/// The confirmed links of `old` that `new` no longer has as confirmed links.
fn lost_verified(old: &EdgeAlignment, new: &EdgeAlignment) -> Vec<String> {
    let now: HashSet<(&[String], &[String])> = new
        .links
        .iter()
        .filter(|l| is_verified(&l.status))
        .map(|l| (l.source.as_slice(), l.derived.as_slice()))
        .collect();
    old.links
        .iter()
        .filter(|l| is_verified(&l.status))
        .filter(|l| !now.contains(&(l.source.as_slice(), l.derived.as_slice())))
        .map(|l| l.id.clone())
        .collect()
}
