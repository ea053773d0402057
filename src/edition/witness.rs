//! What the page says about each witness (layer): read from the model and, where the layer's
//! TEI file is at hand, from its teiHeader (the source description, the repository, links, the
//! creation, the name of the language).

use crate::model::Layer;
use crate::tei::dom::Doc;

/// A piece of header prose and the language it is in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prose {
    pub text: String,
    pub lang: String,
}

/// The bibliographic panel of one witness.
#[derive(Debug, Clone, Default)]
pub(crate) struct Witness {
    pub title: Option<Prose>,
    /// (role, name) of everyone the header names.
    pub resp: Vec<(String, Prose)>,
    /// The sources the text was taken from (`sourceDesc` bibls and paragraphs).
    pub sources: Vec<Prose>,
    /// The holding institution (`msIdentifier`), as one line.
    pub repository: Option<Prose>,
    /// Other identifiers (`msIdentifier/altIdentifier`: a copy held elsewhere), one line each,
    /// apart from the repository: run together they would read as its shelfmark.
    pub alt_ids: Vec<Prose>,
    /// The custodial history (`msDesc/history/provenance`), one step each.
    pub history: Vec<Prose>,
    /// How sure an attribution to a publisher is and where it comes from
    /// (`bibl/publisher/@cert`, `note[@type="attribution"]`), by the publisher's name.
    pub attributions: Vec<(String, Prose)>,
    /// Where the sources disagree (`note[@type="conflict"]` anywhere in the source
    /// description), each with its quotations in quotation marks and their sources.
    pub conflicts: Vec<Prose>,
    /// The licence or availability of the text (`publicationStmt/availability`).
    pub licence: Option<Prose>,
    /// Web addresses given in the source description.
    pub links: Vec<String>,
    /// How the text came to be (`profileDesc/creation`).
    pub creation: Option<Prose>,
    /// The language's name (`langUsage/language`), else a known name, else the code.
    pub lang_name: String,
}

/// English words that show a piece of header prose is written in English.
const ENGLISH: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "from",
    "by",
    "for",
    "with",
    "is",
    "not",
    "this",
    "as",
    "translation",
    "original",
    "text",
    "letter",
    "available",
    "copy",
    "published",
];

/// The language of header prose with no `xml:lang` of its own: English (the language the page
/// speaks) when it reads as English, else the layer's language. Headers are mostly written in
/// the project's language even in a layer whose text is not (`xml:lang` on the TEI root is the
/// text's language), and a title in the text's language has none of these words.
pub(crate) fn prose_lang(text: &str, explicit: Option<&str>, layer_lang: &str) -> String {
    if let Some(l) = explicit {
        return l.to_owned();
    }
    let english = text
        .split(|c: char| !c.is_alphabetic())
        .any(|w| ENGLISH.contains(&w.to_lowercase().as_str()));
    if english {
        "en".into()
    } else {
        layer_lang.to_owned()
    }
}

/// ` lang="…"` for an HTML element, with ` dir="rtl"` when the language is written right to
/// left: without it a browser lays an Arabic or Hebrew paragraph out left to right (the
/// sentence order reversed at line ends, the full stop on the wrong side, text ragged left).
pub(crate) fn html_lang(lang: &str) -> String {
    let dir = if is_rtl(lang) { " dir=\"rtl\"" } else { "" };
    format!(" lang=\"{}\"{dir}", super::escape(lang))
}

/// Whether a BCP 47 code names a language written right to left: a script subtag decides
/// (`az-Arab`, `ar-Latn`), else the language (those written in Arabic, Hebrew, Syriac or Thaana
/// script by default).
pub(crate) fn is_rtl(lang: &str) -> bool {
    let mut parts = lang.split(['-', '_']);
    let base = parts.next().unwrap_or("").to_ascii_lowercase();
    if let Some(script) = parts.find(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return matches!(
            script.to_ascii_lowercase().as_str(),
            "arab" | "hebr" | "syrc" | "thaa" | "nkoo" | "adlm" | "rohg" | "mand" | "samr"
        );
    }
    matches!(
        base.as_str(),
        "ar" | "arc"
            | "arz"
            | "ary"
            | "ckb"
            | "dv"
            | "fa"
            | "he"
            | "iw"
            | "ji"
            | "yi"
            | "ks"
            | "pes"
            | "prs"
            | "ps"
            | "sd"
            | "syr"
            | "ug"
            | "ur"
            | "pnb"
            | "lrc"
            | "mzn"
            | "glk"
            | "azb"
            | "hbo"
            | "jrb"
            | "sam"
    )
}

