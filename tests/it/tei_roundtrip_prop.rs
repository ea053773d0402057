//! Property test of the `<s>` inserter on random markup: whatever the mix of inline elements,
//! milestones, notes, comments, entities and nested blocks, the result is a well-formed layer
//! without nested `<s>`, and removing the `<s>` tags gives back the original bytes.

use crate::common;

use common::strip_s;
use proptest::prelude::*;
use tei_align::tei::{SegmentOptions, read_layer, resegment};

/// Inline content: words, punctuation, and inline markup, nested up to `depth`.
fn inline(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        4 => prop::sample::select(vec![
            "Word", "word", "Čeština", "слово", "end.", "Mr.", "e.g.", "1968.", "? ", "! ", ". ",
            " ", "\n  ", "“quote.”", "a", "and", "(x.)", "…",
        ])
        .prop_map(str::to_owned),
        1 => prop::sample::select(vec![
            "<pb n=\"2\"/>", "<lb/>", "<gap reason=\"lost\"><desc>A. B.</desc></gap>", "&amp;",
            "&#x2014;", "<!-- c. D -->", "<?pi x. Y?>", "<note>A note. Two.</note>",
        ])
        .prop_map(str::to_owned),
    ];
    leaf.prop_recursive(depth, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..6).prop_map(|v| v.concat()),
            prop::collection::vec(inner.clone(), 1..4)
                .prop_map(|v| format!("<hi rend=\"b\">{}</hi>", v.concat())),
            prop::collection::vec(inner, 1..4).prop_map(|v| format!("<name>{}</name>", v.concat())),
        ]
    })
    .boxed()
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => inline(3).prop_map(|t| format!("<p>{t}</p>")),
        1 => inline(2).prop_map(|t| format!("<head>{t}</head>")),
        1 => (inline(2), inline(2), inline(2))
            .prop_map(|(a, b, c)| format!("<p>{a}<list><item>{b}</item></list>{c}</p>")),
        1 => (inline(2), inline(2)).prop_map(|(a, b)| format!("<lg><l>{a}</l><l>{b}</l></lg>")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn insertion_is_invisible_and_well_formed(blocks in prop::collection::vec(block(), 1..5)) {
        let src = format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\"><teiHeader/><text><body><div>{}</div></body></text></TEI>",
            blocks.join("\n")
        );
        let opts = SegmentOptions { layer: "x".into(), ..Default::default() };
        let r = resegment(&src, "p.xml", &opts).unwrap();
        prop_assert_eq!(strip_s(&r.xml), src.clone());
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.xml");
        std::fs::write(&p, &r.xml).unwrap();
        // Parses, no nested <s>, every <s> has an id, ids unique (read_layer checks all of these).
        let layer = read_layer(&p).unwrap();
        // One sentence per new id: the parts of a split sentence are read back as one.
        let ids: Vec<String> = layer.sentences.iter().map(|s| s.id.clone()).collect();
        prop_assert_eq!(&ids, &r.new_ids);
        // Every word of running text (outside notes and gaps) ends up in some sentence.
        let all: String = layer.sentences.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ");
        for w in ["Word", "Čeština", "слово"] {
            let outside = src.replace("<note>A note. Two.</note>", "");
            if outside.contains(w) {
                prop_assert!(all.contains(w), "{} lost from {}", w, r.xml);
            }
        }
        // Re-segmenting is a fixed point.
        let again = resegment(&r.xml, "p.xml", &opts).unwrap();
        prop_assert!(again.new_ids.is_empty());
        prop_assert_eq!(again.xml, r.xml);
    }
}
