"""Term groups (data/lexicons/terms.yml) and a matcher that finds their mentions in clean text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cxpress.config import LEXICONS, read_yaml
from cxpress.text import defaults
from cxpress.text.french import (
    ACCENT_BASE,
    ACCENT_CLASSES,
    APOSTROPHE_CLASS,
    APOSTROPHES,
    NOT_AFTER_J,
    fold_text,
    is_acronym,
)
from cxpress.text.prefilter import AnchorIndex, required_literals

_LEFT = r"(?<![^\W_])"   # not preceded by a letter or digit (an apostrophe is fine: l'IA)
_RIGHT = r"(?![^\W_])"
_WORD_RUN = re.compile(r"[^\W_]+")  # a run of letters/digits: where a mention can begin


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
    table = read_yaml(path) or {}
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


def load_group_labels(path: str | Path | None = None) -> dict[str, str]:
    """Each group's human-readable `label` from the YAML file (the group name when it has none)."""
    path = Path(path) if path else LEXICONS / "terms.yml"
    table = read_yaml(path) or {}
    return {str(name): str(entry.get("label", name)) if isinstance(entry, Mapping) else str(name)
            for name, entry in table.items()}


def is_case_sensitive(term: str) -> bool:
    """Acronyms (IA, AI, GPT-4, I.A.: french.is_acronym) are matched with their case; other terms ignore it."""
    return is_acronym(term)


WILDCARD = r"[^\W\d_]*"


def term_atoms(term: str) -> list[str]:
    """One regex atom per character of a lexicon term (accent classes, flexible spaces, elision)."""
    folded = not is_case_sensitive(term)
    atoms = []
    for ch in term.rstrip("*"):
        if ch == "'" or ch in APOSTROPHES:
            atoms.append(APOSTROPHE_CLASS + r"\s?")
        elif ch.isspace():
            atoms.append(r"[\s\-]+")
        elif ch == "-":
            atoms.append(r"[\-\s]?")
        elif folded and ch.lower() in ACCENT_BASE:
            atoms.append(f"[{ACCENT_CLASSES[ACCENT_BASE[ch.lower()]]}]")
        elif ch in "œŒ":
            atoms.append("(?:œ|oe)" if folded or ch == "œ" else "(?:Œ|OE)")
        else:
            atoms.append(re.escape(ch.lower() if folded else ch))
    return atoms + ([WILDCARD] if term.endswith("*") else [])


def term_pattern(term: str) -> str:
    """The regular expression (without word boundaries) for one lexicon term."""
    return term[3:] if term.startswith("re:") else "".join(term_atoms(term))


def _trie_pattern(terms: Sequence[str]) -> str:
    """One regex for many terms, factored as a trie of atoms: each text position tries a few
    branches instead of every term, and the longest term matching at a position wins."""
    trie: dict = {}
    for term in terms:
        node = trie
        for atom in term_atoms(term):
            node = node.setdefault(atom, {})
        node[""] = {}
    return _render_trie(trie)


def _depth(node: dict) -> int:
    return 1 + max((_depth(child) for child in node.values()), default=0)


def _render_trie(node: dict) -> str:
    children = sorted(((a, c) for a, c in node.items() if a),
                      key=lambda ac: (ac[0] == WILDCARD, -_depth(ac[1]), ac[0]))
    branches = [atom + _render_trie(child) for atom, child in children]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?" if len(branches) == 1 else body + "?"
    return body


def _left(term: str) -> str:
    plain_acronym = is_case_sensitive(term) and not term.startswith("re:")
    return _LEFT + (NOT_AFTER_J if plain_acronym else "")


def _alternation(terms: Sequence[str]) -> str:
    """Word-bounded regex for terms of one case mode (as a trie) or raw "re:" patterns."""
    raw = sorted((t for t in terms if t.startswith("re:")), key=len, reverse=True)
    plain = [t for t in terms if not t.startswith("re:")]
    branches = ([_trie_pattern(plain)] if plain else []) + [term_pattern(t) for t in raw]
    return _left(terms[0]) + "(?:" + "|".join(branches) + ")" + _RIGHT


def compile_term(term: str, group: str = "?") -> re.Pattern:
    """One term's regex with word boundaries, or a ValueError that names the bad term and the fix."""
    if not isinstance(term, str) or not term.strip() or term.strip() in ("re:", "*"):
        raise ValueError(f"group {group!r}: empty or non-text term {term!r}; remove it from the list")
    try:
        regex = re.compile(_left(term) + term_pattern(term) + _RIGHT,
                           0 if is_case_sensitive(term) else re.IGNORECASE)
    except re.error as err:
        raise ValueError(f"group {group!r}: term {term!r} is not a valid regular expression ({err}); "
                         "fix it, or drop the 're:' prefix to match it literally") from err
    if regex.fullmatch(""):
        raise ValueError(f"group {group!r}: term {term!r} matches the empty string; make it require text")
    return regex


def _anchor(term: str) -> tuple[str, bool] | None:
    """The folded letters a text word must start with for `term` to match there, and whether the
    word must end there too (the term goes on with a space or a full stop, or ends); None: unknown."""
    first = _WORD_RUN.match(fold_text(term.rstrip("*")))
    if not first or term.startswith("re:"):
        return None
    run = _WORD_RUN.match(term)
    after = term[run.end():run.end() + 1] if run else "-"
    whole = bool(run) and fold_text(run.group()) == first.group() and (
        after.isspace() or after == "." or not after and not term.endswith("*"))
    return first.group(), whole


