"""Exact and near-duplicate articles (the same body republished with another header or date line)."""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np
import pandas as pd
from scipy import sparse

_NON_WORD = re.compile(r"\W+")
_WORDS = re.compile(r"\w+")
SHINGLE = 5  # words per shingle
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant (golden ratio): polynomial rolling hash base


def normalise_for_hash(text: str) -> str:
    """Case-, punctuation- and space-insensitive form of a text, for exact-duplicate hashing."""
    return _NON_WORD.sub(" ", (text or "").casefold()).strip()


def fingerprint(text: str, shingle: int = SHINGLE) -> tuple[str, np.ndarray]:
    """An article's duplicate fingerprint: the SHA-1 of normalise_for_hash(text) and the sorted
    distinct 64-bit hashes of its `shingle`-word shingles (words of two characters or more).

    Word hashes are CRC-32 (stable across processes, so fingerprints can be computed in workers);
    a shingle's hash is their polynomial rolling combination, computed with numpy.
    """
    words = _WORDS.findall(text.casefold()) if isinstance(text, str) else []
    exact = hashlib.sha1(" ".join(words).encode()).hexdigest()
    ids = np.fromiter((zlib.crc32(w.encode()) for w in words if len(w) >= 2), dtype=np.uint64)
    if len(ids) < shingle:
        return exact, np.empty(0, dtype=np.uint64)
    hashes = np.zeros(len(ids) - shingle + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):  # the hash wraps around 2**64 on purpose
        for offset in range(shingle):
            hashes = hashes * _MIX + ids[offset : len(ids) - shingle + 1 + offset]
    return exact, np.unique(hashes)


def near_duplicate_pairs(texts: pd.Series, *, threshold: float = 0.8, chunk: int = 2000, max_copies: int = 20,
                         fingerprints: list[tuple[str, np.ndarray]] | None = None) -> list[tuple[int, int, float]]:
    """Pairs (i, j, containment) with i < j whose word-shingle sets overlap by ≥ threshold.

    Containment = |A ∩ B| / min(|A|, |B|), so a republished body with extra chrome still matches;
    an article copied more than `max_copies` times is not linked (its shingles count as stock phrases).
    `fingerprints` (one per text, from fingerprint()) saves recomputing them.
    """
    shingles = [fp[1] for fp in (fingerprints if fingerprints is not None else map(fingerprint, texts))]
    sizes = np.array([len(x) for x in shingles], dtype=np.int64)
    hashes = np.concatenate(shingles) if shingles else np.empty(0, dtype=np.uint64)
    order = np.argsort(hashes, kind="stable")  # stable: documents stay in order within a hash
    hashes, docs = hashes[order], np.repeat(np.arange(len(shingles)), sizes)[order]
    # Shingles shared by many articles (stock phrases, quoted boilerplate) say nothing about
    # duplication and make the pairwise product quadratic; shingles of one article cannot link two.
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]]) if len(hashes) else np.empty(0, dtype=int)
    doc_freq = np.diff(np.r_[starts, len(hashes)])
    keep = np.repeat((doc_freq >= 2) & (doc_freq <= max_copies), doc_freq)
    column = np.repeat(np.arange(len(starts)), doc_freq)
    x = sparse.csr_matrix((np.ones(int(keep.sum())), (docs[keep], column[keep])),
                          shape=(len(shingles), max(len(starts), 1)))
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


def find_duplicates(articles: pd.DataFrame, *, threshold: float = 0.8,
                    fingerprints: list[tuple[str, np.ndarray]] | None = None) -> pd.Series:
    """`dup_of` for each article: doc_id of the earliest copy it duplicates, else None.

    The original is the earliest dated copy (ties: first by source path); exact copies
    are found by hashing, near copies by shingle containment. `fingerprints` (one per row, from
    fingerprint(); load_corpus computes them in its workers) saves recomputing them.
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

    if fingerprints is None:
        fingerprints = [fingerprint(t) for t in articles["text"]]
    hashes = pd.Series([fp[0] for fp in fingerprints], index=articles.index)
    empty = hashlib.sha1(b"").hexdigest()
    for key, idx in hashes.groupby(hashes).groups.items():
        if key == empty:
            continue
        for other in idx[1:]:
            union(idx[0], other)
    positions = articles.index.to_numpy()
    for i, j, _ in near_duplicate_pairs(articles["text"], threshold=threshold, fingerprints=fingerprints):
        union(positions[i], positions[j])
    ids = articles["doc_id"]
    return pd.Series(
        [None if root(i) == i else ids[root(i)] for i in articles.index], index=articles.index, dtype=object
    )
