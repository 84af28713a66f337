"""Honest accuracy estimates of a scorer: leave-one-group-out predictions (a group is a register,
an outlet or a labelled set, so a fold is a proxy for a new source), macro-F1 per held-out group
with a bootstrap CI, calibration of the predicted probabilities, and the confusion rates that
correct the yearly shares (cxpress.sentiment.by_year)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import LeaveOneGroupOut

from cxpress.memory import MemoryLike, memoise, source_version, text_key
from cxpress.sentiment.classifier import ClassifierScorer, fit_model, predict_probabilities
from cxpress.sentiment.scorers import LABELS, Scorer, label_codes
from cxpress.sentiment.scoring import score_sentences


def _from_probabilities(proba: pd.DataFrame) -> pd.DataFrame:
    """p_<label> columns, the most probable label as `predicted` and P(positive) - P(negative)."""
    labels = np.asarray(LABELS, dtype=object)[proba.to_numpy().argmax(axis=1)]
    return proba.add_prefix("p_").assign(predicted=labels, score=proba["positive"] - proba["negative"])


def grouped_predictions(labelled: pd.DataFrame, scorer: Scorer, *, group_column: str = "group",
                        memory: MemoryLike = None) -> pd.DataFrame:
    """`labelled` plus each sentence's prediction by a model that never saw its group: a
    ClassifierScorer is retrained without the group (same settings), a fixed scorer (rules,
    lexicon, majority) scores every sentence once. Adds predicted, score (and p_<label>); the
    classifier's folds are memoised in `memory` (keyed by the sentences, groups and settings)."""
    labelled = labelled.reset_index(drop=True)
    if not isinstance(scorer, ClassifierScorer):
        out = score_sentences(labelled[["sentence", "target"]], scorer)
        return labelled.assign(predicted=out["label"], score=out["score"])

    def key() -> str:
        columns = [labelled[c].astype(str).tolist() for c in ("sentence", "target", "label", group_column)]
        return text_key("grouped predictions", source_version("sentiment.estimates"), scorer.training_key(),
                        *columns)

    return memoise(memory, key, lambda: _refit_per_group(labelled, scorer, group_column))


def _refit_per_group(labelled: pd.DataFrame, scorer: ClassifierScorer, group_column: str) -> pd.DataFrame:
    """grouped_predictions() of a classifier: one fit per left-out group."""
    parts = []
    for train, test in LeaveOneGroupOut().split(labelled, groups=labelled[group_column]):
        model = fit_model(labelled.iloc[train], scorer.settings, scorer.c, scorer.seed)
        held = labelled.iloc[test]
        proba = predict_probabilities(model, held["sentence"], held["target"], n_jobs=scorer.n_jobs)
        parts.append(_from_probabilities(proba).set_index(held.index))
    return pd.concat([labelled, pd.concat(parts).sort_index()], axis=1)


def macro_f1(gold, predicted) -> float:
    """Macro-F1 over the three labels (a label absent from both counts as 0): f1_score(labels=LABELS,
    average="macro", zero_division=0)'s arithmetic on the confusion counts, without its input checks
    (0.5 s of the 60 calls of notebook 04's validation)."""
    g, p = label_codes(gold), label_codes(predicted)
    tp = np.bincount(g[(g == p) & (g >= 0)], minlength=len(LABELS))
    denominator = (np.bincount(g[g >= 0], minlength=len(LABELS)) + np.bincount(p[p >= 0], minlength=len(LABELS)))
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(denominator > 0, 2.0 * tp / denominator.astype(float), 0.0)
    return float(np.mean(f1))


def bootstrap_macro_f1(gold, predicted, *, n_boot: int = 1000, seed: int = 0, ci: float = 0.95,
                       clusters=None) -> dict:
    """Macro-F1 with a percentile CI from resampling sentences (or whole `clusters`, e.g. articles).

    Each resample's macro-F1 comes from its confusion counts: per cluster, the counts of true
    positives, gold and predicted labels, summed with the resample's cluster weights (the draws and
    the F1 of f1_score(average="macro", zero_division=0) as before; 21 s of notebook 04 went to
    scikit-learn's checks on 6,000 resamples)."""
    gold, predicted = np.asarray(gold, dtype=object), np.asarray(predicted, dtype=object)
    ids = np.arange(len(gold)) if clusters is None else pd.factorize(np.asarray(clusters))[0]
    n_clusters = int(ids.max()) + 1 if len(ids) else 0
    rng = np.random.default_rng(seed)
    draws = np.empty(0)
    if n_clusters > 1 and n_boot > 0:
        counts = _cluster_counts(gold, predicted, ids, n_clusters)  # clusters x (tp, gold, predicted) x labels
        step = max(1, 2_000_000 // n_clusters)  # resamples weighed at once (~16 MB)
        sums = []
        for first in range(0, n_boot, step):  # the same stream as n_boot draws of n_clusters each
            chosen = rng.integers(0, n_clusters, size=(min(step, n_boot - first), n_clusters))
            weights = np.stack([np.bincount(row, minlength=n_clusters) for row in chosen]).astype(float)
            sums.append(weights @ counts.reshape(n_clusters, -1))
        sums = np.vstack(sums).reshape(n_boot, 3, len(LABELS))
        denominator = sums[:, 1] + sums[:, 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            f1 = np.where(denominator > 0, 2 * sums[:, 0] / denominator, 0.0)
        draws = f1.mean(axis=1)
    tail = (1 - ci) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail]) if len(draws) else (np.nan, np.nan)
    return {"macro_f1": macro_f1(gold, predicted) if len(gold) else np.nan, "ci_low": float(low),
            "ci_high": float(high), "n": int(len(gold))}


