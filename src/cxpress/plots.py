"""Figures for the notebooks, drawn from the tidy tables the compute modules return (matplotlib only):
generic helpers first (a yearly series with its CI band and per-year counts), then one section per stage.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from pathlib import Path

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


def show_saved(fig: Figure, path: str | Path, *, dpi: int = 110) -> None:
    """Save `fig` as a PNG, close it and, in a notebook, show the saved file: the figure is drawn
    once instead of twice (the inline backend would render it again), and the report shows exactly
    the file that was written."""
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    from IPython import get_ipython
    from IPython.display import Image, display

    if get_ipython() is not None:
        display(Image(filename=str(path)))


def plot_yearly_with_ci(df: pd.DataFrame, value: str = "estimate", low: str = "ci_low", high: str = "ci_high", *,
                        facet: str = "group",
                        counts: str | None = "n_articles", titles: Mapping[str, str] | None = None,
                        ncols: int = 2, percent: bool = False, ylabel: str | None = None) -> Figure:
    """Small multiples, one per `facet` value: the yearly `value` with its [low, high] band and,
    aligned below it, the per-year `counts` bars (sparse years, if a `sparse` column says so,
    drawn hollow / in amber; missing years left as gaps, also when the table has no row for them);
    `ylabel` names the value axis of the first panel of each row."""
    missing = [c for c in ("year", value, low, high, facet, *([counts] if counts else [])) if c not in df]
    if missing:
        raise ValueError(f"columns {missing} not in the table; pass the names of its value/CI/count columns")
    names = list(dict.fromkeys(df[facet]))
    if not names:
        raise ValueError("nothing to plot: the table is empty")
    nrows, ncols = math.ceil(len(names) / ncols), min(ncols, len(names))
    fig = plt.figure(figsize=(5.2 * ncols, 3.1 * nrows))
    # Fixed margins rather than a constrained layout: as readable, several times faster to draw.
    outer = fig.add_gridspec(nrows, ncols, left=0.07, right=0.98, bottom=0.06, top=1 - 0.5 / (3.1 * nrows) - 0.04,
                             wspace=0.18, hspace=0.35)
    years = df["year"].dropna()
    for i, name in enumerate(names):
        part = df.loc[df[facet] == name].sort_values("year")
        # a year without a row is a gap in the line, not a segment bridging it
        span = range(int(years.min()), int(years.max()) + 1)
        part = part.drop_duplicates("year").set_index("year").reindex(span).rename_axis("year").reset_index()
        sparse = (part["sparse"].astype("boolean").fillna(False).astype(bool) if "sparse" in part
                  else pd.Series(False, index=part.index))
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
        if ylabel and i % ncols == 0:
            ax.set_ylabel(ylabel, fontsize=8)
        if i == 0:  # where it covers the fewest points
            ax.legend(fontsize=7, loc="best", frameon=True, framealpha=0.8)
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
    # the terms that survive the Bonferroni correction are starred and solid; the others pale
    strong = (picked["p_bonferroni"] < 0.05).to_numpy() if "p_bonferroni" in picked else np.ones(len(picked), bool)
    marked = strong & ("p_bonferroni" in picked)
    names = [f"{t} *" if s else str(t) for t, s in zip(picked["term"], marked, strict=True)]
    fig, ax = plt.subplots(figsize=(7, 0.24 * len(picked) + 1.4), layout="constrained")
    bars = ax.barh(names, picked["log_ratio"], color=colors)
    for bar, s in zip(bars, strong, strict=True):
        bar.set_alpha(1.0 if s else 0.4)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"log2 ratio of relative frequencies ({' / '.join(sides)})")
    ax.tick_params(axis="y", labelsize=8)
    handles = [Patch(color=PERIOD_COLORS[i % 2], label=f"more frequent in {s}") for i, s in enumerate(sides)]
    if "p_bonferroni" in picked:
        handles.append(Patch(color="grey", alpha=0.4, label=f"not significant after Bonferroni (* = p < 0.05: "
                                                              f"{int(strong.sum())} of {len(picked)})"))
    # below the axes: the bars fill the plotting area on both sides
    ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    ax.set_title(title or f"Keyness: top {n} terms by G2 for each period", fontsize=10)
    return fig


# --- topics (cxpress.topics) ------------------------------------------------------------------

def plot_k_selection(selection: pd.DataFrame, *, min_docs_per_topic: float = 10) -> Figure:
    """NPMI and stability against k, one line per model, the chosen k marked and the k leaving
    fewer than `min_docs_per_topic` articles per topic shaded (scored, never chosen)."""
    if selection.empty:
        raise ValueError("empty k-selection table: select_k scored no k")
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained", sharex=True)
    for (model, part), color in zip(selection.groupby("model", sort=False), PERIOD_COLORS[::-1], strict=False):
        part = part.sort_values("k")
        for ax, value, spread in zip(axes, ("npmi", "stability"), (None, "stability_sd"), strict=True):
            err = part[spread] if spread and spread in part and part[spread].notna().any() else None
            ax.errorbar(part["k"], part[value], yerr=err, marker="o", markersize=4, capsize=2,
                        color=color, label=model.upper())
            chosen = part.loc[part.get("chosen", pd.Series(False, index=part.index)).astype(bool)]
            ax.plot(chosen["k"], chosen[value], "o", markersize=11, markerfacecolor="none",
                    markeredgecolor="black", label=f"chosen k ({model.upper()})")
    small = selection.loc[selection["docs_per_topic"] < min_docs_per_topic, "k"] if "docs_per_topic" in selection else []
    for ax, title in zip(axes, ("Coherence: mean NPMI of top-10 terms", "Stability: agreement of top-20 terms"),
                         strict=True):
        if len(small):
            ax.axvspan(min(small) - 0.5, selection["k"].max() + 0.5, color=COUNT_COLOR, alpha=0.15,
                       label=f"< {min_docs_per_topic:g} articles per topic")
        ax.set_xlabel("number of topics k")
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[1].legend(fontsize=7, frameon=False)
    return fig


def plot_topic_terms(terms: pd.DataFrame, topics: pd.DataFrame, *, n: int = 10, ncols: int = 4) -> Figure:
    """One bar chart per topic: its n heaviest terms and their weights, titled with its label."""
    labels = topics.set_index("topic")["label"]
    ids = list(topics["topic"])
    ncols = max(1, min(ncols, len(ids)))
    nrows = math.ceil(len(ids) / ncols)
    # Fixed margins (inches) rather than a constrained layout: as readable, much faster to draw.
    label_in, bar_in, row_in, title_in = 1.7, 2.0, 0.2 * n + 0.3, 0.65
    width, height = ncols * (label_in + bar_in + 0.2), nrows * (row_in + title_in)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False)
    fig.subplots_adjust(left=label_in / width, right=1 - 0.2 / width, wspace=(label_in + 0.2) / bar_in,
                        bottom=0.3 / height, top=1 - 0.35 / height, hspace=title_in / row_in)
    for ax, topic in zip(axes.flat, ids, strict=False):
        part = terms.loc[(terms["topic"] == topic) & (terms["rank"] <= n)].sort_values("rank", ascending=False)
        ax.barh(part["term"], part["weight"], color=LINE_COLOR)
        ax.set_title(f"{topic}: {labels.get(topic, topic)}", fontsize=9)
        ax.tick_params(axis="y", labelsize=8)
        ax.tick_params(axis="x", labelsize=7)
    for ax in axes.flat[len(ids):]:
        ax.set_visible(False)
    return fig


def plot_prevalence_heatmap(prevalence: pd.DataFrame, topics: pd.DataFrame) -> Figure:
    """Topic x year heatmap of the mean topic share, years without articles left grey (gaps, not
    zeros), with the number of articles per year above it."""
    grid = prevalence.pivot(index="topic", columns="year", values="estimate")
    counts = prevalence.drop_duplicates("year").set_index("year")["n_articles"].reindex(grid.columns)
    labels = topics.set_index("topic")["label"].reindex(grid.index)
    fig, (top, ax) = plt.subplots(2, 1, figsize=(1.0 + 0.5 * grid.shape[1], 1.2 + 0.32 * len(grid)),
                                  height_ratios=(1, max(3, len(grid) / 2)), layout="constrained", sharex=True)
    top.bar(np.arange(len(counts)), counts.fillna(0), color=COUNT_COLOR)
    top.set_ylabel("articles", fontsize=8)
    top.tick_params(labelsize=7)
    ax.set_facecolor("#f2f2f2")
    image = ax.imshow(np.ma.masked_invalid(grid.to_numpy(float)), aspect="auto", cmap="Blues")
    ax.set_xticks(np.arange(grid.shape[1]), [str(y) for y in grid.columns], rotation=90, fontsize=8)
    ax.set_yticks(np.arange(len(grid)), [f"{t}: {labels[t]}" for t in grid.index], fontsize=8)
    fig.colorbar(image, ax=ax, format=PercentFormatter(1.0, decimals=0), label="mean topic share")
    return fig


def plot_topic_trends(trends: pd.DataFrame) -> Figure:
    """Each topic's trend slope (percentage points of share per year) with its 95% CI, rising and
    falling topics coloured, sorted by slope."""
    part = trends.dropna(subset=["slope"]).sort_values("slope")
    if part.empty:  # a figure that says so: a report on a sparse corpus still shows where the trends would be
        fig, ax = plt.subplots(figsize=(7, 1.3), layout="constrained")
        most = int(trends["n_years"].max()) if len(trends) else 0
        ax.text(0.5, 0.5, f"Too sparse for a trend: no topic has three usable (non-sparse) years (at most {most}).",
                ha="center", va="center", fontsize=10, wrap=True)
        ax.set_axis_off()
        return fig
    colors = part["direction"].map({"rising": PERIOD_COLORS[1], "falling": PERIOD_COLORS[0]}).fillna(COUNT_COLOR)
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(part) + 1.2), layout="constrained")
    y = np.arange(len(part))
    ax.hlines(y, part["ci_low"] * 100, part["ci_high"] * 100, color=colors, linewidth=2)
    ax.scatter(part["slope"] * 100, y, color=colors, zorder=3)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [f"{t}: {lab}" for t, lab in zip(part["topic"], part["label"], strict=True)], fontsize=8)
    ax.set_xlabel("change in mean topic share\n(percentage points per year, 95% bootstrap CI)")
    return fig


def plot_topic_similarity(similarity: pd.DataFrame, topics: pd.DataFrame) -> Figure:
    """Heatmap of the cosine similarity between topics' term weights (near 0: distinct topics)."""
    grid = similarity.pivot(index="topic_a", columns="topic_b", values="similarity")
    labels = topics.set_index("topic")["label"].reindex(grid.index)
    names = [textwrap.shorten(f"{t}: {labels[t]}", 48, placeholder="…") for t in grid.index]
    size = 1.5 + 0.35 * len(grid)
    # room for the longest label left of the grid (about 0.065 in per character at 8 pt)
    fig, ax = plt.subplots(figsize=(size + 1.5 + 0.065 * max(map(len, names), default=0), size + 0.4),
                           layout="constrained")
    image = ax.imshow(grid.to_numpy(float), cmap="Greys", vmin=0, vmax=1)
    ax.set_xticks(np.arange(len(grid)), grid.columns, fontsize=8)
    ax.set_yticks(np.arange(len(grid)), names, fontsize=8)
    ax.set_xlabel("topic", fontsize=8)
    ax.set_title("Similarity of the topics' term weights (cosine)", fontsize=10)
    fig.colorbar(image, ax=ax, label="cosine similarity")
    return fig


