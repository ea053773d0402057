//! The forward pass's float functions over eight lanes, with exactly the scalar results.
//!
//! Cached vectors are keyed by the model's description only, so a faster kernel may not change
//! a single bit of the output. The GELU here is therefore not an approximation of erf: it is
//! the `libm` crate's `erff` (FreeBSD's `s_erff.c`) and the `expf` it calls, operation by
//! operation in the same order, without fused multiply-adds, with each `if` computed on every
//! lane and chosen by a blend. Where two branches share the shape of a polynomial, one Horner
//! pass with per-lane coefficients does both: a padded coefficient of 0 adds `t · 0 = +0`
//! (t ≥ 0), which leaves every intermediate result bit-identical.

/// The exact (erf) GELU, as BERT uses it: the reference the vector code must reproduce.
pub(crate) fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// `gelu` of every element in place: eight lanes at a time on AVX2, else one at a time.
pub(crate) fn gelu_inplace(v: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the feature the function is compiled for was detected above.
            unsafe { x86::gelu_avx2(v) };
            return;
        }
    }
    v.iter_mut().for_each(|x| *x = gelu(*x));
}

/// Attention scores of one query: `out[s] = Σ_d q[d] · kt[d·n + s]` for `s` in `0..n`, with
/// `kt` a head's keys transposed. Each sum starts at 0 and adds its products in the order
/// d = 0, 1, …, whether it runs on a vector lane or alone.
pub(crate) fn scores(q: &[f32], kt: &[f32], n: usize, out: &mut [f32]) {
    assert!(kt.len() >= q.len() * n && out.len() >= n);
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the feature the function is compiled for was detected above.
            unsafe { x86::scores_avx2(q, kt, n, out) };
            return;
        }
    }
    scores_from(q, kt, n, out, 0);
}

/// `scores` of keys `from..n`, the keys side by side (so that plain code vectorizes too).
fn scores_from(q: &[f32], kt: &[f32], n: usize, out: &mut [f32], from: usize) {
    let out = &mut out[from..n];
    out.fill(0.0);
    for (&a, kd) in q.iter().zip(kt.chunks_exact(n)) {
        for (o, &b) in out.iter_mut().zip(&kd[from..]) {
            *o += a * b;
        }
    }
}

/// The context of one query: `out[d] = Σ_s (p[s] · inv) · v[s·stride + d]`, each sum from 0 in
/// the order s = 0, 1, … (rows of `v` are `stride` apart; `out.len()` is the head's width).
pub(crate) fn context(p: &[f32], inv: f32, v: &[f32], stride: usize, out: &mut [f32]) {
    let hd = out.len();
    assert!(p.is_empty() || v.len() >= (p.len() - 1) * stride + hd);
    #[cfg(target_arch = "x86_64")]
    {
        if hd.is_multiple_of(8) && std::is_x86_feature_detected!("avx2") {
            // SAFETY: the feature the function is compiled for was detected above.
            unsafe { x86::context_avx2(p, inv, v, stride, out) };
            return;
        }
    }
    context_scalar(p, inv, v, stride, out);
}

/// `context` one element at a time (the reference of the vector code).
fn context_scalar(p: &[f32], inv: f32, v: &[f32], stride: usize, out: &mut [f32]) {
    let hd = out.len();
    out.fill(0.0);
    for (s, &ps) in p.iter().enumerate() {
        let pv = ps * inv;
        for (o, x) in out.iter_mut().zip(&v[s * stride..s * stride + hd]) {
            *o += pv * x;
        }
    }
}

