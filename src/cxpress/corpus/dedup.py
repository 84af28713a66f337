"""Exact and near-duplicate articles (the same body republished with another header or date line)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from scipy import sparse

from cxpress.corpus.shingles import SHINGLE, fingerprint

__all__ = ["SHINGLE", "find_duplicates", "fingerprint", "near_duplicate_pairs"]


def _linking_entries(hashes: np.ndarray, sizes: np.ndarray, linking: np.ndarray,
                     block: int = 1 << 21) -> tuple[np.ndarray, np.ndarray]:
    """(document, column in `linking`) of each shingle hash found in the sorted `linking`, block by
    block: np.isin on 15 million hashes (50k articles) briefly takes ~400 MB more."""
    starts = np.concatenate([[0], np.cumsum(sizes)])
    # a hash's top 24 bits first (16 MB table): a few % of hashes link, and the binary search over
    # `linking` then runs on those only (it took 3.5 s of 8.5 for 100k articles)
    maybe = np.zeros(1 << 24, dtype=bool)
    maybe[linking >> 8] = True
    docs, columns = [], []
    for lo in range(0, len(hashes), block):
        part = hashes[lo : lo + block]
        candidates = np.flatnonzero(maybe[part >> 8])
        pos = np.searchsorted(linking, part[candidates])
        hit = pos < len(linking)
        hit[hit] = linking[pos[hit]] == part[candidates[hit]]
        docs.append(np.searchsorted(starts, lo + candidates[hit], side="right").astype(np.int32) - 1)
        columns.append(pos[hit])
    if not docs:
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int64)
    return np.concatenate(docs), np.concatenate(columns)


def near_duplicate_pairs(texts: pd.Series, *, threshold: float = 0.8, chunk: int = 2000, max_copies: int = 20,
                         fingerprints: list[tuple[str, np.ndarray]] | None = None) -> list[tuple[int, int, float]]:
    """Pairs (i, j, containment) with i < j whose word-shingle sets overlap by ≥ threshold.

    Containment = |A ∩ B| / min(|A|, |B|), so a republished body with extra chrome still matches;
    an article copied more than `max_copies` times is not linked (its shingles count as stock phrases).
    `fingerprints` (one per text, from fingerprint()) saves recomputing them.
    """
    shingles = [fp[1] for fp in (fingerprints if fingerprints is not None else map(fingerprint, texts))]
    sizes = np.array([len(x) for x in shingles], dtype=np.int64)
    hashes = np.concatenate(shingles) if shingles else np.empty(0, dtype=np.uint32)
    # Shingles shared by many articles (stock phrases, quoted boilerplate) say nothing about
    # duplication and make the pairwise product quadratic; shingles of one article cannot link two.
    # Only the shingles seen in 2..max_copies articles become columns (a few % of them).
    values, doc_freq = np.unique(hashes, return_counts=True)
    linking = values[(doc_freq >= 2) & (doc_freq <= max_copies)]
    del values, doc_freq
    docs, columns = _linking_entries(hashes, sizes, linking)
    del hashes
    x = sparse.csr_matrix((np.ones(len(docs)), (docs, columns)), shape=(len(shingles), max(len(linking), 1)))
    del docs, columns
    pairs = []
    xt = x.T.tocsr()  # once: a product with x.T converted the whole transpose for every chunk
    for lo in range(0, x.shape[0], chunk):
        inter = (x[lo : lo + chunk] @ xt).tocoo()
        i, j, shared = inter.row + lo, inter.col, inter.data
        later = j > i
        i, j, shared = i[later], j[later], shared[later]
        smaller = np.minimum(sizes[i], sizes[j])
        big = smaller >= 10  # containment of tiny shingle sets means nothing
        i, j, shared, smaller = i[big], j[big], shared[big], smaller[big]
        containment = shared / smaller
        near = containment >= threshold
        pairs += zip(i[near].tolist(), j[near].tolist(), containment[near].tolist(), strict=True)
    return pairs


def find_duplicates(articles: pd.DataFrame, *, threshold: float = 0.8,
                    fingerprints: list[tuple[str, np.ndarray]] | None = None) -> pd.Series:
    """`dup_of` for each article: doc_id of the earliest copy it duplicates, else None.

    The original is the earliest dated copy (ties: first by source path); exact copies
    are found by hashing, near copies by shingle containment. `fingerprints` (one per row, from
    fingerprint(); load_corpus computes them in its workers) saves recomputing them.
    """
    # only the two key columns are sorted (sorting the frame would copy every text)
    order = articles[["date", "source"]].sort_values(["date", "source"], na_position="last").index
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

    if fingerprints is None:
        fingerprints = [fingerprint(t) for t in articles["text"]]
    positions = articles.index.to_numpy()
    # exact copies: each article with the first of its (non-empty) text hash; the union keeps the
    # earliest of each group whatever the order of the unions
    hashes = [fp[0] for fp in fingerprints]
    codes = pd.factorize(pd.Series(hashes, dtype=object))[0]
    first = pd.Series(np.arange(len(codes))).groupby(codes).transform("first").to_numpy()
    empty = hashlib.sha1(b"").hexdigest()
    for p in np.flatnonzero(first != np.arange(len(codes))):
        if hashes[p] != empty:
            union(positions[first[p]], positions[p])
    for i, j, _ in near_duplicate_pairs(articles["text"], threshold=threshold, fingerprints=fingerprints):
        union(positions[i], positions[j])
    ids = articles["doc_id"]
    return pd.Series(
        [None if root(i) == i else ids[root(i)] for i in articles.index], index=articles.index, dtype=object
    )
