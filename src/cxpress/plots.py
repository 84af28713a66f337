"""Figures for the notebooks, drawn from the tidy tables the compute modules return (matplotlib only).

Shared by the stages: generic helpers first (a yearly series with its CI band and per-year counts),
then one section per stage.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

LINE_COLOR = "#1f5f8b"
COUNT_COLOR = "#9a9a9a"
SPARSE_COLOR = "#e0b040"
PERIOD_COLORS = ("#b5482f", "#1f5f8b")


def _draw_series(ax: plt.Axes, part: pd.DataFrame, value: str, low: str, high: str,
                 sparse: pd.Series) -> None:
    """Line with a CI band; NaN years stay gaps; sparse years get hollow markers."""
    x = part["year"].to_numpy(float)
    y = part[value].to_numpy(float)
    ax.fill_between(x, part[low].to_numpy(float), part[high].to_numpy(float), color=LINE_COLOR,
                    alpha=0.2, linewidth=0, label="95% CI")
    ax.plot(x, y, color=LINE_COLOR, linewidth=1.6)
    full = ~sparse.to_numpy()
    ax.plot(x[full], y[full], "o", color=LINE_COLOR, markersize=4)
    ax.plot(x[~full], y[~full], "o", markerfacecolor="white", markeredgecolor=SPARSE_COLOR,
            markersize=5, label="sparse year")
    ax.grid(axis="y", alpha=0.3)


def _draw_counts(ax: plt.Axes, part: pd.DataFrame, counts: str, sparse: pd.Series) -> None:
    """Bars of the per-year counts under the series, sparse years in another colour."""
    colors = np.where(sparse.to_numpy(), SPARSE_COLOR, COUNT_COLOR)
    ax.bar(part["year"], part[counts].fillna(0), color=colors, width=0.8)
    ax.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    ax.set_ylabel(counts.replace("_", " "), fontsize=8)
    ax.tick_params(labelsize=8)


def plot_yearly_with_ci(df: pd.DataFrame, value: str, low: str, high: str, *, facet: str = "group",
                        counts: str | None = "n_articles", titles: Mapping[str, str] | None = None,
                        ncols: int = 2, percent: bool = False) -> Figure:
    """Small multiples, one per `facet` value: the yearly `value` with its [low, high] band and,
    aligned below it, the per-year `counts` bars (sparse years, if a `sparse` column says so,
    drawn hollow / in amber; missing years left as gaps)."""
    missing = [c for c in ("year", value, low, high, facet, *([counts] if counts else [])) if c not in df]
    if missing:
        raise ValueError(f"columns {missing} not in the table; pass the names of its value/CI/count columns")
    names = list(dict.fromkeys(df[facet]))
    if not names:
        raise ValueError("nothing to plot: the table is empty")
    nrows, ncols = math.ceil(len(names) / ncols), min(ncols, len(names))
    fig = plt.figure(figsize=(5.2 * ncols, 3.1 * nrows), layout="constrained")
    outer = fig.add_gridspec(nrows, ncols)
    years = df["year"].dropna()
    for i, name in enumerate(names):
        part = df.loc[df[facet] == name].sort_values("year")
        sparse = part["sparse"].astype(bool) if "sparse" in part else pd.Series(False, index=part.index)
        cell = outer[i // ncols, i % ncols].subgridspec(2 if counts else 1, 1, height_ratios=(
            [3, 1] if counts else [1]), hspace=0.05)
        ax = fig.add_subplot(cell[0])
        _draw_series(ax, part, value, low, high, sparse)
        ax.set_title((titles or {}).get(name, str(name)), fontsize=10)
        ax.set_xlim(years.min() - 0.6, years.max() + 0.6)
        if percent:
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        if counts:
            ax.tick_params(labelbottom=False)
            bars = fig.add_subplot(cell[1], sharex=ax)
            _draw_counts(bars, part, counts, sparse)
        (bars if counts else ax).xaxis.set_major_locator(MaxNLocator(integer=True))
        if i == 0:
            ax.legend(fontsize=7, loc="upper left", frameon=False)
    return fig


def plot_keyness(table: pd.DataFrame, *, n: int = 15, periods: tuple[str, str] | None = None,
                 title: str | None = None) -> Figure:
    """Diverging bars of the log ratio for the `n` keyest terms (by G2) of each period;
    `periods` (label a, label b) defaults to the table's attrs set by keyness()."""
    if table.empty:
        raise ValueError("empty keyness table: lower min_freq or widen the periods")
    sides = periods or table.attrs.get("periods") or tuple(dict.fromkeys(table["favours"]))
    picked = pd.concat([table.loc[table["favours"] == s].nlargest(n, "g2") for s in sides])
    picked = picked.sort_values("log_ratio")
    colors = [PERIOD_COLORS[list(sides).index(s) % 2] for s in picked["favours"]]
    fig, ax = plt.subplots(figsize=(7, 0.24 * len(picked) + 1.4), layout="constrained")
    ax.barh(picked["term"], picked["log_ratio"], color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"log2 ratio of relative frequencies ({' / '.join(sides)})")
    ax.tick_params(axis="y", labelsize=8)
    handles = [Patch(color=PERIOD_COLORS[i % 2], label=f"more frequent in {s}") for i, s in enumerate(sides)]
    ax.legend(handles=handles, fontsize=8, loc="lower right", frameon=False)
    ax.set_title(title or f"Keyness: top {n} terms by G2 for each period", fontsize=10)
    return fig
