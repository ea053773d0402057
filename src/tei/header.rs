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

/// Where the text of a layer came from.
#[derive(Debug, Clone, Default)]
pub struct SourceSpec {
    /// A description of the source (publication, archive record).
    pub desc: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its date (ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD` is also written as `@when`).
    pub date: Option<String>,
    /// For a physical witness: the repository that holds it (`msDesc/msIdentifier/repository`).
    pub repository: Option<String>,
    /// For a physical witness: a note on it (`msDesc/p`).
    pub witness: Option<String>,
    /// Publications of the witness or of the text (`listBibl/bibl`).
    pub bibls: Vec<String>,
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
    /// The people responsible for the layer (their ids must be unique across the work).
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
}

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

/// The English name of a language code, for `langUsage` (the code itself when unknown).
fn language_name(code: &str) -> &str {
    match code {
        "cs" | "ces" => "Czech",
        "ru" | "rus" => "Russian",
        "en" | "eng" => "English",
        "sk" | "slk" => "Slovak",
        "de" | "deu" => "German",
        "fr" | "fra" => "French",
        other => other,
    }
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
        let name_el = if a.role == "publisher" {
            "orgName"
        } else {
            "persName"
        };
        h.push_str(&format!(
            "        <respStmt xml:id=\"{}\"><resp>{}</resp><{name_el}>{}</{name_el}></respStmt>\n",
            e(&a.id),
            e(&a.role),
            e(&a.name)
        ));
    }
    h.push_str("      </titleStmt>\n      <publicationStmt>\n");
    match &spec.licence {
        Some(l) => h.push_str(&format!(
            "        <authority>tei-align (layer file of a tei-align work)</authority>\n        \
             <availability><licence>{}</licence></availability>\n",
            e(l)
        )),
        None => h.push_str(
            "        <p>A layer file of a tei-align work; not published separately.</p>\n",
        ),
    }
    h.push_str("      </publicationStmt>\n      <sourceDesc>\n");
    let s = &spec.source;
    let mut bibl = Vec::new();
    if let Some(d) = &s.desc {
        bibl.push(e(d));
    }
    if let Some(d) = &s.date {
        bibl.push(date_el(d));
    }
    if let Some(u) = &s.url {
        bibl.push(format!("<ref target=\"{}\">{}</ref>", e(u), e(u)));
    }
    if bibl.is_empty() && s.repository.is_none() && s.bibls.is_empty() {
        bibl.push("No source recorded.".into());
    }
    if !bibl.is_empty() {
        h.push_str(&format!("        <bibl>{}</bibl>\n", bibl.join(" ")));
    }
    if let Some(r) = &s.repository {
        h.push_str(&format!(
            "        <msDesc>\n          <msIdentifier><repository>{}</repository></msIdentifier>\n",
            e(r)
        ));
        if let Some(w) = &s.witness {
            h.push_str(&format!("          <p>{}</p>\n", e(w)));
        }
        h.push_str("        </msDesc>\n");
    }
    if !s.bibls.is_empty() {
        h.push_str("        <listBibl>\n");
        for b in &s.bibls {
            h.push_str(&format!("          <bibl>{}</bibl>\n", e(b)));
        }
        h.push_str("        </listBibl>\n");
    }
    if !spec.derivations.is_empty() {
        h.push_str("        <listRelation type=\"derivation\">\n");
    }
    for d in &spec.derivations {
        let mut attrs = format!(
            "name=\"{}\" active=\"#layer.{}\" passive=\"{}.xml#layer.{}\"",
            e(d.kind.as_str()),
            e(&spec.layer),
            e(&d.source),
            e(&d.source)
        );
        if !d.resp.is_empty() {
            let r: Vec<String> = d.resp.iter().map(|r| format!("#{}", e(r))).collect();
            attrs.push_str(&format!(" resp=\"{}\"", r.join(" ")));
        }
        if let Some(w) = &d.when {
            attrs.push_str(&format!(" when=\"{}\"", e(w)));
        }
        h.push_str(&format!("          <relation {attrs}/>\n"));
    }
    if !spec.derivations.is_empty() {
        h.push_str("        </listRelation>\n");
    }
    h.push_str("      </sourceDesc>\n    </fileDesc>\n");
    h.push_str(&format!(
        "    <encodingDesc>\n      <appInfo>\n        <application ident=\"tei-align\" version=\"{}\"><label>tei-align</label></application>\n      </appInfo>\n    </encodingDesc>\n",
        crate::VERSION
    ));
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
