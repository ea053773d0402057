//! OPUS cesAlign: `<cesAlign><linkGrp fromDoc toDoc><link xtargets="s1 s2;t1" certainty/>`.
//!
//! `fromDoc` is the source layer, `toDoc` the derived one, and `xtargets` lists the `fromDoc`
//! ids first. A 1-0 or 0-1 bead has an empty side. Besides `certainty` and `id` (which OPUS
//! uses), each link carries `status="man|auto"` and, when confirmed, `resp` and `when`, so a
//! round trip keeps the review state; tools that do not know them ignore them.

use super::{EdgeItem, FormatError, ImportedBead, layer_doc, status_attrs, xml};
use crate::model::{Relation, WorkAlignment};

/// Write the beads of an edge as cesAlign.
pub fn export(al: &WorkAlignment, rel: &Relation, items: &[EdgeItem]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<cesAlign version=\"1.0\">\n");
    out.push_str(&format!(
        "<linkGrp targType=\"s\" fromDoc=\"{}\" toDoc=\"{}\">\n",
        xml::attr(&layer_doc(al, &rel.source)),
        xml::attr(&layer_doc(al, &rel.derived))
    ));
    for it in items {
        out.push_str(&format!(
            "<link id=\"{}\" xtargets=\"{};{}\" certainty=\"{}\"{}/>\n",
            xml::attr(&it.id),
            xml::attr(&it.source.join(" ")),
            xml::attr(&it.derived.join(" ")),
            fmt_cert(it.cert),
            status_attrs(&it.status)
        ));
    }
    out.push_str("</linkGrp>\n</cesAlign>\n");
    out
}

/// A confidence with at most 4 decimals, trailing zeros trimmed.
pub fn fmt_cert(c: f64) -> String {
    let s = format!("{c:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() { "0".into() } else { s.into() }
}

/// Read a cesAlign file into beads of edge `rel`. When `fromDoc` names the derived layer and
/// `toDoc` the source (a file written the other way round), the sides are swapped.
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
    if file.root != "cesAlign" && file.root != "linkGrp" {
        return Err(perr(
            1,
            format!("not a cesAlign file (root element <{}>)", file.root),
        ));
    }
    if file.groups > 1 {
        return Err(perr(
            1,
            format!(
                "{} linkGrp elements: import one document pair at a time",
                file.groups
            ),
        ));
    }
    let layout = xml::LinkLayout {
        to_doc_first: false,
        cert_attr: "certainty",
        check_type: false,
    };
    xml::import_beads(&file, &layout, path, rel, default_who, now)
}
