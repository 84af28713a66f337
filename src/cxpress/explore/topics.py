"""The topic explorer's answers as frames (a topic's terms, prevalence, articles; an article's
topic weights and nearest articles) and topic renaming, kept in data/lexicons/topic_labels.yml so
that every notebook's fit_topics() names the topic the same way."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from cxpress.config import LEXICONS
from cxpress.topics import TopicModel, assign_labels, load_topic_labels

LABEL_TERMS = 8  # top terms written with a new label: enough for assign_labels to find the topic again
LABELS_HEADER = ("# Étiquettes des thèmes NMF (cxpress.topics.load_topic_labels) : chaque étiquette va au thème\n"
                 "# dont les 15 premiers termes contiennent le plus de ses `terms` (au moins 2).\n"
                 "# Modifiable à la main ou depuis le carnet 05 (cxpress.explore.rename_topic).\n")


def _check_topic(model: TopicModel, topic: int) -> None:
    if topic not in set(model.topics["topic"]):
        raise ValueError(f"no topic {topic}: this model has topics 0-{model.k - 1}")


def topic_terms(model: TopicModel, topic: int) -> pd.DataFrame:
    """The topic's top terms with their weights, heaviest first."""
    _check_topic(model, topic)
    return model.terms[model.terms["topic"] == topic][["rank", "term", "weight"]].reset_index(drop=True)


def topic_prevalence(model: TopicModel, topic: int) -> pd.DataFrame:
    """The topic's mean share per year with its 95% CI (as in notebook 02), labelled."""
    _check_topic(model, topic)
    label = model.topics.set_index("topic")["label"][topic]
    return model.prevalence[model.prevalence["topic"] == topic].assign(label=label).reset_index(drop=True)


def topic_articles(model: TopicModel, articles: pd.DataFrame, topic: int, n: int = 10) -> pd.DataFrame:
    """The n articles where the topic weighs most, with title, year, outlet and the topic's share."""
    _check_topic(model, topic)
    rows = model.doc_topics[(model.doc_topics["topic"] == topic) & (model.doc_topics["weight"] > 0)]
    top = rows.nlargest(n, "weight")[["doc_id", "year", "weight", "share"]]
    meta = articles.drop_duplicates("doc_id").set_index("doc_id")
    columns = [c for c in ("title", "outlet") if c in meta]
    return top.join(meta[columns], on="doc_id")[["doc_id", "year", *columns, "share", "weight"]].reset_index(drop=True)


def article_topics(model: TopicModel, doc_id: str) -> pd.DataFrame:
    """One article's weight and share on every topic, with the topic labels, largest first."""
    rows = model.doc_topics[model.doc_topics["doc_id"].astype(str) == str(doc_id)]
    if rows.empty:
        raise ValueError(f"article {doc_id!r} is not in the topic model (empty after vectorising, or not analysed)")
    labels = model.topics.set_index("topic")["label"]
    return (rows.assign(label=rows["topic"].map(labels))[["topic", "label", "share", "weight"]]
            .sort_values("share", ascending=False).reset_index(drop=True))


def share_matrix(model: TopicModel) -> pd.DataFrame:
    """Articles x topics shares (rows of NaN filled with 0), for neighbour queries; compute once."""
    return model.doc_topics.pivot(index="doc_id", columns="topic", values="share").fillna(0.0)


def topic_neighbours(shares: pd.DataFrame, doc_id: str, n: int = 5) -> pd.DataFrame:
    """The n articles whose topic mix is closest to this one's (cosine of topic shares)."""
    ids = shares.index.astype(str)
    if str(doc_id) not in ids:
        raise ValueError(f"article {doc_id!r} is not in the topic model")
    matrix = shares.to_numpy(float)
    norms = np.linalg.norm(matrix, axis=1)
    norms[norms == 0] = 1.0
    target = matrix[ids.get_loc(str(doc_id))]
    similarity = matrix @ target / (norms * (np.linalg.norm(target) or 1.0))
    order = [i for i in np.argsort(-similarity, kind="stable") if ids[i] != str(doc_id)][:n]
    return pd.DataFrame({"doc_id": shares.index[order], "similarity": similarity[order],
                         "main_topic": matrix[order].argmax(axis=1)})


def relabel(model: TopicModel, labels: dict[int, str]) -> TopicModel:
    """The model with these topics renamed in every table that shows a label."""
    def named(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(label=[labels.get(t, old) for t, old in zip(frame["topic"], frame["label"], strict=True)])

    return dataclasses.replace(model, topics=named(model.topics), trends=named(model.trends),
                               representative=named(model.representative))


def rename_topic(model: TopicModel, topic: int, label: str, path: str | Path | None = None) -> TopicModel:
    """Name `topic` `label` in the labels YAML (the entry that named it is renamed, else a new entry
    with its top terms is added) and return the model relabelled. The notebooks' fit_topics() reads
    the file, so every report then uses the label, whatever the topic's number there."""
    _check_topic(model, topic)
    label = " ".join(str(label).split())
    if not label:
        raise ValueError("a topic label cannot be empty")
    path = Path(path) if path else LEXICONS / "topic_labels.yml"
    entries = load_topic_labels(path) if path.exists() else []
    top = model.terms[model.terms["topic"] == topic].sort_values("rank")["term"].tolist()
    current = model.topics.set_index("topic")["label"][topic]
    entries = [e for e in entries if e["label"] != label]  # a label names one topic
    owner = next((e for e in entries if e["label"] == current), None)
    if owner is not None:
        owner["label"] = label
    else:
        entries.append({"label": label, "terms": top[:LABEL_TERMS]})
    tops = model.terms.sort_values("rank").groupby("topic")["term"].apply(list).to_dict()
    if assign_labels(tops, entries).get(topic) != label:  # the file must give the label back to this topic
        entries = [e for e in entries if e["label"] != label] + [{"label": label, "terms": top[:LABEL_TERMS]}]
    _write_labels(path, entries)
    return relabel(model, {topic: label})


def _write_labels(path: Path, entries: list[dict]) -> None:
    """The labels YAML, its leading comments kept (the file is meant to be read and edited)."""
    old = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []
    comments = "".join(line for line in old[:next((i for i, x in enumerate(old) if not x.startswith("#")), len(old))])
    body = yaml.safe_dump({"labels": entries}, allow_unicode=True, sort_keys=False, width=100)
    path.write_text((comments or LABELS_HEADER) + body, encoding="utf-8")
