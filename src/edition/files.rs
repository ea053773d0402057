//! The files written beside `index.html` for download (all in the one directory, which is
//! written as a whole): the TEI layers, the alignment (its
//! pointers rewritten to the copies of the layers), and the alignment as TMX and, per edge,
//! as OPUS cesAlign. The page links each one that could be made.

use crate::formats::{self, Format};
use crate::model::{Work, WorkAlignment};

/// One file of the edition directory besides `edition.xml` and `index.html`.
#[derive(Debug, Clone)]
pub(crate) struct Extra {
    /// Path relative to the edition directory, with `/`.
    pub path: String,
    /// What the page calls it.
    pub label: String,
    pub content: Vec<u8>,
}

/// The download files of a work. A layer whose file cannot be read, or an export the
/// alignment does not allow (an edge that does not cover its layers), is left out: the page
/// then does not offer it.
pub(crate) fn extras(work: &Work, alignment: &WorkAlignment) -> Vec<Extra> {
    let mut out = Vec::new();
    let mut al = alignment.clone();
    for l in &work.layers {
        let Ok(bytes) = std::fs::read(&l.path) else {
            continue;
        };
        // Beside the page, under the name the layers' own pointers use (`cs.xml#layer.cs`),
        // unless that is a name the edition itself takes.
        let mut path = format!("{}.xml", safe(&l.id));
        if [super::TEI_FILE, "alignment.xml"].contains(&path.as_str()) {
            path = format!("layer-{path}");
        }
        al.layer_files.insert(l.id.clone(), path.clone());
        out.push(Extra {
            path,
            label: format!("TEI layer {} ({})", l.id, l.lang),
            content: bytes,
        });
    }
    out.push(Extra {
        path: "alignment.xml".into(),
        label: "the alignment (TEI standOff, with provenance)".into(),
        content: crate::tei::standoff::to_tei(&al).into_bytes(),
    });
    if let Ok(tmx) = formats::export(Format::Tmx, work, &al, None) {
        out.push(Extra {
            path: format!("{}.tmx", safe(&work.id)),
            label: "TMX 1.4b (one translation unit per segment)".into(),
            content: tmx.into_bytes(),
        });
    }
    for e in &alignment.edges {
        let Some(rel) = alignment.relations.iter().find(|r| r.id == e.relation) else {
            continue;
        };
        if e.links
            .iter()
            .all(|l| l.source.is_empty() || l.derived.is_empty())
        {
            continue; // nothing aligned along this edge (a witness without text)
        }
        let name = format!("{}-{}", rel.source, rel.derived);
        if let Ok(x) = formats::export(Format::CesAlign, work, &al, Some(&name)) {
            out.push(Extra {
                path: format!("{}.cesalign.xml", safe(&name)),
                label: format!("OPUS cesAlign, {} → {}", rel.source, rel.derived),
                content: x.into_bytes(),
            });
        }
    }
    out
}

/// A file name part made of safe characters only.
fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}
