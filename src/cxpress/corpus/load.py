"""load_corpus: a folder (or file) of articles to the tidy corpus and its load report, through the parquet cache."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import pandas as pd

from cxpress import config
from cxpress.corpus.articles import ARTICLE_COLUMNS
from cxpress.corpus.cache import (
    arrow_memory,
    cache_paths,
    corpus_fingerprint,
    normalise_dtypes,
    read_articles,
    read_report,
    write_cache,
)
from cxpress.corpus.dedup import find_duplicates
from cxpress.corpus.flags import article_flags
from cxpress.corpus.ingest import discover_files, ingest_articles
from cxpress.corpus.select import SELECTION_COLUMNS
from cxpress.text.tokens import METHODS

REPORT_COLUMNS = ["path", "status", "reason"]


@dataclass(frozen=True)
class LoadParams:
    """The parameters that change what load_corpus produces (and so the cache key), with the reason for each default."""

    infer_years: bool = True  # an undated capture gets the year its text points to, flagged "inferred"
    token_method: str = "lemma"  # "lemma", "stem" or "lower": lemmas group French inflections best
    near_dup_threshold: float = 0.8  # shingle containment from which a republished body is a copy
    # A header or footer line found in this many distinct articles is the outlet's chrome (0: off);
    # 2 won in every fold of benchmarks/chrome_holdout.py (held-out outlets), 3 misses small outlets.
    chrome_min_articles: int = 2

    def __post_init__(self):
        if not isinstance(self.infer_years, bool):
            raise ValueError(f"infer_years={self.infer_years!r}: give True or False")
        if self.token_method not in METHODS:
            raise ValueError(f"token_method={self.token_method!r}: use one of {METHODS}")
        share = self.near_dup_threshold
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
            raise ValueError(f"near_dup_threshold={share!r}: give a share in (0, 1]")
        object.__setattr__(self, "near_dup_threshold", float(share))  # 1 and 1.0: one cache key
        n = self.chrome_min_articles
        if isinstance(n, bool) or not isinstance(n, int) or n == 1 or n < 0:
            raise ValueError(f"chrome_min_articles={n!r}: give 0 (off) or an integer >= 2")

    @classmethod
    def from_kwargs(cls, params: dict) -> LoadParams:
        """The parameters from load_corpus's keywords; unknown names are refused with the valid ones."""
        valid = [f.name for f in fields(cls)]
        unknown = sorted(set(params) - set(valid))
        if unknown:
            hint = " (years select rows: pass them to select_for_analysis)" if "years" in unknown else ""
            raise ValueError(f"unknown loading parameter(s) {unknown}{hint}; valid: {', '.join(valid)}")
        return cls(**params)


def summarise_report(report: pd.DataFrame) -> pd.DataFrame:
    """Counts of report rows by status and reason family (the part before ':')."""
    family = report["reason"].str.split(":").str[0]
    return (report.assign(reason=family).groupby(["status", "reason"]).size()
            .rename("n").reset_index().sort_values(["status", "n"], ascending=[True, False]))


@dataclass
class LoadedCorpus:
    """The tidy articles, the load report (path, status, reason) and how they were made."""

    articles: pd.DataFrame
    report: pd.DataFrame
    fingerprint: str
    params: dict = field(default_factory=dict)
    from_cache: bool = False
    path: Path | None = None

    def summary(self) -> pd.DataFrame:
        """Counts of report rows by status and reason family (the part before ':')."""
        return summarise_report(self.report)


def _columns_to_keep(columns: list[str] | None) -> list[str] | None:
    """The article columns to return, in table order (None: all); unknown names are refused."""
    if columns is None:
        return None
    unknown = sorted(set(columns) - set(ARTICLE_COLUMNS))
    if unknown:
        raise ValueError(f"unknown article column(s) {unknown}: choose from {', '.join(ARTICLE_COLUMNS)}")
    wanted = set(columns) | set(SELECTION_COLUMNS)
    return [c for c in ARTICLE_COLUMNS if c in wanted]


def _cache_folder(cache: bool | str | Path) -> Path | None:
    """Where the corpus is cached: config.PROCESSED for True, the folder given, None for False."""
    if cache is True:
        return config.PROCESSED
    return Path(cache) if cache not in (False, None, "") else None


def _build(path: Path, files: list[Path], report: list[dict], p: LoadParams, n_jobs: int | None,
           progress: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ingest every file, link duplicates and flag articles: the article table and the load report."""
    root = path if path.is_dir() else path.parent
    articles, rows = ingest_articles(root, files, infer_years=p.infer_years, token_method=p.token_method,
                                     n_jobs=n_jobs, progress=progress, chrome_min_articles=p.chrome_min_articles)
    report = report + rows
    if len(articles):
        articles["dup_of"] = find_duplicates(articles, threshold=p.near_dup_threshold,
                                             fingerprints=articles.pop("_fingerprint").tolist())
        report += article_flags(articles)
    articles = normalise_dtypes(articles.reindex(columns=ARTICLE_COLUMNS).reset_index(drop=True))
    return articles, pd.DataFrame(report, columns=REPORT_COLUMNS)


def load_corpus(path: str | Path | None = None, *, cache: bool | str | Path = True, n_jobs: int | None = None,
                progress: bool | None = None, columns: list[str] | None = None, **params) -> LoadedCorpus:
    """Read, decode, clean, date, deduplicate and tokenise every article under `path` (empty: the
    default corpus, config.corpus_path); `params` are the fields of LoadParams.

    Nothing is dropped silently: `.report` has one row per file read, dropped or skipped and per
    article excluded or flagged. `cache` (True: data/processed/; a folder; False: none) stores the
    result as parquet, keyed by the files and the loading parameters, reused while neither changes
    (the period analysed is chosen afterwards, by select_for_analysis). `columns` keeps only these
    article columns (plus those select_for_analysis reads); from the cache only they are read, e.g.
    no tokens for an analysis of the text: on 50k articles tokens and raw texts take several hundred MB.
    """
    path = config.corpus_path(path)
    p = LoadParams.from_kwargs(params)
    keep = _columns_to_keep(columns)
    files, skipped = discover_files(path)
    fingerprint = corpus_fingerprint(path, asdict(p), files)
    folder = _cache_folder(cache)
    cached, cached_report = cache_paths(folder, fingerprint) if folder else (None, None)
    with arrow_memory():  # the articles' strings (Arrow, in pandas 3) in the system allocator
        if cached is not None and cached.exists() and cached_report.exists():
            return LoadedCorpus(read_articles(cached, keep), read_report(cached_report), fingerprint,
                                asdict(p), True, path)
        articles, report = _build(path, files, skipped, p, n_jobs, progress is not False)
        if folder is not None:
            write_cache(articles, report, folder, fingerprint)
        if keep is not None:
            articles = articles[keep]
    return LoadedCorpus(articles, report, fingerprint, asdict(p), False, path)
