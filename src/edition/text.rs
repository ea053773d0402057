//! A layer's own text structure for the HTML view: the body of its TEI file cut into *leaves*
//! (paragraphs, headings, list items, salutations, signatures, verse lines … — the block
//! elements that hold text), each pre-rendered to HTML with the containers around it (divisions,
//! lists, opener, closer) so that the page can lay any run of leaves side by side with the
//! other layers. Notes, apparatus entries, choices and gaps are rendered in place as buttons
//! with a pop-up, and again as footnotes for print.
//!
//! When the file cannot be read as the model was (it is missing, or does not hold every
//! sentence of the layer) the leaves are made from the model instead: one paragraph per block.

use super::escape;
use super::witness::html_lang;
use crate::model::{GAP_MARK, Layer};
use crate::tei::dom::{Doc, Node};
use std::collections::HashMap;
use std::fmt::Write as _;

/// A container around leaves: its node (to tell the same container from another) and its
/// opening and closing HTML.
#[derive(Debug, Clone)]
pub(crate) struct Container {
    pub key: usize,
    pub open: String,
    pub close: String,
}

/// A heading of the text, for the table of contents.
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    /// 0 for a heading of the body, 1 for one of a top-level division …
    pub depth: usize,
    pub text: String,
    /// The anchor to jump to (the id of the heading element).
    pub anchor: String,
}

/// One block of text and the containers around it (outermost first).
#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    pub path: Vec<Container>,
    pub html: String,
    /// The sentence ids in it, in document order.
    pub sentences: Vec<String>,
    /// Its notes and apparatus as footnotes (HTML list items), for print.
    pub notes: Vec<String>,
    pub heading: Option<Heading>,
}

/// How a sentence is to be rendered: its classes, its tooltip, its segment, and whether the
/// segment's anchor (`id="seg.12"`) goes before it.
#[derive(Debug, Clone, Default)]
pub(crate) struct SentenceLook {
    pub class: String,
    pub title: String,
    pub seg: String,
    pub seg_anchor: Option<String>,
}

/// Elements that stand inside a line of text, never around blocks.
const INLINE: &[&str] = &[
    "s",
    "hi",
    "ref",
    "ptr",
    "name",
    "persName",
    "placeName",
    "orgName",
    "date",
    "foreign",
    "emph",
    "term",
    "title",
    "q",
    "quote",
    "said",
    "seg",
    "w",
    "pc",
    "c",
    "choice",
    "sic",
    "corr",
    "reg",
    "orig",
    "abbr",
    "expan",
    "app",
    "lem",
    "rdg",
    "rdgGrp",
    "add",
    "del",
    "unclear",
    "supplied",
    "surplus",
    "num",
    "measure",
    "rs",
    "lb",
    "pb",
    "cb",
    "gap",
    "note",
    "anchor",
    "mentioned",
    "soCalled",
    "gloss",
    "subst",
    "damage",
    "space",
    "milestone",
    "ex",
    "am",
    "time",
    "geogName",
    "roleName",
    "forename",
    "surname",
    "addName",
    "idno",
    "index",
    "figure",
];

/// Containers that the page leaves out (their content is shown, they add no box).
const TRANSPARENT: &[&str] = &["text", "body", "group"];

fn is_inline(local: &str) -> bool {
    INLINE.contains(&local)
}

/// The language of a header or text element: its own `xml:lang`.
fn lang_attr(doc: &Doc, i: usize) -> Option<String> {
    doc.attr(i, "xml:lang").map(str::to_owned)
}

/// Renders one layer: counters for note numbers and ids unique on the page.
pub(crate) struct Renderer<'a> {
    pub layer_id: &'a str,
    pub looks: &'a HashMap<String, SentenceLook>,
    note_no: usize,
    /// The sentence the last `<s part="I">` opened: its `M` and `F` parts are shown as it.
    open_sentence: String,
    /// What the leaf being rendered collects as it goes (its sentence ids, its footnotes),
    /// taken by `leaf` when the leaf is done: fields, not parameters, because every inline
    /// renderer passes them on unchanged.
    sentences: Vec<String>,
    notes: Vec<String>,
}

