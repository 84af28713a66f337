"""Yearly estimates with article-bootstrap CIs, and their linear trend: one method for topics,
term timelines and sentiment, so that a topic's trend and a term's can be compared.

Input is per-article: one row per article and group with its `year`, a numerator and optionally a
denominator. A year's estimate is sum(numerator) / sum(denominator) over its articles, which is
the mean of per-article values without a denominator (a topic's share, 0/1 for "mentions the
group") and a ratio of sums with one (mentions / tokens, sentence scores / sentences).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["ESTIMATE_COLUMNS", "TREND_COLUMNS", "scale_slopes", "trend_direction", "yearly_estimates",
           "yearly_estimates_and_trends", "yearly_trends"]

ESTIMATE_COLUMNS = ["year", "estimate", "ci_low", "ci_high", "n_articles", "sparse", "numerator",
                    "denominator"]  # after the group column(s)
TREND_COLUMNS = ["slope", "ci_low", "ci_high", "p_value", "n_years", "direction", "first_year",
                 "last_year", "n_sparse_years"]  # after the group column(s)
BOOT_CELLS = 2_000_000  # resample weights held in memory at once (rows x articles), ~16 MB
MIN_TREND_YEARS = 3


def _resample_weights(n: int, rows: int, rng: np.random.Generator) -> np.ndarray:
    """How many times each of n articles is drawn in each of `rows` bootstrap resamples."""
    draws = rng.integers(0, n, size=(rows, n)) + (np.arange(rows) * n)[:, None]
    return np.bincount(draws.ravel(), minlength=rows * n).reshape(rows, n).astype(float)


def _resample_sums(num: np.ndarray, den: np.ndarray, n_boot: int, seed: Sequence[int]) -> np.ndarray:
    """Ratio-of-sums replicates (n_boot x cells) for cells of n articles each (num, den: n x cells).

    The generator is seeded by (seed, year) alone and the draws depend only on n, so a cell's CI
    does not depend on which other groups are in the call; weights come in chunks of BOOT_CELLS.
    """
    n = num.shape[0]
    rng = np.random.default_rng(seed)
    step = max(1, BOOT_CELLS // n)
    # groups often share a denominator (article counts, tokens): resample each distinct one once
    keys = [column.tobytes() for column in den.T]
    distinct = list(dict.fromkeys(keys))
    which = [distinct.index(key) for key in keys]
    den = den[:, [keys.index(key) for key in distinct]]
    out = []
    for first in range(0, n_boot, step):
        weights = _resample_weights(n, min(step, n_boot - first), rng)
        with np.errstate(divide="ignore", invalid="ignore"):
            out.append((weights @ num) / (weights @ den)[:, which])
    return np.vstack(out)


def _percentiles(replicates: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile CI per column, NaN replicates (an undefined ratio) left out."""
    tail = (1 - ci) / 2 * 100
    bounds = np.full((2, replicates.shape[1]), np.nan)
    if replicates.shape[0] == 0:  # n_boot=0: point estimates only
        return bounds[0], bounds[1]
    finite = np.isfinite(replicates)
    whole, partial = finite.all(axis=0), finite.any(axis=0) & ~finite.all(axis=0)
    if whole.any():
        bounds[:, whole] = np.percentile(replicates[:, whole], [tail, 100 - tail], axis=0)
    if partial.any():  # nanpercentile is slow: only where needed
        bounds[:, partial] = np.nanpercentile(replicates[:, partial], [tail, 100 - tail], axis=0)
    return bounds[0], bounds[1]


