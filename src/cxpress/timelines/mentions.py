"""Every mention of every term group in a corpus, found in one pass and reused by the analyses
(counts per article, term breakdown, keyword in context, target sentences), optionally memoised
on disk so that a second report on the same corpus does not search the texts again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxpress.memory import MemoryLike, memoise, source_version, text_key
from cxpress.parallel import chunked_map
from cxpress.text.terms import TermMatcher, compile_groups, default_matcher

MENTION_COLUMNS = ["doc_id", "group", "term", "start", "end"]
# ~0.15 ms of matching per article: below this, two workers' start-up (~1 s of imports each) costs
# more than they save (benchmarks/README.md, analyses)
MENTIONS_PARALLEL_MIN = 20_000
Groups = Mapping[str, Sequence[str]] | TermMatcher | None


@dataclass(frozen=True)
class Mentions:
    """The mentions of `groups` in a set of articles: `table` has one row per mention (doc_id as
    text, group, term, start, end: character offsets into the article's clean text), in article
    order then by position; `doc_ids` lists every article searched, those without a mention too."""

    table: pd.DataFrame
    groups: dict[str, list[str]]
    doc_ids: pd.Index

    def of(self, articles: pd.DataFrame, groups: Sequence[str] | None = None) -> pd.DataFrame:
        """The rows of these articles (all searched here, else a ValueError) and groups."""
        wanted = articles["doc_id"].astype(str)
        missing = pd.Index(wanted).difference(self.doc_ids)
        if len(missing):
            raise ValueError(f"{len(missing)} articles (e.g. {list(missing[:2])}) were not searched for "
                             "these mentions: recompute them with find_mentions(articles, groups)")
        unknown = [g for g in groups or [] if g not in self.groups]
        if unknown:
            raise KeyError(f"unknown term groups {unknown}; known: {sorted(self.groups)}")
        rows = self.table["doc_id"].isin(wanted)
        if groups is not None:
            rows &= self.table["group"].isin(groups)
        return self.table.loc[rows.to_numpy(bool)]

    def require(self, groups: Mapping[str, Sequence[str]]) -> None:
        """Refuse mentions found with other term lists than `groups` (counts would silently differ)."""
        differ = [g for g in groups if list(groups[g]) != self.groups.get(g)]
        if differ:
            raise ValueError(f"these mentions were found with other terms for groups {differ}: "
                             "recompute them with find_mentions(articles, groups)")


def check_unique_ids(articles: pd.DataFrame) -> None:
    """Refuse repeated doc_id values (counts and mentions are keyed by them)."""
    if articles["doc_id"].duplicated().any():
        dups = articles.loc[articles["doc_id"].duplicated(), "doc_id"].head(3).tolist()
        raise ValueError(f"duplicate doc_id values {dups}: give each article a unique doc_id")


def as_matcher(groups: Groups) -> TermMatcher:
    """The lexicon's matcher (None), a matcher as given, or one compiled for {group: [terms]}."""
    if groups is None:
        return default_matcher()
    return groups if isinstance(groups, TermMatcher) else compile_groups(groups)


def _find_chunk(items: list[tuple[str, str]], matcher: TermMatcher) -> list[list[tuple]]:
    """(doc_id, group, term, start, end) of every mention in each (doc_id, text) of a chunk."""
    return [[(doc_id, m.group, m.term, m.start, m.end) for m in matcher.find(text)] if text else []
            for doc_id, text in items]


def _search(doc_ids: list[str], texts: list[str], matcher: TermMatcher, n_jobs: int | None) -> pd.DataFrame:
    items = list(zip(doc_ids, texts, strict=True))
    rows = [row for per_article in chunked_map(_find_chunk, items, matcher, n_jobs=n_jobs,
                                               min_items=MENTIONS_PARALLEL_MIN) for row in per_article]
    table = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    return table.astype({"doc_id": "category", "group": pd.CategoricalDtype(list(matcher.groups)),
                         "term": "category", "start": "int64", "end": "int64"})


def find_mentions(articles: pd.DataFrame, groups: Groups = None, *, column: str = "text",
                  memory: MemoryLike = None, n_jobs: int | None = None) -> Mentions:
    """All mentions of every group in each article's clean text (one pass; both cores from
    MENTIONS_PARALLEL_MIN articles, about 0.15 ms per article). With `memory` (a folder or
    joblib.Memory) the result is memoised, keyed by the texts, the terms and this code: a rerun
    reads it back.
    """
    missing = [c for c in ("doc_id", column) if c not in articles.columns]
    if missing:
        raise ValueError(f"articles lack column(s) {missing} needed to find mentions; "
                         "pass the tidy corpus from cxpress.corpus.load_corpus(...).articles")
    check_unique_ids(articles)
    matcher = as_matcher(groups)
    doc_ids = articles["doc_id"].astype(str).tolist()
    texts = articles[column].fillna("").astype(str).tolist()
    terms = repr(sorted((g, list(ts)) for g, ts in matcher.groups.items()))
    table = memoise(memory, lambda: text_key("mentions", source_version("text.terms", "text.french", "timelines.mentions"),
                                             terms, doc_ids, texts),
                    lambda: _search(doc_ids, texts, matcher, n_jobs))
    return Mentions(table, {g: list(ts) for g, ts in matcher.groups.items()}, pd.Index(doc_ids))


def count_matrix(rows: pd.DataFrame, doc_ids: Sequence[str], groups: Sequence[str]) -> np.ndarray:
    """Mentions per (article, group) from mention rows: an int64 matrix in the given orders."""
    doc_codes = pd.Categorical(rows["doc_id"].astype(str), categories=pd.Index(doc_ids)).codes
    group_codes = pd.Categorical(rows["group"].astype(str), categories=pd.Index(groups)).codes
    kept = (doc_codes >= 0) & (group_codes >= 0)
    counts = np.zeros((len(doc_ids), len(groups)), dtype="int64")
    np.add.at(counts, (doc_codes[kept], group_codes[kept]), 1)
    return counts
