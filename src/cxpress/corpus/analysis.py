"""The analysis frame of a notebook: the corpus loaded (from its cache), the period's articles selected, and what to print about them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cxpress.corpus.articles import ARTICLE_COLUMNS
from cxpress.corpus.calibration import MIN_YEAR_ACCURACY
from cxpress.corpus.load import load_corpus, summarise_report
from cxpress.corpus.select import analysis_years, select_for_analysis, selection_report
from cxpress.findings import corpus_name  # the corpus as a reader names it, not a machine path


@dataclass
class AnalysisFrame:
    """The articles a notebook analyses, the report of what was loaded and left out, and the corpus's identity."""

    articles: pd.DataFrame  # French, not duplicates, a year in `years` (stated only, unless include_inferred)
    report: pd.DataFrame  # the load report, then the articles out of the period (path, status, reason)
    path: Path
    years: tuple[int, int]
    fingerprint: str
    n_loaded: int
    loaded: pd.DataFrame | None = None  # every loaded article, when asked for (keep_loaded=True)
    include_inferred: bool = True
    year_threshold: float = 0.0  # inferred years used from this confidence up (inf: none)

    def summary(self) -> pd.DataFrame:
        """Counts of report rows by status and reason family (the part before ':')."""
        return summarise_report(self.report)

    def describe(self) -> str:
        """One line for a notebook's output: corpus, counts, selection rule, fingerprint."""
        dates = (", stated dates only" if not self.include_inferred or self.year_threshold == float("inf")
                 else f", inferred years of confidence >= {self.year_threshold:.2f}")
        return (f"{corpus_name(self.path)}: {self.n_loaded} articles loaded, {len(self.articles)} analysed (French, not "
                f"duplicates, {self.years[0]}-{self.years[1]}{dates}); fingerprint {self.fingerprint[:12]}")


def analysis_frame(corpus: str | Path | None = "", years: tuple[int, int] | None = None, *,
                   columns: list[str] | None = None, include_inferred: bool = True, keep_loaded: bool = False,
                   n_jobs: int | None = None, min_year_accuracy: float = MIN_YEAR_ACCURACY,
                   progress: bool = False) -> AnalysisFrame:
    """The articles of `corpus` (empty: the default corpus) a notebook analyses, selected for `years`
    (None: the project's period), read from the corpus cache (filled on the first call).

    `columns` reads only these article columns (default: all but the raw texts, which only a corpus
    overview shows); keep_loaded=True keeps every loaded article (`.loaded`) and the raw texts.
    include_inferred and min_year_accuracy choose the inferred years used (select_for_analysis);
    progress shows the ingest's bar when the cache is cold.
    """
    years = analysis_years(years)
    if columns is None and not keep_loaded:
        columns = [c for c in ARTICLE_COLUMNS if c != "text_raw"]
    loaded = load_corpus(corpus, progress=progress, n_jobs=n_jobs, columns=columns)
    selected = select_for_analysis(loaded.articles, years, include_inferred=include_inferred,
                                   min_year_accuracy=min_year_accuracy)
    report = pd.concat([loaded.report, selection_report(loaded.articles, years, min_year_accuracy=min_year_accuracy)],
                       ignore_index=True)
    return AnalysisFrame(selected, report, loaded.path, years, loaded.fingerprint, len(loaded.articles),
                         loaded.articles if keep_loaded else None, include_inferred,
                         selected.attrs["year_confidence_threshold"])
