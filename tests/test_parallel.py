"""chunked_map: order and results do not depend on the number of workers (analyses use it from 1,500 items)."""

import pandas as pd
import pytest

from cxpress import parallel
from cxpress.corpus import load_corpus, select_for_analysis


def _lengths(chunk: list[str]) -> list[int]:
    return [len(x) for x in chunk]


def test_chunked_map_keeps_order_across_workers():
    items = [("x" * i) for i in range(23)]
    serial = parallel.chunked_map(_lengths, items, n_jobs=1, chunk=4)
    assert serial == list(range(23))
    assert parallel.chunked_map(_lengths, items, n_jobs=2, chunk=4) == serial
    assert parallel.chunked_map(_lengths, [], n_jobs=2) == []


def test_two_workers_from_the_threshold_on():
    assert parallel.resolve_jobs(None, parallel.PARALLEL_MIN) == 2
    assert parallel.resolve_jobs(None, parallel.PARALLEL_MIN - 1) == 1
    assert parallel.resolve_jobs(None, 10, min_items=5) == 2


def test_n_jobs_given_is_used_and_checked():
    assert parallel.resolve_jobs(1, 10 * parallel.PARALLEL_MIN) == 1  # as the reports ask side by side
    assert parallel.resolve_jobs(4, 3) == 4
    for bad in [0, -1]:
        with pytest.raises(ValueError, match="n_jobs"):
            parallel.resolve_jobs(bad, 10)


@pytest.fixture(scope="module")
def demo():
    return select_for_analysis(load_corpus(progress=False).articles)


def _analyses(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    from cxpress.sentiment import score_sentences, target_sentences
    from cxpress.timelines import count_mentions, kwic, term_breakdown

    found = target_sentences(articles)
    return {"counts": count_mentions(articles), "sentences": found, "scored": score_sentences(found),
            "kwic": kwic(articles, "ia"), "breakdown": term_breakdown(articles, None, [(2010, 2016), (2017, 2024)])}


def test_analyses_give_the_same_tables_on_two_workers(demo, monkeypatch):
    serial = _analyses(demo)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    monkeypatch.setattr(parallel, "CHUNK", 17)
    spread = _analyses(demo)
    for name, table in serial.items():
        assert len(table) > 10, name
        pd.testing.assert_frame_equal(table, spread[name], obj=name)


def test_progress_bar_off_in_reports_and_in_kernels_without_widgets(monkeypatch):
    from tqdm import tqdm

    monkeypatch.delenv("CXPRESS_PROGRESS", raising=False)
    bar = parallel.progress_bar(3, "work")
    assert isinstance(bar, tqdm)
    bar.close()
    assert not isinstance(parallel.progress_bar(3, None), tqdm)
    monkeypatch.setenv("CXPRESS_PROGRESS", "0")  # set by the report runner for its kernels
    assert not isinstance(parallel.progress_bar(3, "work"), tqdm)
    monkeypatch.delenv("CXPRESS_PROGRESS")
    monkeypatch.setitem(__import__("sys").modules, "ipykernel", object())
    monkeypatch.setattr(parallel.importlib.util, "find_spec", lambda name: None)
    assert not isinstance(parallel.progress_bar(3, "work"), tqdm)


def test_release_workers_stops_the_executor_joblib_used_without_waiting():
    from joblib.externals.loky import reusable_executor

    words = ["centre", "appel", "plateau"] * 400
    assert parallel.chunked_map(_lengths, words, n_jobs=2, chunk=100) == [len(w) for w in words]
    used = reusable_executor._executor
    parallel.release_workers(wait=False)
    assert reusable_executor._executor is used and used._flags.shutdown  # not replaced by a new one
    assert parallel.chunked_map(_lengths, words, n_jobs=2, chunk=100) == [len(w) for w in words]


def test_the_ingest_workers_import_neither_pandas_nor_scipy():
    # what a worker unpickles: the functions of corpus.ingest; pandas and scipy cost ~0.4 s a worker
    import subprocess
    import sys

    code = ("import sys, cxpress.corpus.ingest, cxpress.corpus.chrome\n"
            "print(sorted(m for m in ('pandas', 'scipy', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"
