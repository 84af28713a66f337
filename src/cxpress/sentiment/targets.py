"""French sentence splitting and the target sentences (those mentioning AI or offshoring) of a corpus."""

from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cxpress.config import LEXICONS
from cxpress.memory import MemoryLike, files_version, memoise, source_version, text_key
from cxpress.parallel import chunked_map
from cxpress.text.terms import TermMatcher, compile_groups, default_matcher
from cxpress.timelines.mentions import Mentions

DEFAULT_TARGETS = ("ai", "offshoring")
TARGET_COLUMNS = ["doc_id", "year", "target", "sentence", "context", "sent_idx", "terms"]

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, white space, then
# something that can start a sentence (capital, digit, opening quote, dash). Lower case after
# "…" or "?" (« Pourquoi ? » demande-t-il) never starts a new sentence.
# The leading lookahead changes no match; it lets the engine skip to candidates (twice as fast).
_BOUNDARY = re.compile(
    r"(?=[.!?…])(?P<end>\.{3}|[.!?…]+)"
    r"(?P<close>[\s\u00a0\u202f]*[»\"”’)\]]+)?"
    r"(?P<space>[\s\u00a0\u202f]+)"
    r"(?=[«\"“(\[\-–—]?[\s\u00a0\u202f]*[A-ZÀ-ÖØ-Þ0-9])"
)
# Articles to split (mentions given) from which both cores pay: splitting takes ~0.08 ms per article,
# less than sending the texts to workers and their imports (~1 s each) below this.
SPLIT_PARALLEL_MIN = 20_000
# The word just before a full stop, read backwards in the reversed line: one anchored match instead
# of a search that retries every start position in the 40 characters before the stop.
_WORD_BEFORE_REVERSED = re.compile(r"[^\W\d_](?:[\w.\-]*[^\W\d_])?")
_ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")  # I.A, S.A, J.-C handled by the list


@lru_cache(maxsize=4)
def load_abbreviations(path: str | Path | None = None) -> frozenset[str]:
    """Abbreviations (without their dot) after which a full stop does not end a sentence."""
    path = Path(path) if path else LEXICONS / "abbreviations_fr.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _is_abbreviation(reversed_text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """True when the full stop at `dot` closes an abbreviation, an initial or a dotted acronym
    (`reversed_text`: the line read backwards; the word is looked for in the 40 characters before)."""
    n = len(reversed_text)
    match = _WORD_BEFORE_REVERSED.match(reversed_text, n - dot, n - max(dot - 40, 0))
    if not match:
        return False
    word = match.group()[::-1]
    if word in abbreviations or _ACRONYM.match(word):
        return True
    return len(word) == 1 and word.isupper()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`; a line break always ends a sentence."""
    abbreviations = load_abbreviations()
    spans = []
    line_start = 0
    for line in text.split("\n"):
        cuts = [0]
        reversed_line = None
        for m in _BOUNDARY.finditer(line):
            if m.group("end") == ".":
                reversed_line = line[::-1] if reversed_line is None else reversed_line
                if _is_abbreviation(reversed_line, m.start("end"), abbreviations):
                    continue
            cuts.append(m.start("space"))
        cuts.append(len(line))
        for a, b in zip(cuts, cuts[1:], strict=False):
            chunk = line[a:b]
            stripped = chunk.strip()
            if stripped:
                start = line_start + a + (len(chunk) - len(chunk.lstrip()))
                spans.append((start, start + len(stripped)))
        line_start += len(line) + 1
    return spans


def _resolve_matcher(
    groups: Sequence[str] | Mapping[str, Sequence[str]] | None, matcher: TermMatcher | None
) -> tuple[TermMatcher, list[str]]:
    """The matcher and target names for `groups` (names in the lexicon, or {name: terms})."""
    if isinstance(groups, Mapping):
        return compile_groups(groups), list(groups)
    matcher = matcher or default_matcher()
    names = list(groups) if groups is not None else list(DEFAULT_TARGETS)
    unknown = [g for g in names if g not in matcher.groups]
    if unknown:
        raise ValueError(
            f"unknown target group(s) {unknown}: choose from {sorted(matcher.groups)} "
            "or pass {group: [terms]}"
        )
    return matcher, names


def _article_rows(doc_id: str, year, text: str, mentions: list[tuple[str, str, int]], window: int) -> list[tuple]:
    """One row per (target sentence, target) of one article, from its (group, term, start) mentions."""
    spans = sentence_spans(text)
    starts = [a for a, _ in spans]
    hits: dict[tuple[int, str], list[str]] = {}
    for group, term, start in mentions:
        idx = max(bisect.bisect_right(starts, start) - 1, 0)
        hits.setdefault((idx, group), []).append(term)
    rows = []
    for (idx, target), terms in sorted(hits.items()):
        lo, hi = max(idx - window, 0), min(idx + window, len(spans) - 1)
        rows.append((doc_id, year, target, text[spans[idx][0] : spans[idx][1]],
                     " ".join(text[a:b] for a, b in spans[lo : hi + 1]), idx, "|".join(sorted(set(terms)))))
    return rows  # tuples in TARGET_COLUMNS order: a frame builds from them faster than from dicts


