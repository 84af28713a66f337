"""Sentiment of target sentences per target and year (bootstrap by article), and example sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxpress.sentiment.scorers import LABELS


def _bootstrap_mean(
    doc_sums: np.ndarray, doc_counts: np.ndarray, n_boot: int, rng: np.random.Generator, ci: float
) -> tuple[float, float]:
    """Percentile CI of the sentence-weighted mean when whole articles are resampled."""
    if len(doc_sums) < 2 or n_boot < 1:
        return np.nan, np.nan
    idx = rng.integers(0, len(doc_sums), size=(n_boot, len(doc_sums)))
    means = doc_sums[idx].sum(axis=1) / doc_counts[idx].sum(axis=1)
    tail = (1 - ci) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


def sentiment_by_year(
    scored: pd.DataFrame,
    *,
    n_boot: int = 1000,
    seed: int = 0,
    ci: float = 0.95,
    min_sentences: int = 10,
    min_articles: int = 3,
) -> pd.DataFrame:
    """Mean score per target and year with a bootstrap CI by article, label shares and counts.

    Sentences of one article are not independent, so articles (not sentences) are resampled.
    Years with fewer than `min_sentences` sentences or `min_articles` articles are kept and
    flagged `sparse` (their CI is wide or, under two articles, missing).
    """
    columns = [
        "target",
        "year",
        "n_sentences",
        "n_articles",
        "mean_score",
        "ci_low",
        "ci_high",
        "share_negative",
        "share_neutral",
        "share_positive",
        "sparse",
    ]
    missing = [c for c in ("doc_id", "year", "target", "label", "score") if c not in scored.columns]
    if missing:
        raise ValueError(f"column(s) {missing} missing: pass score_sentences() output")
    dated = scored.dropna(subset=["year"])
    rows = []
    for (target, year), group in dated.groupby(["target", "year"], sort=True):
        per_doc = group.groupby("doc_id")["score"].agg(["sum", "count"])
        # One generator per (target, year), so a row's CI does not depend on the other rows.
        rng = np.random.default_rng([seed, int(year), sum(map(ord, str(target)))])
        low, high = _bootstrap_mean(
            per_doc["sum"].to_numpy(float), per_doc["count"].to_numpy(float), n_boot, rng, ci
        )
        shares = group["label"].value_counts(normalize=True)
        rows.append(
            {
                "target": target,
                "year": int(year),
                "n_sentences": len(group),
                "n_articles": len(per_doc),
                "mean_score": group["score"].mean(),
                "ci_low": low,
                "ci_high": high,
                **{f"share_{lab}": float(shares.get(lab, 0.0)) for lab in LABELS},
                "sparse": len(group) < min_sentences or len(per_doc) < min_articles,
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs["n_undated"] = int(len(scored) - len(dated))
    return frame


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
