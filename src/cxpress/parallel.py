"""Per-article work on both cores for large corpora: an ordered, chunked map over joblib workers."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Sequence

from cxpress.config import N_JOBS

PARALLEL_MIN = 1500  # items; below this, starting worker processes costs more than it saves
CHUNK = 500  # items per task: large enough to amortise pickling, small enough to balance two cores


def resolve_jobs(n_jobs: int | None, n_items: int, min_items: int | None = None) -> int:
    """Worker processes for n_items: n_jobs when given, else config.N_JOBS from min_items items on
    (default PARALLEL_MIN), else 1 (no worker processes)."""
    if n_jobs is not None:
        if int(n_jobs) < 1:
            raise ValueError(f"n_jobs={n_jobs!r}: give a whole number of workers, 1 or more (or None)")
        return int(n_jobs)
    return N_JOBS if n_items >= (PARALLEL_MIN if min_items is None else min_items) else 1


def chunked_map(func: Callable[..., list], items: Sequence, *args, n_jobs: int | None = None,
                chunk: int | None = None, min_items: int | None = None, progress: str | None = None,
                on_chunk: Callable[[list], list] | None = None) -> list:
    """func(items[i:i + chunk], *args) for every chunk, results concatenated in order.

    func must return one result per item and be importable by name (a module-level function), as
    must args: chunks run in joblib worker processes when resolve_jobs() gives more than one.
    progress, if given, is the label of a progress bar; on_chunk, if given, is applied in this
    process to each chunk's results as they arrive.
    """
    items = list(items)
    chunk = chunk or CHUNK
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    jobs = resolve_jobs(n_jobs, len(items), min_items)
    bar = progress_bar(len(items), progress)
    out: list = []
    try:
        if jobs == 1 or len(chunks) <= 1:
            for part in chunks:
                done = func(part, *args)
                out.extend(on_chunk(done) if on_chunk else done)
                bar.update(len(part))
        else:
            from joblib import Parallel, delayed

            parallel = Parallel(n_jobs=jobs, return_as="generator")
            for done in parallel(delayed(func)(part, *args) for part in chunks):
                out.extend(on_chunk(done) if on_chunk else done)
                bar.update(len(done))
    finally:
        bar.close()
    return out


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(total: int, label: str | None):
    """A tqdm bar labelled `label`, or one that shows nothing: when label is None, when the report
    runner says so (CXPRESS_PROGRESS=0: a bar is noise in an HTML report), or inside a Jupyter kernel
    without ipywidgets, where importing tqdm.auto writes a TqdmWarning to stderr."""
    in_kernel = "ipykernel" in sys.modules
    if (label is None or os.environ.get("CXPRESS_PROGRESS") == "0"
            or (in_kernel and importlib.util.find_spec("ipywidgets") is None)):
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=label, leave=False)


def release_workers(wait: bool = True) -> None:
    """Stop joblib's reusable worker processes (the next chunked_map starts new ones, ~1 s): after
    ingest they hold per-word and per-line caches of the whole corpus, ~350 MB each at 50k articles.
    wait=False returns at once: the workers exit while the caller goes on (their work is done)."""
    from joblib.externals.loky import get_reusable_executor

    # reuse=True: the executor joblib started, whatever its arguments; with the defaults, loky would
    # replace it, waiting for its workers to exit (0.2-0.4 s after an ingest) even with wait=False
    get_reusable_executor(reuse=True).shutdown(wait=wait)
