"""Term-group timelines per year (share of articles, mentions per 10k tokens) with bootstrap CIs and
trends (cxpress.yearly), and keyword in context, so a change can be told apart from noise."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cxpress.comparisons import group_estimates, group_labels
from cxpress.config import YEAR_MAX, YEAR_MIN
from cxpress.parallel import chunked_map
from cxpress.text.terms import TermMatcher, compile_groups, load_term_groups
from cxpress.timelines.keyness import keyness, period_label
from cxpress.timelines.mentions import (
    Mentions,
    as_matcher,
    check_unique_ids,
    count_matrix,
    find_mentions,
)
from cxpress.yearly import yearly_estimates, yearly_trends

__all__ = ["count_mentions", "find_mentions", "first_year_reaching", "keyness", "kwic", "merge_groups",
           "per_article_values", "sample_contexts", "term_breakdown", "term_share_by_group", "term_timeline",
           "trend_tests"]

TIMELINE_COLUMNS = ["group", "measure", "year", "estimate", "ci_low", "ci_high", "n_articles", "sparse",
                    "n_tokens", "n_mentions", "n_mentioning"]
MEASURES = ("share", "per_10k")
KWIC_COLUMNS = ["doc_id", "year", "title", "left", "match", "right", "start"]
Groups = Mapping[str, Sequence[str]] | TermMatcher | pd.DataFrame | None


def merge_groups(groups: Mapping[str, Sequence[str]],
                 extra: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    """Groups plus user terms: an existing group's list is extended, a new name adds a group."""
    merged = {g: list(ts) for g, ts in groups.items()}
    for name, terms in (extra or {}).items():
        if isinstance(terms, str):
            raise ValueError(f"extra terms for {name!r} must be a list, e.g. {{{name!r}: [{terms!r}]}}")
        merged[name] = list(dict.fromkeys([*merged.get(name, []), *terms]))
    return merged


def _require(articles: pd.DataFrame, columns: Sequence[str], why: str) -> None:
    missing = [c for c in columns if c not in articles.columns]
    if missing:
        raise ValueError(f"articles lack column(s) {missing} needed for {why}; "
                         "pass the tidy corpus from cxpress.corpus.load_corpus(...).articles")


def _count_chunk(texts: list[str], matcher: TermMatcher) -> list[dict[str, int]]:
    return [matcher.count(t) for t in texts]


def count_mentions(articles: pd.DataFrame, groups: Mapping[str, Sequence[str]] | TermMatcher | None = None,
                   *, column: str = "text", mentions: Mentions | None = None) -> pd.DataFrame:
    """Mentions of each group in each article's clean text: a doc_id x group matrix of counts.

    Matching runs once per article here (about 1 ms per article, on both cores from 1,500 articles)
    unless `mentions` (find_mentions() of these articles) is given; pass the result to
    term_timeline() to reuse it.
    """
    _require(articles, ["doc_id", column], "counting mentions")
    if mentions is None:  # counting alone is cheaper than listing every mention
        check_unique_ids(articles)
        matcher = as_matcher(groups)
        names = list(matcher.groups)
        rows = chunked_map(_count_chunk, articles[column].fillna("").astype(str).tolist(), matcher)
        matrix = np.array([[row[g] for g in names] for row in rows], dtype="int64").reshape(len(rows), len(names))
    else:
        terms = groups.groups if isinstance(groups, TermMatcher) else groups
        if terms is not None:
            mentions.require(terms)
        names = [str(g) for g in (terms if terms is not None else mentions.groups)]
        matrix = count_matrix(mentions.of(articles, names), articles["doc_id"].astype(str).tolist(), names)
    counts = pd.DataFrame(matrix, index=pd.Index(articles["doc_id"], name="doc_id"), columns=names)
    counts.columns.name = "group"
    return counts


def _counts_for(articles: pd.DataFrame, groups: Groups) -> pd.DataFrame:
    """The count matrix aligned on `articles` (computed, or taken from a count_mentions result)."""
    if not isinstance(groups, pd.DataFrame):
        return count_mentions(articles, groups)
    missing = set(articles["doc_id"]) - set(groups.index)
    if missing:
        raise ValueError(f"{len(missing)} articles (e.g. {sorted(missing)[:2]}) are not in the count "
                         "matrix: recompute it with count_mentions(articles, groups)")
    return groups.loc[articles["doc_id"]]


def per_article_values(articles: pd.DataFrame, counts: pd.DataFrame, *, carry: Sequence[str] = ()) -> pd.DataFrame:
    """Long per-article values for cxpress.yearly: per group, whether the article mentions it
    (measure "share": a mean of 0/1) and its mentions x 10,000 over its tokens ("per_10k": a ratio);
    `carry` names article columns copied onto each row (e.g. an outlet to compare by)."""
    n, k = counts.shape
    matrix = counts.to_numpy(dtype=float)
    frame = pd.DataFrame({"group": np.tile(np.asarray(counts.columns, dtype=object), n),
                          "year": np.repeat(articles["year"].to_numpy(), k),
                          **{c: np.repeat(articles[c].to_numpy(), k) for c in carry}})
    tokens = np.repeat(articles["n_tokens"].fillna(0).to_numpy(dtype=float), k)
    return pd.concat([frame.assign(measure="share", value=(matrix > 0).ravel().astype(float), tokens=1.0),
                      frame.assign(measure="per_10k", value=matrix.ravel() * 10_000, tokens=tokens)],
                     ignore_index=True)