/// The English name of a language code the header does not name.
pub(crate) fn known_lang_name(code: &str) -> Option<&'static str> {
    let base = code.split(['-', '_']).next().unwrap_or(code);
    Some(match base {
        "en" => "English",
        "cs" => "Czech",
        "sk" => "Slovak",
        "ru" => "Russian",
        "uk" => "Ukrainian",
        "pl" => "Polish",
        "de" => "German",
        "fr" => "French",
        "it" => "Italian",
        "es" => "Spanish",
        "pt" => "Portuguese",
        "nl" => "Dutch",
        "la" => "Latin",
        "grc" => "Ancient Greek",
        "el" => "Greek",
        "he" => "Hebrew",
        "ar" => "Arabic",
        "zh" => "Chinese",
        "ja" => "Japanese",
        "hu" => "Hungarian",
        "sv" => "Swedish",
        "da" => "Danish",
        "fi" => "Finnish",
        _ => return None,
    })
}

/// The `xml:lang` in force at a header element (its own or an ancestor's inside the header).
fn lang_at(doc: &Doc, chain: &[usize]) -> Option<String> {
    chain
        .iter()
        .rev()
        .find_map(|&i| doc.attr(i, "xml:lang"))
        .map(str::to_owned)
}

/// The witness panel of a layer.
pub(crate) fn witness(layer: &Layer) -> Witness {
    let mut w = Witness {
        lang_name: known_lang_name(&layer.lang)
            .map(str::to_owned)
            .unwrap_or_else(|| layer.lang.clone()),
        ..Witness::default()
    };
    let prose = |t: &str, explicit: Option<&str>| Prose {
        text: t.to_owned(),
        lang: prose_lang(t, explicit, &layer.lang),
    };
    if !layer.title.trim().is_empty() {
        w.title = Some(prose(layer.title.trim(), None));
    }
    for a in &layer.agents {
        w.resp.push((a.role.clone(), prose(&a.name, None)));
    }
    if let Some(h) = from_file(layer, &mut w) {
        return h;
    }
    if !layer.source_desc.trim().is_empty() {
        w.sources.push(prose(layer.source_desc.trim(), None));
    }
    w
}

/// Fill the panel from the layer's teiHeader; `None` when the file cannot be read.
fn from_file(layer: &Layer, base: &mut Witness) -> Option<Witness> {
    let src = crate::fsutil::read_text(&layer.path).ok()?;
    let doc = Doc::parse(&src, &layer.path.display().to_string()).ok()?;
    let header = doc.child_elems(doc.root, "teiHeader").next()?;
    let mut w = base.clone();
    let hl = doc.attr(header, "xml:lang");
    let prose = |i: usize, chain: &[usize]| {
        // Who made the text is listed by role above; run into the prose it would read
        // "translatorunknown".
        let text = doc.norm_text(i, &["listRelation", "note", "respStmt"]);
        let explicit = doc
            .attr(i, "xml:lang")
            .map(str::to_owned)
            .or_else(|| lang_at(&doc, chain))
            .or(hl.map(str::to_owned));
        Prose {
            lang: prose_lang(&text, explicit.as_deref(), &layer.lang),
            text,
        }
    };
    let file_desc = doc.child_elems(header, "fileDesc").next()?;
    if let Some(ts) = doc.child_elems(file_desc, "titleStmt").next() {
        // An empty `<title/>` (as pandoc writes one) is no title: the page then names the
        // layer by its id, never by an empty heading.
        if let Some(t) = doc.child_elems(ts, "title").next() {
            w.title =
                Some(prose(t, &[header, file_desc, ts])).filter(|p| !p.text.trim().is_empty());
        }
        let named: Vec<(String, Prose)> =
            doc.child_elems(ts, "respStmt")
                .filter_map(|r| {
                    let resp = doc.child_elems(r, "resp").next()?;
                    let name =
                        doc.children(r).iter().copied().find(|&c| {
                            matches!(doc.local(c), Some("name" | "persName" | "orgName"))
                        })?;
                    Some((
                        doc.norm_text(resp, &[]),
                        prose(name, &[header, file_desc, ts, r]),
                    ))
                })
                .collect();
        // The titleStmt's respStmts with the language their element gives; the makers and
        // publishers of the witness description stay (a translator is not left out because an
        // encoder is named).
        for (role, who) in named {
            match w
                .resp
                .iter_mut()
                .find(|(r, p)| *r == role && p.text == who.text)
            {
                Some(slot) => slot.1 = who,
                None => w.resp.push((role, who)),
            }
        }
    }
    if let Some(ps) = doc.child_elems(file_desc, "publicationStmt").next()
        && let Some(av) = doc.child_elems(ps, "availability").next()
    {
        w.licence = Some(prose(av, &[header, file_desc, ps])).filter(|p| !p.text.is_empty());
    }
    if let Some(sd) = doc.child_elems(file_desc, "sourceDesc").next() {
        source_desc(&doc, sd, &[header, file_desc, sd], &mut w, &prose);
        attributions(&doc, sd, &mut w);
        conflicts(&doc, sd, &mut w);
    }
    if let Some(pd) = doc.child_elems(header, "profileDesc").next() {
        if let Some(c) = doc.child_elems(pd, "creation").next() {
            w.creation = Some(prose(c, &[header, pd]));
        }
        if let Some(lu) = doc.child_elems(pd, "langUsage").next()
            && let Some(l) = doc
                .child_elems(lu, "language")
                .find(|&l| doc.attr(l, "ident") == Some(layer.lang.as_str()))
        {
            let name = doc.norm_text(l, &[]);
            if !name.is_empty() && name != layer.lang {
                w.lang_name = name;
            }
        }
    }
    Some(w)
}

