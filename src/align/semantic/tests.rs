use super::*;

fn unit(v: &[f32]) -> Vec<f32> {
    let n = dot(v, v).sqrt();
    v.iter().map(|x| x / n).collect()
}

#[test]
fn a_translation_is_closer_than_unrelated_text_and_a_diluted_block_in_between() {
    // Three "meanings" sharing a common direction (as embedding models' vectors do).
    let common = [1.0, 0.0, 0.0, 0.0];
    let m = |k: usize| {
        let mut v = common.to_vec();
        v[k + 1] = 0.6;
        unit(&v)
    };
    let rows = vec![m(0), m(1), m(2), m(0), m(1), m(2)];
    let vec = Vectors::new(4, rows, 3);
    let lens = [40u32, 40, 40];
    let s = Semantic::new(
        &vec,
        &vec.src,
        &vec.tgt,
        &lens,
        &lens,
        &crate::align::SemanticParams::default(),
    );
    let r = |i: usize, a: usize, j: usize, b: usize| {
        let mut sum = 0.0;
        for x in i - a..i {
            for y in j - b..j {
                sum += s.pair(x, y);
            }
        }
        s.ratio(sum, i, a, j, b)
    };
    let same = r(1, 1, 1, 1);
    let other = r(1, 1, 2, 1);
    let diluted = r(2, 2, 1, 1);
    assert!(same < 0.1, "{same}");
    assert!(other > 0.8, "{other}");
    assert!(
        same < diluted && diluted < other,
        "{same} {diluted} {other}"
    );
    assert!(s.cost(2.0, same, 1, 1) < s.cost(2.0, other, 1, 1));
    // A bead of any size, from the vectors: what the tables give where they reach.
    for (i, a, j, b) in [(1, 1, 1, 1), (2, 2, 1, 1), (3, 3, 3, 2)] {
        let (x, y) = (r(i, a, j, b), s.ratio_of(i - a..i, j - b..j));
        assert!((x - y).abs() < 1e-4, "{i} {a} {j} {b}: {x} {y}");
    }
    // Beyond the tables a bead counts by its sentences as the formula says (1 + 1 + 5) / 2.
    assert!((s.cost(2.0, 2.0, 1, 5) / s.cost(2.0, 2.0, 1, 1) - 3.5 / 1.5).abs() < 1e-5);
}

/// A unit vector for meaning `k` in `dim` dimensions: every meaning shares axis 0 (all
/// sentences of a text are somewhat alike) and has its own axis `k + 1`.
fn meaning(dim: usize, k: usize) -> Vec<f32> {
    let mut v = vec![0.0; dim];
    v[0] = 1.0;
    v[k + 1] = 1.2;
    unit(&v)
}

/// Source: meanings 0..6; target: the same but meaning 3 (omitted in the translation).
fn meaning_3_untranslated() -> Vectors {
    let src = (0..7).map(|k| meaning(8, k));
    let tgt = (0..7).filter(|&k| k != 3).map(|k| meaning(8, k));
    Vectors::new(8, src.chain(tgt).collect(), 7)
}

#[test]
fn a_sentence_like_nothing_near_it_is_cheaper_to_leave_unpaired() {
    let vec = meaning_3_untranslated();
    let (sl, tl) = ([40u32; 7], [40u32; 6]);
    let params = crate::align::SemanticParams::default();
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params);
    assert!(s.null_cost(true, 3) < -0.5, "{}", s.null_cost(true, 3));
    // A sentence with its counterpart at hand: no rebate, and never a surcharge.
    assert_eq!(s.null_cost(true, 2), 0.0);
    assert_eq!(s.null_cost(false, 3), 0.0);
    // Off without the margin, or at weight 0.
    for p in [
        crate::align::SemanticParams {
            margin: 0.0,
            ..params
        },
        crate::align::SemanticParams {
            null_weight: 0.0,
            null_own_weight: 0.0,
            ..params
        },
    ] {
        let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &p);
        assert_eq!(s.null_cost(true, 3), 0.0);
    }
}

