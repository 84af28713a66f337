"""Validation of sentiment scorers against hand-labelled sentences (ANNOTATION.md): F1, confusion, splits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxpress.sentiment.estimates import confusion_counts, macro_f1, per_class_f1
from cxpress.sentiment.scorers import LABELS, Scorer
from cxpress.sentiment.scoring import score_sentences


def _check_labelled(labelled: pd.DataFrame) -> None:
    """Raise when a labelled set lacks sentence/target/label or uses unknown labels."""
    missing = [c for c in ("sentence", "target", "label") if c not in labelled.columns]
    if missing:
        raise ValueError(f"labelled set lacks column(s) {missing} (format: ANNOTATION.md)")
    unknown = set(labelled["label"]) - set(LABELS)
    if unknown:
        raise ValueError(f"labelled set has unknown labels {sorted(unknown)}; use {LABELS}")


def evaluate_scorers(labelled: pd.DataFrame, scorers: dict[str, Scorer]) -> pd.DataFrame:
    """Per-class precision/recall/F1 and macro averages of each scorer on hand-labelled sentences."""
    _check_labelled(labelled)
    tables = []
    for name, scorer in scorers.items():
        predicted = score_sentences(labelled[["sentence", "target"]], scorer)["label"]
        table = per_class_f1(pd.DataFrame({"label": labelled["label"].to_numpy(), "predicted": predicted}))
        tables.append(table.assign(support=table["support"].astype(int)).assign(scorer=name))
    columns = ["scorer", "class", "precision", "recall", "f1", "support"]
    return pd.concat(tables, ignore_index=True)[columns] if tables else pd.DataFrame(columns=columns)


def confusion_table(labelled: pd.DataFrame, scorer: Scorer) -> pd.DataFrame:
    """Confusion matrix (rows: hand label, columns: predicted label)."""
    _check_labelled(labelled)
    return confusion_counts(labelled["label"], score_sentences(labelled[["sentence", "target"]], scorer)["label"])


def split_by_document(
    labelled: pd.DataFrame,
    *,
    seed: int = 0,
    doc_column: str = "doc",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tune / held-out halves split by document, so no article feeds both; repeated sentences stay in tune."""
    docs = np.array(sorted(labelled[doc_column].unique()))
    tune_docs = set(docs[np.random.default_rng(seed).permutation(len(docs))[: len(docs) // 2]])
    in_tune = labelled[doc_column].isin(tune_docs)
    tune = labelled[in_tune]
    held = labelled[~in_tune & ~labelled["sentence"].isin(set(tune["sentence"]))]
    return tune.reset_index(drop=True), held.reset_index(drop=True)


def compare_scorers(sets: dict[str, pd.DataFrame], scorers: dict[str, Scorer]) -> pd.DataFrame:
    """Macro-F1 of each scorer (rows) on each labelled set (columns), plus the sets' sizes."""
    rows = []
    for set_name, labelled in sets.items():
        table = evaluate_scorers(labelled, scorers)
        macro = table[table["class"] == "macro"]
        rows += [
            {"set": set_name, "n": int(r.support), "scorer": r.scorer, "macro_f1": r.f1}
            for r in macro.itertuples()
        ]
    long = pd.DataFrame(rows)
    wide = long.pivot(index="scorer", columns="set", values="macro_f1")[list(sets)]
    wide.columns = [f"{c} (n={long.loc[long['set'] == c, 'n'].iat[0]})" for c in wide.columns]
    return wide.loc[list(scorers)]


def assign_folds(
    labelled: pd.DataFrame, *, folds: int = 5, seed: int = 0, doc_column: str = "doc"
) -> np.ndarray:
    """Fold number of each row, whole articles per fold (seeded shuffle, then round-robin)."""
    if doc_column not in labelled.columns:
        raise ValueError(f"labelled set lacks {doc_column!r}: folds keep articles together")
    docs = np.array(sorted(labelled[doc_column].unique()))
    if len(docs) < folds:
        raise ValueError(f"{len(docs)} articles cannot fill {folds} folds; use fewer folds")
    order = docs[np.random.default_rng(seed).permutation(len(docs))]
    fold_of = {doc: k % folds for k, doc in enumerate(order)}
    return labelled[doc_column].map(fold_of).to_numpy()


def _best_band(
    scores: np.ndarray, gold: np.ndarray, edges: np.ndarray
) -> tuple[float, float, float]:
    """(positive_above, negative_below, macro-F1) with the best macro-F1 on these sentences."""
    best = (0.0, 0.0, -1.0)
    for high in edges[edges >= 0]:
        for low in edges[edges <= 0]:
            predicted = np.where(
                scores > high, "positive", np.where(scores < low, "negative", "neutral")
            )
            f1 = macro_f1(gold, predicted)
            if f1 > best[2] + 1e-9:
                best = (float(high), float(low), f1)
    return best


def cross_validate_band(
    labelled: pd.DataFrame,
    scorer: Scorer,
    *,
    folds: int = 5,
    seed: int = 0,
    doc_column: str = "doc",
    edges: np.ndarray | None = None,
) -> pd.DataFrame:
    """Per fold (articles kept together): macro-F1 of the scorer's own labels, and of the neutral
    band re-chosen on the other folds' scores, both measured on the fold left out."""
    _check_labelled(labelled)
    edges = np.round(np.arange(-0.6, 0.61, 0.05), 2) if edges is None else np.asarray(edges)
    fold = assign_folds(labelled, folds=folds, seed=seed, doc_column=doc_column)
    result = score_sentences(labelled[["sentence", "target"]], scorer)
    scores, own = result["score"].to_numpy(float), result["label"].to_numpy()
    gold = labelled["label"].to_numpy()
    rows = []
    for k in range(folds):
        test = fold == k
        high, low, train_f1 = _best_band(scores[~test], gold[~test], edges)
        tuned = np.where(
            scores[test] > high, "positive", np.where(scores[test] < low, "negative", "neutral")
        )
        rows.append(
            {
                "fold": k,
                "n": int(test.sum()),
                "macro_f1": macro_f1(gold[test], own[test]),
                "positive_above": high,
                "negative_below": low,
                "train_f1": train_f1,
                "tuned_macro_f1": macro_f1(gold[test], tuned),
            }
        )
    return pd.DataFrame(rows)
