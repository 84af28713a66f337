"""A corpus prepared once for interactive term queries: every article's folded text joined into one
string, so that a query finds its candidate articles with one scan, and the project's term matcher
(the rules of notebook 03) runs on those candidates only."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxpress.text.french import fold_text
from cxpress.text.terms import compile_term, term_pattern
from cxpress.timelines import Mentions, find_mentions
from cxpress.timelines.mentions import MENTION_COLUMNS

SEPARATOR = "\n\x00\n"  # between articles: no term or word-bounded pattern spans it
_WORD_RUN = re.compile(r"[^\W_]+")
_WORD_START = r"(?<![^\W_])"  # where a word begins, as the term matcher anchors


@dataclass(frozen=True)
class TextIndex:
    """The analysed articles with their folded texts joined (`folded`, each article starting at
    `starts[i]`) and their clean texts joined (`joined`, for raw regular expressions)."""

    articles: pd.DataFrame
    folded: str
    joined: str
    folded_starts: np.ndarray
    joined_starts: np.ndarray

    @property
    def doc_ids(self) -> pd.Index:
        return pd.Index(self.articles["doc_id"].astype(str))


def _join(texts: list[str]) -> tuple[str, np.ndarray]:
    lengths = np.fromiter((len(t) + len(SEPARATOR) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(texts) else np.zeros(0, np.int64)
    return SEPARATOR.join(texts), starts


def build_index(articles: pd.DataFrame) -> TextIndex:
    """Fold and join the clean texts once (about 1 s per 10,000 articles) for fast term queries."""
    missing = [c for c in ("doc_id", "year", "title", "text", "n_tokens") if c not in articles.columns]
    if missing:
        raise ValueError(f"articles lack column(s) {missing}: pass analysis_frame(...).articles")
    if articles["doc_id"].duplicated().any():
        raise ValueError("duplicate doc_id values: each article needs its own doc_id")
    articles = articles.reset_index(drop=True)
    texts = articles["text"].fillna("").astype(str).tolist()
    folded, folded_starts = _join([fold_text(t) for t in texts])
    joined, joined_starts = _join(texts)
    return TextIndex(articles, folded, joined, folded_starts, joined_starts)


def parse_query(query: str, groups: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """The terms a typed query stands for: a term-group name gives its terms; otherwise terms
    separated by commas, each a word, a multi-word term, a `*` ending, or a regex (`re:...` or
    `/.../`). A ValueError says what is wrong with a term."""
    query = (query or "").strip()
    if not query:
        raise ValueError("type a term: a word, several words, a `*` ending (voice*) or re:regex")
    if groups and query in groups:
        return list(groups[query])
    if query.startswith("/") and query.endswith("/") and len(query) > 2:
        terms = ["re:" + query[1:-1]]
    else:
        terms = [t.strip() for t in query.split(",") if t.strip()]
    for term in terms:
        compile_term(term, query)  # a clear error for an empty pattern or a bad regex
    return terms


def _word_starts(text: str, positions: np.ndarray) -> np.ndarray:
    """The positions where a word begins (the previous character is not a letter or digit)."""
    return positions[[p == 0 or not text[p - 1].isalnum() for p in positions.tolist()]]


def _candidates(index: TextIndex, term: str) -> np.ndarray:
    """Positions of the articles that may mention `term`: a word starting with its first folded
    word, or a hit of a raw regex (a superset: the term's regex decides)."""
    if term.startswith("re:"):
        regex, text, starts = re.compile(term[3:], re.IGNORECASE), index.joined, index.joined_starts
        positions = np.fromiter((m.start() for m in regex.finditer(text)), dtype=np.int64)
    else:
        first = _WORD_RUN.match(fold_text(term.rstrip("*")))
        if first is None:  # punctuation-led term: every article is a candidate
            return np.arange(len(index.articles))
        # a plain literal scan is 20x faster than one behind a look-behind; word starts checked after
        text, starts = index.folded, index.folded_starts
        found = re.finditer(re.escape(first.group()), text)
        positions = _word_starts(text, np.fromiter((m.start() for m in found), dtype=np.int64))
    return np.unique(np.searchsorted(starts, positions, side="right") - 1)


def _matches(text: str, scan: re.Pattern, bounded: re.Pattern) -> list[tuple[int, int]]:
    """bounded.finditer(text) spans, found faster: `scan` (the same pattern without its word
    boundaries, which Python's re searches 2-10x faster) proposes, `bounded` confirms in place."""
    spans, pos = [], 0
    while (hit := scan.search(text, pos)) is not None:
        match = bounded.match(text, hit.start())
        if match is None:
            pos = hit.start() + 1
        else:
            spans.append(match.span())
            pos = match.end()
    return spans


def _leftmost_longest(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans, leftmost first, the longest where two start together, the first
    listed (longer) term where two give the same span: TermMatcher's rule."""
    kept, last_end = [], -1
    for start, end, term in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if start >= last_end:
            kept.append((start, end, term))
            last_end = end
    return kept


def find_term(index: TextIndex, name: str, terms: Sequence[str]) -> Mentions:
    """Every mention of `terms` (as group `name`) in the indexed articles, as find_mentions() finds
    them in all of them: each term's regex (cxpress.text.terms.compile_term) runs on the articles
    that may hold it only."""
    ordered = sorted(dict.fromkeys(terms), key=len, reverse=True)  # the longer term wins a tie, as in TermMatcher
    texts = index.articles["text"].fillna("").astype(str).to_numpy()
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for term in ordered:
        bounded = compile_term(term, name)
        scan = re.compile(term_pattern(term), bounded.flags)
        for i in _candidates(index, term).tolist():
            spans.setdefault(i, []).extend((s, e, term) for s, e in _matches(texts[i], scan, bounded))
    doc_ids = index.articles["doc_id"].astype(str).to_numpy()
    rows = [(doc_ids[i], name, term, start, end)
            for i in sorted(spans) for start, end, term in _leftmost_longest(spans[i])]
    table = pd.DataFrame(rows, columns=MENTION_COLUMNS).astype({
        "doc_id": "category", "group": pd.CategoricalDtype([name]), "term": "category",
        "start": "int64", "end": "int64"})
    return Mentions(table, {name: list(terms)}, index.doc_ids)


class GroupMentions:
    """The mentions of every term group of the lexicon, found once (the project's matcher, both
    cores, memoised with `memory` as notebook 03 memoises them): a query naming a group is then
    answered from this table instead of a new search."""

    def __init__(self, index: TextIndex, groups: Mapping[str, Sequence[str]], *, memory=None):
        self.found = find_mentions(index.articles, {g: list(ts) for g, ts in groups.items()}, memory=memory)

    def __contains__(self, name: str) -> bool:
        return name in self.found.groups

    def of(self, name: str) -> Mentions:
        """find_term(index, name, groups[name]) for a group of the lexicon, from the table."""
        table = self.found.table
        rows = table[table["group"].astype(str) == name].reset_index(drop=True)
        rows = rows.astype({"doc_id": "category", "group": pd.CategoricalDtype([name]), "term": "category"})
        return Mentions(rows, {name: list(self.found.groups[name])}, self.found.doc_ids)
