//! Language-independent analysis of one sentence: its length and the lexical clues that survive
//! translation (numbers, punctuation, names and cognates across scripts), plus word stems for the
//! dictionary.

use unicode_normalization::{IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

/// Feature kinds, mixed into the hash so a number never collides with a word of the same spelling.
pub(crate) const TAG_NUM: u8 = 1;
pub(crate) const TAG_PUNCT: u8 = 2;
pub(crate) const TAG_COGNATE: u8 = 3;
pub(crate) const TAG_DICT: u8 = 4;
pub(crate) const TAG_STEM: u8 = 5;
/// A name as written (the semantic evidence's numbers and names across a cut).
pub(crate) const TAG_NAME: u8 = 6;

/// How many characters of a word make its stem. Five keeps most of an inflected word's root in
/// agglutinative languages (Hungarian, Finnish) while merging its case endings.
const STEM_CHARS: usize = 5;
/// How many transliterated letters two words must share at the start to count as cognates.
const COGNATE_CHARS: usize = 4;

/// What the aligner knows about one sentence (the tests' view of [`analyse_into`]).
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub(crate) struct SentenceInfo {
    /// Length in characters (not bytes, so scripts compare fairly).
    pub len: u32,
    /// Hashed stems of its words (original script, lower case), in text order.
    pub stems: Vec<u32>,
    /// Hashed features that can match across languages without a dictionary, sorted.
    pub base: Vec<u32>,
}

/// Sentences analysed per parallel chunk of [`Analyses::of`].
const CHUNK: usize = 4096;

/// What the aligner knows about every sentence of a text, stored flat (a field per array, not a
/// struct per sentence): a million sentences a side held as two boxed slices each were four
/// million small allocations, scattered over the allocator's per-thread arenas, whose memory
/// was not given back when they were dropped (so the resident size at the end of a long
/// alignment still held them). Read through [`Sentences`].
#[derive(Debug, Clone)]
pub(crate) struct Analyses {
    /// Length in characters of each sentence (not bytes, so scripts compare fairly).
    pub lens: Vec<u32>,
    /// Whether each ends with a quotation mark ([`quote_marks`]).
    pub quotes: Vec<bool>,
    /// Sentence k's stems are `stems[stem_off[k]..stem_off[k + 1]]`.
    stem_off: Vec<usize>,
    /// Hashed stems of the words (original script, lower case), in text order.
    stems: Vec<u32>,
    /// Sentence k's base features are `base[base_off[k]..base_off[k + 1]]`.
    base_off: Vec<usize>,
    /// Hashed features that can match across languages without a dictionary, sorted per
    /// sentence.
    base: Vec<u32>,
}

impl Analyses {
    fn empty() -> Self {
        Analyses {
            lens: Vec::new(),
            quotes: Vec::new(),
            stem_off: vec![0],
            stems: Vec::new(),
            base_off: vec![0],
            base: Vec::new(),
        }
    }

    /// Analyse every sentence of a text (in parallel chunks).
    pub(crate) fn of(texts: &[&str]) -> Self {
        use rayon::prelude::*;
        let chunks: Vec<Analyses> = texts
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut a = Analyses::empty();
                let mut bufs = Buffers::default();
                for text in chunk {
                    let (len, quote) = analyse_into(text, &mut a.stems, &mut a.base, &mut bufs);
                    a.lens.push(len);
                    a.quotes.push(quote);
                    a.stem_off.push(a.stems.len());
                    a.base_off.push(a.base.len());
                }
                a
            })
            .collect();
        let total = |f: fn(&Analyses) -> usize| chunks.iter().map(f).sum::<usize>();
        let mut out = Analyses {
            lens: Vec::with_capacity(texts.len()),
            quotes: Vec::with_capacity(texts.len()),
            stem_off: Vec::with_capacity(texts.len() + 1),
            stems: Vec::with_capacity(total(|a| a.stems.len())),
            base_off: Vec::with_capacity(texts.len() + 1),
            base: Vec::with_capacity(total(|a| a.base.len())),
        };
        out.stem_off.push(0);
        out.base_off.push(0);
        for a in chunks {
            let (s0, b0) = (out.stems.len(), out.base.len());
            out.lens.extend_from_slice(&a.lens);
            out.quotes.extend_from_slice(&a.quotes);
            out.stem_off.extend(a.stem_off[1..].iter().map(|&o| o + s0));
            out.base_off.extend(a.base_off[1..].iter().map(|&o| o + b0));
            out.stems.extend_from_slice(&a.stems);
            out.base.extend_from_slice(&a.base);
        }
        out
    }

    /// Every sentence.
    pub(crate) fn all(&self) -> Sentences<'_> {
        Sentences {
            lens: &self.lens,
            quotes: &self.quotes,
            stem_off: &self.stem_off,
            stems: &self.stems,
            base_off: &self.base_off,
            base: &self.base,
        }
    }
}

