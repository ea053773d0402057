//! Recording the text of confirmations made before tei-align recorded it (`link --record-text`).

use super::{ReviewError, SentenceIndex, before_edit, check_editor, ensure_agent};
use crate::model::{ChangeStatus, LinkStatus, Recorded, Work, WorkAlignment};
use crate::provenance::record;
use std::collections::BTreeSet;

/// What [`record_texts`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedTexts {
    /// The items whose text was recorded, each with who confirmed it and when
    /// (`a.cs-en.2 (confirmed by jnovak on 2026-01-05)`).
    pub recorded: Vec<String>,
    /// Items left as they were because one of their sentences is gone from the work (`check`
    /// reports them).
    pub skipped: Vec<String>,
    /// The change that records it (`None` when nothing was recorded).
    pub change: Option<String>,
}

/// Record the text of confirmations that have no record of it (made before tei-align kept
/// one), as their sentences read now, under `who` at `when` (`link --record-text`). The
/// confirmation stays its editor's, with its date; the record of the text says who recorded it
/// and when, and a `<change status="verified">` of `who` says what was recorded: from now on an
/// edit of these sentences is reported, but whether they were edited between the confirmation
/// and now cannot be known, and the record does not claim it.
///
/// `items`: the link or ptr ids to record; empty, every confirmation without a record. A named
/// item that is not confirmed, or whose text is recorded already, is rejected: recording
/// anew the text of a confirmation would certify an edit no one reviewed (`link <id>` confirms
/// it anew instead).
pub fn record_texts(
    work: &Work,
    al: &mut WorkAlignment,
    items: &[String],
    (who, when): (&str, &str),
) -> Result<RecordedTexts, ReviewError> {
    check_editor(who)?;
    check_named(al, items)?;
    let idx = SentenceIndex::new(work);
    let newest = crate::provenance::digest::newest_by_layer(work);
    let old = before_edit(al);
    let mut out = RecordedTexts {
        recorded: Vec::new(),
        skipped: Vec::new(),
        change: None,
    };
    let mut confirmers: BTreeSet<String> = BTreeSet::new();
    let wanted = |id: &str, st: &LinkStatus| {
        st.is_verified()
            && st.digest().is_none()
            && (items.is_empty() || items.iter().any(|i| i == id))
    };
    // Written in place, not through the edge core (`provenance::edit`): this changes no item's
    // targets, status, who or certainty, only adds the record of a text, under the name of
    // whoever records it, which the core's digest rule (a confirmation made now, or repeated)
    // must not decide; docs/provenance.md, "What changes an alignment outside the core".
    for e in &mut al.edges {
        // The sentence ids are copied: the status beside them is borrowed mutably.
        let links = e.links.iter_mut().map(|l| {
            let ids: Vec<String> = l.sentence_ids().into_iter().map(str::to_owned).collect();
            (ids, &l.id, &mut l.status)
        });
        let ptrs = e
            .unaligned
            .iter_mut()
            .map(|u| (vec![u.sentence.clone()], &u.id, &mut u.status));
        for (ids, id, st) in links.chain(ptrs) {
            if !wanted(id, st) {
                continue;
            }
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            // The newest sentences before any text split off beside the item, which may have
            // come since the confirmation (a person reviews it).
            let seen = crate::provenance::digest::newest_seen(&idx, &ids, &newest);
            let Some(mut text) = crate::provenance::digest::text_now(&idx, &ids, &seen) else {
                out.skipped.push(id.clone());
                continue;
            };
            text.recorded = Some(Recorded {
                who: who.to_owned(),
                when: when.to_owned(),
            });
            if let LinkStatus::Verified {
                who: by,
                when: at,
                digest,
            } = st
            {
                out.recorded
                    .push(format!("{id} (confirmed by {by} on {at})"));
                confirmers.insert(by.clone());
                *digest = Some(text);
            }
        }
    }
    if out.recorded.is_empty() {
        return Ok(out);
    }
    let n = out.recorded.len();
    // Listed one by one up to a dozen, as every change lists its ids; beyond, who confirmed.
    let list = if n <= 12 {
        out.recorded.join(", ")
    } else {
        let by: Vec<&str> = confirmers.iter().map(String::as_str).collect();
        format!("confirmations by {}", by.join(", "))
    };
    let what = format!(
        "recorded the text of {n} confirmation{s} made before tei-align recorded it, as {it} \
         reads now (whether it was edited between the confirmation and now is not known): {list}.",
        s = if n == 1 { "" } else { "s" },
        it = if n == 1 { "it" } else { "each" },
    );
    ensure_agent(al, who);
    out.change = record::record_edges(&old, al, ChangeStatus::Verified, who, when, &what);
    // Each item still points at the change of its confirmation, even when the recording falls
    // on the same time stamp (which would make the new change look like its own).
    for (id, st) in statuses(&old) {
        if let Some(c) = record::change_of(&old, id, st)
            && al.item_changes.contains_key(id.as_str())
        {
            al.item_changes.insert(id.clone(), c);
        }
    }
    Ok(out)
}

/// Every item of the alignment with its status.
fn statuses(al: &WorkAlignment) -> impl Iterator<Item = (&String, &LinkStatus)> {
    al.edges.iter().flat_map(|e| {
        e.links
            .iter()
            .map(|l| (&l.id, &l.status))
            .chain(e.unaligned.iter().map(|u| (&u.id, &u.status)))
    })
}

/// Every item `items` names is a confirmation whose text is not recorded yet: recording anew the
/// text of a confirmation would certify an edit no one reviewed.
fn check_named(al: &WorkAlignment, items: &[String]) -> Result<(), ReviewError> {
    for id in items {
        let Some((_, st)) = statuses(al).find(|(i, _)| *i == id) else {
            return Err(ReviewError::Rejected(format!(
                "{id} is not a link or ptr of the alignment"
            )));
        };
        if !st.is_verified() {
            return Err(ReviewError::Rejected(format!(
                "{id} is not confirmed: `tei-align link <work> {id}` confirms it"
            )));
        }
        if st.digest().is_some() {
            return Err(ReviewError::Rejected(format!(
                "the text of {id} is recorded already: `tei-align link <work> {id}` confirms \
                 it anew on its text now"
            )));
        }
    }
    Ok(())
}
