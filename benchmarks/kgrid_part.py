"""The k-grid part of cxpress_stages.py: select_k over the grid with its resampled fits, warm from the
parquet cache in a process of its own, as notebook 02 runs it in its kernel."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from cxpress_stages import _analysed, fill_counts, remove_cache, topic_method, trim_heap


def run_k_grid(articles: pd.DataFrame, log, k_values: tuple[int, ...], n_runs: int) -> None:
    """select_k over the grid with n_runs resampled fits per k (vectorising included), as the library
    does it (resamples of at most MAX_SAMPLE_DOCS articles); up to 10k articles also with Greene et al.'s
    uncapped 80 % resamples, to show what the cap saves."""
    from cxpress.topics import vectorise_tokens
    from cxpress.topics.quality import MAX_SAMPLE_DOCS, Resampling, select_k

    caps = [MAX_SAMPLE_DOCS] + ([None] if len(articles) <= 10_000 else [])
    for cap in caps:
        label = f"k-grid {min(k_values)}..{max(k_values)} x {n_runs} resamples " + (
            f"(<= {cap} articles each)" if cap else "(80 %, uncapped)")
        with log.stage(label, words=None) as row:
            dtm = vectorise_tokens(articles)
            select_k(dtm, k_values, seed=0, method=topic_method(dtm), n_jobs=2,
                     resampling=Resampling(n_runs, max_docs=cap))
            row["articles"], row["words"] = len(articles), int(articles["n_tokens"].sum())
            del dtm
        log.write()
        trim_heap()


def run_k_grid_part(corpus: Path, log, args: argparse.Namespace) -> None:
    """The k grid in a fresh process of its own, as notebook 02 runs it in its kernel (last: the
    likeliest to time out); the cache is removed afterwards unless the notebooks still need it."""
    sizes = (None, None)
    try:
        found = _analysed(corpus, log, "load_corpus warm (k-grid process)")
        if found is None:
            return
        analysed, *sizes, fingerprint = found
        trim_heap()
        fill_counts(log.rows, *sizes)
        log.write()
        if not args.keep_cache:
            remove_cache(fingerprint)
        run_k_grid(analysed, log, tuple(int(k) for k in args.k_values.split(",")), args.stability_runs)
    finally:
        fill_counts(log.rows, *sizes)