impl<'a> Renderer<'a> {
    pub fn new(layer_id: &'a str, looks: &'a HashMap<String, SentenceLook>) -> Self {
        Renderer {
            layer_id,
            looks,
            note_no: 0,
            open_sentence: String::new(),
            sentences: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The leaves of a layer from its TEI file, or `None` when the file cannot be used.
    pub(crate) fn leaves_from_file(&mut self, layer: &Layer) -> Option<Vec<Leaf>> {
        let src = crate::fsutil::read_text(&layer.path).ok()?;
        let doc = Doc::parse(&src, &layer.path.display().to_string()).ok()?;
        let text = doc.child_elems(doc.root, "text").next()?;
        let mut out = Vec::new();
        let mut path = Vec::new();
        self.walk(&doc, text, &mut path, 0, &mut out);
        let found: std::collections::HashSet<&str> = out
            .iter()
            .flat_map(|l| l.sentences.iter().map(String::as_str))
            .collect();
        let complete = layer
            .sentences
            .iter()
            .all(|s| found.contains(s.id.as_str()));
        complete.then_some(out)
    }

    /// Is this element a container of blocks (it has a child element that is not inline)?
    fn is_container(doc: &Doc, i: usize) -> bool {
        let local = doc.local(i).unwrap_or("");
        if matches!(local, "p" | "head" | "l" | "ab" | "item" | "label")
            && !doc.children(i).iter().any(|&c| {
                doc.local(c)
                    .is_some_and(|n| matches!(n, "p" | "list" | "lg"))
            })
        {
            return false;
        }
        doc.children(i)
            .iter()
            .any(|&c| doc.local(c).is_some_and(|n| !is_inline(n)))
    }

    fn walk(
        &mut self,
        doc: &Doc,
        i: usize,
        path: &mut Vec<Container>,
        depth: usize,
        out: &mut Vec<Leaf>,
    ) {
        for &c in doc.children(i) {
            let Some(local) = doc.local(c) else {
                continue;
            };
            if matches!(local, "pb" | "lb" | "cb" | "milestone" | "anchor") {
                continue;
            }
            if local == "s" || !Self::is_container(doc, c) {
                let leaf = self.leaf(doc, c, path, depth);
                out.push(leaf);
                continue;
            }
            if TRANSPARENT.contains(&local) {
                self.walk(doc, c, path, depth, out);
                continue;
            }
            let (open, close) = container_html(doc, c, local);
            path.push(Container {
                key: c,
                open,
                close,
            });
            let d = depth + usize::from(local.starts_with("div"));
            self.walk(doc, c, path, d, out);
            path.pop();
        }
    }

    fn leaf(&mut self, doc: &Doc, i: usize, path: &[Container], depth: usize) -> Leaf {
        let local = doc.local(i).unwrap_or("");
        let mut inner = String::new();
        if !matches!(local, "gap" | "note") {
            self.inline(doc, i, &mut inner, local == "s");
        }
        let lang = lang_attr(doc, i).map(|l| html_lang(&l)).unwrap_or_default();
        let mut heading = None;
        let html = match local {
            "head" => {
                let level = (3 + depth).min(6);
                let anchor = format!("h-{}-{i}", self.layer_id);
                heading = Some(Heading {
                    depth,
                    text: doc.norm_text(i, &["note"]),
                    anchor: anchor.clone(),
                });
                format!("<h{level} class=\"tei-head\" id=\"{anchor}\"{lang}>{inner}</h{level}>")
            }
            "p" | "ab" => format!("<p{lang}>{inner}</p>"),
            "item"
                if path
                    .last()
                    .is_some_and(|c| c.open.starts_with("<ul") || c.open.starts_with("<ol")) =>
            {
                format!("<li{lang}>{inner}</li>")
            }
            "gap" => format!(
                "<p class=\"gapnote\" lang=\"{}\">{}</p>",
                escape(&lang_attr(doc, i).unwrap_or_else(|| "en".into())),
                escape(&upper_first(&gap_words(doc, i)))
            ),
            "note" => {
                let mut inner = String::new();
                self.children(doc, i, &mut inner);
                format!("<aside class=\"tei-note\"{lang}>{inner}</aside>")
            }
            "s" => format!("<p class=\"tei-ab\">{inner}</p>"),
            other => format!("<p class=\"tei-{}\"{lang}>{inner}</p>", escape(other)),
        };
        Leaf {
            path: path.to_vec(),
            html,
            sentences: std::mem::take(&mut self.sentences),
            notes: std::mem::take(&mut self.notes),
            heading,
        }
    }

    fn children(&mut self, doc: &Doc, i: usize, o: &mut String) {
        for &c in doc.children(i) {
            self.inline(doc, c, o, true);
        }
    }

    /// Render node `i` as inline HTML; `this` false renders only its children (for the leaf
    /// element itself).
    fn inline(&mut self, doc: &Doc, i: usize, o: &mut String, this: bool) {
        match &doc.nodes[i] {
            Node::Text { raw } => {
                o.push_str(&escape(&ws(&doc.src[raw.clone()])));
                return;
            }
            Node::CData { content, .. } => {
                o.push_str(&escape(&ws(&doc.src[content.clone()])));
                return;
            }
            Node::Ref { text, .. } => {
                o.push_str(&escape(text));
                return;
            }
            Node::Other { .. } => return,
            Node::Element(_) => {}
        }
        if !this {
            self.children(doc, i, o);
            return;
        }
        let local = doc.local(i).unwrap_or("");
        let lang = lang_attr(doc, i);
        match local {
            "s" => self.sentence(doc, i, o, lang),
            "lb" | "pb" | "cb" => {
                if !matches!(doc.attr(i, "break"), Some("no" | "false")) {
                    o.push(' ');
                }
            }
            "note" => {
                let mut body = String::new();
                self.children(doc, i, &mut body);
                let label = match doc.attr(i, "type") {
                    Some(t) => format!("note ({t})"),
                    None => "note".to_owned(),
                };
                self.popup(o, &label, None, &body, lang.as_deref());
            }
            "gap" => {
                let desc = gap_words(doc, i);
                self.popup(o, "gap", Some(GAP_MARK), &escape(&desc), Some("en"));
            }
            "app" => self.app(doc, i, o),
            "choice" => self.choice(doc, i, o),
            "ref" => {
                let target = doc.attr(i, "target").unwrap_or("");
                if target.starts_with("http://") || target.starts_with("https://") {
                    let _ = write!(o, "<a href=\"{}\">", escape(target));
                    self.children(doc, i, o);
                    o.push_str("</a>");
                } else {
                    self.children(doc, i, o);
                }
            }
            "del" => self.wrap(doc, i, o, "del", lang),
            "add" => self.wrap(doc, i, o, "ins", lang),
            "hi" | "emph" | "foreign" | "term" | "title" | "mentioned" | "soCalled" => {
                self.wrap(doc, i, o, "i", lang)
            }
            "supplied" => {
                o.push('[');
                self.wrap(doc, i, o, "span", lang);
                o.push(']');
            }
            "unclear" => {
                let _ = write!(o, "<span class=\"unclear\" title=\"unclear\">");
                self.children(doc, i, o);
                o.push_str("</span>");
            }
            _ => match lang {
                Some(l) => {
                    let _ = write!(o, "<span{}>", html_lang(&l));
                    self.children(doc, i, o);
                    o.push_str("</span>");
                }
                None => self.children(doc, i, o),
            },
        }
    }

    /// An `<s>`: a span the page's script knows by its sentence id, with the look (class,
    /// title, segment) the alignment gives it.
    fn sentence(&mut self, doc: &Doc, i: usize, o: &mut String, lang: Option<String>) {
        let id = doc.attr(i, "xml:id").unwrap_or("").to_owned();
        // A later part (`M`, `F`: a sentence over verse lines or an element's edge) is
        // shown as the sentence its first part opened, which is what the reader, the
        // alignment and the page's data know; its own id stays the element's id.
        let later =
            matches!(doc.attr(i, "part"), Some("M" | "F")) && !self.open_sentence.is_empty();
        if !later {
            self.open_sentence.clone_from(&id);
        }
        let sentence = if later {
            self.open_sentence.clone()
        } else {
            id.clone()
        };
        let look = self.looks.get(&sentence).cloned().unwrap_or_default();
        if let Some(a) = look.seg_anchor.as_ref().filter(|_| !later) {
            let _ = write!(o, "<span class=\"anchor\" id=\"{}\"></span>", escape(a));
        }
        let data_s = if later {
            format!(" data-s=\"{}\"", escape(&sentence))
        } else {
            String::new()
        };
        let _ = write!(
            o,
            "<span class=\"s{}\" id=\"{}\"{data_s} data-seg=\"{}\" tabindex=\"0\" title=\"{}\"{}>",
            escape(&look.class),
            escape(&id),
            escape(&look.seg),
            escape(&look.title),
            lang.map(|l| html_lang(&l)).unwrap_or_default()
        );
        if !sentence.is_empty() {
            self.sentences.push(sentence);
        }
        self.children(doc, i, o);
        o.push_str("</span>");
    }

    fn wrap(&mut self, doc: &Doc, i: usize, o: &mut String, tag: &str, lang: Option<String>) {
        let _ = write!(
            o,
            "<{tag}{}>",
            lang.map(|l| html_lang(&l)).unwrap_or_default()
        );
        self.children(doc, i, o);
        let _ = write!(o, "</{tag}>");
    }

    /// An apparatus entry: the lemma (or the first reading) in the text, every reading with its
    /// witnesses in the pop-up.
    fn app(&mut self, doc: &Doc, i: usize, o: &mut String) {
        let kids: Vec<usize> = doc
            .children(i)
            .iter()
            .copied()
            .filter(|&c| matches!(doc.local(c), Some("lem" | "rdg")))
            .collect();
        let lem = kids
            .iter()
            .copied()
            .find(|&c| doc.local(c) == Some("lem"))
            .or_else(|| kids.first().copied());
        if let Some(l) = lem {
            let _ = write!(o, "<span class=\"lem\">");
            self.children(doc, l, o);
            o.push_str("</span>");
        }
        let mut body = String::new();
        for &k in &kids {
            let text = doc.norm_text(k, &["note"]);
            let wit = doc
                .attr(k, "wit")
                .map(|w| w.replace('#', ""))
                .unwrap_or_default();
            let src = doc
                .attr(k, "source")
                .map(|w| w.replace('#', ""))
                .unwrap_or_default();
            let who = [wit, src]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            let _ = write!(
                body,
                "<span class=\"rdg\"><b lang=\"en\">{}</b> {}{}</span> ",
                if doc.local(k) == Some("lem") {
                    "lemma:"
                } else {
                    "reading:"
                },
                if text.is_empty() {
                    "<i lang=\"en\">(omitted)</i>".to_owned()
                } else {
                    escape(&text)
                },
                if who.is_empty() {
                    String::new()
                } else {
                    format!(" <span lang=\"en\">({})</span>", escape(&who))
                }
            );
        }
        self.popup(o, "apparatus", None, body.trim_end(), None);
    }

    /// A choice: the corrected, regularised or expanded form in the text, the other in the pop-up.
    fn choice(&mut self, doc: &Doc, i: usize, o: &mut String) {
        let pick = |names: &[&str]| {
            doc.children(i)
                .iter()
                .copied()
                .find(|&c| doc.local(c).is_some_and(|n| names.contains(&n)))
        };
        let shown = pick(&["corr", "reg", "expan"]).or_else(|| pick(&["sic", "orig", "abbr"]));
        let mut body = String::new();
        for &c in doc.children(i) {
            let Some(n) = doc.local(c) else { continue };
            if Some(c) == shown {
                continue;
            }
            let what = match n {
                "sic" => "the source reads",
                "orig" => "original spelling",
                "abbr" => "abbreviated",
                "corr" => "corrected to",
                "reg" => "regularised to",
                "expan" => "expanded to",
                _ => continue,
            };
            let _ = write!(
                body,
                "<span lang=\"en\">{what}:</span> <q>{}</q> ",
                escape(&doc.norm_text(c, &["note"]))
            );
        }
        if let Some(s) = shown {
            let cls = doc.local(s).unwrap_or("");
            let _ = write!(o, "<span class=\"{cls}\">");
            self.children(doc, s, o);
            o.push_str("</span>");
        }
        if !body.is_empty() {
            self.popup(o, "editorial choice", None, body.trim_end(), None);
        }
    }

    /// A button that shows `body` in a pop-up next to it, and the same as a footnote in print.
    fn popup(
        &mut self,
        o: &mut String,
        label: &str,
        shown: Option<&str>,
        body: &str,
        lang: Option<&str>,
    ) {
        self.note_no += 1;
        let n = self.note_no;
        let id = format!("n-{}-{n}", self.layer_id);
        let marker = shown.map(str::to_owned).unwrap_or_else(|| n.to_string());
        let lang_attr = lang.map(html_lang).unwrap_or_default();
        let _ = write!(
            o,
            "<button type=\"button\" class=\"nref\" aria-expanded=\"false\" aria-controls=\"{id}\" aria-label=\"{} {n}\" lang=\"en\">{}</button>\
             <span class=\"npop\" id=\"{id}\" role=\"note\" hidden><b lang=\"en\">{}:</b> <span{lang_attr}>{body}</span></span>",
            escape(label),
            escape(&marker),
            escape(label)
        );
        self.notes.push(format!(
            "<li value=\"{n}\"><b lang=\"en\">{}:</b> <span{lang_attr}>{body}</span></li>",
            escape(label)
        ));
    }

    /// The leaves of a layer made from the model: a paragraph per block, gaps in place.
    pub(crate) fn leaves_from_model(&mut self, layer: &Layer) -> Vec<Leaf> {
        let mut leaves: Vec<Leaf> = Vec::new();
        let mut cur_block: Option<usize> = None;
        let mut gaps = layer.gaps.iter().peekable();
        let gap_leaf = |r: &mut Self, g: &crate::model::Gap| {
            let mut o = String::new();
            let desc = match &g.desc {
                Some(d) => format!("gap ({}): {d}", g.reason),
                None => format!("gap ({})", g.reason),
            };
            r.popup(&mut o, "gap", Some(GAP_MARK), &escape(&desc), Some("en"));
            Leaf {
                path: vec![],
                html: format!(
                    "<p class=\"gapnote\">{o} <span lang=\"en\">{}</span></p>",
                    escape(&desc)
                ),
                sentences: vec![],
                notes: std::mem::take(&mut r.notes),
                heading: None,
            }
        };
        for (i, s) in layer.sentences.iter().enumerate() {
            while let Some(g) = gaps.next_if(|g| g.after <= i) {
                leaves.push(gap_leaf(self, g));
                cur_block = None;
            }
            let look = self.looks.get(&s.id).cloned().unwrap_or_default();
            let mut span = String::new();
            if let Some(a) = &look.seg_anchor {
                let _ = write!(span, "<span class=\"anchor\" id=\"{}\"></span>", escape(a));
            }
            let _ = write!(
                span,
                "<span class=\"s{}\" id=\"{}\" data-seg=\"{}\" tabindex=\"0\" title=\"{}\">{}</span>",
                escape(&look.class),
                escape(&s.id),
                escape(&look.seg),
                escape(&look.title),
                escape(&s.text)
            );
            match leaves.last_mut() {
                Some(l) if cur_block == Some(s.block) => {
                    l.html.truncate(l.html.len() - "</p>".len());
                    l.html.push(' ');
                    l.html.push_str(&span);
                    l.html.push_str("</p>");
                    l.sentences.push(s.id.clone());
                }
                _ => leaves.push(Leaf {
                    path: vec![],
                    html: format!("<p>{span}</p>"),
                    sentences: vec![s.id.clone()],
                    notes: vec![],
                    heading: None,
                }),
            }
            cur_block = Some(s.block);
        }
        for g in gaps {
            leaves.push(gap_leaf(self, g));
        }
        leaves
    }
}

/// White space as HTML would collapse it anyway, but shorter.
fn ws(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['\n', '\t', '\r']) || s.contains("  ") {
        let mut out = String::with_capacity(s.len());
        let mut space = false;
        for c in s.chars() {
            if c.is_whitespace() {
                if !space {
                    out.push(' ');
                }
                space = true;
            } else {
                out.push(c);
                space = false;
            }
        }
        out.into()
    } else {
        s.into()
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A gap in words: its reason, extent and description.
fn gap_words(doc: &Doc, i: usize) -> String {
    let mut t = String::from("gap");
    if let Some(r) = doc.attr(i, "reason") {
        let _ = write!(t, ", reason: {}", r.replace(['-', '_'], " "));
    }
    let unit = doc.attr(i, "unit").unwrap_or("");
    match (doc.attr(i, "quantity"), doc.attr(i, "extent")) {
        (Some(q), _) => {
            let _ = write!(t, ", extent: {q} {unit}");
        }
        (None, Some(e)) => {
            let _ = write!(t, ", extent: {e}");
        }
        _ => {}
    }
    let desc = doc.find(i, "desc").map(|d| doc.norm_text(d, &[]));
    if let Some(d) = desc.filter(|d| !d.is_empty()) {
        let _ = write!(t, ". {d}");
    }
    t.trim_end().to_owned()
}

fn container_html(doc: &Doc, i: usize, local: &str) -> (String, String) {
    let lang = lang_attr(doc, i).map(|l| html_lang(&l)).unwrap_or_default();
    let ty = doc
        .attr(i, "type")
        .map(|t| format!(" data-type=\"{}\"", escape(t)))
        .unwrap_or_default();
    match local {
        "list" => {
            let ordered = doc
                .attr(i, "rend")
                .or(doc.attr(i, "type"))
                .is_some_and(|r| matches!(r, "numbered" | "ordered"));
            let tag = if ordered { "ol" } else { "ul" };
            (
                format!("<{tag} class=\"tei-list\"{lang}>"),
                format!("</{tag}>"),
            )
        }
        "item" => (format!("<li{lang}>"), "</li>".into()),
        _ => (
            format!("<div class=\"tei-{}\"{ty}{lang}>", escape(local)),
            "</div>".into(),
        ),
    }
}
