//! Writing the `teiHeader` of a new layer.
//!
//! The header records the layer's provenance in valid TEI P5 (checked with `jing` against
//! `tei_all.rng`):
//!
//! ```xml
//! <TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en" xml:id="layer.en">
//!   <teiHeader>
//!     <fileDesc>
//!       <titleStmt>
//!         <title>…</title>
//!         <respStmt xml:id="kramer"><resp>translator</resp><persName>Mark Kramer</persName></respStmt>
//!       </titleStmt>
//!       <publicationStmt>…</publicationStmt>
//!       <sourceDesc>
//!         <bibl>where the text was taken from <date when="1992-07-17">…</date> <ref target="URL">URL</ref></bibl>
//!         <msDesc>…</msDesc>                       <!-- a physical witness: repository, note -->
//!         <listBibl><bibl>…</bibl></listBibl>     <!-- publications of the witness -->
//!         <listRelation type="derivation">
//!           <relation name="translation" active="#layer.en" passive="cs.xml#layer.cs"
//!                     resp="#kramer" when="1992"/>
//!         </listRelation>
//!       </sourceDesc>
//!     </fileDesc>
//!     <encodingDesc><appInfo><application ident="tei-align" version="…"/></appInfo></encodingDesc>
//!     <profileDesc><creation>…</creation><langUsage><language ident="en">English</language></langUsage></profileDesc>
//!     <revisionDesc><change type="segmentation" n="42" when="…">…</change></revisionDesc>
//!   </teiHeader>
//! ```
//!
//! The derivation is one `<relation>`: `@name` is the kind (translation, publication,
//! transcription), `@passive` the source layer, `@active` this layer (the root's `xml:id`),
//! `@resp` who made this step, `@when` when. The same relation is what the alignment file's
//! derivation graph holds. The `revisionDesc` is written by [`super::resegment`], which keeps the
//! high-water mark of sentence ids there.

use super::insert::xml_escape;
use crate::model::{Agent, Derivation};

/// The name written for a translator or author the sources do not name
/// (`<persName type="unknown">unknown</persName>`).
pub const UNKNOWN: &str = crate::model::UNKNOWN_AGENT;

/// A publisher of the text this layer was taken from (`bibl/publisher`).
#[derive(Debug, Clone, Default)]
pub struct PublisherSpec {
    /// The name.
    pub name: String,
    /// `@cert` of the attribution (`high`, `medium`, `low`, `unknown`) when a source attributes
    /// the publication only indirectly.
    pub cert: Option<String>,
    /// Where the attribution comes from (a `<note>` in the same `bibl`).
    pub note: Option<String>,
}

/// A second identifier of a physical witness (`msIdentifier/altIdentifier`): a copy held
/// elsewhere, or an older shelfmark.
#[derive(Debug, Clone, Default)]
pub struct AltIdentifier {
    /// The repository (as the source names it).
    pub repository: Option<String>,
    /// The collection.
    pub collection: Option<String>,
    /// The shelfmark.
    pub idno: String,
    /// Where the identifier comes from.
    pub note: Option<String>,
}

/// Where the text of a layer came from.
#[derive(Debug, Clone, Default)]
pub struct SourceSpec {
    /// A description of the source (publication, archive record).
    pub desc: Option<String>,
    /// Its URL (where the text was taken from).
    pub url: Option<String>,
    /// The publisher's canonical address of the same document, beside the URL used.
    pub canonical_url: Option<String>,
    /// Its date of publication (ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD` is also written as `@when`).
    pub date: Option<String>,
    /// How sure that date is (`@cert`: high, medium, low, unknown), when it comes from the same
    /// indirect attribution as the publisher.
    pub date_cert: Option<String>,
    /// Who made the text as the source gives it (translators: `respStmt` in the witness
    /// description; a name of [`UNKNOWN`] records that the sources do not name them).
    pub translators: Vec<Agent>,
    /// The publisher of the source.
    pub publisher: Option<PublisherSpec>,
    /// For a physical witness: the settlement of its repository.
    pub settlement: Option<String>,
    /// For a physical witness: the repository that holds it (`msDesc/msIdentifier/repository`).
    pub repository: Option<String>,
    /// For a physical witness: its shelfmark.
    pub idno: Option<String>,
    /// For a physical witness: other identifiers (copies held elsewhere).
    pub alt_identifiers: Vec<AltIdentifier>,
    /// For a physical witness: a note on it (`msDesc/msContents/summary`).
    pub witness: Option<String>,
    /// For a physical witness: its authors (`msContents/msItem/author`), spelt as the sources do.
    pub authors: Vec<String>,
    /// For a physical witness: its custodial history (`msDesc/history/provenance`, one each).
    pub provenance: Vec<String>,
    /// Publications of the witness or of the text (`listBibl/bibl`), each with the `xml:id`
    /// text may point at (`@source`, `@wit`).
    pub bibls: Vec<(String, String)>,
    /// Notes on the witness (`<note type>` in its description: the source `bibl`, or the
    /// `msItem` of a physical witness), e.g. where the sources disagree.
    pub notes: Vec<SourceNote>,
}

