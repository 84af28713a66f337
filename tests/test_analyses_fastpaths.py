"""The fast paths of issue 22, session 3 (the analyses) against the code they replaced, kept here as
the reference: the topics' representative articles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from cxpress.topics.model import make_snippet, pick_representative


# --- the former code, verbatim but for names ----------------------------------------------------
def old_pick_representative(articles, doc_topics, labels, n):
    top = (doc_topics[doc_topics["weight"] > 0].sort_values(["topic", "weight"], ascending=[True, False])
           .groupby("topic").head(n))
    meta = articles.drop_duplicates("doc_id").set_index("doc_id")
    text = meta["text"] if "text" in meta else pd.Series("", index=meta.index)
    return top.assign(
        label=top["topic"].map(labels), rank=top.groupby("topic").cumcount() + 1,
        title=top["doc_id"].map(meta["title"]) if "title" in meta else "",
        snippet=top["doc_id"].map(text.fillna("").map(make_snippet)),
    )[["topic", "label", "rank", "doc_id", "title", "year", "weight", "share", "snippet"]].reset_index(drop=True)


def _articles_and_weights(seed: int, n_docs: int = 40, k: int = 4):
    rng = np.random.default_rng(seed)
    ids = [f"d{i}" for i in range(n_docs)]
    words = ["relation", "client", "centre", "d'appels", "Maroc", "IA", "conseiller", "plateau"]
    texts = [" ".join(rng.choice(words, size=rng.integers(1, 80))) for _ in ids]
    articles = pd.DataFrame({"doc_id": ids, "title": [f"Titre {i}" for i in range(n_docs)], "text": texts,
                             "year": rng.integers(2010, 2025, n_docs), "tokens": [t.split() for t in texts]})
    articles.loc[rng.choice(n_docs, 5, replace=False), "text"] = None  # missing texts give ""
    weights = rng.random((n_docs, k)) * (rng.random((n_docs, k)) > 0.3)
    doc_topics = pd.DataFrame({"doc_id": np.repeat(ids, k), "year": np.repeat(articles["year"], k),
                               "topic": np.tile(np.arange(k), n_docs), "weight": weights.ravel(),
                               "share": weights.ravel()})
    return articles, doc_topics, pd.Series([f"t{t}" for t in range(k)])


@pytest.mark.parametrize("seed", range(5))
def test_representative_articles_as_before(seed):
    articles, doc_topics, labels = _articles_and_weights(seed)
    # repeated doc_ids (the first row counts), an article without topics, missing columns, no weight
    doubled = pd.concat([articles, articles.assign(title="autre", text="autre texte")], ignore_index=True)
    cases = [articles, doubled, articles.drop(columns="text"), articles.drop(columns="title"),
             articles.iloc[5:]]
    for frame in cases:
        for n in (1, 3):
            assert_frame_equal(pick_representative(frame, doc_topics, labels, n),
                               old_pick_representative(frame, doc_topics, labels, n), check_exact=True)
    nothing = doc_topics.assign(weight=0.0)
    assert_frame_equal(pick_representative(articles, nothing, labels, 3),
                       old_pick_representative(articles, nothing, labels, 3), check_exact=True)
