//! InterText's alignment XML: `<linkGrp toDoc fromDoc><link type xtargets status mark/>`.
//!
//! The rules are those of InterText's loader (`ItAlignment::loadFile`, `ItDocument`, czcorpus
//! InterText editor): `xtargets="toDoc ids;fromDoc ids"` (the `toDoc` ids FIRST) and `type`
//! counts them in the same order (`type="2-1"` is two `toDoc` ids, one `fromDoc` id; a side
//! whose count is 0 is not read); ids are the plain `id` attribute of any element of the
//! document, unique in it; `fromDoc`/`toDoc` are file names relative to the alignment file;
//! `status` is `man` (confirmed), `auto` (aligner) or `plain` (default pairing), and a missing or
//! unknown status reads as `man` (`DEFAULT_STATUS`); `mark` is a number, 0 or absent for none.
//! Here `fromDoc` is the source layer and `toDoc` the derived one.
//!
//! The export is a bundle named as InterText names its files (`text.version.xml` documents,
//! `text.version1.version2.xml` alignment): `<work>.<src>.<der>.xml`, `<work>.<src>.xml`,
//! `<work>.<der>.xml`; the documents are `<doc><p><s id>text</s></p></doc>`. Besides InterText's
//! attributes each link carries `id`, `cert` (none for a gap of a witness held as certain),
//! `subtype` (TEI's word: `partial`, `source-gap` …, so a gap is not read as an addition) and
//! `resp`/`when` when confirmed (InterText drops them when it saves; `keep_confirmers` then
//! keeps who confirmed an unchanged link; an import re-derives gaps and partial links from the
//! layers and the old alignment).
//! Automatic links with a confidence below 0.5 (`status --doubtful`) get `mark="1"`, so the
//! editor shows what to review first.

use super::{EdgeItem, ExportFile, FormatError, ImportedFile, cesalign::file_stem, xml};
use crate::model::{LinkStatus, Relation, Work, WorkAlignment};

/// Below this confidence an automatic link is doubtful and marked (the threshold of `coverage`
/// and `status`).
const DOUBTFUL: f64 = crate::coverage::DEFAULT_DOUBT_BELOW;

/// InterText's name of a layer's document: `letter-1968.cs.xml`.
fn doc_name(al: &WorkAlignment, layer: &str) -> String {
    format!("{}.{}.xml", file_stem(&al.work), file_stem(layer))
}

/// Write the beads of an edge as an InterText alignment whose documents are `from`/`to`.
pub fn alignment(from: &str, to: &str, items: &[EdgeItem]) -> String {
    let mut out = String::from("<?xml version='1.0' encoding='utf-8'?>\n");
    out.push_str(&format!(
        "<linkGrp toDoc=\"{}\" fromDoc=\"{}\">\n",
        xml::attr(to),
        xml::attr(from)
    ));
    for it in items {
        let doubtful = matches!(it.status, LinkStatus::Automatic) && it.cert < DOUBTFUL;
        out.push_str(&format!(
            "<link type=\"{}-{}\" xtargets=\"{};{}\"{}{} id=\"{}\"{}{}/>\n",
            it.derived.len(),
            it.source.len(),
            xml::attr(&it.derived.join(" ")),
            xml::attr(&it.source.join(" ")),
            super::status_attrs(&it.status),
            if doubtful { " mark=\"1\"" } else { "" },
            xml::attr(&it.id),
            super::cesalign::cert_attr("cert", it),
            super::subtype_attr(it),
        ));
    }
    out.push_str("</linkGrp>\n");
    out
}

/// A layer as an InterText document: one `<p>` per block, `<s id>` with the text.
pub(crate) fn sentence_document(work: &Work, layer: &str) -> String {
    let mut out = String::from("<?xml version='1.0' encoding='utf-8'?>\n");
    let Some(l) = work.layer(layer) else {
        out.push_str("<doc/>\n");
        return out;
    };
    out.push_str(&format!("<doc language=\"{}\">\n", xml::attr(&l.lang)));
    let mut block = None;
    for s in &l.sentences {
        if block != Some(s.block) {
            if block.is_some() {
                out.push_str("</p>\n");
            }
            out.push_str("<p>\n");
            block = Some(s.block);
        }
        out.push_str(&format!(
            "<s id=\"{}\">{}</s>\n",
            xml::attr(&s.id),
            xml::text(&s.text)
        ));
    }
    if block.is_some() {
        out.push_str("</p>\n");
    }
    out.push_str("</doc>\n");
    out
}

/// The InterText bundle of an edge: the alignment first, then the two documents.
pub fn export(
    work: &Work,
    al: &WorkAlignment,
    rel: &Relation,
    items: &[EdgeItem],
) -> Vec<ExportFile> {
    let from = doc_name(al, &rel.source);
    let to = doc_name(al, &rel.derived);
    vec![
        ExportFile {
            name: format!(
                "{}.{}.{}.xml",
                file_stem(&al.work),
                file_stem(&rel.source),
                file_stem(&rel.derived)
            ),
            text: alignment(&from, &to, items),
        },
        ExportFile {
            text: sentence_document(work, &rel.source),
            name: from,
        },
        ExportFile {
            text: sentence_document(work, &rel.derived),
            name: to,
        },
    ]
}

