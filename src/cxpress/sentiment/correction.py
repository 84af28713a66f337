"""Yearly label shares corrected for the scorer's measured confusion, with the classifier's error
folded into the CI, so that a change smaller than the scorer's error is not read as a finding.

If M[i, j] is the share of sentences of true label i that the scorer calls j (measured on
hand-labelled sentences), the predicted shares q of a year are M.T @ p for the true shares p, so
p = inv(M.T) @ q: a fixed weight per predicted label, summed per article, which cxpress.yearly then
estimates with its article bootstrap. The confusion itself is uncertain: its rows are resampled
(multinomial, from the hand-label counts) and the spread of the corrected shares is added to the
article-sampling spread (independent errors: half-widths added in quadrature).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxpress.sentiment.scorers import LABELS
from cxpress.yearly import trend_direction, yearly_estimates, yearly_trends

MAX_CONDITION = 1e3  # beyond, the confusion is near singular: a class is hardly ever predicted


def correction_matrix(confusion: pd.DataFrame) -> np.ndarray:
    """inv(M.T) for the confusion counts (rows: hand label, columns: predicted, in LABELS order)."""
    return _inverse_rates(confusion.reindex(index=list(LABELS), columns=list(LABELS), fill_value=0).to_numpy(float))


def _inverse_rates(counts: np.ndarray) -> np.ndarray:
    """correction_matrix() of a 3 x 3 array of counts in LABELS order."""
    totals = counts.sum(axis=1, keepdims=True)
    if (totals == 0).any():
        raise ValueError("the confusion lacks hand-labelled sentences of some label: cannot correct")
    rates = counts / totals
    if np.linalg.cond(rates) > MAX_CONDITION:
        raise ValueError("the scorer's confusion cannot be inverted (a label is almost never predicted)")
    return np.linalg.inv(rates.T)


def _confusion_draws(confusion: pd.DataFrame, n_boot: int, seed: int) -> np.ndarray:
    """n_boot resampled correction matrices (n_boot x 3 x 3); draws that cannot be inverted are skipped."""
    counts = confusion.reindex(index=list(LABELS), columns=list(LABELS), fill_value=0).to_numpy(int)
    rng = np.random.default_rng([seed, 17])
    draws = []
    for _ in range(n_boot):
        sample = np.vstack([rng.multinomial(row.sum(), row / row.sum()) for row in counts])
        try:  # on the array: a labelled frame per draw took 1.6 s of the 2,000 draws of notebook 04
            draws.append(_inverse_rates(sample.astype(float)))
        except ValueError:
            continue
    return np.asarray(draws).reshape(-1, len(LABELS), len(LABELS))


def _label_counts(scored: pd.DataFrame) -> pd.DataFrame:
    """Per target and article: its year, sentence count and count of each predicted label."""
    dated = scored.dropna(subset=["year"])
    counts = pd.get_dummies(pd.Categorical(dated["label"], categories=list(LABELS))).astype(float)
    frame = pd.concat([dated[["target", "doc_id", "year"]].reset_index(drop=True), counts], axis=1)
    frame["n_sentences"] = 1.0
    sums = {c: (c, "sum") for c in ["n_sentences", *LABELS]}
    return frame.groupby(["target", "doc_id"], sort=True).agg(year=("year", "first"), **sums).reset_index()


def _usable_years(counts: pd.DataFrame, min_sentences: int, min_articles: int) -> pd.DataFrame:
    """Per target and year: predicted-label shares, sentence and article counts, and `usable` (not sparse)."""
    per_year = counts.groupby(["target", "year"]).agg(
        n_articles=("doc_id", "size"), **{c: (c, "sum") for c in ["n_sentences", *LABELS]})
    per_year[list(LABELS)] = per_year[list(LABELS)].div(per_year["n_sentences"], axis=0)
    per_year["usable"] = (per_year["n_sentences"] >= min_sentences) & (per_year["n_articles"] >= min_articles)
    return per_year


def _combine(estimate, low, high, spread_low, spread_high):
    """Article-bootstrap and confusion half-widths added in quadrature."""
    return estimate - np.hypot(estimate - low, spread_low), estimate + np.hypot(high - estimate, spread_high)


def corrected_shares(scored: pd.DataFrame, confusion: pd.DataFrame, *, years: tuple[int, int] | None = None,
                     n_boot: int = 1000, seed: int = 0, ci: float = 0.95, min_sentences: int = 10,
                     min_articles: int = 3) -> pd.DataFrame:
    """Per target, year and label: the share of sentences corrected for `confusion` (counts, hand
    label x predicted, e.g. from grouped cross-validation or the user's labelled sample), with a CI
    that holds both article sampling and the confusion's own uncertainty, clipped to [0, 1].
    Long format: target, year, label, share, ci_low, ci_high, n_sentences, sparse."""
    weights, draws = correction_matrix(confusion), _confusion_draws(confusion, n_boot, seed)
    counts = _label_counts(scored)
    observed = _usable_years(counts, min_sentences, min_articles)[list(LABELS)]
    tail = (1 - ci) / 2 * 100
    parts = []
    for i, label in enumerate(LABELS):
        values = counts.assign(corrected=counts[list(LABELS)].to_numpy() @ weights[i])
        table = yearly_estimates(values, by="target", numerator="corrected", denominator="n_sentences",
                                 years=years, n_boot=n_boot, seed=seed, ci=ci, min_articles=min_articles,
                                 min_denominator=min_sentences)
        q = observed.reindex(pd.MultiIndex.from_frame(table[["target", "year"]])).to_numpy()
        spread = q @ draws[:, i, :].T  # cells x draws: the corrected share under each confusion draw
        q_low, q_high = np.percentile(spread, [tail, 100 - tail], axis=1) if len(draws) else (np.nan,) * 2
        low, high = _combine(table["estimate"], table["ci_low"], table["ci_high"],
                             table["estimate"] - q_low, q_high - table["estimate"])
        parts.append(pd.DataFrame({"target": table["target"], "year": table["year"], "label": label,
                                   "share": table["estimate"].clip(0, 1), "ci_low": low.clip(0, 1),
                                   "ci_high": high.clip(0, 1),
                                   "n_sentences": table["denominator"].fillna(0).astype(int),
                                   "sparse": table["sparse"]}))
    return pd.concat(parts, ignore_index=True).sort_values(["target", "label", "year"], ignore_index=True)


def corrected_net_trend(scored: pd.DataFrame, confusion: pd.DataFrame, *, years: tuple[int, int] | None = None,
                        n_boot: int = 1000, seed: int = 0, ci: float = 0.95, min_sentences: int = 10,
                        min_articles: int = 3) -> pd.DataFrame:
    """Per target: cxpress.yearly's linear trend of the corrected net share (positive - negative)
    per year, its CI widened by the slope's spread under the resampled confusions."""
    pos, neg = LABELS.index("positive"), LABELS.index("negative")
    weights = correction_matrix(confusion)
    net_weights = weights[pos] - weights[neg]
    draws = _confusion_draws(confusion, n_boot, seed)
    counts = _label_counts(scored)
    values = counts.assign(net=counts[list(LABELS)].to_numpy() @ net_weights)
    trends = yearly_trends(values, by="target", numerator="net", denominator="n_sentences", years=years,
                           n_boot=n_boot, seed=seed, ci=ci, min_articles=min_articles,
                           min_denominator=min_sentences)
    per_year = _usable_years(counts, min_sentences, min_articles)
    if years is not None:
        inside = per_year.index.get_level_values("year").to_series().between(*years).to_numpy()
        per_year = per_year[inside]
    tail = (1 - ci) / 2 * 100
    rows = []
    for row in trends.to_dict("records"):
        kept = per_year.loc[row["target"]] if row["target"] in per_year.index else per_year.iloc[:0]
        kept = kept[kept["usable"]]
        if np.isfinite(row["slope"]) and len(draws) and len(kept) >= 3:
            x = kept.index.to_numpy(float) - kept.index.to_numpy(float).mean()
            slopes = (kept[list(LABELS)].to_numpy() @ (draws[:, pos] - draws[:, neg]).T).T @ x / (x @ x)
            low, high = np.percentile(slopes, [tail, 100 - tail])
            row["ci_low"], row["ci_high"] = _combine(row["slope"], row["ci_low"], row["ci_high"],
                                                     row["slope"] - low, high - row["slope"])
            row["direction"] = trend_direction(row["ci_low"], row["ci_high"])
        rows.append(row)
    return pd.DataFrame(rows, columns=trends.columns).astype(trends.dtypes.to_dict())
