//! OPUS cesAlign: `<cesAlign><linkGrp fromDoc toDoc><link xtargets="s1 s2;t1" certainty/>`.
//!
//! `fromDoc` is the source layer, `toDoc` the derived one, and `xtargets` lists the `fromDoc`
//! ids first. A 1-0 or 0-1 bead has an empty side. Besides `certainty` and `id` (which OPUS
//! uses), each link carries `status="man|auto"` and, when confirmed, `resp` and `when`, so a
//! round trip keeps the review state; tools that do not know them ignore them.

use super::{
    EdgeItem, FormatError, ImportedBead, doc_layer, layer_doc, status_attrs, status_from_attrs, xml,
};
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
    let from = file.group.get("fromDoc").map(|d| doc_layer(d).to_owned());
    let to = file.group.get("toDoc").map(|d| doc_layer(d).to_owned());
    let swapped =
        from.as_deref() == Some(rel.derived.as_str()) && to.as_deref() == Some(rel.source.as_str());
    file.links
        .iter()
        .map(|l| {
            let xt = l
                .attrs
                .get("xtargets")
                .ok_or_else(|| perr(l.line, "link without xtargets".into()))?;
            let (a, b) = xml::split_xtargets(xt)
                .ok_or_else(|| perr(l.line, format!("xtargets '{xt}' is not 'ids;ids'")))?;
            let (source, derived) = if swapped { (b, a) } else { (a, b) };
            let cert = match l.attrs.get("certainty") {
                Some(c) => Some(
                    c.trim()
                        .parse::<f64>()
                        .map_err(|_| perr(l.line, format!("certainty '{c}' is not a number")))?,
                ),
                None => None,
            };
            Ok(ImportedBead {
                id: l.attrs.get("id").cloned(),
                source,
                derived,
                cert,
                status: status_from_attrs(&l.attrs, default_who, now)
                    .map_err(|m| perr(l.line, m))?,
                line: l.line,
            })
        })
        .collect()
}
