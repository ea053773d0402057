//! The hot path: 4-bit weights times 8-bit activations.
//!
//! Like the reference engine, activations are quantized per 32-element block to int8 with one
//! scale (so every matrix product runs on integers), and weights stay 4-bit values with one
//! scale per 32-block. Unlike the reference, the bytes are laid out so that one 256-bit
//! register holds, in its eight 32-bit lanes, four bytes of each half of four blocks: the
//! integer dot products of a whole group of 128 elements then accumulate lane-wise with
//! `vpdpbusd` (or `pmaddubsw`+`pmaddwd` on AVX2) without a float conversion per block, and the
//! block scales are applied once per group as a vector. That is about a third of the
//! instructions of the reference's per-block float accumulation.
//!
//! Group layout (128 elements = 4 blocks of 32): byte `s*32 + l*4 + k` (step `s` in 0..4, lane
//! `l` in 0..8, byte `k` in 0..4) holds element `(l/2)*32 + (l%2)*16 + s*4 + k` of the group.

/// Elements per quantization block.
pub(crate) const QK: usize = 32;
/// Elements per group (four blocks; the unit of the packed layout).
pub(crate) const GROUP: usize = 128;
const LANES: usize = 8;

/// `y` rounded to the nearest integer, ties to even, as C's `lrintf` in the default rounding
/// mode, for |y| < 2²² (quantized values are within ±128). Adding and subtracting 1.5 · 2²³
/// makes the FPU round at the units place; unlike `f32::round_ties_even`, which is a call to
/// `rintf` on the baseline x86-64 target, it is two additions that vectorize, and it gives the
/// same integer (only a zero's sign may differ), so vectors, and those cached, do not change.
#[inline(always)]
fn round_half_even(y: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0;
    (y + MAGIC) - MAGIC
}

/// Position in a packed group of element `e` (0..128) of that group.
fn packed_index(e: usize) -> usize {
    let block = e / QK;
    let half = (e % QK) / 16;
    let within = e % 16;
    let lane = block * 2 + half;
    (within / 4) * 32 + lane * 4 + within % 4
}

/// A weight matrix `[nout, nin]` in the packed 4-bit-as-bytes layout.
#[derive(Debug)]
pub(crate) struct QMatrix {
    pub(crate) nout: usize,
    pub(crate) nin: usize,
    /// Unsigned weights 0..=15 (the stored nibble; the offset 8 is subtracted via the
    /// activation sums), packed per group, row-major.
    w: Vec<u8>,
    /// Per row and group, the eight lane scales (each block's scale twice).
    scale: Vec<f32>,
    bias: Vec<f32>,
}

impl QMatrix {
    /// Build from Q4_0 rows: per row, `nin/32` blocks of (f16 scale, 16 bytes of nibbles; byte
    /// `j` holds weight `j` in its low and weight `j+16` in its high nibble).
    pub(crate) fn from_q4(raw: &[u8], nout: usize, nin: usize, bias: Vec<f32>) -> QMatrix {
        let nb = nin / QK;
        let ng = nin / GROUP;
        let mut w = vec![0u8; nout * nin];
        let mut scale = vec![0f32; nout * ng * LANES];
        for r in 0..nout {
            for b in 0..nb {
                let blk = &raw[(r * nb + b) * 18..(r * nb + b + 1) * 18];
                let d = f16_to_f32(u16::from_le_bytes([blk[0], blk[1]]));
                let (g, bi) = (b / 4, b % 4);
                let lane0 = (r * ng + g) * LANES + bi * 2;
                scale[lane0] = d;
                scale[lane0 + 1] = d;
                let row = &mut w[r * nin + g * GROUP..r * nin + (g + 1) * GROUP];
                for j in 0..16 {
                    let q = blk[2 + j];
                    row[packed_index(bi * QK + j)] = q & 0x0F;
                    row[packed_index(bi * QK + j + 16)] = q >> 4;
                }
            }
        }
        QMatrix {
            nout,
            nin,
            w,
            scale,
            bias,
        }
    }
}

/// Activations `[t, nin]` quantized to int8 per block, in the packed layout.
#[derive(Debug, Default)]
pub(crate) struct QActs {
    t: usize,
    nin: usize,
    q: Vec<i8>,
    /// Per token and group, the eight lane scales.
    scale: Vec<f32>,
    /// Per token and group, 8 × the sum of the lane's sixteen int8 values.
    corr: Vec<i32>,
}

