//! A cache of sentence vectors on disk, keyed by the text's SHA-256 and the model, so that
//! re-aligning after an edit embeds only the new text.
//!
//! One file per model (named by the hash of [`Embedder::describe`], which holds the model's
//! checksum or the endpoint and model name) in `<model dir>/vectors/`. The file is a header
//! (magic, dimension, the description) and then records of 32 key bytes + `dim` little-endian
//! floats, only ever appended, each batch of new records in one write: a record cut short by a
//! crash is ignored on the next read, and a reader never sees a half-written one as whole.

use super::{EmbedError, Embedder};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const MAGIC: &[u8; 8] = b"TAVEC01\n";

type Key = [u8; 32];

/// An [`Embedder`] that remembers what it embedded.
pub struct CachedEmbedder {
    inner: Arc<dyn Embedder>,
    path: PathBuf,
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
        let dim = inner.dim();
        let mut known = HashMap::new();
        match std::fs::read(&path) {
            Ok(bytes) if bytes.starts_with(&head) => {
                let rec = 32 + 4 * dim;
                let whole = head.len() + (bytes.len() - head.len()) / rec * rec;
                if whole < bytes.len() {
                    // A record cut short by a crash: cut it off, so that appends stay aligned.
                    let f = std::fs::OpenOptions::new()
                        .write(true)
                        .open(&path)
                        .map_err(io(&path))?;
                    f.set_len(whole as u64).map_err(io(&path))?;
                }
                for r in bytes[head.len()..whole].chunks_exact(rec) {
                    let mut k = [0u8; 32];
                    k.copy_from_slice(&r[..32]);
                    let v = r[32..]
                        .chunks_exact(4)
                        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                        .collect();
                    known.insert(k, v);
                }
            }
            // Missing, or another layout/model under the same name: start afresh.
            Ok(_) | Err(_) => {
                crate::fsutil::write_atomic(&path, &head)
                    .map_err(|e| EmbedError::Model(e.to_string()))?;
            }
        }
        Ok(CachedEmbedder {
            inner,
            path,
            known: Mutex::new(known),
        })
    }

    fn append(&self, records: &[(Key, Vec<f32>)]) -> Result<(), EmbedError> {
        let mut buf = Vec::with_capacity(records.len() * (32 + 4 * self.dim()));
        for (k, v) in records {
            buf.extend_from_slice(k);
            buf.extend(v.iter().flat_map(|x| x.to_le_bytes()));
        }
        let io = |source| EmbedError::Io {
            path: self.path.display().to_string(),
            source,
        };
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&self.path)
            .map_err(io)?;
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
}
