"""Figures of cxpress.comparisons' tables: one estimate per group of articles (outlet family,
outlet...) and period, with its CI, sparse cells hollow as in the yearly figures."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from cxpress.comparisons import ALL_YEARS
from cxpress.plots import SPARSE_COLOR

PERIOD_PALETTE = ("#1f5f8b", "#b5482f", "#4a8c3f", "#7a4a9a", "#9a9a9a")


def plot_group_estimates(table: pd.DataFrame, *, facet: str, by: str | None = None,
                         titles: Mapping | None = None, percent: bool = False, xlabel: str | None = None,
                         ncols: int = 3) -> Figure:
    """One panel per `facet` value (topic, term group, target): each group of `by` on its own row
    (labelled with its articles), its estimate per period as a point with the CI as a bar; sparse
    cells hollow amber, empty cells absent. The period legend sits below the panels."""
    by = by or table.attrs.get("by")
    missing = [c for c in (facet, by, "period", "estimate", "ci_low", "ci_high", "n_articles", "sparse")
               if c is None or c not in table]
    if missing:
        raise ValueError(f"columns {missing} not in the table: pass a cxpress.comparisons table and its `by`")
    names = list(dict.fromkeys(table[facet]))
    if not names:
        raise ValueError("nothing to plot: the table is empty")
    groups = list(dict.fromkeys(table[by]))
    periods = list(dict.fromkeys(table["period"]))
    ncols = min(ncols, len(names))
    nrows = math.ceil(len(names) / ncols)
    height = 0.32 * len(groups) * (1 + 0.25 * (len(periods) - 1)) + 0.9
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols + 1.2, height * nrows + 0.8), squeeze=False,
                             sharey=True, layout="constrained")
    step = 0.7 / max(len(periods), 1)
    for ax, name in zip(axes.flat, names, strict=False):
        part = table.loc[table[facet] == name]
        for j, period in enumerate(periods):
            cells = part.loc[part["period"] == period].set_index(by).reindex(groups)
            y = np.arange(len(groups)) + (j - (len(periods) - 1) / 2) * step
            color = PERIOD_PALETTE[j % len(PERIOD_PALETTE)]
            sparse = cells["sparse"].astype("boolean").fillna(True).to_numpy(bool)
            ax.hlines(y, cells["ci_low"], cells["ci_high"], color=color, linewidth=1.8, alpha=0.6)
            ax.plot(cells["estimate"].to_numpy(float)[~sparse], y[~sparse], "o", color=color, markersize=5)
            ax.plot(cells["estimate"].to_numpy(float)[sparse], y[sparse], "o", markerfacecolor="white",
                    markeredgecolor=SPARSE_COLOR, markersize=5)
        ax.set_title(textwrap.shorten(str((titles or {}).get(name, name)), 48, placeholder="…"), fontsize=9)
        ax.grid(axis="x", alpha=0.3)
        if percent:
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        if xlabel:
            ax.set_xlabel(xlabel, fontsize=8)
        ax.tick_params(labelsize=8)
    overall = table[table["period"] == ALL_YEARS]
    size = (overall if len(overall) else table).groupby(by)["n_articles"].max()
    axes[0][0].set_yticks(np.arange(len(groups)), [f"{g} (n={int(size[g])})" for g in groups])
    axes[0][0].invert_yaxis()  # largest group on top
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    handles = [Line2D([], [], color=PERIOD_PALETTE[j % len(PERIOD_PALETTE)], marker="o", label=p)
               for j, p in enumerate(periods)]
    handles.append(Line2D([], [], linestyle="", marker="o", markerfacecolor="white", markeredgecolor=SPARSE_COLOR,
                          label="sparse (few articles)"))
    fig.legend(handles=handles, fontsize=8, loc="outside lower center", ncols=len(handles), frameon=False)
    return fig

