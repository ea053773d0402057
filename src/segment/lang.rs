//! Per-language rule sets: abbreviation classes, sentence starters and the treatment of numbers
//! followed by a dot. Built once per language and cached.

use super::abbrev::{self, Lists};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// How an abbreviation behaves at a possible sentence end (see [`abbrev`] for the classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Practically never ends a sentence.
    Never,
    /// Often ends a sentence: break before a capital letter.
    Ender,
    /// Ambiguous: break only before a typical sentence starter.
    Weak,
}

/// The rules of one language.
#[derive(Debug)]
pub(crate) struct LangRules {
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
    /// The language writes its question mark as `;` (Greek: "Τί ἐστι τοῦτο;"), so a semicolon
    /// ends a sentence as `?` does.
    pub semicolon_asks: bool,
}

/// The normal form of an abbreviation: no white space, no final dot.
pub(crate) fn normalize(entry: &str) -> String {
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
            semicolon_asks: false,
        }
    }

    /// Whether `c` is this language's question mark where other languages have none: the Greek
    /// `;` (the Greek question mark U+037E is terminal in every language).
    pub(crate) fn is_own_question_mark(&self, c: char) -> bool {
        self.semicolon_asks && c == ';'
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
    pub(crate) fn is_after_number(&self, key: &str) -> bool {
        self.after_number.contains(key)
    }

    /// Whether `word` is a typical sentence starter of the language.
    pub(crate) fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }
}

/// The rules for a language code (ISO 639-1 or -2, optionally with a region: `cs`, `ces`,
/// `en-GB`); any other code gets the generic rules.
pub(crate) fn rules_for(lang: &str) -> &'static LangRules {
    static CS: OnceLock<LangRules> = OnceLock::new();
    static RU: OnceLock<LangRules> = OnceLock::new();
    static EN: OnceLock<LangRules> = OnceLock::new();
    static EL: OnceLock<LangRules> = OnceLock::new();
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
        // Modern and Ancient Greek: the generic rules, with `;` as the question mark.
        "el" | "ell" | "gre" | "grc" => EL.get_or_init(|| LangRules {
            semicolon_asks: true,
            ..LangRules::build("el", &[abbrev::common::LISTS], true, true)
        }),
        _ => GENERIC
            .get_or_init(|| LangRules::build("generic", &[abbrev::common::LISTS], true, true)),
    }
}

/// Codes people commonly write for a language that are not its ISO 639 code: country codes
/// (`cz` is the Czech Republic, the language is `cs`), withdrawn codes, and the bibliographic
/// ISO 639-2/B codes whose ISO 639-3 form differs. Each maps to the code to use.
const SLIPS: &[(&str, &str)] = &[
    ("cz", "cs"),
    ("gr", "el"),
    ("jp", "ja"),
    ("dk", "da"),
    ("se", "sv"),
    ("ua", "uk"),
    ("cn", "zh"),
    ("kr", "ko"),
    ("vn", "vi"),
    ("ee", "et"),
    ("iw", "he"),
    ("in", "id"),
    ("ji", "yi"),
    ("sp", "es"),
    ("ge", "ka"),
    ("rs", "sr"),
];

/// The bibliographic ISO 639-2/B codes that differ from ISO 639-3: valid in `xml:lang`, mapped
/// to the terminological code for the rules and the name.
const BIBLIOGRAPHIC: &[(&str, &str)] = &[
    ("alb", "sqi"),
    ("arm", "hye"),
    ("baq", "eus"),
    ("bur", "mya"),
    ("chi", "zho"),
    ("cze", "ces"),
    ("dut", "nld"),
    ("fre", "fra"),
    ("geo", "kat"),
    ("ger", "deu"),
    ("gre", "ell"),
    ("ice", "isl"),
    ("mac", "mkd"),
    ("mao", "mri"),
    ("may", "msa"),
    ("per", "fas"),
    ("rum", "ron"),
    ("slo", "slk"),
    ("tib", "bod"),
    ("wel", "cym"),
];

/// The ISO 639 language of a primary subtag (`cs`, `ces`, `cze`, `CS`), if it is registered.
fn language(primary: &str) -> Option<isolang::Language> {
    let code = primary.to_ascii_lowercase();
    let code = BIBLIOGRAPHIC
        .iter()
        .find(|(b, _)| *b == code)
        .map_or(code.as_str(), |(_, t)| t);
    match code.len() {
        2 => isolang::Language::from_639_1(code),
        3 => isolang::Language::from_639_3(code),
        _ => None,
    }
}

/// The English name of the language of a primary subtag, if it is registered.
pub(crate) fn language_name(primary: &str) -> Option<&'static str> {
    language(primary).map(|l| l.to_name())
}

/// Check that a primary language subtag is registered: ISO 639-1, ISO 639-3, a bibliographic
/// ISO 639-2 code, private use `qaa`–`qtz`, or the BCP 47 prefixes `x`/`i`. (BCP 47's 5–8
/// letter primary subtags are reserved and none is registered: refused.) The error is a hint
/// naming the likely intended code. A slip that is itself a registered code (`si` is Sinhala,
/// not Slovenian) cannot be told from an intended one and is accepted.
pub(crate) fn check_registered(primary: &str) -> Result<(), String> {
    let code = primary.to_ascii_lowercase();
    let private = code.len() == 3 && ("qaa"..="qtz").contains(&code.as_str());
    if code.len() == 1 || private || language(&code).is_some() {
        return Ok(());
    }
    if let Some((_, to)) = SLIPS.iter().find(|(from, _)| *from == code) {
        let name = language_name(to).unwrap_or("");
        return Err(format!("did you mean {to} ({name})?"));
    }
    // English names are capitalised in the registry ("Czech").
    let mut chars = code.chars();
    let capitalised: String = chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect();
    if let Some(l) = isolang::Language::from_name(&capitalised) {
        let to = l.to_639_1().unwrap_or(l.to_639_3());
        return Err(format!("a language name; did you mean {to}?"));
    }
    Err("not in ISO 639-1 or ISO 639-3; use e.g. cs, ru, en, de, ces, rus".to_owned())
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
    fn registered_codes_and_slips() {
        for ok in [
            "cs", "ces", "cze", "CS", "de", "deu", "ger", "qab", "haw", "x", "zh",
        ] {
            assert_eq!(check_registered(ok), Ok(()), "{ok}");
        }
        let cz = check_registered("cz").unwrap_err();
        assert!(cz.contains("did you mean cs (Czech)"), "{cz}");
        let name = check_registered("czech").unwrap_err();
        assert!(name.contains("did you mean cs"), "{name}");
        assert!(check_registered("qq").is_err());
        assert!(check_registered("zzz").is_err());
        assert_eq!(language_name("cze"), Some("Czech"));
        assert_eq!(language_name("ru"), Some("Russian"));
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
