"""Publication dates: from raw date lines, URLs, file names and metadata (year guesses: cxpress.years).

Words (month names, date-line cues, dated events) live in data/lexicons/dates.yml.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from cxpress.config import LEXICONS
from cxpress.text import defaults

DATES_LEXICON = LEXICONS / "dates.yml"
SCAN_LINES = 25  # date lines sit among the first (or last) lines of a capture
MAX_DATE_LINE = 200  # longer lines are paragraphs: there only a leading cue ("Publié le") counts
PLAUSIBLE_YEARS = (1990, 2039)  # numbers in URLs and file names outside this are ids, not years
RANK_PUBLISHED, RANK_PLAIN, RANK_UPDATED = 0, 1, 2  # a "Publié le" line beats a "Mis à jour" one

_DAY = r"[0-3]?\d"
_TIME = (
    r"(?:\s*(?:à|a|at|-|–|—|,|\|)?\s*\d{1,2}\s*[h:]\s*(?:\d{2})?(?::\d{2})?"
    r"(?:\s*(?:[ap]\.?m\.?|utc|gmt|cest|cet))?)?"
)
_TRAIL = (  # what may follow the date on a date line: an author, a rubric, an update note
    r"(?:\s*[-–—|,·•/]?\s*(?:par|by)\s+[^\n]{1,60}|\s+[-–—|·•]\s*[^\n.!?]{0,40}"
    r"|\s*\([^)]{0,80}\)?)?\s*[.;]?\s*$"
)
_ISO_META = re.compile(
    r"(?:published_time|datePublished|pubdate|date_published)[\"']?\s*(?:content\s*=\s*|:\s*)"
    r"[\"'](?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
)
_TAG = re.compile(r"<[^>]{0,300}>")
_HAS_DIGIT = re.compile(r"\d")
_SEGMENT = re.compile(r"[|•·(]")
_LEAD = re.compile(r"^[\s(\[•·*>–—-]+")
_NUMERIC_DATES = [  # for URLs and file names, most precise first
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?!\d)"),
    re.compile(r"(?<![0-9A-Za-z])(?P<y>(?:19|20)\d\d)[-_.](?P<m>[01]\d)[-_.](?P<d>[0-3]\d)(?!\d)"),
    re.compile(r"(?<![0-9A-Za-z])(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9A-Za-z])(?P<y>(?:19|20)\d\d)[-_/](?P<m>[01]?\d)(?![\d])"),
]


@dataclass(frozen=True)
class DateRules:
    """Compiled date-line patterns and the month table they resolve names with."""

    months: dict[str, int]
    cue_line: re.Pattern
    plain_line: re.Pattern
    byline: re.Pattern
    dateline: re.Pattern


def word_alternation(words: list[str]) -> str:
    """Regex alternation of words, longest first so that "mis à jour" beats "mis"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _date_regex(month: str, with_month_year: bool) -> str:
    """One regex for every supported date shape; group suffixes tell which shape matched."""
    shapes = [
        rf"(?P<d1>{_DAY})(?:er|ᵉʳ|e|st|nd|rd|th)?\s+(?P<m1>{month})\.?,?\s+(?P<y1>\d{{4}}|\d\d)(?!\d)",
        rf"(?P<m2>{month})\.?\s+(?P<d2>{_DAY})(?:er|st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})(?!\d)",
        rf"(?P<d3>{_DAY})\s?(?P<s3>[/.-])\s?(?P<m3>[01]?\d)\s?(?P=s3)\s?(?P<y3>\d{{4}}|\d\d)(?!\d)",
        rf"(?P<y4>(?:19|20)\d\d)(?P<s4>[-/.])(?P<m4>[01]?\d)(?P=s4)(?P<d4>{_DAY})(?!\d)",
        r"(?P<y5>(?:19|20)\d\d)-(?P<m5>[01]\d)(?![\d-])",
    ]
    if with_month_year:
        shapes.append(rf"(?P<m6>{month})\.?\s+(?P<y6>(?:19|20)\d\d)(?!\d)")
    return r"(?<![\w])(?:" + "|".join(shapes) + ")"


def load_date_rules(path: Path | None = None) -> DateRules:
    """Compile the date-line patterns (months, weekdays, cue words) of data/lexicons/dates.yml."""
    lexicon = yaml.safe_load((path or DATES_LEXICON).read_text(encoding="utf-8"))
    months = {name.lower(): int(num) for num, names in lexicon["months"].items() for name in names}
    month = rf"(?:{word_alternation(list(months))})(?![^\W\d_])"
    weekday = rf"(?:(?:{word_alternation(lexicon['weekdays'])})\s*,?\s+)?"
    plain, with_my = _date_regex(month, False), _date_regex(month, True)
    pub, upd = (word_alternation(lexicon["cues"][k]) for k in ("publication", "update"))
    flags = re.IGNORECASE
    cue_line = re.compile(
        rf"^(?:(?P<upd>{upd})|(?P<pub>{pub}))\b(?:\s+(?:par|by)\s+[^\n]{{1,50}}?)?[\s:,–—-]*"
        rf"(?:(?:le|du|on|en|the)\b[\s:,]*)?{weekday}(?:le\s+)?{with_my}",
        flags,
    )
    plain_line = re.compile(
        rf"^(?:(?:le|du|on|date|dated)\s*:?\s+)?{weekday}(?:le\s+|the\s+)?{plain}{_TIME}{_TRAIL}",
        flags,
    )
    byline = re.compile(
        rf"^(?:(?:par|by)\s+[^\n]{{1,60}}?\s+(?:le|on)\s+|[^\n.!?]{{1,60}}?\s+[|–—•·-]\s+(?:le\s+)?)"
        rf"{weekday}{plain}{_TIME}\s*$",
        flags,
    )
    dateline = re.compile(  # press releases: "Paris, le 3 mars 2015 – La société ..."
        rf"^(?-i:[A-ZÀ-Ý])[^\W\d_]*(?:[-' ][^\W\d_]+){{0,3}},\s+(?:le\s+)?{weekday}{plain}{_TIME}\s*(?:[-–—:]|$)",
        flags,
    )
    return DateRules(months, cue_line, plain_line, byline, dateline)