/// A note on a witness, with the quotations it rests on and their sources: `TYPE[/SUBTYPE]
/// [@RESP]|TEXT`, where `{{QUOTE|SOURCE}}` in TEXT is a quotation with its source
/// (`<cit><quote>…</quote> <bibl>…</bibl></cit>`) and `{{QUOTE}}` one without (`<quote>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceNote {
    /// `@type` (`conflict`, `attribution`).
    pub kind: String,
    /// `@subtype` (`original-language`).
    pub subtype: Option<String>,
    /// Who wrote the note: the id of a `respStmt` of the layer (`@resp="#id"`).
    pub resp: Option<String>,
    /// The text, with its quotations marked as above.
    pub text: String,
}

impl SourceNote {
    /// Parse `TYPE[/SUBTYPE][@RESP]|TEXT`; the error says what is wrong.
    pub fn parse(s: &str) -> Result<SourceNote, String> {
        let (head, text) = s
            .split_once('|')
            .ok_or("expected TYPE[/SUBTYPE][@RESP]|TEXT")?;
        let (head, resp) = match head.split_once('@') {
            Some((h, r)) => (h, Some(r.trim().to_owned())),
            None => (head, None),
        };
        let (kind, subtype) = match head.split_once('/') {
            Some((k, s)) => (k.trim(), Some(s.trim().to_owned())),
            None => (head.trim(), None),
        };
        let word = |w: &str| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        if !word(kind) || !subtype.as_deref().is_none_or(word) || !resp.as_deref().is_none_or(word)
        {
            return Err("TYPE, SUBTYPE and RESP are single words (an id for RESP)".into());
        }
        let note = SourceNote {
            kind: kind.to_owned(),
            subtype,
            resp,
            text: text.trim().to_owned(),
        };
        note.body()?;
        Ok(note)
    }

    /// The text as TEI: `{{QUOTE|SOURCE}}` as `<cit>`, `{{QUOTE}}` as `<quote>`, the rest
    /// escaped; an unclosed or empty `{{` is an error.
    fn body(&self) -> Result<String, String> {
        let e = xml_escape;
        let mut o = String::new();
        let mut rest = self.text.as_str();
        while let Some(at) = rest.find("{{") {
            o.push_str(&e(&rest[..at]));
            let after = &rest[at + 2..];
            let end = after.find("}}").ok_or("a {{ is not closed by }}")?;
            let (quote, source) = match after[..end].split_once('|') {
                Some((q, s)) => (q.trim(), Some(s.trim())),
                None => (after[..end].trim(), None),
            };
            if quote.is_empty() || source == Some("") {
                return Err("an empty quotation or source in {{…}}".into());
            }
            match source {
                Some(src) => o.push_str(&format!(
                    "<cit><quote>{}</quote> <bibl>{}</bibl></cit>",
                    e(quote),
                    e(src)
                )),
                None => o.push_str(&format!("<quote>{}</quote>", e(quote))),
            }
            rest = &after[end + 2..];
        }
        if rest.contains("}}") {
            return Err("a }} without its {{".into());
        }
        o.push_str(&e(rest));
        Ok(o)
    }

