//! OPUS cesAlign: `<cesAlign><linkGrp fromDoc toDoc><link xtargets="s1 s2;t1" certainty/>`.
//!
//! `fromDoc` is the source layer, `toDoc` the derived one, and `xtargets` lists the `fromDoc`
//! ids first. A 1-0 or 0-1 bead has an empty side. Besides `certainty` and `id` (which OPUS
//! uses), each link carries `status="man|auto"` and, when confirmed, `resp` and `when`, so a
//! round trip keeps the review state, and `subtype` (TEI's word) when it is a partial link or a
//! sentence without counterpart, so that a gap of a witness (`source-gap`) is not read as an
//! addition (`derived-only`); tools that do not know them ignore them. A gap held as certain
//! has no `certainty` (a fact of the witness, not a score).
//!
//! The export is a bundle laid out as an OPUS corpus release is: `<src>-<der>.xml` (the
//! alignment) beside `<src>/<work>.xml` and `<der>/<work>.xml`, the sentence documents in OPUS's
//! XML layout (`<s id>` holding one `<w>` per white-space token, which is what `opus_read`'s
//! default `xml` preprocessing reads). `fromDoc`/`toDoc` are relative to the bundle, which is
//! where `opus_read -dl <bundle>` looks for them.

use super::{EdgeItem, ExportFile, FormatError, ImportedFile, xml};
use crate::model::{Relation, Work, WorkAlignment};

/// A work name as a file name: characters other than letters, digits, `-` and `_` become `_`
/// (InterText also splits names at dots).
pub fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "work".into() } else { s }
}

/// The bundle's name of a layer's sentence document: `cs/letter-1968.xml`.
fn doc_name(al: &WorkAlignment, layer: &str) -> String {
    format!("{}/{}.xml", file_stem(layer), file_stem(&al.work))
}

/// Write the beads of an edge as a cesAlign file whose documents are `from`/`to`.
pub fn alignment(from: &str, to: &str, items: &[EdgeItem]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<cesAlign version=\"1.0\">\n");
    out.push_str(&format!(
        "<linkGrp targType=\"s\" fromDoc=\"{}\" toDoc=\"{}\">\n",
        xml::attr(from),
        xml::attr(to)
    ));
    for it in items {
        out.push_str(&format!(
            "<link id=\"{}\" xtargets=\"{};{}\"{}{}{}/>\n",
            xml::attr(&it.id),
            xml::attr(&it.source.join(" ")),
            xml::attr(&it.derived.join(" ")),
            cert_attr("certainty", it),
            super::status_attrs(&it.status),
            super::subtype_attr(it),
        ));
    }
    out.push_str("</linkGrp>\n</cesAlign>\n");
    out
}

/// A layer as an OPUS sentence document: `<text><p><s id="cs.s1"><w>Vážený</w>…</s></p></text>`,
/// one `<p>` per block of the layer, one `<w>` per white-space separated token, so that
/// `opus_read` (which joins the tokens of a sentence with one space) prints the sentence's text.
pub(crate) fn sentence_document(work: &Work, layer: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<text>\n");
    let Some(l) = work.layer(layer) else {
        out.push_str("</text>\n");
        return out;
    };
    let mut block = None;
    for s in &l.sentences {
        if block != Some(s.block) {
            if block.is_some() {
                out.push_str("</p>\n");
            }
            out.push_str("<p>\n");
            block = Some(s.block);
        }
        out.push_str(&format!("<s id=\"{}\">", xml::attr(&s.id)));
        for w in s.text.split_whitespace() {
            out.push_str(&format!("<w>{}</w>", xml::text(w)));
        }
        out.push_str("</s>\n");
    }
    if block.is_some() {
        out.push_str("</p>\n");
    }
    out.push_str("</text>\n");
    out
}

/// The OPUS bundle of an edge: the alignment first, then the two sentence documents.
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
            name: format!("{}-{}.xml", file_stem(&rel.source), file_stem(&rel.derived)),
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

/// ` name="0.93"`, or nothing for a gap of a witness held as certain.
pub(crate) fn cert_attr(name: &str, it: &EdgeItem) -> String {
    it.shown_cert()
        .map_or_else(String::new, |c| format!(" {name}=\"{}\"", fmt_cert(c)))
}

/// A confidence with at most 4 decimals, trailing zeros trimmed.
pub(crate) fn fmt_cert(c: f64) -> String {
    let s = format!("{c:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() { "0".into() } else { s.into() }
}

/// Read a cesAlign file into beads of edge `rel`. Of a file with several `<linkGrp>`s (as OPUS
/// writes them, one per document pair) the groups naming the edge's documents are read; a group
/// whose `fromDoc` names the derived layer and `toDoc` the source is read the other way round.
pub fn import(
    src: &str,
    path: &str,
    rel: &Relation,
    default_who: &str,
    now: &str,
) -> Result<ImportedFile, FormatError> {
    let file = xml::read_links(src, path)?;
    if file.root != "cesAlign" && file.root != "linkGrp" {
        return Err(FormatError::Parse {
            path: path.to_owned(),
            line: 1,
            message: format!("not a cesAlign file (root element <{}>)", file.root),
        });
    }
    let layout = xml::LinkLayout {
        to_doc_first: false,
        cert_attr: "certainty",
        check_type: false,
        manual_by_default: false,
    };
    xml::import_beads(&file, &layout, path, rel, default_who, now)
}
