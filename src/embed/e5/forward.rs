//! The BERT encoder forward pass over a chunk of token sequences.
//!
//! The tokens of every sequence in the chunk are concatenated into one `[T, hidden]` matrix,
//! so each weight matrix is streamed once per chunk for all its tokens; attention runs per
//! sequence. A sequence's result does not depend on which other sequences share its chunk
//! (every operation is per token, or per sequence for attention), so the output is the same
//! whatever the batching and the number of threads.

use super::file::{Q4_BLOCK, Weights};
use super::kernels::{QActs, QK, f16_to_f32, matmul};
use super::vecmath::{context, gelu_inplace, scores};

/// Scratch buffers of one chunk.
#[derive(Default)]
struct Scratch {
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    ctx: Vec<f32>,
    tmp: Vec<f32>,
    mid: Vec<f32>,
    acts: QActs,
}

/// Mean-pooled (not normalized) final hidden states of each sequence of `seqs` (token ids
/// including `<s>` and `</s>`). `word` is the model file, holding the Q4 embedding table.
pub(crate) fn forward(w: &Weights, word: &[u8], seqs: &[&[u32]]) -> Vec<Vec<f32>> {
    let h = w.cfg.hidden;
    let total: usize = seqs.iter().map(|s| s.len()).sum();
    let mut bounds = Vec::with_capacity(seqs.len() + 1);
    bounds.push(0);
    for s in seqs {
        bounds.push(bounds[bounds.len() - 1] + s.len());
    }
    let mut x = embed_tokens(w, word, seqs, total);
    let mut sc = Scratch::default();
    for layer in &w.layers {
        sc.acts.quantize(&x, total, h);
        for (m, out) in [
            (&layer.q, &mut sc.q),
            (&layer.k, &mut sc.k),
            (&layer.v, &mut sc.v),
        ] {
            out.resize(total * h, 0.0);
            matmul(m, &sc.acts, out);
        }
        sc.ctx.resize(total * h, 0.0);
        for b in bounds.windows(2) {
            attention(w, &sc.q, &sc.k, &sc.v, &mut sc.ctx, b[0], b[1]);
        }
        sc.acts.quantize(&sc.ctx, total, h);
        sc.tmp.resize(total * h, 0.0);
        matmul(&layer.attn_out, &sc.acts, &mut sc.tmp);
        add_layer_norm(&mut x, &sc.tmp, &layer.attn_ln, h, w.cfg.eps);

        sc.acts.quantize(&x, total, h);
        sc.mid.resize(total * w.cfg.ffn, 0.0);
        matmul(&layer.ffn_in, &sc.acts, &mut sc.mid);
        gelu_inplace(&mut sc.mid);
        sc.acts.quantize(&sc.mid, total, w.cfg.ffn);
        matmul(&layer.ffn_out, &sc.acts, &mut sc.tmp);
        add_layer_norm(&mut x, &sc.tmp, &layer.out_ln, h, w.cfg.eps);
    }
    bounds
        .windows(2)
        .map(|b| {
            let mut mean = vec![0f32; h];
            for row in x[b[0] * h..b[1] * h].chunks_exact(h) {
                for (m, v) in mean.iter_mut().zip(row) {
                    *m += v;
                }
            }
            let inv = 1.0 / (b[1] - b[0]) as f32;
            mean.iter_mut().for_each(|m| *m *= inv);
            mean
        })
        .collect()
}

/// Word + position + token-type embeddings, layer-normalized.
fn embed_tokens(w: &Weights, word: &[u8], seqs: &[&[u32]], total: usize) -> Vec<f32> {
    let h = w.cfg.hidden;
    let row_bytes = h / QK * Q4_BLOCK;
    let mut x = vec![0f32; total * h];
    let mut rows = x.chunks_exact_mut(h);
    for s in seqs {
        for (p, &id) in s.iter().enumerate() {
            let Some(r) = rows.next() else { break };
            let start = w.word_offset + id as usize * row_bytes;
            let q = &word[start..start + row_bytes];
            for (b, blk) in q.chunks_exact(Q4_BLOCK).enumerate() {
                let d = f16_to_f32(u16::from_le_bytes([blk[0], blk[1]]));
                for j in 0..QK / 2 {
                    r[b * QK + j] = ((blk[2 + j] & 0x0F) as f32 - 8.0) * d;
                    r[b * QK + j + 16] = ((blk[2 + j] >> 4) as f32 - 8.0) * d;
                }
            }
            let pos = &w.pos[p * h..(p + 1) * h];
            for ((v, a), b) in r.iter_mut().zip(pos).zip(&w.token_type) {
                *v += a + b;
            }
        }
    }
    for row in x.chunks_exact_mut(h) {
        layer_norm(row, &w.emb_ln, w.cfg.eps);
    }
    x
}

/// Scaled dot-product attention of tokens `s0..s1` (one sequence) over themselves.
fn attention(w: &Weights, q: &[f32], k: &[f32], v: &[f32], ctx: &mut [f32], s0: usize, s1: usize) {
    let h = w.cfg.hidden;
    let hd = h / w.cfg.heads;
    let scale = 1.0 / (hd as f32).sqrt();
    let n = s1 - s0;
    let mut prob = vec![0f32; n];
    // The head's keys transposed (`kt[d * n + s]`), so that the scores of all keys for one
    // query accumulate side by side, one dimension at a time: each score still sums its
    // products in the order d = 0, 1, … (the same bits as a dot product per key), but the
    // loop over keys vectorizes where a dot product's serial sum cannot.
    let mut kt = vec![0f32; hd * n];
    for head in 0..w.cfg.heads {
        let col = head * hd;
        for (s, row) in k[s0 * h..s1 * h].chunks_exact(h).enumerate() {
            for (d, &x) in row[col..col + hd].iter().enumerate() {
                kt[d * n + s] = x;
            }
        }
        for t in s0..s1 {
            let qh = &q[t * h + col..t * h + col + hd];
            scores(qh, &kt, n, &mut prob);
            let mut max = f32::NEG_INFINITY;
            for p in prob.iter_mut() {
                *p *= scale;
                max = max.max(*p);
            }
            let mut sum = 0f32;
            for p in prob.iter_mut() {
                *p = (*p - max).exp();
                sum += *p;
            }
            let inv = 1.0 / sum;
            let vh = &v[s0 * h + col..(s1 - 1) * h + col + hd];
            context(&prob, inv, vh, h, &mut ctx[t * h + col..t * h + col + hd]);
        }
    }
}

/// `x = LayerNorm(x + y)` row by row.
fn add_layer_norm(x: &mut [f32], y: &[f32], ln: &(Vec<f32>, Vec<f32>), h: usize, eps: f32) {
    for (row, add) in x.chunks_exact_mut(h).zip(y.chunks_exact(h)) {
        for (a, b) in row.iter_mut().zip(add) {
            *a += b;
        }
        layer_norm(row, ln, eps);
    }
}

fn layer_norm(row: &mut [f32], (w, b): &(Vec<f32>, Vec<f32>), eps: f32) {
    let n = row.len() as f32;
    let mean = row.iter().sum::<f32>() / n;
    let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
    let inv = 1.0 / (var + eps).sqrt();
    for ((v, g), bb) in row.iter_mut().zip(w).zip(b) {
        *v = (*v - mean) * inv * g + bb;
    }
}
