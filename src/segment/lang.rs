//! Per-language rule sets: abbreviation classes, sentence starters and the treatment of numbers
//! followed by a dot. Built once per language and cached.

use super::abbrev::{self, Lists};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// How an abbreviation behaves at a possible sentence end (see [`abbrev`] for the classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Practically never ends a sentence.
    Never,
    /// Often ends a sentence: break before a capital letter.
    Ender,
    /// Ambiguous: break only before a typical sentence starter.
    Weak,
}

/// The rules of one language.
#[derive(Debug)]
pub struct LangRules {
    /// The language these rules are for (`cs`, `ru`, `en` or `generic`).
    pub name: &'static str,
    abbrevs: HashMap<String, Class>,
    after_number: HashSet<String>,
    starters: HashSet<&'static str>,
    /// The language writes ordinal numbers with a dot ("17. července"), so "17. 5." is a date,
    /// not two sentences.
    pub ordinal_dots: bool,
    /// A short number with a dot before a capitalised word is probably an ordinal before a
    /// capitalised noun (German "am 3. Oktober"): treat it as ambiguous.
    pub short_ordinal_is_weak: bool,
    /// Longest abbreviation key, in dot-separated parts, so lookups try only what can match.
    pub max_parts: usize,
}

/// The normal form of an abbreviation: no white space, no final dot.
pub fn normalize(entry: &str) -> String {
    let s: String = entry.chars().filter(|c| !c.is_whitespace()).collect();
    s.trim_end_matches('.').to_owned()
}

impl LangRules {
    fn build(name: &'static str, lists: &[Lists], ordinal_dots: bool, weak_ord: bool) -> Self {
        let mut abbrevs = HashMap::new();
        let mut after_number = HashSet::new();
        let mut starters = HashSet::new();
        // Later lists override earlier ones, so the language's own list wins over the common one.
        for l in lists {
            for (entries, class) in [
                (l.never, Class::Never),
                (l.ender, Class::Ender),
                (l.weak, Class::Weak),
            ] {
                for e in entries {
                    abbrevs.insert(normalize(e), class);
                }
            }
            after_number.extend(l.after_number.iter().map(|e| normalize(e)));
            starters.extend(l.starters.iter().copied());
        }
        let max_parts = abbrevs
            .keys()
            .map(|k| k.split('.').count())
            .max()
            .unwrap_or(1);
        LangRules {
            name,
            abbrevs,
            after_number,
            starters,
            ordinal_dots,
            short_ordinal_is_weak: weak_ord,
            max_parts,
        }
    }

    /// The class of an abbreviation in normal form (see [`normalize`]), if it is one. An entry in
    /// lower case also matches the word with a capitalised first letter.
    pub fn lookup(&self, key: &str) -> Option<Class> {
        if let Some(c) = self.abbrevs.get(key) {
            return Some(*c);
        }
        let mut chars = key.chars();
        let first = chars.next()?;
        if first.is_uppercase() {
            let lowered: String = first.to_lowercase().chain(chars).collect();
            // Only a capital at the start of the word may be lowered: "MUDr" stays itself.
            if let Some(c) = self.abbrevs.get(&lowered) {
                return Some(*c);
            }
        }
        None
    }

    /// Whether `key` (normal form) ends a sentence when it follows a number ("1912 г.").
    pub fn is_after_number(&self, key: &str) -> bool {
        self.after_number.contains(key)
    }

    /// Whether `word` is a typical sentence starter of the language.
    pub fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }
}

/// The rules for a language code (ISO 639-1 or -2, optionally with a region: `cs`, `ces`,
/// `en-GB`); any other code gets the generic rules.
pub fn rules_for(lang: &str) -> &'static LangRules {
    static CS: OnceLock<LangRules> = OnceLock::new();
    static RU: OnceLock<LangRules> = OnceLock::new();
    static EN: OnceLock<LangRules> = OnceLock::new();
    static GENERIC: OnceLock<LangRules> = OnceLock::new();
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match primary.as_str() {
        "cs" | "ces" | "cze" => CS.get_or_init(|| {
            LangRules::build(
                "cs",
                &[abbrev::common::LISTS, abbrev::cs::LISTS],
                true,
                false,
            )
        }),
        "ru" | "rus" => RU.get_or_init(|| {
            LangRules::build(
                "ru",
                &[abbrev::common::LISTS, abbrev::ru::LISTS],
                false,
                false,
            )
        }),
        "en" | "eng" => EN.get_or_init(|| {
            LangRules::build(
                "en",
                &[abbrev::common::LISTS, abbrev::en::LISTS],
                false,
                false,
            )
        }),
        _ => GENERIC
            .get_or_init(|| LangRules::build("generic", &[abbrev::common::LISTS], true, true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_rule_sets() {
        assert_eq!(rules_for("cs").name, "cs");
        assert_eq!(rules_for("ces").name, "cs");
        assert_eq!(rules_for("en-GB").name, "en");
        assert_eq!(rules_for("RU").name, "ru");
        assert_eq!(rules_for("de").name, "generic");
        assert_eq!(rules_for("").name, "generic");
    }

    #[test]
    fn lookup_ignores_spaces_and_capital_first_letter() {
        let ru = rules_for("ru");
        assert_eq!(ru.lookup(&normalize("т.е.")), Some(Class::Never));
        assert_eq!(ru.lookup(&normalize("Т. е.")), Some(Class::Never));
        let en = rules_for("en");
        // "No." is listed with a capital only, so the word "no" is not an abbreviation.
        assert_eq!(en.lookup("No"), Some(Class::Weak));
        assert_eq!(en.lookup("no"), None);
        let cs = rules_for("cs");
        assert_eq!(cs.lookup("Např"), Some(Class::Never));
        assert_eq!(cs.lookup("př.n.l"), Some(Class::Ender));
    }
}