/// The analyses of consecutive sentences of a text (all of them, or a piece: [`Sentences::slice`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sentences<'a> {
    /// Length in characters of each sentence.
    pub lens: &'a [u32],
    /// Whether each ends with a quotation mark.
    pub quotes: &'a [bool],
    /// `len() + 1` offsets into `stems` (of the whole text).
    stem_off: &'a [usize],
    stems: &'a [u32],
    /// `len() + 1` offsets into `base` (of the whole text).
    base_off: &'a [usize],
    base: &'a [u32],
}

impl<'a> Sentences<'a> {
    /// Number of sentences.
    pub(crate) fn len(&self) -> usize {
        self.lens.len()
    }

    /// Hashed stems of sentence `k`'s words, in text order.
    pub(crate) fn stems(&self, k: usize) -> &'a [u32] {
        &self.stems[self.stem_off[k]..self.stem_off[k + 1]]
    }

    /// Sentence `k`'s features that can match without a dictionary, sorted.
    pub(crate) fn base(&self, k: usize) -> &'a [u32] {
        &self.base[self.base_off[k]..self.base_off[k + 1]]
    }

    /// Sentences `r` (renumbered from 0).
    pub(crate) fn slice(&self, r: std::ops::Range<usize>) -> Sentences<'a> {
        Sentences {
            lens: &self.lens[r.clone()],
            quotes: &self.quotes[r.clone()],
            stem_off: &self.stem_off[r.start..=r.end],
            stems: self.stems,
            base_off: &self.base_off[r.start..=r.end],
            base: self.base,
        }
    }
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