def _cells(values: pd.DataFrame, by: list[str], years: tuple[int, int] | None
           ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The grid of cells (every group x every year of the span), each row's cell (-1: outside the
    span or undated) and the order that sorts rows by cell, keeping input order within a cell."""
    year = pd.to_numeric(values["year"], errors="coerce").to_numpy(dtype=float)
    dated = np.isfinite(year)
    if years is None:
        years = (int(year[dated].min()), int(year[dated].max())) if dated.any() else (0, -1)
    if years[0] > years[1] and dated.any():
        raise ValueError(f"years {years}: the first year must not be after the last")
    code = np.zeros(len(values), dtype="int64")
    for column in by:  # factorised keys: much faster than merging on string columns
        codes, uniques = pd.factorize(values[column], use_na_sentinel=False)
        code = code * len(uniques) + codes
    group, first_rows = np.unique(code, return_index=True)
    order_of_groups = np.argsort(first_rows, kind="stable")  # groups in order of first appearance
    group_index = np.empty(len(group), dtype="int64")
    group_index[order_of_groups] = np.arange(len(group))
    span = np.arange(years[0], years[1] + 1)
    groups = values[by].iloc[first_rows[order_of_groups]].reset_index(drop=True)
    grid = groups.loc[groups.index.repeat(len(span))].reset_index(drop=True)
    grid["year"] = np.tile(span, len(groups))
    inside = dated & (year >= years[0]) & (year <= years[1])
    cell = np.where(inside, group_index[np.searchsorted(group, code)] * len(span)
                    + (np.nan_to_num(year) - years[0]).astype("int64"), -1)
    return grid, cell, np.argsort(cell, kind="stable")[int((cell < 0).sum()):]


def _bootstrap(values: pd.DataFrame, by: list[str], numerator: str, denominator: str | None,
               years: tuple[int, int] | None, n_boot: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Point estimates and counts per cell (the grid's rows) and bootstrap replicates (n_boot x cells)."""
    missing = [c for c in [*by, "year", numerator, *([denominator] if denominator else [])]
               if c not in values.columns]
    if missing:
        raise ValueError(f"per-article values lack column(s) {missing}")
    grid, cell, order = _cells(values, by, years)
    num = values[numerator].to_numpy(dtype=float)[order]
    den = values[denominator].to_numpy(dtype=float)[order] if denominator else np.ones(len(order))
    cell = cell[order]
    counts = np.bincount(cell, minlength=len(grid))
    with np.errstate(divide="ignore", invalid="ignore"):
        grid = grid.assign(n_articles=counts,
                           numerator=np.where(counts > 0, np.bincount(cell, num, len(grid)), np.nan),
                           denominator=np.where(counts > 0, np.bincount(cell, den, len(grid)), np.nan))
        grid["estimate"] = grid["numerator"] / grid["denominator"]
    replicates = np.full((max(n_boot, 0), len(grid)), np.nan)
    starts = np.concatenate([[0], np.cumsum(counts)])
    # cells of one year with as many articles share one weight matrix (a single matrix product)
    filled = grid.loc[counts > 0] if n_boot > 0 else grid.iloc[:0]
    for (year, n), cells in filled.groupby(["year", "n_articles"]).groups.items():
        index = starts[cells.to_numpy()][None, :] + np.arange(n)[:, None]
        replicates[:, cells] = _resample_sums(num[index], den[index], n_boot, [seed, int(year)])
    return grid, replicates


def yearly_estimates(values: pd.DataFrame, *, by: str | Sequence[str] = "group", numerator: str = "value",
                     denominator: str | None = None, years: tuple[int, int] | None = None,
                     n_boot: int = 1000, seed: int = 0, ci: float = 0.95, min_articles: int = 5,
                     min_denominator: float = 0) -> pd.DataFrame:
    """Per group and year: sum(numerator) / sum(denominator) over the year's articles (the mean of
    `numerator` without a denominator) with a percentile CI from resampling articles within the year.

    `values` has one row per article and group. Every year of `years` (default: first to last year
    in `values`) appears: a year without articles has a NaN estimate and n_articles 0 (a gap, not a
    zero); one with fewer than two articles has no CI. `sparse`: fewer than `min_articles` articles
    or a denominator total below `min_denominator`. Rows outside the span are left out.
    """
    by = [by] if isinstance(by, str) else list(by)
    grid, replicates = _bootstrap(values, by, numerator, denominator, years, n_boot, seed)
    return _estimates(grid, replicates, by, ci, min_articles, min_denominator)


def _estimates(grid: pd.DataFrame, replicates: np.ndarray, by: list[str], ci: float, min_articles: int,
               min_denominator: float) -> pd.DataFrame:
    low, high = _percentiles(replicates, ci)
    few = grid["n_articles"].to_numpy() < 2  # resampling one article tells nothing
    grid = grid.assign(ci_low=np.where(few, np.nan, low), ci_high=np.where(few, np.nan, high))
    grid["sparse"] = (grid["n_articles"] < min_articles) | ~(grid["denominator"].fillna(0) >= min_denominator)
    return grid[[*by, *ESTIMATE_COLUMNS]]


def yearly_trends(values: pd.DataFrame, *, by: str | Sequence[str] = "group", numerator: str = "value",
                  denominator: str | None = None, years: tuple[int, int] | None = None,
                  n_boot: int = 1000, seed: int = 0, ci: float = 0.95, min_articles: int = 5,
                  min_denominator: float = 0) -> pd.DataFrame:
    """Per group: the least-squares slope of the yearly estimates on the year (estimate units per
    year), with a percentile CI and two-sided p-value from the article-bootstrap replicates of
    yearly_estimates() (same arguments, same draws).

    Sparse years and years without articles are left out of the fit (counted in `n_sparse_years`);
    under three usable years the slope is NaN and `direction` "too few years". Otherwise it is
    "rising" when the whole CI lies above zero, "falling" below, else "no clear trend". The CI
    covers article sampling within the years, not year-to-year swings: it says whether the line
    through these years' values rises, not that the rise will go on. The smallest p-value it can
    give is 2 / (n_boot + 1).
    """
    by = [by] if isinstance(by, str) else list(by)
    grid, replicates = _bootstrap(values, by, numerator, denominator, years, n_boot, seed)
    return _trends(grid, replicates, by, ci, min_articles, min_denominator)


