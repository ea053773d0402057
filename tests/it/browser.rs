//! The HTML view in a real browser: headless Chromium driven over the DevTools protocol.
//!
//! Skipped (with a message, passing) when no Chromium is installed, except under `CI=true`,
//! where that fails. Otherwise it writes the
//! editions of the letter and of a UDHR-like work (built in code), loads each page from
//! file://, checks that every segment is shown with all its counterparts, clicks sentences with
//! real mouse events and checks what is highlighted and what the provenance panel says, checks
//! that a phone-sized window stacks the columns instead of overflowing, and saves screenshots
//! in `target/screenshots/`.

use crate::builder;
use crate::cdp::{Browser, find_chromium};

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use tei_align::edition::{self, EditionOptions};
use tei_align::model::WorkAlignment;

/// Chromium, or `None` (the test then passes with a message) — except under `CI=true`, where a
/// missing browser fails the test.
fn chromium_or_skip() -> Option<PathBuf> {
    let found = find_chromium();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but chromium is not installed (/usr/bin/chromium, PATH or $CHROMIUM)"
        );
        println!("SKIP browser test: chromium not found (/usr/bin/chromium or on PATH)");
    }
    found
}

/// axe-core's script: `$AXE_CORE`, else `target/npm/node_modules/axe-core/axe.min.js` (where
/// `.ci/run` installs it). Missing under `CI=true` fails the test.
fn axe_source() -> Option<String> {
    let p = std::env::var_os("AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/npm/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&p) {
        Ok(s) => Some(s),
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but axe-core is missing at {} ({e}); npm install --prefix target/npm axe-core",
                p.display()
            );
            println!("SKIP axe-core checks: {} not found", p.display());
            None
        }
    }
}

/// Run axe-core (WCAG 2.0/2.1 A and AA rules) on the open page; panics listing every
/// violation of impact serious or critical.
fn check_axe(b: &mut Browser, axe: &str, what: &str) {
    b.eval(axe);
    let r = b.call(
        "Runtime.evaluate",
        json!({"expression": "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}}).then(function(r){return r.violations.map(function(v){return [v.id, v.impact, v.nodes.length, v.nodes.slice(0,3).map(function(n){return n.target.join(' ')+': '+n.failureSummary;}).join(' | ')];});})",
               "awaitPromise": true, "returnByValue": true}),
    );
    let v = r["result"]["value"].as_array().cloned().unwrap_or_default();
    assert!(r.get("exceptionDetails").is_none(), "axe failed: {r}");
    let bad: Vec<&Value> = v
        .iter()
        .filter(|x| matches!(x[1].as_str(), Some("serious" | "critical")))
        .collect();
    if !v.is_empty() {
        println!("axe on {what}: {v:?}");
    }
    assert!(bad.is_empty(), "axe-core on {what}: {bad:#?}");
}

fn highlighted(b: &mut Browser) -> Vec<String> {
    let v = b.eval(
        "Array.from(document.querySelectorAll('.cell .s.hl')).map(function(e){return e.id;}).sort()",
    );
    serde_json::from_value(v).unwrap()
}

/// Every segment of the alignment is shown: each member sentence is visible, in its layer's
/// column, in the layer's language, and all members of a segment stand in one row group.
fn check_all_segments_shown(b: &mut Browser, al: &WorkAlignment, langs: &[(&str, &str)]) {
    let v = b.eval(
        "Array.from(document.querySelectorAll('.s[data-seg]')).map(function(s){\
           var r=s.getBoundingClientRect(); var g=s.closest('.grp'); var c=s.closest('.cell');\
           return [s.id, s.getAttribute('data-seg'), g?g.id:'', c?c.getAttribute('data-layer'):'',\
                   (s.closest('[lang]')||{}).lang||'', r.width>0&&r.height>0];})",
    );
    let shown: Vec<(String, String, String, String, String, bool)> =
        serde_json::from_value(v).unwrap();
    let by_id: std::collections::HashMap<&str, &(String, String, String, String, String, bool)> =
        shown.iter().map(|x| (x.0.as_str(), x)).collect();
    for seg in &al.segments {
        let mut group: Option<&str> = None;
        for (layer, ids) in &seg.members {
            for id in ids {
                let s = by_id
                    .get(id.as_str())
                    .unwrap_or_else(|| panic!("segment {}: {id} not on the page", seg.id));
                assert!(s.5, "{id} is not visible");
                assert_eq!(&s.1, &seg.id, "{id} is marked with another segment");
                assert_eq!(&s.3, layer, "{id} is not in the column of {layer}");
                let lang = langs
                    .iter()
                    .find(|l| l.0 == layer)
                    .map_or(layer.as_str(), |l| l.1);
                assert_eq!(s.4, lang, "{id}: lang");
                match group {
                    None => group = Some(&s.2),
                    Some(g) => assert_eq!(g, s.2, "segment {} spans two row groups", seg.id),
                }
            }
        }
    }
    let members: usize = al
        .segments
        .iter()
        .map(|s| s.members.values().flatten().count())
        .sum();
    assert_eq!(shown.len(), members, "sentences on the page vs in segments");
}

