"""Run cxpress's pipeline on one corpus stage by stage and write the timings as JSON (worker of run.py).

Usage: python benchmarks/cxpress_stages.py CORPUS --json OUT [--part ingest|analyses|reports] [...]

Each part runs in a fresh process, so that its memory figure is its own. ingest: the real
`load_corpus(cache=False)` call first (the figure the target uses), then stage by stage (read +
decode; the library's per-article code with tokenisation switched off; dedup; tokenisation alone,
on both cores like the library) to show where the time goes, with worker processes and per-word
caches reset in between so that both start cold; then the parquet cache write. analyses: the warm
load from that cache and every analysis, as a notebook kernel does. reports: the notebooks.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from cxpress import config
from cxpress.corpus import articles as articles_module
from cxpress.corpus import (
    discover_files,
    find_duplicates,
    load_corpus,
    read_file,
    select_for_analysis,
)
from cxpress.parallel import chunked_map, release_workers
from cxpress.text import defaults, tokenize

DEFAULT_K_VALUES = (5, 10, 15, 20, 25, 30)
ONE_K = 15


@contextmanager
def tokens_switched_off():
    """Run cxpress.articles' per-article code with tokens_of_words() returning [] (restored afterwards)."""
    original = articles_module.tokens_of_words
    articles_module.tokens_of_words = lambda words, **_: []
    try:
        yield
    finally:
        articles_module.tokens_of_words = original


def _rows_without_tokens(records: list[dict]) -> list[dict]:
    """process_record on each record, tokens off; the raw text is not sent back (the caller has it)."""
    with tokens_switched_off():
        rows = [articles_module.process_record(r) for r in records]
    for row in rows:
        del row["text_raw"]
    return rows


def _tokens_of(texts: list[str]) -> list[list[str]]:
    return [tokenize(text) for text in texts]


def fresh_workers_and_caches() -> None:
    """Stop joblib's reusable worker processes and empty this process's per-word and per-line caches,
    so that the next stage starts as cold as a new session would."""
    import gc

    from cxpress.corpus import release_arrow_memory

    release_workers()
    defaults.reset()  # the per-word and per-line caches go with the default helpers
    gc.collect()
    release_arrow_memory()  # malloc_trim: the next stage's memory starts from what is still held


def trim_heap() -> None:
    """Collect garbage and return freed memory to the system, so that the next stage's memory
    figure starts from what is still in use rather than from what earlier stages left behind."""
    import gc

    from cxpress.corpus import release_arrow_memory

    gc.collect()
    release_arrow_memory()  # malloc_trim


def run_ingest(corpus: Path, log) -> tuple[int, int] | None:
    """The real cold load_corpus call first (fresh process, fresh workers: the figure of the ingest
    target, and its memory from a clean start), then ingest stage by stage, caches emptied again;
    the (articles, tokens) of the cold load."""
    sizes = None
    with log.stage("load_corpus cold (cache=False)"):
        sizes = _sizes(load_corpus(corpus, cache=False, progress=False).articles)
    fresh_workers_and_caches()
    with log.stage("read + decode") as row:
        files, _ = discover_files(corpus)
        records = [rec for f in files for rec in read_file(f, corpus)[0]]
        row["articles"] = len(records)
    with log.stage("clean + dates + language", articles=len(records)):
        frame = pd.DataFrame(chunked_map(_rows_without_tokens, records))
        frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    del records
    release_workers()  # as load_corpus does before dedup
    with log.stage("dedup (exact + near)", articles=len(frame)):
        find_duplicates(frame, fingerprints=frame["_fingerprint"].tolist())  # as load_corpus does
    with log.stage("tokens (lemmas + multi-word terms)", articles=len(frame)):
        chunked_map(_tokens_of, frame["text"].tolist())
    del frame
    fresh_workers_and_caches()
    return sizes


