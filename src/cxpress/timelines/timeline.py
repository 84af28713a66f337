"""Term-group timelines per year (share of articles, mentions per 10k tokens) with bootstrap CIs,
trend tests and keyword in context, so a change can be told apart from noise."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

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

__all__ = ["count_mentions", "find_mentions", "first_year_reaching", "keyness", "kwic", "merge_groups",
           "sample_contexts", "term_breakdown", "term_timeline", "trend_tests"]

TIMELINE_COLUMNS = ["group", "year", "n_articles", "n_tokens", "n_mentions", "n_mentioning",
                    "share", "share_ci_low", "share_ci_high", "per_10k", "per_10k_ci_low",
                    "per_10k_ci_high", "ci_low", "ci_high", "sparse"]
KWIC_COLUMNS = ["doc_id", "year", "title", "left", "match", "right", "start"]
CI_LEVEL = 0.95
BOOT_CELLS = 2_000_000  # resample weights held in memory at once (rows x articles), ~16 MB
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


def _resample_weights(n: int, rows: int, rng: np.random.Generator) -> np.ndarray:
    """How many times each of n articles is drawn in each of `rows` bootstrap resamples."""
    draws = rng.integers(0, n, size=(rows, n)) + (np.arange(rows) * n)[:, None]
    return np.bincount(draws.ravel(), minlength=rows * n).reshape(rows, n)


def bootstrap_year(counts: np.ndarray, tokens: np.ndarray, n_boot: int,
                   seed: int | Sequence[int]) -> np.ndarray:
    """Percentile CIs (rows: share low/high, per-10k low/high; columns: groups) from resampled articles."""
    n, n_groups = counts.shape
    if n == 0 or n_boot <= 0:
        return np.full((4, n_groups), np.nan)
    rng = np.random.default_rng(seed)
    mentioning = (counts > 0).astype(float)
    shares, rates = [], []
    step = max(1, BOOT_CELLS // n)
    for first in range(0, n_boot, step):
        weights = _resample_weights(n, min(step, n_boot - first), rng).astype(float)
        shares.append(weights @ mentioning / n)
        token_total = weights @ tokens
        with np.errstate(divide="ignore", invalid="ignore"):
            rates.append((weights @ counts) / token_total[:, None] * 10_000)
    tail = (1 - CI_LEVEL) / 2 * 100
    share_ci = np.percentile(np.vstack(shares), [tail, 100 - tail], axis=0)
    rate_boot = np.vstack(rates)
    rate_ci = (np.nanpercentile(rate_boot, [tail, 100 - tail], axis=0)
               if np.isfinite(rate_boot).any() else np.full((2, n_groups), np.nan))
    return np.vstack([share_ci, rate_ci])


def _year_rows(year: int, counts: pd.DataFrame, tokens: np.ndarray, n_boot: int,
               seed: Sequence[int]) -> pd.DataFrame:
    n = len(counts)
    matrix = counts.to_numpy(dtype=float)
    n_tokens = int(tokens.sum())
    ci = bootstrap_year(matrix, tokens, n_boot, seed)
    mentions = matrix.sum(axis=0)
    mentioning = (matrix > 0).sum(axis=0)
    return pd.DataFrame({
        "group": counts.columns, "year": year, "n_articles": n, "n_tokens": n_tokens,
        "n_mentions": mentions if n else np.nan, "n_mentioning": mentioning if n else np.nan,
        "share": mentioning / n if n else np.nan,
        "share_ci_low": ci[0], "share_ci_high": ci[1],
        "per_10k": mentions / n_tokens * 10_000 if n_tokens else np.nan,
        "per_10k_ci_low": ci[2], "per_10k_ci_high": ci[3],
    })


def term_timeline(articles: pd.DataFrame, groups: Groups = None, *,
                  years: tuple[int, int] = (YEAR_MIN, YEAR_MAX), n_boot: int = 1000, seed: int = 0,
                  min_articles: int = 5) -> pd.DataFrame:
    """Per group and year: article and token counts, share of articles mentioning the group and
    mentions per 10k tokens, each with a 95% bootstrap CI from articles resampled within the year.

    `groups` is {group: [terms]}, a TermMatcher, a count_mentions() matrix (reused as is) or None
    (the lexicon). Every year of the range has rows: a year without articles has NaN values (a gap,
    not a zero) and years with fewer than `min_articles` articles are flagged `sparse`. Articles
    without a year or outside the range are left out and counted in `.attrs["excluded"]`.
    """
    _require(articles, ["doc_id", "year", "n_tokens"], "a timeline")
    if years[0] > years[1]:
        raise ValueError(f"years {years}: the first year must not be after the last")
    year = pd.to_numeric(articles["year"], errors="coerce")
    in_range = year.between(years[0], years[1]).fillna(False).to_numpy(dtype=bool)
    kept = articles.loc[in_range]
    counts = _counts_for(kept, groups)
    kept_years = year[in_range].astype(int).to_numpy()
    tokens = kept["n_tokens"].fillna(0).to_numpy(dtype=float)
    frames = []
    for y in range(int(years[0]), int(years[1]) + 1):
        mask = kept_years == y
        frames.append(_year_rows(y, counts.loc[mask], tokens[mask], n_boot, [seed, y]))
    out = pd.concat(frames, ignore_index=True)
    out["ci_low"], out["ci_high"] = out["share_ci_low"], out["share_ci_high"]
    out["sparse"] = out["n_articles"] < min_articles
    order = out["group"].map({g: i for i, g in enumerate(counts.columns)})
    out = (out.assign(_order=order).sort_values(["_order", "year"]).reset_index(drop=True)
           [TIMELINE_COLUMNS].astype({"n_mentions": "Int64", "n_mentioning": "Int64"}))
    out.attrs["excluded"] = {"undated": int(year.isna().sum()),
                             "out_of_range": int((year.notna() & ~in_range).sum())}
    return out


def trend_tests(timeline: pd.DataFrame, *, value: str = "share", alpha: float = 0.05) -> pd.DataFrame:
    """Per group: Theil-Sen slope per year with its 95% CI and Kendall's tau (Mann-Kendall) p-value,
    over the years that have articles and are not sparse."""
    rows = []
    for group, part in timeline.groupby("group", sort=False):
        part = part.loc[~part["sparse"] & part[value].notna()]
        row = {"group": group, "value": value, "n_years": len(part), "first_year": np.nan,
               "last_year": np.nan, "slope": np.nan, "slope_ci_low": np.nan, "slope_ci_high": np.nan,
               "kendall_tau": np.nan, "p_value": np.nan, "trend": "too few years"}
        if len(part) >= 3:
            x, y = part["year"].to_numpy(float), part[value].to_numpy(float)
            slope, _, low, high = stats.theilslopes(y, x, alpha=CI_LEVEL)
            tau, p = stats.kendalltau(x, y) if np.ptp(y) > 0 else (0.0, 1.0)
            trend = "no clear trend" if not p < alpha else ("rising" if tau > 0 else "falling")
            row.update(first_year=x.min(), last_year=x.max(), slope=slope, slope_ci_low=low,
                       slope_ci_high=high, kendall_tau=tau, p_value=p, trend=trend)
        rows.append(row)
    return pd.DataFrame(rows).astype({"first_year": "Int64", "last_year": "Int64"})


def first_year_reaching(timeline: pd.DataFrame, threshold: float, *, value: str = "share",
                        include_sparse: bool = False) -> pd.DataFrame:
    """Per group, the first year whose `value` reaches `threshold` (use value="ci_low" for the
    year from which the whole CI lies above it); <NA> when it never does."""
    rows = []
    for group, part in timeline.groupby("group", sort=False):
        ok = part[value].ge(threshold) & (include_sparse | ~part["sparse"])
        hit = part.loc[ok.fillna(False)].head(1)
        rows.append({"group": group, "value": value, "threshold": threshold,
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
