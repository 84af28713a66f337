"""The date grammar: date expressions (French and English), the cue words before them, relative dates.

Words (month names, weekdays, cues, relative units) live in data/lexicons/dates.yml; this module
compiles them once into DateRules, and turns a match into a date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from cxpress.config import LEXICONS, read_yaml

DATES_LEXICON = LEXICONS / "dates.yml"

_DAY = r"[0-3]?\d"
_TIME = (  # a time (and time zone) after a date: "à 14:24", "- 10h45", "08:15 UTC", "10:00 +02:00"
    r"(?:\s*(?:à|a|at|-|–|—|,|\|)?\s*\d{1,2}\s*[h:]\s*(?:\d{2})?(?::\d{2})?"
    r"(?:\s*(?:[ap]\.?m\.?|utc|gmt|cest|cet|[+-]\d\d:?\d\d)(?![^\W\d_]))?)?"
)
# Searching lines for dates, any word stands for the month and date_from_match checks it: an
# alternation of 45 month names tried at every word is what made the search slow.
_ANY_WORD = r"[^\W\d_]{3,9}(?![^\W\d_])"
_TRAIL = (  # what may follow the date on a date line: an author, a rubric, an update note
    r"(?:\s*[-–—|,·•/]?\s*(?:par|by)\s+[^\n]{1,60}|\s+[-–—|·•]\s*[^\n.!?]{0,40}"
    r"|\s*\([^)]{0,80}\)?)?\s*[.;]?\s*$"
)


@dataclass(frozen=True)
class DateRules:
    """Compiled date grammar: date expressions, the cues that give them a role, relative dates."""

    months: dict[str, int]
    date: re.Pattern  # a date expression anywhere in a line (its month word is checked by date_from_match)
    cue_before: re.Pattern  # a publication or update cue opening a segment, ending right before a date
    leading_cue: re.Pattern  # a cue opening a line ("Publié le"), up to where its date starts
    plain_line: re.Pattern  # a line that is only a date (with a time, an author, a rubric)
    byline: re.Pattern  # "par Auteur le 3 mars 2015", "Outlet | 03/03/2017"
    stamp_line: re.Pattern  # a short "<one to three words> [par X] le|du|:|» <date>" line: "Écrit le 3 mars 2015"
    dateline: re.Pattern  # "Casablanca, le 12 octobre 2010 –" opening a paragraph
    relative: re.Pattern  # "il y a 2 jours", "2 sem.", "3 days ago", "hier" filling a line or segment
    relative_words: tuple[str, ...]  # lower-case markers ("il y a", "ago", "hier") of relative dates without digits
    update_words: tuple[str, ...]  # lower-case update cues, for a cheap substring test


def word_alternation(words: list[str]) -> str:
    """Regex alternation of words, longest first so that "mis à jour" beats "mis"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _trie_alternation(words: list[str]) -> str:
    """The regex of word_alternation factored by common prefixes ("publi(?:cation|é(?:e)?)"): the
    regex engine tries one branch per letter instead of one per word, several times faster."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:  # longer words first, as in word_alternation: the ending is optional
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(trie)


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
    return r"(?<![\w/.-])(?:" + "|".join(shapes) + ")"


def _relative_regex(spec: dict, cue: str) -> str:
    """A relative date filling a line or a segment of it, a cue (or any word before "il y a") and an
    author after allowed ("Publié il y a 3 h | Social", "Ouvert il y a 3 mois par X", "4 ans • Modifié");
    bare amounts take only the units of social-network stamps, so "3 min" (reading time) is not one."""
    amount = rf"(?:\d+|{_trie_alternation(spec['amounts'])})"
    units, bare = (rf"(?:{_trie_alternation(spec[k])})\.?(?![^\W\d_])" for k in ("units", "bare_units"))
    before, after = _trie_alternation(spec["before"]), _trie_alternation(spec["after"])
    relative = (rf"(?:{before})\s+{amount}\s*{units}|{amount}\s*{units}\s+(?:{after})"
                rf"|\d+\s*{bare}|(?:{_trie_alternation(spec['words'])})(?![^\W\d_])")
    return (rf"\s*(?:(?:{cue})(?![^\W\d_])\s*:?\s*|[^\W\d_]+\s+(?=(?:{before})\s))?(?P<rel>{relative})"
            rf"[\s.,:;–—-]*(?:$|(?:par|by)\s)")


def load_date_rules(path: Path | None = None) -> DateRules:
    """Compile the date grammar (months, weekdays, cue words, relative units) of data/lexicons/dates.yml."""
    lexicon = read_yaml(path or DATES_LEXICON)
    months = {name.lower(): int(num) for num, names in lexicon["months"].items() for name in names}
    month = rf"(?:{_trie_alternation(list(months))})(?![^\W\d_])"
    weekday = rf"(?:(?:{_trie_alternation(lexicon['weekdays'])})\.?\s*,?\s+)?"
    plain = _date_regex(month, False)
    pub, upd = (_trie_alternation(lexicon["cues"][k]) for k in ("publication", "update"))
    flags = re.IGNORECASE
    filler = r"(?:\s+(?:par|by)\s+[^\n|•·]{1,50}?)?[\s:,–—-]*(?:(?:le|du|de|on|en|the|at|:)(?![^\W\d_])[\s:,]*)?"
    cue = rf"(?:(?P<upd>{upd})|(?P<pub>{pub}))(?![^\W\d_]){filler}{weekday}"
    return DateRules(
        months=months,
        date=re.compile(_date_regex(_ANY_WORD, True), flags),
        cue_before=re.compile(  # opening its segment, after at most one word ("Communiqué diffusé le")
            rf"(?:^|(?<=[|•·()\[\];,–—])|(?<=\s-))\s*(?:[^\W\d_]+\s+)?{cue}$", flags
        ),
        leading_cue=re.compile(rf"^{cue}", flags),
        plain_line=re.compile(
            rf"^(?:(?:le|du|on|date|dated)\s*:?\s+)?{weekday}(?:le\s+|the\s+)?{plain}{_TIME}{_TRAIL}", flags
        ),
        byline=re.compile(
            rf"^(?:(?:par|by)\s+[^\n]{{1,60}}?\s+(?:le|on)\s+|[^\n.!?]{{1,60}}?\s+[|–—•·-]\s+(?:le\s+)?)"
            rf"{weekday}{plain}{_TIME}\s*$",
            flags,
        ),
        stamp_line=re.compile(
            rf"^(?:[^\W\d_][\w'’-]*\s+){{1,3}}(?:(?:par|by)\s+[^\n]{{1,40}}?\s+)?(?:le|du|on|:|»)\s*"
            rf"{weekday}{plain}{_TIME}"
            rf"(?:\s*[-–—|,·•]?\s*(?:par|by)\s+[^\n]{{1,40}})?\s*[.;]?\s*$",
            flags,
        ),
        dateline=re.compile(  # agency copy: "PARIS (AFP), le 3 mars 2015 –", "London, March 3, 2015 /Wire/ --"
            rf"^(?-i:[A-ZÀ-Ý])[^\W\d_]*(?:[-' ][^\W\d_]+){{0,3}}(?:\s*\([^)\n]{{1,40}}\))?"
            rf"(?:\s*,\s*(?-i:[A-ZÀ-Ý])[^\W\d_]+(?:\s*\([^)\n]{{1,40}}\))?)?"
            rf"\s*[,–—-]\s*(?:le\s+)?{weekday}{plain}"
            rf"{_TIME}\s*(?:\([^)\n]{{1,40}}\)\s*)?(?:/[^/\n]{{1,40}}/\s*)?(?:[-–—:]|$)",
            flags,
        ),
        relative=re.compile(_relative_regex(lexicon["relative"], f"{pub}|{upd}"), flags),
        update_words=tuple(w.lower() for w in lexicon["cues"]["update"]),
        relative_words=tuple(w.lower() for k in ("before", "after", "words") for w in lexicon["relative"][k]),
    )


def make_date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    """A valid date or None (31/02 and month 13 are rejected, not raised); two-digit years pivot at 70."""
    y = int(year)
    if isinstance(year, str) and len(year) == 2:
        y += 2000 if y < 70 else 1900
    try:
        return dt.date(y, int(month), int(day))
    except ValueError:
        return None


def date_from_match(m: re.Match, months: dict[str, int]) -> dt.date | None:
    """Turn a match of a date regex into a date, whatever shape matched; None if its month word is no month."""
    g = m.groupdict()
    if g["y1"]:
        return make_date(g["y1"], months.get(g["m1"].lower(), 0), g["d1"])
    if g["y2"]:
        return make_date(g["y2"], months.get(g["m2"].lower(), 0), g["d2"])
    if g["y3"]:
        day, month = int(g["d3"]), int(g["m3"])
        if month > 12 >= day:  # a US-style 03/27/2015
            day, month = month, day
        return make_date(g["y3"], month, day)
    if g["y4"]:
        return make_date(g["y4"], g["m4"], g["d4"])
    if g["y5"]:
        return make_date(g["y5"], g["m5"], 1)
    if g.get("y6"):
        return make_date(g["y6"], months.get(g["m6"].lower(), 0), 1)
    return None
