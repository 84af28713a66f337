"""Year inference for undated articles: years and dated events the text mentions (flagged as inferred).

Dated events and cue words live in data/lexicons/dates.yml beside the date-line words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import yaml

from cxpress.text import defaults
from cxpress.text.dates import DATES_LEXICON, word_alternation
from cxpress.text.french import fold_text, straighten_apostrophes

# Year inference for undated articles -------------------------------------------------------
# Confidence of each kind of evidence: a stated gap from a dated anchor ("un an après le premier
# confinement") is best; a year the text mentions is usually the publication year or the one
# before; an event only gives a lower bound; a founding year ("créé en 2006") barely helps.
CONF_GAP, CONF_MENTION, CONF_SINCE_YEAR = 0.7, 0.5, 0.45
CONF_NEAR_FUTURE, CONF_EVENT, CONF_FOUNDED = 0.25, 0.35, 0.15
_YEAR = re.compile(r"(?:19|20)\d\d(?!\d|[.,]\d)")
_NEXT = re.compile(r"[ \t]*([^\W\d_]+|\S)?")
_SENTENCE_END = re.compile(r"[.!?\n]")
# Every gap ("deux ans apres", "six mois plus tard") contains this: a cheap test before the full regex.
_GAP_HINT = re.compile(r"(?:an|annee|ans|annees|mois)\s+(?:apres|plus tard|que)\b")


@dataclass(frozen=True)
class Event:
    """A dated event: its pattern, literal hints that must occur first (speed), year, lower bound."""

    pattern: re.Pattern
    hints: tuple[str, ...] | None
    year: int
    since: int
    weight: float


@dataclass(frozen=True)
class YearRules:
    """Compiled evidence patterns for infer_year (matched on folded text)."""

    ignore_lines: tuple[str, ...]
    events: tuple[Event, ...]
    windows: dict[str, re.Pattern]  # decade, founding, preceder: end of window; near, far: anywhere
    followers: frozenset[str]
    future_verb: re.Pattern
    not_future: frozenset[str]
    relative_years: tuple[tuple[re.Pattern, int], ...]
    numbers: dict[str, int]
    gap: re.Pattern
    lags: dict[str, int]  # usual gap between the cue's year and the publication year, by cue
    hint_scanner: ahocorasick.Automaton | None = None  # every event hint, found in one pass over a text


def _literal_hint(pattern: str) -> str | None:
    """The plain-letter prefix every match of pattern starts with (>= 3 characters), else None."""
    prefix = re.match(r"(?:\\b)?([^\\.^$*+?{}\[\]|()]*)(.?)", pattern)
    hint = prefix[1][:-1] if prefix[2] in ("?", "*", "{") else prefix[1]
    return hint if len(hint) >= 3 else None


def _compile_event(entry: dict) -> Event:
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


def _words_regex(words: list[str], at_end: bool) -> re.Pattern:
    """One of the (folded) words, at the end of a window or anywhere in it."""
    tail = r"[\s:'-]*$" if at_end else r"(?![\w])"
    return re.compile(rf"(?<![\w])(?:{word_alternation([fold_text(w) for w in words])}){tail}")


def _hint_scanner(events: tuple[Event, ...]) -> ahocorasick.Automaton:
    """Every event hint in one Aho-Corasick automaton: one pass over a text finds which it holds."""
    scanner = ahocorasick.Automaton()
    for hint in {h for e in events for h in e.hints or ()}:
        scanner.add_word(hint, hint)
    scanner.make_automaton()
    return scanner


def load_year_rules(path: Path | None = None) -> YearRules:
    """Compile the inference lexicon (events, future and founding words) of data/lexicons/dates.yml."""
    lexicon = yaml.safe_load((path or DATES_LEXICON).read_text(encoding="utf-8"))
    inf = lexicon["inference"]
    months = [name for names in lexicon["months"].values() for name in names]
    numbers = {fold_text(k): int(v) for k, v in inf["numbers"].items()}
    events = tuple(_compile_event(e) for e in lexicon["events"])
    return YearRules(
        ignore_lines=tuple(fold_text(w) for w in inf["ignore_lines"]),
        events=events,
        windows={
            "decade": _words_regex(inf["decade_words"], True),
            "founding": _words_regex(inf["founding_words"], True),
            "preceder": _words_regex(inf["year_preceders"] + months, True),
            "near": _words_regex(inf["future_words"]["near"], False),
            "far": _words_regex(inf["future_words"]["far"], False),
            "past": _words_regex(inf["past_words"], False),
        },
        followers=frozenset(fold_text(w) for w in inf["year_followers"]),
        future_verb=re.compile(rf"\b[a-zà-ÿœ']{{2,}}(?:{word_alternation(inf['future_endings'])})\b"),
        not_future=frozenset(inf["not_future"]),
        relative_years=tuple(
            (_words_regex(words, False), int(offset))
            for offset, words in inf["relative_years"].items()
        ),
        numbers=numbers,
        lags={kind: int(inf.get("lags", {}).get(kind, 0)) for kind in ("mention", "event", "weak_event")},
        hint_scanner=_hint_scanner(events),
        gap=re.compile(
            rf"\b(?P<n>\d{{1,2}}|{word_alternation(list(numbers))})\s+(?P<unit>ans?|annees?|mois)\s+"
            r"(?:apres|plus tard|(?P<que>que))\b(?P<rest>[^.!?\n]{0,120})"
        ),
    )


def _sentence_before(text: str, pos: int, width: int = 200) -> str:
    """The part of the sentence (or line) that precedes position pos, at most width characters."""
    left = text[max(0, pos - width) : pos]
    cut = [m.end() for m in _SENTENCE_END.finditer(left)]
    return left[cut[-1] if cut else 0 :]


def _classify_year(text: str, m: re.Match, rules: YearRules) -> tuple[str, int] | None:
    """(kind, implied publication year) for a four-digit number, or None when it is no year."""
    year, win = int(m.group()), rules.windows
    before = fold_text(_sentence_before(text, m.start(), 60))
    if win["decade"].search(before) or re.search(r"(?:\d{4}\s*[-–/]|[\d.,])\s*$", before[-6:]):
        return None  # "les années 2000", the end of "2017-2019", part of a longer number
    nxt = _NEXT.match(text, m.end()).group(1) or ""
    if nxt in ("%", "€", "$", "£") or (
        nxt[:1].islower()
        and fold_text(nxt) not in rules.followers
        and not win["preceder"].search(before)
    ):
        return None  # a quantity: "2000 emplois", "2019 €"
    if win["founding"].search(before) or win["past"].search(before):
        return "founded", year
    for kind in ("far", "near"):
        if win[kind].search(before[-40:]):
            return kind, year
    verbs = rules.future_verb.findall(_sentence_before(text, m.start(), 40))
    if any(v not in rules.not_future for v in verbs):
        return "near", year
    if before.rstrip().endswith("depuis"):
        return "since_year", year + 1
    stop = _SENTENCE_END.search(text, m.end(), m.end() + 200)
    sentence = fold_text(
        _sentence_before(text, m.start()) + text[m.start() : stop.start() if stop else None]
    )
    offset = next((off for pattern, off in rules.relative_years if pattern.search(sentence)), 0)
    return "mention", year + offset


def _event_hits(folded: str, rules: YearRules) -> list[Event]:
    """Events the folded text mentions."""
    present = {hint for _, hint in rules.hint_scanner.iter(folded)} if rules.hint_scanner else None
    return [
        e
        for e in rules.events
        if (e.pattern.search(folded) if e.hints is None else (present is None or not present.isdisjoint(e.hints))
            and any(_matches_at(folded, e.pattern, h) for h in e.hints))
    ]


def _matches_at(text: str, pattern: re.Pattern, hint: str) -> bool:
    """Whether pattern matches where its literal hint occurs (every match of it starts with a hint):
    a few anchored attempts instead of a scan of the whole text (the lookbehind still sees before pos)."""
    pos = text.find(hint)
    while pos != -1:
        if pattern.match(text, pos):
            return True
        pos = text.find(hint, pos + 1)
    return False


def _gap_points(folded: str, rules: YearRules, events: list[Event]) -> list[int]:
    """Years given by a stated gap from an anchor: "un an après le premier confinement" -> 2021."""
    if not _GAP_HINT.search(folded):
        return []
    points = []
    for m in rules.gap.finditer(folded):
        if m["que"] and not re.search(
            r"(?:cela|ca) fait\b[\w ]{0,30}$", folded[max(0, m.start() - 40) : m.start()]
        ):
            continue
        n = int(m["n"]) if m["n"].isdigit() else rules.numbers[m["n"]]
        anchors = [(hit.start(), e.year) for e in events if (hit := e.pattern.search(m["rest"]))]
        anchors += [(y.start(), int(y.group())) for y in _YEAR.finditer(m["rest"])]
        if anchors:
            points.append(min(anchors)[1] + (round(n / 12) if m["unit"] == "mois" else n))
    return points


def _year_evidence(text: str, rules: YearRules) -> tuple[list, list, list]:
    """Estimates, lower bounds and upper bounds, each a list of (year, confidence)."""
    pairs = zip(straighten_apostrophes(text).split("\n"), fold_text(text).split("\n"), strict=False)
    kept = [(raw, low) for raw, low in pairs if not any(k in low for k in rules.ignore_lines)]
    raw, folded = "\n".join(r for r, _ in kept), "\n".join(f for _, f in kept)
    points, lows, highs = [], [], []
    for m in _YEAR.finditer(raw):
        kind, year = _classify_year(raw, m, rules) or (None, 0)
        if kind == "founded":
            lows.append((year, CONF_FOUNDED))
        elif kind in ("far", "near"):
            highs.append((year, 0.0))
            points += [(year - 1, CONF_NEAR_FUTURE)] if kind == "near" else []
        elif kind:
            points.append((year, CONF_MENTION if kind == "mention" else CONF_SINCE_YEAR))
    events = _event_hits(folded, rules)
    points += [(y, CONF_GAP) for y in _gap_points(folded, rules, events)]
    lows += [(e.since, CONF_EVENT * e.weight) for e in events]
    return points, lows, highs


def _firm_bound(lows: list) -> int | None:
    """The latest lower bound set by a firm event (full weight), or None."""
    return max((y for y, c in lows if c >= CONF_EVENT), default=None)


def _estimate(points: list, lows: list, rules: YearRules) -> tuple[int | None, float]:
    """The publication year the cues point to and the confidence of its main cue: the latest year
    stated (plus the usual lag), or, when an event is later than any year stated, the event's
    bound plus the usual lag (an article mentioning Covid-19 is from 2020 or a little later)."""
    strong = [p for p in points if p[1] >= CONF_SINCE_YEAR] or points
    stated = max(strong) if strong else None
    bound = _firm_bound(lows)
    if stated is not None and (bound is None or bound <= stated[0]):
        if max(lows, default=(0, 0.0))[0] > stated[0] + 1:
            return None, 0.0  # a weak event later than every year stated: the cues disagree
        return stated[0] + rules.lags["mention"], stated[1]
    if bound is not None:
        return bound + rules.lags["event"], max(c for y, c in lows if y == bound)
    if lows:  # weak events or a founding year only: their bound, barely trusted
        weak = max(lows)
        return weak[0] + (rules.lags["weak_event"] if weak[1] > CONF_FOUNDED else 0), weak[1]
    return None, 0.0


def infer_year(
    text: str,
    *,
    year_range: tuple[int, int] = (2000, 2030),
    min_confidence: float = 0.0,
    rules: YearRules | None = None,
) -> tuple[int | None, float]:
    """Guess the year of an undated article from the years and dated events it mentions.

    Returns (year, confidence in [0, 1]), or (None, 0.0) without evidence, when cues disagree (a year
    the text puts in its future comes before an event it mentions) or below min_confidence. The guess
    is the latest year stated (or a stated gap from a dated event), or the latest event's lower bound
    when that is later, each plus the usual lag (data/lexicons/dates.yml `lags`), capped by years the
    text puts in its future. The confidence grows with the cues that agree with the guess (within a
    year); corpus.calibration says what it is worth on a corpus. Evidence outside year_range is
    ignored. `rules` replaces the default evidence patterns (cxpress.text.defaults).
    """
    rules = rules or default_year_rules()
    points, lows, highs = (
        [p for p in pairs if year_range[0] <= p[0] <= year_range[1]]
        for pairs in _year_evidence(text or "", rules)
    )
    year, conf = _estimate(points, lows, rules)
    if year is None:
        return None, 0.0
    floor = max([_firm_bound(lows) or 0] + [y for y, c in points if c >= CONF_SINCE_YEAR])  # stated
    cap = min((y for y, _ in highs if y >= floor), default=year)  # older futures are memories
    if year > cap:
        year, conf = cap, conf * 0.8
    agreeing = {y for y, _ in points if abs(y - year) <= 1} | {y for y, c in lows if 0 <= year - y <= 2}
    conf = round(min(0.9, conf + 0.1 * max(len(agreeing) - 1, 0)), 2)
    year = min(max(year, year_range[0]), year_range[1])
    return (year, conf) if conf >= min_confidence else (None, 0.0)


def default_year_rules() -> YearRules:
    """The year-inference evidence of data/lexicons/dates.yml, once per process (cxpress.text.defaults)."""
    return defaults.shared("year rules", load_year_rules)


def year_cues(text: str, *, rules: YearRules | None = None) -> list[tuple[str, int, float]]:
    """The evidence infer_year() weighs, as (kind, year, confidence): "estimate" (a year stated, or
    a gap from a dated event), "lower bound" (events, founding years), "upper bound" (a year the text
    puts in its future); for showing why an article got its inferred year."""
    points, lows, highs = _year_evidence(text or "", rules or default_year_rules())
    return ([("estimate", y, c) for y, c in points] + [("lower bound", y, c) for y, c in lows]
            + [("upper bound", y, c) for y, c in highs])
