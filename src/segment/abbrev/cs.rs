//! Czech abbreviations and sentence starters. Compiled by hand for tei-align from the common
//! abbreviations of Czech (as listed in *Pravidla českého pravopisu* and in ÚJČ AV ČR's
//! Internetová jazyková příručka); see the module `abbrev` for provenance and licence.

use super::Lists;

/// The Czech lists.
pub(crate) const LISTS: Lists = Lists {
    never: &[
        // Titles and ranks before names.
        "p.", "pí.", "sl.", "MUDr.", "JUDr.", "PhDr.", "RNDr.", "MVDr.", "PaedDr.", "ThDr.", "doc.",
        "ak.", "akad.", "arch.", "gen.", "plk.", "pplk.", "mjr.", "kpt.", "por.", "npor.", "rtm.",
        "arm.", "kard.", "mons.", "sv.", "bl.", // Abbreviations inside a sentence.
        "např.", "tj.", "t. j.", "tzv.", "t. zv.", "tzn.", "resp.", "popř.", "příp.", "mj.",
        "zejm.", "vč.", "vz.", "srov.", "viz.", "pozn.", "zvl.", "event.", "r.", "č.", "čl.",
        "odst.", "písm.", "s.", "str.", "obr.", "tab.", "kap.", "roč.", "sv.", "díl.", "ul.",
        "tř.", "nábř.", "hl. m.", "t. č.", "tel.", "angl.", "lat.", "něm.", "fr.", "rus.", "řec.",
        "čes.", "slov.", "spol.", "zn.", "př.", "cit.", "vyd.", "nar.", "zem.", "býv.", "max.",
        "min. r.",
    ],
    ender: &[
        "atd.",
        "apod.",
        "aj.",
        "ad.",
        "kol.",
        "n. l.",
        "př. n. l.",
        "př. Kr.",
        "Kr.",
        "t. r.",
        "m. r.",
        "m. n. m.",
        "a. s.",
        "s. r. o.",
        "r. o.",
        "o. p. s.",
        "z. s.",
        "v. o. s.",
        "k. s.",
        "Sb.",
        "mil.",
        "mld.",
        "tis.",
        "hod.",
        "min.",
        "sek.",
        "st.",
        "stol.",
        "ml.",
    ],
    weak: &["nám."],
    after_number: &[],
    starters: &[
        "A", "Ale", "Ani", "Avšak", "Až", "Během", "Byl", "Byla", "Byli", "Bylo", "Co", "Což",
        "Další", "Díky", "Do", "I", "Jak", "Jako", "Je", "Jeho", "Její", "Jejich", "Jen", "Ještě",
        "Již", "Jsou", "K", "Kde", "Kdo", "Kdy", "Když", "Ke", "Mezi", "My", "Na", "Navíc", "Nebo",
        "O", "Od", "On", "Ona", "Oni", "Ono", "Ony", "Pak", "Po", "Podle", "Pokud", "Potom", "Pro",
        "Proč", "Proto", "Protože", "Před", "Přes", "Při", "S", "Se", "Tak", "Také", "Tam", "Tato",
        "Te", "Ten", "Tento", "Tím", "To", "Tohle", "Toto", "Ty", "Tyto", "U", "Už", "V", "Ve",
        "Však", "Vy", "Z", "Za", "Ze", "Zde", "Že", "Já",
    ],
};
