"""Keyness: the tokens over-represented in one period against another, by log-likelihood (G2,
Rayson & Garside 2000) with an effect size (log ratio, Hardie 2014), on the cached `tokens` column."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

KEYNESS_COLUMNS = [
    "term",
    "favours",
    "freq_a",
    "freq_b",
    "per_10k_a",
    "per_10k_b",
    "docs_a",
    "docs_b",
    "g2",
    "p_value",
    "p_bonferroni",
    "log_ratio",
]
ZERO_FREQ = (
    0.5  # Hardie's log ratio replaces a zero frequency by 0.5 so that the ratio stays finite
)


def period_label(period: Sequence[int] | None) -> str:
    """'2010-2014' for (2010, 2014); 'rest' for None (every other year)."""
    return "rest" if period is None else f"{int(period[0])}-{int(period[1])}"


def _period_mask(years: pd.Series, period: Sequence[int]) -> pd.Series:
    if len(period) != 2 or period[0] > period[1]:
        raise ValueError(f"period {period!r}: give [first_year, last_year], e.g. [2010, 2014]")
    return years.between(int(period[0]), int(period[1])).fillna(False).astype(bool)


def token_frequencies(tokens: pd.Series) -> pd.DataFrame:
    """Per token: occurrences (freq) and number of articles containing it (docs)."""
    exploded = tokens.explode().dropna()
    if exploded.empty:
        return pd.DataFrame({"freq": pd.Series(dtype="int64"), "docs": pd.Series(dtype="int64")})
    freq = exploded.value_counts()
    docs = exploded.reset_index().drop_duplicates().iloc[:, 1].value_counts()
    return pd.DataFrame({"freq": freq, "docs": docs.reindex(freq.index)})


def log_likelihood(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    """G2 for frequencies a and b in corpora of total_a and total_b tokens (0 * log 0 = 0)."""
    expected_a = total_a * (a + b) / (total_a + total_b)
    expected_b = total_b * (a + b) / (total_a + total_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        term_a = np.where(a > 0, a * np.log(a / expected_a), 0.0)
        term_b = np.where(b > 0, b * np.log(b / expected_b), 0.0)
    return 2 * (term_a + term_b)


def log_ratio(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    """log2 of the ratio of relative frequencies (1 = twice as frequent in period a)."""
    a = np.where(a > 0, a, ZERO_FREQ)
    b = np.where(b > 0, b, ZERO_FREQ)
    return np.log2((a / total_a) / (b / total_b))


def keyness(
    articles: pd.DataFrame,
    period_a: Sequence[int],
    period_b: Sequence[int] | None = None,
    *,
    min_freq: int = 5,
    min_docs: int = 2,
) -> pd.DataFrame:
    """Tokens over- or under-represented in period_a against period_b (None: all other years),
    sorted by G2; terms rarer than `min_freq` in both periods together, or found in fewer than
    `min_docs` articles (one article repeating a name is not a period's vocabulary), are left out."""
    if "tokens" not in articles.columns or "year" not in articles.columns:
        raise ValueError(
            "keyness needs the 'tokens' and 'year' columns of load_corpus(...).articles "
            "(tokens are reused, never re-tokenised)"
        )
    years = pd.to_numeric(articles["year"], errors="coerce")
    in_a = _period_mask(years, period_a)
    in_b = _period_mask(years, period_b) if period_b is not None else years.notna() & ~in_a
    if period_b is not None and period_a[0] <= period_b[1] and period_b[0] <= period_a[1]:
        raise ValueError(
            f"periods {period_label(period_a)} and {period_label(period_b)} overlap: "
            "give disjoint year ranges"
        )
    for label, mask in ((period_label(period_a), in_a), (period_label(period_b), in_b)):
        if not mask.any():
            found = sorted(years.dropna().astype(int).unique().tolist())
            raise ValueError(f"no article in period {label}; years present: {found}")
    fa = token_frequencies(articles.loc[in_a, "tokens"])
    fb = token_frequencies(articles.loc[in_b, "tokens"])
    table = fa.add_suffix("_a").join(fb.add_suffix("_b"), how="outer").fillna(0).astype("int64")
    total_a, total_b = float(fa["freq"].sum()), float(fb["freq"].sum())
    if total_a == 0 or total_b == 0:
        raise ValueError("a period has articles but no tokens: check the 'tokens' column")
    table = table.loc[
        (table["freq_a"] + table["freq_b"] >= min_freq)
        & (table["docs_a"] + table["docs_b"] >= min_docs)
    ]
    a, b = table["freq_a"].to_numpy(float), table["freq_b"].to_numpy(float)
    g2 = log_likelihood(a, b, total_a, total_b)
    from scipy import stats  # here: ~0.7 s of import that the mention-finding workers never need

    p = stats.chi2.sf(g2, df=1)
    out = (
        table.assign(
            per_10k_a=a / total_a * 10_000,
            per_10k_b=b / total_b * 10_000,
            g2=g2,
            p_value=p,
            p_bonferroni=np.minimum(p * max(len(table), 1), 1.0),
            log_ratio=log_ratio(a, b, total_a, total_b),
            favours=np.where(
                a / total_a >= b / total_b, period_label(period_a), period_label(period_b)
            ),
        )
        .rename_axis("term")
        .reset_index()
    )
    out = out.sort_values(["g2", "term"], ascending=[False, True]).reset_index(drop=True)[
        KEYNESS_COLUMNS
    ]
    out.attrs["periods"] = (period_label(period_a), period_label(period_b))
    return out