class TermMatcher:
    """Finds non-overlapping mentions of each term group: one regex per group and case mode, tried
    only where a word starts with a term's first letters (raw "re:" patterns scan the texts that
    hold one of the literals they require: cxpress.text.prefilter)."""

    def __init__(self, groups: Mapping[str, Sequence[str]]):
        if not groups:
            raise ValueError("no term groups given: pass {group: [terms]} or load_term_groups()")
        if any(isinstance(ts, str) for ts in groups.values()):
            raise ValueError("each group needs a list of terms, not a single string: {group: [term, ...]}")
        self.groups = {str(g): list(ts) for g, ts in groups.items()}
        # Per group: (regex, index of its anchor tuple in self._anchors, or -1 to scan everything).
        self._regexes: dict[str, list[tuple[re.Pattern, int]]] = {}
        self._anchors = AnchorIndex(fold_text)
        self._needs: dict[re.Pattern, tuple[str, ...] | None] = {}  # literals a raw regex requires
        self._mask_tries: dict[int, tuple] = {}
        self._term_of: dict[tuple[str, str], str] = {}
        self._term_regexes: dict[str, list[tuple[str, re.Pattern]]] = {}
        for group, terms in self.groups.items():
            if not terms:
                raise ValueError(f"group {group!r} has no terms; give at least one term or regex")
            self._term_regexes[group] = [(t, compile_term(t, group))
                                         for t in sorted(terms, key=len, reverse=True)]
            raw = [t for t in terms if t.startswith("re:")]
            exact = [t for t in terms if not t.startswith("re:") and is_case_sensitive(t)]
            folded = [t for t in terms if not t.startswith("re:") and not is_case_sensitive(t)]
            self._regexes[group] = [self._add_regex(ts, flags) for ts, flags in (
                (exact, 0), (folded, re.IGNORECASE), (raw, re.IGNORECASE)) if ts]

    def _add_regex(self, terms: list[str], flags: int) -> tuple[re.Pattern, int]:
        anchors = [_anchor(t) for t in terms]
        if None in anchors:
            regex = re.compile(_alternation(terms), flags)
            self._needs[regex] = required_literals(regex)
            return regex, -1
        return re.compile(_alternation(terms), flags), self._anchors.add(anchors)

    def _tries(self, mask: int) -> tuple[tuple[int, str, re.Pattern], ...]:
        """(anchor index, group, regex) of the anchored regexes a word with this mask may begin."""
        tries = self._mask_tries.get(mask)
        if tries is None:
            tries = tuple((anchor, group, regex) for group, regexes in self._regexes.items()
                          for regex, anchor in regexes if anchor >= 0 and mask >> anchor & 1)
            self._mask_tries[mask] = tries
        return tries

    def _spans_by_group(self, text: str, groups: list[str]) -> dict[str, list[tuple[int, int]]]:
        """Non-overlapping (start, end) spans of each group, leftmost first, longest at a tie.

        Each anchored regex is tried only at the candidate words carrying its anchor, skipping those
        inside its previous match: the matches finditer would give. Raw "re:" regexes scan the text.
        """
        wanted = set(groups)
        found: dict[str, list[tuple[int, int]]] = {g: [] for g in groups}
        last_end = [-1] * len(self._anchors.regexes)
        for pos, mask in self._anchors.starts(text):
            for anchor, group, regex in self._tries(mask):
                if pos >= last_end[anchor] and group in wanted and (m := regex.match(text, pos)):
                    found[group].append(m.span())
                    last_end[anchor] = m.end()
        for group in groups:
            for regex, anchor in self._regexes[group]:
                needs = self._needs.get(regex)
                if anchor < 0 and (needs is None or any(lit in text for lit in needs)):
                    found[group].extend(m.span() for m in regex.finditer(text))
        return {group: _leftmost_longest(spans) for group, spans in found.items()}

    def _which_term(self, group: str, surface: str) -> str:
        """The lexicon term behind a matched surface (longest first; cached, surfaces repeat)."""
        key = (group, surface)
        if key not in self._term_of:
            self._term_of[key] = next((t for t, r in self._term_regexes[group] if r.fullmatch(surface)),
                                      surface)
        return self._term_of[key]

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
            for group, spans in self._spans_by_group(text, self._check_groups(groups)).items()
            for start, end in spans
        ]
        return sorted(mentions, key=lambda m: (m.start, m.group))

    def count(self, text: str) -> dict[str, int]:
        """Number of mentions per group in `text` (every group present, zeros included)."""
        return {group: len(spans) for group, spans in self._spans_by_group(text, list(self.groups)).items()}


def _leftmost_longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, leftmost first, the longest where two start at the same place."""
    kept, last_end = [], -1
    for start, end in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if start >= last_end:
            kept.append((start, end))
            last_end = end
    return kept


def compile_groups(groups: Mapping[str, Sequence[str]] | None = None) -> TermMatcher:
    """A TermMatcher for the given groups (default: the lexicon's groups)."""
    return TermMatcher(groups if groups is not None else load_term_groups())


def default_matcher() -> TermMatcher:
    """The matcher for data/lexicons/terms.yml, with its per-word anchors, once per process
    (cxpress.text.defaults)."""
    return defaults.shared("term matcher", lambda: TermMatcher(load_term_groups()))