def fill_cache(corpus: Path, log):
    """Write the parquet cache (timed); the LoadedCorpus, or None on failure."""
    fresh = None
    with log.stage("load_corpus + cache write"):
        fresh = load_corpus(corpus, cache=True, progress=False)
        if fresh.from_cache:  # left by an earlier run: remove it and write it again
            remove_cache(fresh.fingerprint)
            fresh = load_corpus(corpus, cache=True, progress=False)
    return fresh


def load_warm(corpus: Path, log, label: str = "load_corpus warm (parquet cache)"):
    """Read the corpus back from the parquet cache (timed), as a notebook does; None on failure."""
    loaded = None
    with log.stage(label):
        loaded = load_corpus(corpus, progress=False)
        if not loaded.from_cache:
            raise RuntimeError("load_corpus did not use the cache the ingest process wrote")
    return loaded


def remove_cache(fingerprint: str) -> None:
    """Delete the parquet files cached for this corpus (only those with its fingerprint)."""
    for path in config.PROCESSED.glob(f"*{fingerprint[:20]}*"):
        path.unlink()


def run_topics(articles: pd.DataFrame, log) -> None:
    """Vectorise, one NMF, and the full fit_topics at one k."""
    from cxpress.topics import factorise, fit_topics, vectorise_tokens

    with log.stage("vectorise (cached tokens, bigrams)"):
        dtm = vectorise_tokens(articles)
    with log.stage(f"NMF k={ONE_K} ({topic_method(dtm)})"):
        factorise(dtm.tfidf, ONE_K, 0, topic_method(dtm))
    trim_heap()
    with log.stage(f"fit_topics k={ONE_K} (all tables)"):
        fit_topics(articles, k=ONE_K, seed=0)


def topic_method(dtm) -> str:
    """The NMF variant fit_topics picks for this many articles (method="auto")."""
    from cxpress.topics import TopicParams

    return "minibatch" if dtm.n_docs > TopicParams().minibatch_above else "nmf"


def run_targets(articles: pd.DataFrame, log) -> None:
    """Term timelines with bootstrap CIs, target sentences, sentiment with per-year CIs: the mentions
    of every term group are found once and shared, as notebooks 03 and 04 do (without their memo)."""
    from cxpress.sentiment import score_sentences, sentiment_by_year, target_sentences
    from cxpress.timelines import count_mentions, find_mentions, term_timeline

    with log.stage("timelines + bootstrap CIs") as row:
        mentions = find_mentions(articles)
        term_timeline(articles, count_mentions(articles, mentions=mentions))
        row["mentions"] = len(mentions.table)
    trim_heap()
    with log.stage("target sentences") as row:
        sentences = target_sentences(articles, mentions=mentions)
        row["sentences"] = len(sentences)
    trim_heap()
    with log.stage("sentiment + per-year CIs"):
        sentiment_by_year(score_sentences(sentences))


def fill_counts(rows: list[dict], loaded: tuple[int, int] | None, analysed: tuple[int, int] | None) -> None:
    """Articles and words per row: the whole corpus for ingest rows, the analysed articles after
    ((articles, tokens) of each)."""
    ingest = {"read + decode", "clean + dates + language", "dedup (exact + near)",
              "tokens (lemmas + multi-word terms)", "load_corpus cold (cache=False)",
              "load_corpus + cache write", "load_corpus warm (parquet cache)", "load_corpus warm (k-grid process)"}
    for row in rows:
        counts = loaded if row["stage"] in ingest else analysed
        if counts is not None and not row["stage"].startswith(" "):
            row["articles"] = row.get("articles") or counts[0]
            row["words"] = row.get("words") or counts[1]


def _sizes(articles: pd.DataFrame) -> tuple[int, int]:
    return len(articles), int(articles["n_tokens"].sum())


def run_ingest_part(corpus: Path, log, part: str) -> None:
    """ingest: the cold load and the stages one by one; cache: the load that writes the parquet cache
    the other processes read, in a process of its own (after the stage rows, the ingest process still
    held 2.4 GB at 100k articles: the cache write's memory would not have been its own)."""
    sizes = None
    try:
        if part == "ingest":
            sizes = run_ingest(corpus, log)
        elif (fresh := fill_cache(corpus, log)) is not None:
            sizes = _sizes(fresh.articles)
    finally:
        fill_counts(log.rows, sizes, None)