// The constants are spelt as in libm's source (more digits than an f32 holds, the same f32
// values), so that they can be checked against it line by line.
#[allow(clippy::excessive_precision)]
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    // erff's constants (libm 0.2.16, src/math/erff.rs), named as there.
    const ERX: f32 = 8.4506291151e-01;
    const EFX8: f32 = 1.0270333290e+00;
    /// Numerator of erf on |x| < 0.84375 (in x²), padded with zeros to erfc1's degree.
    const PP: [f32; 7] = [
        1.2837916613e-01,
        -3.2504209876e-01,
        -2.8481749818e-02,
        -5.7702702470e-03,
        -2.3763017452e-05,
        0.0,
        0.0,
    ];
    /// Its denominator's coefficients 1..=6 (the constant term is 1).
    const QQ: [f32; 6] = [
        3.9791721106e-01,
        6.5022252500e-02,
        5.0813062117e-03,
        1.3249473704e-04,
        -3.9602282413e-06,
        0.0,
    ];
    /// erfc1 on 0.84375 ≤ |x| < 1.25 (in |x| − 1).
    const PA: [f32; 7] = [
        -2.3621185683e-03,
        4.1485610604e-01,
        -3.7220788002e-01,
        3.1834661961e-01,
        -1.1089469492e-01,
        3.5478305072e-02,
        -2.1663755178e-03,
    ];
    const QA: [f32; 6] = [
        1.0642088205e-01,
        5.4039794207e-01,
        7.1828655899e-02,
        1.2617121637e-01,
        1.3637083583e-02,
        1.1984500103e-02,
    ];
    /// erfc2 on 1.25 ≤ |x| < 1/0.35 (in 1/x²).
    const RA: [f32; 8] = [
        -9.8649440333e-03,
        -6.9385856390e-01,
        -1.0558626175e+01,
        -6.2375331879e+01,
        -1.6239666748e+02,
        -1.8460508728e+02,
        -8.1287437439e+01,
        -9.8143291473e+00,
    ];
    const SA: [f32; 8] = [
        1.9651271820e+01,
        1.3765776062e+02,
        4.3456588745e+02,
        6.4538726807e+02,
        4.2900814819e+02,
        1.0863500214e+02,
        6.5702495575e+00,
        -6.0424413532e-02,
    ];
    /// erfc2 on 1/0.35 ≤ |x| < 6, padded with zeros to the degree of the range below.
    const RB: [f32; 8] = [
        -9.8649431020e-03,
        -7.9928326607e-01,
        -1.7757955551e+01,
        -1.6063638306e+02,
        -6.3756646729e+02,
        -1.0250950928e+03,
        -4.8351919556e+02,
        0.0,
    ];
    const SB: [f32; 8] = [
        3.0338060379e+01,
        3.2579251099e+02,
        1.5367296143e+03,
        3.1998581543e+03,
        2.5530502930e+03,
        4.7452853394e+02,
        -2.2440952301e+01,
        0.0,
    ];

    // expf's constants (libm 0.2.16, src/math/expf.rs).
    const LN2_HI: f32 = 6.9314575195e-01;
    const LN2_LO: f32 = 1.4286067653e-06;
    const INV_LN2: f32 = 1.4426950216e+00;
    const P1: f32 = 1.6666625440e-1;
    const P2: f32 = -2.7667332906e-3;

    #[target_feature(enable = "avx2")]
    fn splat(c: f32) -> __m256 {
        _mm256_set1_ps(c)
    }

    /// Lanes where the integer `a < b` (both non-negative bit patterns), as a float mask.
    #[target_feature(enable = "avx2")]
    fn lt(a: __m256i, b: u32) -> __m256 {
        _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(b as i32), a))
    }

    /// `m ? a : b` per lane.
    #[target_feature(enable = "avx2")]
    fn pick(m: __m256, a: __m256, b: __m256) -> __m256 {
        _mm256_blendv_ps(b, a, m)
    }

    /// Per-lane coefficients: `m ? a : b`.
    #[target_feature(enable = "avx2")]
    fn coef(m: __m256, a: f32, b: f32) -> __m256 {
        pick(m, splat(a), splat(b))
    }

    /// `c[0] + t·(c[1] + t·(… + t·c[n-1]))`, the libm's Horner order, coefficients per lane.
    #[target_feature(enable = "avx2")]
    fn horner<const N: usize>(t: __m256, m: __m256, a: &[f32; N], b: &[f32; N]) -> __m256 {
        let mut acc = coef(m, a[N - 1], b[N - 1]);
        for i in (0..N - 1).rev() {
            acc = _mm256_add_ps(coef(m, a[i], b[i]), _mm256_mul_ps(t, acc));
        }
        acc
    }

    /// `1 + t·(c[0] + t·(c[1] + …))`: a denominator with constant term 1.
    #[target_feature(enable = "avx2")]
    fn horner1<const N: usize>(t: __m256, m: __m256, a: &[f32; N], b: &[f32; N]) -> __m256 {
        _mm256_add_ps(splat(1.0), _mm256_mul_ps(t, horner(t, m, a, b)))
    }

    /// libm's `expf` for the arguments erfc2 gives it (−37 < x < 1: no overflow, underflow or
    /// NaN, so its first branch never applies and `scalbnf` is one multiplication by 2^k).
    #[target_feature(enable = "avx2")]
    fn expf8(x: __m256) -> __m256 {
        let bits = _mm256_castps_si256(x);
        let hx = _mm256_and_si256(bits, _mm256_set1_epi32(0x7fff_ffff));
        let neg = _mm256_castsi256_ps(_mm256_srai_epi32(bits, 31));
        // k: round(x / ln 2) beyond 1.5 ln 2, ±1 between 0.5 ln 2 and 1.5 ln 2, else 0.
        let half = pick(neg, splat(-0.5), splat(0.5));
        let k_far = _mm256_cvttps_epi32(_mm256_add_ps(_mm256_mul_ps(splat(INV_LN2), x), half));
        let k_near = _mm256_castps_si256(pick(
            neg,
            _mm256_castsi256_ps(_mm256_set1_epi32(-1)),
            _mm256_castsi256_ps(_mm256_set1_epi32(1)),
        ));
        let near = lt(hx, 0x3f85_1593);
        let tiny = lt(hx, 0x3eb1_7219);
        let k = _mm256_castps_si256(pick(
            tiny,
            _mm256_setzero_ps(),
            pick(
                near,
                _mm256_castsi256_ps(k_near),
                _mm256_castsi256_ps(k_far),
            ),
        ));
        // With k = 0, hi = x − 0 = x and lo = +0, as the scalar's own k = 0 branch sets them.
        let kf = _mm256_cvtepi32_ps(k);
        let hi = _mm256_sub_ps(x, _mm256_mul_ps(kf, splat(LN2_HI)));
        let lo = _mm256_mul_ps(kf, splat(LN2_LO));
        let r = _mm256_sub_ps(hi, lo);
        let xx = _mm256_mul_ps(r, r);
        let poly = _mm256_add_ps(splat(P1), _mm256_mul_ps(xx, splat(P2)));
        let c = _mm256_sub_ps(r, _mm256_mul_ps(xx, poly));
        let q = _mm256_div_ps(_mm256_mul_ps(r, c), _mm256_sub_ps(splat(2.0), c));
        let y = _mm256_add_ps(splat(1.0), _mm256_add_ps(_mm256_sub_ps(q, lo), hi));
        // scalbnf(y, k) = y · 2^k (k ≥ −54 here, so 2^k is a normal number).
        let scale = _mm256_slli_epi32(_mm256_add_epi32(k, _mm256_set1_epi32(127)), 23);
        let y = _mm256_mul_ps(y, _mm256_castsi256_ps(scale));
        // |x| ≤ 2^-14: 1 + x.
        pick(lt(hx, 0x3900_0001), _mm256_add_ps(splat(1.0), x), y)
    }

    /// libm's `erff`, lane by lane. A part no lane needs is not computed: its result would be
    /// blended away (the parts are independent, so skipping one changes no other lane).
    #[target_feature(enable = "avx2")]
    fn erff8(x: __m256) -> __m256 {
        let bits = _mm256_castps_si256(x);
        let ix = _mm256_and_si256(bits, _mm256_set1_epi32(0x7fff_ffff));
        let sign = _mm256_castsi256_ps(_mm256_andnot_si256(_mm256_set1_epi32(0x7fff_ffff), bits));
        let one = splat(1.0);
        let small = lt(ix, 0x3f58_0000);
        let below_erfc2 = lt(ix, 0x3fa0_0000);
        let finite = lt(ix, 0x7f80_0000);
        let any = |m: __m256| _mm256_movemask_ps(m) != 0;
        let all = |m: __m256| _mm256_movemask_ps(m) == 0xff;

        // |x| < 1.25: one rational function for x² (|x| < 0.84375) and |x| − 1 (erfc1).
        let mut out = if any(below_erfc2) {
            erf_near(x, small)
        } else {
            _mm256_setzero_ps()
        };
        // 1.25 ≤ |x|: 1 − erfc2 (below 6), else 1 − 2^-120; the sign of x.
        if !all(below_erfc2) {
            let y = _mm256_sub_ps(one, erfc2(_mm256_castsi256_ps(ix), ix));
            let y = pick(
                lt(ix, 0x40c0_0000),
                y,
                _mm256_sub_ps(one, splat(f32::from_bits(0x0380_0000))),
            );
            out = pick(below_erfc2, out, _mm256_xor_ps(y, sign));
        }
        if !all(finite) {
            let signf = pick(sign, one, _mm256_setzero_ps());
            let special = _mm256_add_ps(
                _mm256_sub_ps(one, _mm256_mul_ps(splat(2.0), signf)),
                _mm256_div_ps(one, x),
            );
            out = pick(finite, out, special);
        }
        out
    }

    /// erff for |x| < 1.25 (lanes `small`: |x| < 0.84375, the others erfc1's range), with
    /// |x| < 2^-28 as the scalar computes it.
    #[target_feature(enable = "avx2")]
    fn erf_near(x: __m256, small: __m256) -> __m256 {
        let one = splat(1.0);
        let ix = _mm256_and_si256(_mm256_castps_si256(x), _mm256_set1_epi32(0x7fff_ffff));
        let ax = _mm256_castsi256_ps(ix);
        let t = pick(small, _mm256_mul_ps(x, x), _mm256_sub_ps(ax, one));
        let y = _mm256_div_ps(horner(t, small, &PP, &PA), horner1(t, small, &QQ, &QA));
        let erf_small = _mm256_add_ps(x, _mm256_mul_ps(x, y));
        let tiny = _mm256_mul_ps(
            splat(0.125),
            _mm256_add_ps(_mm256_mul_ps(splat(8.0), x), _mm256_mul_ps(splat(EFX8), x)),
        );
        let erf_small = pick(lt(ix, 0x3180_0000), tiny, erf_small);
        // erfc1 = (1 − erx) − p/q; erf = 1 − erfc1, with the sign of x.
        let erfc1 = _mm256_sub_ps(_mm256_sub_ps(one, splat(ERX)), y);
        let sign = _mm256_andnot_ps(_mm256_castsi256_ps(_mm256_set1_epi32(0x7fff_ffff)), x);
        let erf1 = _mm256_xor_ps(_mm256_sub_ps(one, erfc1), sign);
        pick(small, erf_small, erf1)
    }

    /// libm's erfc2 for 1.25 ≤ |x| < 6 (`ax` = |x|, `ix` its bits).
    #[target_feature(enable = "avx2")]
    fn erfc2(ax: __m256, ix: __m256i) -> __m256 {
        let one = splat(1.0);
        let near = lt(ix, 0x4036_db6d);
        let s = _mm256_div_ps(one, _mm256_mul_ps(ax, ax));
        let r = horner(s, near, &RA, &RB);
        let big_s = horner1(s, near, &SA, &SB);
        let z = _mm256_and_ps(
            ax,
            _mm256_castsi256_ps(_mm256_set1_epi32(0xffff_e000u32 as i32)),
        );
        let neg_zz = _mm256_mul_ps(_mm256_xor_ps(z, splat(-0.0)), z);
        let e1 = expf8(_mm256_sub_ps(neg_zz, splat(0.5625)));
        let d = _mm256_mul_ps(_mm256_sub_ps(z, ax), _mm256_add_ps(z, ax));
        let e2 = expf8(_mm256_add_ps(d, _mm256_div_ps(r, big_s)));
        _mm256_div_ps(_mm256_mul_ps(e1, e2), ax)
    }

    /// `0.5 · x · (1 + erff(x / √2))` in the scalar's order.
    #[target_feature(enable = "avx2")]
    fn gelu8(x: __m256) -> __m256 {
        let e = erff8(_mm256_mul_ps(x, splat(std::f32::consts::FRAC_1_SQRT_2)));
        _mm256_mul_ps(_mm256_mul_ps(splat(0.5), x), _mm256_add_ps(splat(1.0), e))
    }

    /// `scores` with `W` vectors of eight keys side by side (independent sums, so that the
    /// additions of different keys overlap in the pipeline).
    #[target_feature(enable = "avx2")]
    fn scores_block<const W: usize>(q: &[f32], kt: &[f32], n: usize, out: &mut [f32], s0: usize) {
        assert!(s0 + 8 * W <= n && kt.len() >= q.len() * n && out.len() >= n);
        let mut acc = [_mm256_setzero_ps(); W];
        for (d, &a) in q.iter().enumerate() {
            let a = splat(a);
            for (j, acc) in acc.iter_mut().enumerate() {
                // SAFETY: d·n + s0 + 8j + 8 ≤ (d + 1)·n ≤ kt.len() (asserted above).
                let k = unsafe { _mm256_loadu_ps(kt.as_ptr().add(d * n + s0 + 8 * j)) };
                *acc = _mm256_add_ps(*acc, _mm256_mul_ps(a, k));
            }
        }
        for (j, acc) in acc.iter().enumerate() {
            // SAFETY: s0 + 8j + 8 ≤ n ≤ out.len().
            unsafe { _mm256_storeu_ps(out.as_mut_ptr().add(s0 + 8 * j), *acc) };
        }
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn scores_avx2(q: &[f32], kt: &[f32], n: usize, out: &mut [f32]) {
        let mut s0 = 0;
        while s0 + 32 <= n {
            scores_block::<4>(q, kt, n, out, s0);
            s0 += 32;
        }
        while s0 + 8 <= n {
            scores_block::<1>(q, kt, n, out, s0);
            s0 += 8;
        }
        super::scores_from(q, kt, n, out, s0);
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn context_avx2(p: &[f32], inv: f32, v: &[f32], stride: usize, out: &mut [f32]) {
        let hd = out.len();
        assert!(hd.is_multiple_of(8) && (p.is_empty() || v.len() >= (p.len() - 1) * stride + hd));
        for c in (0..hd).step_by(32) {
            let w = (hd - c).min(32) / 8;
            let mut acc = [_mm256_setzero_ps(); 4];
            for (s, &ps) in p.iter().enumerate() {
                let pv = splat(ps * inv);
                for (j, acc) in acc.iter_mut().enumerate().take(w) {
                    // SAFETY: s·stride + c + 8j + 8 ≤ s·stride + hd ≤ v.len() (asserted).
                    let x = unsafe { _mm256_loadu_ps(v.as_ptr().add(s * stride + c + 8 * j)) };
                    *acc = _mm256_add_ps(*acc, _mm256_mul_ps(pv, x));
                }
            }
            for (j, acc) in acc.iter().enumerate().take(w) {
                // SAFETY: c + 8j + 8 ≤ hd = out.len().
                unsafe { _mm256_storeu_ps(out.as_mut_ptr().add(c + 8 * j), *acc) };
            }
        }
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn gelu_avx2(v: &mut [f32]) {
        let mut chunks = v.chunks_exact_mut(8);
        for c in &mut chunks {
            // SAFETY: `c` is eight contiguous f32 (unaligned loads and stores).
            unsafe {
                let x = _mm256_loadu_ps(c.as_ptr());
                _mm256_storeu_ps(c.as_mut_ptr(), gelu8(x));
            }
        }
        chunks
            .into_remainder()
            .iter_mut()
            .for_each(|x| *x = super::gelu(*x));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bit-identical to the scalar, or both NaN.
    fn same(a: f32, b: f32) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    fn check(xs: &[f32]) {
        let mut v = xs.to_vec();
        gelu_inplace(&mut v);
        for (&x, &g) in xs.iter().zip(&v) {
            assert!(same(g, gelu(x)), "gelu({x:e} = {:#x}): {g:e}", x.to_bits());
        }
    }

    /// Every exponent and sign, 64 mantissas each, plus a dense band around each branch
    /// boundary of erff and expf (in the GELU's input, x = √2 · erf's argument, and in erf's).
    #[test]
    fn gelu_is_bit_identical_to_libm() {
        let mut xs = Vec::new();
        for bits in (0..=u32::MAX).step_by(1 << 17) {
            xs.push(f32::from_bits(bits));
            xs.push(f32::from_bits(bits | 0x7fff));
        }
        for b in [
            0x3180_0000u32,
            0x3f58_0000,
            0x3fa0_0000,
            0x4036_db6d,
            0x40c0_0000,
            0x7f80_0000,
        ] {
            let at = f32::from_bits(b);
            for centre in [at, at * std::f32::consts::SQRT_2] {
                let c = centre.to_bits() as i64;
                for d in -4096..=4096i64 {
                    let v = f32::from_bits((c + d).clamp(0, u32::MAX as i64) as u32);
                    xs.extend([v, -v]);
                }
            }
        }
        // Every value of |x| in [0.5, 9) in steps of 2^-13 (all of erfc2's range and expf's
        // branches inside it), and the special values.
        xs.extend((4096..9 * 8192).flat_map(|i| [i as f32 / 8192.0, -(i as f32) / 8192.0]));
        xs.extend([
            0.0,
            -0.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            f32::MIN_POSITIVE,
        ]);
        xs.extend([
            f32::from_bits(1),
            f32::from_bits(0x8000_0001),
            f32::MAX,
            f32::MIN,
        ]);
        check(&xs);
    }

    /// A deterministic pseudo-random value in [-2, 2) (no extra dependency for a test).
    fn lcg(seed: &mut u64) -> f32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 40) as f32 / (1u64 << 22) as f32 - 2.0
    }

    /// Scores and context on eight lanes are bit-identical to the sums one element at a time,
    /// for sequence lengths around the vector widths (1..=70 keys) and head widths 32 and 40.
    #[test]
    fn attention_sums_are_bit_identical() {
        let mut seed = 3;
        for hd in [32usize, 40] {
            for n in 1..=70usize {
                let q: Vec<f32> = (0..hd).map(|_| lcg(&mut seed)).collect();
                let kt: Vec<f32> = (0..hd * n).map(|_| lcg(&mut seed)).collect();
                let (mut fast, mut slow) = (vec![0f32; n], vec![0f32; n]);
                scores(&q, &kt, n, &mut fast);
                for (s, o) in slow.iter_mut().enumerate() {
                    *o = (0..hd).fold(0.0, |acc, d| acc + q[d] * kt[d * n + s]);
                }
                assert_eq!(fast, slow, "scores, n = {n}");
                let stride = hd + 7;
                let v: Vec<f32> = (0..n * stride).map(|_| lcg(&mut seed)).collect();
                let p: Vec<f32> = (0..n).map(|_| lcg(&mut seed).abs()).collect();
                let (mut fast, mut slow) = (vec![0f32; hd], vec![0f32; hd]);
                context(&p, 0.37, &v, stride, &mut fast);
                context_scalar(&p, 0.37, &v, stride, &mut slow);
                assert_eq!(fast, slow, "context, n = {n}");
                assert!(slow.iter().any(|&x| x != 0.0));
            }
        }
    }

    /// Every f32, in eight-lane batches (about four billion values: run by hand with
    /// `cargo test --release --lib gelu_every_f32 -- --ignored`).
    #[test]
    #[ignore]
    fn gelu_every_f32() {
        let mut v = vec![0f32; 1 << 20];
        for hi in 0..(1u32 << 12) {
            let xs: Vec<f32> = (0..1u32 << 20)
                .map(|lo| f32::from_bits(hi << 20 | lo))
                .collect();
            v.copy_from_slice(&xs);
            gelu_inplace(&mut v);
            for (&x, &g) in xs.iter().zip(&v) {
                assert!(same(g, gelu(x)), "gelu({x:e} = {:#x}): {g:e}", x.to_bits());
            }
        }
    }
}
