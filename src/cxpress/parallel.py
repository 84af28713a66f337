"""Per-article work on both cores for large corpora: an ordered, chunked map over joblib workers."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

PARALLEL_MIN = 1500  # items; below this, starting worker processes costs more than it saves
CHUNK = 500  # items per task: large enough to amortise pickling, small enough to balance two cores


WORKERS_VARIABLE = "CXPRESS_MAX_WORKERS"


def max_workers() -> int:
    """Worker processes a parallel step may use: 2 (this project targets two-core machines), or
    the CXPRESS_MAX_WORKERS environment variable (the reports set it to 1 in notebooks that run
    two at a time: each then has a core, and starts no workers)."""
    value = os.environ.get(WORKERS_VARIABLE, "").strip()
    if not value:
        return 2
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{WORKERS_VARIABLE}={value!r}: give a whole number of workers, 1 or more")
    return int(value)


def default_jobs(n_items: int, min_items: int | None = None) -> int:
    """max_workers() from min_items (default PARALLEL_MIN) items on, else 1."""
    return max_workers() if n_items >= (PARALLEL_MIN if min_items is None else min_items) else 1


def chunked_map(func: Callable[..., list], items: Sequence, *args, n_jobs: int | None = None,
                chunk: int | None = None, min_items: int | None = None, desc: str | None = None,
                progress: bool = False, unit: str = "item", on_chunk: Callable[[list], list] | None = None) -> list:
    """func(items[i:i + chunk], *args) for every chunk, results concatenated in order.

    func must return one result per item and be importable by name (a module-level function), as
    must args: chunks run in joblib worker processes when there are at least min_items items.
    on_chunk, if given, is applied in this process to each chunk's results as they arrive.
    """
    from tqdm.auto import tqdm

    items = list(items)
    chunk = chunk or CHUNK
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    jobs = n_jobs if n_jobs is not None else default_jobs(len(items), min_items)
    bar = tqdm(total=len(items), desc=desc, unit=unit, disable=not progress, leave=False)
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


def release_workers() -> None:
    """Stop joblib's reusable worker processes (the next chunked_map starts new ones, ~1 s): after
    ingest they hold per-word and per-line caches of the whole corpus, ~350 MB each at 50k articles."""
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)
