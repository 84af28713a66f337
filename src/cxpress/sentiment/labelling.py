"""A stratified random sample of a corpus's target sentences for hand labelling (`cxpress
label-sample`), written in the ANNOTATION.md format with an empty label, so that a researcher can
check the scorer on their own text (notebook 04, parameter labels_file)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cxpress import config

SAMPLE_COLUMNS = ["id", "doc_id", "year", "target", "sentence", "label"]


def _allocate(sizes: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sentences per stratum: proportional to its size (largest remainder, ties broken at random),
    never more than the stratum holds."""
    quota = sizes / sizes.sum() * min(n, sizes.sum())
    take = np.minimum(np.floor(quota).astype(int), sizes)
    order = np.lexsort((rng.random(len(sizes)), -(quota - np.floor(quota))))
    while take.sum() < min(n, sizes.sum()):
        for k in order:
            if take.sum() < min(n, sizes.sum()) and take[k] < sizes[k]:
                take[k] += 1
    return take


def sample_for_labelling(scored: pd.DataFrame, n: int = 150, *, seed: int = 0) -> pd.DataFrame:
    """`n` scored target sentences drawn at random within strata of year x target x predicted label,
    each stratum in proportion to its size (so the sample mirrors the corpus and its macro-F1
    estimates the corpus's), with an empty `label` to fill in. The predicted label is not written:
    the labeller should not see it."""
    missing = [c for c in ("doc_id", "year", "target", "sentence", "label") if c not in scored.columns]
    if missing:
        raise ValueError(f"column(s) {missing} missing: pass score_sentences() output")
    rng = np.random.default_rng(seed)
    strata = scored.assign(year=scored["year"].astype("Int64")).groupby(
        ["year", "target", "label"], dropna=False, sort=True)
    groups = list(strata.indices.values())
    take = _allocate(np.array([len(g) for g in groups]), n, rng)
    rows = np.concatenate([rng.choice(g, size=k, replace=False) for g, k in zip(groups, take, strict=True)]
                          + [np.array([], dtype=int)])
    sample = scored.iloc[np.sort(rows)].reset_index(drop=True)
    sample = sample.assign(id=[f"label-{k + 1:04d}" for k in range(len(sample))], label="",
                           year=sample["year"].astype("Int64"))
    return sample[SAMPLE_COLUMNS]


def write_jsonl(frame: pd.DataFrame, path: Path) -> None:
    """One JSON object per row, UTF-8 with accents as written (easy to edit by hand)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in frame.to_dict("records"):
            clean = {k: (None if pd.isna(v) else v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            out.write(json.dumps(clean, ensure_ascii=False) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cxpress label-sample", description=__doc__)
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: data/raw if it has files, else data/sample)")
    parser.add_argument("--n", type=int, default=150, help="sentences to draw (default 150)")
    parser.add_argument("--out", type=Path, default=config.DATA / "labels" / "my_corpus.jsonl",
                        help="JSONL file to write (default data/labels/my_corpus.jsonl)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scorer", default="classifier", help="scorer whose labels stratify the sample")
    parser.add_argument("--force", action="store_true", help="overwrite --out (it may hold your labels)")
    return parser


def label_sample_main(argv: Sequence[str] | None = None) -> int:
    """`cxpress label-sample`: load the corpus, find and score its target sentences, write the sample."""
    from cxpress.corpus import load_corpus, select_for_analysis
    from cxpress.sentiment.scoring import make_scorer, score_sentences
    from cxpress.sentiment.targets import target_sentences

    args = _parser().parse_args(argv)
    if args.out.exists() and not args.force:
        print(f"error: {args.out} exists (it may hold labels already): pass --force or another --out")
        return 2
    corpus = args.corpus or config.default_corpus()
    years = (config.YEAR_MIN, config.YEAR_MAX)
    articles = select_for_analysis(load_corpus(corpus, years=years, progress=False).articles, years=years)
    scored = score_sentences(target_sentences(articles, ["ai", "offshoring"]), make_scorer(args.scorer))
    sample = sample_for_labelling(scored, args.n, seed=args.seed)
    write_jsonl(sample, args.out)
    print(f"{len(sample)} of {len(scored)} target sentences written to {args.out}: fill each \"label\" "
          f"with negative, neutral or positive (ANNOTATION.md), then run notebook 04 with "
          f"-p labels_file {args.out}")
    return 0