def _make_date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    """A valid date or None (31/02 and month 13 are rejected, not raised); two-digit years pivot at 70."""
    y = int(year)
    if isinstance(year, str) and len(year) == 2:
        y += 2000 if y < 70 else 1900
    try:
        return dt.date(y, int(month), int(day))
    except ValueError:
        return None


def _date_from_match(m: re.Match, months: dict[str, int]) -> dt.date | None:
    """Turn a match of the date regex into a date, whatever shape matched."""
    g = m.groupdict()
    if g["y1"]:
        return _make_date(g["y1"], months[g["m1"].lower()], g["d1"])
    if g["y2"]:
        return _make_date(g["y2"], months[g["m2"].lower()], g["d2"])
    if g["y3"]:
        day, month = int(g["d3"]), int(g["m3"])
        if month > 12 >= day:  # a US-style 03/27/2015
            day, month = month, day
        return _make_date(g["y3"], month, day)
    if g["y4"]:
        return _make_date(g["y4"], g["m4"], g["d4"])
    if g["y5"]:
        return _make_date(g["y5"], g["m5"], 1)
    if g.get("y6"):
        return _make_date(g["y6"], months[g["m6"].lower()], 1)
    return None


def _normalise_line(line: str) -> str:
    """Drop tags, entities, non-breaking spaces and leading bullets so a date line starts clean."""
    if "<" in line:
        line = _TAG.sub(" ", line)
    if "&" in line:
        line = html.unescape(line)
    line = line.replace("\u00a0", " ").replace("\u202f", " ")
    return _LEAD.sub("", line).strip()


def _match_date_line(line: str, rules: DateRules) -> tuple[int, dt.date] | None:
    """(rank, date) when the line is a date line, else None; long lines only count with a cue."""
    line = _normalise_line(line)[:MAX_DATE_LINE]
    m = rules.cue_line.match(line)
    if m and m["upd"]:  # "Mis à jour le ... | Publié le ...": the publication date wins
        later = (rules.cue_line.match(part.strip()) for part in _SEGMENT.split(line)[1:])
        m = next((p for p in later if p and p["pub"]), m)
    if m:
        rank = RANK_UPDATED if m["upd"] else RANK_PUBLISHED
    else:
        rank = RANK_PLAIN
        m = rules.dateline.match(line)
        if not m and len(line) < MAX_DATE_LINE:
            m = rules.plain_line.match(line) or rules.byline.match(line)
    found = _date_from_match(m, rules.months) if m else None
    return (rank, found) if found else None


def _scanned_lines(text: str) -> list[str]:
    """The first and last SCAN_LINES non-blank lines, where captures put their date line."""
    if len(text) > 40_000:
        text = text[:20_000] + "\n" + text[-20_000:]
    lines = [line for line in text.splitlines() if line and not line.isspace()]
    if len(lines) <= 2 * SCAN_LINES:
        return lines
    return lines[:SCAN_LINES] + lines[-SCAN_LINES:]


def find_text_date(text: str, rules: DateRules | None = None) -> dt.date | None:
    """Date of the best date line in the raw text: publication cue, then plain date line, then update."""
    rules = rules or defaults.date_rules()
    head = text[:20_000]
    meta = _ISO_META.search(head) if "ublished" in head or "pubdate" in head else None
    found = _make_date(meta["y"], meta["m"], meta["d"]) if meta else None
    if found:
        return found
    best = None
    for line in _scanned_lines(text):
        if not _HAS_DIGIT.search(line):
            continue
        hit = _match_date_line(line, rules)
        if hit and (best is None or hit[0] < best[0]):
            best = hit
            if hit[0] == RANK_PUBLISHED:
                break
    return best[1] if best else None


def find_numeric_date(value: str) -> dt.date | None:
    """Date spelt with digits in a URL path or file name (/2014/05/12/, 2014-05-12, 20140512, /2014/05/)."""
    for pattern in _NUMERIC_DATES:
        for m in pattern.finditer(value):
            groups = m.groupdict()
            if PLAUSIBLE_YEARS[0] <= int(groups["y"]) <= PLAUSIBLE_YEARS[1]:
                found = _make_date(groups["y"], groups["m"], groups.get("d") or 1)
                if found:
                    return found
    return None


def extract_date(
    text: str, url: str | None = None, filename: str | None = None, *, rules: DateRules | None = None
) -> tuple[dt.date | None, str]:
    """Publication date and where it came from: "text", "url", "filename", or (None, "missing").

    `rules` replaces the default date-line patterns (cxpress.text.defaults).
    """
    found = find_text_date(text, rules) if text else None
    if found:
        return found, "text"
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
        return _parse_date_string(value.strip(), rules or defaults.date_rules())
    except (TypeError, ValueError, OverflowError):
        return None


def _parse_date_string(value: str, rules: DateRules) -> dt.date | None:
    """ISO first (fast, exact), then the date-line shapes ("15/06/2022", "15 juin 2022", "2022-06")."""
    if value.isdigit():  # 20220615 (a bare year or an id is no date)
        return find_numeric_date(value) if len(value) == 8 else None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    m = rules.plain_line.match(value) or rules.cue_line.match(value)
    return _date_from_match(m, rules.months) if m else None

