//! The standoff alignment file (`alignments/<work>/alignment.xml`): read and write a
//! [`WorkAlignment`] as TEI, as `DESIGN.md` describes.
//!
//! The file is a TEI document with a `teiHeader` and a `<standOff>` (no `<text>`):
//!
//! - `titleStmt/respStmt[@xml:id]` declares every agent named in `@resp`/`@who` (the translators
//!   and publishers of the layers, editors who confirmed links, and the tool itself, `#tei-align`);
//! - `encodingDesc/appInfo/application[@ident="tei-align"][@version]` records the tool;
//! - `sourceDesc/listWit/witness[@xml:id="layer.<id>"]` lists the layer files (the `ref/@target`
//!   is the file relative to the alignment file), so `#layer.<id>` pointers resolve;
//! - `revisionDesc/change[@xml:id][@status][@who][@when]` is the history: one `automatic` change
//!   per alignment run that changed something, one `verified` change per editor and date;
//! - `standOff/listRelation[@type="derivation"]/relation` is the derivation graph
//!   (`active` = derived layer, `passive` = its source);
//! - one `linkGrp[@type="alignment"][@corresp="#rel.<src>-<derived>"]` per edge, with a `link` per
//!   bead (`@target` = source sentences first, then derived ones; `@type` = `"n-m"`;
//!   `@subtype="partial"` when one side covers clearly less than the other) and a
//!   `ptr[@type="unaligned"][@subtype]` per unaligned sentence;
//! - one `linkGrp[@type="segments"]` with a `link` per N-way segment whose `@corresp` is its
//!   provenance chain. A segment of a single sentence (e.g. an English sentence whose Czech source
//!   is lost in a gap) is written as a `ptr` instead: TEI requires at least two targets on a
//!   `link`, and repeating a target would claim a correspondence that does not exist.
//!
//! **Confidence.** `@cert` takes TEI's `teidata.probCert`, which admits a probability (a double in
//! [0, 1]) as well as `high|medium|low|unknown`; we write the number itself (checked with jing
//! against `tei_all.rng`). Numbers are written in Rust's shortest round-trip form, so reading the
//! file back gives exactly the same `f64`.
//!
//! **Status.** A link's `@change` points to the `<change>` of the operation that made or last
//! changed it ([`WorkAlignment::item_changes`], see [`crate::provenance::record`]); its `@resp`
//! is the tool for automatic links, the editor for confirmed ones. A confirmed link whose change
//! is missing gets one written (`ch.v<N>`), so the file always resolves.
//!
//! **Stable ids.** The tool's `application` in `encodingDesc/appInfo` records the highest number
//! ever given to each prefix of automatic ids
//! (`<desc type="high-water">a.cs-en.57 seg.80 u.cs-en.12</desc>`), so that re-alignment can give
//! new links numbers above it and never reuse the id of a link that is gone
//! ([`WorkAlignment::id_high_water`]). Files written before kept them in `linkGrp/@n`
//! (`n="high-water a.cs-en.57 u.cs-en.12"`); that form is still read.
//!
//! **What was confirmed.** The same `application` holds one `<desc type="confirmed-text"
//! corresp="#a.cs-en.5">3f2a9c1e 7b0d11aa</desc>` per confirmed link or ptr whose text is known:
//! a digest of each of its sentences as they read when it was confirmed
//! ([`crate::provenance::digest`]). TEI's `link` and `ptr` are empty elements, and no attribute
//! of theirs means this; it is the tool's bookkeeping, as the high-water marks are. An item
//! without one (a file written before) has a confirmation of unknown text. Beside it, `<desc
//! type="confirmed-newest" corresp="#a.cs-en.5">cs.s40 en.s41</desc>`: the newest sentence of
//! each of the item's layers then, so that text split off its sentences since is found. A text
//! recorded later than the confirmation (`link --record-text`) says by whom and in which change:
//! `<desc type="confirmed-text" corresp="#a.cs-en.5" resp="#eva" change="#ch12">`.
//!
//! The output is deterministic: the same [`WorkAlignment`] always gives the same bytes.

use super::TeiError;
use crate::model::{Segment, WorkAlignment};
use std::path::Path;

