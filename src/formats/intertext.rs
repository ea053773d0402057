//! InterText's alignment XML: `<linkGrp toDoc fromDoc><link type xtargets status/>`.
//!
//! InterText (Vondřička, Czech National Corpus) writes `xtargets` with the `toDoc` ids FIRST:
//! `xtargets="to ids;from ids"`, and `type` counts them in the same order. `status="man"` is a
//! link confirmed by a person, `auto` one made by an aligner (`plain` a default 1:1 pairing).
//! Here `fromDoc` is the source layer and `toDoc` the derived one.

use super::{EdgeItem, FormatError, ImportedBead, layer_doc, status_attrs, xml};
use crate::model::{Relation, WorkAlignment};

/// Write the beads of an edge in InterText's format.
pub fn export(al: &WorkAlignment, rel: &Relation, items: &[EdgeItem]) -> String {
    let mut out = String::from("<?xml version='1.0' encoding='utf-8'?>\n");
    out.push_str(&format!(
        "<linkGrp toDoc=\"{}\" fromDoc=\"{}\">\n",
        xml::attr(&layer_doc(al, &rel.derived)),
        xml::attr(&layer_doc(al, &rel.source))
    ));
    for it in items {
        out.push_str(&format!(
            "<link type=\"{}-{}\" xtargets=\"{};{}\"{} id=\"{}\" cert=\"{}\"/>\n",
            it.derived.len(),
            it.source.len(),
            xml::attr(&it.derived.join(" ")),
            xml::attr(&it.source.join(" ")),
            status_attrs(&it.status),
            xml::attr(&it.id),
            super::cesalign::fmt_cert(it.cert),
        ));
    }
    out.push_str("</linkGrp>\n");
    out
}

/// Read an InterText alignment into beads of edge `rel` (`toDoc` ids first in `xtargets`).
/// When `fromDoc` names the derived layer and `toDoc` the source, the sides are swapped.
pub fn import(
    src: &str,
    path: &str,
    rel: &Relation,
    default_who: &str,
    now: &str,
) -> Result<Vec<ImportedBead>, FormatError> {
    let file = xml::read_links(src, path)?;
    let perr = |line: usize, message: String| FormatError::Parse {
        path: path.to_owned(),
        line,
        message,
    };
    if file.root != "linkGrp" {
        return Err(perr(
            1,
            format!(
                "not an InterText alignment (root element <{}>, expected <linkGrp>)",
                file.root
            ),
        ));
    }
    let layout = xml::LinkLayout {
        to_doc_first: true,
        cert_attr: "cert",
        check_type: true,
    };
    xml::import_beads(&file, &layout, path, rel, default_who, now)
}