def _cluster_counts(gold: np.ndarray, predicted: np.ndarray, ids: np.ndarray, n_clusters: int) -> np.ndarray:
    """Per cluster and label: true positives, gold labels and predicted labels."""
    g, p = label_codes(gold), label_codes(predicted)
    counts = np.zeros((n_clusters, 3, len(LABELS)))
    for i in range(len(LABELS)):
        for j, hit in enumerate(((g == i) & (p == i), g == i, p == i)):
            counts[:, j, i] = np.bincount(ids, weights=hit, minlength=n_clusters)
    return counts


def per_group_f1(predictions: pd.DataFrame, *, group_column: str = "group") -> pd.DataFrame:
    """Macro-F1 of grouped_predictions() per held-out group, then pooled over all sentences and the
    mean over groups (each group a new source)."""
    rows = [{"group": g, "n": len(part), "macro_f1": macro_f1(part["label"], part["predicted"])}
            for g, part in predictions.groupby(group_column, sort=True)]
    table = pd.DataFrame(rows)
    summary = [{"group": "(pooled)", "n": len(predictions),
                "macro_f1": macro_f1(predictions["label"], predictions["predicted"])},
               {"group": "(mean of groups)", "n": len(predictions), "macro_f1": table["macro_f1"].mean()}]
    return pd.concat([table, pd.DataFrame(summary)], ignore_index=True)


def per_class_f1(predictions: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall, F1 and support per hand label, then their macro average."""
    p, r, f, n = precision_recall_fscore_support(predictions["label"], predictions["predicted"],
                                                 labels=list(LABELS), zero_division=0)
    table = pd.DataFrame({"class": list(LABELS), "precision": p, "recall": r, "f1": f, "support": n})
    macro = {"class": "macro", "precision": p.mean(), "recall": r.mean(), "f1": f.mean(), "support": n.sum()}
    return pd.concat([table, pd.DataFrame([macro])], ignore_index=True)


def confusion_counts(gold, predicted) -> pd.DataFrame:
    """Counts of hand label (rows) x predicted label (columns)."""
    matrix = confusion_matrix(list(gold), list(predicted), labels=list(LABELS))
    return pd.DataFrame(matrix, index=pd.Index(LABELS, name="gold"),
                        columns=pd.Index(LABELS, name="predicted"))


def reliability_table(predictions: pd.DataFrame, *, bins: int = 5) -> pd.DataFrame:
    """Calibration of the predicted label's probability: per bin of confidence, the mean confidence
    beside the share of sentences predicted right (equal when the probabilities can be taken at
    their word)."""
    columns = [f"p_{label}" for label in LABELS]
    if not set(columns) <= set(predictions.columns):
        raise ValueError("reliability needs p_<label> columns: pass a classifier's grouped_predictions()")
    confidence = predictions[columns].max(axis=1)
    edges = np.linspace(1 / len(LABELS), 1, bins + 1)
    which = np.clip(np.searchsorted(edges, confidence, side="right") - 1, 0, bins - 1)
    frame = pd.DataFrame({"bin": which, "confidence": confidence,
                          "correct": predictions["predicted"] == predictions["label"]})
    table = frame.groupby("bin").agg(n=("correct", "size"), mean_confidence=("confidence", "mean"),
                                     accuracy=("correct", "mean")).reset_index()
    table.insert(1, "from", edges[table["bin"]].round(3))
    table.insert(2, "to", edges[table["bin"] + 1].round(3))
    return table.drop(columns="bin")


def held_out_summary(predictions: dict[str, pd.DataFrame], *, holdout_group: str = "sentiment_own_holdout",
                     dev: dict[str, pd.DataFrame] | None = None, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Macro-F1 with a bootstrap CI (by article) of each scorer (rows) on sentences it never trained
    on: all left-out groups pooled, the mean over groups, the own holdout as a left-out group and,
    when given, the development set (`dev`: each scorer's predictions on it)."""
    rows = []
    for name, table in predictions.items():
        sets = {"left-out groups, pooled": table, holdout_group: table[table["group"] == holdout_group]}
        if dev is not None:
            sets["dev (never trained on)"] = dev[name]
        for set_name, part in sets.items():
            result = bootstrap_macro_f1(part["label"], part["predicted"], n_boot=n_boot, seed=seed,
                                        clusters=part["doc_id"])
            rows.append({"scorer": name, "set": set_name, **result})
        rows.append({"scorer": name, "set": "mean of left-out groups", "n": len(table),
                     "macro_f1": per_group_f1(table).set_index("group").at["(mean of groups)", "macro_f1"]})
    return pd.DataFrame(rows, columns=["scorer", "set", "n", "macro_f1", "ci_low", "ci_high"])
