"""Files to tidy article rows: which files to read, how they are cut into bundles, and the workers that read them."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cxpress.corpus.articles import SharedTokens, article_frame
from cxpress.corpus.chrome import (
    CHROME_COLUMN,
    chrome_report,
    line_summaries,
    process_records,
)
from cxpress.corpus.readers import SUPPORTED, read_file
from cxpress.parallel import chunked_map, release_workers, resolve_jobs
from cxpress.text.language import prepare_model_copy
from cxpress.text.recurring import NO_RECURRING, RecurrenceCounts, RecurringLines

if TYPE_CHECKING:
    import pandas as pd

# Input bytes from which files are read and processed on both cores: about 1,500 articles of
# trade press (below, starting worker processes costs more than it saves).
PARALLEL_BYTES = 4_000_000


def discover_files(path: Path) -> tuple[list[Path], list[dict]]:
    """Files to read under `path` (sorted as paths: part by part), and report rows for the ones skipped.
    Hidden files and folders are left out; symbolic links to folders are not followed."""
    if path.is_file():
        return [path], []
    if not path.is_dir():
        raise FileNotFoundError(f"corpus path {path} does not exist: pass a folder or file of articles")
    # os.walk and string paths: Path.rglob, sorting Path objects and relative_to took 0.18 s for 9k files
    found = []  # (parts relative to path: the sort key, as Path objects sort; the file's path string)
    for folder, subfolders, names in os.walk(path):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        rel = os.path.relpath(folder, path)
        parts = () if rel == "." else tuple(rel.split(os.sep))
        found += [((*parts, name), os.path.join(folder, name)) for name in names if not name.startswith(".")]
    files, skipped = [], []
    for parts, name in sorted(found):
        if parts[-1].lower().startswith("readme") or not os.path.isfile(name):
            continue
        p = Path(name)
        if p.suffix.lower() in SUPPORTED:
            files.append(p)
        else:
            skipped.append({"path": "/".join(parts), "status": "skipped",
                            "reason": f"unsupported extension {p.suffix or '(none)'}: convert to "
                                      f"{', '.join(sorted(SUPPORTED))}"})
    return files, skipped


def _size(path: Path) -> int:
    """Bytes of a file; 0 when it cannot be read (read_file then reports why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def bundle_files(files: list[Path], n_bundles: int) -> list[list[Path]]:
    """The files in order, cut into about n_bundles runs of similar total size (a large .jsonl or
    .csv export may be a bundle of its own): the unit of work handed to a worker."""
    sizes = [max(_size(f), 1) for f in files]
    target = sum(sizes) / max(n_bundles, 1)
    bundles, current, filled = [], [], 0
    for f, size in zip(files, sizes, strict=True):
        current.append(f)
        filled += size
        if filled >= target:
            bundles.append(current)
            current, filled = [], 0
    return bundles + ([current] if current else [])


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while articles are cleaned: rows and token lists form no
    reference cycles, and its passes over a worker's caches cost ~0.05 ms an article for nothing.
    (Not while files are read: a BeautifulSoup tree is a cycle.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_files(bundles: list[list[Path]], root: Path, summarise: bool = True
               ) -> list[tuple[list[dict], list[dict], list]]:
    """Read every file of each bundle: (raw records, the files' report rows, the records' line
    summaries for learning recurring chrome, or [] when not summarise) per bundle. Reading happens
    here, in the worker, so that the main process does not decode every file before the workers start."""
    out = []
    for bundle in bundles:
        records, report = [], []
        for path in bundle:
            found, read_report = read_file(path, root)
            records.extend(found)
            report.extend(read_report)
        out.append((records, report, line_summaries(records) if summarise else []))
    return out


def ingest_files(bundles: list[list[dict]], recurring: RecurringLines, infer_years: bool = True,
                 token_method: str = "lemma") -> list[tuple[list[dict], list[dict]]]:
    """Clean, date and tokenise each bundle of raw records (chrome.process_records): (article rows
    without text_raw, which the caller has, no report rows) per bundle, the shape SharedTokens takes."""
    out = []
    with _no_cycle_collection():
        for records in bundles:
            rows = process_records(records, recurring, infer_years, token_method)
            for row in rows:
                del row["text_raw"]  # not sent back: on 100k articles, 300 MB more to pickle and hold twice
            out.append((rows, []))
    return out


def ingest_articles(root: Path, files: list[Path], *, infer_years: bool, token_method: str,
                    n_jobs: int | None, progress: bool, chrome_min_articles: int = 0
                    ) -> tuple[pd.DataFrame, list[dict]]:
    """Read, decode, clean, date and tokenise every file (in order), on both cores from
    PARALLEL_BYTES of input: the article table and the report rows (files read, dropped or skipped,
    and articles whose recurring chrome was removed). With chrome_min_articles (>= 2), the header and
    footer lines repeated in that many articles are learned while reading, before any is cleaned."""
    total = sum(map(_size, files))
    jobs = resolve_jobs(n_jobs, total, min_items=PARALLEL_BYTES)  # input bytes, not articles
    bundles = bundle_files(files, 16 * jobs)  # small enough to balance the cores and move the bar
    counts = RecurrenceCounts()
    # this process is idle while the workers read: it unpacks the language model they will share
    model = threading.Thread(target=prepare_model_copy, daemon=True)
    if jobs > 1:
        model.start()

    def fold(done: list) -> list:
        for _, _, summaries in done:
            counts.update(summaries)
            summaries.clear()  # counted: only the records and report rows are kept
        return done

    read = chunked_map(read_files, bundles, root, bool(chrome_min_articles), n_jobs=jobs, chunk=1,
                       on_chunk=fold, progress="read files (batches)" if progress else None)
    report = [r for _, bundle_report, _ in read for r in bundle_report]
    records = [bundle_records for bundle_records, _, _ in read]
    del read
    recurring = counts.learned(chrome_min_articles) if chrome_min_articles else NO_RECURRING
    pending, shared = iter(records), SharedTokens()
    if model.is_alive():
        model.join()

    def attach_raw(done: list) -> list:
        for rows, _ in done:
            for row, record in zip(rows, next(pending), strict=True):
                row["text_raw"] = record["raw"]  # the string read here, not a copy from the worker
        return shared(done)

    done = chunked_map(ingest_files, records, recurring, infer_years, token_method, n_jobs=jobs, chunk=1,
                       on_chunk=attach_raw, progress="clean+date+tokens (batches)" if progress else None)
    del records
    if jobs > 1 and len(bundles) > 1:
        release_workers(wait=False)  # their caches are no use to the analyses, and dedup needs the memory
    rows = [row for bundle_rows, _ in done for row in bundle_rows]
    del done
    report += chrome_report(rows, recurring)
    for row in rows:
        del row[CHROME_COLUMN]
    return article_frame(rows, consume=True), report
