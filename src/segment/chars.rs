//! Character classes used by the splitter: terminal punctuation, closing and opening quotes and
//! brackets of every script, dashes.
//!
//! Quotes are ambiguous across languages (`“` opens in English and closes in Czech; `»` opens in
//! Czech `»…«` and closes in Russian `«…»`), so the splitter never asks which way a quote points:
//! a quote glued to the end of a sentence's final punctuation closes it, a quote at the start of
//! the next token opens the next one.

/// Punctuation that can end a sentence when followed by white space.
pub fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '?'
            | '!'
            | '…'
            | '‼'
            | '⁇'
            | '⁈'
            | '⁉'
            | '。'
            | '？'
            | '！'
            | '｡'
            | '।'
            | '؟'
            | '\u{37E}'
    )
}

/// Terminal punctuation of scripts written without spaces between sentences (CJK): a boundary
/// even when no white space follows.
pub(crate) fn is_spaceless_terminal(c: char) -> bool {
    matches!(c, '。' | '？' | '！' | '｡')
}

/// Question and exclamation marks: a strong end, never part of an abbreviation.
pub(crate) fn is_strong(c: char) -> bool {
    matches!(
        c,
        '?' | '!' | '‼' | '⁇' | '⁈' | '⁉' | '？' | '！' | '؟' | '。' | '｡' | '।' | '\u{37E}'
    )
}

/// Characters that may follow the final punctuation and still belong to the sentence: closing
/// quotes of every script and closing brackets.
pub(crate) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '”'
            | '“'
            | '’'
            | '‘'
            | '»'
            | '«'
            | '›'
            | '‹'
            | '」'
            | '』'
            | ')'
            | ']'
            | '}'
            | '）'
            | '］'
    )
}

/// Characters that may precede the first letter of a sentence: opening quotes and brackets,
/// inverted Spanish marks.
pub(crate) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '‘'
            | '„'
            | '‚'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '「'
            | '『'
            | '('
            | '['
            | '{'
            | '（'
            | '［'
            | '¿'
            | '¡'
    )
}

/// Dashes that introduce direct speech or an aside (`— сказал он`).
pub(crate) fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―')
}