#[test]
fn a_text_whose_pairs_lie_far_out_frees_no_sentence_at_their_distance() {
    let vec = meaning_3_untranslated();
    let (sl, tl) = ([40u32; 7], [40u32; 6]);
    let params = crate::align::SemanticParams {
        null_own_weight: 0.0,
        ..Default::default()
    };
    let new =
        |p: &crate::align::SemanticParams| Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, p);
    let plain = new(&params).null_cost(true, 3);
    assert!(plain < -0.5, "{plain}");
    // The text's own pairs lie close: their quantile is below the threshold, nothing changes.
    let close: Vec<(usize, usize)> = (0..7)
        .filter(|&k| k != 3)
        .map(|k| (k, if k < 3 { k } else { k - 1 }))
        .cycle()
        .take(30)
        .collect();
    let s = new(&params).with_matched(close.into_iter());
    assert_eq!(s.null_cost(true, 3), plain);
    // A first path whose 1-1 pairs lie as far from their closest neighbour as sentence 3:
    // at that distance a sentence is not "like nothing near it", no rebate.
    let far = || std::iter::repeat_n((3, 2), MIN_MATCHED);
    assert_eq!(new(&params).with_matched(far()).null_cost(true, 3), 0.0);
    // Off at quantile 0; fewer than `MIN_MATCHED` pairs say nothing.
    let off = crate::align::SemanticParams {
        null_quantile: 0.0,
        ..params
    };
    assert_eq!(new(&off).with_matched(far()).null_cost(true, 3), plain);
    let few = far().skip(1);
    assert_eq!(new(&params).with_matched(few).null_cost(true, 3), plain);
}

#[test]
fn a_sentence_none_of_whose_neighbours_stands_out_is_cheaper_to_leave_unpaired() {
    // Source sentence 3 is as close to each of its neighbours on the other side (own ratio
    // 1); sentence 2 has its counterpart (ratio 0).
    let vec = meaning_3_untranslated();
    let (sl, tl) = ([40u32; 7], [40u32; 6]);
    let params = crate::align::SemanticParams {
        null_weight: 0.0,
        null_own_weight: 6.0,
        null_own_threshold: 0.85,
        null_own_relative: 1.3,
        ..Default::default()
    };
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params);
    assert!(
        (s.null_cost(true, 3) + 6.0 * 0.15).abs() < 1e-3,
        "{}",
        s.null_cost(true, 3)
    );
    assert_eq!(s.null_cost(true, 2), 0.0);
    // Where no sentence of the text stands out (a weak model for the language pair: the
    // text's median ratio × 1.3 above 1), there is no rebate; nor at weight 0.
    let far = |k: usize| meaning(16, k);
    let flat: Vec<Vec<f32>> = (0..7).map(far).chain((0..6).map(|k| far(k + 8))).collect();
    let fv = Vectors::new(16, flat, 7);
    let f = Semantic::new(&fv, &fv.src, &fv.tgt, &sl, &tl, &params);
    assert_eq!(f.null_cost(true, 3), 0.0);
    let off = crate::align::SemanticParams {
        null_own_weight: 0.0,
        ..params
    };
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &off);
    assert_eq!(s.null_cost(true, 3), 0.0);
}

#[test]
fn a_cut_through_a_sentence_s_content_costs_where_a_clean_cut_does_not() {
    let (sl, tl) = ([40u32; 7], [40u32; 7]);
    // A fixed threshold: in a text this clean the text's own would be next to 0.
    let params = crate::align::SemanticParams {
        adaptive: 0.0,
        ..Default::default()
    };
    let clean: Vec<Vec<f32>> = (0..7).chain(0..7).map(|k| meaning(8, k)).collect();
    let vec = Vectors::new(8, clean, 7);
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params);
    // Every sentence's translation is right across: no cut leaves anything unexplained.
    for k in 1..7 {
        assert_eq!(s.cross_cost(12.0, k, k), 0.0);
    }
    // Target sentence 2 says mostly what source sentence 3 says (the two sides break the
    // text at different points): cutting after source 2 and target 2 separates them.
    let mixed = |k: usize| {
        if k == 9 {
            let (a, b) = (meaning(8, 2), meaning(8, 3));
            unit(
                &a.iter()
                    .zip(&b)
                    .map(|(x, y)| 0.2 * x + y)
                    .collect::<Vec<_>>(),
            )
        } else {
            meaning(8, k % 7)
        }
    };
    let vec = Vectors::new(8, (0..14).map(mixed).collect(), 7);
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params);
    assert!(
        s.cross_cost(12.0, 3, 3) > 0.5,
        "{}",
        s.cross_cost(12.0, 3, 3)
    );
    // Cuts away from it, and the text's edges, cost nothing; nor does anything at weight 0.
    assert_eq!(s.cross_cost(12.0, 5, 5), 0.0);
    assert_eq!(s.cross_cost(12.0, 0, 3), 0.0);
    assert_eq!(s.cross_cost(12.0, 7, 7), 0.0);
    let off = crate::align::SemanticParams {
        cross: 0.0,
        ..params
    };
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &off);
    assert_eq!(s.cross_cost(12.0, 3, 3), 0.0);
}

/// Seven sentences a side of 40 characters whose vectors each match their translation right
/// across, and parameters that weigh only the numbers and names across a cut.
fn names_only() -> ([u32; 7], [u32; 7], crate::align::SemanticParams, Vectors) {
    let params = crate::align::SemanticParams {
        adaptive: 0.0,
        cross: 0.0,
        cross_names: 10.0,
        ..Default::default()
    };
    let clean: Vec<Vec<f32>> = (0..7).chain(0..7).map(|k| meaning(8, k)).collect();
    ([40u32; 7], [40u32; 7], params, Vectors::new(8, clean, 7))
}