fn source_desc(
    doc: &Doc,
    sd: usize,
    chain: &[usize],
    w: &mut Witness,
    prose: &dyn Fn(usize, &[usize]) -> Prose,
) {
    for &c in doc.children(sd) {
        let Some(local) = doc.local(c) else { continue };
        let mut ch = chain.to_vec();
        ch.push(c);
        match local {
            "bibl" if hedged_publisher(doc, c) => {
                // The publisher and date of an indirect attribution are shown with its hedge
                // beside the publisher ([`attributions`]), not restated here without it.
                let mut p = prose(c, &ch);
                p.text = doc.norm_text(
                    c,
                    &["listRelation", "note", "respStmt", "publisher", "date"],
                );
                w.sources.push(p);
            }
            "bibl" | "biblStruct" | "biblFull" | "p" | "ab" => w.sources.push(prose(c, &ch)),
            "listBibl" | "listWit" => {
                for b in
                    doc.children(c).iter().copied().filter(|&b| {
                        matches!(doc.local(b), Some("bibl" | "biblStruct" | "witness"))
                    })
                {
                    w.sources.push(prose(b, &ch));
                }
            }
            "msDesc" => ms_desc(doc, c, &ch, w, prose),
            _ => {}
        }
        collect_links(doc, c, &mut w.links);
    }
    w.sources.retain(|s| !s.text.is_empty());
}

/// A physical witness: its identifiers (the repository, and each other identifier apart), its
/// contents (the summary as a source, the authors as such), its custodial history.
fn ms_desc(
    doc: &Doc,
    md: usize,
    chain: &[usize],
    w: &mut Witness,
    prose: &dyn Fn(usize, &[usize]) -> Prose,
) {
    // Fields of one identifier, comma separated (`ÚSD, Sb. KV, Z/S 21`), its note after it.
    let fields = |id: usize| -> String {
        let mut parts = Vec::new();
        let mut note = None;
        for &p in doc.children(id) {
            match doc.local(p) {
                Some("altIdentifier") | None => {}
                Some("note") => note = Some(doc.norm_text(p, &[])),
                Some(_) => parts.push(doc.norm_text(p, &[])),
            }
        }
        parts.retain(|t| !t.is_empty());
        let mut text = parts.join(", ");
        if let Some(n) = note.filter(|n| !n.is_empty()) {
            text = format!("{text} — {n}");
        }
        text
    };
    let en_or = |text: String, ch: &[usize]| Prose {
        lang: prose_lang(&text, lang_at(doc, ch).as_deref(), "en"),
        text,
    };
    if let Some(id) = doc.child_elems(md, "msIdentifier").next() {
        let text = fields(id);
        if !text.is_empty() {
            w.repository = Some(en_or(text, chain));
        }
        for alt in doc.child_elems(id, "altIdentifier") {
            let text = fields(alt);
            if !text.is_empty() {
                w.alt_ids.push(en_or(text, chain));
            }
        }
    }
    let mut ch = chain.to_vec();
    ch.push(md);
    for &p in doc.children(md) {
        match doc.local(p) {
            Some("p" | "ab") => w.sources.push(prose(p, &ch)),
            Some("msContents") => {
                for &m in doc.children(p) {
                    match doc.local(m) {
                        Some("msItem") => {
                            let authors: Vec<String> = doc
                                .child_elems(m, "author")
                                .map(|a| doc.norm_text(a, &[]))
                                .filter(|a| !a.is_empty())
                                .collect();
                            if !authors.is_empty() {
                                let text = authors.join(", ");
                                // The language of names cannot be told: the page's, unless
                                // the header says.
                                w.resp.push(("author".into(), en_or(text, &ch)));
                            }
                        }
                        Some(_) => w.sources.push(prose(m, &ch)),
                        None => {}
                    }
                }
            }
            Some("history") => {
                for h in doc
                    .children(p)
                    .iter()
                    .copied()
                    .filter(|&h| doc.local(h).is_some())
                {
                    w.history.push(prose(h, &ch));
                }
            }
            _ => {}
        }
    }
}

