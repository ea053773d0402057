//! What a sentence's text says beside its vector: the numbers and names it shares with the
//! other side (read across a cut, [`super::Semantic::cross_cost`]) and whether it ends a
//! quotation ([`super::Semantic::quote_cost`]). Surface cues, read once per sentence by
//! [`super::Semantic::with_names`].

pub(super) use crate::align::text::quote_marks;
use crate::align::text::{TAG_NAME, hash_feature, number_feature};

/// A number or name found in more sentences than this on a side says little about where a
/// sentence's content went (a text's protagonist, its year): not read across a cut.
const NAME_MAX_SENTENCES: usize = 5;

/// Tag of a name's Latin spelling read as pinyin, matched against the transliteration of the
/// Chinese characters (`王琦瑶` / `Wang Qiyao`, `宝玉` / `Bao-yu`). Apart from the tags of
/// `crate::align::text`, whose features are never compared with these.
const TAG_PINYIN: u8 = 7;

/// Whether `c` is a Chinese character (the unified ideographs and their extension A).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Whether a side's sentences hold Chinese characters.
pub(super) fn has_han(texts: &[&str]) -> bool {
    texts.iter().any(|t| t.chars().any(is_han))
}

/// The pinyin of every run of two or three Chinese characters of `text` (a given name, or a
/// surname with one; a single syllable matches too much), hashed.
fn han_names(text: &str, out: &mut Vec<u32>) {
    let syllables: Vec<String> = text
        .chars()
        .map(|c| {
            if is_han(c) {
                any_ascii::any_ascii_char(c).to_ascii_lowercase()
            } else {
                String::new()
            }
        })
        .collect();
    for (k, first) in syllables.iter().enumerate() {
        let mut word = first.clone();
        for next in syllables.iter().skip(k + 1).take(2) {
            if word.is_empty() || next.is_empty() {
                break;
            }
            word.push_str(next);
            out.push(hash_feature(TAG_PINYIN, word.as_bytes()));
        }
    }
}

/// The capitalised words of `text` (hyphens and apostrophes dropped: `Bao-yu`, `Xi'an`), alone
/// and each with the next capitalised word (`Wang Qiyao`), lower-cased and hashed as
/// [`han_names`] hashes the Chinese side.
fn latin_names(text: &str, out: &mut Vec<u32>) {
    let words: Vec<Option<String>> = text
        .split_whitespace()
        .map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            let w = w
                .strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .unwrap_or(w);
            let w: String = w
                .chars()
                .filter(|c| !matches!(c, '-' | '\'' | '’'))
                .collect();
            (w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && w.chars().all(|c| c.is_ascii_alphabetic()))
            .then(|| w.to_ascii_lowercase())
        })
        .collect();
    for (k, w) in words.iter().enumerate() {
        let Some(w) = w else { continue };
        if w.len() >= 3 {
            out.push(hash_feature(TAG_PINYIN, w.as_bytes()));
        }
        if let Some(Some(next)) = words.get(k + 1) {
            out.push(hash_feature(TAG_PINYIN, format!("{w}{next}").as_bytes()));
        }
    }
}

/// Which names of a side are read as pinyin (see [`rare_names`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Pinyin {
    /// Neither side is Chinese.
    Off,
    /// This side is Chinese: its characters' transliterations.
    Han,
    /// The other side is: this side's capitalised words.
    Latin,
}

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
/// hold, and the names read as `pinyin` (all of them: a Chinese novel's protagonist is in every
/// other sentence, and where a sentence names her the English next to it does too, so what
/// [`shared_unexplained`] reads along the cut explains most of them).
pub(super) fn rare_names(texts: &[&str], pinyin: Pinyin) -> Vec<Box<[u32]>> {
    let all: Vec<Vec<u32>> = texts.iter().map(|t| names_of(t)).collect();
    let mut count: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for x in all.iter().flatten() {
        *count.entry(*x).or_default() += 1;
    }
    all.into_iter()
        .zip(texts)
        .map(|(v, t)| {
            let mut v: Vec<u32> = v
                .into_iter()
                .filter(|x| count[x] <= NAME_MAX_SENTENCES)
                .collect();
            match pinyin {
                Pinyin::Off => {}
                Pinyin::Han => han_names(t, &mut v),
                Pinyin::Latin => latin_names(t, &mut v),
            }
            v.sort_unstable();
            v.dedup();
            v.into_boxed_slice()
        })
        .collect()
}

/// `names` with only what some sentence of `other` holds too: a name the other side never
/// spells cannot cross a cut, and the search reads these lists at every state.
pub(super) fn shared_with(names: &[Box<[u32]>], other: &[Box<[u32]>]) -> Vec<Box<[u32]>> {
    let all: std::collections::HashSet<u32> =
        other.iter().flat_map(|v| v.iter().copied()).collect();
    names
        .iter()
        .map(|v| v.iter().copied().filter(|x| all.contains(x)).collect())
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
