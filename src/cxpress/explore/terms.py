"""The term explorer's answers as frames: a typed term's yearly share and rate per 10k tokens with
their CIs (the estimator of notebook 03, by outlet family when the corpus has families), and its
keyword-in-context lines for chosen years."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cxpress.config import YEAR_MAX, YEAR_MIN
from cxpress.explore.search import TextIndex, find_term
from cxpress.timelines import Mentions, count_mentions, kwic, term_timeline

ALL_OUTLETS = "all outlets"
UNKNOWN_FAMILY = "(unknown)"
KWIC_COLUMNS = ["doc_id", "year", "outlet", "title", "left", "match", "right"]


def outlet_families(articles: pd.DataFrame) -> pd.Series:
    """Each article's outlet family, "(unknown)" where it has none; empty when no article has one."""
    if "outlet_family" not in articles or articles["outlet_family"].isna().all():
        return pd.Series(dtype=object)
    return articles["outlet_family"].astype(object).where(articles["outlet_family"].notna(), UNKNOWN_FAMILY)


def term_series(index: TextIndex, name: str, terms: Sequence[str], *, mentions: Mentions | None = None,
                years: tuple[int, int] = (YEAR_MIN, YEAR_MAX), n_boot: int = 200, seed: int = 0,
                min_articles: int = 5, by_family: bool = True) -> pd.DataFrame:
    """term_timeline() of one term group over all articles (`family` "all outlets") and, with
    `by_family` and a corpus that has outlet families, over each family's articles: one row per
    family, measure ("share", "per_10k") and year, with estimate, 95% CI, counts and sparse flag."""
    articles = index.articles
    mentions = mentions if mentions is not None else find_term(index, name, terms)
    counts = count_mentions(articles, {name: list(terms)}, mentions=mentions)
    parts = {ALL_OUTLETS: articles}
    families = outlet_families(articles) if by_family else pd.Series(dtype=object)
    if len(families):
        parts |= {family: articles[families == family] for family in sorted(families.unique())}
    frames = [term_timeline(part, counts, years=years, n_boot=n_boot, seed=seed,
                            min_articles=min_articles).assign(family=family)
              for family, part in parts.items() if len(part)]
    out = pd.concat(frames, ignore_index=True)
    return out[["family", *[c for c in out.columns if c != "family"]]]


def term_kwic(index: TextIndex, name: str, mentions: Mentions, *, years: Sequence[int] | None = None,
              window: int = 70, limit: int | None = 200) -> pd.DataFrame:
    """KWIC lines of the term group `name` in the articles of `years` (None: every year), oldest
    first, with each article's outlet; at most `limit` lines (None: all)."""
    articles = index.articles
    if years is not None:
        articles = articles[articles["year"].isin(list(years)).fillna(False).to_numpy(bool)]
    if limit is not None:  # only the mentions shown are cut into lines (a word of every article: 150k at 50k)
        mentions = _first_mentions(mentions, articles, limit)
        articles = articles[articles["doc_id"].astype(str).isin(set(mentions.table["doc_id"].astype(str)))]
    lines = kwic(articles, name, window=window, mentions=mentions)
    outlets = index.articles.set_index(index.articles["doc_id"].astype(str))
    outlet = outlets["outlet"] if "outlet" in outlets else pd.Series(pd.NA, index=outlets.index)
    lines = lines.assign(outlet=lines["doc_id"].astype(str).map(outlet))[KWIC_COLUMNS]
    return lines.head(limit).reset_index(drop=True) if limit is not None else lines


def _first_mentions(mentions: Mentions, articles: pd.DataFrame, limit: int) -> Mentions:
    """The first `limit` mentions in `articles` in the order of the KWIC lines (year, doc_id, start)."""
    year = pd.Series(articles["year"].to_numpy(), index=articles["doc_id"].astype(str))
    table = mentions.table
    doc = table["doc_id"].astype(str)
    inside = table[doc.isin(year.index).to_numpy()]
    keys = inside.assign(_doc=inside["doc_id"].astype(str), _year=inside["doc_id"].astype(str).map(year))
    first = keys.sort_values(["_year", "_doc", "start"], na_position="last").head(limit)
    return Mentions(first.drop(columns=["_doc", "_year"]).sort_index(), mentions.groups, mentions.doc_ids)


def series_for_plot(series: pd.DataFrame) -> pd.DataFrame:
    """The series with one panel name per family and measure, shares in percent (one axis scale
    per panel when drawn by plots.plot_yearly_with_ci)."""
    share = series["measure"] == "share"
    scaled = series.copy()
    for column in ("estimate", "ci_low", "ci_high"):
        scaled[column] = scaled[column].where(~share, scaled[column] * 100)
    measure = share.map({True: "% of articles", False: "per 10k tokens"})
    return scaled.assign(panel=scaled["family"].astype(str) + " — " + measure)
