"""Chrome learned from the corpus itself: lines that recur, at the top or the bottom, across articles.

An outlet's masthead, tagline, menu and footer are printed on every article it publishes, while an
article's own sentences and heading are its own. So a line (normalised, digits masked) that stands in
the header block of several distinct articles is header chrome there, and likewise for the footer
block; a line met in one article only is never chrome by this evidence. Copies of one article
(republications) count once, so their shared text does not look like chrome. Counting header and
footer apart keeps an article's title (its header) when other articles list it in their footer's
"related articles" teasers. The lexicon (text/boilerplate.py) remains for chrome seen once.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from cxpress.text import defaults

_DIGITS = re.compile(r"\d+")
_EDGE = " •·▪►▶*–—-|:"
BODY_MIN_WORDS = 20  # a line this long is a paragraph: header and footer blocks end where paragraphs start
EDGE_SHARE = 0.8  # chrome keeps its place: most of a line's occurrences are in the same block
MAX_CHROME_CHARS = 300  # longer lines are paragraphs even when they recur (a wire republished verbatim)


SIGNATURES_MAX = 100_000  # lines whose signature a process remembers (~25 MB at most); restarts beyond


def line_signature(line: str) -> str:
    """A line's comparison key: NFKC, casefolded, digits masked, edge bullets dropped, spaces collapsed.

    >>> line_signature("  • Publié le 12/03/2015 à 10:45 ") == line_signature("Publié le 3/4/2016 à 9:30")
    True
    """
    # remembered: chrome is what recurs (half the short lines of the 10k benchmark corpus are repeats)
    memo = defaults.shared("line signatures", dict)
    found = memo.get(line)
    if found is None:
        if len(memo) >= SIGNATURES_MAX:
            memo.clear()
        folded = unicodedata.normalize("NFKC", line).casefold().replace("’", "'")
        found = memo[line] = " ".join(_DIGITS.sub("0", folded).strip(_EDGE).split())
    return found


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _zones(words: list[int]) -> list[str]:
    """'head', 'body' or 'tail' per line: the blocks before the first and after the last paragraph."""
    body = [i for i, n in enumerate(words) if n >= BODY_MIN_WORDS]
    if not body:
        return ["body"] * len(words)  # no paragraph to place a header or footer against
    first, last = body[0], body[-1]
    return ["head" if i < first else "tail" if i > last else "body" for i in range(len(words))]


@dataclass(frozen=True)
class RecurringLines:
    """Line signatures that recur in the header (`head`) or footer (`tail`) block of at least
    `min_articles` distinct articles of a corpus (learn_recurring_lines)."""

    head: frozenset[str]
    tail: frozenset[str]
    min_articles: int
    articles_seen: int = 0

    def __len__(self) -> int:
        return len(self.head | self.tail)

    def chrome_mask(self, lines: list[str]) -> list[bool]:
        """Per stripped non-empty line: whether it is header/footer chrome by recurrence."""
        if not (self.head or self.tail):
            return [False] * len(lines)
        zones = _zones([line.count(" ") + 1 for line in lines])
        return [z != "body" and line_signature(line) in (self.head if z == "head" else self.tail)
                for line, z in zip(lines, zones, strict=True)]

    def chrome_lines(self, text: str) -> list[str]:
        """The lines of `text` that recurrence marks as chrome, in order."""
        lines = _lines(text)
        return [line for line, chrome in zip(lines, self.chrome_mask(lines), strict=True) if chrome]


NO_RECURRING = RecurringLines(frozenset(), frozenset(), 0)


def article_lines(text: str) -> tuple[bytes, frozenset[tuple[str, str]]]:
    """What learning needs of one capture (raw text after Unicode repair): a digest of its longest line
    (what copies of one article share: the context that counts once) and the (signature, block) of its
    short lines. Computed where the capture is read, so that only this travels between processes."""
    lines = _lines(text or "")
    longest = max(lines, key=len, default="")
    kept = [line for line in lines if len(line) <= MAX_CHROME_CHARS]
    zones = _zones([line.count(" ") + 1 for line in kept])
    context = hashlib.blake2b(" ".join(longest.casefold().split()).encode(), digest_size=16).digest()
    return context, frozenset(zip(map(line_signature, kept), zones, strict=True))


class RecurrenceCounts:
    """Counts of (signature, block) over distinct articles, filled capture by capture in corpus order
    (a copy of an article already counted adds nothing), then read as RecurringLines."""

    def __init__(self):
        self.contexts: set[bytes] = set()
        self.placed: Counter = Counter()  # (signature, block) -> articles
        self.totals: Counter = Counter()  # signature -> articles, any block

    def update(self, summaries: Iterable[tuple[bytes, frozenset[tuple[str, str]]]]) -> None:
        """Add article_lines() summaries, in corpus order."""
        for context, placed in summaries:
            if context in self.contexts:
                continue
            self.contexts.add(context)
            self.placed.update(placed)
            self.totals.update({s for s, _ in placed})

    def learned(self, min_articles: int) -> RecurringLines:
        """The header and footer lines seen in at least `min_articles` distinct articles (>= 2), most
        of their occurrences (EDGE_SHARE) in that block."""
        _check_min_articles(min_articles)

        def block(zone: str) -> frozenset[str]:
            return frozenset(s for (s, z), n in self.placed.items()
                             if z == zone and n >= min_articles and n >= EDGE_SHARE * self.totals[s])

        return RecurringLines(block("head"), block("tail"), min_articles, len(self.contexts))


def learn_recurring_lines(texts: Iterable[str], *, min_articles: int = 3) -> RecurringLines:
    """Header and footer lines that recur across at least `min_articles` distinct articles of `texts`
    (raw captures after Unicode repair, one line per block). Articles sharing their longest line are
    copies of one another and count once. `min_articles` < 2 is refused: a line seen once is text.

    >>> texts = [f"Le Courrier des Plateaux\\nLe titre de {city}\\n{('À ' + city + ' les plateaux recrutent. ') * 5}\\n"
    ...          "Abonnez-vous à notre lettre du lundi" for city in ("Lille", "Rabat", "Tunis")]
    >>> found = learn_recurring_lines(texts, min_articles=3)
    >>> sorted(found.head), sorted(found.tail)
    (['le courrier des plateaux'], ['abonnez-vous à notre lettre du lundi'])
    """
    _check_min_articles(min_articles)  # before reading the texts
    counts = RecurrenceCounts()
    counts.update(map(article_lines, texts))
    return counts.learned(min_articles)


def _check_min_articles(min_articles) -> None:
    if isinstance(min_articles, bool) or not isinstance(min_articles, int) or min_articles < 2:
        raise ValueError(f"min_articles={min_articles!r}: give an integer >= 2 (a line seen once is text)")