/// Read an InterText alignment into beads of edge `rel` (`toDoc` ids first in `xtargets`).
/// When `fromDoc` names the derived layer and `toDoc` the source, the sides are swapped. As in
/// InterText, a link without a status was confirmed by a person; marks are reported.
pub fn import(
    src: &str,
    path: &str,
    rel: &Relation,
    default_who: &str,
    now: &str,
) -> Result<ImportedFile, FormatError> {
    let file = xml::read_links(src, path)?;
    if file.root != "linkGrp" {
        return Err(FormatError::Parse {
            path: path.to_owned(),
            line: 1,
            message: format!(
                "not an InterText alignment (root element <{}>, expected <linkGrp>)",
                file.root
            ),
        });
    }
    let layout = xml::LinkLayout {
        to_doc_first: true,
        cert_attr: "cert",
        check_type: true,
        manual_by_default: true,
    };
    xml::import_beads(&file, &layout, path, rel, default_who, now)
}

/// One `<s id>` of an InterText document: its id, its text (inline markup left out, white
/// space normalised) and its line.
#[derive(Debug, Clone, PartialEq)]
struct DocSentence {
    id: String,
    text: String,
    line: usize,
}

/// The `<s id>` elements of an InterText document, in document order.
fn doc_sentences(src: &str, path: &str) -> Result<Vec<DocSentence>, FormatError> {
    use quick_xml::events::Event;
    let err = |line: usize, message: String| FormatError::Parse {
        path: path.to_owned(),
        line,
        message,
    };
    let mut reader = quick_xml::Reader::from_str(src);
    let mut lines = xml::LineCounter::default();
    let mut out = Vec::new();
    let mut open: Option<DocSentence> = None;
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            let at = xml::line_at(src, reader.error_position() as usize);
            err(at, format!("malformed XML: {e}"))
        })?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "s" => {
                let id = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == "id")
                    .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
                    .map(|v| v.into_owned())
                    .unwrap_or_default();
                let s = DocSentence {
                    id,
                    text: String::new(),
                    line: lines.line(src, pos),
                };
                if empty {
                    out.push(s);
                } else {
                    open = Some(s);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "s" => out.extend(open.take()),
            Event::Text(t) => {
                if let Some(s) = open.as_mut() {
                    s.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(s) = open.as_mut() {
                    let resolved = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten().map(String::from)
                    } else {
                        quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                            .map(str::to_owned)
                    };
                    s.text.push_str(&resolved.unwrap_or_default());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Check an InterText document saved beside an imported alignment (`path` names it) against
/// the layer it stands for. InterText lets its user edit, split, merge and remove sentences,
/// and then numbers the document's sentences anew (`ItAlignment::renumber`, on by default):
/// the ids of the alignment it saves may name other sentences than the layer's under the same
/// ids, and an import would put every link after the edit on the wrong sentences without a
/// word. So the document must hold the sentences of one layer of `rel`, id for id and text for
/// text (white space and inline markup aside); otherwise the import is refused, with the first
/// difference and what to do.
pub(crate) fn check_document(
    src: &str,
    path: &str,
    work: &Work,
    rel: &Relation,
) -> Result<(), FormatError> {
    let found = doc_sentences(src, path)?;
    let advice = "InterText numbers a document's sentences anew when one is split, merged or \
                  removed, and keeps text edits in its own documents: make the change in the \
                  layer (edit it, `tei-align import --in-place --resplit`), re-align, and export \
                  again";
    let err = |line: usize, message: String| FormatError::Parse {
        path: path.to_owned(),
        line,
        message: format!("{message}; {advice}"),
    };
    let layers: Vec<_> = [&rel.source, &rel.derived]
        .into_iter()
        .filter_map(|l| work.layer(l))
        .collect();
    let Some(layer) = found.iter().find_map(|s| {
        layers
            .iter()
            .find(|l| l.sentences.iter().any(|x| x.id == s.id))
    }) else {
        return match found.first() {
            Some(s) => Err(err(
                s.line,
                format!(
                    "sentence {} is in neither layer {} nor {}",
                    s.id, rel.source, rel.derived
                ),
            )),
            None => Ok(()),
        };
    };
    let mut want = layer.sentences.iter();
    for s in &found {
        let Some(w) = want.next() else {
            return Err(err(
                s.line,
                format!("sentence {} is one more than layer {} has", s.id, layer.id),
            ));
        };
        if w.id != s.id {
            return Err(err(
                s.line,
                format!(
                    "sentence {} stands where layer {} has {}",
                    s.id, layer.id, w.id
                ),
            ));
        }
        if words(&w.text) != words(&s.text) {
            return Err(err(
                s.line,
                format!(
                    "the text of {} is not the layer's (changed in InterText?)",
                    s.id
                ),
            ));
        }
    }
    match want.next() {
        Some(w) => Err(err(
            found.last().map_or(1, |s| s.line),
            format!(
                "sentence {} of layer {} is not in the document",
                w.id, layer.id
            ),
        )),
        None => Ok(()),
    }
}

/// The documents an InterText alignment names (`fromDoc`, `toDoc`), as written in the file.
pub(crate) fn document_names(src: &str, path: &str) -> Result<Vec<String>, FormatError> {
    let file = xml::read_links(src, path)?;
    Ok(["fromDoc", "toDoc"]
        .iter()
        .filter_map(|k| file.group.get(*k).filter(|v| !v.is_empty()).cloned())
        .collect())
}
