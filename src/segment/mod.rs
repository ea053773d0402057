//! Sentence splitting per language.
//!
//! The API every other module uses: [`split`] returns the byte ranges of the sentences of a text,
//! so that callers (the TEI inserter) can map them back onto marked-up text.
//!
//! The splitter is rule-based: every run of terminal punctuation followed by white space is a
//! candidate, and [`rules`] decides from the word before it (abbreviation, number, initial,
//! ordinary word) and the word after it (lower case, capital, typical sentence starter). The
//! abbreviation and starter lists per language are in `abbrev`; [`lang`] maps a language code
//! to its rules (cs, ru, en, and a generic fallback for every other code).
//!
//! Layout conventions: a single newline is white space; a blank line (two newlines, possibly
//! with white space between) always ends a sentence, so a paragraph with no final punctuation
//! still ends where the paragraph does.

pub(crate) mod abbrev;
pub mod chars;
pub mod lang;
pub mod rules;
pub(crate) mod scan;

use std::ops::Range;

/// Errors of the segmenter's inputs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    /// A language code that is not a well-formed BCP 47 tag (`../x`, ``, `en_US`). A well-formed
    /// code without rules of its own is not an error: it gets the generic rules.
    #[error("{code:?}: not a language code ({hint})")]
    BadLangCode {
        /// The code as given.
        code: String,
        /// What is wrong, and what would be right.
        hint: String,
    },
}

/// Check that `code` is a well-formed language tag (BCP 47 syntax: `cs`, `ces`, `en-GB`,
/// `zh-Hant-TW`, `x-private`) whose primary language is an ISO 639-1 or ISO 639-3 code (or a
/// bibliographic ISO 639-2 code, a private-use code `qaa`–`qtz`, or `x-…`). The shape matters
/// because the code ends up in `xml:lang`, which TEI restricts to this syntax; the registry
/// matters because a slip such as `cz` (the country) for `cs` (the language) would silently get
/// the generic rules. A registered code without rules of its own gets the generic rules (see
/// [`lang_note`]).
pub fn check_lang(code: &str) -> Result<(), SegmentError> {
    let bad = |hint: &str| {
        Err(SegmentError::BadLangCode {
            code: code.to_owned(),
            hint: hint.to_owned(),
        })
    };
    const USUAL: &str = "use a code such as cs, ru, en, en-GB; codes without rules of their own \
                         get the generic rules";
    if code.is_empty() {
        return bad(&format!("it is empty; {USUAL}"));
    }
    if code.contains('_') && !code.contains('-') {
        let fixed = code.replace('_', "-");
        if check_lang(&fixed).is_ok() {
            return bad(&format!("subtags are joined with '-': {fixed}"));
        }
    }
    let mut subtags = code.split('-');
    let first = subtags.next().unwrap_or("");
    let primary_ok = first.chars().all(|c| c.is_ascii_alphabetic())
        && (matches!(first.len(), 2 | 3 | 5..=8)
            || first.eq_ignore_ascii_case("x")
            || first.eq_ignore_ascii_case("i"));
    let rest: Vec<&str> = subtags.collect();
    let rest_ok = rest
        .iter()
        .all(|t| (1..=8).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric()));
    let singleton_alone = first.len() == 1 && rest.is_empty();
    if !primary_ok || !rest_ok || singleton_alone {
        return bad(USUAL);
    }
    if let Err(hint) = lang::check_registered(first) {
        return bad(&hint);
    }
    Ok(())
}

/// What a user should be told about a valid code: `None` when it has rules of its own, else a
/// one-line note that it gets the generic rules ("de (German): no rules of its own …").
pub fn lang_note(code: &str) -> Option<String> {
    let rules = lang::rules_for(code);
    if rules.name != "generic" {
        return None;
    }
    let primary = code.split('-').next().unwrap_or(code);
    let name = lang::language_name(primary)
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    Some(format!(
        "{code}{name}: no sentence rules of its own; using the generic rules"
    ))
}

/// Split `text` into sentences for the language `lang` (an ISO 639 code such as `cs`, `ru`, `en`;
/// unknown codes get the generic rules; callers that take the code from a user check it first
/// with [`check_lang`]). Returns byte ranges into `text`, in order, trimmed of
/// surrounding white space, never empty, never overlapping.
///
/// A fragment without a letter or digit ("—", a lone closing quote, "* * * * *") is never a
/// sentence of its own: it joins the sentence before it (or, at the start, the one after it);
/// a text of nothing but punctuation is one range (callers that want sentences with words, such
/// as the `<s>` inserter, leave it out).
pub fn split(text: &str, lang: &str) -> Vec<Range<usize>> {
    let rules = lang::rules_for(lang);
    let mut out = Vec::new();
    for p in split_paragraphs(text) {
        scan::split_block(text, p, rules, &mut out);
    }
    join_punctuation_only(text, out, true)
}

/// Join each range without a letter or digit to its neighbour (see [`split`]); with
/// `keep_alone`, a text of punctuation only stays one range instead of none.
fn join_punctuation_only(
    text: &str,
    ranges: Vec<Range<usize>>,
    keep_alone: bool,
) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    // The start of punctuation-only ranges before the first sentence.
    let mut pending: Option<usize> = None;
    let mut last_end = 0;
    for r in ranges {
        last_end = r.end;
        if text[r.clone()].chars().any(char::is_alphanumeric) {
            out.push(pending.take().unwrap_or(r.start)..r.end);
        } else if let Some(last) = out.last_mut() {
            last.end = r.end;
        } else {
            pending.get_or_insert(r.start);
        }
    }
    if let (Some(start), true, true) = (pending, out.is_empty(), keep_alone) {
        out.push(start..last_end);
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
            join_punctuation_only(text, out, true)
        })
        .collect()
}

/// A sentence on one line: every run of white space (newlines included) becomes one space.
pub fn one_line(sentence: &str) -> String {
    sentence.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_language_codes_pass_even_without_rules() {
        for code in [
            "cs",
            "ces",
            "en-GB",
            "EN",
            "de-AT",
            "zh-Hant-TW",
            "sr-Latn",
            "x-klingon",
            "gsw",
        ] {
            assert_eq!(check_lang(code), Ok(()), "{code}");
        }
    }

    #[test]
    fn malformed_language_codes_are_errors() {
        for code in [
            "",
            "../x",
            "a b",
            "123",
            "e",
            "x",
            "en-",
            "-en",
            "en--GB",
            "čeština",
            "en/GB",
            "abcd",
            "en-toolongsubtag",
        ] {
            assert!(
                matches!(check_lang(code), Err(SegmentError::BadLangCode { .. })),
                "{code:?} should be rejected"
            );
        }
    }

    #[test]
    fn underscore_locale_gets_a_hint() {
        let err = check_lang("en_US").unwrap_err().to_string();
        assert!(err.contains("en-US"), "{err}");
    }
}
