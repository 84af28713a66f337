"""Sentence splitting: the regex pass of sentence_spans gives the offsets of the earlier per-match search."""

from __future__ import annotations

import random
import re

import pytest

from cxpress.sentiment.targets import _BOUNDARY, load_abbreviations, sentence_spans

# The implementation before the lookahead and the reversed-word match, kept as the reference.
_OLD_BOUNDARY = re.compile(_BOUNDARY.pattern.removeprefix("(?=[.!?…])"))
_OLD_WORD_BEFORE = re.compile(r"([^\W\d_](?:[\w.\-]*[^\W\d_])?)$")


def _old_is_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    match = _OLD_WORD_BEFORE.search(text, max(dot - 40, 0), dot)
    if not match:
        return False
    word = match.group(1)
    if word in abbreviations or re.match(r"^(?:[^\W\d_]\.)+[^\W\d_]$", word):
        return True
    return len(word) == 1 and word.isupper()


def _old_sentence_spans(text: str) -> list[tuple[int, int]]:
    abbreviations = load_abbreviations()
    spans, line_start = [], 0
    for line in text.split("\n"):
        cuts = [0]
        for m in _OLD_BOUNDARY.finditer(line):
            if m.group("end") == "." and _old_is_abbreviation(line, m.start("end"), abbreviations):
                continue
            cuts.append(m.start("space"))
        cuts.append(len(line))
        for a, b in zip(cuts, cuts[1:], strict=False):
            chunk = line[a:b]
            stripped = chunk.strip()
            if stripped:
                start = line_start + a + (len(chunk) - len(chunk.lstrip()))
                spans.append((start, start + len(stripped)))
        line_start += len(line) + 1
    return spans


# Pieces that meet every branch: abbreviations, initials, dotted acronyms, digits and dashes in
# words, quotes and brackets after the stop, lower case after it, non-breaking spaces, line breaks.
PIECES = ["Le", "centre", "M.", "Dupont", "J.-C.", "I.A.", "S.A.", "etc.", "p.", "X.", "x.", "B2B.", "e-mail.",
          "a.b.c.", "2024.", "«", "»", "(", ")", "\"", "”", "—", "–", "-", ".", "...", "…", "?!", "!", "?",
          " ", " ", " ", "\u00a0", "\u202f", "\n", "\n\n", "Été", "été", "À", "9", "l'IA.", "Mme.", "abcdefghij" * 5]


@pytest.mark.parametrize("seed", range(300))
def test_sentence_spans_equal_the_earlier_search_on_random_text(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(PIECES) + rng.choice(["", " ", " ", "\u00a0"]) for _ in range(rng.randint(0, 80)))
    assert sentence_spans(text) == _old_sentence_spans(text)


def test_abbreviations_still_hold_a_sentence_together():
    text = "M. Dupont dirige le centre. Il parle de l'I.A. Depuis 2020, etc. Fin."
    assert sentence_spans(text) == _old_sentence_spans(text)
    assert [text[a:b] for a, b in sentence_spans(text)][0] == "M. Dupont dirige le centre."
