//! The scan over one paragraph: find each run of terminal punctuation (with the closing quotes
//! and brackets glued to it) that is followed by white space, and ask [`rules`](super::rules)
//! whether a sentence ends there.

use super::chars::{is_closer, is_dash, is_opener, is_spaceless_terminal, is_terminal};
use super::lang::LangRules;
use super::rules::{Next, is_boundary};
use std::ops::Range;

/// Append the sentences of `text[block]` to `out` (trimmed, non-empty byte ranges into `text`).
pub(crate) fn split_block(
    text: &str,
    block: Range<usize>,
    rules: &LangRules,
    out: &mut Vec<Range<usize>>,
) {
    let s = &text[block.clone()];
    let base = block.start;
    let mut start = 0;
    let mut i = 0;
    // Whether the sentence so far (`s[start..i]`) holds a letter or digit. Kept as the scan goes,
    // not searched for at each candidate: a long run of punctuation before many abbreviations
    // made that search quadratic (issue 13.5).
    let mut alnum = false;
    // A heading on the first line of a paragraph ("CHAPTER I", "Глава 3") ends there, though
    // it has no final punctuation.
    if let Some(k) = s.find('\n')
        && is_heading(&s[..k])
    {
        push_trimmed(text, base..base + k, out);
        start = k;
        i = k;
    }
    while let Some(c) = s[i..].chars().next() {
        let interrupted = is_interruption(s, i, c);
        if !is_terminal(c) && !rules.is_own_question_mark(c) && !interrupted {
            alnum |= c.is_alphanumeric();
            i += c.len_utf8();
            continue;
        }
        let j = run_end(s, i);
        let run = &s[i..j];
        let after = &s[j..];
        let spaced = after.starts_with(char::is_whitespace);
        let spaceless = run.chars().any(is_spaceless_terminal);
        // The end of the paragraph needs no decision: the final push below takes it.
        if (spaced || spaceless)
            && !after.trim().is_empty()
            && alnum
            && if interrupted {
                // Speech broken off ("…to—' 'His Majesty?'") ends where the next quote opens.
                after.trim_start().starts_with(is_opener)
                    && Next::of(after).is_some_and(|n| n.first.is_uppercase())
            } else {
                is_boundary(rules, &s[..i], &s[start..i], run, after)
            }
        {
            push_trimmed(text, base + start..base + j, out);
            start = j;
            alnum = false;
        }
        i = j.max(i + c.len_utf8());
    }
    push_trimmed(text, base + start..base + s.len(), out);
}

/// The end of the punctuation run starting at `i`: terminal marks, then closing quotes and
/// brackets after them ("?!“)"); a spaced ellipsis (". . .") is one run.
fn run_end(s: &str, i: usize) -> usize {
    // The first character (a terminal mark, or the dash of broken-off speech) always belongs.
    let mut j = i + s[i..].chars().next().map_or(0, char::len_utf8);
    // Whether the run so far is dots (and the spaces of a spaced ellipsis): kept as the run
    // grows, since searching the run again at each step was quadratic in its length.
    let mut dots_only = s[i..j] == *".";
    loop {
        for ch in s[j..].chars() {
            if is_terminal(ch) || is_closer(ch) {
                dots_only &= ch == '.';
                j += ch.len_utf8();
            } else {
                break;
            }
        }
        let rest = &s[j..];
        let continues = rest.starts_with(" .")
            && rest[2..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == '.' || is_closer(c));
        if dots_only && continues {
            j += 2;
            continue;
        }
        return j;
    }
}

/// Whether the dash at `i` ends speech broken off: glued to the word before it and followed by a
/// closing quote ("to—'").
fn is_interruption(s: &str, i: usize, c: char) -> bool {
    is_dash(c)
        && s[..i]
            .chars()
            .next_back()
            .is_some_and(|p| !p.is_whitespace())
        && s[i + c.len_utf8()..]
            .chars()
            .next()
            .is_some_and(|q| is_closer(q) && !matches!(q, ')' | ']' | '}' | '）' | '］'))
}