    /// The `<note>` element.
    fn element(&self) -> String {
        let e = xml_escape;
        let mut attrs = format!(" type=\"{}\"", e(&self.kind));
        if let Some(s) = &self.subtype {
            attrs.push_str(&format!(" subtype=\"{}\"", e(s)));
        }
        if let Some(r) = &self.resp {
            attrs.push_str(&format!(" resp=\"#{}\"", e(r)));
        }
        // Checked when parsed; a note made in code with a stray brace is written as text.
        let body = self.body().unwrap_or_else(|_| e(&self.text));
        format!("<note{attrs}>{body}</note>")
    }
}

/// Everything the header of a new layer says.
#[derive(Debug, Clone, Default)]
pub struct HeaderSpec {
    /// The layer id (`cs`); the root gets `xml:id="layer.<id>"`.
    pub layer: String,
    /// The language code (`xml:lang`).
    pub lang: String,
    /// The title.
    pub title: String,
    /// The people responsible for the encoded file (`titleStmt/respStmt`; their ids must be
    /// unique across the work).
    pub agents: Vec<Agent>,
    /// The layers it derives from (empty for an original), one `<relation>` each.
    pub derivations: Vec<Derivation>,
    /// Where the text was taken from.
    pub source: SourceSpec,
    /// How and when the text was made (`profileDesc/creation`).
    pub creation: Option<String>,
    /// The date of creation (ISO).
    pub creation_date: Option<String>,
    /// The licence of the text, if known.
    pub licence: Option<String>,
    /// How the text was normalized (`editorialDecl/normalization`) [default: what the importer
    /// does].
    pub normalization: Option<String>,
    /// The `<gap>` reasons the text uses, with what they mean (`classDecl/taxonomy`).
    pub gap_reasons: Vec<(String, Option<String>)>,
    /// A witness whose text is not available (imported without a file): the editorial
    /// declarations then say that nothing was segmented or normalized, not how a text was.
    pub without_text: bool,
    /// What is known of the text's availability when no licence is (`availability
    /// status="unknown"`), e.g. that the sources state none.
    pub availability: Option<String>,
}

/// The `xml:id` of the description of the source a layer's text was taken from.
pub(crate) fn source_bibl_id(layer: &str) -> String {
    format!("{layer}.source")
}

/// The `xml:id` of the taxonomy of gap reasons, and the prefix of its categories.
pub(crate) const GAP_TAXONOMY: &str = "gap-reasons";

/// True for the ISO dates TEI's `@when` accepts that we write: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse().unwrap_or(0)),
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && (1..=12).contains(&m.parse().unwrap_or(0))
                && (1..=31).contains(&d.parse().unwrap_or(0))
        }
        _ => false,
    }
}

/// The English name of a language code, for `langUsage` (the code itself when it is not
/// registered): one registry (ISO 639 through `isolang`) for the headers and the segmenter.
pub(crate) fn language_name(code: &str) -> &str {
    let base = code.split('-').next().unwrap_or(code);
    crate::segment::lang::language_name(base).unwrap_or(code)
}

fn date_el(date: &str) -> String {
    if is_iso_date(date) {
        format!("<date when=\"{date}\">{date}</date>")
    } else {
        format!("<date>{}</date>", xml_escape(date))
    }
}

