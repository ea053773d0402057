//! Tab-separated export of an edge: one bead per line with its ids, confidence, review status
//! and the texts of both sides, for a spreadsheet or a script.

use super::{EdgeItem, status_word};
use crate::model::SentenceIndex;
use crate::model::{LinkStatus, Work};

/// The header line.
pub const HEADER: &str =
    "id\tsource_ids\tderived_ids\tcertainty\tstatus\tsource_text\tderived_text";

/// Write the beads of an edge as TSV (with a header line). Tabs and line breaks inside texts
/// become spaces so that every bead stays on one line.
pub fn export(work: &Work, items: &[EdgeItem]) -> String {
    let idx = SentenceIndex::new(work);
    let text = |ids: &[String]| {
        ids.iter()
            .filter_map(|id| idx.text(id))
            .collect::<Vec<_>>()
            .join(" ")
            .replace(['\t', '\n', '\r'], " ")
    };
    let mut out = String::from(HEADER);
    out.push('\n');
    for it in items {
        let status = match &it.status {
            LinkStatus::Automatic => status_word(&it.status).to_owned(),
            LinkStatus::Verified { who, when } => format!("man:{who}:{when}"),
        };
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            it.id,
            it.source.join(" "),
            it.derived.join(" "),
            super::cesalign::fmt_cert(it.cert),
            status,
            text(&it.source),
            text(&it.derived)
        ));
    }
    out
}