def _rows_chunk(items: list[tuple], window: int, matcher: TermMatcher | None = None,
                names: list[str] | None = None) -> list[list[tuple]]:
    """_article_rows for each (doc_id, year, text, mentions) of a chunk (one list per article); the
    mentions (group, term, start) are found here with `matcher` when they are None (one pass)."""
    out = []
    for doc_id, year, text, found in items:
        if found is None:
            found = [(m.group, m.term, m.start) for m in matcher.find(text, names)] if text else []
        out.append(_article_rows(doc_id, year, text, found, window) if found else [])
    return out


def _as_text(column: pd.Series) -> list[str]:
    """A column's values as Python strings (a categorical's categories are converted once)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = [str(c) for c in column.cat.categories]
        return [categories[code] if code >= 0 else "nan" for code in column.cat.codes.tolist()]
    return column.astype(str).tolist()


def _rows(articles: pd.DataFrame, matcher: TermMatcher, names: list[str], window: int,
          mentions: Mentions | None, n_jobs: int | None = None) -> pd.DataFrame:
    """The target-sentence rows (see target_sentences): from `mentions`, or found and split in one
    pass per article; only articles with a mention are split (on both cores from 1,500 articles, or
    from SPLIT_PARALLEL_MIN articles to split when the mentions are given)."""
    years = articles["year"] if "year" in articles.columns else pd.Series(pd.NA, index=articles.index)
    texts = articles["text"].where(articles["text"].map(lambda t: isinstance(t, str)), "")
    doc_ids = articles["doc_id"].astype(str)
    if mentions is None:
        items = [(d, y, t, None) for d, y, t in zip(doc_ids, years, texts, strict=True)]
        per_doc = chunked_map(_rows_chunk, items, window, matcher, names, n_jobs=n_jobs)
    else:
        found = mentions.of(articles, names)
        per_article: dict[str, list[tuple[str, str, int]]] = {}
        # categories as text once, then plain lists: converting each row's values is what cost here
        columns = [_as_text(found[c]) for c in ("doc_id", "group", "term")]
        for doc_id, group, term, start in zip(*columns, found["start"].tolist(), strict=True):
            per_article.setdefault(doc_id, []).append((group, term, start))
        items = [(d, y, t, per_article[d]) for d, y, t in zip(doc_ids, years, texts, strict=True) if d in per_article]
        per_doc = chunked_map(_rows_chunk, items, window, n_jobs=n_jobs, min_items=SPLIT_PARALLEL_MIN)
    return pd.DataFrame([row for rows in per_doc for row in rows], columns=TARGET_COLUMNS)


def target_sentences(
    articles: pd.DataFrame,
    groups: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    *,
    window: int = 0,
    matcher: TermMatcher | None = None,
    mentions: Mentions | None = None,
    memory: MemoryLike = None,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Sentences mentioning each target group, one row per (sentence, target), with ±`window` context.

    Only articles with a mention are split, so a large corpus costs one regex pass per article
    (on both cores from 1,500 articles), none when `mentions` (find_mentions() of these articles,
    e.g. memoised by a report) is given. `memory` (a folder or joblib.Memory) memoises the rows,
    keyed by the texts, years, terms, window and this code.
    `groups` names term groups of the lexicon (default: ai, offshoring) or maps names to terms.
    """
    missing = [c for c in ("doc_id", "text") if c not in articles.columns]
    if missing:
        raise ValueError(
            f"articles lack column(s) {missing}: pass the tidy corpus from load_corpus()"
        )
    if window < 0:
        raise ValueError(f"window must be >= 0 sentences, got {window}")
    matcher, names = _resolve_matcher(groups, matcher)
    terms = {g: matcher.groups[g] for g in names}
    if mentions is not None:
        mentions.require(terms)
    def key() -> str:
        years = articles["year"].astype(str).tolist() if "year" in articles.columns else []
        return text_key("target sentences", source_version("sentiment.targets", "timelines.mentions", "text.terms", "text.french"),
                        files_version(LEXICONS), repr(sorted(terms.items())), str(window),
                        articles["doc_id"].astype(str).tolist(), years,
                        articles["text"].fillna("").astype(str).tolist())

    frame = memoise(memory, key, lambda: _rows(articles, matcher, names, window, mentions, n_jobs))
    frame["year"] = frame["year"].astype("Int64")
    frame["sent_idx"] = frame["sent_idx"].astype(int)
    if frame.empty:
        message = (
            f"no sentence mentions the targets {names} in {len(articles)} article(s): "
            "check the corpus path, the year range and the terms in data/lexicons/terms.yml"
        )
        warnings.warn(message, stacklevel=2)
        frame.attrs["message"] = message
    return frame
