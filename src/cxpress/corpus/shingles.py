"""An article's duplicate fingerprint: the hash of its words and of its word shingles. Computed in the
ingest's worker processes, so this module imports numpy only (corpus.dedup compares fingerprints)."""

from __future__ import annotations

import hashlib
import zlib

import numpy as np

from cxpress.arrays import sorted_unique
from cxpress.text.french import SpelledClass

_WORDS = SpelledClass("@+", r"\w")
SHINGLE = 5  # words per shingle
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant (golden ratio): polynomial rolling hash base
_HIGH_HALF = 1 if np.little_endian else 0  # where a uint64's top 32 bits sit when viewed as two uint32


def fingerprint(text: str, shingle: int = SHINGLE) -> tuple[str, np.ndarray]:
    """An article's duplicate fingerprint: the SHA-1 of its case-folded words and the sorted
    distinct 32-bit hashes of its `shingle`-word shingles (words of two characters or more).

    Word hashes are CRC-32 (stable across processes, so fingerprints can be computed in workers);
    a shingle's hash is their polynomial rolling combination, computed with numpy.
    """
    words = _WORDS.findall(text.casefold()) if isinstance(text, str) else []
    exact = hashlib.sha1(" ".join(words).encode()).hexdigest()
    # C-level maps, no Python frame per word; a memo of word hashes measured slower in the ingest
    # (its large table falls out of the CPU cache between articles)
    ids = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    ids = ids[np.fromiter(map(len, words), dtype=np.int64, count=len(words)) >= 2]
    if len(ids) < shingle:
        return exact, np.empty(0, dtype=np.uint32)
    n = len(ids) - shingle + 1
    hashes = ids[:n].copy()
    for offset in range(1, shingle):  # in place; array arithmetic wraps around 2**64 silently
        hashes *= _MIX
        hashes += ids[offset : offset + n]
    # The top 32 bits: half the memory; a chance collision adds one shared shingle to a pair of
    # articles, nothing next to the hundreds an 80 % containment needs.
    return exact, sorted_unique(hashes.view(np.uint32)[_HIGH_HALF::2])