/// The start of a TEI document: the XML declaration, `<TEI>`, the whole `teiHeader` (without
/// `revisionDesc`, which segmentation adds) and `<text>`; `body` is the content of `<text>`.
pub fn document(spec: &HeaderSpec, body: &str) -> String {
    let e = xml_escape;
    let mut h = String::new();
    h.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    h.push_str(&format!(
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"{}\" xml:id=\"layer.{}\">\n",
        e(&spec.lang),
        e(&spec.layer)
    ));
    h.push_str("  <teiHeader>\n    <fileDesc>\n      <titleStmt>\n");
    h.push_str(&format!("        <title>{}</title>\n", e(&spec.title)));
    for a in &spec.agents {
        h.push_str(&format!("        {}\n", resp_stmt(a, true)));
    }
    h.push_str("      </titleStmt>\n      <publicationStmt>\n");
    match &spec.licence {
        Some(l) => h.push_str(&format!(
            "        <authority>tei-align (layer file of a tei-align work)</authority>\n        \
             <availability><licence>{}</licence></availability>\n",
            e(l)
        )),
        // `availability` may follow an agency only, not a `<p>`.
        None => match &spec.availability {
            Some(a) => h.push_str(&format!(
                "        <authority>tei-align (layer file of a tei-align work)</authority>\n        \
                 <availability status=\"unknown\"><p>{}</p></availability>\n",
                e(a)
            )),
            None => h.push_str(
                "        <p>A layer file of a tei-align work; not published separately.</p>\n",
            ),
        },
    }
    h.push_str("      </publicationStmt>\n      <sourceDesc>\n");
    let main_bibl = source_bibl(spec);
    let has_bibl = main_bibl.is_some();
    if let Some(b) = main_bibl {
        h.push_str(&b);
    }
    h.push_str(&ms_desc(spec));
    if !spec.source.bibls.is_empty() {
        h.push_str("        <listBibl>\n");
        for (id, b) in &spec.source.bibls {
            h.push_str(&format!(
                "          <bibl xml:id=\"{}\">{}</bibl>\n",
                e(id),
                e(b)
            ));
        }
        h.push_str("        </listBibl>\n");
    }
    h.push_str(&relations(spec, has_bibl));
    h.push_str("      </sourceDesc>\n    </fileDesc>\n");
    h.push_str(&encoding_desc(spec));
    h.push_str("    <profileDesc>\n");
    if spec.creation.is_some() || spec.creation_date.is_some() {
        let mut c = Vec::new();
        if let Some(d) = &spec.creation_date {
            c.push(date_el(d));
        }
        if let Some(t) = &spec.creation {
            c.push(e(t));
        }
        h.push_str(&format!("      <creation>{}</creation>\n", c.join(" ")));
    }
    h.push_str(&format!(
        "      <langUsage><language ident=\"{}\">{}</language></langUsage>\n",
        e(&spec.lang),
        e(language_name(&spec.lang))
    ));
    h.push_str("    </profileDesc>\n  </teiHeader>\n");
    h.push_str("  <text>\n");
    h.push_str(body);
    h.push_str("  </text>\n</TEI>\n");
    h
}

/// Roles that name an organisation rather than a person.
pub(crate) fn is_org_role(role: &str) -> bool {
    matches!(role, "publisher" | "archive" | "repository" | "institution")
}

/// A `respStmt` with `persName` (or `orgName` for an organisation); a name of [`UNKNOWN`] is
/// written `<persName type="unknown">`, which the reader and `check` understand.
fn resp_stmt(a: &Agent, with_id: bool) -> String {
    let e = xml_escape;
    let id = if with_id && !a.id.is_empty() {
        format!(" xml:id=\"{}\"", e(&a.id))
    } else {
        String::new()
    };
    let name = if a.name == UNKNOWN {
        format!("<persName type=\"unknown\">{UNKNOWN}</persName>")
    } else if a.org || is_org_role(&a.role) {
        format!("<orgName>{}</orgName>", e(&a.name))
    } else {
        format!("<persName>{}</persName>", e(&a.name))
    };
    format!("<respStmt{id}><resp>{}</resp>{name}</respStmt>", e(&a.role))
}

/// The description of the source the text was taken from: the witness description of a
/// published text (who made it, who published it and when, where it was found).
fn source_bibl(spec: &HeaderSpec) -> Option<String> {
    let e = xml_escape;
    let s = &spec.source;
    let mut parts = Vec::new();
    if let Some(d) = &s.desc {
        parts.push(e(d));
    }
    for t in &s.translators {
        parts.push(resp_stmt(t, true));
    }
    let mut notes = Vec::new();
    if let Some(p) = &s.publisher {
        let cert = p
            .cert
            .as_ref()
            .map(|c| format!(" cert=\"{}\"", e(c)))
            .unwrap_or_default();
        parts.push(format!("<publisher{cert}>{}</publisher>", e(&p.name)));
        if let Some(n) = &p.note {
            notes.push(format!("<note type=\"attribution\">{}</note>", e(n)));
        }
    }
    if let Some(d) = &s.date {
        let el = date_el(d);
        parts.push(match &s.date_cert {
            Some(c) => el.replacen("<date", &format!("<date cert=\"{}\"", e(c)), 1),
            None => el,
        });
    }
    if let Some(u) = &s.url {
        parts.push(format!("<ref target=\"{}\">{}</ref>", e(u), e(u)));
    }
    if let Some(u) = &s.canonical_url {
        parts.push(format!(
            "<ref type=\"canonical\" target=\"{}\">{}</ref>",
            e(u),
            e(u)
        ));
    }
    parts.extend(notes);
    let physical = has_ms_desc(s);
    if !physical {
        parts.extend(s.notes.iter().map(SourceNote::element));
    }
    if parts.is_empty() {
        if physical || !s.bibls.is_empty() {
            return None;
        }
        parts.push("No source recorded.".into());
    }
    Some(format!(
        "        <bibl xml:id=\"{}\">{}</bibl>\n",
        e(&source_bibl_id(&spec.layer)),
        parts.join(" ")
    ))
}

