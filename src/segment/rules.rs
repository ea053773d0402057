//! The decision at one candidate boundary: terminal punctuation followed by white space.
//!
//! The rules, in order:
//! 1. Nothing but a lower-case word may follow a sentence end: "„Proč?“ zeptal se" and
//!    "17. července" never break.
//! 2. After "?" or "!" (also "?!", "!!!") and after an ellipsis, break — unless the mark stands
//!    in brackets as a comment ("(?)", "(…)").
//! 3. After a single dot, look at the word before it:
//!    - a word in quotes or brackets ("„systému zásluh“.") or an ordinary word: break;
//!    - an abbreviation: by its class (see `segment::abbrev`);
//!    - a number: a day or month ("17. 5. 2020") keeps going before another number in languages
//!      that write ordinal dots, otherwise break before anything but a lower-case word;
//!    - a single letter (an initial, "L. I. Brežněv") or letters with dots ("U.S.", "Л.И."): break
//!      only before a typical sentence starter ("… in the U.S. The …").

use super::chars::{is_closer, is_dash, is_opener, is_spaceless_terminal, is_strong};
use super::lang::{Class, LangRules};

/// What the word before a single dot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordKind {
    /// An abbreviation of the given class.
    Abbrev(Class),
    /// A number (digits first: "2014", "1960-х", "17").
    Number {
        /// Whether it is short enough to be a day or an ordinal (one or two characters).
        short: bool,
    },
    /// An initial or letters with dots, not in any list.
    Initial,
    /// Anything else.
    Ordinary,
}

/// The word after a candidate boundary.
#[derive(Debug, Clone, Copy)]
pub struct Next<'a> {
    /// Its first character after opening quotes, brackets and dashes.
    pub first: char,
    /// The word itself without leading and trailing punctuation (for the starter lists).
    pub word: &'a str,
    /// Whether it looks like an initial ("A."), which is never a sentence starter.
    pub is_initial: bool,
}

impl<'a> Next<'a> {
    /// The next word in `after` (the text after the punctuation), if any.
    pub fn of(after: &'a str) -> Option<Self> {
        let rest =
            after.trim_start_matches(|c: char| c.is_whitespace() || is_opener(c) || is_dash(c));
        let token = rest.split(char::is_whitespace).next().unwrap_or("");
        let first = token.chars().next()?;
        let word = token.trim_end_matches(|c: char| !c.is_alphanumeric());
        let is_initial = token.ends_with('.') && word.chars().count() == 1;
        Some(Next {
            first,
            word,
            is_initial,
        })
    }

    fn is_starter(&self, rules: &LangRules) -> bool {
        !self.is_initial && rules.is_starter(self.word)
    }
}

/// Currency codes and names written with a capital that follow an amount ("mil. Kč").
fn is_currency(word: &str) -> bool {
    const CURRENCIES: &[&str] = &[
        "Kč", "Kčs", "Sk", "Ft", "Zł", "DM", "USD", "EUR", "CZK", "SKK", "RUB", "GBP", "CHF",
        "PLN", "HUF", "JPY", "UAH", "SEK", "NOK", "DKK",
    ];
    CURRENCIES.contains(&word)
}