#[test]
fn a_number_or_name_crossing_a_cut_costs_unless_a_sentence_along_it_holds_it() {
    let (sl, tl, params, vec) = names_only();
    let src = ["a", "b", "Zwei Tage für 250 Höhenmeter", "c", "d", "e", "f"];
    let mut tgt = [
        "a",
        "b",
        "c",
        "Il fallut deux jours pour 250 m",
        "d",
        "e",
        "f",
    ];
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params).with_names((&src, &tgt));
    // Source 2's number is in target 3: cutting after both separates them.
    assert_eq!(s.cross_cost(12.0, 3, 3), 10.0);
    assert_eq!(s.cross_cost(12.0, 2, 2), 0.0);
    assert_eq!(s.cross_cost(12.0, 5, 5), 0.0);
    // Target 2 holds the number too: the cut leaves nothing unexplained.
    tgt[2] = "c 250";
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params).with_names((&src, &tgt));
    assert_eq!(s.cross_cost(12.0, 3, 3), 0.0);
    // Lower-case words and words of two letters are not names.
    assert_eq!(names_of("in der stadt Am Rhein").len(), 1);
    assert_eq!(names_of("Er ging nach Basel, 1939").len(), 2);
}

#[test]
fn a_chinese_name_crossing_a_cut_is_read_as_pinyin() {
    let (sl, tl, params, vec) = names_only();
    let src = ["甲", "乙", "丙", "王琦瑶注意到那盏电灯。", "丁", "戊", "己"];
    let mut tgt = [
        "a",
        "b",
        "Wang Qiyao was taking in everything.",
        "She noticed the lamp.",
        "d",
        "e",
        "f",
    ];
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params).with_names((&src, &tgt));
    // `Qiyao` and `Wang Qiyao` in target 2 name source 3's 王琦瑶 (`wang`, one syllable, does
    // not count): a cut before both leaves them on either side.
    assert_eq!(s.cross_cost(12.0, 3, 3), 20.0);
    assert_eq!(s.cross_cost(12.0, 4, 4), 0.0);
    // A sentence along the cut that names her too explains it; so do hyphenated spellings.
    tgt[3] = "Wang Qiyao noticed the lamp.";
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params).with_names((&src, &tgt));
    assert_eq!(s.cross_cost(12.0, 3, 3), 0.0);
    let src = ["甲", "乙", "丙", "宝玉起身。", "丁", "戊", "己"];
    let tgt = ["a", "b", "Bao-yu's dream ended.", "He rose.", "d", "e", "f"];
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params).with_names((&src, &tgt));
    assert_eq!(s.cross_cost(12.0, 3, 3), 10.0);
    // Between two Latin texts nothing is read as pinyin.
    let src = ["a", "b", "c", "Baoyu rose.", "d", "e", "f"];
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params).with_names((&src, &tgt));
    assert_eq!(s.cross_cost(12.0, 3, 3), 0.0);
}

#[test]
fn a_bead_that_ends_a_quotation_on_one_side_only_costs() {
    let (sl, tl) = ([40u32; 3], [40u32; 3]);
    let rows: Vec<Vec<f32>> = (0..3).chain(0..3).map(|k| meaning(4, k)).collect();
    let vec = Vectors::new(4, rows, 3);
    let src = [
        "韦小宝道：“赢了十几两银子，不过…… 不过……”",
        "海老公道：“不过怎么？”",
        "他笑了。",
    ];
    let tgt = [
        "'I won a dozen taels,' replied Trinket.",
        "'But I—' ",
        "He laughed.",
    ];
    let params = crate::align::SemanticParams::default();
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params).with_names((&src, &tgt));
    // Source 0 closes its quotation, target 0 does not (its attribution follows): the 1-1
    // costs, the 1-2 that takes target 1 too does not.
    assert_eq!(s.quote_cost(0..1, 0..1), params.quotes);
    assert_eq!(s.quote_cost(0..1, 0..2), 0.0);
    assert_eq!(s.quote_cost(2..3, 2..3), 0.0);
    // Not without the texts, nor at weight 0, nor for a null bead.
    let bare = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params);
    assert_eq!(bare.quote_cost(0..1, 0..1), 0.0);
    assert_eq!(s.quote_cost(0..1, 0..0), 0.0);
    let off = crate::align::SemanticParams {
        quotes: 0.0,
        ..params
    };
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &off).with_names((&src, &tgt));
    assert_eq!(s.quote_cost(0..1, 0..1), 0.0);
    // Every style of mark; an apostrophe inside a word is not an end.
    for t in ["«Oui.»", "„Ja.“", "「是。」", "\"Yes.\"", "'Yes.' "] {
        assert!(quote_marks(t), "{t}");
    }
    assert!(!quote_marks("Don't."));
}

