//! Abbreviation lists and sentence-starter lists per language.
//!
//! Provenance and licence: every list in this module was compiled by hand for tei-align by its
//! authors from general knowledge of each language's written conventions (for Czech the common
//! abbreviations listed in *Pravidla českého pravopisu* and ÚJČ's Internetová jazyková příručka,
//! for Russian those of ГОСТ Р 7.0.12-2011 and ordinary press usage, for English those of
//! ordinary style guides). No third-party list (LanguageTool SRX, Punkt, NLTK, …) was copied.
//! The lists are part of tei-align and carry its licence.
//!
//! Each entry is written as in text (`"př. n. l."`, `"т. е."`); spaces and the final dot do not
//! matter (`"т.е."` in a text matches `"т. е."`). An entry written in lower case also matches the
//! same word with a capital first letter (at the start of a sentence); an entry written with a
//! capital (`"No."`, `"St."`) matches only that spelling, so that common words (`no.`) are not
//! taken for abbreviations.
//!
//! The classes (see [`crate::segment::rules`]):
//! - `never`: abbreviations that practically never end a sentence (titles before names,
//!   "e.g.", "např.", "т. е.", "č." before a number): no break after them.
//! - `ender`: abbreviations that often end a sentence ("etc.", "atd.", "př. n. l.", "гг."): break
//!   after them when the next word starts with a capital letter.
//! - `weak`: ambiguous ones ("U.S.", month names, "No."): break only when the next word is a
//!   typical sentence starter (a pronoun, article, preposition or conjunction, from `starters`).
//! - `after_number`: words that end a sentence when they follow a number ("1912 г.", "XX в.")
//!   and otherwise are looked up in the other lists ("г. Москва" = город).
//! - `starters`: closed-class words (pronouns, articles, prepositions, conjunctions) that
//!   typically begin a sentence with a capital letter.

pub mod common;
pub mod cs;
pub mod en;
pub mod ru;

/// The lists of one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lists {
    /// Abbreviations after which a sentence practically never ends.
    pub never: &'static [&'static str],
    /// Abbreviations that often end a sentence.
    pub ender: &'static [&'static str],
    /// Ambiguous abbreviations.
    pub weak: &'static [&'static str],
    /// Words ending a sentence when they follow a number.
    pub after_number: &'static [&'static str],
    /// Typical sentence-starting closed-class words.
    pub starters: &'static [&'static str],
}
