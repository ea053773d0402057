//! A new layer file from text, HTML or TEI input: the library half of `tei-align import`.
//!
//! Text and HTML become a TEI document with the header the options describe, then get their
//! `<s xml:id>`; a TEI input keeps its own header and only gets sentences (its ids stay). The
//! marks (copies, variants, misprints) are written last, once the sentence ids exist.

use super::{BodyOptions, body_from_html, body_from_text, body_without_text};
use crate::model::{Derivation, DerivationKind};
use crate::tei::annotate::{self, Marks};
use crate::tei::header::{HeaderSpec, document};
use crate::tei::{Resegmented, SegmentOptions, TeiError, is_ncname, resegment};

/// The text a layer is made from.
#[derive(Debug, Clone, Copy)]
pub enum LayerInput<'a> {
    /// A TEI document: sentences are inserted, existing ones and their ids kept, the header
    /// left as it is.
    Tei(&'a str),
    /// Simple well-formed HTML.
    Html(&'a str),
    /// Plain text (already made fit for XML by [`super::clean_text`]).
    Text(&'a str),
    /// No text: a witness whose text is not available, recorded by its gaps.
    Missing,
}

/// How a new layer derives from its sources (one `<relation>` per source).
#[derive(Debug, Clone, Default)]
pub struct DerivationOptions {
    /// The source layers' ids.
    pub sources: Vec<String>,
    /// One kind for all sources, or one per source (`translation`, `publication`, …).
    pub kinds: Vec<String>,
    /// Who made it (agent ids); `None`: the translators, else the people responsible.
    pub resp: Option<Vec<String>>,
    /// When it was made.
    pub when: Option<String>,
    /// What it is, in words.
    pub note: Option<String>,
}

/// Everything a new layer is made of.
#[derive(Debug, Clone)]
pub struct NewLayer<'a> {
    /// The text.
    pub input: LayerInput<'a>,
    /// The input as messages name it (the output's name when there is no input).
    pub input_name: &'a str,
    /// The output as messages name it.
    pub out_name: &'a str,
    /// The layer id as given; `None`: the one a TEI input declares, else `default_id`.
    pub id: Option<String>,
    /// The layer id when none is given or declared (the output file's stem).
    pub default_id: String,
    /// The language as given; `None`: the input's own (`html/@lang`, `TEI/@xml:lang`).
    pub lang: Option<String>,
    /// The title as given; `None`: the HTML's title, else one made from `source_title`, else
    /// `input_stem`, else the layer id.
    pub title: Option<String>,
    /// The title of the (first) layer this one derives from, if it could be read: a derived
    /// layer without a title of its own is named after it (`derived_title`).
    pub source_title: Option<String>,
    /// The input file's stem (no input, or standard input: `None`).
    pub input_stem: Option<String>,
    /// The header of a text or HTML input; its layer, language, title, derivations and gap
    /// reasons are filled in here.
    pub header: HeaderSpec,
    /// How the layer derives from its sources.
    pub derivation: DerivationOptions,
    /// How the body is built (letter parts, gaps).
    pub body: BodyOptions,
    /// Split existing `<s>` that hold a sentence boundary (TEI input).
    pub resplit: bool,
    /// The date recorded in the segmentation change.
    pub when: String,
    /// What to mark once the sentences have ids.
    pub marks: Marks,
}

/// Make the layer: the document with its sentences and marks, and what the segmentation did.
pub fn make_layer(req: NewLayer<'_>) -> Result<Resegmented, TeiError> {
    let mut result = match req.input {
        LayerInput::Tei(src) => {
            let layer = match &req.id {
                Some(id) => id.clone(),
                None => declared_layer(src).unwrap_or_else(|| req.default_id.clone()),
            };
            resegment(
                src,
                req.input_name,
                &SegmentOptions {
                    layer,
                    lang: req.lang.clone().unwrap_or_default(),
                    resplit: req.resplit,
                    record_when: Some(req.when.clone()),
                },
            )?
        }
        _ => from_text(&req)?,
    };
    if !req.marks.is_empty() {
        result.xml = annotate::apply(&result.xml, req.out_name, &req.marks)?;
    }
    Ok(result)
}

/// A text, HTML or missing input: the body, the header around it, then the sentences.
fn from_text(req: &NewLayer<'_>) -> Result<Resegmented, TeiError> {
    let (body, meta_title, meta_lang) = match req.input {
        LayerInput::Html(src) => {
            let (b, m) = body_from_html(src, req.input_name, &req.body)?;
            (b, m.title, m.lang)
        }
        LayerInput::Text(text) => (body_from_text(text, &req.body), None, None),
        _ => (body_without_text(&req.body), None, None),
    };
    let layer = req.id.clone().unwrap_or_else(|| req.default_id.clone());
    if !is_ncname(&layer) {
        return Err(invalid(
            req.out_name,
            format!(
                "the layer id {layer:?} taken from the file name cannot be an xml:id; give --id"
            ),
        ));
    }
    let lang = match (&req.lang, meta_lang) {
        (Some(l), _) => l.clone(),
        (None, Some(l)) => {
            crate::segment::check_lang(&l)
                .map_err(|e| invalid(req.input_name, format!("html/@lang {e}; or give --lang")))?;
            l
        }
        (None, None) => {
            return Err(invalid(
                req.input_name,
                "no language given: give --lang".to_owned(),
            ));
        }
    };
    let title = req
        .title
        .clone()
        .or(meta_title)
        .or_else(|| derived_title(req.source_title.as_deref(), &lang, &req.derivation));
    let spec = HeaderSpec {
        layer: layer.clone(),
        lang: lang.clone(),
        title: title
            .or_else(|| req.input_stem.clone())
            .unwrap_or(layer.clone()),
        derivations: derivations(&req.derivation, &req.header),
        gap_reasons: gap_reasons(&req.body),
        without_text: !matches!(req.input, LayerInput::Html(_) | LayerInput::Text(_)),
        ..req.header.clone()
    };
    let xml = document(&spec, &body);
    // The body is copied into the document: free it before the document is parsed, which on
    // a long book is the difference of one more copy of the text in memory.
    drop(body);
    resegment(
        &xml,
        req.out_name,
        &SegmentOptions {
            layer,
            lang,
            resplit: false,
            record_when: Some(req.when.clone()),
        },
    )
}

/// One `<relation>` per source, each with its kind (one for all, or one each) and the people
/// who made it: as given, else the translators, else everyone responsible for the file.
fn derivations(d: &DerivationOptions, header: &HeaderSpec) -> Vec<Derivation> {
    let resp: Vec<String> = match &d.resp {
        Some(ids) => ids.clone(),
        None if !header.source.translators.is_empty() => header
            .source
            .translators
            .iter()
            .map(|g| g.id.clone())
            .collect(),
        None => header.agents.iter().map(|g| g.id.clone()).collect(),
    };
    d.sources
        .iter()
        .enumerate()
        .map(|(i, src_layer)| Derivation {
            source: src_layer.clone(),
            kind: DerivationKind::parse(
                d.kinds
                    .get(i)
                    .or(d.kinds.first())
                    .map_or("translation", String::as_str),
            ),
            resp: resp.clone(),
            when: d.when.clone(),
            note: d.note.clone(),
        })
        .collect()
}

/// The title of a derived layer given none, from its source's: the work's name (the source's
/// title up to a colon, bracket or dash, as the edition reads a work's name from its layers'
/// titles), then the language and the derivation (`Letter to L. I. Brezhnev, August 1968:
/// English translation`). A file name says nothing of the text, and the edition shows the title
/// in every column head; the source's title is what a reader of the pair would call it.
pub(crate) fn derived_title(
    source_title: Option<&str>,
    lang: &str,
    derivation: &DerivationOptions,
) -> Option<String> {
    let t = source_title?.trim();
    if derivation.sources.is_empty() || t.is_empty() {
        return None;
    }
    let cut = t.find([':', '(', '—']).unwrap_or(t.len());
    let work = t[..cut].trim_end_matches([' ', ',', '-', '–']).trim();
    let work = if work.is_empty() { t } else { work };
    let kind = derivation
        .kinds
        .first()
        .map_or("translation", String::as_str);
    Some(format!(
        "{work}: {} {kind}",
        crate::tei::header::language_name(lang)
    ))
}

/// The reasons of the gaps at the start and the end, each once, with their descriptions.
fn gap_reasons(body: &BodyOptions) -> Vec<(String, Option<String>)> {
    let mut v: Vec<(String, Option<String>)> = Vec::new();
    for g in [&body.gap_start, &body.gap_end].into_iter().flatten() {
        if !v.iter().any(|(r, _)| *r == g.reason) {
            v.push((g.reason.clone(), g.desc.clone()));
        }
    }
    v
}

fn invalid(path: &str, message: String) -> TeiError {
    TeiError::Invalid {
        path: path.to_owned(),
        line: 0,
        message,
    }
}

/// The layer a TEI file declares with its root `xml:id="layer.<id>"` (a cheap look at the
/// root's start tag; the full parse comes later).
fn declared_layer(src: &str) -> Option<String> {
    let root_start = src.find("<TEI")?;
    let root_end = root_start + src[root_start..].find('>')?;
    let tag = &src[root_start..root_end];
    let i = tag.find("xml:id=\"layer.")? + "xml:id=\"layer.".len();
    let end = tag[i..].find('"')?;
    Some(tag[i..i + end].to_owned())
}