impl QActs {
    /// Quantize `x` (`t` rows of `nin`) into `self`, reusing its buffers.
    pub(crate) fn quantize(&mut self, x: &[f32], t: usize, nin: usize) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: the feature the function is compiled for was detected above.
                unsafe { x86::quantize_avx2(self, x, t, nin) };
                return;
            }
        }
        self.quantize_with(x, t, nin, quantize_block);
    }

    /// Quantize block by block with `block` (one of two implementations of the same
    /// arithmetic), which writes a block's bytes into its group and returns the block's scale
    /// and the sums of its two halves.
    #[inline(always)]
    fn quantize_with(
        &mut self,
        x: &[f32],
        t: usize,
        nin: usize,
        mut block: impl FnMut(&[f32], &mut [i8], usize) -> (f32, [i32; 2]),
    ) {
        let ng = nin / GROUP;
        self.t = t;
        self.nin = nin;
        self.q.resize(t * nin, 0);
        self.scale.resize(t * ng * LANES, 0.0);
        self.corr.resize(t * ng * LANES, 0);
        for tok in 0..t {
            let row = &x[tok * nin..(tok + 1) * nin];
            for g in 0..ng {
                let out = &mut self.q[tok * nin + g * GROUP..tok * nin + (g + 1) * GROUP];
                let lanes = (tok * ng + g) * LANES;
                for bi in 0..4 {
                    let blk = &row[g * GROUP + bi * QK..g * GROUP + (bi + 1) * QK];
                    let (d, sums) = block(blk, out, bi);
                    for (h, sum) in sums.iter().enumerate() {
                        self.scale[lanes + bi * 2 + h] = d;
                        self.corr[lanes + bi * 2 + h] = 8 * sum;
                    }
                }
            }
        }
    }
}

/// Quantize block `bi` (32 values) of a group into the group's packed bytes `out`; returns
/// the scale and the sums of the two halves' int8 values.
fn quantize_block(blk: &[f32], out: &mut [i8], bi: usize) -> (f32, [i32; 2]) {
    let amax = blk.iter().fold(0f32, |m, v| m.max(v.abs()));
    let d = amax / 127.0;
    let id = if d > 0.0 { 1.0 / d } else { 0.0 };
    let mut qs = [0i32; QK];
    for (q, &v) in qs.iter_mut().zip(blk) {
        *q = round_half_even(v * id).clamp(-128.0, 127.0) as i32;
    }
    // Four consecutive elements stay together in the packed layout: element `h*16 + s*4 + k`
    // of block `bi` goes to byte `s*32 + (2*bi + h)*4 + k` (see `packed_index`), so the block
    // is copied four bytes at a time.
    let mut sums = [0i32; 2];
    for (h, half) in qs.chunks_exact(16).enumerate() {
        sums[h] = half.iter().sum();
        for (st, four) in half.chunks_exact(4).enumerate() {
            let at = st * 32 + (2 * bi + h) * 4;
            for (o, &q) in out[at..at + 4].iter_mut().zip(four) {
                *o = q as i8;
            }
        }
    }
    (d, sums)
}

/// `y[t, nout] = x · wᵀ + bias`.
pub(crate) fn matmul(w: &QMatrix, x: &QActs, y: &mut [f32]) {
    debug_assert_eq!(w.nin, x.nin);
    debug_assert!(y.len() >= x.t * w.nout);
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512vnni")
            && std::is_x86_feature_detected!("avx512vl")
            && std::is_x86_feature_detected!("fma")
        {
            // SAFETY: the features the function is compiled for were detected above.
            unsafe { x86::matmul_vnni(w, x, y) };
            return;
        }
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            // SAFETY: as above.
            unsafe { x86::matmul_avx2(w, x, y) };
            return;
        }
    }
    matmul_scalar(w, x, y);
}

