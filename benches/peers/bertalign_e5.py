#!/usr/bin/env python3
"""Bertalign (Liu & Zhu 2022) run with tei-align's own e5-small vectors, scored like our aligner.

Issue 11 asks how far the best published aligner gets with the model we ship. Bertalign embeds
every sentence and every concatenation of 2..max_align-1 consecutive sentences (its "overlaps")
with LaBSE; here its encoder is replaced by a lookup in a table filled by one
`tei-align embed` call per document side, so Bertalign sees exactly the vectors our aligner
sees (multilingual-e5-small, "query: " prefix, mean-pooled, L2-normalised: src/embed/e5). Its
search code (first pass, second pass, margin, length penalty) runs unchanged, from the PyPI
package, with its published defaults (max_align=5, top_k=3, win=5, skip=-0.1, margin and length
penalty on, is_split=True as its Text+Berg evaluation does).

Not run by CI. Setup (once; Bertalign 2.x needs Python >= 3.12; its LaBSE, torch, language
detection and sentence splitter are not needed and are stubbed below):

    python3.12 -m venv /work/peer-x/v12
    /work/peer-x/v12/bin/pip install --no-deps bertalign==2.0.1
    /work/peer-x/v12/bin/pip install numpy numba
    cargo build --release            # the `tei-align embed` used for the vectors
    tei-align model install          # if the e5 model is not installed yet

Usage (from the repository root; the e5 vectors go through tei-align's vector cache, so a second
run embeds nothing):

    /work/peer-x/v12/bin/python benches/peers/bertalign_e5.py textberg textberg-dev mac-dev mac-test
    ... --data DIR        gold sets (default ../shared/bench/data); any directory with
                          src/ tgt/ gold/ (*.txt, *.align) also works: --sets-are-dirs
    ... --out DIR         keeps the predictions (DIR/<set>/<doc>.align)
    ... --skip -0.1 ...   Bertalign's own knobs (--max-align, --top-k, --win, --skip,
                          --no-margin, --no-len-penalty)
    ... --first N         only the first N documents of each set (sorted by name)
    ... --check-doc       also checks, on the first document, that Bertalign's vectors are
                          the ones `tei-align embed` gives for the same lines
    ... --deletion DUMP   the deletion benchmark: Bertalign on the damaged texts that
                          `TEI_ALIGN_BENCH_OUT=DUMP cargo bench --bench align_deletion -- SET`
                          wrote, scored as that bench scores, beside our e5 alignment of them

Prints per set strict P/R/F1 and lax F1 from ../shared/bench/score.py (the scorer
`cargo bench --bench align_gold` uses), the number of texts embedded and the seconds spent in
Bertalign's search (embedding excluded).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import numpy as np


def _stub_heavy_imports() -> None:
    """Bertalign imports torch, sentence-transformers, lingua and sentence-splitter at module
    level; none of them is used on the path run here (vectors come from the table, languages
    are not detected, texts are already split), so empty modules stand in for them."""
    names = {
        "torch": {},
        "sentence_transformers": {"SentenceTransformer": object},
        "lingua": {
            "IsoCode639_1": object,
            "LanguageDetector": object,
            "LanguageDetectorBuilder": object,
        },
        "sentence_splitter": {"SentenceSplitter": object},
    }
    for name, attrs in names.items():
        if name in sys.modules:
            continue
        m = types.ModuleType(name)
        for k, v in attrs.items():
            setattr(m, k, v)
        sys.modules[name] = m


_stub_heavy_imports()

import bertalign.aligner as ba  # noqa: E402
from bertalign.encoder import Encoder  # noqa: E402
from bertalign.utils import clean_text, yield_overlaps  # noqa: E402


def top_k_exact(src: np.ndarray, tgt: np.ndarray, k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """What Bertalign's `find_top_k_sents` computes (faiss IndexFlatIP upstream, torch.topk in
    2.x): the k largest inner products of each source vector with the target vectors."""
    sims = np.ascontiguousarray(src, dtype=np.float32) @ np.ascontiguousarray(tgt, dtype=np.float32).T
    k = min(k, tgt.shape[0])
    idx = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(sims, idx, axis=1).astype(np.float32), idx.astype(np.int64)


class TableModel:
    """Stands in for the SentenceTransformer: `encode` looks each text up in the table."""

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table
        self.asked: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.asked.extend(texts)
        return np.stack([self.table[t] for t in texts]).astype(np.float32)


class TableEncoder(Encoder):
    """Bertalign's Encoder (its `transform`, which builds the overlaps, runs unchanged) with the
    model replaced by the table."""

    def __init__(self, table: dict[str, np.ndarray]) -> None:  # noqa: D107 (no super: no model)
        self.model = TableModel(table)
        self.model_name = "multilingual-e5-small via tei-align embed"


def tei_embed(binary: str, texts: list[str], workdir: Path) -> np.ndarray:
    """One `tei-align embed` call: row k is the e5 vector of texts[k]."""
    if any("\n" in t or "\r" in t for t in texts):
        raise ValueError("a text to embed holds a line break")
    inp = workdir / "texts.txt"
    out = workdir / "vectors.npy"
    inp.write_text("\n".join(texts) + "\n", encoding="utf-8")
    subprocess.run([binary, "-q", "embed", str(inp), "-o", str(out)], check=True)
    v = np.load(out)
    if v.shape[0] != len(texts):
        raise RuntimeError(f"tei-align embed gave {v.shape[0]} vectors for {len(texts)} texts")
    return v


def read_lines(path: Path) -> list[str]:
    """The sentences of a gold file as the bench reads them (Rust's `str::lines`): line k is
    sentence k; a final line break ends the last line, a `\\r` before a break is dropped."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def bertalign_input(lines: list[str]) -> tuple[str, list[str]]:
    """The text Bertalign is given and the sentences it makes of it (is_split=True: clean_text,
    then one sentence per line). Fails if that changes the sentence count, which would shift
    every id against the gold."""
    text = "\n".join(lines)
    sents = clean_text(text).splitlines()
    if len(sents) != len(lines):
        raise RuntimeError(f"Bertalign reads {len(sents)} sentences from {len(lines)} lines")
    return text, sents


def align_doc(binary: str, src_lines: list[str], tgt_lines: list[str], args, workdir: Path):
    """Bertalign's beads for one document, the encoder it used and the embedded texts."""
    src_text, src_sents = bertalign_input(src_lines)
    tgt_text, tgt_sents = bertalign_input(tgt_lines)
    n = args.max_align - 1
    texts = sorted(set(yield_overlaps(src_sents, n)) | set(yield_overlaps(tgt_sents, n)))
    vecs = tei_embed(binary, texts, workdir)
    table = {t: vecs[i] for i, t in enumerate(texts)}
    enc = TableEncoder(table)
    start = time.perf_counter()
    aligner = ba.Bertalign(
        src_text,
        tgt_text,
        max_align=args.max_align,
        top_k=args.top_k,
        win=args.win,
        skip=args.skip,
        margin=args.margin,
        len_penalty=args.len_penalty,
        is_split=True,
        model=enc,
    )
    beads = aligner.align_sents()
    secs = time.perf_counter() - start
    return beads, enc, len(texts), secs, aligner


def write_beads(beads, path: Path) -> None:
    """The gold's bead format: `[0, 1]:[2]`, one per line."""
    with path.open("w", encoding="utf-8") as f:
        for s, t in beads:
            f.write(f"[{', '.join(map(str, s))}]:[{', '.join(map(str, t))}]\n")


def check_vectors(binary: str, aligner, workdir: Path) -> str:
    """Cosine of source sentence 0 with target sentence 0 and of the source's first 2-sentence
    overlap with target sentence 0, as Bertalign holds them and from a fresh `tei-align embed`
    of the same lines."""
    s0, t0 = aligner.src_sents[0], aligner.tgt_sents[0]
    s01 = " ".join(x.strip() for x in aligner.src_sents[:2])
    fresh = tei_embed(binary, [s0, t0, s01], workdir)
    ours = (float(fresh[0] @ fresh[1]), float(fresh[2] @ fresh[1]))
    theirs = (
        float(aligner.src_vecs[0, 0] @ aligner.tgt_vecs[0, 0]),
        float(aligner.src_vecs[1, 1] @ aligner.tgt_vecs[0, 0]),
    )
    norms = np.linalg.norm(aligner.src_vecs[0, :3], axis=1)
    return (
        f"cos(src0, tgt0) Bertalign {theirs[0]:.6f} / tei-align embed {ours[0]:.6f}; "
        f"cos(src0+src1, tgt0) {theirs[1]:.6f} / {ours[1]:.6f}; norms {np.round(norms, 6).tolist()}"
    )


def score(set_dir: Path, pred: Path, score_py: Path, docs: list[str]) -> dict:
    """The shared scorer's figures (micro over `docs`)."""
    gold = [str(set_dir / "gold" / f"{d}.align") for d in docs]
    test = [str(pred / f"{d}.align") for d in docs]
    out = subprocess.run(
        [sys.executable, str(score_py), "-g", *gold, "-t", *test, "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def read_beads(path: Path) -> list[tuple[list[int], list[int]]]:
    """Beads in the gold's format (anything after a second `:` ignored)."""
    beads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        s, t = line.split(":")[:2]
        ids = lambda x: [int(v) for v in x.strip().strip("[]").split(",") if v.strip()]  # noqa: E731
        beads.append((ids(s), ids(t)))
    return beads


def deletion_tally(pred, gold_path: Path, null_path: Path, orph_path: Path, n_src: int, n_tgt: int):
    """What `benches/align_deletion.rs` counts for one damaged document: the sentences reported
    in 1-0 / 0-1 beads against the gold null sentences (`.null`), sentences no gold bead holds
    left out, and how many of the deleted passages' counterparts (`.orph`) were reported."""

    def pairs(path: Path) -> set[tuple[int, int]]:
        out = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                side, i = line.split()
                out.add((int(side), int(i)))
        return out

    held = set()
    for s, t in read_beads(gold_path):
        held |= {(0, i) for i in s} | {(1, j) for j in t}
    every = {(0, i) for i in range(n_src)} | {(1, j) for j in range(n_tgt)}
    unscored = every - held
    gold_null, orphaned = pairs(null_path), pairs(orph_path)
    reported = set()
    for s, t in pred:
        if not s or not t:
            reported |= {(0, i) for i in s} | {(1, j) for j in t}
    reported -= unscored
    return (
        len(reported & gold_null),
        len(reported - gold_null),
        len(gold_null - reported),
        len(orphaned),
        len(orphaned & reported),
    )


def deletion_figures(t) -> str:
    tp, fp, fn, orph, found = t
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f} R {r:.3f} F1 {f:.3f} recall on deleted {found / max(orph, 1):.3f}"


def run_deletion(args) -> None:
    """Bertalign on the damaged documents `cargo bench --bench align_deletion` dumped with
    `TEI_ALIGN_BENCH_OUT=DIR` (DIR/<set>.<doc>.e5.{src,tgt,null,orph,gold,align}), scored as
    the bench scores, beside our e5 alignment of the same texts (the dumped `.align`)."""
    dump = Path(args.deletion)
    for name in args.sets:
        ours, theirs = [0] * 5, [0] * 5
        tags = sorted(p.name[: -len(".src")] for p in dump.glob(f"{name}.*.e5.src"))
        with tempfile.TemporaryDirectory() as tmp:
            for tag in tags:
                src = read_lines(dump / f"{tag}.src")
                tgt = read_lines(dump / f"{tag}.tgt")
                beads, _, _, _, _ = align_doc(args.tei_align, src, tgt, args, Path(tmp))
                write_beads(beads, dump / f"{tag}.bertalign")
                files = (dump / f"{tag}.gold", dump / f"{tag}.null", dump / f"{tag}.orph")
                a = deletion_tally(beads, *files, len(src), len(tgt))
                b = deletion_tally(read_beads(dump / f"{tag}.align"), *files, len(src), len(tgt))
                theirs = [x + y for x, y in zip(theirs, a)]
                ours = [x + y for x, y in zip(ours, b)]
        print(f"{name} ({len(tags)} damaged docs) deletion, tei-align e5: {deletion_figures(ours)}")
        print(f"{name} ({len(tags)} damaged docs) deletion, Bertalign e5: {deletion_figures(theirs)}", flush=True)


def main() -> None:
    here = Path(__file__).resolve().parents[2]
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("sets", nargs="+")
    p.add_argument("--data", default=str(here.parent / "shared/bench/data"))
    p.add_argument("--sets-are-dirs", action="store_true", help="SETS are set directories")
    p.add_argument("--tei-align", default=str(here / "target/release/tei-align"))
    p.add_argument("--score", default=str(here.parent / "shared/bench/score.py"))
    p.add_argument("--out", default=None)
    p.add_argument("--max-align", type=int, default=5)
    p.add_argument("--top-k", type=int, default=3)
    p.add_argument("--win", type=int, default=5)
    p.add_argument("--skip", type=float, default=-0.1)
    p.add_argument("--no-margin", dest="margin", action="store_false")
    p.add_argument("--no-len-penalty", dest="len_penalty", action="store_false")
    p.add_argument("--check-doc", action="store_true")
    p.add_argument("--first", type=int, default=None, help="only the first N documents of each set")
    p.add_argument("--deletion", metavar="DUMP", help="score the damaged texts of align_deletion's dump")
    args = p.parse_args()

    # Bertalign's own top-k uses torch (stubbed): the same exact inner-product search in numpy.
    ba.find_top_k_sents = top_k_exact
    ba.detect_lang = lambda _text: "xx"
    if args.deletion:
        run_deletion(args)
        return

    out_root = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bertalign-e5-"))
    for name in args.sets:
        set_dir = Path(name) if args.sets_are_dirs else Path(args.data) / name
        pred = out_root / set_dir.name
        pred.mkdir(parents=True, exist_ok=True)
        docs = sorted(p.stem for p in (set_dir / "src").glob("*.txt"))[: args.first]
        n_texts, secs, note = 0, 0.0, ""
        with tempfile.TemporaryDirectory() as tmp:
            for k, doc in enumerate(docs):
                src = read_lines(set_dir / "src" / f"{doc}.txt")
                tgt = read_lines(set_dir / "tgt" / f"{doc}.txt")
                beads, enc, nt, s, aligner = align_doc(args.tei_align, src, tgt, args, Path(tmp))
                n_texts += nt
                secs += s
                write_beads(beads, pred / f"{doc}.align")
                if args.check_doc and k == 0:
                    note = f"  check on {doc}: " + check_vectors(args.tei_align, aligner, Path(tmp))
        if not (set_dir / "gold").is_dir():
            print(f"{set_dir.name}: {len(docs)} docs aligned into {pred} (no gold)")
            continue
        j = score(set_dir, pred, Path(args.score), docs)
        print(
            f"{set_dir.name:24} strict P {j['precision_strict']:.3f} R {j['recall_strict']:.3f} "
            f"F1 {j['f1_strict']:.3f}  lax F1 {j['f1_lax']:.3f}  "
            f"({len(docs)} docs, {n_texts} texts embedded, search {secs:.1f} s)",
            flush=True,
        )
        if note:
            print(note, flush=True)
    print(f"predictions: {out_root}")


if __name__ == "__main__":
    main()
