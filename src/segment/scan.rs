//! The scan over one paragraph: find each run of terminal punctuation (with the closing quotes
//! and brackets glued to it) that is followed by white space, and ask [`rules`](super::rules)
//! whether a sentence ends there.

use super::chars::{is_closer, is_dash, is_opener, is_spaceless_terminal, is_terminal};
use super::lang::LangRules;
use super::rules::{Next, is_boundary};
use std::ops::Range;

/// Append the sentences of `text[block]` to `out` (trimmed, non-empty byte ranges into `text`).
pub fn split_block(
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
    while let Some(c) = s[i..].chars().next() {
        let interrupted = is_interruption(s, i, c);
        if !is_terminal(c) && !interrupted {
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

/// Push `r` trimmed of white space, unless nothing is left.
pub fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
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
    fn a_run_of_punctuation_alone_is_not_a_sentence() {
        let rules = crate::segment::lang::rules_for("en");
        let text = "… Then it resumed.";
        let mut out = Vec::new();
        split_block(text, 0..text.len(), rules, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0], 0..text.len());
    }
}
