"""Term groups (data/lexicons/terms.yml) and a matcher that finds their mentions in clean text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from cxpress.config import LEXICONS

# Accent-insensitive letters: a term written "délocalisation" also matches "delocalisation".
_ACCENT_CLASSES = {
    "a": "aàâä", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "c": "cç", "y": "yÿ",
}
_ACCENT_OF = {ch: base for base, chars in _ACCENT_CLASSES.items() for ch in chars}
_LEFT = r"(?<![^\W_])"   # not preceded by a letter or digit (an apostrophe is fine: l'IA)
_RIGHT = r"(?![^\W_])"


@dataclass(frozen=True)
class Mention:
    """One match of a term group in a text (character offsets into that text)."""

    group: str
    term: str
    start: int
    end: int
    surface: str


def load_term_groups(path: str | Path | None = None) -> dict[str, list[str]]:
    """Term groups from a YAML file: {group: [terms]} (default data/lexicons/terms.yml).

    A group is either a list of terms or a mapping with `terms` and/or `patterns` (raw regular
    expressions, returned as "re:<pattern>" terms).
    """
    path = Path(path) if path else LEXICONS / "terms.yml"
    table = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(table, Mapping):
        raise ValueError(f"{path}: expected a mapping of group name to terms, got {type(table).__name__}")
    groups = {}
    for name, entry in table.items():
        if isinstance(entry, Mapping):
            terms = [*(entry.get("terms") or []), *(f"re:{p}" for p in entry.get("patterns") or [])]
        else:
            terms = entry or []
        if not terms:
            raise ValueError(f"{path}: group {name!r} has no terms; add a 'terms:' or 'patterns:' list")
        groups[str(name)] = [str(t) for t in terms]
    return groups


def is_case_sensitive(term: str) -> bool:
    """Acronyms (IA, AI, GPT-4, I.A.) are matched with their case; other terms ignore it."""
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


def term_pattern(term: str) -> str:
    """The regular expression (without word boundaries) for one lexicon term."""
    if term.startswith("re:"):
        return term[3:]
    wildcard = term.endswith("*")
    core = term.rstrip("*")
    parts = []
    for ch in core:
        if ch in "'’":
            parts.append("['’]\\s?")
        elif ch.isspace():
            parts.append(r"[\s\-]+")
        elif ch == "-":
            parts.append(r"[\-\s]?")
        elif not is_case_sensitive(term) and ch.lower() in _ACCENT_OF:
            base = _ACCENT_OF[ch.lower()]
            parts.append(f"[{_ACCENT_CLASSES[base]}]")
        elif ch == "œ":
            parts.append("(?:œ|oe)")
        else:
            parts.append(re.escape(ch))
    return "".join(parts) + (r"[^\W\d_]*" if wildcard else "")


def _alternation(terms: Sequence[str]) -> str:
    # Longest first so "IA générative" wins over "IA" at the same position.
    ordered = sorted(terms, key=len, reverse=True)
    return _LEFT + "(?:" + "|".join(term_pattern(t) for t in ordered) + ")" + _RIGHT


def compile_term(term: str, group: str = "?") -> re.Pattern:
    """One term's regex with word boundaries, or a ValueError that names the bad term and the fix."""
    if not isinstance(term, str) or not term.strip() or term.strip() in ("re:", "*"):
        raise ValueError(f"group {group!r}: empty or non-text term {term!r}; remove it from the list")
    try:
        regex = re.compile(_LEFT + term_pattern(term) + _RIGHT,
                           0 if is_case_sensitive(term) else re.IGNORECASE)
    except re.error as err:
        raise ValueError(f"group {group!r}: term {term!r} is not a valid regular expression ({err}); "
                         "fix it, or drop the 're:' prefix to match it literally") from err
    if regex.fullmatch(""):
        raise ValueError(f"group {group!r}: term {term!r} matches the empty string; make it require text")
    return regex


class TermMatcher:
    """Finds non-overlapping mentions of each term group; one compiled regex per group and case mode."""

    def __init__(self, groups: Mapping[str, Sequence[str]]):
        if not groups:
            raise ValueError("no term groups given: pass {group: [terms]} or load_term_groups()")
        if any(isinstance(ts, str) for ts in groups.values()):
            raise ValueError("each group needs a list of terms, not a single string: {group: [term, ...]}")
        self.groups = {str(g): list(ts) for g, ts in groups.items()}
        self._regexes: dict[str, list[re.Pattern]] = {}
        self._term_regexes: dict[str, list[tuple[str, re.Pattern]]] = {}
        for group, terms in self.groups.items():
            if not terms:
                raise ValueError(f"group {group!r} has no terms; give at least one term or regex")
            self._term_regexes[group] = [(t, compile_term(t, group))
                                         for t in sorted(terms, key=len, reverse=True)]
            exact = [t for t in terms if is_case_sensitive(t)]
            folded = [t for t in terms if not is_case_sensitive(t)]
            self._regexes[group] = [re.compile(_alternation(exact))] if exact else []
            if folded:
                self._regexes[group].append(re.compile(_alternation(folded), re.IGNORECASE))

    def _which_term(self, group: str, surface: str) -> str:
        for term, regex in self._term_regexes[group]:
            if regex.fullmatch(surface):
                return term
        return surface

    def _spans(self, text: str, group: str) -> list[tuple[int, int]]:
        """Non-overlapping (start, end) spans of one group, leftmost first, longest at a tie."""
        spans = sorted(((m.start(), m.end()) for r in self._regexes[group] for m in r.finditer(text)),
                       key=lambda s: (s[0], s[0] - s[1]))
        kept, last_end = [], -1
        for start, end in spans:
            if start >= last_end:
                kept.append((start, end))
                last_end = end
        return kept

    def _check_groups(self, groups: Sequence[str] | None) -> list[str]:
        if groups is None:
            return list(self.groups)
        unknown = [g for g in groups if g not in self.groups]
        if unknown:
            raise KeyError(f"unknown term groups {unknown}; known: {sorted(self.groups)}")
        return list(groups)

    def find(self, text: str, groups: Sequence[str] | None = None) -> list[Mention]:
        """All mentions in `text`, sorted by position; overlaps within a group keep the longest."""
        mentions = [
            Mention(group, self._which_term(group, text[start:end]), start, end, text[start:end])
            for group in self._check_groups(groups)
            for start, end in self._spans(text, group)
        ]
        return sorted(mentions, key=lambda m: (m.start, m.group))

    def count(self, text: str) -> dict[str, int]:
        """Number of mentions per group in `text` (every group present, zeros included)."""
        return {group: len(self._spans(text, group)) for group in self.groups}


def compile_groups(groups: Mapping[str, Sequence[str]] | None = None) -> TermMatcher:
    """A TermMatcher for the given groups (default: the lexicon's groups)."""
    return TermMatcher(groups if groups is not None else load_term_groups())


@lru_cache(maxsize=1)
def default_matcher() -> TermMatcher:
    """The matcher for data/lexicons/terms.yml, compiled once per process."""
    return compile_groups()