/// Portable fallback with the same arithmetic (integer lane sums, scales per lane, fused
/// multiply-adds per lane, the same final sum), so the same bits as the vector kernels.
fn matmul_scalar(w: &QMatrix, x: &QActs, y: &mut [f32]) {
    let (nin, nout) = (w.nin, w.nout);
    let ng = nin / GROUP;
    for t in 0..x.t {
        let a = &x.q[t * nin..(t + 1) * nin];
        for o in 0..nout {
            let wr = &w.w[o * nin..(o + 1) * nin];
            // One float accumulator per lane, fused multiply-adds, and at the end the pairwise
            // sum of the vector kernels' `hsum` — so that this path gives the same bits as the
            // AVX2 and VNNI ones (a vector cache is keyed by the model, not by the CPU).
            let mut acc = [0f32; LANES];
            for g in 0..ng {
                let mut lane = [0i32; LANES];
                for s in 0..4 {
                    for (l, lv) in lane.iter_mut().enumerate() {
                        for k in 0..4 {
                            let i = g * GROUP + s * 32 + l * 4 + k;
                            *lv += wr[i] as i32 * a[i] as i32;
                        }
                    }
                }
                for (l, lv) in lane.iter().enumerate() {
                    let li = (t * ng + g) * LANES + l;
                    let wi = (o * ng + g) * LANES + l;
                    let v = (lv - x.corr[li]) as f32;
                    acc[l] = v.mul_add(w.scale[wi] * x.scale[li], acc[l]);
                }
            }
            let half: [f32; 4] = std::array::from_fn(|k| acc[k] + acc[k + 4]);
            y[t * nout + o] = w.bias[o] + ((half[0] + half[2]) + (half[1] + half[3]));
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{GROUP, LANES, QActs, QK, QMatrix};
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx2")]
    pub(super) fn quantize_avx2(acts: &mut QActs, x: &[f32], t: usize, nin: usize) {
        acts.quantize_with(x, t, nin, |b, o, i| quantize_block_avx2(b, o, i));
    }

    /// `quantize_block` on eight lanes: the same maximum (NaN ignored, as `f32::max` does),
    /// the same scale computed by the same scalar code, the same rounding by adding and
    /// subtracting 1.5 · 2²³, the same clamp (NaN kept) and cast (NaN to 0).
    #[target_feature(enable = "avx2")]
    fn quantize_block_avx2(blk: &[f32], out: &mut [i8], bi: usize) -> (f32, [i32; 2]) {
        assert!(blk.len() == QK && out.len() == GROUP && bi < 4);
        // SAFETY: `blk` holds 32 f32, read as four unaligned vectors of eight.
        let v: [__m256; 4] =
            std::array::from_fn(|i| unsafe { _mm256_loadu_ps(blk.as_ptr().add(8 * i)) });
        let abs = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fff_ffff));
        let mut m = _mm256_setzero_ps();
        for vi in v {
            // maxps returns its second operand when one is NaN: a NaN element leaves `m`.
            m = _mm256_max_ps(_mm256_and_ps(vi, abs), m);
        }
        let m = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        let m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        let amax = _mm_cvtss_f32(_mm_max_ss(m, _mm_shuffle_ps(m, m, 1)));
        let d = amax / 127.0;
        let id = if d > 0.0 { 1.0 / d } else { 0.0 };
        let magic = _mm256_set1_ps(12_582_912.0);
        let (lo, hi) = (_mm256_set1_ps(-128.0), _mm256_set1_ps(127.0));
        let q: [__m256i; 4] = std::array::from_fn(|i| {
            let y = _mm256_mul_ps(v[i], _mm256_set1_ps(id));
            let r = _mm256_sub_ps(_mm256_add_ps(y, magic), magic);
            let r = _mm256_blendv_ps(r, lo, _mm256_cmp_ps::<_CMP_LT_OQ>(r, lo));
            let r = _mm256_blendv_ps(r, hi, _mm256_cmp_ps::<_CMP_GT_OQ>(r, hi));
            let r = _mm256_and_ps(r, _mm256_cmp_ps::<_CMP_ORD_Q>(r, r));
            _mm256_cvttps_epi32(r)
        });
        let sums = [
            hsum_i32(_mm256_add_epi32(q[0], q[1])),
            hsum_i32(_mm256_add_epi32(q[2], q[3])),
        ];
        // packs (within 128-bit halves) leaves the block's 4-byte words in the order
        // 0 2 4 6 1 3 5 7; the permutation makes it 0 4 1 5 2 6 3 7, so that 64-bit piece `s`
        // holds words `s` and `4 + s` (half 0 and half 1 of step `s`), which go together to
        // bytes `s*32 + bi*8` of the packed group.
        let bytes = _mm256_packs_epi16(
            _mm256_packs_epi32(q[0], q[1]),
            _mm256_packs_epi32(q[2], q[3]),
        );
        let bytes = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7));
        let mut pieces = [0u64; 4];
        // SAFETY: `pieces` is 32 bytes.
        unsafe { _mm256_storeu_si256(pieces.as_mut_ptr() as *mut __m256i, bytes) };
        for (s, p) in pieces.iter().enumerate() {
            let at = s * 32 + bi * 8;
            for (o, b) in out[at..at + 8].iter_mut().zip(p.to_le_bytes()) {
                *o = b as i8;
            }
        }
        (d, sums)
    }

    #[target_feature(enable = "avx2")]
    fn hsum_i32(v: __m256i) -> i32 {
        let s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        let s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
        let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 1));
        _mm_cvtsi128_si32(s)
    }

    /// One instruction set's integer dot product over the four steps of a group.
    trait Dot {
        /// Add the products of one step, `w[4l+k]·a[4l+k]` (w unsigned, a signed), to `acc`,
        /// in the kernel's own accumulator format.
        unsafe fn step(acc: __m256i, w: __m256i, a: __m256i) -> __m256i;
        /// The accumulator of a group as eight 32-bit lane sums `Σ_k w[4l+k]·a[4l+k]`.
        unsafe fn finish(acc: __m256i) -> __m256i;
    }
    struct Vnni;
    struct Avx2;
    impl Dot for Vnni {
        #[inline(always)]
        unsafe fn step(acc: __m256i, w: __m256i, a: __m256i) -> __m256i {
            unsafe { _mm256_dpbusd_epi32(acc, w, a) }
        }
        #[inline(always)]
        unsafe fn finish(acc: __m256i) -> __m256i {
            acc
        }
    }
    impl Dot for Avx2 {
        /// The pairwise products accumulate as 16-bit sums over the group's four steps and
        /// widen to 32 bits once per group (one multiply instruction per step instead of two):
        /// w ≤ 15 and |a| ≤ 128, so a pair is within ±3,840 and four steps within ±15,360,
        /// and neither `pmaddubsw` saturates nor the 16-bit sum wraps. Integer sums are exact,
        /// so each lane's total is the same as summing 32-bit products step by step.
        #[inline(always)]
        unsafe fn step(acc: __m256i, w: __m256i, a: __m256i) -> __m256i {
            unsafe { _mm256_add_epi16(acc, _mm256_maddubs_epi16(w, a)) }
        }
        #[inline(always)]
        unsafe fn finish(acc: __m256i) -> __m256i {
            unsafe { _mm256_madd_epi16(acc, _mm256_set1_epi16(1)) }
        }
    }

    #[target_feature(enable = "avx2,fma,avx512f,avx512vl,avx512vnni")]
    pub(super) unsafe fn matmul_vnni(w: &QMatrix, x: &QActs, y: &mut [f32]) {
        unsafe { matmul_generic::<Vnni, 4, 2>(w, x, y) }
    }

    /// Four rows and one token per tile on AVX2: with two tokens (the VNNI tile), the eight
    /// float accumulators that live across groups and the eight integer ones of a group do not
    /// fit the sixteen registers; one token embedded textberg test0 8-11 % faster (session 10).
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn matmul_avx2(w: &QMatrix, x: &QActs, y: &mut [f32]) {
        unsafe { matmul_generic::<Avx2, 4, 1>(w, x, y) }
    }

    /// `R` rows of the weight matrix and `TT` tokens computed together: each loaded weight
    /// vector is used for `TT` tokens and each activation vector for `R` rows.
    #[inline(always)]
    unsafe fn matmul_generic<D: Dot, const R: usize, const TT: usize>(
        w: &QMatrix,
        x: &QActs,
        y: &mut [f32],
    ) {
        let nout = w.nout;
        let mut o = 0;
        while o < nout {
            let r = (nout - o).min(R);
            let mut t = 0;
            while t < x.t {
                let tt = (x.t - t).min(TT);
                unsafe {
                    match (r == R, tt == TT) {
                        (true, true) => tile::<D, R, TT>(w, x, y, o, t),
                        (true, false) => {
                            for k in 0..tt {
                                tile::<D, R, 1>(w, x, y, o, t + k)
                            }
                        }
                        (false, true) => tile::<D, 1, TT>(w, x, y, o, t),
                        (false, false) => {
                            for k in 0..tt {
                                tile::<D, 1, 1>(w, x, y, o, t + k)
                            }
                        }
                    }
                }
                t += tt;
            }
            o += if r == R { R } else { 1 };
        }
    }

    #[inline(always)]
    unsafe fn hsum(v: __m256) -> f32 {
        unsafe {
            let lo = _mm256_castps256_ps128(v);
            let hi = _mm256_extractf128_ps(v, 1);
            let s = _mm_add_ps(lo, hi);
            let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
            let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
            _mm_cvtss_f32(s)
        }
    }

    /// Outputs of rows `o..o+RR` for tokens `t..t+T2`.
    #[inline(always)]
    unsafe fn tile<D: Dot, const RR: usize, const T2: usize>(
        w: &QMatrix,
        x: &QActs,
        y: &mut [f32],
        o: usize,
        t: usize,
    ) {
        let nin = w.nin;
        let ng = nin / GROUP;
        let wp = w.w.as_ptr();
        let ap = x.q.as_ptr();
        unsafe {
            let mut facc = [[_mm256_setzero_ps(); T2]; RR];
            for g in 0..ng {
                let mut iacc = [[_mm256_setzero_si256(); T2]; RR];
                for s in 0..4 {
                    let off = g * GROUP + s * 32;
                    let mut av = [_mm256_setzero_si256(); T2];
                    for (i, a) in av.iter_mut().enumerate() {
                        *a = _mm256_loadu_si256(ap.add((t + i) * nin + off) as *const __m256i);
                    }
                    for (r, acc) in iacc.iter_mut().enumerate() {
                        let wv = _mm256_loadu_si256(wp.add((o + r) * nin + off) as *const __m256i);
                        for (i, a) in av.iter().enumerate() {
                            acc[i] = D::step(acc[i], wv, *a);
                        }
                    }
                }
                for i in 0..T2 {
                    let li = ((t + i) * ng + g) * LANES;
                    let corr = _mm256_loadu_si256(x.corr.as_ptr().add(li) as *const __m256i);
                    let da = _mm256_loadu_ps(x.scale.as_ptr().add(li));
                    for r in 0..RR {
                        let dw = _mm256_loadu_ps(w.scale.as_ptr().add(((o + r) * ng + g) * LANES));
                        let v = _mm256_cvtepi32_ps(_mm256_sub_epi32(D::finish(iacc[r][i]), corr));
                        facc[r][i] = _mm256_fmadd_ps(v, _mm256_mul_ps(dw, da), facc[r][i]);
                    }
                }
            }
            for (r, row) in facc.iter().enumerate() {
                for (i, v) in row.iter().enumerate() {
                    y[(t + i) * w.nout + o + r] = w.bias[o + r] + hsum(*v);
                }
            }
        }
    }
}

