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
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler, normalize

from cxpress.config import LEXICONS
from cxpress.memory import files_version
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


SENTENCES_MAX = 200_000  # sentences whose rule features are remembered per lexicon (~40 MB at most)
_SHARED_RULES: dict[str, RuleScorer] = {}


def _default_rules() -> RuleScorer:
    """One rule scorer per process and version of the lexicon files, shared by every fit: each fold of
    a leave-one-group-out refit read the lexicons again (11 folds: 1.9 s of 12); an edited file gives
    a new scorer."""
    version = files_version(LEXICONS)
    if version not in _SHARED_RULES:
        _SHARED_RULES.clear()
        _SHARED_RULES[version] = RuleScorer(n_jobs=1)
    return _SHARED_RULES[version]


def _hit_counts(sentence: str, rules: RuleScorer) -> list[float]:
    """Rule score and hit statistics of one sentence (see RULE_FEATURES), remembered per lexicon."""
    cache = rules.word_cache()
    key = (sentence, rules.params)
    found = cache.sentences.get(key)
    if found is None:
        score, hits = score_sentence(sentence, cache.lex, rules.params, cache)
        values = [h.value for h in hits]
        found = [score, sum(v for v in values if v > 0), sum(v for v in values if v < 0),
                 sum(h.valence > 0 for h in hits), sum(h.valence < 0 for h in hits),
                 sum(h.factor < 0 for h in hits), sum(h.factor == 0 for h in hits)]
        if len(cache.sentences) >= SENTENCES_MAX:
            cache.sentences.clear()
        cache.sentences[key] = found
    return found


class RuleFeatures(BaseEstimator, TransformerMixin):
    """Dense features: the rule scorer's score and hits, and cues the words miss (question, quotation,
    a figure, which target): the rules' knowledge of French negation and concession, as evidence."""

    def __init__(self, rules: RuleScorer | None = None):
        self.rules = rules

    def fit(self, X: pd.DataFrame, y=None) -> RuleFeatures:
        self.rules_ = self.rules if self.rules is not None else _default_rules()
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


def _char_ngrams(word: str, low: int, high: int) -> list[str]:
    """The n-grams scikit-learn's analyzer="char_wb" takes from one word (padded with spaces)."""
    padded, grams = f" {word} ", []
    for n in range(low, high + 1):
        grams += [padded[k : k + n] for k in range(max(len(padded) - n + 1, 1))]
        if len(padded) <= n:  # a short word counts once
            break
    return grams


WORDS_MAX = 50_000  # distinct words whose n-grams are remembered per process (~30 MB of French words)


class _GramIndex:
    """The character n-grams of the words met so far, numbered once per process: the 11 folds of a
    leave-one-group-out refit, and each fit's transform, cut the same words again (40 % of a refit)."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.ids: dict[str, int] = {}  # n-gram -> number, in order of first sight
        self.grams: list[str] = []
        self.words: dict[tuple[int, int], dict[str, np.ndarray]] = {}  # per n-gram range

    def of_words(self, types: list[str], ngram_range: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """(position in `types`, n-gram number) of every n-gram of each word, repeats kept, in
        _char_ngrams order: the pairs the former per-word loop made."""
        if sum(map(len, self.words.values())) + len(types) > WORDS_MAX:
            self.clear()
        known = self.words.setdefault(tuple(ngram_range), {})
        arrays = []
        for word in types:
            ids = known.get(word)
            if ids is None:
                ids = known[word] = np.array([self._number(g) for g in _char_ngrams(word, *ngram_range)],
                                             dtype=np.int32)
            arrays.append(ids)
        lengths = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
        grams = np.concatenate(arrays) if arrays else np.empty(0, dtype=np.int32)
        return np.repeat(np.arange(len(types)), lengths), grams

    def _number(self, gram: str) -> int:
        number = self.ids.get(gram)
        if number is None:
            number = self.ids[gram] = len(self.grams)
            self.grams.append(gram)
        return number


_GRAMS = _GramIndex()


class CharNgrams(BaseEstimator, TransformerMixin):
    """TF-IDF of character n-grams inside words: TfidfVectorizer(analyzer="char_wb", sublinear_tf=True,
    min_df=...) over normalise_sentence(), computed once per distinct word of a batch and summed per
    sentence by a sparse product (words repeat: ~10x faster than the per-sentence analyzer)."""

    def __init__(self, ngram_range: tuple[int, int] = (2, 5), min_df: int = 2):
        self.ngram_range = ngram_range
        self.min_df = min_df

    def _counts(self, sentences, vocabulary: dict[str, int] | None) -> sp.csr_matrix:
        """n-gram counts (sentences x vocabulary), n-grams outside the vocabulary dropped; None:
        every n-gram, numbered as in _GRAMS (fit)."""
        types: dict[str, int] = {}
        rows, cols = [], []
        for i, sentence in enumerate(sentences):
            for word in normalise_sentence(sentence).split():
                rows.append(i)
                cols.append(types.setdefault(word, len(types)))
        g_rows, g_cols = _GRAMS.of_words(list(types), self.ngram_range)
        if vocabulary is None:
            width = len(_GRAMS.grams)
        else:
            width = len(vocabulary)
            column = np.full(len(_GRAMS.grams), -1, dtype=np.int64)
            for gram, j in vocabulary.items():
                number = _GRAMS.ids.get(gram)
                if number is not None:
                    column[number] = j
            g_cols = column[g_cols]
            g_rows, g_cols = g_rows[g_cols >= 0], g_cols[g_cols >= 0]
        words = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sentences), len(types)))
        grams = sp.csr_matrix((np.ones(len(g_rows)), (g_rows, g_cols)), shape=(len(types), width))
        return (words @ grams).tocsr()

    def fit(self, X, y=None) -> CharNgrams:
        counts = self._counts(list(X), None)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        # df > 0: the index also numbers n-grams of words other batches met, absent from this one
        kept = sorted(_GRAMS.grams[j] for j in np.flatnonzero((df >= self.min_df) & (df > 0)))
        self.vocabulary_ = {gram: k for k, gram in enumerate(kept)}
        kept_df = df[[_GRAMS.ids[gram] for gram in kept]]
        self.idf_ = np.log((1 + counts.shape[0]) / (1 + kept_df)) + 1
        return self

    def transform(self, X) -> sp.csr_matrix:
        # in place: each fresh copy of the ~7M-entry block of the 10k corpus cost ~0.3 s of page faults.
        # The idf product stays a matrix product (not data *= idf[indices]): it keeps each row's order,
        # which the norm's sum follows to the last bit.
        counts = self._counts(list(X), self.vocabulary_)
        np.log(counts.data, out=counts.data)
        counts.data += 1
        weighted = counts @ sp.diags(self.idf_)
        del counts
        return normalize(weighted, norm="l2", copy=False)


@dataclass(frozen=True)
class FeatureSettings:
    """Which feature blocks the classifier reads (chosen by leave-one-group-out macro-F1 on the shipped
    labels: characters + rules beat the other combinations tried; the commit log has the figures)."""

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
        blocks.append(("chars", CharNgrams(settings.char_range, settings.min_df), "sentence"))
    if settings.rules:
        blocks.append(("rules", make_pipeline(RuleFeatures(), StandardScaler()), ["sentence", "target"]))
    if not blocks:
        raise ValueError("FeatureSettings selects no feature block")
    return ColumnTransformer(blocks)