/// Whether a sentence ends after the punctuation run `run`, given the text `before` it and the
/// text `after` it (which starts with white space unless the run is CJK punctuation).
///
/// `sentence` is the part of `before` that belongs to the current sentence.
pub(crate) fn is_boundary(
    rules: &LangRules,
    before: &str,
    sentence: &str,
    run: &str,
    after: &str,
) -> bool {
    let Some(next) = Next::of(after) else {
        return true;
    };
    if run.chars().any(is_spaceless_terminal) {
        return true;
    }
    if next.first.is_lowercase() {
        return false;
    }
    let raw = last_token(before);
    let strong = run
        .chars()
        .any(|c| is_strong(c) || rules.is_own_question_mark(c));
    let dots = run.chars().filter(|&c| c == '.').count();
    if strong || dots >= 2 || run.contains('…') {
        // "(?)", "(!)", "[…]": a comment mark inside the sentence, not its end.
        if raw.ends_with(['(', '[', '{']) {
            return false;
        }
        // "I... I can't", "Tomorrow . . . tomorrow": a hesitation, not a sentence end.
        let prev = sentence
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .trim_matches(|c: char| !c.is_alphanumeric());
        return strong || !is_repetition(prev, next.word);
    }
    match classify(rules, before) {
        // "Kat. Ivanovna", "Nik. Petrovič": a first name cut short before a patronymic.
        WordKind::Ordinary => !(is_short_name(last_token(before)) && is_patronymic(next.word)),
        WordKind::Abbrev(Class::Never) => false,
        // "3,5 mil. Kč", "2 mld. USD": a currency after a count ("mil.", "tis.") is not a new
        // sentence, though it has a capital.
        WordKind::Abbrev(Class::Ender) => next.first.is_uppercase() && !is_currency(next.word),
        WordKind::Abbrev(Class::Weak) | WordKind::Initial => next.is_starter(rules),
        WordKind::Number { short } => {
            if short && is_label(sentence) {
                // "…innocence: 1. The team leader had no dog; 2. The dog…": list labels.
                false
            } else if next.first.is_numeric() {
                // "17. 5. 1968" is a date; "v roce 1992. 21. srpna …" is not: a year is no day.
                !(rules.ordinal_dots && short)
            } else if short && rules.short_ordinal_is_weak {
                next.is_starter(rules)
            } else {
                true
            }
        }
    }
}

/// Whether `token` (the word before a dot) could be a first name cut short: a capital and one
/// to three small letters ("Kat", "Nik", "Al").
fn is_short_name(token: &str) -> bool {
    let w = token.trim_start_matches(|c: char| is_opener(c) || is_dash(c));
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && (1..=3).contains(&chars.clone().count())
        && chars.all(char::is_lowercase)
}

/// Whether `word` is a patronymic (Russian, Czech and Slovak transliterations, and Cyrillic).
fn is_patronymic(word: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "ovna", "evna", "ovich", "evich", "ovič", "evič", "ovitch", "evitch", "ična", "ichna",
        "овна", "евна", "ична", "ович", "евич", "ьич",
    ];
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().count() > 5
        && ENDINGS.iter().any(|e| word.ends_with(e))
}

/// Whether `next` repeats `prev` (ignoring case, or with a clitic: "I… I've").
fn is_repetition(prev: &str, next: &str) -> bool {
    if prev.is_empty() {
        return false;
    }
    // Without allocating: this runs at every ellipsis.
    let mut n = next.chars().flat_map(char::to_lowercase);
    for c in prev.chars().flat_map(char::to_lowercase) {
        if n.next() != Some(c) {
            return false;
        }
    }
    matches!(n.next(), None | Some('\'' | '’'))
}

/// Whether the number that ends `sentence` is a list label: the first word of the sentence, or
/// right after a colon or semicolon.
fn is_label(sentence: &str) -> bool {
    let mut words = sentence.split_whitespace().rev();
    let _number = words.next();
    match words.next() {
        None => true,
        Some(w) => w.ends_with([':', ';']),
    }
}

/// The last white-space-separated token of `before` ("" if `before` ends in white space).
fn last_token(before: &str) -> &str {
    if before.ends_with(char::is_whitespace) {
        return "";
    }
    before.rsplit(char::is_whitespace).next().unwrap_or("")
}

