"""The one-pass scan of the year inference (cxpress.text.year_scan) and the shortcuts it allows in
cxpress.text.years give the same evidence as the plain searches they replace (invented examples only)."""

from __future__ import annotations

import re
import sys
from dataclasses import replace

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpress.text import year_scan, years
from cxpress.text.dates import DATES_LEXICON
from cxpress.text.french import fold_text, straighten_apostrophes
from cxpress.text.year_scan import scan_folded, starts_of

RULES = years.default_year_rules()
_INFERENCE = yaml.safe_load(DATES_LEXICON.read_text(encoding="utf-8"))["inference"]
# Pieces the texts are made of: event hints, relative-year words, lines to ignore, gaps, years in
# their various roles, and characters that folding changes (accents, ligatures, odd spaces).
PIECES = sorted({h for e in RULES.events for h in e.hints or ()}) + [
    w for words in _INFERENCE["relative_years"].values() for w in words
] + list(_INFERENCE["ignore_lines"]) + [
    "L'ANNÉE DERNIÈRE", "Cette Année", "Tous droits réservés", "(c) 2021", "deux ans après le confinement",
    "un an plus tard", "six mois que", "cela fait trois ans que", "18 mois après la crise sanitaire",
    "quelque", "pratique", "an\u00a0après", "mois\n\tque", "2019", "en 2021", "depuis 2015", "2017-2019",
    "les années 2000", "2000 emplois", "1999,5", "20201", "1920", "d'ici 2030", "créée en 2006", "sera lancé en",
    "ß", "Œuvre", "e\u0301", "\u0345", "ﬁ", "Ａ", "\u2028", "\r\n", "\x85", "…", "’", "«", "€",
]
SEPARATORS = st.sampled_from([" ", "\n", "", ". ", " \n ", ", ", "\u00a0"])


@st.composite
def texts(draw) -> str:
    """A text mixing lexicon pieces, random characters and separators."""
    parts = draw(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=30))
    return "".join(part + draw(SEPARATORS) for part in parts)


def _plain_evidence(text: str, rules: years.YearRules) -> tuple[list, list, list]:
    """_year_evidence as it was before the scan: filter every line, search every pattern."""
    pairs = zip(straighten_apostrophes(text).split("\n"), fold_text(text).split("\n"), strict=False)
    kept = [(raw, low) for raw, low in pairs if not any(k in low for k in rules.ignore_lines)]
    raw, folded = "\n".join(r for r, _ in kept), "\n".join(f for _, f in kept)
    points, lows, highs = [], [], []
    for m in year_scan.YEAR.finditer(raw):
        kind, year = years._classify_year(raw, m, rules) or (None, 0)  # every relative_years pattern
        if kind == "founded":
            lows.append((year, years.CONF_FOUNDED))
        elif kind in ("far", "near"):
            highs.append((year, 0.0))
            points += [(year - 1, years.CONF_NEAR_FUTURE)] if kind == "near" else []
        elif kind:
            points.append((year, years.CONF_MENTION if kind == "mention" else years.CONF_SINCE_YEAR))
    events = [e for e in rules.events if e.pattern.search(folded)]
    points += [(y, years.CONF_GAP) for y in years._gap_points(folded, rules, events)]
    lows += [(e.since, years.CONF_EVENT * e.weight) for e in events]
    return points, lows, highs


@given(texts())
@settings(max_examples=400, deadline=None)
def test_the_scanned_evidence_is_the_plain_evidence(text: str) -> None:
    expected = _plain_evidence(text, RULES)
    assert years._year_evidence(text, RULES) == expected
    assert years._year_evidence(text, replace(RULES, hint_scanner=None)) == expected


def test_the_examples_reach_every_shortcut() -> None:
    text = ("Deux ans après le confinement, l'année dernière (2021) le chatbot a remplacé le robot.\n"
            "© 2022 Tous droits réservés\nEn 2019, six mois plus tard, cette année.")
    scan = years._scan(fold_text(text), RULES)
    assert scan.marks["ignore"] and scan.marks["gap"] and len(scan.relative) == 2
    assert {e.year for e in scan.events} == {2020, 2016}  # confinement, chatbot ("robot" is no event)
    assert years._year_evidence(text, RULES) == _plain_evidence(text, RULES)
    assert years._year_evidence(text, RULES)[0]  # the evidence is not empty


@given(st.text(alphabet="0129 .,-\n", max_size=60))
@settings(max_examples=300, deadline=None)
def test_years_found_from_their_first_digits_are_those_of_the_regex(text: str) -> None:
    expected = [(m.start(), m.group()) for m in year_scan.YEAR.finditer(text)]
    assert [(m.start(), m.group()) for m in year_scan.year_matches(text)] == expected


@given(st.lists(st.sampled_from(["an", "ans", "annee", "mois", "roman", "apres", "que", "quelque",
                                 "plus tard", "six", " ", "  ", "\n", "\t", "\u2028", "x", "2"]), max_size=12))
@settings(max_examples=400, deadline=None)
def test_the_gap_hint_tried_at_its_tail_words_is_the_regex_search(parts: list[str]) -> None:
    folded = "".join(parts)
    tails = [pos for word in year_scan.GAP_TAILS for pos in starts_of(folded, word)]
    assert year_scan.gap_hinted(folded, tails) == bool(year_scan.GAP_HINT.search(folded))


def test_isspace_and_the_regex_white_space_agree_on_every_character() -> None:
    space = re.compile(r"\s")
    assert all(bool(space.match(c)) == c.isspace() for c in map(chr, range(sys.maxunicode + 1)))


@given(texts())
@settings(max_examples=200, deadline=None)
def test_the_scanner_finds_what_the_plain_searches_find(text: str) -> None:
    folded = fold_text(text)
    markers = years._markers(RULES.ignore_lines)
    fast = scan_folded(folded, RULES.events, markers, RULES.hint_scanner)
    plain = scan_folded(folded, RULES.events, markers, None)
    assert fast.events == plain.events == [e for e in RULES.events if e.pattern.search(folded)]
    assert {k: sorted(v) for k, v in fast.marks.items()} == plain.marks
    assert fast.relative == {n for n, words in enumerate(RULES.relative_words) if any(w in folded for w in words)}