fn expected_hl(al: &WorkAlignment, seg: &str) -> Vec<String> {
    let s = al.segments.iter().find(|s| s.id == seg).unwrap();
    let mut v: Vec<String> = s.members.values().flatten().cloned().collect();
    v.sort();
    v
}

fn panel_text(b: &mut Browser) -> String {
    b.eval("document.getElementById('panel').textContent")
        .as_str()
        .unwrap()
        .to_owned()
}

/// Type into the search box and wait for the hits; returns the sentence ids they link to.
fn search(b: &mut Browser, q: &str) -> Vec<String> {
    b.eval("(function(){var q=document.getElementById('q');q.value='';q.focus();})()");
    b.call("Input.insertText", json!({"text": q}));
    let start = Instant::now();
    loop {
        let st = b.eval("document.getElementById('q-status').textContent");
        if st.as_str().is_some_and(|s| !s.is_empty()) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no search result for {q}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let v = b.eval("Array.from(document.querySelectorAll('#hits a')).map(function(a){return decodeURIComponent(a.getAttribute('href').slice(1));})");
    serde_json::from_value(v).unwrap()
}

#[test]
fn html_view_in_headless_chromium() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (lw, la) = builder::letter();
    let (uw, ua) = builder::udhr();
    let opts = EditionOptions::default();
    edition::write_edition(&dir.path().join("letter"), &lw, &la, &opts).unwrap();
    edition::write_edition(&dir.path().join("udhr"), &uw, &ua, &opts).unwrap();
    let url = |w: &str| format!("file://{}/{w}/index.html", dir.path().display());
    let same = [("ru", "ru"), ("cs", "cs"), ("en", "en")];

    let mut b = Browser::launch(&bin);
    // The letter (no layer file: the structure comes from the model's blocks).
    b.open(&url("letter"), 1400, 1000, false);
    check_all_segments_shown(&mut b, &la, &same);
    let cols = b.eval("Array.from(document.querySelectorAll('.colhead')).map(function(t){return t.getAttribute('data-layer');})");
    assert_eq!(cols, json!(["ru", "cs", "en"]));
    // The Czech paragraphing (3 blocks) differs from the English (13): the row groups follow
    // the coarser one, so both paragraphings are visible.
    let paras = b.eval("[document.querySelectorAll('.cell[data-layer=cs] p:not(.mark):not(.gapnote)').length, document.querySelectorAll('.cell[data-layer=en] p').length]");
    assert_eq!(paras, json!([3, 13]));
    b.click("cs.s3");
    assert_eq!(highlighted(&mut b), ["cs.s3", "en.s3"]);
    let panel = panel_text(&mut b);
    for want in [
        "seg.3",
        "cs → en",
        "Mark Kramer",
        "confirmed by Test Editor on 2026-11-20",
        "ru → cs",
        "the source witness ru has a gap",
    ] {
        assert!(panel.contains(want), "{want} not in {panel}");
    }
    // A confirmed link shows who and when, not the machine's score.
    let step = b.eval("Array.from(document.querySelectorAll('#panel li')).map(function(l){return l.textContent;}).filter(function(t){return t.indexOf('cs → en')===0;})[0]");
    assert!(!step.as_str().unwrap().contains("confidence"), "{step}");
    b.click("cs.s4");
    assert!(panel_text(&mut b).contains("confidence 0.68"));
    // Past the Czech gap: the Czech column says why it is empty.
    b.click("en.s17");
    assert_eq!(highlighted(&mut b), ["en.s17"]);
    let why = b.eval("document.getElementById('en.s17').closest('.grp').querySelector('.cell[data-layer=cs]').textContent");
    assert!(why.as_str().unwrap().contains("gap"), "{why}");

    // The UDHR-like work: a merge highlights five sentences across three layers.
    b.open(&url("udhr"), 1400, 1000, false);
    check_all_segments_shown(&mut b, &ua, &same);
    b.click("ru.s5");
    assert_eq!(highlighted(&mut b), expected_hl(&ua, "seg.5"));
    assert_eq!(
        highlighted(&mut b),
        ["cs.s5", "cs.s6", "en.s5", "en.s6", "ru.s5"]
    );
    assert!(panel_text(&mut b).contains("(2-1)"));
    // Hovering lights up the counterparts too (without moving the selection).
    b.click("en.s1");
    let pos = b.eval("(function(){var e=document.getElementById('ru.s2');e.scrollIntoView({block:'center'});var r=e.getClientRects()[0];return [r.left+5,r.top+r.height/2];})()");
    b.call(
        "Input.dispatchMouseEvent",
        json!({"type": "mouseMoved", "x": pos[0], "y": pos[1]}),
    );
    let hover = b.eval(
        "Array.from(document.querySelectorAll('.s.hover')).map(function(e){return e.id;}).sort()",
    );
    assert_eq!(hover, json!(["cs.s2", "en.s2", "ru.s2"]));
    assert_eq!(highlighted(&mut b), ["cs.s1", "en.s1", "ru.s1"]);
    // The keyboard: focus a sentence and press Enter.
    b.eval("document.getElementById('cs.s7').focus()");
    for t in ["keyDown", "keyUp"] {
        b.call(
            "Input.dispatchKeyEvent",
            json!({"type": t, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}),
        );
    }
    assert_eq!(highlighted(&mut b), ["cs.s7", "en.s7", "ru.s6"]);
    // Enter again on the chosen sentence takes the keyboard to the panel, whose next tab stops
    // are its links (not every sentence after cs.s7).
    for t in ["keyDown", "keyUp"] {
        b.call(
            "Input.dispatchKeyEvent",
            json!({"type": t, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}),
        );
    }
    let at = b.eval("[document.activeElement.tagName, !!document.activeElement.closest('#panel')]");
    assert_eq!(at, json!(["H2", true]), "Enter again: focus");
    assert_eq!(highlighted(&mut b), ["cs.s7", "en.s7", "ru.s6"]);
    b.click("en.s3");
    assert_eq!(highlighted(&mut b), ["cs.s3", "en.s3", "ru.s3"]);
    assert!(panel_text(&mut b).contains("doubtful"));
    // The doubtful mark is explained in the legend.
    let legend = b.eval("document.querySelector('.legend').textContent");
    assert!(
        legend.as_str().unwrap().contains("doubtful link"),
        "{legend}"
    );
    b.screenshot("udhr-model-click", false);

    // On paper, who confirmed a link and when is printed beside the sentence (the panel that
    // says it on screen is not printed).
    b.open(&url("letter"), 1400, 1000, false);
    b.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let after = b.eval("getComputedStyle(document.getElementById('cs.s3'),'::after').content");
    assert!(
        after
            .as_str()
            .unwrap()
            .contains("confirmed by Test Editor on 2026-11-20"),
        "{after}"
    );
    let plain = b.eval("getComputedStyle(document.getElementById('cs.s2'),'::after').content");
    assert_eq!(
        plain,
        json!("none"),
        "an unmarked sentence prints nothing more"
    );
    b.call("Emulation.setEmulatedMedia", json!({"media": ""}));
}

