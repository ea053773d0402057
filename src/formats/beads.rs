//! Pairwise beads as text: the field's bead format (`[1, 2]:[3]:0.81`, as Vecalign and the
//! gold sets write it), hunalign's ladder (`src<TAB>tgt<TAB>score` per rung), and TSV (source text,
//! target text, confidence).

use super::FormatError;
use crate::model::Bead;

/// Write beads in the bead format, one per line: `[0]:[0]:0.97`, `[1, 2]:[1]:0.81`, `[3]:[]:0.40`.
pub fn write_beads(beads: &[Bead]) -> String {
    let mut out = String::new();
    let ids = |v: &[usize]| {
        v.iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for b in beads {
        out.push_str(&format!(
            "[{}]:[{}]:{:.2}\n",
            ids(&b.src),
            ids(&b.tgt),
            b.confidence
        ));
    }
    out
}

fn parse_err(path: &str, line: usize, message: impl Into<String>) -> FormatError {
    FormatError::Parse {
        path: path.to_owned(),
        line,
        message: message.into(),
    }
}

/// Parse the bead format. `path` only names the input in errors. A missing confidence reads as 1
/// (gold files carry none); blank lines are skipped.
pub fn parse_beads(text: &str, path: &str) -> Result<Vec<Bead>, FormatError> {
    let mut beads = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let err = |m: &str| parse_err(path, k + 1, format!("{m} in bead `{line}`"));
        let (src, rest) = parse_list(line).ok_or_else(|| err("expected `[ids]:[ids]`"))?;
        let rest = rest
            .strip_prefix(':')
            .ok_or_else(|| err("expected `:` after the source ids"))?;
        let (tgt, rest) = parse_list(rest).ok_or_else(|| err("bad target id list"))?;
        let confidence = match rest.strip_prefix(':') {
            None if rest.trim().is_empty() => 1.0,
            None => return Err(err("unexpected text after the target ids")),
            Some(c) => c
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|c| (0.0..=1.0).contains(c))
                .ok_or_else(|| err("confidence must be a number in [0, 1]"))?,
        };
        beads.push(Bead {
            src,
            tgt,
            confidence,
        });
    }
    Ok(beads)
}

/// Parse `[1, 2]` at the start of `s`; returns the ids and the rest.
fn parse_list(s: &str) -> Option<(Vec<usize>, &str)> {
    let s = s.trim_start().strip_prefix('[')?;
    let end = s.find(']')?;
    let inner = s[..end].trim();
    let ids = if inner.is_empty() {
        Vec::new()
    } else {
        inner
            .split(',')
            .map(|x| x.trim().parse::<usize>().ok())
            .collect::<Option<Vec<_>>>()?
    };
    Some((ids, &s[end + 1..]))
}

/// Write hunalign's ladder: one rung per bead, `source start<TAB>target start<TAB>score`, and a
/// final rung at the two ends.
pub fn write_ladder(beads: &[Bead], n_src: usize, n_tgt: usize) -> String {
    let mut out = String::new();
    let (mut s, mut t) = (0, 0);
    for b in beads {
        let bs = b.src.first().copied().unwrap_or(s);
        let bt = b.tgt.first().copied().unwrap_or(t);
        out.push_str(&format!("{bs}\t{bt}\t{:.4}\n", b.confidence));
        s = b.src.last().map_or(bs, |&x| x + 1);
        t = b.tgt.last().map_or(bt, |&x| x + 1);
    }
    out.push_str(&format!("{n_src}\t{n_tgt}\t1\n"));
    out
}

/// Parse hunalign's ladder: consecutive rungs delimit beads. Rungs must not go backwards. The
/// last rung closes the text; if it is missing, `n_src`/`n_tgt` close it.
pub(crate) fn parse_ladder(
    text: &str,
    path: &str,
    n_src: usize,
    n_tgt: usize,
) -> Result<Vec<Bead>, FormatError> {
    let mut rungs: Vec<(usize, usize, f64, usize)> = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let bad = || {
            parse_err(
                path,
                k + 1,
                format!("expected `src<TAB>tgt<TAB>score`, got `{line}`"),
            )
        };
        if f.len() < 2 {
            return Err(bad());
        }
        let s = f[0].trim().parse::<usize>().map_err(|_| bad())?;
        let t = f[1].trim().parse::<usize>().map_err(|_| bad())?;
        let score = match f.get(2) {
            Some(x) => x.trim().parse::<f64>().map_err(|_| bad())?,
            None => 1.0,
        };
        if let Some(&(ps, pt, _, _)) = rungs.last()
            && (s < ps || t < pt)
        {
            return Err(parse_err(path, k + 1, "rung goes backwards"));
        }
        if s > n_src || t > n_tgt {
            return Err(parse_err(path, k + 1, "rung beyond the end of the text"));
        }
        rungs.push((s, t, score, k + 1));
    }
    if rungs.last().is_none_or(|r| (r.0, r.1) != (n_src, n_tgt)) {
        rungs.push((n_src, n_tgt, 1.0, 0));
    }
    if rungs.first().is_some_and(|r| (r.0, r.1) != (0, 0)) {
        rungs.insert(0, (0, 0, 1.0, 0));
    }
    Ok(rungs
        .windows(2)
        .filter(|w| (w[0].0, w[0].1) != (w[1].0, w[1].1))
        .map(|w| Bead {
            src: (w[0].0..w[1].0).collect(),
            tgt: (w[0].1..w[1].1).collect(),
            confidence: w[0].2.clamp(0.0, 1.0),
        })
        .collect())
}