def _analysed(corpus: Path, log, label: str = "load_corpus warm (parquet cache)"):
    """The warm load (timed), the analysed articles, the (articles, tokens) sizes of both and the
    corpus fingerprint; None on failure."""
    loaded = load_warm(corpus, log, label)
    if loaded is None:
        return None
    loaded_sizes, fingerprint = _sizes(loaded.articles), loaded.fingerprint
    # every inferred year kept: the generated corpus's synthetic dates never calibrate to 85 % within
    # +-1, and the default would analyse a third fewer articles than the runs before calibration
    analysed = select_for_analysis(loaded.articles, keep_raw=False, min_year_accuracy=0)
    del loaded
    log.info = {"n_loaded": loaded_sizes[0], "n_analysed": len(analysed)}
    return analysed, loaded_sizes, _sizes(analysed), fingerprint


def run_analyses_part(corpus: Path, log, keep_cache: bool = True) -> None:
    """In a fresh process, like a notebook kernel: the warm load, topics, timelines, sentiment. Like
    the notebooks, the analyses keep only the analysed articles (the full table is let go); the heap
    is trimmed between stages (each row's memory is that of its own stage)."""
    sizes = (None, None)
    try:
        found = _analysed(corpus, log)
        if found is None:
            return
        analysed, *sizes, fingerprint = found
        if not keep_cache:  # the last process that reads it (no k grid, no reports)
            remove_cache(fingerprint)
        trim_heap()
        run_topics(analysed, log)
        trim_heap()
        run_targets(analysed, log)
    finally:
        fill_counts(log.rows, *sizes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--json", type=Path, required=True, help="where to write the stage rows")
    parser.add_argument("--part", choices=["ingest", "cache", "analyses", "kgrid", "reports"], default="ingest",
                        help="ingest: load_corpus cold, stage by stage; cache: the cache write (always kept); "
                             "analyses: topics, timelines, sentiment, warm from that cache; kgrid: the k grid, "
                             "warm from it; reports: the notebooks, warm from it (each part in a fresh "
                             "process: its memory is its own; without --keep-cache the cache is removed "
                             "after the part, so run.py passes it to all but the last)")
    parser.add_argument("--reports-out", type=Path, help="output folder of the warm reports")
    parser.add_argument("--k-values", default=",".join(map(str, DEFAULT_K_VALUES)))
    parser.add_argument("--stability-runs", type=int, default=10)
    parser.add_argument("--keep-cache", action="store_true", help="leave the corpus cache in data/processed")
    parser.add_argument("--stage-timeout", type=float, default=1800, help="seconds before a stage is stopped")
    args = parser.parse_args(argv)
    from measure import StageLog  # sibling module: this script's folder is on sys.path

    corpus = args.corpus.resolve()
    log = StageLog("cxpress", str(corpus), args.json, stage_timeout=args.stage_timeout)
    try:
        if args.part in ("ingest", "cache"):
            run_ingest_part(corpus, log, args.part)
        elif args.part == "analyses":
            run_analyses_part(corpus, log, args.keep_cache)
        elif args.part == "kgrid":
            from kgrid_part import (
                run_k_grid_part,  # sibling module: this script's folder is on sys.path
            )

            run_k_grid_part(corpus, log, args)
        else:
            from reports_runs import run_warm  # sibling module: this script's folder is on sys.path

            run_warm(corpus, args.reports_out or corpus.parent / f"{corpus.name}-reports", log)
            if not args.keep_cache:
                remove_cache(load_corpus(corpus, progress=False).fingerprint)
    finally:
        log.write()
    return 1 if any(r["status"] != "ok" for r in log.rows) else 0

if __name__ == "__main__":
    sys.exit(main())
