"""Files to tidy article rows: which files to read, how they are cut into bundles, and the workers that read them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cxpress.corpus.articles import SharedTokens, article_frame, process_record
from cxpress.corpus.readers import SUPPORTED, read_file
from cxpress.parallel import chunked_map, release_workers, resolve_jobs

# Input bytes from which files are read and processed on both cores: about 1,500 articles of
# trade press (below, starting worker processes costs more than it saves).
PARALLEL_BYTES = 4_000_000


def discover_files(path: Path) -> tuple[list[Path], list[dict]]:
    """Files to read under `path` (sorted), and report rows for the ones skipped."""
    if path.is_file():
        return [path], []
    if not path.is_dir():
        raise FileNotFoundError(f"corpus path {path} does not exist: pass a folder or file of articles")
    files, skipped = [], []
    for p in sorted(path.rglob("*")):
        if not p.is_file() or any(part.startswith(".") for part in p.relative_to(path).parts):
            continue
        if p.name.lower().startswith("readme"):
            continue
        if p.suffix.lower() in SUPPORTED:
            files.append(p)
        else:
            skipped.append({"path": str(p.relative_to(path)), "status": "skipped",
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


def ingest_files(bundles: list[list[Path]], root: Path, infer_years: bool = True,
                 token_method: str = "lemma") -> list[tuple[list[dict], list[dict]]]:
    """Read every file of each bundle and process its records: (article rows, with text_raw, and the
    files' report rows) per bundle. Reading happens here, in the worker, so that the main process
    does not decode every file before the workers can start."""
    out = []
    for bundle in bundles:
        rows, report = [], []
        for path in bundle:
            records, read_report = read_file(path, root)
            report.extend(read_report)
            rows.extend(process_record(r, infer_years=infer_years, token_method=token_method)
                        for r in records)
        out.append((rows, report))
    return out


def ingest_articles(root: Path, files: list[Path], *, infer_years: bool, token_method: str,
                    n_jobs: int | None, progress: bool) -> tuple[pd.DataFrame, list[dict]]:
    """Read, decode, clean, date and tokenise every file (in order), on both cores from
    PARALLEL_BYTES of input: the article table and the files' report rows."""
    total = sum(map(_size, files))
    jobs = resolve_jobs(n_jobs, total, min_items=PARALLEL_BYTES)  # input bytes, not articles
    bundles = bundle_files(files, 16 * jobs)  # small enough to balance the cores and move the bar
    done = chunked_map(ingest_files, bundles, root, infer_years, token_method, n_jobs=jobs, chunk=1,
                       on_chunk=SharedTokens(),
                       progress="read+clean+date+tokens (file batches)" if progress else None)
    if jobs > 1 and len(bundles) > 1:
        release_workers()  # their caches are no use to the analyses, and dedup needs the memory
    rows = [row for bundle_rows, _ in done for row in bundle_rows]
    report = [r for _, bundle_report in done for r in bundle_report]
    del done
    return article_frame(rows), report