/// The number feature of a word holding a digit: its digits alone (`1968.` and `1968` meet,
/// as do `3,5` and `35`). `digits` is scratch space, reused from word to word.
#[inline]
pub(crate) fn number_feature(word: &str, digits: &mut Vec<u8>) -> Option<u32> {
    if !word.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.clear();
    digits.extend(word.bytes().filter(u8::is_ascii_digit));
    Some(hash_feature(TAG_NUM, digits))
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

/// Whether a sentence ends with a quotation mark (of any language's style; straight quotes and
/// apostrophes too: an English dialogue's `'` closes a Chinese `”`). Literary text marks direct
/// speech in both languages, so a bead that ends a quotation on one side and not on the other
/// has put a sentence of the dialogue into the wrong neighbour. Read by both paths: the
/// semantic evidence (`Semantic::quote_cost`) and the model-free search ([`SentenceInfo::quote`]).
pub(crate) fn quote_marks(text: &str) -> bool {
    let is_quote = |c: char| {
        matches!(
            c,
            '"' | '\''
                | '“'
                | '”'
                | '„'
                | '‟'
                | '‘'
                | '’'
                | '‚'
                | '‛'
                | '«'
                | '»'
                | '‹'
                | '›'
                | '「'
                | '」'
                | '『'
                | '』'
        )
    };
    text.trim_end().chars().next_back().is_some_and(is_quote)
}

/// True for characters of scripts written without spaces, whose characters are tokens on their own.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Analyse one sentence (the tests' view of [`analyse_into`]).
#[cfg(test)]
pub(crate) fn analyse(text: &str) -> SentenceInfo {
    let (mut stems, mut base) = (Vec::new(), Vec::new());
    let (len, _) = analyse_into(text, &mut stems, &mut base, &mut Buffers::default());
    SentenceInfo { len, stems, base }
}

/// Analyse one sentence: its stems and its sorted base features appended to `stems` and `base`;
/// its length in characters and whether it ends with a quotation mark returned.
fn analyse_into(
    text: &str,
    stems: &mut Vec<u32>,
    base: &mut Vec<u32>,
    bufs: &mut Buffers,
) -> (u32, bool) {
    let text = text.trim();
    let len = text.chars().count() as u32;
    let first_base = base.len();
    // NFKC folds full-width forms (Chinese `？`, `：`, `（`) and ligatures into their usual forms.
    // Most sentences are in NFKC already (the quick check says so without decomposing them):
    // normalising those anyway was a fifth of the time of analysing a long text.
    let norm: std::borrow::Cow<'_, str> =
        if unicode_normalization::is_nfkc_quick(text.chars()) == IsNormalized::Yes {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(text.nfkc().collect())
        };
    for c in norm.chars() {
        if let Some(p) = punct_class(c) {
            base.push(hash_feature(TAG_PUNCT, &[p]));
        }
    }
    // `bufs`: reused from word to word and sentence to sentence (a million sentences a side:
    // allocating per word cost more than the words' hashing).
    for word in norm.unicode_words() {
        if let Some(number) = number_feature(word, &mut bufs.letters) {
            base.push(number);
            continue;
        }
        // Words of CJK scripts may come glued together; every character is a token.
        if word.chars().any(is_cjk) {
            let mut buf = [0u8; 4];
            for c in word.chars() {
                let s = c.encode_utf8(&mut buf);
                stems.push(stem_of(s));
                cognate(s, bufs, base);
            }
            continue;
        }
        // `str::to_lowercase` (a final sigma, say, depends on its neighbours) where a word is not
        // ASCII; the same result without allocating where it is.
        let mut lower = std::mem::take(&mut bufs.lower);
        if word.is_ascii() {
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower = word.to_lowercase();
        }
        stems.push(stem_of(&lower));
        cognate(&lower, bufs, base);
        bufs.lower = lower;
    }
    base[first_base..].sort_unstable();
    (len, quote_marks(text))
}

/// Scratch space of [`analyse_into`], reused from word to word.
#[derive(Default)]
struct Buffers {
    lower: String,
    letters: Vec<u8>,
}

/// Add the cognate feature of a word: the start of its Latin transliteration without diacritics,
/// so `Москва`/`Moskva`, `Málaga`/`Malaga` and `陈`/`Chen` meet.
fn cognate(word: &str, bufs: &mut Buffers, base: &mut Vec<u32>) {
    let letters = &mut bufs.letters;
    letters.clear();
    // Only the first few letters make the feature: transliterate no further.
    'chars: for c in word.chars() {
        let mut one = [0u8; 4];
        let ascii = if c.is_ascii() {
            c.encode_utf8(&mut one)
        } else {
            any_ascii::any_ascii_char(c)
        };
        for b in ascii.bytes().filter(u8::is_ascii_alphanumeric) {
            letters.push(b.to_ascii_lowercase());
            if letters.len() == COGNATE_CHARS {
                break 'chars;
            }
        }
    }
    if letters.len() == COGNATE_CHARS {
        base.push(hash_feature(TAG_COGNATE, letters));
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
    fn words_are_lower_cased_as_str_to_lowercase_does() {
        // ASCII words take a fast path; the others (a Greek final sigma depends on its
        // neighbours) must give what `str::to_lowercase` gives, as before.
        for word in ["ODYSSEUS", "ΟΔΥΣΣΕΥΣ", "İstanbul", "Ärger", "MiXeD"] {
            let info = analyse(word);
            assert_eq!(info.stems[..], [stem_of(&word.to_lowercase())], "{word}");
        }
        assert_eq!(analyse("ODYSSEUS").base, analyse("odysseus").base);
    }

    #[test]
    fn full_width_punctuation_is_folded() {
        let a = analyse("为什么？");
        let b = analyse("Why?");
        assert!(a.base.iter().any(|f| b.base.contains(f)));
    }
}
