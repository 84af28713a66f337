"""Token and bigram counts from the cached token lists with numpy integer codes.

scikit-learn's CountVectorizer keeps a Python dict entry for every distinct feature it meets; with
adjacent-pair bigrams that is millions of strings on a large corpus (most seen once, then pruned).
Here tokens become integer codes and bigrams pairs of codes, counted by sorting, and only the
features that pass the document-frequency bounds are ever turned into strings. The matrix and
vocabulary are those of CountVectorizer with stop words dropped and adjacent-pair bigrams (tested).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from numbers import Integral

import numpy as np
import pandas as pd
from scipy import sparse

from cxpress.arrays import sorted_unique


@dataclass(frozen=True)
class TokenCodes:
    """Every token of every document as an integer code into `vocab` (first-occurrence order)."""

    vocab: np.ndarray  # distinct tokens
    codes: np.ndarray  # int64, the documents' tokens one after the other
    docs: np.ndarray  # int32, the document (row) of each token (ascending)
    n_docs: int

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(pair code a * len(vocab) + b, document) of each pair of adjacent tokens of a document."""
        same = self.docs[1:] == self.docs[:-1]
        return self.codes[:-1][same] * len(self.vocab) + self.codes[1:][same], self.docs[1:][same]

    def pair_names(self, pair_codes: np.ndarray) -> list[str]:
        return pair_names(self.vocab, pair_codes)


def pair_names(vocab: np.ndarray, pair_codes: np.ndarray) -> list[str]:
    """"a b" for each pair code a * len(vocab) + b."""
    first, second = np.divmod(pair_codes, len(vocab))
    return [f"{a} {b}" for a, b in zip(vocab[first], vocab[second], strict=True)]


def token_lists(articles: pd.DataFrame) -> list:
    """The tokens column as lists (parquet gives arrays; a missing value is an empty article): the
    articles' own lists, not copies, so read them only."""
    if "tokens" not in articles.columns or "doc_id" not in articles.columns:
        raise ValueError("articles need 'doc_id' and 'tokens' columns: load them with "
                         "cxpress.corpus.load_corpus, or add tokens = articles['text'].map(cxpress.tokens.tokenize)")
    return [t if isinstance(t, list) else list(t) if isinstance(t, tuple | np.ndarray) else []
            for t in articles["tokens"]]  # lists as they are: a copy costs ~150 MB on 50k articles


def encode(token_lists: Sequence, drop: frozenset[str] = frozenset()) -> TokenCodes:
    """Integer codes of the tokens of each document, tokens in `drop` (stop words) left out."""
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    flat = np.fromiter(chain.from_iterable(token_lists), dtype=object, count=int(lengths.sum()))
    docs = np.repeat(np.arange(len(token_lists), dtype=np.int32), lengths)
    codes, vocab = pd.factorize(flat)
    del flat
    if drop:  # renumbered in the same (first-occurrence) order
        kept_words = ~np.fromiter((w in drop for w in vocab), dtype=bool, count=len(vocab))
        kept = kept_words[codes]
        codes, docs = (np.cumsum(kept_words) - 1)[codes[kept]], docs[kept]
        vocab = vocab[kept_words]
    return TokenCodes(np.asarray(vocab, dtype=object), codes.astype(np.int64, copy=False), docs, len(token_lists))


def _first_order(counts: np.ndarray, first: np.ndarray, n: int) -> np.ndarray:
    """Positions of the n largest counts, ties in order of first occurrence (Counter.most_common)."""
    return np.lexsort((first, -counts))[:n]


def top_tokens(tc: TokenCodes, n: int) -> pd.DataFrame:
    """The n most frequent tokens with their count and number of documents."""
    freq = np.bincount(tc.codes, minlength=len(tc.vocab))
    n_docs = np.bincount(sorted_unique(tc.docs * len(tc.vocab) + tc.codes) % len(tc.vocab), minlength=len(tc.vocab))
    top = _first_order(freq, np.arange(len(tc.vocab)), n)  # codes are numbered in order of first occurrence
    return pd.DataFrame({"token": tc.vocab[top], "count": freq[top], "n_docs": n_docs[top]})


def top_pairs(tc: TokenCodes, n: int) -> pd.DataFrame:
    """The n most frequent adjacent pairs ("a b") with their count."""
    pairs, _ = tc.pairs()
    unique, counts = np.unique(pairs, return_counts=True)
    if len(unique) > n:  # ties are broken by first occurrence, looked up for the contenders only
        contenders = counts >= np.partition(counts, len(counts) - n)[len(counts) - n]
        unique, counts = unique[contenders], counts[contenders]
    positions = np.flatnonzero(np.isin(pairs, unique))
    _, first = np.unique(pairs[positions], return_index=True)
    top = _first_order(counts, positions[first], n)
    return pd.DataFrame({"pair": tc.pair_names(unique[top]), "count": counts[top]})


# tokens counted at once: a few MB of sort buffers, reused block after block. With 2M-token blocks
# each block's ~150 MB of fresh buffers cost more in page faults than the counting (benchmarks/README.md)
BLOCK_TOKENS = 1 << 17


def _blocks(docs: np.ndarray, n_docs: int, size: int) -> list[int]:
    """Document boundaries splitting `docs` (sorted row numbers) into runs of about `size` entries."""
    edges = sorted_unique(docs[::size])
    return [int(e) for e in edges[1:]] + [n_docs]