fn has_ms_desc(s: &SourceSpec) -> bool {
    s.repository.is_some()
        || s.settlement.is_some()
        || s.idno.is_some()
        || !s.alt_identifiers.is_empty()
        || !s.authors.is_empty()
        || !s.provenance.is_empty()
}

/// The description of a physical witness: where it is kept (only what a source gives), what it
/// holds, and its custodial history.
fn ms_desc(spec: &HeaderSpec) -> String {
    let e = xml_escape;
    let s = &spec.source;
    if !has_ms_desc(s) {
        return String::new();
    }
    let mut h = format!(
        "        <msDesc xml:id=\"{}.witness\">\n          <msIdentifier>",
        e(&spec.layer)
    );
    for (el, v) in [
        ("settlement", &s.settlement),
        ("repository", &s.repository),
        ("idno", &s.idno),
    ] {
        if let Some(v) = v {
            h.push_str(&format!("<{el}>{}</{el}>", e(v)));
        }
    }
    for a in &s.alt_identifiers {
        h.push_str("<altIdentifier>");
        for (el, v) in [("repository", &a.repository), ("collection", &a.collection)] {
            if let Some(v) = v {
                h.push_str(&format!("<{el}>{}</{el}>", e(v)));
            }
        }
        h.push_str(&format!("<idno>{}</idno>", e(&a.idno)));
        if let Some(n) = &a.note {
            h.push_str(&format!("<note>{}</note>", e(n)));
        }
        h.push_str("</altIdentifier>");
    }
    h.push_str("</msIdentifier>\n");
    if s.witness.is_some() || !s.authors.is_empty() || !s.notes.is_empty() {
        h.push_str("          <msContents>\n");
        if let Some(w) = &s.witness {
            h.push_str(&format!("            <summary>{}</summary>\n", e(w)));
        }
        if !s.authors.is_empty() || !s.notes.is_empty() {
            h.push_str("            <msItem>");
            for a in &s.authors {
                h.push_str(&format!("<author>{}</author>", e(a)));
            }
            h.push_str(&format!(
                "<textLang mainLang=\"{}\">{}</textLang>",
                e(&spec.lang),
                e(language_name(&spec.lang))
            ));
            // The notes on a physical witness: msItem is where TEI lets a note on what it
            // holds stand (msContents and msDesc do not).
            for n in &s.notes {
                h.push_str(&n.element());
            }
            h.push_str("</msItem>\n");
        }
        h.push_str("          </msContents>\n");
    }
    if !s.provenance.is_empty() {
        h.push_str("          <history>\n");
        for p in &s.provenance {
            h.push_str(&format!("            <provenance>{}</provenance>\n", e(p)));
        }
        h.push_str("          </history>\n");
    }
    h.push_str("        </msDesc>\n");
    h
}

pub use crate::model::derivation_words;