/// IEEE half to single precision.
pub(crate) fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exp = ((h >> 10) & 0x1F) as u32;
    let man = (h & 0x3FF) as u32;
    let bits = match (exp, man) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: value = man · 2^-24.
            let v = man as f32 * f32::from_bits(0x3380_0000);
            return if sign != 0 { -v } else { v };
        }
        (31, _) => sign | 0x7F80_0000 | (man << 13),
        _ => sign | ((exp + 112) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_matches_round_ties_even() {
        // Every multiple of 1/64 in ±200 (all ties included), plus values just off the ties.
        for i in -12_800..=12_800 {
            let y = i as f32 / 64.0;
            for v in [
                y,
                f32::from_bits(y.to_bits() + 1),
                f32::from_bits(y.to_bits().max(1) - 1),
            ] {
                // The sign of a zero may differ (-0.5 gives +0); the integer does not.
                assert_eq!(round_half_even(v) as i32, v.round_ties_even() as i32, "{v}");
            }
        }
    }

    /// A deterministic pseudo-random sequence (no extra dependency for a test).
    fn lcg(seed: &mut u64) -> u32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 33) as u32
    }

    #[test]
    fn packed_layout_is_a_permutation() {
        let mut seen = [false; GROUP];
        for e in 0..GROUP {
            let p = packed_index(e);
            assert!(!seen[p], "{e} collides");
            seen[p] = true;
        }
    }

    #[test]
    fn f16_conversion() {
        assert_eq!(f16_to_f32(0x3C00), 1.0);
        assert_eq!(f16_to_f32(0xC000), -2.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x7BFF), 65504.0);
    }

    /// Every kernel agrees with the plain float product of the dequantized operands.
    #[test]
    fn matmul_matches_dequantized_product() {
        check_matmul(false);
        // The largest integer sums: all nibbles 15 (or 0) against activations all ±1 (int8
        // ±127), which would overflow a 16-bit sum of more than four steps.
        check_matmul(true);
    }

    fn check_matmul(extreme: bool) {
        let (nout, nin, t) = (9, 256, 5);
        let mut seed = 7;
        let nb = nin / QK;
        let mut raw = vec![0u8; nout * nb * 18];
        let mut deq = vec![0f32; nout * nin];
        for r in 0..nout {
            for b in 0..nb {
                let blk = &mut raw[(r * nb + b) * 18..(r * nb + b + 1) * 18];
                let d: f32 = 0.01 * (1 + lcg(&mut seed) % 7) as f32;
                blk[..2].copy_from_slice(&half_bits(d).to_le_bytes());
                let d = f16_to_f32(half_bits(d));
                for j in 0..16 {
                    let q = match (extreme, r % 3) {
                        (false, _) => (lcg(&mut seed) % 256) as u8,
                        (true, 0) => 0xFF,
                        (true, 1) => 0x00,
                        (true, _) => 0xF0,
                    };
                    blk[2 + j] = q;
                    deq[r * nin + b * QK + j] = ((q & 15) as f32 - 8.0) * d;
                    deq[r * nin + b * QK + j + 16] = ((q >> 4) as f32 - 8.0) * d;
                }
            }
        }
        let bias: Vec<f32> = (0..nout).map(|i| i as f32 * 0.1).collect();
        let w = QMatrix::from_q4(&raw, nout, nin, bias.clone());
        let x: Vec<f32> = (0..t * nin)
            .map(|i| match extreme {
                false => (lcg(&mut seed) % 2001) as f32 / 1000.0 - 1.0,
                true => [1.0, -1.0][i / nin % 2],
            })
            .collect();
        let mut qa = QActs::default();
        qa.quantize(&x, t, nin);
        let mut y = vec![0f32; t * nout];
        matmul(&w, &qa, &mut y);
        let mut ys = vec![0f32; t * nout];
        matmul_scalar(&w, &qa, &mut ys);
        for tok in 0..t {
            for o in 0..nout {
                let exact: f32 = bias[o]
                    + (0..nin)
                        .map(|i| deq[o * nin + i] * x[tok * nin + i])
                        .sum::<f32>();
                let got = y[tok * nout + o];
                // The portable path gives the vector kernels' bits exactly (a vector cache
                // written on one CPU is read on another).
                assert_eq!(
                    got.to_bits(),
                    ys[tok * nout + o].to_bits(),
                    "kernel {got} vs scalar {}",
                    ys[tok * nout + o]
                );
                assert!(
                    (got - exact).abs() < 0.05 * exact.abs().max(1.0),
                    "{got} vs {exact}"
                );
            }
        }
    }

    /// The vector quantization gives the scalar's bytes, scales and sums bit for bit: random
    /// rows, exact ties (k + 0.5 after scaling), all-zero, tiny (subnormal scale), huge and
    /// non-finite blocks.
    #[test]
    fn quantize_matches_scalar() {
        let (t, nin) = (7, 256);
        let mut seed = 11;
        let mut x: Vec<f32> = (0..t * nin)
            .map(|_| (lcg(&mut seed) % 20001) as f32 / 1000.0 - 10.0)
            .collect();
        // Row 1: multiples of 0.5 with a maximum of 127, so v · 127/127 hits every tie.
        for (i, v) in x[nin..2 * nin].iter_mut().enumerate() {
            *v = ((i % 255) as f32 - 127.0) * if i % 3 == 0 { 0.5 } else { 1.0 };
        }
        x[nin] = 127.0;
        // Row 2: zeros, subnormals, a NaN, infinities and huge values, one kind per block.
        let r2 = &mut x[2 * nin..3 * nin];
        r2[..32].fill(0.0);
        r2[32..64]
            .iter_mut()
            .enumerate()
            .for_each(|(i, v)| *v = f32::from_bits(i as u32 * 3));
        r2[70] = f32::NAN;
        r2[100] = f32::INFINITY;
        r2[130] = f32::NEG_INFINITY;
        r2[160..192].iter_mut().for_each(|v| *v = f32::MAX / 2.0);
        r2[200] = -1e-40;
        let mut fast = QActs::default();
        fast.quantize(&x, t, nin);
        let mut slow = QActs::default();
        slow.quantize_with(&x, t, nin, quantize_block);
        assert_eq!(fast.q, slow.q);
        assert_eq!(fast.corr, slow.corr);
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&fast.scale), bits(&slow.scale));
        assert!(slow.q.contains(&127) && slow.corr.iter().any(|&c| c != 0));
    }

    /// f32 → f16 bits for normal values (test helper).
    fn half_bits(v: f32) -> u16 {
        let b = v.to_bits();
        let exp = ((b >> 23) & 0xFF) as i32 - 127 + 15;
        (((b >> 16) & 0x8000) | ((exp as u32) << 10) | ((b >> 13) & 0x3FF)) as u16
    }
}
