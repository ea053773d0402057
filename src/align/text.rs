//! Language-independent analysis of one sentence: its length and the lexical clues that survive
//! translation (numbers, punctuation, names and cognates across scripts), plus word stems for the
//! dictionary.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Feature kinds, mixed into the hash so a number never collides with a word of the same spelling.
pub(crate) const TAG_NUM: u8 = 1;
pub(crate) const TAG_PUNCT: u8 = 2;
pub(crate) const TAG_COGNATE: u8 = 3;
pub(crate) const TAG_DICT: u8 = 4;
pub(crate) const TAG_STEM: u8 = 5;

/// How many characters of a word make its stem. Five keeps most of an inflected word's root in
/// agglutinative languages (Hungarian, Finnish) while merging its case endings.
const STEM_CHARS: usize = 5;
/// How many transliterated letters two words must share at the start to count as cognates.
const COGNATE_CHARS: usize = 4;

/// What the aligner knows about one sentence.
#[derive(Debug, Clone, Default)]
pub(crate) struct SentenceInfo {
    /// Length in characters (not bytes, so scripts compare fairly).
    pub len: u32,
    /// Hashed stems of its words (original script, lower case), in text order.
    pub stems: Box<[u32]>,
    /// Hashed features that can match across languages without a dictionary, sorted.
    pub base: Box<[u32]>,
}

/// A small, fast, deterministic hash (FNV-1a folded to 32 bits) of a tagged byte string.
pub(crate) fn hash_feature(tag: u8, bytes: &[u8]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(tag);
    h = h.wrapping_mul(0x0100_0000_01b3);
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h ^ (h >> 32)) as u32
}

/// The dictionary feature of a target stem: shared by the target word and every source word the
/// dictionary translates into it.
pub(crate) fn dict_feature(tgt_stem: u32) -> u32 {
    hash_feature(TAG_DICT, &tgt_stem.to_le_bytes())
}

/// The stem of a lower-cased word: its first few characters.
pub(crate) fn stem_of(lower: &str) -> u32 {
    let end = lower
        .char_indices()
        .nth(STEM_CHARS)
        .map_or(lower.len(), |(i, _)| i);
    hash_feature(TAG_STEM, &lower.as_bytes()[..end])
}

/// Punctuation that translators tend to keep, folded to one class per mark.
fn punct_class(c: char) -> Option<u8> {
    Some(match c {
        '?' | '¿' => b'?',
        '!' | '¡' => b'!',
        ':' => b':',
        ';' => b';',
        '(' | '[' => b'(',
        '"' | '“' | '”' | '„' | '«' | '»' | '「' | '」' | '『' | '』' | '‹' | '›' => {
            b'"'
        }
        '%' => b'%',
        '…' => b'.',
        '–' | '—' => b'-',
        _ => return None,
    })
}

/// True for characters of scripts written without spaces, whose characters are tokens on their own.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Analyse one sentence.
pub(crate) fn analyse(text: &str) -> SentenceInfo {
    let text = text.trim();
    let len = text.chars().count() as u32;
    let mut stems = Vec::new();
    let mut base = Vec::new();
    // NFKC folds full-width forms (Chinese `？`, `：`, `（`) and ligatures into their usual forms.
    let norm: String = text.nfkc().collect();
    for c in norm.chars() {
        if let Some(p) = punct_class(c) {
            base.push(hash_feature(TAG_PUNCT, &[p]));
        }
    }
    let mut folded = String::new();
    for word in norm.unicode_words() {
        if word.chars().any(|c| c.is_ascii_digit()) {
            let digits: String = word.chars().filter(char::is_ascii_digit).collect();
            base.push(hash_feature(TAG_NUM, digits.as_bytes()));
            continue;
        }
        // Words of CJK scripts may come glued together; every character is a token.
        if word.chars().any(is_cjk) {
            let mut buf = [0u8; 4];
            for c in word.chars() {
                let s = c.encode_utf8(&mut buf);
                stems.push(stem_of(s));
                cognate(s, &mut folded, &mut base);
            }
            continue;
        }
        let lower = word.to_lowercase();
        stems.push(stem_of(&lower));
        cognate(&lower, &mut folded, &mut base);
    }
    base.sort_unstable();
    // Boxed slices carry no spare capacity: a million sentences a side must fit in memory.
    SentenceInfo {
        len,
        stems: stems.into_boxed_slice(),
        base: base.into_boxed_slice(),
    }
}

/// Add the cognate feature of a word: the start of its Latin transliteration without diacritics,
/// so `Москва`/`Moskva`, `Málaga`/`Malaga` and `陈`/`Chen` meet.
fn cognate(word: &str, folded: &mut String, base: &mut Vec<u32>) {
    folded.clear();
    for c in word.chars() {
        if c.is_ascii() {
            folded.push(c);
        } else {
            folded.push_str(any_ascii::any_ascii_char(c));
        }
    }
    let letters: Vec<u8> = folded
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if letters.len() >= COGNATE_CHARS {
        base.push(hash_feature(TAG_COGNATE, &letters[..COGNATE_CHARS]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_match_across_scripts() {
        let cs = analyse("V roce 1968 přijel Brežněv do Prahy?");
        let ru = analyse("В 1968 году Брежнев приехал в Прагу?");
        let common = cs.base.iter().filter(|f| ru.base.contains(f)).count();
        // 1968, "brez" (Brežněv/Brezhnev), "?" and "prah"/"prag" differ: at least three shared.
        assert!(common >= 3, "only {common} shared features");
    }

    #[test]
    fn cjk_is_tokenised_per_character() {
        let zh = analyse("陈清扬把我拽住。");
        assert_eq!(zh.stems.len(), 7);
        let en = analyse("Chen Qingyang caught me.");
        assert!(
            zh.base.iter().any(|f| en.base.contains(f)),
            "Chen should match 陈"
        );
    }

    #[test]
    fn full_width_punctuation_is_folded() {
        let a = analyse("为什么？");
        let b = analyse("Why?");
        assert!(a.base.iter().any(|f| b.base.contains(f)));
    }
}