/// The id under which the tool itself is declared (`resp="#tei-align"`).
pub(crate) const TOOL_ID: &str = "tei-align";

/// The first word of a `linkGrp/@n` that records id high-water marks
/// ([`WorkAlignment::id_high_water`]).
pub(crate) const HIGH_WATER: &str = "high-water";

/// The `@type` of the tool's `appInfo` `desc` that records the digest of the texts of one
/// confirmed item (`@corresp` names the item): [`crate::provenance::digest`].
pub(crate) const CONFIRMED_TEXT: &str = "confirmed-text";

/// The `@type` of the tool's `appInfo` `desc` that records the newest sentence of each layer of
/// one confirmed item when its text was recorded (`cs.s40 en.s41`): text split off its
/// sentences since is found by it ([`crate::provenance::digest::new_beside`]).
pub(crate) const CONFIRMED_NEWEST: &str = "confirmed-newest";

/// Parse a high-water `@n` (`high-water a.cs-en.57 u.cs-en.12`) into (prefix, number) pairs;
/// any other `@n` gives nothing (it is someone else's label), as does a token without a number.
pub(crate) fn parse_high_water(n: &str) -> Vec<(String, u64)> {
    let mut words = n.split_whitespace();
    if words.next() != Some(HIGH_WATER) {
        return Vec::new();
    }
    words
        .filter_map(|w| {
            let (prefix, num) = w.rsplit_once('.')?;
            Some((prefix.to_owned(), num.parse().ok()?))
        })
        .collect()
}

/// Read an alignment file.
pub fn read_alignment(path: &Path) -> Result<WorkAlignment, TeiError> {
    let text = crate::fsutil::read_text(path)?;
    parse_alignment(&text, &path.display().to_string())
}

/// Parse the text of an alignment file; `name` is used in error messages.
pub fn parse_alignment(text: &str, name: &str) -> Result<WorkAlignment, TeiError> {
    // The conformant front end (well-formedness, ids as NCNames and unique), so the alignment
    // is held to the same rules as a layer; the alignment is then read from that same tree.
    let doc = super::dom::Doc::parse(text, name).map_err(|e| conflict_hint(e, text))?;
    super::reader::check_ids(&doc)?;
    parse::alignment(&doc)
}

/// A file git merged line by line (no merge driver set up) holds conflict markers: say so, and
/// the way out, rather than only that `<<<<<<<` is not an XML name.
fn conflict_hint(e: TeiError, text: &str) -> TeiError {
    let marked = text.lines().any(|l| l.starts_with("<<<<<<< "));
    match e {
        TeiError::Xml {
            path,
            line,
            column,
            message,
        } if marked => TeiError::Xml {
            message: format!(
                "{message} (git left conflict markers here: set up the merge driver with \
                 `tei-align git-setup`, then `git checkout -m {path}` merges the two versions)"
            ),
            path,
            line,
            column,
        },
        e => e,
    }
}

/// Serialise an alignment as a TEI document (deterministic: the same alignment gives the same
/// bytes).
pub fn to_tei(alignment: &WorkAlignment) -> String {
    Writer::new(alignment).write()
}

/// Write an alignment file atomically.
pub fn write_alignment(path: &Path, alignment: &WorkAlignment) -> Result<(), TeiError> {
    crate::fsutil::write_atomic(path, to_tei(alignment).as_bytes())?;
    Ok(())
}

/// The members of a segment as (layer, sentence id), layers in `order` (the derivation order),
/// then any layer `order` does not name: the order both the alignment file and the edition
/// write a segment's targets in.
pub(crate) fn segment_members<'s>(
    order: &'s [String],
    s: &'s Segment,
) -> impl Iterator<Item = (&'s str, &'s str)> + 's {
    let rest = s.members.keys().filter(|k| !order.contains(k));
    order
        .iter()
        .chain(rest)
        .filter_map(|l| Some((l.as_str(), s.members.get(l)?)))
        .flat_map(|(l, ids)| ids.iter().map(move |id| (l, id.as_str())))
}

pub(crate) mod items;
mod parse;
mod write;

pub(crate) use parse::decode_path;
use write::Writer;
pub(crate) use write::fmt_cert;

#[cfg(test)]
mod tests;
