//! The scan over one paragraph: find each run of terminal punctuation (with the closing quotes
//! and brackets glued to it) that is followed by white space, and ask [`rules`](super::rules)
//! whether a sentence ends there.

use super::chars::{is_closer, is_spaceless_terminal, is_terminal};
use super::lang::LangRules;
use super::rules::is_boundary;
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
    while let Some(c) = s[i..].chars().next() {
        if !is_terminal(c) {
            i += c.len_utf8();
            continue;
        }
        // The run: terminal marks, and closing quotes/brackets after the first mark ("?!“)").
        let mut j = i;
        for ch in s[i..].chars() {
            if is_terminal(ch) || (j > i && is_closer(ch)) {
                j += ch.len_utf8();
            } else {
                break;
            }
        }
        let run = &s[i..j];
        let after = &s[j..];
        let spaced = after.starts_with(char::is_whitespace);
        let spaceless = run.chars().any(is_spaceless_terminal);
        // The end of the paragraph needs no decision: the final push below takes it.
        if (spaced || spaceless)
            && !after.trim().is_empty()
            && has_alnum(&s[start..j])
            && is_boundary(rules, &s[..i], run, after)
        {
            push_trimmed(text, base + start..base + j, out);
            start = j;
        }
        i = j;
    }
    push_trimmed(text, base + start..base + s.len(), out);
}

/// Whether `s` holds a letter or digit: a run of punctuation alone is never a sentence.
fn has_alnum(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
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
