"""Validation of sentiment scorers against hand-labelled sentences (ANNOTATION.md): F1, confusion, splits."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from cxpress.sentiment import LABELS, Scorer, score_sentences


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
    rows = []
    for name, scorer in scorers.items():
        predicted = score_sentences(labelled[["sentence", "target"]], scorer)["label"]
        p, r, f, n = precision_recall_fscore_support(
            labelled["label"], predicted, labels=list(LABELS), zero_division=0
        )
        rows += [
            {
                "scorer": name,
                "class": c,
                "precision": p[i],
                "recall": r[i],
                "f1": f[i],
                "support": int(n[i]),
            }
            for i, c in enumerate(LABELS)
        ]
        rows.append(
            {
                "scorer": name,
                "class": "macro",
                "precision": p.mean(),
                "recall": r.mean(),
                "f1": f.mean(),
                "support": int(n.sum()),
            }
        )
    return pd.DataFrame(rows)


def confusion_table(labelled: pd.DataFrame, scorer: Scorer) -> pd.DataFrame:
    """Confusion matrix (rows: hand label, columns: predicted label)."""
    _check_labelled(labelled)
    predicted = score_sentences(labelled[["sentence", "target"]], scorer)["label"]
    matrix = confusion_matrix(labelled["label"], predicted, labels=list(LABELS))
    return pd.DataFrame(
        matrix, index=pd.Index(LABELS, name="gold"), columns=pd.Index(LABELS, name="predicted")
    )


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
