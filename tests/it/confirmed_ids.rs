//! Text split off beside a confirmed item is found whatever the layer's ids look like, and
//! `link --record-text` sees a split made before it (session 17). Real TEI often has its own
//! sentence ids (`p1s2`, `s-2`): the split-off text gets the tool's id (`en.s1`) and stands
//! beside the confirmed sentence in document order; before, a layer without `<layer>.s<N>` ids
//! had no newest sentence recorded and the split went unreported.

use crate::builder::{layer, layer_tei, relation};
use crate::common::{self, ok_in as ok, run_in as run};
use std::path::Path;

/// cs → en, both with ids of their own (`p1s<N>` and `s-<N>`), aligned, p1s2 ↔ s-2 confirmed.
fn work() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let texts = d.join("texts/w");
    std::fs::create_dir_all(&texts).unwrap();
    let mut cs = layer(
        "cs",
        "Bajka",
        vec![],
        &[&[
            "Severák a Slunce se přeli, kdo je silnější.",
            "Severák foukal prudce.",
            "Slunce svítilo mírně.",
        ]],
    );
    let mut en = layer(
        "en",
        "Fable",
        vec![],
        &[&[
            "The North Wind and the Sun quarrelled about which was the stronger.",
            "The North Wind blew hard.",
            "The Sun shone gently.",
        ]],
    );
    for (i, s) in cs.sentences.iter_mut().enumerate() {
        s.id = format!("p1s{}", i + 1);
    }
    for (i, s) in en.sentences.iter_mut().enumerate() {
        s.id = format!("s-{}", i + 1);
    }
    std::fs::write(texts.join("cs.xml"), layer_tei(&cs, None)).unwrap();
    let rel = relation("cs", "en", &[], None);
    std::fs::write(texts.join("en.xml"), layer_tei(&en, Some(&rel))).unwrap();
    ok(d, &["align", "texts/w", "--when", "2026-01-01"]);
    ok(
        d,
        &["link", "texts/w", "p1s2", "s-2", "--by", "jnovak:Jan Novák"],
    );
    dir
}

/// Text added at the end of s-2 and split off by `import --resplit`: s-2 keeps its text.
fn split_s2(d: &Path) {
    let p = d.join("texts/w/en.xml");
    let xml = std::fs::read_to_string(&p).unwrap();
    let edited = xml.replacen(
        "The North Wind blew hard.</s>",
        "The North Wind blew hard. The man held his cloak tighter.</s>",
        1,
    );
    assert_ne!(xml, edited);
    std::fs::write(&p, edited).unwrap();
    let args = ["import", "texts/w/en.xml", "--in-place", "--resplit"];
    ok(d, &[&args[..], &["--when", "2026-03-01"]].concat());
    let xml = std::fs::read_to_string(&p).unwrap();
    assert!(
        xml.contains("<s xml:id=\"en.s1\">The man held his cloak tighter.</s>"),
        "{xml}"
    );
}

#[test]
fn text_split_off_in_a_layer_with_its_own_ids_is_reported() {
    let dir = work();
    let d = dir.path();
    split_s2(d);
    let r = run(d, &["check", "texts/w"]);
    assert_eq!(
        r.code,
        Some(1),
        "check passed a split confirmation: {}",
        r.out
    );
    assert!(r.out.contains("en.s1 new after s-2"), "{}", r.out);
    let r = ok(d, &["trace", "s-2", "--work", "texts/w"]);
    assert!(r.out.contains("en.s1 new after s-2"), "{}", r.out);
    // Aligned (en.s1 gets its automatic ptr) and confirmed anew as it stands: clean again.
    ok(d, &["align", "texts/w", "--when", "2026-03-02"]);
    let al =
        tei_align::tei::standoff::read_alignment(&d.join("alignments/w/alignment.xml")).unwrap();
    let id = al.edges[0]
        .links
        .iter()
        .find(|l| l.derived.iter().any(|s| s == "s-2"))
        .map(|l| l.id.clone())
        .unwrap();
    ok(d, &["link", "texts/w", &id, "--by", "jnovak"]);
    let r = ok(d, &["check", "texts/w"]);
    assert!(!r.out.contains("confirmed on another text"), "{}", r.out);
}

#[test]
fn record_text_sees_text_split_off_before_it() {
    let dir = work();
    let d = dir.path();
    // A confirmation made before tei-align recorded its text.
    let p = d.join("alignments/w/alignment.xml");
    let xml = std::fs::read_to_string(&p).unwrap();
    let old: String = xml
        .lines()
        .filter(|l| !l.contains("type=\"confirmed-"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(xml, old);
    std::fs::write(&p, &old).unwrap();
    // Split before the text is recorded: whether before or after the confirmation is unknown.
    split_s2(d);
    ok(d, &["align", "texts/w", "--when", "2026-03-02"]);
    ok(
        d,
        &["link", "texts/w", "--record-text", "--by", "eva:Eva Nová"],
    );
    let r = run(d, &["check", "texts/w"]);
    assert_eq!(r.code, Some(1), "the earlier split went unseen: {}", r.out);
    assert!(r.out.contains("en.s1 new after s-2"), "{}", r.out);
}

#[test]
fn record_text_sees_an_earlier_split_in_a_numbered_layer_too() {
    let dir = common::aligned_chain_letter();
    let d = dir.path();
    ok(
        d,
        &[
            "link",
            "texts/letter",
            "cs.s5",
            "en.s5",
            "--by",
            "jnovak:Jan Novák",
        ],
    );
    let p = d.join("alignments/letter/alignment.xml");
    let xml = std::fs::read_to_string(&p).unwrap();
    let old: String = xml
        .lines()
        .filter(|l| !l.contains("type=\"confirmed-"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&p, &old).unwrap();
    let en = d.join("texts/letter/en.xml");
    let text = std::fs::read_to_string(&en).unwrap();
    std::fs::write(
        &en,
        text.replacen(
            "counterrevolutionary coup.</s>",
            "counterrevolutionary coup. They have support abroad.</s>",
            1,
        ),
    )
    .unwrap();
    let args = ["import", "texts/letter/en.xml", "--in-place", "--resplit"];
    ok(d, &[&args[..], &["--when", "2026-03-01"]].concat());
    ok(d, &["align", "texts/letter", "--when", "2026-03-02"]);
    ok(d, &["link", "texts/letter", "--record-text", "--by", "eva"]);
    let r = run(d, &["check", "texts/letter"]);
    assert_eq!(r.code, Some(1), "the earlier split went unseen: {}", r.out);
    assert!(r.out.contains("new after en.s5"), "{}", r.out);
    // A sentence numbered in order beside an item is no split: the other confirmations stay
    // clean (only en.s5's item is named).
    assert_eq!(
        r.out.matches("confirmed on another text").count(),
        1,
        "{}",
        r.out
    );
}
