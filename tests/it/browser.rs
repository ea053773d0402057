//! The HTML view in a real browser: headless Chromium driven over the DevTools protocol.
//!
//! Skipped (with a message, passing) when no Chromium is installed. Otherwise it writes the
//! editions of the letter and of a UDHR-like work (built in code), loads each page from
//! file://, checks that every segment is shown with all its counterparts, clicks sentences with
//! real mouse events and checks what is highlighted and what the provenance panel says, checks
//! that a phone-sized window stacks the columns instead of overflowing, and saves screenshots
//! in `target/screenshots/`.

use crate::builder;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tei_align::edition::{self, EditionOptions};
use tei_align::model::WorkAlignment;
use tungstenite::{Message, WebSocket};

fn find_chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.exists() {
        return Some(fixed.to_owned());
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// A headless Chromium and a DevTools connection to one page.
struct Browser {
    child: Child,
    ws: WebSocket<TcpStream>,
    next_id: u64,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch(bin: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Chromium prints the DevTools address on stderr; keep draining stderr afterwards so
        // the browser never blocks on a full pipe.
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(i) = line.find("ws://") {
                    let _ = tx.send(line[i..].trim().to_owned());
                }
            }
        });
        let url = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(u) => u,
            Err(_) => {
                let _ = child.kill();
                panic!("chromium did not print its DevTools address within 60 s");
            }
        };
        let hostport = url
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let stream = TcpStream::connect(&hostport).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let (ws, _) = tungstenite::client(url.as_str(), stream).unwrap();
        let mut b = Browser {
            child,
            ws,
            next_id: 0,
            session: String::new(),
            _profile: profile,
        };
        let target = b.call_browser("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().unwrap().to_owned();
        let att = b.call_browser(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        b.session = att["sessionId"].as_str().unwrap().to_owned();
        b.call("Page.enable", json!({}));
        b.call("Runtime.enable", json!({}));
        b
    }

    fn send(&mut self, session: Option<String>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).unwrap();
        loop {
            let m = self.ws.read().unwrap();
            let Message::Text(t) = m else { continue };
            let v: Value = serde_json::from_str(t.as_str()).unwrap();
            if v["id"].as_u64() == Some(id) {
                if let Some(err) = v.get("error") {
                    panic!("{method}: {err}");
                }
                return v["result"].clone();
            }
        }
    }

    fn call_browser(&mut self, method: &str, params: Value) -> Value {
        self.send(None, method, params)
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let s = self.session.clone();
        self.send(Some(s), method, params)
    }

    /// Evaluate a JS expression in the page and return its value.
    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true}),
        );
        if let Some(ex) = r.get("exceptionDetails") {
            panic!("JS exception in {expr}: {ex}");
        }
        r["result"]["value"].clone()
    }

    fn open(&mut self, url: &str, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": if mobile {2} else {1},
                   "mobile": mobile}),
        );
        self.call("Page.navigate", json!({"url": url}));
        let start = Instant::now();
        // Wait until the page has loaded and its script has run (the panel exists then).
        while self.eval("document.readyState === 'complete' && !!document.getElementById('panel')")
            != json!(true)
        {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "page did not load"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Click a sentence with real mouse events at the middle of its first line box.
    fn click(&mut self, id: &str) {
        let pos = self.eval(&format!(
            "(function(){{var e=document.getElementById({id});e.scrollIntoView({{block:'center'}});\
             var r=e.getClientRects()[0];var x=r.left+Math.min(r.width/2,40),y=r.top+r.height/2;\
             var hit=document.elementFromPoint(x,y);\
             return [x,y,!!hit&&(hit===e||e.contains(hit))];}})()",
            id = json!(id)
        ));
        assert_eq!(
            pos[2],
            json!(true),
            "{id} is covered by something at its position"
        );
        let (x, y) = (pos[0].as_f64().unwrap(), pos[1].as_f64().unwrap());
        for (t, n) in [("mouseMoved", 0), ("mousePressed", 1), ("mouseReleased", 1)] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": t, "x": x, "y": y, "button": "left", "clickCount": n}),
            );
        }
    }

    fn screenshot(&mut self, name: &str, full: bool) -> PathBuf {
        let r = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": full}),
        );
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(format!("{name}.png"));
        std::fs::write(&p, &png).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        p
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.send(None, "Browser.close", json!({}));
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The rows of the page: (segment id, [(layer, [sentence ids])]) with each sentence visible.
/// A shown row: its segment id and, per column, the layer and the sentence ids it shows.
type ShownRow = (String, Vec<(String, Vec<String>)>);

