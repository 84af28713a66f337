"""The vectorised corpus: document-term counts and TF-IDF from the articles' token lists."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from cxpress.config import LEXICONS, read_yaml
from cxpress.counts import token_lists, vectorise
from cxpress.text.tokens import load_stopwords

MAX_TERMS = 20_000  # vocabulary cap (most frequent first): rarer terms never rank among top terms


@dataclass(frozen=True)
class DocumentTerms:
    """The vectorised corpus: raw counts (for NPMI and LDA), TF-IDF (for NMF), vocabulary, row keys."""

    counts: sparse.csr_matrix
    tfidf: sparse.csr_matrix
    vocabulary: np.ndarray
    doc_ids: np.ndarray
    years: pd.Series

    @property
    def n_docs(self) -> int:
        """Articles with at least one term left after the frequency bounds."""
        return int((self.counts.getnnz(axis=1) > 0).sum())

    @property
    def n_terms(self) -> int:
        return len(self.vocabulary)

    def subset(self, rows: np.ndarray) -> DocumentTerms:
        """The same vocabulary restricted to some articles (row positions)."""
        return DocumentTerms(self.counts[rows], self.tfidf[rows], self.vocabulary, self.doc_ids[rows],
                             self.years.iloc[rows].reset_index(drop=True))


def load_topic_stopwords(path: str | Path | None = None) -> frozenset[str]:
    """French stop words plus the corpus stop list of data/lexicons/topic_stopwords.yml."""
    path = Path(path) if path else LEXICONS / "topic_stopwords.yml"
    listed = read_yaml(path) or {}
    words = [w for group in listed.values() for w in (group or [])]
    return load_stopwords() | frozenset(str(w).lower() for w in words)


def vectorise_tokens(articles: pd.DataFrame, *, min_df: int | float = 2, max_df: float = 0.5,
                     bigrams: bool = True, max_terms: int | None = MAX_TERMS,
                     stopwords: frozenset[str] | None = None) -> DocumentTerms:
    """Count and TF-IDF matrices from the articles' token lists (never re-tokenised): the counts of
    scikit-learn's CountVectorizer over the token lists with stop words dropped and adjacent-pair
    bigrams, computed on integer codes (cxpress.counts)."""
    stopwords = load_topic_stopwords() if stopwords is None else stopwords
    try:
        counts, vocabulary = vectorise(token_lists(articles), stopwords=stopwords, bigrams=bigrams,
                                       min_df=min_df, max_df=max_df, max_features=max_terms)
    except ValueError as error:
        raise ValueError(
            f"no term is left in {len(articles)} articles with min_df={min_df} and max_df={max_df} "
            f"({error}): lower min_df, raise max_df, or check that the articles have tokens"
        ) from error
    # float32: half the memory of float64, in the kernel and in each k-grid worker, same top terms
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts.astype(np.float32)).tocsr()
    years = articles["year"].astype("Int64") if "year" in articles else pd.Series(pd.NA, index=articles.index,
                                                                                 dtype="Int64")
    return DocumentTerms(counts, tfidf, vocabulary,
                         articles["doc_id"].to_numpy(), years.reset_index(drop=True))
