"""Raw captures to article text and titles: composes Unicode repair (unicode.py) and boilerplate removal
(boilerplate.py), and guesses a capture's title."""

from __future__ import annotations

import re

from cxpress.text.boilerplate import (
    Boilerplate,
    BoilerplateClassifier,
    _classifier_for,
    _line_key,
    boilerplate_removal,
    remove_boilerplate,
    strip_inline,
)
from cxpress.text.unicode import _may_repair_again, _repair_once, repair_unicode


def clean_text(raw: str, title: str | None = None, *, classifier: BoilerplateClassifier | None = None,
               repaired: str | None = None) -> str:
    """Article body of a raw capture: repaired Unicode, no boilerplate, one paragraph per line.

    Idempotent: line removal is stable by construction, and Unicode repair is re-run until nothing changes.
    `classifier` replaces the default boilerplate classifier (cxpress.text.defaults); `repaired` is
    the raw text's first repair pass when the caller already made it (the ingest needs it twice).

    >>> clean_text("Contact Hebdo — le magazine (fictif) des centres de contact, du BPO et de l'expérience client.\\n"
    ...            "Titre\\nTitre\\nL’IA arrive sur les plateaux.\\nA lire aussi\\nUn autre titre\\n×", title="Titre")
    "L'IA arrive sur les plateaux."
    """
    return clean_text_and_chrome(raw, title, classifier=classifier, repaired=repaired)[0]


def clean_text_and_chrome(raw: str, title: str | None = None, *, classifier: BoilerplateClassifier | None = None,
                          repaired: str | None = None) -> tuple[str, list[str]]:
    """clean_text, and the recurring lines only the classifier's corpus chrome removed
    (boilerplate_removal: those the lexicon alone would have kept), for the load report."""
    if raw is None:
        return "", []
    if not isinstance(raw, str):
        raise TypeError(f"clean_text expects str, got {type(raw).__name__}; decode bytes first")
    classifier = _classifier_for(None, classifier)
    title = repair_unicode(title) if title else None
    text, chrome = boilerplate_removal(repaired if repaired is not None else _repair_once(raw, "remove"),
                                       title=title, classifier=classifier)
    # A removed shortcode or emoji can expose an entity or mojibake: clean until stable.
    for _ in range(5):
        if not _may_repair_again(text) or (repaired := repair_unicode(text)) == text:
            break
        text = remove_boilerplate(repaired, title=title, classifier=classifier)
    return text, chrome


_INNER_SENTENCE_END = re.compile(r"[.!?] [A-ZÀ-ÖØ-Þ]")
_TITLE_PUNCT = re.compile(r" : |[?!«»,]")
_CAPITALISED = re.compile(r"^[A-ZÀ-ÖØ-Þ]")


def _title_score(line: str, rank: int) -> float:
    """Higher for lines shaped like a headline, lower for outlet names (Title Case, no punctuation)."""
    words = line.split()
    long_words = [w for w in words if len(w) > 3]
    score = 0.3 * min(len(words), 15) - 1.5 * rank
    if _TITLE_PUNCT.search(line):
        score += 3
    elif sum(bool(_CAPITALISED.match(w)) for w in long_words) >= 0.5 * len(long_words):
        score -= 3
    return score


def _is_paragraph(line: str) -> bool:
    """A line that starts the article body rather than a headline (long, or a full sentence)."""
    words = line.count(" ") + 1
    return words > 25 or (
        words >= 12 and (line.endswith(".") or bool(_INNER_SENTENCE_END.search(line)))
    )


def guess_title(
    raw: str, *, patterns: Boilerplate | None = None, classifier: BoilerplateClassifier | None = None
) -> str | None:
    """The title of a raw capture: the line repeated near the top, else the most headline-like top line.

    >>> guess_title("Le Journal\\nCentres d'appels : l'IA arrive\\nPublié le 3 mars 2015\\n"
    ...             "Centres d'appels : l'IA arrive\\nLe secteur recrute encore, malgré tout, à Lille et ailleurs.")
    "Centres d'appels : l'IA arrive"
    """
    classifier = _classifier_for(patterns, classifier)
    head = repair_unicode(raw[:8000])
    lines = head.split("\n")[:80]
    bp = classifier.lexicon
    if bp.inline is not None and any(t in head for t in bp.inline_triggers):  # else strip_inline keeps each line
        lines = [strip_inline(x, patterns=bp) for x in lines]
    top = [line for line in lines if line.strip()]
    recurring = classifier.recurring.chrome_mask(top)  # lines other articles of the corpus repeat
    text_lines = [(line, shared) for line, shared in zip(top, recurring, strict=True)
                  if not classifier.classify(line)][:15]
    keys = [_line_key(line) for line, _ in text_lines]
    for (line, _), key in zip(text_lines, keys, strict=True):
        if keys.count(key) > 1 and 2 <= line.count(" ") + 1 <= 40:
            return line
    candidates = []
    for line, shared in text_lines:
        if _is_paragraph(line):
            break
        if line.count(" ") >= 1 and not line.endswith((",", ";", ":")):
            candidates.append((line, shared))
    # The article's own heading first: a line other articles repeat is a masthead, unless nothing else
    # is shaped like a heading (a title shared with a republication); a sentence comes last.
    for keep in (lambda shared, line: not shared and not line.endswith("."),
                 lambda shared, line: not line.endswith("."),
                 lambda shared, line: not shared):
        scored = [(_title_score(line, rank), -rank, line)
                  for rank, (line, shared) in enumerate(candidates[:8]) if keep(shared, line)]
        if scored:
            return max(scored)[2]
    text_lines = [line for line, shared in text_lines if not shared]
    first = text_lines[0] if text_lines else None
    return first if first and first.count(" ") < 40 else None
