//! Sentence splitting per language.
//!
//! The API every other module uses: [`split`] returns the byte ranges of the sentences of a text,
//! so that callers (the TEI inserter) can map them back onto marked-up text.
//!
//! The splitter is rule-based: every run of terminal punctuation followed by white space is a
//! candidate, and [`rules`] decides from the word before it (abbreviation, number, initial,
//! ordinary word) and the word after it (lower case, capital, typical sentence starter). The
//! abbreviation and starter lists per language are in [`abbrev`]; [`lang`] maps a language code
//! to its rules (cs, ru, en, and a generic fallback for every other code).
//!
//! Layout conventions: a single newline is white space; a blank line (two newlines, possibly
//! with white space between) always ends a sentence, so a paragraph with no final punctuation
//! still ends where the paragraph does.

pub mod abbrev;
pub mod chars;
pub mod lang;
pub mod rules;
pub mod scan;

use std::ops::Range;

/// Split `text` into sentences for the language `lang` (an ISO 639 code such as `cs`, `ru`, `en`;
/// unknown codes get the generic rules). Returns byte ranges into `text`, in order, trimmed of
/// surrounding white space, never empty, never overlapping.
pub fn split(text: &str, lang: &str) -> Vec<Range<usize>> {
    let rules = lang::rules_for(lang);
    let mut out = Vec::new();
    for p in split_paragraphs(text) {
        scan::split_block(text, p, rules, &mut out);
    }
    out
}

/// The paragraphs of `text`: byte ranges separated by blank lines (lines holding only white
/// space), trimmed, never empty, in order.
pub fn split_paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                scan::push_trimmed(text, s..pos, &mut out);
            }
        } else if start.is_none() {
            start = Some(pos);
        }
        pos += line.len();
    }
    if let Some(s) = start {
        scan::push_trimmed(text, s..text.len(), &mut out);
    }
    out
}

/// Convenience: the sentences of `text` as string slices.
pub fn sentences<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    split(text, lang).into_iter().map(|r| &text[r]).collect()
}

/// The paragraphs of `text`, each as its list of sentences (byte ranges into `text`): what the
/// `segment` command prints.
pub fn split_by_paragraph(text: &str, lang: &str) -> Vec<Vec<Range<usize>>> {
    let rules = lang::rules_for(lang);
    split_paragraphs(text)
        .into_iter()
        .map(|p| {
            let mut out = Vec::new();
            scan::split_block(text, p, rules, &mut out);
            out
        })
        .collect()
}

/// A sentence on one line: every run of white space (newlines included) becomes one space.
pub fn one_line(sentence: &str) -> String {
    sentence.split_whitespace().collect::<Vec<_>>().join(" ")
}
