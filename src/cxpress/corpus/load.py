"""Load a folder (or file) of articles into the tidy corpus, with a load report and a parquet cache."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from cxpress import __version__, config
from cxpress.corpus.articles import ARTICLE_COLUMNS, SharedTokens, article_frame, process_record
from cxpress.corpus.dedup import find_duplicates
from cxpress.corpus.readers import SUPPORTED, read_file
from cxpress.parallel import chunked_map, release_workers, resolve_jobs

CACHE_VERSION = "1"
# The lexicons that change what load_corpus produces (term groups, sentiment, topic lists do not).
LOADER_LEXICONS = ("boilerplate.yml", "dates.yml", "stopwords_fr.txt", "mwe.yml", "elision_fr.yml", "function_words.yml",
                   "lemmas_fr.yml")
# ...and the code that does it: a changed cleaner must not be served a stale cache.
LOADER_MODULES = ("corpus.load", "corpus.readers", "corpus.decode", "corpus.webpages", "corpus.articles",
                  "corpus.dedup", "text.clean", "text.dates", "text.years", "text.language", "text.tokens",
                  "text.french", "text.unicode", "text.boilerplate")
REPORT_COLUMNS = ["path", "status", "reason"]


@dataclass
class LoadedCorpus:
    """The tidy articles, the load report (path, status, reason) and how they were made."""

    articles: pd.DataFrame
    report: pd.DataFrame
    fingerprint: str
    params: dict = field(default_factory=dict)
    from_cache: bool = False

    def summary(self) -> pd.DataFrame:
        """Counts of report rows by status and reason family (the part before ':')."""
        family = self.report["reason"].str.split(":").str[0]
        return (self.report.assign(reason=family).groupby(["status", "reason"]).size()
                .rename("n").reset_index().sort_values(["status", "n"], ascending=[True, False]))


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


def corpus_fingerprint(path: str | Path, params: dict | None = None, files: list[Path] | None = None) -> str:
    """sha256 over file names, sizes and mtimes, the parameters, and the loader's lexicons and code
    (files: discover_files(path)[0] when the caller has it)."""
    path = Path(path)
    files = discover_files(path)[0] if files is None else files
    h = hashlib.sha256(f"{CACHE_VERSION}|{__version__}|{json.dumps(params or {}, sort_keys=True)}".encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.relative_to(path) if path.is_dir() else f.name}|{st.st_size}|{st.st_mtime_ns}".encode())
    package = Path(__file__).parents[1]
    for module in LOADER_MODULES:
        h.update((package / f"{module.replace('.', '/')}.py").read_bytes())
    for name in LOADER_LEXICONS:
        lex = config.LEXICONS / name
        h.update(lex.read_bytes() if lex.is_file() else b"-")
    return h.hexdigest()


def _flag_rows(articles: pd.DataFrame, years: tuple[int, int]) -> list[dict]:
    """Report rows for articles kept in the table but excluded or flagged for analyses (with the
    per-article _mojibake_repaired flag): per article in table order, in the order of the checks."""
    source = articles["source"]
    by_id = dict(zip(articles["doc_id"], source, strict=True))
    year = articles["year"]
    dated = year.notna()
    checks = [  # (mask, status, reason of each flagged article)
        (articles["_mojibake_repaired"].astype(bool), "repaired", lambda a: "mojibake: repaired with ftfy"),
        (articles["lang"] != "fr", "excluded", lambda a: f"language: {a['lang']} (not French)"),
        (articles["dup_of"].notna(), "excluded", lambda a: f"duplicate: of {by_id[a['dup_of']]}"),
        (~dated, "flagged", lambda a: "undated: no date and no year evidence"),
        (dated & ~year.between(*years).fillna(False).astype(bool), "flagged",
         lambda a: f"out of range: year {a['year']} outside {years[0]}-{years[1]}"),
        (articles["date_source"] == "inferred", "flagged", lambda a: f"inferred year: {a['year']} (no date line)"),
    ]
    found = []  # (article position, check number, row)
    values = {c: articles[c].tolist() for c in ["source", "lang", "dup_of", "year"]}
    for number, (mask, status, reason) in enumerate(checks):
        for position in np.flatnonzero(mask.to_numpy(bool)):
            a = {c: column[position] for c, column in values.items()}
            found.append((position, number, {"path": a["source"], "status": status, "reason": reason(a)}))
    return [row for _, _, row in sorted(found, key=lambda f: (f[0], f[1]))]


def normalise_dtypes(articles: pd.DataFrame) -> pd.DataFrame:
    """The dtypes a parquet round trip gives, so cached and fresh loads compare equal."""
    text_columns = ["doc_id", "source", "url", "title", "date_source", "text_raw", "text", "lang",
                    "dup_of", "encoding", "date_note"]
    out = articles.astype({c: "str" for c in text_columns})
    return out.astype({"date": "datetime64[ns]", "year": "Int64", "n_tokens": "int64", "in_range": "bool"})


def release_arrow_memory() -> None:
    """Return freed memory to the system (malloc_trim with the system allocator set below)."""
    pa.default_memory_pool().release_unused()


# Arrow's default allocator (mimalloc) keeps freed buffers for reuse: after a 50k-article corpus is
# read and a selection of its rows taken, ~250 MB more stay resident than with the system allocator,
# which returns large buffers as soon as they are freed (at the same speed, measured).
pa.set_memory_pool(pa.system_memory_pool())


def read_articles(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The cached article table, with token lists whose equal strings are one object.

    pandas would give each of the 15 million tokens of a 50k-article corpus its own string (~1 GB);
    dictionary-encoding the column first shares them (a pointer per token), and is faster too.
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=columns)
    if "tokens" in table.column_names:
        tokens = table.column("tokens").combine_chunks()
        articles = table.drop_columns(["tokens"]).to_pandas()
        lengths = pc.fill_null(pc.list_value_length(tokens), 0).to_numpy()
        encoded = pc.dictionary_encode(tokens.flatten())
        words = np.array(encoded.dictionary.to_pylist(), dtype=object)
        flat = words[encoded.indices.to_numpy()] if len(encoded) else np.empty(0, dtype=object)
        lists = [part.tolist() for part in np.split(flat, np.cumsum(lengths)[:-1])] if len(lengths) else []
        articles = articles.assign(tokens=lists).reindex(columns=table.column_names)
        del tokens, encoded
    else:  # columns= left the tokens out
        articles = table.to_pandas()
    del table
    release_arrow_memory()
    return articles


# Input bytes from which files are read and processed on both cores: about 1,500 articles of
# trade press (below, starting worker processes costs more than it saves).
PARALLEL_BYTES = 4_000_000


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


def _ingest(root: Path, files: list[Path], *, infer_years: bool, token_method: str, n_jobs: int | None,
            progress: bool) -> tuple[pd.DataFrame, list[dict]]:
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


def load_corpus(path: str | Path | None = None, *, cache: bool = True, years: tuple[int, int] = (
        config.YEAR_MIN, config.YEAR_MAX), infer_years: bool = True, token_method: str = "lemma",
        near_dup_threshold: float = 0.8, n_jobs: int | None = None, progress: bool | None = None,
        columns: list[str] | None = None,
) -> LoadedCorpus:
    """Read, decode, clean, date, deduplicate and tokenise every article under `path`.

    Nothing is dropped silently: `.report` has one row per file read, dropped or skipped and per
    article excluded or flagged. With `cache=True` the result is stored in data/processed/ as
    parquet, keyed by a fingerprint of the inputs and parameters, and reused while nothing changes.
    `columns` keeps only these article columns (doc_id and the columns select_for_analysis reads
    are always kept); from the cache only they are read, e.g. no tokens for an analysis of the
    text: on 50k articles the token lists and raw texts take several hundred MB.
    """
    path = Path(path) if path else config.default_corpus()
    years = (int(years[0]), int(years[1]))
    params = {"years": list(years), "infer_years": infer_years, "token_method": token_method,
              "near_dup_threshold": near_dup_threshold}
    files, report = discover_files(path)
    fingerprint = corpus_fingerprint(path, params, files)
    cached = config.PROCESSED / f"corpus-{fingerprint[:20]}.parquet"
    cached_report = cached.with_suffix(".report.parquet")
    keep = _columns_to_keep(columns)
    if cache and cached.exists() and cached_report.exists():
        articles = read_articles(cached, keep)
        return LoadedCorpus(articles, pd.read_parquet(cached_report), fingerprint, params, True)

    root = path if path.is_dir() else path.parent
    articles, rows = _ingest(root, files, infer_years=infer_years, token_method=token_method, n_jobs=n_jobs,
                             progress=progress is not False)
    report.extend(rows)
    if len(articles):
        articles["dup_of"] = find_duplicates(articles, threshold=near_dup_threshold,
                                             fingerprints=articles.pop("_fingerprint").tolist())
        articles["in_range"] = articles["year"].between(*years).fillna(False).astype(bool)
        report.extend(_flag_rows(articles, years))
    articles = normalise_dtypes(articles.reindex(columns=ARTICLE_COLUMNS).reset_index(drop=True))
    report_df = pd.DataFrame(report, columns=REPORT_COLUMNS)
    if cache:
        config.PROCESSED.mkdir(parents=True, exist_ok=True)
        articles.to_parquet(cached, index=False)
        report_df.to_parquet(cached_report, index=False)
        release_arrow_memory()
    if keep is not None:
        articles = articles[keep]
    return LoadedCorpus(articles, report_df, fingerprint, params, False)


SELECTION_COLUMNS = ("doc_id", "lang", "dup_of", "year")  # what select_for_analysis reads


def _columns_to_keep(columns: list[str] | None) -> list[str] | None:
    """The article columns to return, in table order (None: all); unknown names are refused."""
    if columns is None:
        return None
    unknown = sorted(set(columns) - set(ARTICLE_COLUMNS))
    if unknown:
        raise ValueError(f"unknown article column(s) {unknown}: choose from {', '.join(ARTICLE_COLUMNS)}")
    wanted = set(columns) | set(SELECTION_COLUMNS)
    return [c for c in ARTICLE_COLUMNS if c in wanted]


def select_for_analysis(articles: pd.DataFrame, years: tuple[int, int] = (config.YEAR_MIN, config.YEAR_MAX),
                        *, keep_raw: bool = True) -> pd.DataFrame:
    """French, non-duplicate articles whose (stated or inferred) year lies in `years`.

    keep_raw=False leaves out text_raw (the analyses read the clean text; on 50k articles the raw
    texts take a few hundred MB).
    """
    keep = (articles["lang"].eq("fr") & articles["dup_of"].isna()
            & articles["year"].between(int(years[0]), int(years[1])).fillna(False).astype(bool))
    columns = [c for c in articles.columns if keep_raw or c != "text_raw"]
    selected = articles.loc[keep, columns].reset_index(drop=True)
    release_arrow_memory()
    return selected
