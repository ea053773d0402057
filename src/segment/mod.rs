//! Sentence splitting per language.
//!
//! The API every other module uses: [`split`] returns the byte ranges of the sentences of a text,
//! so that callers (the TEI inserter) can map them back onto marked-up text.

use std::ops::Range;

/// Split `text` into sentences for the language `lang` (an ISO 639 code such as `cs`, `ru`, `en`;
/// unknown codes get the generic rules). Returns byte ranges into `text`, in order, trimmed of
/// surrounding white space, never empty, never overlapping.
pub fn split(text: &str, lang: &str) -> Vec<Range<usize>> {
    let _ = lang;
    // Placeholder rules until the real splitter lands: break after . ? ! followed by white space
    // and an upper-case letter.
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if matches!(c, '.' | '?' | '!') {
            let next_ws = chars.get(k + 1).is_some_and(|&(_, n)| n.is_whitespace());
            let next_upper = chars[k + 1..]
                .iter()
                .find(|&&(_, n)| !n.is_whitespace())
                .is_some_and(|&(_, n)| n.is_uppercase());
            if next_ws && next_upper {
                push_trimmed(text, start..i + c.len_utf8(), &mut out);
                start = i + c.len_utf8();
            }
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

/// Convenience: the sentences of `text` as string slices.
pub fn sentences<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    split(text, lang).into_iter().map(|r| &text[r]).collect()
}
