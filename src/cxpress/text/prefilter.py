"""Cheap tests that tell a regular expression or a term matcher where it cannot match, so that
it runs only on the texts (raw "re:" patterns) or at the words (term anchors) where it may
(cxpress.text.terms).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import accumulate, compress
from re import _constants as sre_c  # the parser's op codes (private, stable in 3.11-3.13)
from re import _parser as sre_parse

import ahocorasick

MAX_ALTERNATIVES = 16  # literal variants kept from a class like [ÉE] or a branch
_WORD = re.compile(r"[^\W_]")
_WORD_RUN = re.compile(r"[^\W_]+")  # a word: a run of letters/digits (as cxpress.text.terms)
_WORD_SPLIT = re.compile(r"([^\W_]+)")


def required_literals(regex: re.Pattern) -> tuple[str, ...] | None:
    """Case-sensitive strings one of which every match of `regex` contains, or None when none is
    known (then the regex must run): "(?-i:Maurice)" -> ("Maurice",), "(?-i:[ÉE]b)" -> ("Éb", "Eb").

    Only literals matched with their case count (a case-insensitive literal gives nothing), and
    only parts every match goes through: a repeated or optional part gives nothing either.
    """
    if not isinstance(regex.pattern, str):
        return None
    try:
        parsed = sre_parse.parse(regex.pattern, regex.flags)
    except re.error:
        return None
    return _of_sequence(list(parsed), bool(parsed.state.flags & re.IGNORECASE))


def _better(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The more selective of two requirements: longer shortest string, then fewer strings."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b, key=lambda lits: (min(map(len, lits)), -len(lits)))


def _of_sequence(items: list, ignore: bool) -> tuple[str, ...] | None:
    best: tuple[str, ...] | None = None
    run = [""]  # variants of the current run of case-sensitive literals

    def close() -> None:
        nonlocal best, run
        if run != [""]:
            best = _better(best, tuple(run))
        run = [""]

    for op, av in items:
        if op is sre_c.LITERAL and not ignore:
            run = [r + chr(av) for r in run]
        elif (op is sre_c.IN and not ignore and all(o is sre_c.LITERAL for o, _ in av)
              and len(run) * len(av) <= MAX_ALTERNATIVES):
            run = [r + chr(c) for r in run for _, c in av]
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.AT):
            continue  # zero-width: the characters on either side are adjacent in the match
        else:
            close()
            if op is sre_c.SUBPATTERN:
                _, add, remove, sub = av
                inner_ignore = (ignore or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
                best = _better(best, _of_sequence(list(sub), inner_ignore))
            elif op is sre_c.BRANCH:
                alternatives = [_of_sequence(list(b), ignore) for b in av[1]]
                if all(alternatives) and sum(map(len, alternatives)) <= MAX_ALTERNATIVES:
                    best = _better(best, tuple(x for a in alternatives for x in a))
            # anything else (repeats, classes, any character...) requires nothing known
    close()
    return best


class WordStarts:
    """The start of each word of a text whose folded form begins with one of `prefixes` or is one of
    `wholes` (ASCII letters and digits), from one Aho-Corasick pass over a one-byte-per-character
    folded copy of the text; the caller checks each word found.

    `fold` is the folding the anchors were made with (cxpress.text.french.fold_text); a text with a
    word character it does not fold to one ASCII letter or digit (œ, ß, Greek...) gets None from
    starts(): the caller goes word by word. Words are runs of [^\\W_].
    """

    def __init__(self, prefixes: Iterable[str], wholes: Iterable[str], fold: Callable[[str], str]):
        keys = {" " + a for a in prefixes} | {" " + a + " " for a in wholes}
        self.usable = bool(keys) and all(k.strip().isascii() and k.strip().isalnum() for k in keys)
        self._automaton = ahocorasick.Automaton()
        for key in keys:
            self._automaton.add_word(key, len(key))
        if keys:
            self._automaton.make_automaton()
        table, safe = bytearray(b" " * 256), []
        for code in range(256):
            char = chr(code)
            if _WORD.fullmatch(char):
                folded = fold(char)
                if len(folded) == 1 and folded.isascii() and folded.isalnum():
                    table[code] = ord(folded)
                    safe.append(char)
        self._table = bytes(table)
        # a word character outside the safe ones: its folded form would not line up with the text
        self._unsafe = re.compile("[^\\W_" + re.escape("".join(safe)) + "]")

    def starts(self, text: str) -> list[int] | None:
        """Sorted starts of the words with an anchor, or None when this text needs the word-by-word test."""
        if not self.usable or self._unsafe.search(text):
            return None
        folded = " " + text.encode("latin-1", "replace").translate(self._table).decode("ascii") + " "
        return sorted({end - length + 1 for end, length in self._automaton.iter(folded)})


class AnchorIndex:
    """Which anchored regexes each word of a text may begin: regex i's anchors are the folded first
    letters of its terms, each a prefix of the word or (whole) the whole word; a word's bit mask is
    cached. starts() finds the words with a nonzero mask by one WordStarts pass, else word by word."""

    def __init__(self, fold: Callable[[str], str]):
        self.fold = fold
        self.regexes: list[tuple[tuple[str, ...], frozenset[str]]] = []  # (prefixes, whole words)
        self.masks: dict[str, int] = {}
        self._scan: WordStarts | None = None

    def add(self, anchors: Iterable[tuple[str, bool]]) -> int:
        """Register a regex by its (anchor, whole) pairs; its bit index."""
        anchors = list(anchors)
        self.regexes.append((tuple(sorted({a for a, whole in anchors if not whole})),
                             frozenset(a for a, whole in anchors if whole)))
        self.masks.clear()
        self._scan = None
        return len(self.regexes) - 1

    def mask(self, word: str) -> int:
        """Bit i set when `word` (folded) starts with a prefix or is a whole word of regex i."""
        mask = self.masks.get(word)
        if mask is None:
            folded = self.fold(word)
            mask = self.masks[word] = sum(1 << i for i, (prefixes, wholes) in enumerate(self.regexes)
                                          if folded in wholes or folded.startswith(prefixes))
        return mask

    def starts(self, text: str) -> list[tuple[int, int]]:
        """(offset, mask) of each word of `text` with a nonzero mask, in text order."""
        if self._scan is None:
            self._scan = WordStarts({a for ps, _ in self.regexes for a in ps},
                                    {a for _, ws in self.regexes for a in ws}, self.fold)
        found = self._scan.starts(text)
        if found is None:
            return self._starts_by_word(text)
        words = [_WORD_RUN.match(text, pos).group() for pos in found]
        for word in set(words).difference(self.masks):
            self.mask(word)
        return [(pos, self.masks[word]) for pos, word in zip(found, words, strict=True) if self.masks[word]]

    def _starts_by_word(self, text: str) -> list[tuple[int, int]]:
        parts = _WORD_SPLIT.split(text)  # gap, word, gap, word, ..., gap
        words = parts[1::2]
        for word in set(words).difference(self.masks):  # words not seen before (set operations in C)
            self.mask(word)
        masks = list(map(self.masks.__getitem__, words))
        starts = list(accumulate(map(len, parts), initial=0))[1:len(parts):2]
        return list(zip(compress(starts, masks), filter(None, masks), strict=True))
