//! Abbreviations shared by all languages (the generic fallback uses only these): Latin
//! abbreviations and academic titles and degrees used across European languages. Compiled by
//! hand for tei-align (see the module `abbrev` for provenance and licence).

use super::Lists;

/// The shared lists.
pub(crate) const LISTS: Lists = Lists {
    never: &[
        "e. g.", "i. e.", "cf.", "viz.", "vs.", "ca.", "approx.", "sc.", "dr.", "prof.", "Ing.",
        "Mgr.", "Bc.", "Mag.", "Dipl.", "Nr.", "z. B.", "d. h.", "bzw.", "ggf.", "vgl.", "Fr.",
        "Mme.", "Mlle.", "op.",
    ],
    ender: &[
        "etc.", "et al.", "ibid.", "Ph. D.", "Ph.D.", "M. A.", "B. A.", "M. Sc.", "B. Sc.",
        "M. D.", "usw.", "u. a.", "Jr.", "Sr.",
    ],
    weak: &[],
    after_number: &[],
    starters: &[],
};