/// The notes under `i` on where the sources disagree: prose leaves notes out, and these must
/// be read (the language of the letter: "Russian" in one place of a record, "Czech" in
/// another).
fn conflicts(doc: &Doc, i: usize, w: &mut Witness) {
    for &c in doc.children(i) {
        if doc.local(c) == Some("note") && doc.attr(c, "type") == Some("conflict") {
            let mut text = String::new();
            quoted(doc, c, &mut text);
            let text = crate::tei::dom::normalize_ws(&text);
            w.conflicts.push(Prose {
                lang: prose_lang(&text, doc.attr(c, "xml:lang"), "en"),
                text,
            });
        } else if doc.local(c).is_some() {
            conflicts(doc, c, w);
        }
    }
}

/// The text of a note with its quotations in quotation marks and the source of each in
/// brackets after it (`<cit><quote>…</quote> <bibl>…</bibl></cit>`).
fn quoted(doc: &Doc, i: usize, out: &mut String) {
    for &c in doc.children(i) {
        match doc.local(c) {
            Some("quote") => {
                out.push('“');
                quoted(doc, c, out);
                out.push('”');
            }
            Some("bibl") => {
                out.push_str(" (");
                quoted(doc, c, out);
                out.push(')');
            }
            Some(_) => quoted(doc, c, out),
            None => doc.text(c, &[], out),
        }
    }
}

/// Whether a bibl names its publisher with `@cert` or a note on the attribution.
fn hedged_publisher(doc: &Doc, b: usize) -> bool {
    doc.child_elems(b, "publisher")
        .any(|p| doc.attr(p, "cert").is_some())
        || doc
            .child_elems(b, "note")
            .any(|n| doc.attr(n, "type") == Some("attribution"))
}

/// A publisher's `@cert`, the date of publication and the note saying where the attribution
/// comes from.
fn attributions(doc: &Doc, sd: usize, w: &mut Witness) {
    for b in doc.child_elems(sd, "bibl") {
        if !hedged_publisher(doc, b) {
            continue;
        }
        let note = doc
            .child_elems(b, "note")
            .find(|&n| doc.attr(n, "type") == Some("attribution"))
            .map(|n| doc.norm_text(n, &[]));
        let date = doc
            .child_elems(b, "date")
            .next()
            .map(|d| doc.norm_text(d, &[]))
            .filter(|d| !d.is_empty());
        for p in doc.child_elems(b, "publisher") {
            let cert = doc.attr(p, "cert");
            let mut text = date.as_ref().map_or_else(String::new, |d| format!("{d}; "));
            text.push_str(&match cert {
                Some(c) => format!("attribution with {c} certainty"),
                None => "attribution".to_owned(),
            });
            if let Some(n) = &note {
                text = format!("{text}: {n}");
            }
            w.attributions.push((
                doc.norm_text(p, &[]),
                Prose {
                    text,
                    lang: "en".into(),
                },
            ));
        }
    }
}

fn collect_links(doc: &Doc, i: usize, out: &mut Vec<String>) {
    if doc.local(i) == Some("ref")
        && let Some(t) = doc.attr(i, "target")
        && (t.starts_with("http://") || t.starts_with("https://"))
        && !out.iter().any(|x| x == t)
    {
        out.push(t.to_owned());
    }
    for &c in doc.children(i) {
        collect_links(doc, c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_prose_is_english_when_it_reads_so() {
        assert_eq!(
            prose_lang("Letter to L. I. Brezhnev: the Russian original", None, "ru"),
            "en"
        );
        assert_eq!(prose_lang("Hospodářské noviny", None, "cs"), "cs");
        assert_eq!(
            prose_lang("Всеобщая декларация прав человека", None, "ru"),
            "ru"
        );
        assert_eq!(prose_lang("anything", Some("de"), "ru"), "de");
    }
}
