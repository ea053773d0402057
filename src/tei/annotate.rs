//! Marking where a layer's text came from and what an editor did to it, on a segmented layer:
//!
//! - `@source` on the `<s>` of a stretch taken from one copy (a `bibl` of the header):
//!   `<s xml:id="cs.s11" source="#cs.B">`;
//! - a variant between copies as an apparatus entry inside the sentence:
//!   `<app><lem wit="#cs.A">s vědomím</lem><rdg wit="#cs.B">S vědomím</rdg></app>`;
//! - a misprint kept as printed, with its correction:
//!   `<choice><sic>lending</sic><corr resp="#ed">leading</corr></choice>`.
//!
//! The reader takes a sentence's text from `lem` and `sic` (what the layer prints), never from
//! `rdg` or `corr`, so marking changes neither the sentence texts nor the alignment.

use super::TeiError;
use super::insert::xml_escape;

/// `@source` on a stretch of sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpan {
    /// The `xml:id` of the `bibl` the stretch was taken from.
    pub bibl: String,
    /// The first sentence id.
    pub first: String,
    /// The last sentence id.
    pub last: String,
}

/// A variant between copies, recorded in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The sentence id.
    pub sentence: String,
    /// The text as the layer prints it (must occur in the sentence).
    pub lemma: String,
    /// The copies that read the lemma (`xml:id`s of `bibl`s or `witness`es).
    pub lemma_wits: Vec<String>,
    /// The other reading.
    pub reading: String,
    /// The copies that read it.
    pub reading_wits: Vec<String>,
}

/// A misprint kept as printed, with its correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sic {
    /// The sentence id.
    pub sentence: String,
    /// The text as printed (must occur in the sentence, as a whole word).
    pub sic: String,
    /// The correction.
    pub corr: String,
    /// Who corrects (an agent id of the header, without `#`).
    pub resp: String,
}

/// Everything to mark.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Stretches and their copies.
    pub sources: Vec<SourceSpan>,
    /// Variants.
    pub variants: Vec<Variant>,
    /// Misprints.
    pub sics: Vec<Sic>,
}

impl Marks {
    /// True when there is nothing to mark.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty() && self.variants.is_empty() && self.sics.is_empty()
    }
}

fn invalid(path: &str, message: String) -> TeiError {
    TeiError::Invalid {
        path: path.to_owned(),
        line: 0,
        message,
    }
}

/// The byte range of the start tag of `<s xml:id="id">` and of its content.
fn find_s(xml: &str, id: &str) -> Option<(usize, usize, usize)> {
    let needle = format!("<s xml:id=\"{id}\"");
    let start = xml.find(&needle)?;
    let tag_end = start + xml[start..].find('>')?;
    let content_end = tag_end + xml[tag_end..].find("</s>")?;
    Some((start, tag_end, content_end))
}

