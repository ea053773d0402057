//! Change records of the two versions: which of theirs to add and under which id, and ids
//! renamed inside a description.

use crate::model::{Change, WorkAlignment};
use crate::provenance::ids::number_after;
use std::collections::{HashMap, HashSet};
/// The numbers of the change ids (`ch9`) an alignment uses or its history names.
pub(super) fn change_numbers(al: &WorkAlignment) -> impl Iterator<Item = u64> + '_ {
    let number = |t: &str| number_after("ch", t);
    let named = al.changes.iter().flat_map(|c| {
        std::iter::once(c.id.as_str()).chain(c.desc.split(|ch: char| {
            ch.is_whitespace() || matches!(ch, ',' | ';' | '(' | ')' | '.' | ':')
        }))
    });
    named.filter_map(number)
}

/// Ids of theirs and what they are here: (their id, id here).
type IdPairs = Vec<(String, String)>;

/// A change's description with the ids a merge renumbers blanked (changes `ch9`, links and
/// ptrs `a.cs-en.8`, segments `seg.4`): what two copies of one operation still share after one
/// of them went through another merge.
fn without_ids(desc: &str) -> Vec<&str> {
    let digits = |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    let renumbered = |t: &str| {
        t.strip_prefix("ch").is_some_and(digits)
            || t.rsplit_once('.').is_some_and(|(p, n)| {
                digits(n) && (p == "seg" || p.starts_with("a.") || p.starts_with("u."))
            })
    };
    desc.split(|ch: char| ch.is_whitespace() || matches!(ch, ',' | ';' | '(' | ')'))
        .map(|t| t.trim_end_matches(['.', ':']))
        .map(|t| if renumbered(t) { "#" } else { t })
        .collect()
}

/// One operation in both versions under different ids: one side has it from an earlier merge
/// that renumbered it (three editors merging in turn; a rebase replaying commits one by one).
fn same_operation(a: &Change, b: &Change) -> bool {
    a.status == b.status
        && a.who == b.who
        && a.when == b.when
        && without_ids(&a.desc) == without_ids(&b.desc)
}

/// The changes of theirs to add — those since the common version `base` — with the id each
/// gets: its own unless ours uses or names it, else a fresh one above both histories. Also theirs' changes ours holds under another id
/// ([`same_operation`]): (their id, ours), recorded once.
pub(super) fn their_changes(
    base: Option<&WorkAlignment>,
    ours: &WorkAlignment,
    theirs: &WorkAlignment,
) -> (Vec<(Change, String)>, IdPairs) {
    let ours_ids: HashSet<&str> = ours.changes.iter().map(|c| c.id.as_str()).collect();
    let named_by_ours: HashSet<u64> = change_numbers(ours).collect();
    let mut next = change_numbers(ours)
        .chain(change_numbers(theirs))
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut known = Vec::new();
    for c in theirs.changes.iter().filter(|c| !ours.changes.contains(c)) {
        if let Some(d) = ours.changes.iter().find(|d| same_operation(c, d)) {
            known.push((c.id.clone(), d.id.clone()));
            continue;
        }
        // A change of the common version that ours does not have is history ours never had,
        // not theirs' work: a cherry-pick's common version is the picked commit's parent,
        // whose operations the pick does not bring (nor their confirmations).
        if base.is_some_and(|b| b.changes.contains(c)) {
            continue;
        }
        let taken = ours_ids.contains(c.id.as_str())
            || number_after("ch", &c.id).is_some_and(|n| named_by_ours.contains(&n));
        let id = if taken {
            next += 1;
            format!("ch{next}")
        } else {
            c.id.clone()
        };
        out.push((c.clone(), id));
    }
    (out, known)
}

/// `text` with every whole token named in `map` replaced by its new name.
pub(super) fn rename_tokens(text: &str, map: &HashMap<String, String>) -> String {
    if map.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let core = word.trim_end_matches(['.', ':']);
        match map.get(core) {
            Some(new) => {
                out.push_str(new);
                out.push_str(&word[core.len()..]);
            }
            None => out.push_str(word),
        }
        word.clear();
    };
    for ch in text.chars() {
        if ch.is_whitespace() || matches!(ch, ',' | ';' | '(' | ')') {
            flush(&mut word, &mut out);
            out.push(ch);
        } else {
            word.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}
