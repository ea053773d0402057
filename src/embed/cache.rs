//! A cache of sentence vectors on disk, keyed by the text's SHA-256 and the model, so that
//! re-aligning after an edit embeds only the new text.
//!
//! One file per model (named by the hash of [`Embedder::describe`], which holds the model's
//! checksum or the endpoint and model name) in `<model dir>/vectors/`. The file is a header
//! (magic, dimension, the description) and then records of 32 key bytes + `dim` little-endian
//! floats + the CRC-32 of both, only ever appended, each batch of new records in one write.
//!
//! Several processes share the file (two `align --embeddings e5` at once): each takes an
//! exclusive `flock` on it to read it and to append, and an appender first cuts off a torn
//! record (a writer killed mid-write) so that its records start where a reader expects one. A
//! record whose checksum fails (torn, zero-filled after a power loss, damaged) ends the usable
//! part of the file: it and everything after it are cut off and embedded again, so a damaged
//! cache is rebuilt and never gives a wrong vector.

use super::{EmbedError, Embedder};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Version 2: records carry a CRC-32 (version 1 files, without it, are started afresh).
const MAGIC: &[u8; 8] = b"TAVEC02\n";

type Key = [u8; 32];

/// An [`Embedder`] that remembers what it embedded.
pub struct CachedEmbedder {
    inner: Arc<dyn Embedder>,
    path: PathBuf,
    head: Vec<u8>,
    known: Mutex<HashMap<Key, Vec<f32>>>,
}

impl std::fmt::Debug for CachedEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedEmbedder")
            .field("inner", &self.inner)
            .field("path", &self.path)
            .finish()
    }
}

fn key(text: &str) -> Key {
    Sha256::digest(text.as_bytes()).into()
}

fn header(inner: &dyn Embedder) -> Vec<u8> {
    let d = inner.describe();
    let mut h = MAGIC.to_vec();
    h.extend_from_slice(&(inner.dim() as u32).to_le_bytes());
    h.extend_from_slice(&(d.len() as u32).to_le_bytes());
    h.extend_from_slice(d.as_bytes());
    h
}

/// The length of one record for vectors of `dim` floats.
fn record_len(dim: usize) -> usize {
    32 + 4 * dim + 4
}

/// One record: key, floats, and the CRC-32 of both.
fn encode(k: &Key, v: &[f32], buf: &mut Vec<u8>) {
    let at = buf.len();
    buf.extend_from_slice(k);
    buf.extend(v.iter().flat_map(|x| x.to_le_bytes()));
    let crc = crc32fast::hash(&buf[at..]);
    buf.extend_from_slice(&crc.to_le_bytes());
}