/// Classify the word that the dot follows; `before` is the text up to the dot.
pub(crate) fn classify(rules: &LangRules, before: &str) -> WordKind {
    let raw = last_token(before);
    // A quote or bracket between the word and the dot: the dot ends a quotation or an aside.
    if raw.ends_with(is_closer) {
        return WordKind::Ordinary;
    }
    let word = raw.trim_start_matches(|c: char| is_opener(c) || is_dash(c));
    if word.is_empty() {
        return WordKind::Ordinary;
    }
    let mut tokens = before.rsplit(char::is_whitespace).filter(|t| !t.is_empty());
    let _ = tokens.next();
    // Multi-part abbreviations written with spaces ("př. n. l.", "т. е."): join the preceding
    // tokens that end in a dot, longest first.
    let mut parts: Vec<&str> = vec![word];
    for t in tokens.take(rules.max_parts.saturating_sub(1)) {
        if !t.ends_with('.') {
            break;
        }
        parts.push(t.trim_start_matches(|c: char| is_opener(c) || is_dash(c)));
    }
    // One buffer for the keys tried: this runs at every candidate boundary.
    let mut key = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for k in (1..=parts.len()).rev() {
        key.clear();
        parts[..k].iter().rev().for_each(|p| key.push_str(p));
        // A word that ends a sentence after a number ("1912 г.") is a different abbreviation
        // elsewhere ("г. Москва").
        if k == 1 && rules.is_after_number(&key) && follows_number(before, raw) {
            return WordKind::Abbrev(Class::Ender);
        }
        if let Some(class) = rules.lookup(&key) {
            return WordKind::Abbrev(class);
        }
    }
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    if first.is_numeric() {
        return WordKind::Number {
            short: word.chars().count() <= 2,
        };
    }
    if first.is_alphabetic() && chars.next().is_none() {
        return WordKind::Initial;
    }
    if word.contains('.')
        && word
            .split('.')
            .all(|p| !p.is_empty() && p.chars().count() <= 3 && p.chars().all(char::is_alphabetic))
    {
        return WordKind::Initial;
    }
    WordKind::Ordinary
}

/// Whether the token before `raw` (the last token of `before`) is a number or a Roman numeral.
fn follows_number(before: &str, raw: &str) -> bool {
    let head = &before[..before.len() - raw.len()];
    let prev = head.split_whitespace().next_back().unwrap_or("");
    let prev = prev.trim_end_matches([',', ')']);
    prev.starts_with(|c: char| c.is_ascii_digit())
        || (!prev.is_empty() && prev.chars().all(|c| "IVXLCDM".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lang::rules_for;

    #[test]
    fn classify_words() {
        let cs = rules_for("cs");
        assert_eq!(classify(cs, "viz např"), WordKind::Abbrev(Class::Never));
        assert_eq!(
            classify(cs, "roku 700 př. n. l"),
            WordKind::Abbrev(Class::Ender)
        );
        assert_eq!(classify(cs, "Leonid I"), WordKind::Initial);
        assert_eq!(classify(cs, "v roce 17"), WordKind::Number { short: true });
        assert_eq!(classify(cs, "„systému zásluh“"), WordKind::Ordinary);
        let ru = rules_for("ru");
        assert_eq!(classify(ru, "в 1916 г"), WordKind::Abbrev(Class::Ender));
        assert_eq!(classify(ru, "в г"), WordKind::Abbrev(Class::Never));
        assert_eq!(classify(ru, "в XX в"), WordKind::Abbrev(Class::Ender));
        let en = rules_for("en");
        assert_eq!(classify(en, "the U.S"), WordKind::Abbrev(Class::Weak));
        assert_eq!(classify(en, "the A.B.C"), WordKind::Initial);
        assert_eq!(classify(en, "said Mr"), WordKind::Abbrev(Class::Never));
    }

    #[test]
    fn next_word_skips_openers_and_dashes() {
        let n = Next::of(" — «Привет!»").unwrap();
        assert_eq!(n.first, 'П');
        assert_eq!(n.word, "Привет");
        let n = Next::of(" A. Smith").unwrap();
        assert!(n.is_initial);
        assert!(Next::of("   ").is_none());
    }
}
