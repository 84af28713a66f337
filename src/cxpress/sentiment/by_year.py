"""Sentiment of target sentences per target and year (bootstrap by article), its trend, and example sentences."""

from __future__ import annotations

import pandas as pd

from cxpress.comparisons import attach_groups, group_estimates
from cxpress.sentiment.scorers import LABELS
from cxpress.yearly import yearly_estimates, yearly_trends

BY_YEAR_COLUMNS = ["target", "year", "estimate", "ci_low", "ci_high", "n_articles", "sparse", "n_sentences",
                   *(f"share_{label}" for label in LABELS)]


def _per_article(scored: pd.DataFrame) -> pd.DataFrame:
    """One row per target and article: its year, the sum of its sentence scores and their number."""
    missing = [c for c in ("doc_id", "year", "target", "label", "score") if c not in scored.columns]
    if missing:
        raise ValueError(f"column(s) {missing} missing: pass score_sentences() output")
    dated = scored.dropna(subset=["year"])
    return (dated.groupby(["target", "doc_id"], sort=True, observed=True)
            .agg(year=("year", "first"), score_sum=("score", "sum"), n_sentences=("score", "size"))
            .reset_index())


def sentiment_by_year(scored: pd.DataFrame, *, years: tuple[int, int] | None = None, n_boot: int = 1000,
                      seed: int = 0, ci: float = 0.95, min_sentences: int = 10,
                      min_articles: int = 3) -> pd.DataFrame:
    """Per target and year: the mean sentence score as `estimate`, with a bootstrap CI by article
    (cxpress.yearly: sentences of one article are not independent), label shares and counts.

    Every year of `years` (default: first to last dated year) has a row, NaN when no sentence falls
    in it. Years with fewer than `min_sentences` sentences or `min_articles` articles are kept and
    flagged `sparse` (their CI is wide or, under two articles, missing).
    """
    per_article = _per_article(scored)
    table = yearly_estimates(per_article, by="target", numerator="score_sum", denominator="n_sentences",
                             years=years, n_boot=n_boot, seed=seed, ci=ci, min_articles=min_articles,
                             min_denominator=min_sentences)
    dated = scored.dropna(subset=["year"])
    shares = (pd.crosstab([dated["target"], dated["year"].astype(int)], dated["label"], normalize="index")
              .reindex(columns=list(LABELS), fill_value=0.0).add_prefix("share_"))
    table = table.join(shares, on=["target", "year"])
    table["n_sentences"] = table["denominator"].fillna(0).astype(int)
    table.attrs["n_undated"] = int(len(scored) - len(dated))
    table.attrs["n_out_of_range"] = int(len(dated) - table["n_sentences"].sum())
    return table[BY_YEAR_COLUMNS]


def sentiment_trends(scored: pd.DataFrame, *, years: tuple[int, int] | None = None, n_boot: int = 1000,
                     seed: int = 0, ci: float = 0.95, min_sentences: int = 10,
                     min_articles: int = 3) -> pd.DataFrame:
    """Per target: the linear trend of sentiment_by_year()'s mean scores (same arguments, same
    bootstrap draws) over its non-sparse years, by cxpress.yearly.yearly_trends: score change per
    year with a 95% CI and p-value, and "rising", "falling" or "no clear trend" as the CI says."""
    return yearly_trends(_per_article(scored), by="target", numerator="score_sum", denominator="n_sentences",
                         years=years, n_boot=n_boot, seed=seed, ci=ci, min_articles=min_articles,
                         min_denominator=min_sentences)


def sentiment_by_group(scored: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet_family",
                       periods: list[list[int]] | None = None, n_boot: int = 1000, seed: int = 0,
                       ci: float = 0.95, min_sentences: int = 10, min_articles: int = 3) -> pd.DataFrame:
    """Per target and group of `by` (an article column; missing: "unknown") and, with `periods`, per
    period: the mean sentence score with sentiment_by_year()'s article-bootstrap CI and sparse rule
    (cxpress.comparisons); `n_sentences` counts the cell's sentences. Undated sentences are left out."""
    values = attach_groups(_per_article(scored), articles, by)
    table = group_estimates(values, by=by, per="target", numerator="score_sum", denominator="n_sentences",
                            periods=periods, n_boot=n_boot, seed=seed, ci=ci, min_articles=min_articles,
                            min_denominator=min_sentences)
    return table.assign(n_sentences=table["denominator"].fillna(0).astype(int))


def _period_labels(years: pd.Series, width: int, start: int) -> pd.Series:
    """'2010-2014'-style period of each year (bins of `width` years from `start`)."""
    first = start + (years.astype(int) - start) // width * width
    return first.astype(str) + "-" + (first + width - 1).astype(str)


def example_sentences(
    scored: pd.DataFrame, *, n: int = 2, period_years: int = 5, start_year: int = 2010
) -> pd.DataFrame:
    """The `n` most positive and most negative sentences per target and period (ties: earliest year)."""
    dated = scored.dropna(subset=["year"]).copy()
    columns = [
        "target",
        "period",
        "polarity",
        "rank",
        "score",
        "label",
        "year",
        "doc_id",
        "sentence",
    ]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    dated["period"] = _period_labels(dated["year"], period_years, start_year)
    rows = []
    for (target, period), group in dated.groupby(["target", "period"], sort=True):
        ordered = group.sort_values(["score", "year", "doc_id"], kind="stable")
        for polarity, part in (
            ("most negative", ordered[ordered["score"] < 0].head(n)),
            ("most positive", ordered[ordered["score"] > 0].iloc[::-1].head(n)),
        ):
            for rank, row in enumerate(part.itertuples(), 1):
                rows.append(
                    {
                        "target": target,
                        "period": period,
                        "polarity": polarity,
                        "rank": rank,
                        "score": row.score,
                        "label": row.label,
                        "year": int(row.year),
                        "doc_id": row.doc_id,
                        "sentence": row.sentence,
                    }
                )
    return pd.DataFrame(rows, columns=columns)