#[test]
fn below_the_floor_every_distance_earns_the_same_bonus() {
    let rows = vec![unit(&[1.0, 0.0]), unit(&[0.0, 1.0])];
    let vec = Vectors::new(2, rows, 1);
    let params = crate::align::SemanticParams {
        margin: 0.0,
        threshold: 1.0,
        floor: 0.5,
        ..Default::default()
    };
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &[40], &[40], &params);
    assert_eq!(s.hinge(6.0, 0.1), s.hinge(6.0, 0.5));
    assert!(s.hinge(6.0, 0.5) < s.hinge(6.0, 0.6));
    assert!((s.hinge(6.0, 0.2) - 6.0 * (0.5 - 1.0)).abs() < 1e-6);
}

#[test]
fn an_unrelated_sentence_merged_into_a_bead_earns_nothing_for_itself() {
    // Source: A, X (unrelated to anything on the other side); target: A'.
    let common = [1.0, 0.0, 0.0, 0.0, 0.0];
    let m = |k: usize| {
        let mut v = common.to_vec();
        v[k + 1] = 0.8;
        unit(&v)
    };
    let rows = vec![m(0), m(3), m(0), m(1), m(2)];
    let vec = Vectors::new(5, rows, 2);
    let (sl, tl) = ([40u32, 40], [40u32, 40, 40]);
    let with = |member: f32| {
        let params = crate::align::SemanticParams {
            member,
            ..Default::default()
        };
        let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params);
        // Prefix sums as the search keeps them for state row 2 over columns 0..=1
        // (target sentence 0 only): q[p][x] sums source rows 1 − p ..= 1, columns < x.
        let col = |i: usize| [0.0, s.pair(i, 0)];
        let (r1, r0) = (col(1), col(0));
        let q = vec![
            vec![0.0, r1[0], r1[0] + r1[1]],
            vec![0.0, r1[0] + r0[0], r1[0] + r1[1] + r0[0] + r0[1]],
        ];
        let merged = s.bead_cost(4.0, &q, 2, 2, 2, 1, 1);
        (merged, s)
    };
    let (plain, _) = with(0.0);
    let (judged, s) = with(1.0);
    // Judged sentence by sentence, the merged bead earns less: X brings nothing.
    assert!(judged > plain, "{judged} {plain}");
    // A 1-1 bead is judged the same either way.
    let one = s.pair(0, 0);
    let q = vec![vec![0.0, 0.0, one]];
    let single = s.bead_cost(4.0, &q, 2, 1, 1, 1, 1);
    let r = s.ratio(one, 1, 1, 1, 1);
    assert!((single - s.cost(4.0, r, 1, 1)).abs() < 1e-4, "{single}");
}

#[test]
fn a_member_that_dilutes_its_bead_and_is_like_nothing_near_it_pays() {
    // Source meaning 3 is not translated: absorbed into the bead of meaning 2 (a 2-1), it
    // takes the joined vector away from the target's meaning 2.
    let vec = meaning_3_untranslated();
    let (sl, tl) = ([40u32; 7], [40u32; 6]);
    let params = crate::align::SemanticParams::default();
    let s = Semantic::new(&vec, &vec.src, &vec.tgt, &sl, &tl, &params);
    assert!(s.unlike_anything(true, 3) && !s.unlike_anything(true, 2));
    let joined: Vec<f32> = unit(
        &s.src_vec(2)
            .iter()
            .zip(s.src_vec(3))
            .map(|(a, b)| a + b)
            .collect::<Vec<_>>(),
    );
    let t2 = s.tgt_vec(2);
    let with = s.joined_ratio((&joined, t2), 2..4, 2..3, 0.0);
    let without = s.joined_ratio((s.src_vec(2), t2), 2..3, 2..3, 0.0);
    assert!(with > without, "{with} {without}");
    let g = s.member_gain(2.0, true, 3, (with, without));
    assert!(g < 0.0, "{g}");
    // The translated member, and a member that brings its bead closer, are not touched.
    assert_eq!(s.member_gain(2.0, true, 2, (with, without)), 0.0);
    assert_eq!(s.member_gain(2.0, true, 3, (without, with)), 0.0);
    let cost = |gain: f32| {
        let f = |on_src: bool, k: usize| if on_src && k == 3 { gain } else { 0.0 };
        s.joined_cost(12.0, (&joined, t2), (2..4, 2..3), 0.0, f).0
    };
    assert!(cost(g) > cost(0.0), "{} {}", cost(g), cost(0.0));
}
