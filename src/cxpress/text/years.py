"""Year inference for undated articles: years and dated events the text mentions (flagged as inferred).

Dated events and cue words live in data/lexicons/dates.yml beside the date-line words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from cxpress.config import read_yaml
from cxpress.text import defaults
from cxpress.text.dates import DATES_LEXICON, word_alternation
from cxpress.text.french import fold_text, straighten_apostrophes
from cxpress.text.year_scan import (
    GAP_HINT,
    GAP_TAILS,
    YEAR,
    Event,
    FoldedScan,
    build_scanner,
    compile_event,
    gap_hinted,
    scan_folded,
    year_matches,
)

# Year inference for undated articles -------------------------------------------------------
# Confidence of each kind of evidence: a stated gap from a dated anchor ("un an après le premier
# confinement") is best; a year the text mentions is usually the publication year or the one
# before; an event only gives a lower bound; a founding year ("créé en 2006") barely helps.
CONF_GAP, CONF_MENTION, CONF_SINCE_YEAR = 0.7, 0.5, 0.45
CONF_NEAR_FUTURE, CONF_EVENT, CONF_FOUNDED = 0.25, 0.35, 0.15
_NEXT = re.compile(r"[ \t]*([^\W\d_]+|\S)?")
_SENTENCE_END = re.compile(r"[.!?\n]")


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
    # every event hint and relative word, found in one pass over a text (year_scan.build_scanner)
    hint_scanner: ahocorasick.Automaton | None = None
    relative_words: tuple[tuple[str, ...], ...] = ()  # the folded words of each relative_years pattern


def _words_regex(words: list[str], at_end: bool) -> re.Pattern:
    """One of the (folded) words, at the end of a window or anywhere in it."""
    tail = r"[\s:'-]*$" if at_end else r"(?![\w])"
    return re.compile(rf"(?<![\w])(?:{word_alternation([fold_text(w) for w in words])}){tail}")


def load_year_rules(path: Path | None = None) -> YearRules:
    """Compile the inference lexicon (events, future and founding words) of data/lexicons/dates.yml."""
    lexicon = read_yaml(path or DATES_LEXICON)
    inf = lexicon["inference"]
    months = [name for names in lexicon["months"].values() for name in names]
    numbers = {fold_text(k): int(v) for k, v in inf["numbers"].items()}
    events = tuple(compile_event(e) for e in lexicon["events"])
    ignore_lines = tuple(fold_text(w) for w in inf["ignore_lines"])
    relative_words = tuple(tuple(fold_text(w) for w in words) for words in inf["relative_years"].values())
    return YearRules(
        ignore_lines=ignore_lines,
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
        relative_words=relative_words,
        numbers=numbers,
        lags={kind: int(inf.get("lags", {}).get(kind, 0)) for kind in ("mention", "event", "weak_event")},
        hint_scanner=build_scanner(events, relative_words, _markers(ignore_lines)),
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


def _classify_year(text: str, m: re.Match, rules: YearRules, relative: tuple | None = None) -> tuple[str, int] | None:
    """(kind, implied publication year) for a four-digit number, or None when it is no year.
    `relative`: the relative_years patterns that may match in the text (default: all of them)."""
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
    relative = rules.relative_years if relative is None else relative
    if not relative:
        return "mention", year
    stop = _SENTENCE_END.search(text, m.end(), m.end() + 200)
    sentence = fold_text(
        _sentence_before(text, m.start()) + text[m.start() : stop.start() if stop else None]
    )
    offset = next((off for pattern, off in relative if pattern.search(sentence)), 0)
    return "mention", year + offset


def _event_hits(folded: str, rules: YearRules) -> list[Event]:
    """Events the folded text mentions."""
    return _scan(folded, rules).events


def _markers(ignore_lines: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Words the scanner also finds: keys of lines to ignore, words ending a stated gap."""
    return {"ignore": ignore_lines, "gap": GAP_TAILS}


def _scan(folded: str, rules: YearRules) -> FoldedScan:
    """Events, relative-year words and markers of the folded text (cxpress.text.year_scan)."""
    return scan_folded(folded, rules.events, _markers(rules.ignore_lines), rules.hint_scanner)


def _gap_points(folded: str, rules: YearRules, events: list[Event], tails: list[int] | None = None) -> list[int]:
    """Years given by a stated gap from an anchor: "un an après le premier confinement" -> 2021.
    `tails`: where the words that end a gap ("après", "plus tard", "que") start, if known."""
    if not (GAP_HINT.search(folded) if tails is None else gap_hinted(folded, tails)):
        return []
    points = []
    for m in rules.gap.finditer(folded):
        if m["que"] and not re.search(
            r"(?:cela|ca) fait\b[\w ]{0,30}$", folded[max(0, m.start() - 40) : m.start()]
        ):
            continue
        n = int(m["n"]) if m["n"].isdigit() else rules.numbers[m["n"]]
        anchors = [(hit.start(), e.year) for e in events if (hit := e.pattern.search(m["rest"]))]
        anchors += [(y.start(), int(y.group())) for y in YEAR.finditer(m["rest"])]
        if anchors:
            points.append(min(anchors)[1] + (round(n / 12) if m["unit"] == "mois" else n))
    return points


def _kept_lines(raw: str, folded: str, rules: YearRules) -> tuple[str, str]:
    """The text (straight apostrophes) and its folded form without the lines to ignore (copyright)."""
    pairs = zip(raw.split("\n"), folded.split("\n"), strict=False)
    kept = [(raw, low) for raw, low in pairs if not any(k in low for k in rules.ignore_lines)]
    return "\n".join(r for r, _ in kept), "\n".join(f for _, f in kept)


def _possible_relative_years(found: set[int] | None, rules: YearRules) -> tuple | None:
    """The relative_years patterns whose words the scanner found in the folded text (a sentence of it,
    folded alone, holds no word the whole does not), or None (all) when the rules lack the words."""
    words = rules.relative_words
    if found is None or len(words) != len(rules.relative_years) or not all(ws and all(ws) for ws in words):
        return None
    return tuple(rules.relative_years[n] for n in sorted(found))


def _year_evidence(text: str, rules: YearRules) -> tuple[list, list, list]:
    """Estimates, lower bounds and upper bounds, each a list of (year, confidence)."""
    raw, folded = straighten_apostrophes(text), fold_text(text)
    scan = _scan(folded, rules)
    if scan.marks["ignore"] or raw.count("\n") != folded.count("\n"):  # else every line is kept
        raw, folded = _kept_lines(raw, folded, rules)
        scan = _scan(folded, rules)
    relative = _possible_relative_years(scan.relative, rules)
    events = scan.events
    points, lows, highs = [], [], []
    for m in year_matches(raw):
        kind, year = _classify_year(raw, m, rules, relative) or (None, 0)
        if kind == "founded":
            lows.append((year, CONF_FOUNDED))
        elif kind in ("far", "near"):
            highs.append((year, 0.0))
            points += [(year - 1, CONF_NEAR_FUTURE)] if kind == "near" else []
        elif kind:
            points.append((year, CONF_MENTION if kind == "mention" else CONF_SINCE_YEAR))
    points += [(y, CONF_GAP) for y in _gap_points(folded, rules, events, scan.marks["gap"])]
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
