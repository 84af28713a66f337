"""Polarity toward AI and offshoring: pluggable sentence scorers (rules, raw lexicon, majority;
the learned one is in cxpress.sentiment.classifier)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from cxpress.parallel import chunked_map
from cxpress.sentiment.hits import WordCache
from cxpress.sentiment.lexicon import load_lexicons
from cxpress.sentiment.rules import RuleParams, score_sentence

__all__ = [
    "LABELS",
    "Scorer",
    "RuleScorer",
    "LexiconScorer",
    "MajorityScorer",
]

LABELS = ("negative", "neutral", "positive")


def label_codes(labels) -> np.ndarray:
    """The index of each label in LABELS (-1 for anything else): confusion counts with numpy."""
    codes = {label: i for i, label in enumerate(LABELS)}
    return np.array([codes.get(x, -1) for x in labels], dtype=int)


class Scorer(Protocol):
    """Anything that maps sentences (and the target each one mentions) to a label and a score in [-1, 1]."""

    def __call__(self, sentences: Sequence[str], targets: Sequence[str]) -> pd.DataFrame:
        """A frame with columns label (one of LABELS) and score, one row per sentence, in order."""
        ...


def _labels_from_scores(
    scores: np.ndarray, positive_above: float, negative_below: float
) -> np.ndarray:
    """negative / neutral / positive from a score and the edges of the neutral band."""
    return np.where(
        scores > positive_above,
        "positive",
        np.where(scores < negative_below, "negative", "neutral"),
    )


SCORE_PARALLEL_MIN = 8000  # sentences; below, starting workers costs more than scoring (~0.25 ms each)


def _rule_scores(sentences: list[str], cache: WordCache, params: RuleParams) -> list[float]:
    """RuleScorer scores of a chunk of sentences (runs in a worker process on large inputs; the
    loaded lexicons travel with the chunk in an empty cache, so workers do not rebuild them)."""
    return [score_sentence(s, cache.lex, params, cache)[0] for s in sentences]


@dataclass
class RuleScorer:
    """Domain + general lexicon with French negation, intensifiers and concession (cxpress.sentiment.rules).

    A sentence is polar only when its score leaves the neutral band; the band was chosen on half
    of the development set and checked by 5-fold cross-validation by article (notebook 04).
    """

    general: str = "pattern"
    lexicon_path: str | Path | None = None
    params: RuleParams = field(default_factory=RuleParams)
    positive_above: float = 0.2
    negative_below: float = -0.15
    general_weight: float = 0.5
    # worker processes (None: both cores from SCORE_PARALLEL_MIN sentences); not part of the scores
    n_jobs: int | None = field(default=None, repr=False, compare=False)
    _loaded: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def word_cache(self) -> WordCache:
        """What this scorer's lexicons (`.lex`, read from the files on first use and after a setting
        changes: a new RuleScorer reads edited files) say of each word scored so far."""
        settings = (self.general, self.lexicon_path, self.general_weight)
        if self._loaded is None or self._loaded[0] != settings:
            self._loaded = (settings, WordCache(load_lexicons(*settings)))
        return self._loaded[1]

    def __call__(
        self, sentences: Sequence[str], targets: Sequence[str] | None = None
    ) -> pd.DataFrame:
        scores = np.array(chunked_map(_rule_scores, list(sentences), self.word_cache(), self.params,
                                      n_jobs=self.n_jobs, min_items=SCORE_PARALLEL_MIN), dtype=float)
        labels = _labels_from_scores(scores, self.positive_above, self.negative_below)
        return pd.DataFrame({"label": labels, "score": scores})

    def explain(self, sentence: str) -> pd.DataFrame:
        """The opinion words behind one sentence's score, with the factor the rules applied to each."""
        cache = self.word_cache()
        _, hits = score_sentence(sentence, cache.lex, self.params, cache)
        return pd.DataFrame(
            [
                {
                    "words": h.text,
                    "valence": h.valence,
                    "factor": round(h.factor, 3),
                    "value": round(h.value, 3),
                }
                for h in hits
            ],
            columns=["words", "valence", "factor", "value"],
        )


@dataclass
class LexiconScorer:
    """The raw off-the-shelf baseline: textblob-fr's Pattern analyser polarity, sign = label."""

    band: float = 0.0

    def __call__(
        self, sentences: Sequence[str], targets: Sequence[str] | None = None
    ) -> pd.DataFrame:
        from textblob_fr import PatternAnalyzer

        analyzer = PatternAnalyzer()
        scores = np.array([analyzer.analyze(s)[0] for s in sentences], dtype=float)
        return pd.DataFrame(
            {"label": _labels_from_scores(scores, self.band, -self.band), "score": scores}
        )


@dataclass
class MajorityScorer:
    """The plain baseline: every sentence gets the same (most frequent) label and a score of 0."""

    label: str = "neutral"

    def __call__(
        self, sentences: Sequence[str], targets: Sequence[str] | None = None
    ) -> pd.DataFrame:
        return pd.DataFrame(
            {"label": [self.label] * len(sentences), "score": np.zeros(len(sentences))}
        )
