"""Estimates compared across groups of articles (outlet family, outlet or any article column) and,
optionally, periods, with the article-bootstrap CIs and sparse flags of the yearly series.

The estimator is cxpress.yearly's, run with a period (or one slot for all years) in place of the
year, so that a group's share and a year's share are the same quantity with the same CI. Articles
whose group is missing (loose files without an outlet) form one explicit "unknown" group.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxpress.yearly import yearly_estimates

__all__ = ["ALL_YEARS", "UNKNOWN", "attach_groups", "describe_comparison", "group_estimates", "group_labels",
           "period_slots"]

UNKNOWN = "unknown"
ALL_YEARS = "all years"
COMPARISON_COLUMNS = ["period", "estimate", "ci_low", "ci_high", "n_articles", "sparse", "numerator",
                      "denominator"]  # after the per-analysis key(s) and the group column


def group_labels(values: pd.DataFrame, by: str, *, unknown: str = UNKNOWN) -> pd.Series:
    """The `by` column as text, missing or blank values as `unknown` (kept as a group, never dropped)."""
    if by not in values.columns:
        raise ValueError(f"no column {by!r} to compare by; available: {', '.join(map(str, values.columns))}")
    text = values[by].astype("string").str.strip()
    return text.mask(text.isna() | (text == ""), unknown).astype(object)


def period_slots(years: pd.Series, periods: Sequence[Sequence[int]]) -> tuple[np.ndarray, list[str]]:
    """Each year's period index (NaN: undated or in no period) and the periods' labels ("2010-2014")."""
    if not len(periods) or any(len(p) != 2 for p in periods):
        raise ValueError(f"periods {periods!r}: give [[first_year, last_year], ...], or None for all years")
    bounds = [(int(p[0]), int(p[1])) for p in periods]
    for (first, last), nxt in zip(bounds, [*bounds[1:], None], strict=True):
        if first > last:
            raise ValueError(f"period {[first, last]}: give [first_year, last_year], e.g. [2010, 2014]")
        if nxt is not None and nxt[0] <= last:
            raise ValueError(f"periods {bounds} overlap or are not in order: an article must fall in one")
    year = pd.to_numeric(years, errors="coerce").to_numpy(dtype=float)
    slot = np.full(len(year), np.nan)
    for i, (first, last) in enumerate(bounds):
        slot[(year >= first) & (year <= last)] = i
    return slot, [f"{first}-{last}" for first, last in bounds]


def attach_groups(values: pd.DataFrame, articles: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per-article values with their article's `by` column (joined on doc_id); an article missing
    from `articles` is an error rather than a silent "unknown"."""
    if "doc_id" not in articles or by not in articles:
        raise ValueError(f"articles need the columns doc_id and {by!r} to compare by {by!r}")
    known = articles.drop_duplicates("doc_id").set_index("doc_id")[by]
    missing = ~values["doc_id"].isin(known.index)
    if missing.any():
        raise ValueError(f"{int(missing.sum())} rows (e.g. doc_id {values.loc[missing, 'doc_id'].iloc[0]!r}) "
                         "belong to articles not in `articles`: pass the articles the analysis used")
    return values.assign(**{by: values["doc_id"].map(known).to_numpy()})


def group_estimates(values: pd.DataFrame, *, by: str = "outlet_family", per: str | Sequence[str] = "group",
                    numerator: str = "value", denominator: str | None = None,
                    periods: Sequence[Sequence[int]] | None = None, n_boot: int = 1000, seed: int = 0,
                    ci: float = 0.95, min_articles: int = 5, min_denominator: float = 0,
                    unknown: str = UNKNOWN) -> pd.DataFrame:
    """Per `per` key (topic, term group, target), group of `by` and period: sum(numerator) /
    sum(denominator) over the cell's articles with a percentile CI from resampling its articles,
    flagged `sparse` under `min_articles` articles or `min_denominator` (cxpress.yearly's rules).

    Period "all years" counts every article, dated or not; each of `periods` ([[2010, 2014],
    [2015, 2019]]) adds its own rows, and articles outside them are counted in
    `.attrs["n_outside_periods"]`. Every group has a row for every period (n_articles 0 when empty).
    Groups come largest first, `unknown` last.
    """
    per = [per] if isinstance(per, str) else list(per)
    if periods and "year" not in values:
        raise ValueError("per-article values need a `year` column to be split into periods")
    frame = values.assign(**{by: group_labels(values, by, unknown=unknown)}, year=0)
    names, outside = [ALL_YEARS], np.zeros(len(values), dtype=bool)
    if periods:  # the same articles again, one slot per period (the bootstrap is per cell)
        slot, labels = period_slots(values["year"], periods)
        outside = np.isnan(slot)
        frame = pd.concat([frame, frame.assign(year=slot + 1).loc[~outside]], ignore_index=True)
        names += labels
    table = yearly_estimates(frame, by=[*per, by], numerator=numerator, denominator=denominator,
                             years=(0, len(names) - 1), n_boot=n_boot, seed=seed, ci=ci,
                             min_articles=min_articles, min_denominator=min_denominator)
    table["period"] = np.asarray(names, dtype=object)[table["year"].to_numpy(dtype=int)]
    size = table.groupby(by)["n_articles"].max()
    order = sorted(size.index, key=lambda g: (g == unknown, -size[g], str(g)))
    table["_rank"] = table[by].map({g: i for i, g in enumerate(order)})
    table = table.sort_values([*per, "_rank", "year"], kind="stable").reset_index(drop=True)
    table.attrs["n_outside_periods"] = int(values.loc[outside, "doc_id"].nunique() if "doc_id" in values
                                           else outside.sum())
    table.attrs["by"] = by
    return table[[*per, by, *COMPARISON_COLUMNS]]


def describe_comparison(table: pd.DataFrame, *, by: str | None = None, unknown: str = UNKNOWN,
                        min_groups: int = 2) -> str:
    """One sentence on how many known groups have a non-sparse estimate over all years (and the
    articles of the unknown group); it says so when fewer than `min_groups` do, so that the table is
    read as a description of the corpus."""
    by = by or table.attrs.get("by")
    if by is None or by not in table:
        raise ValueError("name the group column: describe_comparison(table, by='outlet_family')")
    name = by.replace("_", " ")
    overall = table[table["period"] == ALL_YEARS] if "period" in table else table
    size = overall.groupby(by)["n_articles"].max()
    known = [g for g in size.index if g != unknown]
    enough = sorted(g for g in known if (~overall.loc[overall[by] == g, "sparse"].astype(bool)).any())
    unknown_part = (f"; {int(size[unknown])} articles have no {name} (group “{unknown}”)"
                    if unknown in size.index else "")
    text = (f"{len(enough)} of {len(known)} groups by {name} have enough articles for an estimate that is "
            f"not sparse{': ' + ', '.join(map(str, enough)) if enough else ''}{unknown_part}.")
    if len(enough) < min_groups:
        text += (f" Too few groups by {name} have enough articles to compare them: read the table as a "
                 "description of the corpus, not as differences between groups.")
    return text
