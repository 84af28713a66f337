"""Exact and near-duplicate articles (the same body republished with another header or date line)."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

_NON_WORD = re.compile(r"\W+")


def normalise_for_hash(text: str) -> str:
    """Case-, punctuation- and space-insensitive form of a text, for exact-duplicate hashing."""
    return _NON_WORD.sub(" ", (text or "").casefold()).strip()


def _shingles(texts: pd.Series, n: int) -> sparse.csr_matrix:
    vectorizer = HashingVectorizer(
        analyzer="word", ngram_range=(n, n), n_features=2**22, binary=True,
        norm=None, alternate_sign=False, lowercase=True,
    )
    return vectorizer.transform(texts.fillna("")).tocsr()


def near_duplicate_pairs(texts: pd.Series, *, threshold: float = 0.8, shingle: int = 5,
                         chunk: int = 2000, max_copies: int = 20) -> list[tuple[int, int, float]]:
    """Pairs (i, j, containment) with i < j whose word-shingle sets overlap by ≥ threshold.

    Containment = |A ∩ B| / min(|A|, |B|), so a republished body with extra chrome still matches;
    an article copied more than `max_copies` times is not linked (its shingles count as stock phrases).
    """
    x = _shingles(texts, shingle)
    sizes = np.asarray(x.sum(axis=1)).ravel()
    # Shingles shared by many articles (stock phrases, quoted boilerplate) say nothing about
    # duplication and make the pairwise product quadratic: only rare shingles are compared.
    doc_freq = np.asarray(x.sum(axis=0)).ravel()
    x = x @ sparse.diags((doc_freq <= max_copies).astype(np.float64))
    x.eliminate_zeros()
    pairs = []
    for lo in range(0, x.shape[0], chunk):
        inter = (x[lo : lo + chunk] @ x.T).tocoo()
        for i, j, shared in zip(inter.row + lo, inter.col, inter.data, strict=True):
            if j <= i:
                continue
            smaller = min(sizes[i], sizes[j])
            if smaller >= 10 and shared / smaller >= threshold:
                pairs.append((int(i), int(j), float(shared / smaller)))
    return pairs


def find_duplicates(articles: pd.DataFrame, *, threshold: float = 0.8) -> pd.Series:
    """`dup_of` for each article: doc_id of the earliest copy it duplicates, else None.

    The original is the earliest dated copy (ties: first by source path); exact copies
    are found by hashing, near copies by shingle containment.
    """
    order = articles.assign(_d=articles["date"]).sort_values(["_d", "source"], na_position="last").index
    rank = pd.Series(np.arange(len(order)), index=order)
    parent = {i: i for i in articles.index}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a, b):
        ra, rb = root(a), root(b)
        if ra != rb:
            keep, drop = (ra, rb) if rank[ra] <= rank[rb] else (rb, ra)
            parent[drop] = keep

    hashes = articles["text"].map(lambda t: hashlib.sha1(normalise_for_hash(t).encode()).hexdigest())
    empty = hashlib.sha1(b"").hexdigest()
    for key, idx in hashes.groupby(hashes).groups.items():
        if key == empty:
            continue
        for other in idx[1:]:
            union(idx[0], other)
    positions = articles.index.to_numpy()
    for i, j, _ in near_duplicate_pairs(articles["text"], threshold=threshold):
        union(positions[i], positions[j])
    ids = articles["doc_id"]
    return pd.Series(
        [None if root(i) == i else ids[root(i)] for i in articles.index], index=articles.index, dtype=object
    )
