//! A synthetic two-layer work for the edition benches (`edition_browser`, `edition_scale`):
//! en → cs, 1-1, paragraphs of four sentences under a heading every 40, a note every 100
//! sentences, one link and one segment per sentence pair.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use tei_align::model::*;

const WORDS_EN: &[&str] = &[
    "rights",
    "freedom",
    "people",
    "nations",
    "law",
    "dignity",
    "peace",
    "justice",
    "everyone",
    "shall",
    "equal",
    "protection",
    "society",
    "education",
    "work",
    "family",
];
const WORDS_CS: &[&str] = &[
    "práva",
    "svoboda",
    "lidé",
    "národy",
    "zákon",
    "důstojnost",
    "mír",
    "spravedlnost",
    "každý",
    "musí",
    "rovný",
    "ochrana",
    "společnost",
    "vzdělání",
    "práce",
    "rodina",
];

fn sentence(words: &[&str], i: usize) -> String {
    let mut s = String::new();
    for k in 0..(8 + i % 9) {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(words[(i * 7 + k * 3) % words.len()]);
    }
    let _ = write!(s, " {i}.");
    s[..1].to_uppercase() + &s[1..]
}

/// A layer file with divisions, headings, paragraphs and notes, and its model.
pub fn layer(dir: &std::path::Path, id: &str, words: &[&str], n: usize) -> Layer {
    let mut body = String::new();
    let mut sentences = Vec::new();
    let mut block = 0;
    for i in 0..n {
        if i % 40 == 0 {
            if i > 0 {
                body.push_str("</p></div>\n");
            }
            let _ = write!(body, "<div><head>Part {}</head><p>", i / 40 + 1);
            block += 2;
        } else if i % 4 == 0 {
            body.push_str("</p>\n<p>");
            block += 1;
        }
        let text = sentence(words, i);
        let note = if i % 100 == 7 {
            "<note>A note on this sentence.</note>"
        } else {
            ""
        };
        let _ = write!(body, "<s xml:id=\"{id}.s{}\">{text}{note}</s> ", i + 1);
        sentences.push(Sentence {
            id: format!("{id}.s{}", i + 1),
            text,
            block,
            line: 0,
        });
    }
    body.push_str("</p></div>");
    let path = dir.join(format!("{id}.xml"));
    // The translation names its source in the header, as a layer file does, so that the work
    // can also be read back from disk (the `edition` command's path).
    let derivation = if id == "cs" {
        "<listRelation type=\"derivation\"><relation name=\"translation\" active=\"#layer.cs\" passive=\"en.xml#layer.en\"/></listRelation>"
    } else {
        ""
    };
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"{id}\" xml:id=\"layer.{id}\"><teiHeader><fileDesc><titleStmt><title>Synthetic work ({id})</title></titleStmt><publicationStmt><p>bench</p></publicationStmt><sourceDesc><p>Generated.</p>{derivation}</sourceDesc></fileDesc></teiHeader><text><body>{body}</body></text></TEI>\n"
    );
    std::fs::write(&path, xml).unwrap();
    Layer {
        id: id.into(),
        lang: id.into(),
        path,
        title: format!("Synthetic work ({id})"),
        agents: vec![],
        source_desc: "Generated.".into(),
        derivations: vec![],
        sentences,
        gaps: vec![],
    }
}

/// Writes the layer files of an `n`-sentence work under `dir/texts`; returns the work and its
/// alignment.
pub fn work(dir: &std::path::Path, n: usize) -> (Work, WorkAlignment) {
    let texts = dir.join("texts");
    std::fs::create_dir_all(&texts).unwrap();
    let en = layer(&texts, "en", WORDS_EN, n);
    let mut cs = layer(&texts, "cs", WORDS_CS, n);
    cs.derivations = vec![Derivation {
        source: "en".into(),
        kind: DerivationKind::Translation,
        resp: vec![],
        when: None,
        note: None,
    }];
    let mut links = Vec::new();
    let mut segments = Vec::new();
    for i in 1..=n {
        links.push(Link {
            id: format!("a.en-cs.{i}"),
            source: vec![format!("en.s{i}")],
            derived: vec![format!("cs.s{i}")],
            cert: 0.4 + (i % 60) as f64 / 100.0,
            status: LinkStatus::Automatic,
            partial: i % 500 == 3,
        });
        let mut m = BTreeMap::new();
        m.insert("en".to_owned(), vec![format!("en.s{i}")]);
        m.insert("cs".to_owned(), vec![format!("cs.s{i}")]);
        segments.push(Segment {
            id: format!("seg.{i}"),
            members: m,
            chain: vec![format!("a.en-cs.{i}")],
        });
    }
    let work = Work {
        id: "synthetic".into(),
        dir: texts.clone(),
        layers: vec![cs, en],
    };
    let al = WorkAlignment {
        item_changes: Default::default(),
        work: "synthetic".into(),
        layer_files: BTreeMap::new(),
        agents: vec![],
        relations: vec![Relation {
            id: "rel.en-cs".into(),
            source: "en".into(),
            derived: "cs".into(),
            kind: DerivationKind::Translation,
            resp: vec![],
            when: None,
        }],
        edges: vec![EdgeAlignment {
            relation: "rel.en-cs".into(),
            links,
            unaligned: vec![],
        }],
        segments,
        changes: vec![],
        id_high_water: BTreeMap::new(),
    };
    (work, al)
}
