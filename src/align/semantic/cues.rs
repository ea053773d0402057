//! What a sentence's text says beside its vector: the numbers and names it shares with the
//! other side (read across a cut, [`super::Semantic::cross_cost`]) and whether it ends a
//! quotation ([`super::Semantic::quote_cost`]). Surface cues, read once per sentence by
//! [`super::Semantic::with_names`].

pub(super) use crate::align::text::quote_marks;
use crate::align::text::{TAG_NAME, hash_feature, number_feature};

/// A number or name found in more sentences than this on a side says little about where a
/// sentence's content went (a text's protagonist, its year): not read across a cut.
const NAME_MAX_SENTENCES: usize = 5;

/// The numbers (their digits, as the lexical clues hash them) and names (capitalised words of
/// three letters or more, as written) of a sentence, hashed, sorted, without repeats.
pub(super) fn names_of(text: &str) -> Vec<u32> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut digits = Vec::new();
    let mut out: Vec<u32> = text
        .unicode_words()
        .filter_map(|w| {
            number_feature(w, &mut digits).or_else(|| {
                (w.chars().next().is_some_and(char::is_uppercase) && w.chars().nth(2).is_some())
                    .then(|| hash_feature(TAG_NAME, w.as_bytes()))
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// [`names_of`] every sentence of a side, keeping only what at most `NAME_MAX_SENTENCES` of them
/// hold.
pub(super) fn rare_names(texts: &[&str]) -> Vec<Box<[u32]>> {
    let all: Vec<Vec<u32>> = texts.iter().map(|t| names_of(t)).collect();
    let mut count: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for x in all.iter().flatten() {
        *count.entry(*x).or_default() += 1;
    }
    all.into_iter()
        .map(|v| {
            v.into_iter()
                .filter(|x| count[x] <= NAME_MAX_SENTENCES)
                .collect()
        })
        .collect()
}

/// How many of the sorted `a` are in the sorted `b` and in none of the sentences `not` (each
/// sorted).
pub(super) fn shared_unexplained(a: &[u32], b: &[u32], not: [&[Box<[u32]>]; 2]) -> usize {
    a.iter()
        .filter(|x| {
            b.binary_search(x).is_ok()
                && !not
                    .iter()
                    .flat_map(|v| v.iter())
                    .any(|n| n.binary_search(x).is_ok())
        })
        .count()
}