/// Write TSV: source sentences (joined by a space), target sentences, confidence. Tabs and
/// newlines inside sentences become spaces so each bead stays on one line.
pub fn write_tsv(beads: &[Bead], src: &[&str], tgt: &[&str]) -> String {
    let join = |ids: &[usize], side: &[&str]| {
        ids.iter()
            .filter_map(|&k| side.get(k))
            .map(|s| s.replace(['\t', '\n', '\r'], " "))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = String::new();
    for b in beads {
        out.push_str(&format!(
            "{}\t{}\t{:.2}\n",
            join(&b.src, src),
            join(&b.tgt, tgt),
            b.confidence
        ));
    }
    out
}

/// One row of a TSV alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct TsvRow {
    /// Source text of the bead.
    pub src: String,
    /// Target text of the bead.
    pub tgt: String,
    /// Confidence (1 when the column is absent).
    pub confidence: f64,
}

/// Parse TSV written by [`write_tsv`] (or any two- or three-column TSV of sentence pairs).
pub fn parse_tsv(text: &str, path: &str) -> Result<Vec<TsvRow>, FormatError> {
    let mut rows = Vec::new();
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 2 || f.len() > 3 {
            return Err(parse_err(
                path,
                k + 1,
                format!("expected 2 or 3 tab-separated columns, got {}", f.len()),
            ));
        }
        let confidence = match f.get(2) {
            Some(c) => c
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|c| (0.0..=1.0).contains(c))
                .ok_or_else(|| parse_err(path, k + 1, "confidence must be a number in [0, 1]"))?,
            None => 1.0,
        };
        rows.push(TsvRow {
            src: f[0].to_owned(),
            tgt: f[1].to_owned(),
            confidence,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(s: &[usize], t: &[usize], c: f64) -> Bead {
        Bead {
            src: s.to_vec(),
            tgt: t.to_vec(),
            confidence: c,
        }
    }

    #[test]
    fn bead_format_round_trip() {
        let beads = vec![
            bead(&[0], &[0], 0.97),
            bead(&[1, 2], &[1], 0.81),
            bead(&[3], &[], 0.4),
            bead(&[], &[2], 0.35),
        ];
        let text = write_beads(&beads);
        assert_eq!(
            text,
            "[0]:[0]:0.97\n[1, 2]:[1]:0.81\n[3]:[]:0.40\n[]:[2]:0.35\n"
        );
        assert_eq!(parse_beads(&text, "x").unwrap(), beads);
    }

    #[test]
    fn gold_lines_without_confidence_parse() {
        let b = parse_beads("[0]:[0, 1]\n\n[1]:[]\n", "g").unwrap();
        assert_eq!(b, vec![bead(&[0], &[0, 1], 1.0), bead(&[1], &[], 1.0)]);
    }

    #[test]
    fn bad_bead_names_file_and_line() {
        let e = parse_beads("[0]:[0]\n[x]:[1]\n", "a.align").unwrap_err();
        assert!(e.to_string().starts_with("a.align:2:"), "{e}");
        assert!(parse_beads("[0]:[0]:1.5\n", "a").is_err());
    }

    #[test]
    fn ladder_round_trip() {
        let beads = vec![
            bead(&[0], &[0], 0.5),
            bead(&[1, 2], &[1], 0.25),
            bead(&[], &[2], 0.75),
            bead(&[3], &[], 1.0),
        ];
        let text = write_ladder(&beads, 4, 3);
        assert_eq!(text.lines().next(), Some("0\t0\t0.5000"));
        assert_eq!(parse_ladder(&text, "l", 4, 3).unwrap(), beads);
        assert!(parse_ladder("2\t2\t1\n1\t1\t1\n", "l", 4, 3).is_err());
    }

    #[test]
    fn tsv_round_trip() {
        let beads = vec![bead(&[0, 1], &[0], 0.5), bead(&[], &[1], 0.25)];
        let text = write_tsv(&beads, &["A.", "B\tb."], &["AB.", "C."]);
        let rows = parse_tsv(&text, "t").unwrap();
        assert_eq!(rows[0].src, "A. B b.");
        assert_eq!(rows[1].src, "");
        assert_eq!(rows[1].tgt, "C.");
        assert_eq!(rows[1].confidence, 0.25);
    }
}
