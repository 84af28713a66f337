"""The learned scorer: logistic regression over word, character and rule features, trained on the
labelled sentences shipped in data/labels (never downloaded), at first use, memoised by content.

The rules (cxpress.sentiment.rules) stay a named scorer and feed the classifier as features.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from cxpress.config import DATA, LEXICONS, MEMO
from cxpress.memory import MemoryLike, files_version, memoise, source_version, text_key
from cxpress.parallel import chunked_map
from cxpress.sentiment.features import FeatureSettings, build_features
from cxpress.sentiment.scorers import LABELS

LABELS_DIR = DATA / "labels"
# The shipped training sets: original sentences written and double-labelled for the project.
TRAINING_FILES = ("sentiment_train.jsonl", "sentiment_own.jsonl", "sentiment_own_holdout.jsonl")
DEFAULT_SETTINGS = FeatureSettings()
LABELLED_COLUMNS = ["id", "doc_id", "target", "sentence", "label", "group"]
# ~0.15 ms per sentence in one process; workers add ~1 s of imports each and score cold caches:
# the 10k corpus's 20k distinct sentences took 3.1 s of CPU in one process, 5.0-5.4 s on two
CLASSIFY_PARALLEL_MIN = 40_000


def read_labelled(path: str | Path, group: str | None = None) -> pd.DataFrame:
    """A labelled JSONL file (ANNOTATION.md format) as id, doc_id, target, sentence, label, group;
    `group` is the file's `register` when it has one, else `group` (default: the file's stem); a
    missing doc_id is the sentence's id. Rows whose label is still empty (a sample being labelled)
    are left out."""
    path = Path(path)
    table = pd.read_json(path, lines=True, dtype={"label": str, "id": str})
    missing = [c for c in ("target", "sentence", "label") if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: column(s) {missing} missing (format: ANNOTATION.md)")
    table["label"] = table["label"].fillna("").astype(str).str.strip().str.lower()
    table = table[table["label"] != ""]
    unknown = sorted(set(table["label"]) - set(LABELS))
    if unknown:
        raise ValueError(f"{path}: unknown label(s) {unknown}; use {LABELS}")
    if "register" in table.columns and group is None:
        table = table.assign(group=table["register"])
    else:
        table = table.assign(group=group or path.stem)
    if "id" not in table.columns:
        table = table.assign(id=[f"{path.stem}-{k}" for k in range(len(table))])
    if "doc_id" not in table.columns:
        table = table.assign(doc_id=table["doc"] if "doc" in table.columns else table["id"])
    return table[LABELLED_COLUMNS].reset_index(drop=True)


def training_sentences(extra: Sequence[str | Path] = ()) -> pd.DataFrame:
    """The shipped labelled sentences (data/labels), then those of the `extra` files."""
    paths = [LABELS_DIR / name for name in TRAINING_FILES] + [Path(p) for p in extra]
    return pd.concat([read_labelled(p) for p in paths], ignore_index=True)


def make_model(settings: FeatureSettings = DEFAULT_SETTINGS, c: float = 30.0, seed: int = 0) -> Pipeline:
    """An untrained classifier: the feature blocks of `settings`, then a multinomial logistic
    regression with classes weighted by their inverse frequency (macro-F1 counts each class alike)."""
    return Pipeline([("features", build_features(settings)),
                     ("model", LogisticRegression(C=c, class_weight="balanced", max_iter=5000,
                                                  random_state=seed))])


def fit_model(labelled: pd.DataFrame, settings: FeatureSettings = DEFAULT_SETTINGS, c: float = 30.0,
              seed: int = 0) -> Pipeline:
    """make_model() trained on the rows of `labelled` (sentence, target, label) in a fixed order."""
    ordered = labelled.sort_values(["sentence", "target", "label"], kind="stable")
    with threadpool_limits(1):  # BLAS threads only slow a fit this small down, the more so on busy cores
        return make_model(settings, c, seed).fit(ordered[["sentence", "target"]], ordered["label"])


def _classify(pairs: list[tuple[str, str]], model: Pipeline) -> list[list[float]]:
    """P(label) rows of a chunk of (sentence, target) pairs (runs in a worker on large inputs)."""
    with threadpool_limits(1):
        return model.predict_proba(pd.DataFrame(pairs, columns=["sentence", "target"])).tolist()


def predict_probabilities(model: Pipeline, sentences: Sequence[str], targets: Sequence[str], *,
                          n_jobs: int | None = None) -> pd.DataFrame:
    """A trained model's P(label) of each sentence, one column per label of LABELS (on both cores
    from CLASSIFY_PARALLEL_MIN sentences, in chunks of 4000: the pickled model travels with each)."""
    pairs = list(zip(sentences, targets, strict=True))
    rows = chunked_map(_classify, pairs, model, n_jobs=n_jobs, chunk=4000, min_items=CLASSIFY_PARALLEL_MIN)
    return pd.DataFrame(np.asarray(rows, dtype=float).reshape(len(pairs), len(model.classes_)),
                        columns=model.classes_)[list(LABELS)]


@dataclass
class ClassifierScorer:
    """Supervised scorer: label = most probable class, score = P(positive) - P(negative) in [-1, 1].

    Trained on data/labels (plus `extra_labels`, JSONL files in the ANNOTATION.md format, e.g. a
    sample of the user's corpus labelled by hand) on first use; the trained model is stored in
    `memory` (a folder or joblib.Memory, default data/processed/memo; None: kept in this object
    only), keyed by the training files, lexicons, code and settings, so a rerun reads it back.
    """

    c: float = 30.0
    settings: FeatureSettings = field(default_factory=FeatureSettings)
    extra_labels: tuple[str, ...] = ()
    seed: int = 0
    memory: MemoryLike = field(default=MEMO, repr=False, compare=False)
    # worker processes (None: both cores from CLASSIFY_PARALLEL_MIN sentences); not part of the scores
    n_jobs: int | None = field(default=None, repr=False, compare=False)
    _model: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def training_key(self) -> str:
        """A digest of everything the trained model depends on: files, lexicons, code, settings."""
        paths = [LABELS_DIR / name for name in TRAINING_FILES] + [Path(p) for p in self.extra_labels]
        code = source_version("sentiment.classifier", "sentiment.features", "sentiment.rules",
                              "sentiment.hits", "sentiment.lexicon", "text.tokens")
        contents = [p.read_bytes().decode("utf-8", "surrogateescape") for p in paths]
        return text_key("classifier", code, files_version(LEXICONS), repr(self), contents)

    def model(self) -> Pipeline:
        """The trained pipeline (trained once per settings and training files, then reused)."""
        key = self.training_key()
        if self._model is None or self._model[0] != key:
            fitted = memoise(self.memory, key, lambda: fit_model(
                training_sentences(self.extra_labels), self.settings, self.c, self.seed))
            self._model = (key, fitted)
        return self._model[1]

    def probabilities(self, sentences: Sequence[str], targets: Sequence[str]) -> pd.DataFrame:
        """P(label) of each sentence, one column per label of LABELS."""
        return predict_probabilities(self.model(), sentences, targets, n_jobs=self.n_jobs)

    def __call__(self, sentences: Sequence[str], targets: Sequence[str]) -> pd.DataFrame:
        proba = self.probabilities(sentences, targets)
        labels = np.asarray(LABELS, dtype=object)[proba.to_numpy().argmax(axis=1)] if len(proba) else []
        return pd.DataFrame({"label": labels, "score": proba["positive"] - proba["negative"]})
