"""The articles the analyses use (French, not duplicates, a year in the period) and the report of those left out by year."""

from __future__ import annotations

import pandas as pd

from cxpress import config
from cxpress.corpus.cache import arrow_memory, release_arrow_memory

SELECTION_COLUMNS = ("doc_id", "source", "lang", "dup_of", "year", "date_source")  # what this module reads


def analysis_years(years: tuple[int, int] | None = None) -> tuple[int, int]:
    """`years` as two ints (first, last, inclusive); None: the project's period (config.YEAR_MIN/MAX)."""
    first, last = (config.YEAR_MIN, config.YEAR_MAX) if years is None else (int(years[0]), int(years[1]))
    if first > last:
        raise ValueError(f"years={years!r}: give (first year, last year) with first <= last")
    return first, last


def _in_years(articles: pd.DataFrame, years: tuple[int, int]) -> pd.Series:
    """Whether each article's (stated or inferred) year lies in `years` (False when undated)."""
    return articles["year"].between(*years).fillna(False).astype(bool)


def select_for_analysis(articles: pd.DataFrame, years: tuple[int, int] | None = None, *, keep_raw: bool = True,
                        include_inferred: bool = True) -> pd.DataFrame:
    """French, non-duplicate articles whose year lies in `years` (None: the project's period).

    include_inferred=False keeps only articles with a stated date (inferred years lean on content);
    keep_raw=False leaves out text_raw (the analyses read the clean text; on 50k articles the raw
    texts take a few hundred MB).
    """
    keep = articles["lang"].eq("fr") & articles["dup_of"].isna() & _in_years(articles, analysis_years(years))
    if not include_inferred:
        keep &= articles["date_source"].ne("inferred")
    columns = [c for c in articles.columns if keep_raw or c != "text_raw"]
    with arrow_memory():
        selected = articles.loc[keep, columns].reset_index(drop=True)
    release_arrow_memory()
    return selected


def selection_report(articles: pd.DataFrame, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Report rows (path, status, reason) of the dated articles whose year lies outside `years`:
    the part of the load report that depends on the period analysed."""
    years = analysis_years(years)
    outside = articles[articles["year"].notna() & ~_in_years(articles, years)]
    return pd.DataFrame({"path": outside["source"].astype(str).tolist(), "status": "flagged",
                         "reason": [f"out of range: year {y} outside {years[0]}-{years[1]}" for y in outside["year"]]},
                        columns=["path", "status", "reason"])
