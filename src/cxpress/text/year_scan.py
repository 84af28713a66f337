"""What the year inference looks for, found cheaply: dated events ("confinement" -> 2020), relative-year
words ("l'an dernier") and marker words in one pass over a folded text, years and stated gaps tried only
where their first or last words occur (cxpress.text.years weighs them; lexicon: data/lexicons/dates.yml)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from cxpress.text.french import fold_text

YEAR = re.compile(r"(?:19|20)\d\d(?!\d|[.,]\d)")  # a four-digit year, not part of a longer number
_CENTURIES = ("19", "20")  # every year starts so: found by str.find, far faster than a regex scan
# Every stated gap ("deux ans apres", "six mois plus tard") holds a unit, white space and a tail word:
# a cheap test before the full regex (on folded text).
GAP_UNITS, GAP_TAILS = ("an", "annee", "ans", "annees", "mois"), ("apres", "plus tard", "que")
GAP_HINT = re.compile(rf"(?:{'|'.join(GAP_UNITS)})\s+(?:{'|'.join(GAP_TAILS)})\b")


@dataclass(frozen=True)
class Event:
    """A dated event: its pattern, literal hints that must occur first (speed), year, lower bound."""

    pattern: re.Pattern
    hints: tuple[str, ...] | None
    year: int
    since: int
    weight: float


def _literal_hint(pattern: str) -> str | None:
    """The plain-letter prefix every match of pattern starts with (>= 3 characters), else None."""
    prefix = re.match(r"(?:\\b)?([^\\.^$*+?{}\[\]|()]*)(.?)", pattern)
    hint = prefix[1][:-1] if prefix[2] in ("?", "*", "{") else prefix[1]
    return hint if len(hint) >= 3 else None


def compile_event(entry: dict) -> Event:
    """Compile one lexicon event; hints let most texts skip its regex."""
    patterns = [fold_text(p) for p in entry["patterns"]]
    hints = [_literal_hint(p) for p in patterns]
    return Event(
        pattern=re.compile(rf"(?<![\w])(?:{'|'.join(patterns)})(?![\w])"),
        hints=None if None in hints else tuple(hints),
        year=int(entry["year"]),
        since=int(entry.get("since", entry["year"])),
        weight=float(entry.get("weight", 1.0)),
    )


@dataclass(frozen=True)
class FoldedScan:
    """What one pass over a folded text found: the events it mentions (lexicon order), the numbers of
    the relative_years patterns whose words it holds (None: not looked for, any may match), and where
    each marker word starts (in no given order), by marker name."""

    events: list[Event]
    relative: set[int] | None
    marks: dict[str, list[int]]


def build_scanner(events: tuple[Event, ...], relative_words: tuple[tuple[str, ...], ...],
                  markers: dict[str, tuple[str, ...]]) -> ahocorasick.Automaton:
    """Every event hint, relative-year word ("l'an dernier") and marker word in one Aho-Corasick
    automaton, each with its length, the events it opens, the relative_years patterns and the
    markers it belongs to."""
    keys: dict[str, tuple[list, list, list]] = {}
    for event in events:
        for hint in dict.fromkeys(event.hints or ()):
            keys.setdefault(hint, ([], [], []))[0].append(event)
    for number, words in enumerate(relative_words):
        for word in dict.fromkeys(words):
            keys.setdefault(word, ([], [], []))[1].append(number)
    for name, words in markers.items():
        for word in dict.fromkeys(words):
            keys.setdefault(word, ([], [], []))[2].append(name)
    scanner = ahocorasick.Automaton()
    for key, roles in keys.items():
        scanner.add_word(key, (len(key), *map(tuple, roles)))
    scanner.make_automaton()
    return scanner


def scan_folded(folded: str, events: tuple[Event, ...], markers: dict[str, tuple[str, ...]],
                scanner: ahocorasick.Automaton | None) -> FoldedScan:
    """Events, relative-year words and markers in a folded text, in one pass of the scanner (built by
    build_scanner from the same events and markers); without one, each word is looked for in turn.

    An event matches only where one of its hints starts, so the scanner's hits are the only places
    its pattern is tried (anchored there: the lookbehind still sees the text before)."""
    marks: dict[str, list[int]] = {name: [] for name in markers}
    if scanner is None:
        for name, words in markers.items():
            marks[name] = sorted({pos for word in words for pos in starts_of(folded, word)})
        hits = [e for e in events if (e.pattern.search(folded) if e.hints is None
                                      else any(_matches_at(folded, e.pattern, h) for h in e.hints))]
        return FoldedScan(hits, None, marks)
    found: set[int] = set()
    relative: set[int] = set()
    for end, (length, hinted, numbers, names) in scanner.iter(folded):
        start = end - length + 1
        relative.update(numbers)
        for name in names:
            marks[name].append(start)
        for event in hinted:
            if id(event) not in found and event.pattern.match(folded, start):
                found.add(id(event))
    hits = [e for e in events if (id(e) in found if e.hints is not None else e.pattern.search(folded))]
    return FoldedScan(hits, relative, marks)


def starts_of(text: str, word: str) -> list[int]:
    """Every position where word starts in text, overlaps included."""
    found, pos = [], text.find(word)
    while pos != -1:
        found.append(pos)
        pos = text.find(word, pos + 1)
    return found


def _matches_at(text: str, pattern: re.Pattern, hint: str) -> bool:
    """Whether pattern matches where its literal hint occurs (every match of it starts with a hint)."""
    return any(pattern.match(text, pos) for pos in starts_of(text, hint))


def year_matches(raw: str) -> list[re.Match]:
    """The matches of YEAR.finditer(raw), tried only where "19" or "20" starts."""
    found, end = [], 0
    for pos in sorted(pos for century in _CENTURIES for pos in starts_of(raw, century)):
        if pos >= end and (m := YEAR.match(raw, pos)):
            found.append(m)
            end = m.end()
    return found


def gap_hinted(folded: str, tails: list[int]) -> bool:
    """Whether GAP_HINT.search(folded) matches, tried only where a tail word (starting at one of
    tails) follows a unit and white space."""
    for tail in tails:
        start = tail
        while start and folded[start - 1].isspace():  # str.isspace and \s agree on every character
            start -= 1
        if start < tail and any(folded.endswith(unit, 0, start) and GAP_HINT.match(folded, start - len(unit))
                                for unit in GAP_UNITS):
            return True
    return False
