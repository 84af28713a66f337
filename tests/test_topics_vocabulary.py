"""The capitalised-word pattern of the artefact rules finds what the earlier look-behind-first pattern found."""

from __future__ import annotations

import random
import re

import pytest

from cxpress.topics.vocabulary import CAPITALISED

EARLIER = re.compile(r"(?<=[\w,;)] )[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ][\w-]*")
PIECES = ["Maroc", "maroc", "ÉTAT", "Émile", "Ça", "l'IA", "a", "9", ",", ";", ")", "(", ".", " ", "  ", "\n", "-",
          "Jean-Marc", "Xavier", "x", "É", "Øresund", "Þ"]


@pytest.mark.parametrize("seed", range(200))
def test_capitalised_words_match_the_earlier_pattern_on_random_text(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 60)))
    assert CAPITALISED.findall(text) == EARLIER.findall(text)


def test_a_sentence_start_is_not_a_name():
    assert CAPITALISED.findall("Le centre de Rabat, Maroc. Il recrute") == ["Rabat", "Maroc"]