def _timeline_values(articles: pd.DataFrame, groups: Groups, years: tuple[int, int],
                     measures: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """Articles in the span, their count matrix, their per-article values and the excluded counts."""
    _require(articles, ["doc_id", "year", "n_tokens"], "a timeline")
    if years[0] > years[1]:
        raise ValueError(f"years {years}: the first year must not be after the last")
    unknown = set(measures) - set(MEASURES)
    if unknown:
        raise ValueError(f"unknown measure(s) {sorted(unknown)}; valid: {', '.join(MEASURES)}")
    year = pd.to_numeric(articles["year"], errors="coerce")
    in_range = year.between(years[0], years[1]).fillna(False).to_numpy(dtype=bool)
    kept = articles.loc[in_range]
    counts = _counts_for(kept, groups)
    values = per_article_values(kept, counts)
    excluded = {"undated": int(year.isna().sum()), "out_of_range": int((year.notna() & ~in_range).sum())}
    return kept, counts, values.loc[values["measure"].isin(measures)], excluded


def term_timeline(articles: pd.DataFrame, groups: Groups = None, *,
                  years: tuple[int, int] = (YEAR_MIN, YEAR_MAX), n_boot: int = 1000, seed: int = 0,
                  min_articles: int = 5, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """Per group, measure and year: the share of articles mentioning the group ("share") or the
    mentions per 10k tokens ("per_10k") as `estimate`, with a 95% CI from articles resampled within
    the year (cxpress.yearly), and the year's article, token and mention counts.

    `groups` is {group: [terms]}, a TermMatcher, a count_mentions() matrix (reused as is) or None
    (the lexicon). Every year of the range has rows: a year without articles has NaN values (a gap,
    not a zero) and years with fewer than `min_articles` articles are flagged `sparse`. Articles
    without a year or outside the range are left out and counted in `.attrs["excluded"]`.
    """
    kept, counts, values, excluded = _timeline_values(articles, groups, years, measures)
    out = yearly_estimates(values, by=["group", "measure"], denominator="tokens", years=years,
                           n_boot=n_boot, seed=seed, min_articles=min_articles)
    by_year = counts.set_axis(kept["year"].astype(int).to_numpy()).rename_axis("year")
    found = pd.DataFrame({"n_mentions": by_year.groupby(level=0).sum().stack(),
                          "n_mentioning": by_year.gt(0).groupby(level=0).sum().stack()}).astype("Int64")
    tokens = kept["n_tokens"].fillna(0).groupby(kept["year"].astype(int).to_numpy()).sum()
    out = out.join(found, on=["year", "group"]).assign(
        n_tokens=tokens.reindex(out["year"]).fillna(0).astype("int64").to_numpy())
    out.attrs["excluded"] = excluded
    return out[TIMELINE_COLUMNS]


def trend_tests(articles: pd.DataFrame, groups: Groups = None, *,
                years: tuple[int, int] = (YEAR_MIN, YEAR_MAX), n_boot: int = 1000, seed: int = 0,
                min_articles: int = 5, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """Per group and measure: the linear trend of term_timeline()'s yearly estimates (same
    arguments, same bootstrap draws), by cxpress.yearly.yearly_trends: slope per year with its
    95% CI and p-value over the non-sparse years, and a direction consistent with the CI."""
    _, _, values, _ = _timeline_values(articles, groups, years, measures)
    return yearly_trends(values, by=["group", "measure"], denominator="tokens", years=years,
                         n_boot=n_boot, seed=seed, min_articles=min_articles)


def term_share_by_group(articles: pd.DataFrame, groups: Groups = None, *, by: str = "outlet_family",
                        periods: Sequence[Sequence[int]] | None = None, measures: Sequence[str] = ("share",),
                        n_boot: int = 1000, seed: int = 0, min_articles: int = 5) -> pd.DataFrame:
    """Per term group, measure and group of `by` (an article column; missing: "unknown") and, with
    `periods`, per period: term_timeline()'s estimates with the same CIs and sparse flags
    (cxpress.comparisons), e.g. the share of articles mentioning AI in each outlet family."""
    _require(articles, ["doc_id", "year", "n_tokens"], "a comparison by group")
    articles = articles.assign(**{by: group_labels(articles, by)})
    values = per_article_values(articles, _counts_for(articles, groups), carry=[by])
    return group_estimates(values.loc[values["measure"].isin(measures)], by=by, per=["group", "measure"],
                           denominator="tokens", periods=periods, n_boot=n_boot, seed=seed,
                           min_articles=min_articles)


def first_year_reaching(timeline: pd.DataFrame, threshold: float, *, measure: str = "share",
                        value: str = "estimate", include_sparse: bool = False) -> pd.DataFrame:
    """Per group, the first year whose `value` of `measure` reaches `threshold` (use value="ci_low"
    for the year from which the whole CI lies above it); <NA> when it never does."""
    if "measure" in timeline:
        timeline = timeline.loc[timeline["measure"] == measure]
    rows = []
    for group, part in timeline.sort_values("year", kind="stable").groupby("group", sort=False):
        ok = part[value].ge(threshold) & (include_sparse | ~part["sparse"])
        hit = part.loc[ok.fillna(False)].head(1)
        rows.append({"group": group, "measure": measure, "value": value, "threshold": threshold,
                     "first_year": hit["year"].iloc[0] if len(hit) else pd.NA,
                     "value_then": hit[value].iloc[0] if len(hit) else np.nan})
    return pd.DataFrame(rows).astype({"first_year": "Int64"})


def term_breakdown(articles: pd.DataFrame, groups: Mapping[str, Sequence[str]] | TermMatcher | None,
                   periods: Sequence[Sequence[int]], *, mentions: Mentions | None = None) -> pd.DataFrame:
    """Which lexicon terms make up each group's mentions in each period (mentions and articles)."""
    _require(articles, ["doc_id", "year", "text"], "a term breakdown")
    frames = []
    for period in periods:
        inside = articles.loc[articles["year"].between(period[0], period[1]).fillna(False).to_numpy(bool)]
        found = (find_mentions(inside, groups) if mentions is None else mentions).of(inside)
        frames.append(pd.DataFrame({"group": found["group"].astype(str), "period": period_label(period),
                                    "term": found["term"].astype(str), "doc_id": found["doc_id"].astype(str)}))
    found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["group", "period", "term", "doc_id"])
    return (found.groupby(["group", "period", "term"], sort=False)
            .agg(n_mentions=("doc_id", "size"), n_articles=("doc_id", "nunique")).reset_index()
            .sort_values(["group", "period", "n_mentions"], ascending=[True, True, False], kind="stable")
            .reset_index(drop=True))


def _kwic_matcher(term: str, groups: Mapping[str, Sequence[str]] | None) -> TermMatcher:
    """A group name (in `groups` or the lexicon) matches its terms; anything else is one term or re: regex."""
    known = groups if groups is not None else load_term_groups()
    return compile_groups({term: known[term] if term in known else [term]})


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _kwic_rows(doc_ids: list, years: list, titles: list, texts: list, spans: list[tuple[int, int, int]],
               window: int) -> list[tuple]:
    """kwic rows for (article index, start, end) spans."""
    rows = []
    for i, start, end in spans:
        text = texts[i]
        rows.append((doc_ids[i], years[i], titles[i], _squash(text[max(0, start - window):start]),
                     _squash(text[start:end]), _squash(text[end:end + window]), start))
    return rows


def kwic(articles: pd.DataFrame, term: str, window: int = 60, *,
         groups: Mapping[str, Sequence[str]] | None = None, mentions: Mentions | None = None) -> pd.DataFrame:
    """Keyword in context: one row per mention of `term` (a lexicon term, a group name or a
    "re:" regex) with `window` characters either side, line breaks shown as spaces.

    A group name found in `mentions` (find_mentions() of these articles) reuses its rows.
    """
    _require(articles, ["doc_id", "year", "title", "text"], "keyword in context")
    if mentions is not None and term in mentions.groups and (groups is None or term in groups):
        if groups is not None:
            mentions.require({term: groups[term]})
        found = mentions.of(articles, [term])
    else:
        found = find_mentions(articles, _kwic_matcher(term, groups)).table
    position = pd.Series(np.arange(len(articles)), index=articles["doc_id"].astype(str).to_numpy())
    spans = zip(position.loc[found["doc_id"].astype(str)].tolist(), found["start"].tolist(),
                found["end"].tolist(), strict=True)
    texts = articles["text"].fillna("").tolist()
    out = pd.DataFrame(_kwic_rows(articles["doc_id"].tolist(), articles["year"].tolist(),
                                  articles["title"].tolist(), texts, list(spans), window), columns=KWIC_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    return out.sort_values(["year", "doc_id", "start"], na_position="last").reset_index(drop=True)


def sample_contexts(contexts: pd.DataFrame, periods: Sequence[Sequence[int]], n: int = 5,
                    seed: int = 0) -> pd.DataFrame:
    """Up to `n` kwic() rows per period, at most one per article, drawn with a seed."""
    frames = []
    for period in periods:
        inside = contexts.loc[contexts["year"].between(period[0], period[1]).fillna(False)]
        one_each = inside.sample(frac=1, random_state=seed).drop_duplicates("doc_id")
        picked = one_each.head(n).sort_values(["year", "doc_id"])
        frames.append(picked.assign(period=period_label(period)))
    columns = ["period", *contexts.columns]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