/// The key and vector of a whole record, or `None` when its checksum fails.
fn decode(r: &[u8]) -> Option<(Key, Vec<f32>)> {
    let (body, crc) = r.split_at(r.len() - 4);
    if crc32fast::hash(body).to_le_bytes() != crc {
        return None;
    }
    let mut k = [0u8; 32];
    k.copy_from_slice(&body[..32]);
    let v = body[32..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Some((k, v))
}

/// The cache file opened for reading and writing (made if missing), under an exclusive lock
/// that is released when the file is closed.
fn open_locked(path: &Path) -> std::io::Result<std::fs::File> {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    fs4::FileExt::lock(&f)?;
    Ok(f)
}

/// Make the locked file `f` start with `head` and end at a record boundary: a file of another
/// layout or model is started afresh, a torn last record is cut off. Returns the file's
/// length after that.
fn repair(f: &mut std::fs::File, head: &[u8], rec: usize) -> std::io::Result<u64> {
    let len = f.metadata()?.len();
    let mut start = vec![0u8; head.len()];
    f.seek(SeekFrom::Start(0))?;
    if len < head.len() as u64 || f.read_exact(&mut start).is_err() || start != head {
        f.set_len(0)?;
        f.seek(SeekFrom::Start(0))?;
        f.write_all(head)?;
        return Ok(head.len() as u64);
    }
    let tail = (len - head.len() as u64) % rec as u64;
    if tail != 0 {
        f.set_len(len - tail)?;
    }
    Ok(len - tail)
}

impl CachedEmbedder {
    /// Cache `inner`'s vectors in `dir` (made if missing).
    pub fn open(inner: Arc<dyn Embedder>, dir: &Path) -> Result<CachedEmbedder, EmbedError> {
        let io = |p: &Path| {
            let p = p.display().to_string();
            move |source| EmbedError::Io { path: p, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let name: String = Sha256::digest(inner.describe().as_bytes())[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let path = dir.join(format!("{name}.vec"));
        let head = header(inner.as_ref());
        let rec = record_len(inner.dim());
        let mut f = open_locked(&path).map_err(io(&path))?;
        let len = repair(&mut f, &head, rec).map_err(io(&path))?;
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        f.seek(SeekFrom::Start(0)).map_err(io(&path))?;
        f.read_to_end(&mut bytes).map_err(io(&path))?;
        let mut known = HashMap::new();
        let mut good = head.len();
        for r in bytes[head.len().min(bytes.len())..].chunks_exact(rec) {
            let Some((k, v)) = decode(r) else { break };
            known.insert(k, v);
            good += rec;
        }
        if good < bytes.len() {
            // A damaged record: what follows it cannot be trusted to be aligned either. Cut
            // it all off; those texts are embedded again.
            f.set_len(good as u64).map_err(io(&path))?;
        }
        Ok(CachedEmbedder {
            inner,
            path,
            head,
            known: Mutex::new(known),
        })
    }

    fn append(&self, records: &[(Key, Vec<f32>)]) -> Result<(), EmbedError> {
        let mut buf = Vec::with_capacity(records.len() * record_len(self.dim()));
        for (k, v) in records {
            encode(k, v, &mut buf);
        }
        let io = |source| EmbedError::Io {
            path: self.path.display().to_string(),
            source,
        };
        // Under the lock, after cutting off what a killed writer left, so that these records
        // start at a record boundary whoever wrote before.
        let mut f = open_locked(&self.path).map_err(io)?;
        let end = repair(&mut f, &self.head, record_len(self.dim())).map_err(io)?;
        f.seek(SeekFrom::Start(end)).map_err(io)?;
        f.write_all(&buf).map_err(io)
    }
}

impl Embedder for CachedEmbedder {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let keys: Vec<Key> = texts.iter().map(|t| key(t)).collect();
        let missing: Vec<(Key, &str)> = {
            let known = self.known.lock().unwrap_or_else(|p| p.into_inner());
            let mut seen = std::collections::HashSet::new();
            keys.iter()
                .zip(texts)
                .filter(|(k, _)| !known.contains_key(*k) && seen.insert(**k))
                .map(|(k, t)| (*k, *t))
                .collect()
        };
        if !missing.is_empty() {
            let new = self
                .inner
                .embed(&missing.iter().map(|m| m.1).collect::<Vec<_>>())?;
            let records: Vec<(Key, Vec<f32>)> = missing.iter().map(|m| m.0).zip(new).collect();
            self.append(&records)?;
            let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
            known.extend(records);
        }
        let known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter()
            .map(|k| {
                known
                    .get(k)
                    .cloned()
                    .ok_or_else(|| EmbedError::Model("a vector went missing from the cache".into()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the texts it is asked to embed.
    #[derive(Debug, Default)]
    struct Counting(Mutex<Vec<String>>);
    impl Embedder for Counting {
        fn describe(&self) -> String {
            "counting".into()
        }
        fn dim(&self) -> usize {
            2
        }
        fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
            self.0
                .lock()
                .unwrap()
                .extend(texts.iter().map(|t| t.to_string()));
            Ok(texts.iter().map(|t| vec![t.len() as f32, 1.0]).collect())
        }
    }

    #[test]
    fn only_new_text_is_embedded_also_after_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let inner = Arc::new(Counting::default());
        let c = CachedEmbedder::open(inner.clone(), dir.path()).unwrap();
        let first = c.embed(&["a", "bb", "a"]).unwrap();
        assert_eq!(first, vec![vec![1.0, 1.0], vec![2.0, 1.0], vec![1.0, 1.0]]);
        let again = c.embed(&["bb", "ccc"]).unwrap();
        assert_eq!(again[0], first[1]);
        assert_eq!(*inner.0.lock().unwrap(), ["a", "bb", "ccc"]);
        // A new process: everything from the file; a torn last record is ignored.
        let path = c.path.clone();
        drop(c);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(&[1, 2, 3]).unwrap();
        let inner2 = Arc::new(Counting::default());
        let c2 = CachedEmbedder::open(inner2.clone(), dir.path()).unwrap();
        assert_eq!(
            c2.embed(&["ccc", "a"]).unwrap(),
            vec![vec![3.0, 1.0], vec![1.0, 1.0]]
        );
        assert!(inner2.0.lock().unwrap().is_empty());
    }

    /// The value `Counting` gives `t`, which the cache must give back.
    fn truth(t: &str) -> Vec<f32> {
        vec![t.len() as f32, 1.0]
    }

    #[test]
    fn a_torn_record_followed_by_another_writer_gives_no_wrong_vector() {
        let dir = tempfile::tempdir().unwrap();
        // Opened before the other writer was killed: it does not know about the torn record.
        let c = CachedEmbedder::open(Arc::new(Counting::default()), dir.path()).unwrap();
        // The killed writer: the key of "zz" and half its vector.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&c.path)
            .unwrap();
        f.write_all(&key("zz")).unwrap();
        f.write_all(&0f32.to_le_bytes()).unwrap();
        drop(f);
        assert_eq!(c.embed(&["bbb"]).unwrap(), vec![truth("bbb")]);
        let inner2 = Arc::new(Counting::default());
        let c2 = CachedEmbedder::open(inner2.clone(), dir.path()).unwrap();
        assert_eq!(
            c2.embed(&["zz", "bbb"]).unwrap(),
            vec![truth("zz"), truth("bbb")]
        );
        // "bbb" was written whole after the torn record and is read back; "zz" never was.
        assert_eq!(*inner2.0.lock().unwrap(), ["zz"]);
    }

    #[test]
    fn a_damaged_record_is_detected_and_embedded_again() {
        let dir = tempfile::tempdir().unwrap();
        let inner = Arc::new(Counting::default());
        let c = CachedEmbedder::open(inner.clone(), dir.path()).unwrap();
        c.embed(&["a", "bb"]).unwrap();
        let path = c.path.clone();
        drop(c);
        let head = header(inner.as_ref()).len();
        let mut bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), head + 2 * record_len(2));
        // A float of the first record zeroed (a block lost in a crash, a flipped bit).
        bytes[head + 32..head + 36].copy_from_slice(&0f32.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        let inner2 = Arc::new(Counting::default());
        let c2 = CachedEmbedder::open(inner2.clone(), dir.path()).unwrap();
        assert_eq!(
            c2.embed(&["a", "bb"]).unwrap(),
            vec![truth("a"), truth("bb")]
        );
        assert_eq!(inner2.0.lock().unwrap().len(), 2, "both embedded again");
        // Rebuilt: a third process reads both from the file.
        let inner3 = Arc::new(Counting::default());
        let c3 = CachedEmbedder::open(inner3.clone(), dir.path()).unwrap();
        assert_eq!(
            c3.embed(&["bb", "a"]).unwrap(),
            vec![truth("bb"), truth("a")]
        );
        assert!(inner3.0.lock().unwrap().is_empty());
    }

    #[test]
    fn writers_at_once_lose_nothing_and_mix_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let texts: Vec<String> = (0..400)
            .map(|i| "x".repeat(i % 37 + 1) + &i.to_string())
            .collect();
        std::thread::scope(|s| {
            for w in 0..4 {
                let texts = &texts;
                let dir = dir.path();
                s.spawn(move || {
                    // Each its own file handle, as separate processes have.
                    let c = CachedEmbedder::open(Arc::new(Counting::default()), dir).unwrap();
                    for chunk in texts[w * 50..w * 50 + 200].chunks(7) {
                        let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
                        c.embed(&refs).unwrap();
                    }
                });
            }
        });
        let inner = Arc::new(Counting::default());
        let c = CachedEmbedder::open(inner.clone(), dir.path()).unwrap();
        let refs: Vec<&str> = texts[..350].iter().map(String::as_str).collect();
        let got = c.embed(&refs).unwrap();
        assert!(refs.iter().zip(&got).all(|(t, v)| *v == truth(t)));
        assert!(inner.0.lock().unwrap().is_empty(), "every vector was kept");
    }

    #[test]
    fn a_cache_of_the_old_layout_is_started_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let inner = Arc::new(Counting::default());
        let c = CachedEmbedder::open(inner.clone(), dir.path()).unwrap();
        let path = c.path.clone();
        drop(c);
        // A version-1 file: same header but the old magic, records without a checksum.
        let mut old = header(inner.as_ref());
        old[..8].copy_from_slice(b"TAVEC01\n");
        old.extend_from_slice(&key("a"));
        old.extend_from_slice(&[0u8; 8]);
        std::fs::write(&path, &old).unwrap();
        let inner2 = Arc::new(Counting::default());
        let c2 = CachedEmbedder::open(inner2.clone(), dir.path()).unwrap();
        assert_eq!(c2.embed(&["a"]).unwrap(), vec![truth("a")]);
        assert_eq!(*inner2.0.lock().unwrap(), ["a"]);
    }
}