def yearly_estimates_and_trends(values: pd.DataFrame, *, by: str | Sequence[str] = "group",
                                numerator: str = "value", denominator: str | None = None,
                                years: tuple[int, int] | None = None, n_boot: int = 1000, seed: int = 0,
                                ci: float = 0.95, min_articles: int = 5,
                                min_denominator: float = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(yearly_estimates(...), yearly_trends(...)) from one bootstrap, for a caller that needs both."""
    by = [by] if isinstance(by, str) else list(by)
    grid, replicates = _bootstrap(values, by, numerator, denominator, years, n_boot, seed)
    return (_estimates(grid, replicates, by, ci, min_articles, min_denominator),
            _trends(grid, replicates, by, ci, min_articles, min_denominator))


def _trends(grid: pd.DataFrame, replicates: np.ndarray, by: list[str], ci: float, min_articles: int,
            min_denominator: float) -> pd.DataFrame:
    usable = ((grid["n_articles"] >= min_articles) & (grid["denominator"].fillna(0) >= min_denominator)
              & np.isfinite(grid["estimate"])).to_numpy()
    rows = []
    for key, cells in grid.groupby(by, sort=False).indices.items():
        kept = cells[usable[cells]]
        row = dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True))
        row["n_sparse_years"] = int(((grid["n_articles"].to_numpy()[cells] > 0) & ~usable[cells]).sum())
        rows.append({**row, **_fit_trend(grid["year"].to_numpy(float)[kept], grid["estimate"].to_numpy()[kept],
                                         replicates[:, kept], ci)})
    columns = [*by, *TREND_COLUMNS]
    out = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    return out.astype({"first_year": "Int64", "last_year": "Int64", "n_years": "int64",
                       "n_sparse_years": "int64"})


def trend_direction(ci_low: float, ci_high: float) -> str:
    """"rising" when the slope's whole CI lies above zero, "falling" below, else "no clear trend"."""
    return "rising" if ci_low > 0 else "falling" if ci_high < 0 else "no clear trend"


def _fit_trend(x: np.ndarray, y: np.ndarray, replicates: np.ndarray, ci: float) -> dict:
    """OLS slope of y on x with its bootstrap CI and p-value (replicates: n_boot x len(x))."""
    row = {"n_years": len(x), "first_year": int(x.min()) if len(x) else pd.NA,
           "last_year": int(x.max()) if len(x) else pd.NA, "slope": np.nan, "ci_low": np.nan,
           "ci_high": np.nan, "p_value": np.nan, "direction": "too few years"}
    if len(x) < MIN_TREND_YEARS:
        return row
    xc = x - x.mean()
    # centring y makes a constant series give a slope of exactly 0; slopes within rounding of 0 are 0
    tol = 1e-9 * max(float(np.abs(y).max()), 1e-300) / (xc @ xc) ** 0.5
    slope = _snap(xc @ (y - y.mean()) / (xc @ xc), tol)
    boot = (replicates - replicates.mean(axis=1, keepdims=True)) @ xc / (xc @ xc)
    boot = _snap(boot[np.isfinite(boot)], tol)
    row.update(slope=float(slope), direction="no clear trend")
    if len(boot):
        tail = (1 - ci) / 2 * 100
        low, high = np.percentile(boot, [tail, 100 - tail])
        below, above = int((boot <= 0).sum()), int((boot >= 0).sum())
        row.update(ci_low=float(low), ci_high=float(high), direction=trend_direction(low, high),
                   p_value=min(1.0, 2 * (min(below, above) + 1) / (len(boot) + 1)))
    return row


def _snap(values: np.ndarray | float, tol: float) -> np.ndarray | float:
    return np.where(np.abs(values) <= tol, 0.0, values)


def scale_slopes(trends: pd.DataFrame, factor: float, unit: str) -> pd.DataFrame:
    """Trends with slope and CI multiplied by `factor` and a `unit` column, e.g. shares in
    percentage points per year: scale_slopes(trends, 100, "pp per year")."""
    scaled = trends.assign(**{c: trends[c] * factor for c in ("slope", "ci_low", "ci_high")})
    return scaled.assign(unit=unit)
