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
//! attributes each link carries `id`, `cert`, and `resp`/`when` when confirmed (InterText drops
//! them when it saves; `keep_confirmers` then keeps who confirmed an unchanged link).
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
            "<link type=\"{}-{}\" xtargets=\"{};{}\"{}{} id=\"{}\" cert=\"{}\"/>\n",
            it.derived.len(),
            it.source.len(),
            xml::attr(&it.derived.join(" ")),
            xml::attr(&it.source.join(" ")),
            super::status_attrs(&it.status),
            if doubtful { " mark=\"1\"" } else { "" },
            xml::attr(&it.id),
            super::cesalign::fmt_cert(it.cert),
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