# --- sentiment (notebook 04) ------------------------------------------------------------------

LABEL_COLORS = {"negative": "#b5482f", "neutral": "#c8c8c8", "positive": "#1f5f8b"}


def plot_label_shares(by_year: pd.DataFrame, *, facet: str = "target",
                      titles: Mapping[str, str] | None = None) -> Figure:
    """Stacked yearly shares of negative / neutral / positive sentences, one panel per target;
    sparse years hatched, years without sentences empty."""
    names = list(dict.fromkeys(by_year[facet]))
    if not names:
        raise ValueError("nothing to plot: the table is empty")
    fig, axes = plt.subplots(1, len(names), figsize=(5.2 * len(names), 3.2), squeeze=False,
                             sharey=True, layout="constrained")
    for ax, name in zip(axes[0], names, strict=True):
        part = by_year.loc[by_year[facet] == name].sort_values("year")
        bottom = np.zeros(len(part))
        hatch = ["///" if s else "" for s in part.get("sparse", pd.Series(False, index=part.index))]
        for label, color in LABEL_COLORS.items():
            values = np.nan_to_num(part[f"share_{label}"].to_numpy(float))  # a year without sentences: no bar
            ax.bar(part["year"], values, bottom=bottom, color=color, width=0.8, label=label,
                   hatch=hatch, edgecolor="white", linewidth=0.3)
            bottom += values
        ax.set_title((titles or {}).get(name, str(name)), fontsize=10)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    # outside the axes: the stacked bars fill every panel to 100%
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, names, fontsize=7, loc="outside right upper", frameon=False)
    return fig


def plot_confusion(matrix: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Heatmap of a confusion table (rows: hand labels, columns: predictions) with counts."""
    fig, ax = plt.subplots(figsize=(3.8, 3.2), layout="constrained")
    values = matrix.to_numpy(float)
    ax.imshow(values, cmap="Blues")
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{v:.0f}", ha="center", va="center",
                color="white" if v > values.max() / 2 else "black", fontsize=9)
    ax.set_xticks(range(matrix.shape[1]), matrix.columns, fontsize=8)
    ax.set_yticks(range(matrix.shape[0]), matrix.index, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("hand label")
    if title:
        ax.set_title(title, fontsize=10)
    return fig
