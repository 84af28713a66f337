"""Publication dates: stated in the raw text, in URLs, file names and metadata (year guesses: cxpress.years).

The grammar (date expressions, cue words, relative dates) is in cxpress.text.date_grammar; this module
decides which stated date is the publication date, which the update, and which are narrative.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from cxpress.text import defaults
from cxpress.text.date_grammar import (  # noqa: F401 (load_date_rules, word_alternation: public here too)
    DATES_LEXICON,
    DateRules,
    date_from_match,
    load_date_rules,
    make_date,
    word_alternation,
)

SCAN_LINES = 25  # date lines sit among the first (or last) lines of a capture
MAX_DATE_LINE = 200  # longer lines are paragraphs: there only a leading cue or a dateline counts
MAX_STAMP_LINE = 100  # "Écrit le 3 mars 2015": a short line of a few words and a date, not a sentence
MAX_CUE_PREFIX = 90  # a cue, "par <auteur> le" and a weekday fit in this many characters before a date
MAX_RELATIVE_LINE = 80  # "il y a 2 ans" in a longer line is narrative
RELATIVE_HEAD = 10  # relative stamps ("il y a 2 jours", "4 ans • Modifié") sit by the author, at the top
MONTH_BEFORE_DIGITS = 20  # "28 septembre 2019": a date starts at most this far before its year
UPDATE_WINDOW = 3  # lines read after a publication date for an update date ("Mis à jour le ...")
PLAUSIBLE_YEARS = (1990, 2039)  # numbers in URLs and file names outside this are ids, not years
# "Publié le" beats the page's own bare date line, which beats a dateline (the date of the release
# the page reprints), which beats "Mis à jour le"
RANK_PUBLISHED, RANK_PLAIN, RANK_DATELINE, RANK_UPDATED = 0, 1, 2, 3

_ISO_META = re.compile(
    r"(?:(?P<pub>published_time|datePublished|pubdate|date_published)|(?P<upd>modified_time|dateModified))"
    r"[\"']?\s*(?:content\s*=\s*|:\s*)[\"'](?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
)
_TAG = re.compile(r"<[^>]{0,300}>")
# a date has a four-digit year, or a two-digit one after "12/03/" or "14 mars": lines without are skipped
_DATE_HINT = re.compile(r"\d(?:\d\d\d|[/.-]\d\d?[/.-]\d\d|\s*[^\W\d_]{3,}\.?,?\s+\d\d(?!\d))")
_HAS_DIGIT = re.compile(r"\d")
_SEGMENTS = re.compile(r"[|•·]")
_LEAD = re.compile(r"^[\s(\[•·*>–—-]+")
_NUMERIC_DATES = [  # for URLs and file names, most precise first
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?!\d)"),
    re.compile(r"(?<![0-9A-Za-z])(?P<y>(?:19|20)\d\d)[-_.](?P<m>[01]\d)[-_.](?P<d>[0-3]\d)(?!\d)"),
    re.compile(r"(?<![0-9A-Za-z])(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9A-Za-z])(?P<y>(?:19|20)\d\d)[-_/](?P<m>[01]?\d)(?![\d])"),
]


@dataclass(frozen=True)
class StatedDates:
    """The dates a page states: `date` (publication, else a bare date line, else the update), `updated`
    (the update date, when one is stated), `relative` (a relative date such as "il y a 2 jours", never
    resolved: that needs the capture date)."""

    date: dt.date | None = None
    updated: dt.date | None = None
    relative: str | None = None


def _normalise_line(line: str) -> str:
    """Drop tags, entities, non-breaking spaces and leading bullets so a date line starts clean."""
    if "<" in line:
        line = _TAG.sub(" ", line)
    if "&" in line:
        line = html.unescape(line)
    line = line.replace("\u00a0", " ").replace("\u202f", " ")
    return _LEAD.sub("", line).strip()


def _line_dates(line: str, rules: DateRules) -> list[tuple[int, dt.date]]:
    """(rank, date) of each stated date of a line: after a cue, as a dateline, or as the whole line.
    A long line is a paragraph: there only a cue opening it, or a dateline, states a date."""
    short = len(line) < MAX_DATE_LINE
    line = line[:MAX_DATE_LINE]
    found = _cue_dates(line, rules) if short else _leading_cue_date(line, rules)
    if found:
        return found
    m = rules.dateline.match(line)
    if m:
        rank = RANK_DATELINE
    else:
        rank = RANK_PLAIN
        m = (rules.plain_line.match(line) or rules.byline.match(line)) if short else None
        if m is None and len(line) <= MAX_STAMP_LINE:
            m = rules.stamp_line.match(line)
    date = date_from_match(m, rules.months) if m else None
    return [(rank, date)] if date else []


def _cue_dates(line: str, rules: DateRules) -> list[tuple[int, dt.date]]:
    """(rank, date) of each date of a short line that a cue opening its segment introduces."""
    found, start, position = [], 0, 0
    while hint := _DATE_HINT.search(line, position):
        m = rules.date.search(line, max(position, hint.start() - MONTH_BEFORE_DIGITS))
        if m is None:
            break
        date = date_from_match(m, rules.months)
        if date is None:  # "depuis 2012", "31/02/2019": look again from the next word
            position = m.start() + 1
            continue
        cue = rules.cue_before.search(line, max(start, m.start() - MAX_CUE_PREFIX), m.start())
        if cue:
            found.append((RANK_UPDATED if cue["upd"] else RANK_PUBLISHED, date))
        start = position = m.end()
    return found


def _leading_cue_date(line: str, rules: DateRules) -> list[tuple[int, dt.date]]:
    """(rank, date) when a cue opens the line and a date follows it ("Publié le 3 mars 2015 ...")."""
    cue = rules.leading_cue.match(line)
    m = rules.date.match(line, cue.end()) if cue else None
    date = date_from_match(m, rules.months) if m else None
    return [(RANK_UPDATED if cue["upd"] else RANK_PUBLISHED, date)] if date else []


def _scanned_lines(text: str) -> list[str]:
    """The first and last SCAN_LINES non-blank lines, where captures put their date line."""
    if len(text) > 40_000:
        text = text[:20_000] + "\n" + text[-20_000:]
    lines = [line for line in text.splitlines() if line and not line.isspace()]
    if len(lines) <= 2 * SCAN_LINES:
        return lines
    return lines[:SCAN_LINES] + lines[-SCAN_LINES:]


def _metadata_dates(head: str) -> StatedDates | None:
    """Publication (and update) dates of HTML metadata, which beat any line of the page."""
    if "ublished" not in head and "pubdate" not in head:
        return None
    found = {"pub": None, "upd": None}
    for m in _ISO_META.finditer(head):
        key = "pub" if m["pub"] else "upd"
        found[key] = found[key] or make_date(m["y"], m["m"], m["d"])
    return StatedDates(found["pub"], found["upd"]) if found["pub"] else None


def find_stated_dates(text: str, rules: DateRules | None = None) -> StatedDates:
    """The publication, update and relative dates stated in the head and tail lines of a raw page."""
    rules = rules or default_date_rules()
    meta = _metadata_dates(text[:20_000])
    if meta:
        return meta
    lines = _scanned_lines(text)
    best = updated = None
    stop = len(lines)
    for number, line in enumerate(lines):
        if number >= stop:
            break
        if not _DATE_HINT.search(line, 0, MAX_DATE_LINE):
            continue
        if stop < len(lines) and not _has_update_cue(line, rules):
            continue  # the publication date is known: only a line with an update cue may add to it
        for rank, date in _line_dates(_normalise_line(line[: 2 * MAX_DATE_LINE]), rules):
            if best is None or rank < best[0]:
                best = (rank, date)
                if rank == RANK_PUBLISHED:  # an update date, if any, is stated beside it
                    stop = min(stop, number + 1 + UPDATE_WINDOW)
            if rank == RANK_UPDATED and updated is None:
                updated = date
        if updated is not None and best[0] == RANK_PUBLISHED:
            break
    if best:
        return StatedDates(best[1], updated)
    return StatedDates(relative=_relative_date(lines[:RELATIVE_HEAD], rules))


def _relative_date(lines: list[str], rules: DateRules) -> str | None:
    """The first relative date filling a short line or a segment of it ("il y a 2 jours", "4 ans • Modifié")."""
    for line in lines:
        if len(line) > MAX_RELATIVE_LINE:
            continue
        low = line.lower()
        if not (_HAS_DIGIT.search(line) or any(word in low for word in rules.relative_words)):
            continue
        segments = _SEGMENTS.split(line) if _SEGMENTS.search(line) else [line]
        for segment in segments:
            m = rules.relative.match(segment)
            if m:
                return m["rel"]
    return None


def _has_update_cue(line: str, rules: DateRules) -> bool:
    """Whether an update cue word is in the line (a substring test, cheaper than the grammar)."""
    low = line.lower()
    return any(word in low for word in rules.update_words)


def find_text_date(text: str, rules: DateRules | None = None) -> dt.date | None:
    """Date of the best stated date in the raw text: publication cue or dateline, then plain date line, then update."""
    return find_stated_dates(text, rules).date


def find_numeric_date(value: str) -> dt.date | None:
    """Date spelt with digits in a URL path or file name (/2014/05/12/, 2014-05-12, 20140512, /2014/05/)."""
    for pattern in _NUMERIC_DATES:
        for m in pattern.finditer(value):
            groups = m.groupdict()
            if PLAUSIBLE_YEARS[0] <= int(groups["y"]) <= PLAUSIBLE_YEARS[1]:
                found = make_date(groups["y"], groups["m"], groups.get("d") or 1)
                if found:
                    return found
    return None


def extract_date(
    text: str, url: str | None = None, filename: str | None = None, *, rules: DateRules | None = None
) -> tuple[dt.date | None, str]:
    """Publication date and where it came from: "text", "url", "filename", or (None, "missing").

    `rules` replaces the default date grammar (cxpress.text.defaults).
    """
    found = find_text_date(text, rules) if text else None
    if found:
        return found, "text"
    return date_from_location(url, filename)


def date_from_location(url: str | None, filename: str | None) -> tuple[dt.date | None, str]:
    """Date spelt in the URL path, else in the file name: (date, "url" | "filename"), or (None, "missing")."""
    if url:
        path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", str(url), flags=re.IGNORECASE)
        found = find_numeric_date(path)
        if found:
            return found, "url"
    if filename:
        found = find_numeric_date(re.split(r"[\\/]", str(filename))[-1])
        if found:
            return found, "filename"
    return None, "missing"


def parse_date(value: object, *, rules: DateRules | None = None) -> dt.date | None:
    """A date from a metadata cell (ISO, "15/06/2022", "15 juin 2022", Timestamp); None for junk or blanks."""
    try:
        if value is None or isinstance(value, bool) or value != value:  # NaN and NaT
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if type(value).__name__ == "datetime64":
            value = str(value)
        if isinstance(value, (int, float)) and float(value).is_integer():
            value = str(int(value))
        if not isinstance(value, str) or not value.strip():
            return None
        return _parse_date_string(value.strip(), rules or default_date_rules())
    except (TypeError, ValueError, OverflowError):
        return None


def _parse_date_string(value: str, rules: DateRules) -> dt.date | None:
    """ISO first (fast, exact), then the grammar ("15/06/2022", "15 juin 2022", "Publié le 2022-06")."""
    if value.isdigit():  # 20220615 (a bare year or an id is no date)
        return find_numeric_date(value) if len(value) == 8 else None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    m = rules.plain_line.match(value)
    if m:
        return date_from_match(m, rules.months)
    hits = _line_dates(value, rules)
    return min(hits)[1] if hits else None


def default_date_rules() -> DateRules:
    """The date grammar compiled from data/lexicons/dates.yml, once per process (cxpress.text.defaults)."""
    return defaults.shared("date rules", load_date_rules)
