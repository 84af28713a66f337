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

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_DIGITS = re.compile(r"\d+")
_EDGE = " •·▪►▶*–—-|:"
BODY_MIN_WORDS = 20  # a line this long is a paragraph: header and footer blocks end where paragraphs start
EDGE_SHARE = 0.8  # chrome keeps its place: most of a line's occurrences are in the same block
MAX_CHROME_CHARS = 300  # longer lines are paragraphs even when they recur (a wire republished verbatim)


def line_signature(line: str) -> str:
    """A line's comparison key: NFKC, casefolded, digits masked, edge bullets dropped, spaces collapsed.

    >>> line_signature("  • Publié le 12/03/2015 à 10:45 ") == line_signature("Publié le 3/4/2016 à 9:30")
    True
    """
    folded = unicodedata.normalize("NFKC", line).casefold().replace("’", "'")
    return " ".join(_DIGITS.sub("0", folded).strip(_EDGE).split())


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


def _article_lines(text: str) -> tuple[list[str], list[int], str]:
    """Signatures and word counts of a text's short lines, and the signature of its longest line (what
    copies of one article share: the context that counts once)."""
    lines = _lines(text)
    longest = max(lines, key=len, default="")
    kept = [line for line in lines if len(line) <= MAX_CHROME_CHARS]
    return [line_signature(line) for line in kept], [line.count(" ") + 1 for line in kept], \
        " ".join(longest.casefold().split())


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
    if isinstance(min_articles, bool) or not isinstance(min_articles, int) or min_articles < 2:
        raise ValueError(f"min_articles={min_articles!r}: give an integer >= 2 (a line seen once is text)")
    articles, contexts = [], set()
    for text in texts:
        signatures, words, context = _article_lines(text or "")
        if context in contexts:
            continue  # a copy of an article already counted
        contexts.add(context)
        articles.append((signatures, words))
    counts, totals = Counter(), Counter()
    for signatures, words in articles:
        placed = set(zip(signatures, _zones(words), strict=True))
        counts.update(placed)
        totals.update({s for s, _ in placed})

    def block(zone: str) -> frozenset[str]:
        return frozenset(s for (s, z), n in counts.items()
                         if z == zone and n >= min_articles and n >= EDGE_SHARE * totals[s])

    return RecurringLines(block("head"), block("tail"), min_articles, len(articles))
