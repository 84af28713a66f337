"""score_sentences scores each distinct (sentence, target) once and gives every row its pair's result."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from cxpress.sentiment import RuleScorer, score_sentences
from cxpress.sentiment.scoring import distinct_pairs

SENTENCES = ["L'IA améliore nettement le service client.", "La délocalisation a été un échec coûteux.",
             "Le centre d'appels au Maroc recrute.", "Le chatbot n'a pas tenu ses promesses."]


def test_distinct_pairs_rebuild_every_row_on_random_inputs():
    rng = random.Random(0)
    for _ in range(200):
        texts = [rng.choice("abcd") for _ in range(rng.randint(0, 30))]
        targets = [rng.choice(["ai", "offshoring"]) for _ in texts]
        first_texts, first_targets, which = distinct_pairs(texts, targets)
        assert len(set(zip(first_texts, first_targets, strict=True))) == len(first_texts)
        assert [first_texts[i] for i in which] == texts
        assert [first_targets[i] for i in which] == targets


def test_repeated_sentences_are_scored_once_with_the_same_result():
    calls = []

    def scorer(sentences, targets):
        calls.append(list(zip(sentences, targets, strict=True)))
        return RuleScorer(n_jobs=1)(sentences, targets)

    rng = random.Random(1)
    rows = [(rng.choice(SENTENCES), rng.choice(["ai", "offshoring"])) for _ in range(60)]
    df = pd.DataFrame(rows, columns=["sentence", "target"])
    scored = score_sentences(df, scorer)
    assert calls[0] == list(dict.fromkeys(rows))
    one_by_one = RuleScorer(n_jobs=1)(df["sentence"].tolist(), df["target"].tolist())
    np.testing.assert_array_equal(scored["score"].to_numpy(), one_by_one["score"].to_numpy())
    assert scored["label"].tolist() == one_by_one["label"].tolist()
