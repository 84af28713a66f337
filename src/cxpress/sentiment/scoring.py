"""Scoring target sentences: scorers by name (the learned classifier by default) and score_sentences,
memoised on request."""

from __future__ import annotations

from dataclasses import is_dataclass

import numpy as np
import pandas as pd

from cxpress.config import LEXICONS
from cxpress.memory import MemoryLike, files_version, memoise, source_version, text_key
from cxpress.sentiment.classifier import ClassifierScorer
from cxpress.sentiment.scorers import LABELS, LexiconScorer, MajorityScorer, RuleScorer, Scorer

SCORERS = {"rules": RuleScorer, "lexicon": LexiconScorer, "majority": MajorityScorer}


def make_scorer(name: str, **settings) -> Scorer:
    """A scorer by name: "classifier" (learned from data/labels, notebook 04's default), "rules"
    (lexicons and French grammar), "lexicon" (raw textblob-fr) or "majority"; `settings` go to its constructor."""
    scorers = {"classifier": ClassifierScorer, **SCORERS}
    if name not in scorers:
        raise ValueError(
            f"unknown scorer {name!r}: use one of {sorted(scorers)} or pass a callable"
        )
    return scorers[name](**settings)


def _scores(scorer: Scorer, texts: list[str], targets: list[str], memory: MemoryLike) -> pd.DataFrame:
    """The scorer's frame, memoised when a memory is given and the scorer is a dataclass (its repr
    then names all its settings), keyed by the texts, the settings, the lexicon files and this code."""
    if not is_dataclass(scorer):
        return scorer(texts, targets)

    def key() -> str:
        code = source_version("sentiment.scorers", "sentiment.scoring", "sentiment.rules", "sentiment.hits", "sentiment.lexicon",
                              "text.tokens")
        trained = scorer.training_key() if hasattr(scorer, "training_key") else ""  # learned scorers
        return text_key("scores", code, files_version(LEXICONS), repr(scorer), trained, texts,
                        [str(t) for t in targets])

    return memoise(memory, key, lambda: scorer(texts, targets))


def score_sentences(
    df: pd.DataFrame, scorer: Scorer | str | None = None, *, column: str | None = None,
    memory: MemoryLike = None,
) -> pd.DataFrame:
    """`df` plus label and score columns; scores `context` when present (window > 0), else `sentence`
    (default scorer: the classifier learned from data/labels, make_scorer("classifier"); "rules" is
    the lexicon-and-grammar alternative).

    `memory` (a folder or joblib.Memory) memoises the scores of the built-in scorers: a report
    rerun on the same sentences reads them back.
    """
    column = column or ("context" if "context" in df.columns else "sentence")
    missing = [c for c in (column, "target") if c not in df.columns]
    if missing:
        raise ValueError(
            f"cannot score: column(s) {missing} missing; pass target_sentences() output"
        )
    scorer = make_scorer(scorer if isinstance(scorer, str) else "classifier") if not callable(scorer) else scorer
    out = df.drop(columns=["label", "score"], errors="ignore").reset_index(drop=True)
    if out.empty:
        return out.assign(label=pd.Series(dtype=object), score=pd.Series(dtype=float))
    texts, targets, which = distinct_pairs(out[column].tolist(), out["target"].tolist())
    result = _scores(scorer, texts, targets, memory)
    if len(result) != len(texts) or not set(result["label"]) <= set(LABELS):
        raise ValueError(
            f"scorer returned {len(result)} rows for {len(texts)} sentences, or labels "
            f"outside {LABELS}: a scorer must return one (label, score) per sentence"
        )
    return out.assign(label=result["label"].to_numpy()[which],
                      score=result["score"].to_numpy(dtype=float)[which])


def distinct_pairs(texts: list[str], targets: list) -> tuple[list[str], list, np.ndarray]:
    """The distinct (text, target) pairs in order of first appearance, and each row's pair: a
    sentence repeated across articles (syndication, templates) is scored once."""
    first: dict[tuple, int] = {}
    which = np.fromiter((first.setdefault(pair, len(first)) for pair in zip(texts, targets, strict=True)),
                        dtype=np.intp, count=len(texts))
    return [text for text, _ in first], [target for _, target in first], which