/// What a work's edition must show, from its layer files.
struct Expect {
    work: &'static str,
    langs: &'static [(&'static str, &'static str)],
    title: &'static str,
    credit: &'static str,
    search: (&'static str, &'static str),
}

/// Write the edition of a work of `texts/` (or a fixture) with the command line.
fn make_edition(texts: &Path, out: &Path) -> WorkAlignment {
    let tool = env!("CARGO_BIN_EXE_tei-align");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let name = texts.file_name().unwrap().to_str().unwrap();
    let committed = root.join("alignments").join(name).join("alignment.xml");
    let al_path = if committed.is_file() {
        committed
    } else {
        let p = out.with_extension("alignment.xml");
        let o = Command::new(tool)
            .arg("align")
            .arg(texts)
            .arg("-o")
            .arg(&p)
            .args(["--when", "2026-11-25"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "align {name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        p
    };
    let o = Command::new(tool)
        .arg("edition")
        .arg(texts)
        .arg("--alignment")
        .arg(&al_path)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "edition {name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    tei_align::tei::standoff::read_alignment(&al_path).unwrap()
}

/// Count elements with this local name inside `<text>` of a layer file.
fn count_in_text(file: &Path, tag: &str) -> usize {
    let src = std::fs::read_to_string(file).unwrap();
    let at = src.find("<text>").or_else(|| src.find("<text ")).unwrap();
    let body = &src[at..];
    body.matches(&format!("<{tag}>")).count() + body.matches(&format!("<{tag} ")).count()
}

/// The real texts: structure, witnesses, language, permalinks, citation, downloads, search,
/// phone, print and axe-core, on both works.
#[test]
fn real_editions_in_headless_chromium() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let axe = axe_source();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut b = Browser::launch(&bin);
    let works = [
        Expect {
            work: "letter-1968",
            langs: &[("ru", "ru"), ("cs", "cs"), ("en", "en")],
            title: "Letter to L. I. Brezhnev, August 1968",
            credit: "Mark Kramer",
            search: ("kolder", "Kolder"),
        },
        Expect {
            work: "udhr",
            langs: &[("ru", "ru"), ("cs", "cs"), ("en", "en")],
            title: "Universal Declaration of Human Rights",
            credit: "translation from en",
            search: ("svedomim", "svědomím"),
        },
    ];
    for w in &works {
        let texts = root.join("texts").join(w.work);
        let out = dir.path().join(w.work);
        let al = make_edition(&texts, &out);
        let url = format!("file://{}/index.html", out.display());
        b.open(&url, 1400, 1000, false);
        check_all_segments_shown(&mut b, &al, w.langs);
        // 7. The page's title comes from the teiHeaders.
        let title = b.eval("document.title");
        assert!(title.as_str().unwrap().starts_with(w.title), "{title}");
        check_structure(&mut b, &texts);
        check_witnesses(&mut b, &texts, w.credit);
        check_text_langs(&mut b);
        b.screenshot(&format!("{}-1400", w.work), false);
        check_permalink_and_cite(&mut b, &url, &al, w.title);
        check_counterpart_links(&mut b, &url, &al);
        check_downloads(&mut b, &out);
        // 5. Search across all layers (accents ignored), jumping to the segment.
        let hits = search(&mut b, w.search.0);
        let work = tei_align::tei::read_work(&texts).unwrap();
        let want: Vec<&str> = work
            .layers
            .iter()
            .flat_map(|l| &l.sentences)
            .filter(|s| s.text.contains(w.search.1))
            .map(|s| s.id.as_str())
            .collect();
        assert!(!want.is_empty());
        for id in &want {
            assert!(
                hits.iter().any(|h| h == id),
                "{:?}: {id} not in {hits:?}",
                w.search
            );
        }
        b.eval(&format!("Array.from(document.querySelectorAll('#hits a')).filter(function(a){{return a.getAttribute('href')==='#{}';}})[0].click()", want[0]));
        std::thread::sleep(Duration::from_millis(200));
        let seg = &al
            .segments
            .iter()
            .find(|s| s.members.values().flatten().any(|x| x == want[0]))
            .unwrap()
            .id;
        assert_eq!(highlighted(&mut b), expected_hl(&al, seg));
        if let Some(axe) = &axe {
            b.open(&url, 1400, 1000, false);
            check_axe(&mut b, axe, w.work);
        }
        check_toggle(&mut b);
        check_print(&mut b, w.work);
        check_phone(&mut b, &url, w.work);
        if let Some(axe) = &axe {
            check_axe(&mut b, axe, &format!("{} at 390 px", w.work));
        }
    }
}

/// Issue point 1: Headings, paragraphs, opener, closer, lists are there as in the layer files; the table of
/// contents links every heading of its layer.
fn check_structure(b: &mut Browser, texts: &Path) {
    for layer in ["cs", "en", "ru"] {
        let file = texts.join(format!("{layer}.xml"));
        let sel =
            |s: &str| format!("document.querySelectorAll('.cell[data-layer={layer}] {s}').length");
        let heads = b.eval(&sel(".tei-head"));
        assert_eq!(heads, json!(count_in_text(&file, "head")), "{layer} heads");
        let heads_h = b.eval(&sel(":is(h3,h4,h5,h6)"));
        assert_eq!(heads_h, heads, "{layer}: headings are real headings");
        let paras = b.eval(&sel("p:not(.mark):not(.gapnote):not([class^=tei-])"));
        assert_eq!(
            paras,
            json!(count_in_text(&file, "p")),
            "{layer} paragraphs"
        );
        for (tag, css) in [
            ("opener", ".tei-opener"),
            ("closer", ".tei-closer"),
            ("list", ".tei-list"),
            ("item", "li"),
        ] {
            let n = count_in_text(&file, tag);
            if n > 0 {
                assert!(
                    b.eval(&sel(css)).as_u64().unwrap() >= 1,
                    "{layer}: no {tag}"
                );
            }
        }
    }
    let toc = b.eval("Array.from(document.querySelectorAll('#toc a')).map(function(a){return !!document.getElementById(a.getAttribute('href').slice(1));})");
    let toc = toc.as_array().unwrap();
    assert!(toc.iter().all(|x| x == &json!(true)), "dangling TOC link");
    let first_layer_heads = b.eval("document.querySelectorAll('#toc a').length");
    let has_heads = b
        .eval("document.querySelectorAll('.tei-head').length")
        .as_u64()
        .unwrap()
        > 0;
    assert_eq!(
        first_layer_heads.as_u64().unwrap() > 0,
        has_heads,
        "a TOC exactly when there are headings"
    );
}

/// Issue point 2: A panel per witness with its title and credits; a witness without text is a narrow band
/// saying why.
fn check_witnesses(b: &mut Browser, texts: &Path, credit: &str) {
    let wits = b.eval("Array.from(document.querySelectorAll('.wit')).map(function(w){return [w.id, w.textContent];})");
    let wits: Vec<(String, String)> = serde_json::from_value(wits).unwrap();
    assert_eq!(wits.len(), 3);
    for (id, text) in &wits {
        let layer = id.trim_start_matches("wit-");
        let src = std::fs::read_to_string(texts.join(format!("{layer}.xml"))).unwrap();
        let t0 = src.find("<title>").unwrap() + 7;
        let title = &src[t0..t0 + src[t0..].find("</title>").unwrap()];
        assert!(text.contains(title), "{id}: title {title} not in {text}");
    }
    assert!(wits.iter().any(|w| w.1.contains(credit)), "{credit}");
    let bands = b.eval("Array.from(document.querySelectorAll('.colhead.notext')).map(function(h){return [h.getBoundingClientRect().width, h.textContent];})");
    for band in bands.as_array().unwrap() {
        assert!(
            band[0].as_f64().unwrap() < 60.0,
            "a witness without text is {band}"
        );
        assert!(band[1].as_str().unwrap().contains("no text"), "{band}");
    }
    // The band's words are all there to read, not cut off ("ru no text: text una…").
    let clipped = b.eval("Array.from(document.querySelectorAll('.colhead.notext .band')).filter(function(a){return a.scrollHeight>a.clientHeight+1||a.scrollWidth>a.clientWidth+1;}).map(function(a){return [a.textContent,a.scrollHeight,a.clientHeight,a.scrollWidth,a.clientWidth];})");
    assert_eq!(
        clipped,
        json!([]),
        "the band of a witness without text is cut off"
    );
}

/// The panel names the chosen sentence's counterparts as links: following one chooses it (and
/// gives it the focus, for the keyboard), and the browser's Back comes back to the sentence.
fn check_counterpart_links(b: &mut Browser, url: &str, al: &WorkAlignment) {
    let seg = al.segments.iter().find(|s| s.members.len() >= 2).unwrap();
    let first = seg.members.values().flatten().next().unwrap().clone();
    let other = seg.members.values().flatten().last().unwrap().clone();
    b.open(url, 1400, 1000, false);
    b.click(&first);
    let links = b.eval("Array.from(document.querySelectorAll('#panel .members a')).map(function(a){return decodeURIComponent(a.getAttribute('href').slice(1));})");
    for id in seg.members.values().flatten() {
        assert!(
            links.as_array().unwrap().contains(&json!(id)),
            "{id}: no link in the panel: {links}"
        );
    }
    let pos = b.eval(&format!("(function(){{var a=Array.from(document.querySelectorAll('#panel .members a')).filter(function(a){{return a.getAttribute('href')==='#{other}';}})[0];var r=a.getBoundingClientRect();return [r.left+r.width/2,r.top+r.height/2];}})()"));
    for (t, n) in [("mouseMoved", 0), ("mousePressed", 1), ("mouseReleased", 1)] {
        b.call(
            "Input.dispatchMouseEvent",
            json!({"type": t, "x": pos[0], "y": pos[1], "button": "left", "clickCount": n}),
        );
    }
    std::thread::sleep(Duration::from_millis(300));
    let now = b.eval("[document.querySelector('.s.cur').id, document.activeElement.id]");
    assert_eq!(now, json!([other, other]), "following the link to {other}");
    b.eval("history.back()");
    std::thread::sleep(Duration::from_millis(500));
    let back = b.eval("document.querySelector('.s.cur').id");
    assert_eq!(back, json!(first), "Back after following {other}");
}

/// Issue point 7: Every text node is in the right language: inside a layer's cell, text is in the layer's
/// language unless marked otherwise (the page's own words are lang="en").
fn check_text_langs(b: &mut Browser) {
    let bad = b.eval(
        "(function(){var out=[];var w=document.createTreeWalker(document.body,NodeFilter.SHOW_TEXT);\
          var n;while((n=w.nextNode())){if(!n.data.trim())continue;var p=n.parentElement;\
          if(p.closest('script,style'))continue;var l=p.closest('[lang]');var lang=l?l.lang:document.documentElement.lang;\
          var cell=p.closest('.cell');var ui=p.closest('.mark,.gapnote,.nref,.npop b,.tei-note');\
          if(cell&&!ui&&lang!==cell.lang&&!p.closest('.cell [lang]:not(.cell)'))out.push(n.data.slice(0,40));\
          if(cell&&ui&&p.closest('.mark,.gapnote,.nref')&&lang!=='en')out.push('UI '+n.data.slice(0,40));}\
          return out;})()",
    );
    assert_eq!(bad, json!([]), "text in the wrong language");
}

/// Issue point 4: `#seg.N` selects the segment; "Cite" gives work title, layer, sentence and segment ids,
/// edition version and the URL.
fn check_permalink_and_cite(b: &mut Browser, url: &str, al: &WorkAlignment, title: &str) {
    let seg = al
        .segments
        .iter()
        .find(|s| s.members.values().flatten().count() >= 2)
        .unwrap();
    b.open(&format!("{url}#{}", seg.id), 1400, 1000, false);
    assert_eq!(
        highlighted(b),
        expected_hl(al, &seg.id),
        "permalink #{}",
        seg.id
    );
    let first = b.eval("document.querySelector('.s.cur').id");
    let first = first.as_str().unwrap().to_owned();
    b.eval("document.querySelector('#panel .cite-btn').click()");
    let cite = b.eval("document.getElementById('cite-text').hidden ? '' : document.getElementById('cite-text').textContent");
    let cite = cite.as_str().unwrap();
    for want in [
        title,
        &first,
        &seg.id,
        &format!("tei-align {}", tei_align::VERSION),
        url,
    ] {
        assert!(cite.contains(want), "{want} not in the citation {cite}");
    }
    let layer = first.split('.').next().unwrap();
    let lname = b.eval(&format!(
        "document.querySelector('.colhead[data-layer={layer}] .lname').textContent"
    ));
    assert!(
        cite.contains(lname.as_str().unwrap()),
        "layer name not in {cite}"
    );
}

/// Issue point 4: Every download link points to a file of the directory; the alignment, edition.xml, TMX,
/// cesAlign and each layer with a file are offered.
fn check_downloads(b: &mut Browser, out: &Path) {
    let links = b.eval("Array.from(document.querySelectorAll('#downloads a')).map(function(a){return a.getAttribute('href');})");
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    for l in &links {
        assert!(out.join(l).is_file(), "{l} is linked but not written");
    }
    for want in [
        "edition.xml",
        "alignment.xml",
        ".tmx",
        ".cesalign.xml",
        "cs.xml",
        "en.xml",
        "ru.xml",
    ] {
        assert!(
            links.iter().any(|l| l.ends_with(want)),
            "no download {want}: {links:?}"
        );
    }
    // Self-contained: no resource is fetched from anywhere but the page itself.
    let ext = b.eval("Array.from(document.querySelectorAll('script[src],link[rel=stylesheet],img,iframe')).length");
    assert_eq!(ext, json!(0));
}

/// Issue point 2: Hiding a witness hides its column; showing it again restores it.
fn check_toggle(b: &mut Browser) {
    let vis = |b: &mut Browser| {
        b.eval("Array.from(document.querySelectorAll('.colhead')).filter(function(h){return h.getBoundingClientRect().width>0;}).map(function(h){return h.getAttribute('data-layer');})")
    };
    let before = vis(b);
    b.eval("(function(){var c=document.querySelector('input[data-toggle=cs]');c.click();})()");
    let after = vis(b);
    assert!(!after.as_array().unwrap().contains(&json!("cs")), "{after}");
    assert_eq!(
        after.as_array().unwrap().len() + 1,
        before.as_array().unwrap().len()
    );
    let hidden_s =
        b.eval("getComputedStyle(document.querySelector('.cell[data-layer=cs]')).display");
    assert_eq!(hidden_s, json!("none"));
    b.eval("document.querySelector('input[data-toggle=cs]').click()");
    assert_eq!(vis(b), before);
}

/// Issue point 6: Print: the columns stay side by side.
fn check_print(b: &mut Browser, work: &str) {
    b.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let panel = b.eval("getComputedStyle(document.getElementById('panel')).display");
    assert_eq!(panel, json!("none"));
    let tops = b.eval("Array.from(document.querySelectorAll('.grp')).slice(0,3).map(function(g){return Array.from(g.querySelectorAll('.cell:not(.notext)')).map(function(c){return Math.round(c.getBoundingClientRect().top);});})");
    for row in tops.as_array().unwrap() {
        let row = row.as_array().unwrap();
        assert!(
            row.windows(2).all(|w| w[0] == w[1]),
            "print: columns not side by side {tops}"
        );
    }
    // What the screen folds away is printed: the sources, gaps and custodial history of every
    // witness, the derivation and the coverage table (`checkVisibility`: the box of a closed
    // `<details>`' content is still measured, but not drawn).
    let folded = b.eval("Array.from(document.querySelectorAll('#witnesses details > dl, #about details > :not(summary)')).filter(function(e){return !e.checkVisibility();}).map(function(e){return (e.closest('[id]')||{}).id+': '+e.textContent.slice(0,60);})");
    assert_eq!(folded, json!([]), "print: folded away");
    let covered = b.eval("document.querySelector('#about table.cov').checkVisibility() && document.querySelectorAll('#witnesses details > dl').length>0");
    assert_eq!(covered, json!(true));
    // Paper has no tooltip and no panel: every marked sentence prints what its tooltip says
    // (who confirmed it and when, partial, doubtful, the gap …) after it.
    let unsaid = b.eval("Array.from(document.querySelectorAll('.cell .s[title*=\" · \"]')).filter(function(e){return getComputedStyle(e,'::after').content.indexOf(e.title)<0;}).map(function(e){return e.id;})");
    assert_eq!(unsaid, json!([]), "print: marks not said in words");
    b.screenshot(&format!("{work}-print"), true);
    b.call("Emulation.setEmulatedMedia", json!({"media": ""}));
}

/// Issue point 6: A phone: nothing overflows sideways; every layer's title and credits are on the page
/// and visible.
fn check_phone(b: &mut Browser, url: &str, work: &str) {
    b.open(url, 390, 844, true);
    let overflow = b.eval("document.documentElement.scrollWidth - window.innerWidth");
    assert!(
        overflow.as_f64().unwrap() <= 1.0,
        "{work}: overflows by {overflow} px"
    );
    let heads = b.eval("Array.from(document.querySelectorAll('.colhead')).map(function(h){var r=h.getBoundingClientRect();return [h.getAttribute('data-layer'), r.width>0&&r.height>0, h.textContent];})");
    for h in heads.as_array().unwrap() {
        assert_eq!(
            h[1],
            json!(true),
            "{work}: column head {h} not visible on a phone"
        );
    }
    let wits = b.eval("Array.from(document.querySelectorAll('.wit dl')).map(function(d){var r=d.getBoundingClientRect();return r.width>0&&r.height>0;})");
    assert!(
        wits.as_array().unwrap().iter().all(|x| x == &json!(true)),
        "{work}: witness credits hidden on a phone"
    );
    b.screenshot(&format!("{work}-390"), false);
    let first = b.eval("document.querySelector('.cell .s').id");
    b.click(first.as_str().unwrap());
    assert!(!highlighted(b).is_empty());
}

/// Issue point 3: Notes, an apparatus entry, a choice and a gap with extent: in place, as accessible
/// pop-ups (a button with aria-expanded, Escape closes), and as footnotes in print.
#[test]
fn notes_apparatus_and_gaps_in_headless_chromium() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let axe = axe_source();
    let dir = tempfile::tempdir().unwrap();
    let texts = crate::common::fixture("edition-notes");
    let out = dir.path().join("fx");
    let al = make_edition(&texts, &out);
    let url = format!("file://{}/index.html", out.display());
    let mut b = Browser::launch(&bin);
    b.open(&url, 1400, 1000, false);
    check_all_segments_shown(&mut b, &al, &[("la", "la"), ("en", "en")]);
    let pops = b.eval("Array.from(document.querySelectorAll('.cell .nref')).map(function(n){var p=document.getElementById(n.getAttribute('aria-controls'));return [n.getAttribute('aria-label'), n.getAttribute('aria-expanded'), p.hidden, p.textContent, !!n.closest('.s')];})");
    let pops: Vec<(String, String, bool, String, bool)> = serde_json::from_value(pops).unwrap();
    let find = |what: &str| {
        pops.iter()
            .find(|p| p.0.starts_with(what))
            .unwrap_or_else(|| panic!("no {what} pop-up in {pops:?}"))
            .clone()
    };
    let note = find("note");
    assert!(note.3.contains("A greeting formula"), "{note:?}");
    let app = find("apparatus");
    assert!(
        app.3.contains("tuum") && app.3.contains("suum") && app.3.contains("(B)"),
        "{app:?}"
    );
    let choice = find("editorial choice");
    assert!(choice.3.contains("epistolam"), "{choice:?}");
    let gap = find("gap");
    assert!(
        gap.3.contains("illegible") && gap.3.contains("3 words"),
        "{gap:?}"
    );
    for p in &pops {
        assert_eq!((p.1.as_str(), p.2, p.4), ("false", true, true), "{p:?}");
    }
    // The corrected reading and the lemma are in the text.
    let s4 = b.eval("document.getElementById('la.s4').textContent");
    assert!(
        s4.as_str().unwrap().starts_with("Scripsi epistulam"),
        "{s4}"
    );
    // Open the apparatus pop-up with a real click; Escape closes it and gives focus back.
    let app_id = b.eval("Array.from(document.querySelectorAll('.cell .nref')).filter(function(n){return n.getAttribute('aria-label').indexOf('apparatus')===0;})[0].getAttribute('aria-controls')");
    let app_id = app_id.as_str().unwrap().to_owned();
    let pos = b.eval(&format!("(function(){{var n=document.querySelector('[aria-controls=\"{app_id}\"]');var r=n.getBoundingClientRect();return [r.left+r.width/2,r.top+r.height/2];}})()"));
    for (t, n) in [("mouseMoved", 0), ("mousePressed", 1), ("mouseReleased", 1)] {
        b.call(
            "Input.dispatchMouseEvent",
            json!({"type": t, "x": pos[0], "y": pos[1], "button": "left", "clickCount": n}),
        );
    }
    let state = b.eval(&format!("[document.querySelector('[aria-controls=\"{app_id}\"]').getAttribute('aria-expanded'), document.getElementById('{app_id}').hidden, document.getElementById('{app_id}').getBoundingClientRect().height>0]"));
    assert_eq!(state, json!(["true", false, true]));
    // Opening a pop-up does not choose the sentence.
    assert_eq!(highlighted(&mut b), Vec::<String>::new());
    b.screenshot("notes-popup", false);
    for t in ["keyDown", "keyUp"] {
        b.call(
            "Input.dispatchKeyEvent",
            json!({"type": t, "key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27}),
        );
    }
    let state = b.eval(&format!("[document.querySelector('[aria-controls=\"{app_id}\"]').getAttribute('aria-expanded'), document.getElementById('{app_id}').hidden]"));
    assert_eq!(state, json!(["false", true]));
    // The witness panel of the manuscript names its repository.
    let wit = b.eval("document.getElementById('wit-la').textContent");
    assert!(wit.as_str().unwrap().contains("Národní knihovna"), "{wit}");
    if let Some(axe) = &axe {
        check_axe(&mut b, axe, "the notes fixture");
    }
    // Print: the apparatus as footnotes under its block, the pop-ups hidden.
    b.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let fnotes = b.eval("Array.from(document.querySelectorAll('.cell[data-layer=la] .fnotes li')).filter(function(li){return li.getBoundingClientRect().height>0;}).map(function(li){return li.textContent;})");
    let fnotes: Vec<String> = serde_json::from_value(fnotes).unwrap();
    assert_eq!(fnotes.len(), 4, "{fnotes:?}");
    assert!(fnotes.iter().any(|f| f.contains("3 words")));
    b.screenshot("notes-print", true);
}