/// The derivation graph: `@source` points at the witness description that attests the step
/// and names who made it; `@resp` is not used (in TEI it names who made the assertion, which is
/// the encoder of this file).
fn relations(spec: &HeaderSpec, has_bibl: bool) -> String {
    let e = xml_escape;
    if spec.derivations.is_empty() {
        return String::new();
    }
    let mut h = String::from("        <listRelation type=\"derivation\">\n");
    for d in &spec.derivations {
        let mut attrs = format!(
            "name=\"{}\" active=\"#layer.{}\" passive=\"{}.xml#layer.{}\"",
            e(d.kind.as_str()),
            e(&spec.layer),
            e(&d.source),
            e(&d.source)
        );
        if has_bibl {
            attrs.push_str(&format!(" source=\"#{}\"", e(&source_bibl_id(&spec.layer))));
        }
        if let Some(w) = &d.when {
            attrs.push_str(&format!(" when=\"{}\"", e(w)));
        }
        let makers: Vec<&Agent> = d
            .resp
            .iter()
            .filter_map(|id| {
                spec.source
                    .translators
                    .iter()
                    .chain(&spec.agents)
                    .find(|a| &a.id == id)
            })
            .collect();
        let desc = d
            .note
            .clone()
            .unwrap_or_else(|| derivation_words(d.kind.as_str(), &makers));
        h.push_str(&format!(
            "          <relation {attrs}><desc>{}</desc></relation>\n",
            e(&desc)
        ));
    }
    h.push_str("        </listRelation>\n");
    h
}

/// What a `<gap reason>` the importer knows means (the `taxonomy` of gap reasons).
pub(crate) fn gap_reason_meaning(reason: &str) -> Option<&'static str> {
    match reason {
        "source-incomplete" => Some(
            "The source the text was taken from breaks off or leaves text out here: the witness \
             had text that this layer cannot give.",
        ),
        "text-unavailable" => Some(
            "The witness has text here, but no transcription of it is available to the project; \
             it is to be supplied by an editor, never reconstructed or back-translated.",
        ),
        "illegible" => Some("The witness cannot be read here."),
        "damage" => Some("The witness is damaged here."),
        _ => None,
    }
}

/// `encodingDesc`: the tool, how the text was segmented and normalized, and the gap reasons.
fn encoding_desc(spec: &HeaderSpec) -> String {
    let e = xml_escape;
    let v = crate::VERSION;
    let mut h = format!(
        "    <encodingDesc>\n      <appInfo>\n        <application ident=\"tei-align\" \
         version=\"{v}\"><label>tei-align</label></application>\n      </appInfo>\n"
    );
    // A witness without text: say so, rather than describe how a text that is not there was
    // segmented and normalized.
    let normalization = spec.normalization.clone().unwrap_or_else(|| {
        if spec.without_text {
            "No text of this witness is transcribed here: nothing is normalized.".to_owned()
        } else {
            "The text is as in the source. Line breaks inside a paragraph and runs of white \
             space are written as single spaces; nothing else is normalized."
                .to_owned()
        }
    });
    let segmentation = if spec.without_text {
        format!(
            "No text of this witness is transcribed here, so no sentence is marked; when an \
             editor supplies it, tei-align {v} marks its sentences as &lt;s xml:id&gt; (its \
             rule-based sentence splitter for the language &quot;{}&quot;), and an id once \
             given is never reused.",
            e(&spec.lang)
        )
    } else {
        format!(
            "Sentences are marked as &lt;s xml:id&gt; by tei-align {v} (its rule-based sentence \
             splitter for the language &quot;{}&quot;; see the change records); an id once \
             given is never reused.",
            e(&spec.lang)
        )
    };
    h.push_str(&format!(
        "      <editorialDecl>\n        <segmentation><p>{segmentation}</p>\
         </segmentation>\n        <normalization><p>{}</p></normalization>\n      \
         </editorialDecl>\n",
        e(&normalization)
    ));
    if !spec.gap_reasons.is_empty() {
        h.push_str(&format!(
            "      <classDecl>\n        <taxonomy xml:id=\"{GAP_TAXONOMY}\">\
             <desc>Reasons given in &lt;gap reason&gt;</desc>\n"
        ));
        for (r, d) in &spec.gap_reasons {
            let meaning = gap_reason_meaning(r)
                .map(str::to_owned)
                .or_else(|| d.clone())
                .unwrap_or_else(|| r.clone());
            h.push_str(&format!(
                "          <category xml:id=\"{GAP_TAXONOMY}.{}\" n=\"{}\"><catDesc>{}</catDesc></category>\n",
                e(r),
                e(r),
                e(&meaning)
            ));
        }
        h.push_str("        </taxonomy>\n      </classDecl>\n");
    }
    h.push_str("    </encodingDesc>\n");
    h
}
