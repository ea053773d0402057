//! Warnings about what a layer's encoding leaves unsaid: no `editorialDecl` (how its `<s>` were
//! made, how its text was normalized), a derivation that names no one responsible (not even
//! "translator unknown"), a `<gap reason>` the header's taxonomy does not declare. They are
//! warnings, not problems: the work is consistent, but its record claims less than it should.

use super::Problem;
use crate::model::Work;
use crate::tei::header::GAP_TAXONOMY;
use quick_xml::events::Event;
use std::collections::BTreeSet;

/// What the scan of one layer file finds.
#[derive(Default)]
struct Found {
    editorial_decl: bool,
    declared: BTreeSet<String>,
    gaps: Vec<(String, usize)>,
}

fn scan(src: &str) -> Found {
    let mut f = Found::default();
    let mut reader = quick_xml::Reader::from_str(src);
    let mut lines = crate::formats::xml::LineCounter::default();
    loop {
        let pos = reader.buffer_position() as usize;
        match reader.read_event() {
            Err(_) | Ok(Event::Eof) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let local = e.local_name();
                let name: &str = local.as_ref();
                let attr = |k: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| {
                            let key: &str = a.key.as_ref();
                            key == k
                        })
                        .map(|a| a.value.to_string())
                };
                match name {
                    "editorialDecl" => f.editorial_decl = true,
                    "category" => {
                        // `<category xml:id="gap-reasons.lost" n="lost">`: either names it.
                        let prefix = format!("{GAP_TAXONOMY}.");
                        if let Some(id) = attr("xml:id")
                            && let Some(r) = id.strip_prefix(&prefix)
                        {
                            f.declared.insert(r.to_owned());
                            f.declared.extend(attr("n"));
                        }
                    }
                    "gap" => {
                        if let Some(r) = attr("reason") {
                            for r in r.split_whitespace() {
                                f.gaps.push((r.to_owned(), lines.line(src, pos)));
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok(_) => {}
        }
    }
    f
}

/// The warnings for every layer of `work`.
pub fn warnings(work: &Work) -> Vec<Problem> {
    let mut out = Vec::new();
    for layer in &work.layers {
        let file = layer.path.display().to_string();
        let mut w = |line: usize, message: String| {
            out.push(Problem {
                file: file.clone(),
                line,
                message,
            })
        };
        for d in layer.derivations.iter().filter(|d| d.resp.is_empty()) {
            w(
                0,
                format!(
                    "layer {}: the {} from {} names no one responsible (give the translator in \
                     the witness description, or record them as unknown)",
                    layer.id,
                    d.kind.as_str(),
                    d.source
                ),
            );
        }
        // An unreadable file is a problem `check` reports already.
        let Ok(src) = crate::fsutil::read_text(&layer.path) else {
            continue;
        };
        let f = scan(&src);
        if !f.editorial_decl {
            w(
                0,
                format!(
                    "layer {}: no editorialDecl (how the sentences were segmented and the text \
                     normalized)",
                    layer.id
                ),
            );
        }
        let mut seen = BTreeSet::new();
        for (r, line) in f.gaps {
            if !f.declared.contains(&r) && seen.insert(r.clone()) {
                w(
                    line,
                    format!(
                        "gap reason \"{r}\" is not declared in the header (classDecl/taxonomy \
                         xml:id=\"{GAP_TAXONOMY}\")"
                    ),
                );
            }
        }
    }
    out
}