/// Words that open a heading: "Chapter 3", "Kapitola první", "Глава I".
const HEADING_WORDS: &[&str] = &[
    "chapter",
    "book",
    "part",
    "act",
    "scene",
    "kapitola",
    "část",
    "kniha",
    "díl",
    "dějství",
    "scéna",
    "výstup",
    "глава",
    "часть",
    "книга",
    "действие",
    "явление",
    "сцена",
];

/// Whether a line is a heading: short, without final punctuation (other than the dot of a
/// numeral), and written in capitals, or a numeral, or opened by a word such as "Chapter".
pub(crate) fn is_heading(line: &str) -> bool {
    let line = line.trim();
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 || !line.chars().any(char::is_alphanumeric) {
        return false;
    }
    let numeral = |w: &str| {
        let w = w.trim_end_matches('.');
        !w.is_empty()
            && (w.chars().all(|c| c.is_ascii_digit()) || w.chars().all(|c| "IVXLCDM".contains(c)))
    };
    if words.len() == 1 && numeral(words[0]) {
        return true;
    }
    if line.ends_with(|c: char| is_terminal(c) || matches!(c, ',' | ';' | ':')) {
        return false;
    }
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    let first = words[0].to_lowercase();
    // "Chapter 3", "Kapitola první", "Глава первая"; not "Part of the day was" (a wrapped line).
    let numbered = words.len() <= 3
        && words.get(1).is_none_or(|w| {
            numeral(w)
                || w.starts_with(char::is_uppercase)
                || (words.len() == 2 && w.ends_with(['í', 'я', 'й']))
        });
    capitals || HEADING_WORDS.contains(&first.as_str()) && numbered
}

/// Push `r` trimmed of white space, unless nothing is left.
pub(crate) fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_takes_closers_and_spaced_ellipses() {
        let s = "prohlá…“ Zbytek";
        let i = s.find('…').unwrap();
        assert_eq!(&s[i..run_end(s, i)], "…“");
        let s = "ends . . . The";
        assert_eq!(&s[5..run_end(s, 5)], ". . .");
        // ". .NET" is not an ellipsis: the run stops at the first dot.
        let s = "end. .NET";
        assert_eq!(&s[3..run_end(s, 3)], ".");
    }

    #[test]
    fn interruption_needs_a_glued_dash_and_a_closing_quote() {
        let s = "to—' 'His";
        let i = s.find('—').unwrap();
        assert!(is_interruption(s, i, '—'));
        let s = "«Да, — сказал он»";
        let i = s.find('—').unwrap();
        assert!(!is_interruption(s, i, '—'));
        let s = "(a—)";
        let i = s.find('—').unwrap();
        assert!(!is_interruption(s, i, '—'));
    }

    #[test]
    fn headings_end_at_their_line() {
        for h in [
            "CHAPTER I",
            "Kapitola první",
            "Глава 3",
            "IV.",
            "12",
            "DRUHÁ ČÁST",
        ] {
            assert!(is_heading(h), "{h}");
        }
        for not in [
            "Part of the day was",
            "It was late",
            "CHAPTER I.",
            "Dear Sir,",
            "A",
        ] {
            assert!(!is_heading(not), "{not}");
        }
        let rules = crate::segment::lang::rules_for("en");
        let text = "CHAPTER I\nIt was a dark night. Rain fell.";
        let mut out = Vec::new();
        split_block(text, 0..text.len(), rules, &mut out);
        let got: Vec<&str> = out.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(got, ["CHAPTER I", "It was a dark night.", "Rain fell."]);
    }

    #[test]
    fn a_run_of_punctuation_alone_is_not_a_sentence() {
        let rules = crate::segment::lang::rules_for("en");
        let text = "… Then it resumed.";
        let mut out = Vec::new();
        split_block(text, 0..text.len(), rules, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0], 0..text.len());
    }
}