fn shown_rows(b: &mut Browser) -> Vec<ShownRow> {
    let v = b.eval(
        "Array.from(document.querySelectorAll('#edition tbody tr')).map(function(tr){\
           return [tr.getAttribute('data-seg'), Array.from(tr.querySelectorAll('td')).map(function(td){\
             return [td.getAttribute('data-layer'), Array.from(td.querySelectorAll('.s')).filter(function(s){\
               var r=s.getBoundingClientRect(); return r.width>0 && r.height>0 && s.textContent.trim().length>0;\
             }).map(function(s){return s.id;})];})];})",
    );
    serde_json::from_value(v).unwrap()
}

fn highlighted(b: &mut Browser) -> Vec<String> {
    let v = b.eval(
        "Array.from(document.querySelectorAll('.s.hl')).map(function(e){return e.id;}).sort()",
    );
    serde_json::from_value(v).unwrap()
}

/// Every segment of the alignment is a row holding exactly its members, in every layer.
fn check_all_segments_shown(b: &mut Browser, al: &WorkAlignment) {
    let rows = shown_rows(b);
    for seg in &al.segments {
        let row = rows
            .iter()
            .find(|r| r.0 == seg.id)
            .unwrap_or_else(|| panic!("segment {} not shown", seg.id));
        for (layer, ids) in &seg.members {
            let cell = row
                .1
                .iter()
                .find(|c| &c.0 == layer)
                .unwrap_or_else(|| panic!("segment {}: no column {layer}", seg.id));
            assert_eq!(&cell.1, ids, "segment {} layer {layer}", seg.id);
        }
    }
    assert_eq!(rows.len(), al.segments.len(), "extra rows");
}

fn expected_hl(al: &WorkAlignment, seg: &str) -> Vec<String> {
    let s = al.segments.iter().find(|s| s.id == seg).unwrap();
    let mut v: Vec<String> = s.members.values().flatten().cloned().collect();
    v.sort();
    v
}

