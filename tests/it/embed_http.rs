//! The OpenAI-compatible embeddings client against a small server this test starts on
//! 127.0.0.1: batching, retry after a 503, vectors in input order, `.npy` output, the evidence
//! named in the alignment's change record, and a clear error when the server is down.

use super::common;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

const DIM: usize = 4;

/// The toy model: a vector from the text's bytes (not normalized: the client normalizes).
fn toy_vector(text: &str) -> Vec<f32> {
    let b = text.as_bytes();
    vec![
        b.len() as f32 + 1.0,
        b.iter().map(|&x| x as f32).sum::<f32>() / 100.0,
        b.first().copied().unwrap_or(0) as f32,
        1.0,
    ]
}

fn normalized(v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

/// `tei-align embed s.txt -o OUT --embeddings URL [--embeddings-model MODEL]` run in `dir`,
/// with the vector cache in `dir/models`.
fn embed(dir: &std::path::Path, url: &str, out: &str, model: Option<&str>) -> common::Run {
    let mut c = common::tei_align(dir);
    c.env("TEI_ALIGN_MODEL_DIR", dir.join("models")).args([
        "embed",
        "s.txt",
        "-o",
        out,
        "--embeddings",
        url,
    ]);
    if let Some(m) = model {
        c.args(["--embeddings-model", m]);
    }
    common::run(&mut c)
}

/// Serve requests until the process ends; the first request gets a 503. Records each
/// request's number of inputs.
fn start_server() -> (String, Arc<Mutex<Vec<usize>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1/embeddings", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        let mut first = true;
        for stream in listener.incoming().take(200) {
            let Ok(stream) = stream else { continue };
            serve(stream, &mut first, &log);
        }
    });
    (url, seen)
}

fn serve(mut stream: TcpStream, first: &mut bool, log: &Mutex<Vec<usize>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut len = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap();
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    let (status, answer) = if std::mem::take(first) {
        ("503 Service Unavailable", "{}".to_string())
    } else {
        let req: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(req["model"], "toy");
        let inputs = req["input"].as_array().unwrap();
        log.lock().unwrap().push(inputs.len());
        // Listed in reverse: the client must order by "index".
        let data: Vec<serde_json::Value> = inputs
            .iter()
            .enumerate()
            .rev()
            .map(|(i, t)| serde_json::json!({"index": i, "embedding": toy_vector(t.as_str().unwrap())}))
            .collect();
        ("200 OK", serde_json::json!({ "data": data }).to_string())
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    );
}

#[test]
fn embed_writes_npy_rows_in_order_after_a_retry() {
    let (url, seen) = start_server();
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..150).map(|i| format!("Sentence number {i}.")).collect();
    let input = dir.path().join("s.txt");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let r = embed(dir.path(), &url, "v.npy", Some("toy"));
    assert!(r.ok, "{}", r.err);
    let npy = std::fs::read(dir.path().join("v.npy")).unwrap();
    assert_eq!(&npy[..6], b"\x93NUMPY");
    let hlen = u16::from_le_bytes([npy[8], npy[9]]) as usize;
    let header = std::str::from_utf8(&npy[10..10 + hlen]).unwrap();
    assert!(header.contains("'shape': (150, 4)"), "{header}");
    assert_eq!((10 + hlen) % 64, 0);
    let data: Vec<f32> = npy[10 + hlen..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    assert_eq!(data.len(), 150 * DIM);
    for (i, l) in lines.iter().enumerate() {
        let want = normalized(toy_vector(l));
        for (a, b) in data[i * DIM..(i + 1) * DIM].iter().zip(&want) {
            assert!((a - b).abs() < 1e-6, "row {i}");
        }
    }
    // The probe, then batches of at most 64.
    assert_eq!(*seen.lock().unwrap(), vec![1, 64, 64, 22]);
    // Again with two lines changed: only those two are sent (the vector cache).
    let mut edited = lines.clone();
    edited[3] = "An edited sentence.".into();
    edited[77] = "Another edit.".into();
    std::fs::write(&input, edited.join("\n") + "\n").unwrap();
    let r = embed(dir.path(), &url, "w.npy", Some("toy"));
    assert!(r.ok, "{}", r.err);
    assert_eq!(*seen.lock().unwrap(), vec![1, 64, 64, 22, 1, 2]);
}

#[test]
fn alignment_records_the_embeddings_it_was_given() {
    let (url, seen) = start_server();
    let dir = common::chain_letter();
    let out = common::tei_align(dir.path())
        .env("TEI_ALIGN_MODEL_DIR", dir.path().join("models"))
        .args([
            "align",
            "texts/letter",
            "--when",
            "2026-01-01",
            "--embeddings",
            &url,
        ])
        .args(["--embeddings-model", "toy"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let xml = std::fs::read_to_string(dir.path().join("alignments/letter/alignment.xml")).unwrap();
    assert!(
        xml.contains(&format!(
            "Sentence embeddings (toy at {url}) used as evidence: the search weighed the cosine"
        )),
        "the change record names the evidence"
    );
    // Used, not merely named: the server was asked for the layers' sentences (beyond the
    // one-text probe of the connection).
    let asked: usize = seen.lock().unwrap().iter().skip(1).sum();
    assert!(
        asked > 0,
        "no sentence was embedded: {:?}",
        seen.lock().unwrap()
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("are used as semantic evidence in the search"),
        "{err}"
    );
}

#[test]
fn a_server_that_is_down_is_one_clear_error() {
    // A port nothing listens on: bind, note it, close.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/v1/embeddings");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.txt"), "One.\nTwo.\n").unwrap();
    let r = embed(dir.path(), &url, "v.npy", Some("toy"));
    assert!(!r.ok);
    let err = &r.err;
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(&url) && err.contains("is the server running"),
        "{err}"
    );
    assert!(!dir.path().join("v.npy").exists(), "nothing written");
    // An endpoint without a model name is refused before any request.
    let r = embed(dir.path(), &url, "v.npy", None);
    assert!(r.err.contains("--embeddings-model"), "{}", r.err);
}