def count_features(tc: TokenCodes, bigrams: bool) -> FeatureCounts:
    """Document x feature counts of every feature, block by block of documents (each block's sorted
    keys follow the previous block's: CSR order throughout), with the document and total frequency
    of each feature; features are the token codes, then (with bigrams) the distinct pair codes,
    numbered from len(vocab). Nothing is assembled into one matrix: vectorise() keeps only the
    features that pass its bounds (most bigrams do not), so the full matrix never exists."""
    n_vocab = len(tc.vocab)
    parts = [(tc.docs, tc.codes)]
    pair_codes = None
    if bigrams:
        pairs, pair_docs = tc.pairs()
        pair_ids, pair_codes = pd.factorize(pairs)  # a hash table: faster than sorting here
        del pairs
        parts.append((pair_docs, pair_ids + n_vocab))
        del pair_ids
    n_features = n_vocab + (len(pair_codes) if bigrams else 0)
    doc_freq = np.zeros(n_features, dtype=np.int64)
    term_freq = np.zeros(n_features, dtype=np.int64)
    blocks = []
    starts = [0] * len(parts)
    for hi in _blocks(tc.docs, tc.n_docs, BLOCK_TOKENS):
        block = []
        for i, (docs, features) in enumerate(parts):
            end = int(np.searchsorted(docs, hi))
            block.append(docs[starts[i]:end].astype(np.int64) * n_features + features[starts[i]:end])
            starts[i] = end
        found, count = np.unique(np.concatenate(block), return_counts=True)
        del block
        rows, columns = np.divmod(found, n_features)
        del found
        columns = columns.astype(np.int32)
        # unbuffered adds: a bincount per block would cost two arrays of every feature per block
        np.add.at(doc_freq, columns, 1)
        np.add.at(term_freq, columns, count)
        blocks.append((rows.astype(np.int32), columns, count.astype(np.int32)))
    return FeatureCounts(blocks, doc_freq, term_freq, pair_codes, tc.n_docs)


@dataclass
class FeatureCounts:
    """count_features() output: per block (rows, feature columns, counts), and per feature its
    document frequency and total count."""

    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    doc_freq: np.ndarray
    term_freq: np.ndarray
    pair_codes: np.ndarray | None
    n_docs: int

    def matrix(self, kept: np.ndarray) -> sparse.csr_matrix:
        """The int64 CSR matrix of the `kept` features (columns in that order), emptying the blocks."""
        column = np.full(len(self.doc_freq), -1, dtype=np.int32)
        column[kept] = np.arange(len(kept), dtype=np.int32)
        rows, columns, counts = [], [], []
        while self.blocks:
            block_rows, block_columns, block_counts = self.blocks.pop(0)
            mapped = column[block_columns]
            keep = mapped >= 0
            rows.append(block_rows[keep])
            columns.append(mapped[keep])
            counts.append(block_counts[keep])
        rows = np.concatenate(rows) if rows else np.empty(0, dtype=np.int32)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=self.n_docs))])
        del rows
        columns = np.concatenate(columns) if columns else np.empty(0, dtype=np.int32)
        counts = np.concatenate(counts).astype(np.int64) if counts else np.empty(0, dtype=np.int64)
        matrix = sparse.csr_matrix((counts, columns, indptr), shape=(self.n_docs, len(kept)))
        matrix.sort_indices()
        return matrix


def vectorise(token_lists: Sequence, *, stopwords: frozenset[str], bigrams: bool, min_df: int | float,
              max_df: int | float, max_features: int | None) -> tuple[sparse.csr_matrix, np.ndarray]:
    """(counts, feature names): CountVectorizer(analyzer=<stop words dropped, adjacent-pair bigrams>, min_df=min_df,
    max_df=max_df, max_features=max_features).fit_transform(token_lists) and its feature names,
    with the same ValueErrors (empty vocabulary, contradictory bounds, nothing left)."""
    tc = encode(token_lists, stopwords)
    if len(tc.codes) == 0:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    features = count_features(tc, bigrams)
    vocab, n_vocab, n_docs = tc.vocab, len(tc.vocab), tc.n_docs
    del tc  # the token codes (hundreds of MB on a large corpus) are counted
    high = max_df if isinstance(max_df, Integral) else max_df * n_docs
    low = min_df if isinstance(min_df, Integral) else min_df * n_docs
    if high < low:
        raise ValueError("max_df corresponds to < documents than min_df")
    df = features.doc_freq
    kept = np.flatnonzero((df <= high) & (df >= low))
    unigrams, pairs = kept[kept < n_vocab], kept[kept >= n_vocab]
    names = np.array([*vocab[unigrams], *(pair_names(vocab, features.pair_codes[pairs - n_vocab]) if len(pairs) else [])],
                     dtype=object)
    kept = np.concatenate([unigrams, pairs])
    order = np.argsort(names)  # scikit-learn sorts its vocabulary before applying max_features
    kept, names = kept[order], names[order]
    if max_features is not None and len(kept) > max_features:
        term_freq = features.term_freq[kept]
        chosen = np.zeros(len(kept), dtype=bool)
        chosen[(-term_freq).argsort()[:max_features]] = True  # as scikit-learn breaks ties
        kept, names = kept[chosen], names[chosen]
    if len(kept) == 0:
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    return features.matrix(kept), names