#[test]
fn html_view_in_headless_chromium() {
    let Some(bin) = find_chromium() else {
        println!("SKIP browser test: chromium not found (/usr/bin/chromium or on PATH)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (lw, la) = builder::letter();
    let (uw, ua) = builder::udhr();
    edition::write_edition(
        &dir.path().join("letter"),
        &lw,
        &la,
        &EditionOptions::default(),
    )
    .unwrap();
    edition::write_edition(
        &dir.path().join("udhr"),
        &uw,
        &ua,
        &EditionOptions::default(),
    )
    .unwrap();
    let url = |w: &str| format!("file://{}/{w}/index.html", dir.path().display());

    let mut b = Browser::launch(&bin);

    // The letter: every segment with its counterparts; the column order is ru, cs, en.
    b.open(&url("letter"), 1280, 900, false);
    check_all_segments_shown(&mut b, &la);
    let cols = b.eval("Array.from(document.querySelectorAll('#edition thead th')).map(function(t){return t.getAttribute('data-layer');})");
    assert_eq!(cols, json!(["ru", "cs", "en"]));
    b.screenshot("letter-top", false);
    b.click("cs.s3");
    assert_eq!(highlighted(&mut b), ["cs.s3", "en.s3"]);
    let panel = b.eval("document.getElementById('panel').textContent");
    let panel = panel.as_str().unwrap();
    assert!(panel.contains("seg.3"), "{panel}");
    assert!(panel.contains("cs → en"), "{panel}");
    assert!(panel.contains("Mark Kramer"), "{panel}");
    assert!(panel.contains("confirmed by Test Editor"), "{panel}");
    assert!(panel.contains("ru → cs"), "{panel}");
    assert!(panel.contains("the source witness ru has a gap"), "{panel}");
    b.screenshot("letter-click", false);
    // A sentence past the Czech gap: only itself, and the cs cell says why it is empty.
    b.click("en.s17");
    assert_eq!(highlighted(&mut b), ["en.s17"]);
    let why = b.eval("document.querySelector('#row-seg\\\\.17 td[data-layer=cs]').textContent");
    assert_eq!(why, json!("gap in this witness"));
    b.screenshot("letter-gap", false);

    // The UDHR-like work: a merge highlights five sentences across three layers.
    b.open(&url("udhr"), 1280, 900, false);
    check_all_segments_shown(&mut b, &ua);
    b.click("ru.s5");
    assert_eq!(highlighted(&mut b), expected_hl(&ua, "seg.5"));
    assert_eq!(
        highlighted(&mut b),
        ["cs.s5", "cs.s6", "en.s5", "en.s6", "ru.s5"]
    );
    let panel = b.eval("document.getElementById('panel').textContent");
    assert!(panel.as_str().unwrap().contains("(2-1)"), "{panel}");
    // Hovering lights up the counterparts too (without moving the selection).
    b.click("en.s1");
    let pos = b.eval("(function(){var r=document.getElementById('ru.s2').getClientRects()[0];return [r.left+5,r.top+r.height/2];})()");
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
    // Clicking another sentence moves the highlight.
    b.click("en.s3");
    assert_eq!(highlighted(&mut b), ["cs.s3", "en.s3", "ru.s3"]);
    let panel = b.eval("document.getElementById('panel').textContent");
    assert!(panel.as_str().unwrap().contains("doubtful"), "{panel}");
    b.screenshot("udhr-click", true);
    // Printing: the panel is hidden, the rows stay.
    b.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let panel_display = b.eval("getComputedStyle(document.getElementById('panel')).display");
    assert_eq!(panel_display, json!("none"));
    check_all_segments_shown(&mut b, &ua);
    b.screenshot("udhr-print", true);
    b.call("Emulation.setEmulatedMedia", json!({"media": ""}));

    // A phone: the columns stack, nothing overflows sideways, clicking still works.
    b.open(&url("udhr"), 390, 844, true);
    let overflow = b.eval("document.documentElement.scrollWidth - window.innerWidth");
    assert!(
        overflow.as_f64().unwrap() <= 1.0,
        "overflows by {overflow} px"
    );
    check_all_segments_shown(&mut b, &ua);
    b.click("cs.s9");
    assert_eq!(highlighted(&mut b), ["cs.s9"]);
    b.screenshot("udhr-phone", false);
    b.open(&url("letter"), 390, 844, true);
    b.screenshot("letter-phone", false);
}

/// The real texts of the repository (`texts/letter-1968`, `texts/udhr`): aligned and edited with
/// the command line into a temp dir, then every segment of the alignment file must be shown
/// with its counterparts, and clicking a sentence of each segment of a sample highlights exactly
/// that segment.
#[test]
fn real_editions_in_headless_chromium() {
    let Some(bin) = find_chromium() else {
        println!("SKIP browser test: chromium not found (/usr/bin/chromium or on PATH)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut b: Option<Browser> = None;
    for work in ["letter-1968", "udhr"] {
        let texts = root.join("texts").join(work);
        if !texts.is_dir() {
            println!("SKIP {work}: {} not found", texts.display());
            continue;
        }
        let committed = root.join("alignments").join(work).join("alignment.xml");
        let tool = env!("CARGO_BIN_EXE_tei-align");
        let out_dir = dir.path().join(work).join("edition");
        // The alignment in the repository if there is one (links checked by hand), else a fresh one.
        let al_path = if committed.is_file() {
            committed
        } else {
            let p = dir.path().join(work).join("alignment.xml");
            let out = Command::new(tool)
                .arg("align")
                .arg(&texts)
                .arg("-o")
                .arg(&p)
                .args(["--when", "2026-11-25"])
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "align {work}: {err}");
            p
        };
        let st = Command::new(tool)
            .arg("edition")
            .arg(&texts)
            .arg("--alignment")
            .arg(&al_path)
            .arg("-o")
            .arg(&out_dir)
            .status()
            .unwrap();
        assert!(st.success(), "edition {work}");
        let al = tei_align::tei::standoff::read_alignment(&al_path).unwrap();
        let b = b.get_or_insert_with(|| Browser::launch(&bin));
        b.open(
            &format!("file://{}/index.html", out_dir.display()),
            1280,
            1000,
            false,
        );
        check_all_segments_shown(b, &al);
        b.screenshot(&format!("{work}-real-top"), false);
        // Click the first sentence of every 7th segment (and the last): exactly its segment lights up.
        let n = al.segments.len();
        for (k, seg) in al.segments.iter().enumerate() {
            if k % 7 != 0 && k + 1 != n {
                continue;
            }
            let Some(first) = seg.members.values().flatten().next() else {
                continue;
            };
            b.click(first);
            assert_eq!(highlighted(b), expected_hl(&al, &seg.id), "click {first}");
        }
        b.screenshot(&format!("{work}-real"), false);
        b.open(
            &format!("file://{}/index.html", out_dir.display()),
            390,
            844,
            true,
        );
        let overflow = b.eval("document.documentElement.scrollWidth - window.innerWidth");
        assert!(
            overflow.as_f64().unwrap() <= 1.0,
            "{work}: overflows by {overflow} px"
        );
        b.screenshot(&format!("{work}-real-phone"), false);
    }
}
