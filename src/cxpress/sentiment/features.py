"""Features of a target sentence for the learned scorer: negation-marked words, character n-grams,
the rule scorer's verdict and hits, and target-aware cues (which target, question, quote, figure).

Each block is a scikit-learn transformer over a frame with `sentence` and `target` columns, so the
classifier (cxpress.sentiment.classifier) is one Pipeline that pickles, caches and cross-validates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from cxpress.sentiment.hits import is_mark
from cxpress.sentiment.rules import score_sentence
from cxpress.sentiment.scorers import RuleScorer
from cxpress.text.tokens import split_words

# Words that open a negation scope, and what closes one before the punctuation does.
NEGATORS = frozenset({"ne", "n'", "pas", "jamais", "sans", "aucun", "aucune", "ni", "non"})
_CLAUSE_END = re.compile(r"[,;:!?.()«»\"“”…]|\s[-–—]\s|(?=\bmais\b)")
_FIGURE = re.compile(r"\d")
TARGETS = ("ai", "offshoring")
RULE_FEATURES = ["rule_score", "positive_sum", "negative_sum", "n_positive", "n_negative", "n_flipped",
                 "n_muted", "question", "quote", "figure", *(f"target_{t}" for t in TARGETS)]


def normalise_sentence(sentence: str) -> str:
    """NFC, typographic apostrophe as "'", lower case: what the n-gram features read."""
    return unicodedata.normalize("NFC", sentence).replace("\u2019", "'").lower()


def mark_negation(sentence: str) -> list[str]:
    """Lower-cased words, those after a negator up to the end of the clause prefixed with "NEG_"
    ("n'a pas tenu ses promesses" -> "n'", "a", "pas", "NEG_tenu", "NEG_ses", "NEG_promesses")."""
    words: list[str] = []
    for clause in _CLAUSE_END.split(normalise_sentence(sentence)):
        negated = False
        for word in split_words(clause):
            words.append(f"NEG_{word}" if negated and word not in NEGATORS else word)
            negated = negated or word in NEGATORS
    return words


def _hit_counts(sentence: str, rules: RuleScorer) -> list[float]:
    """Rule score and hit statistics of one sentence (see RULE_FEATURES)."""
    cache = rules.word_cache()
    score, hits = score_sentence(sentence, cache.lex, rules.params, cache)
    values = [h.value for h in hits]
    return [score, sum(v for v in values if v > 0), sum(v for v in values if v < 0),
            sum(h.valence > 0 for h in hits), sum(h.valence < 0 for h in hits),
            sum(h.factor < 0 for h in hits), sum(h.factor == 0 for h in hits)]


class RuleFeatures(BaseEstimator, TransformerMixin):
    """Dense features: the rule scorer's score and hits, and cues the words miss (question, quotation,
    a figure, which target): the rules' knowledge of French negation and concession, as evidence."""

    def __init__(self, rules: RuleScorer | None = None):
        self.rules = rules

    def fit(self, X: pd.DataFrame, y=None) -> RuleFeatures:
        self.rules_ = self.rules if self.rules is not None else RuleScorer(n_jobs=1)
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        rows = []
        for sentence, target in zip(X["sentence"], X["target"], strict=True):
            tail = sentence.rstrip(" \u00a0\u202f»\"”)")
            cues = [tail.endswith("?"), any(q in sentence for q in "«“\""), bool(_FIGURE.search(sentence))]
            rows.append(_hit_counts(sentence, self.rules_) + cues + [target == t for t in TARGETS])
        return np.asarray(rows, dtype=float).reshape(len(rows), len(RULE_FEATURES))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.asarray(RULE_FEATURES, dtype=object)


@dataclass(frozen=True)
class FeatureSettings:
    """Which feature blocks the classifier reads, and their sizes (chosen by grouped CV, notebook 04)."""

    words: bool = False  # negation-marked word uni- and bigrams (no gain in grouped CV over chars + rules)
    chars: bool = True  # character 2-5-grams inside words: inflections and unseen compounds
    rules: bool = True  # RuleFeatures
    char_range: tuple[int, int] = (2, 5)
    min_df: int = 2


def _words_analyzer(sentence: str) -> list[str]:
    """Negation-marked unigrams and bigrams of a sentence (punctuation dropped)."""
    words = [w for w in mark_negation(sentence) if not is_mark(w.removeprefix("NEG_"))]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def build_features(settings: FeatureSettings = FeatureSettings()) -> ColumnTransformer:
    """The feature blocks of `settings` side by side, over a frame with `sentence` and `target`."""
    blocks = []
    if settings.words:
        blocks.append(("words", TfidfVectorizer(analyzer=_words_analyzer, min_df=settings.min_df,
                                                sublinear_tf=True), "sentence"))
    if settings.chars:
        blocks.append(("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=settings.char_range,
                                                preprocessor=normalise_sentence, min_df=settings.min_df,
                                                sublinear_tf=True), "sentence"))
    if settings.rules:
        blocks.append(("rules", make_pipeline(RuleFeatures(), StandardScaler()), ["sentence", "target"]))
    if not blocks:
        raise ValueError("FeatureSettings selects no feature block")
    return ColumnTransformer(blocks)