fn pointers(ids: &[String]) -> String {
    ids.iter()
        .map(|i| format!("#{}", xml_escape(i)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replace the first whole-word occurrence of `text` in the content of sentence `id`.
fn replace_in_s(
    xml: &mut String,
    path: &str,
    id: &str,
    text: &str,
    with: &str,
) -> Result<(), TeiError> {
    let (_, tag_end, content_end) =
        find_s(xml, id).ok_or_else(|| invalid(path, format!("no sentence {id} to mark")))?;
    let escaped = xml_escape(text);
    let content = &xml[tag_end + 1..content_end];
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let at = content.match_indices(&escaped).map(|(i, _)| i).find(|&i| {
        !is_word(content[..i].chars().next_back())
            && !is_word(content[i + escaped.len()..].chars().next())
    });
    let Some(at) = at else {
        return Err(invalid(
            path,
            format!("sentence {id} has no \"{text}\" to mark (as a whole word, outside markup)"),
        ));
    };
    let from = tag_end + 1 + at;
    xml.replace_range(from..from + escaped.len(), with);
    Ok(())
}

/// Apply `marks` to a segmented layer's XML. An id or a text that is not there is an error
/// naming it (nothing is marked by guess).
pub fn apply(xml: &str, path: &str, marks: &Marks) -> Result<String, TeiError> {
    let mut out = xml.to_owned();
    for span in &marks.sources {
        mark_source(&mut out, path, span)?;
    }
    for v in &marks.variants {
        let with = format!(
            "<app><lem wit=\"{}\">{}</lem><rdg wit=\"{}\">{}</rdg></app>",
            pointers(&v.lemma_wits),
            xml_escape(&v.lemma),
            pointers(&v.reading_wits),
            xml_escape(&v.reading)
        );
        replace_in_s(&mut out, path, &v.sentence, &v.lemma, &with)?;
    }
    for s in &marks.sics {
        let with = format!(
            "<choice><sic>{}</sic><corr resp=\"#{}\">{}</corr></choice>",
            xml_escape(&s.sic),
            xml_escape(&s.resp),
            xml_escape(&s.corr)
        );
        replace_in_s(&mut out, path, &s.sentence, &s.sic, &with)?;
    }
    Ok(out)
}

/// Set `@source` on every `<s>` from `first` to `last` in document order.
fn mark_source(xml: &mut String, path: &str, span: &SourceSpan) -> Result<(), TeiError> {
    let (first, _, _) = find_s(xml, &span.first)
        .ok_or_else(|| invalid(path, format!("no sentence {} to mark", span.first)))?;
    let (last, _, _) = find_s(xml, &span.last)
        .ok_or_else(|| invalid(path, format!("no sentence {} to mark", span.last)))?;
    if last < first {
        return Err(invalid(
            path,
            format!("{} comes before {}", span.last, span.first),
        ));
    }
    let attr = format!(" source=\"#{}\"", xml_escape(&span.bibl));
    // Insert from the end so that earlier offsets stay valid.
    const OPEN: &str = "<s xml:id=\"";
    let mut at: Vec<usize> = xml[first..last + OPEN.len()]
        .match_indices(OPEN)
        .map(|(i, _)| first + i)
        .collect();
    at.reverse();
    for start in at {
        let Some(end) = xml[start..].find('>').map(|e| start + e) else {
            continue;
        };
        if xml[start..end].contains(" source=\"") {
            return Err(invalid(
                path,
                format!(
                    "a sentence in {}..{} already has @source",
                    span.first, span.last
                ),
            ));
        }
        let insert_at = if xml[..end].ends_with('/') {
            end - 1
        } else {
            end
        };
        xml.insert_str(insert_at, &attr);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = "<p><s xml:id=\"x.s1\">s vědomím plné</s> <s xml:id=\"x.s2\">the lending men, lending</s> <s xml:id=\"x.s3\">c</s></p>";

    #[test]
    fn sources_variants_and_sics_are_marked() {
        let marks = Marks {
            sources: vec![
                SourceSpan {
                    bibl: "x.A".into(),
                    first: "x.s1".into(),
                    last: "x.s2".into(),
                },
                SourceSpan {
                    bibl: "x.B".into(),
                    first: "x.s3".into(),
                    last: "x.s3".into(),
                },
            ],
            variants: vec![Variant {
                sentence: "x.s1".into(),
                lemma: "s vědomím".into(),
                lemma_wits: vec!["x.A".into()],
                reading: "S vědomím".into(),
                reading_wits: vec!["x.B".into()],
            }],
            sics: vec![Sic {
                sentence: "x.s2".into(),
                sic: "lending".into(),
                corr: "leading".into(),
                resp: "ed".into(),
            }],
        };
        let out = apply(XML, "t.xml", &marks).unwrap();
        assert!(out.contains("<s xml:id=\"x.s1\" source=\"#x.A\"><app><lem wit=\"#x.A\">s vědomím</lem><rdg wit=\"#x.B\">S vědomím</rdg></app> plné</s>"), "{out}");
        // Only the first occurrence is the misprint.
        assert!(out.contains("the <choice><sic>lending</sic><corr resp=\"#ed\">leading</corr></choice> men, lending</s>"), "{out}");
        assert!(
            out.contains("<s xml:id=\"x.s3\" source=\"#x.B\">c</s>"),
            "{out}"
        );
        assert!(out.contains("<s xml:id=\"x.s2\" source=\"#x.A\">"), "{out}");
    }

    #[test]
    fn a_missing_sentence_or_text_is_an_error() {
        let sic = |s: &str, t: &str| Marks {
            sics: vec![Sic {
                sentence: s.into(),
                sic: t.into(),
                corr: "y".into(),
                resp: "ed".into(),
            }],
            ..Marks::default()
        };
        assert!(apply(XML, "t.xml", &sic("x.s9", "c")).is_err());
        assert!(apply(XML, "t.xml", &sic("x.s3", "d")).is_err());
        // Part of a word is not a word.
        assert!(apply(XML, "t.xml", &sic("x.s2", "lend")).is_err());
    }
}
