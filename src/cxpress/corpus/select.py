"""The articles the analyses use (French, not duplicates, a year in the period) and the report of those left out by year."""

from __future__ import annotations

import pandas as pd

from cxpress import config
from cxpress.corpus.cache import arrow_memory, release_arrow_memory
from cxpress.corpus.calibration import MIN_YEAR_ACCURACY, confidence_threshold, trusted_years
from cxpress.corpus.flags import has_body

SELECTION_COLUMNS = ("doc_id", "source", "lang", "dup_of", "year", "date_source", "year_inferred",
                     "year_confidence", "n_tokens")  # what this module reads


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
                        include_inferred: bool = True, min_year_accuracy: float = MIN_YEAR_ACCURACY) -> pd.DataFrame:
    """French, non-duplicate articles with a body (corpus.flags) whose year lies in `years` (None: the
    project's period).

    An inferred year is used only when its confidence reaches the level at which the corpus's own
    dated articles, dates hidden, are inferred within a year of the truth at least min_year_accuracy
    of the time (corpus.calibration; 0 uses every inferred year); include_inferred=False keeps only
    articles with a stated date. keep_raw=False leaves out text_raw (the analyses read the clean
    text; on 50k articles the raw texts take a few hundred MB).
    """
    keep = has_body(articles) & articles["lang"].eq("fr") & articles["dup_of"].isna() \
        & _in_years(articles, analysis_years(years))
    threshold = confidence_threshold(articles, min_year_accuracy) if include_inferred else float("inf")
    keep &= trusted_years(articles, threshold)
    columns = [c for c in articles.columns if keep_raw or c != "text_raw"]
    with arrow_memory():
        selected = articles.loc[keep, columns].reset_index(drop=True)
    release_arrow_memory()
    selected.attrs["year_confidence_threshold"] = threshold
    return selected


def selection_report(articles: pd.DataFrame, years: tuple[int, int] | None = None, *,
                     min_year_accuracy: float = MIN_YEAR_ACCURACY) -> pd.DataFrame:
    """Report rows (path, status, reason) of the dated articles whose year lies outside `years` and of
    the inferred years too uncertain to use (select_for_analysis): the part of the load report that
    depends on the selection."""
    years = analysis_years(years)
    outside = articles[articles["year"].notna() & ~_in_years(articles, years)]
    threshold = confidence_threshold(articles, min_year_accuracy)
    unsure = articles[_in_years(articles, years) & ~trusted_years(articles, threshold)]
    reasons = [f"out of range: year {y} outside {years[0]}-{years[1]}" for y in outside["year"]]
    reasons += [f"inferred year not used: confidence {c:.2f} below {threshold:.2f}, the level the dated articles "
                f"vouch for" for c in unsure.get("year_confidence", pd.Series(dtype=float))]
    paths = outside["source"].astype(str).tolist() + unsure["source"].astype(str).tolist()
    return pd.DataFrame({"path": paths, "status": "flagged", "reason": reasons}, columns=["path", "status", "reason"])
