//! The XLM-RoBERTa SentencePiece unigram tokenizer, from the vocabulary in the model file.
//!
//! Why our own rather than the `tokenizers` crate: the file carries the pieces and scores plus a
//! per-code-point normalization table (not SentencePiece's compiled char map), and the token ids
//! must match the reference engine exactly, including its handling of unknown characters (one
//! `<unk>` per character, scored 10 below the lowest piece). The unigram segmentation is a
//! short Viterbi search over the characters, so owning it costs less than adapting the crate's
//! normalizer and pre-tokenizer pipeline to reproduce the same ids.

use super::file::Vocab;
use std::collections::HashMap;

/// SentencePiece's word-boundary marker `▁` (U+2581), which replaces spaces.
const METASPACE: char = '\u{2581}';

/// A unigram tokenizer.
#[derive(Debug)]
pub(crate) struct Tokenizer {
    ids: HashMap<Vec<u8>, u32>,
    scores: Vec<f32>,
    norm: HashMap<u32, Vec<u32>>,
    unk: u32,
    unk_score: f32,
    max_piece_bytes: usize,
    pub(crate) bos: u32,
    pub(crate) eos: u32,
}

impl Tokenizer {
    pub(crate) fn new(v: Vocab) -> Tokenizer {
        let min = v.scores.iter().copied().fold(f32::INFINITY, f32::min);
        let max_piece_bytes = v.pieces.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut ids = HashMap::with_capacity(v.pieces.len());
        for (i, p) in v.pieces.into_iter().enumerate() {
            // The first piece with given bytes wins, as in a lookup that stops at the first hit.
            if !p.is_empty() {
                ids.entry(p).or_insert(i as u32);
            }
        }
        Tokenizer {
            ids,
            scores: v.scores,
            norm: v.norm,
            unk: v.unk,
            unk_score: min - 10.0,
            max_piece_bytes,
            bos: v.bos,
            eos: v.eos,
        }
    }

    /// The normalized text with metaspaces: table replacements, runs of spaces collapsed, a
    /// leading `▁` unless the text starts with a space, spaces as `▁`.
    fn normalize(&self, text: &str) -> String {
        let mut cps: Vec<char> = Vec::with_capacity(text.len() + 1);
        for ch in text.chars() {
            match self.norm.get(&(ch as u32)) {
                Some(out) => cps.extend(out.iter().filter_map(|&c| char::from_u32(c))),
                None => cps.push(ch),
            }
        }
        cps.dedup_by(|b, a| *a == ' ' && *b == ' ');
        let mut s = String::with_capacity(text.len() + 3);
        if cps.first() != Some(&' ') {
            s.push(METASPACE);
        }
        s.extend(cps.iter().map(|&c| if c == ' ' { METASPACE } else { c }));
        s
    }

    /// Content token ids of `text` (no `<s>`/`</s>`).
    pub(crate) fn encode(&self, text: &str) -> Vec<u32> {
        let s = self.normalize(text);
        let bytes = s.as_bytes();
        let starts: Vec<usize> = s
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(s.len()))
            .collect();
        let n = starts.len() - 1;
        // best[i]: score of the best segmentation of the first i characters; back[i]: its last
        // piece (None: an unknown character) and where that piece starts.
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        let mut back: Vec<(Option<u32>, usize)> = vec![(None, 0); n + 1];
        best[0] = 0.0;
        for i in 0..n {
            let from = starts[i];
            for e in i + 1..=n {
                if starts[e] - from > self.max_piece_bytes {
                    break;
                }
                if let Some(&id) = self.ids.get(&bytes[from..starts[e]])
                    && id != self.unk
                {
                    let sc = best[i] + self.scores[id as usize];
                    if sc > best[e] {
                        best[e] = sc;
                        back[e] = (Some(id), i);
                    }
                }
            }
            let sc = best[i] + self.unk_score;
            if sc > best[i + 1] {
                best[i + 1] = sc;
                back[i + 1] = (None, i);
            }
        }
        let mut out = Vec::new();
        let mut i = n;
        while i > 0 {
            let (id, from) = back[i];
            out.push(id.unwrap_or(self.unk));
            i = from;
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Tokenizer {
        let pieces = ["<s>", "</s>", "<unk>", "▁", "▁a", "b", "ab", "▁ab", "c"];
        let scores = [0.0, 0.0, 0.0, -2.0, -1.0, -1.5, -1.0, -5.0, -3.0];
        let mut norm = HashMap::new();
        norm.insert('A' as u32, vec!['a' as u32]);
        Tokenizer::new(Vocab {
            pieces: pieces.iter().map(|p| p.as_bytes().to_vec()).collect(),
            scores: scores.to_vec(),
            bos: 0,
            eos: 1,
            unk: 2,
            norm,
        })
    }

    #[test]
    fn viterbi_prefers_the_best_total_score() {
        let t = toy();
        // "▁ab" alone scores -5; "▁a" + "b" scores -2.5.
        assert_eq!(t.encode("ab"), vec![4, 5]);
        // Normalization maps A to a; double spaces collapse; unknown z is one <unk>.
        assert_eq!(t.encode("Ab  z"), vec![4, 5, 3, 2]);
    }

    #[test]
    fn leading_space_is_not_doubled() {
        let t = toy();
        assert_eq!(t.encode(" ab"), t.encode("ab"));
    }
}
