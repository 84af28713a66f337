"""Integer-coded counts equal scikit-learn's CountVectorizer and collections.Counter exactly."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from cxpress import config
from cxpress.corpus import load_corpus, select_for_analysis, top_bigrams, top_terms
from cxpress.counts import encode, token_lists, top_pairs, top_tokens, vectorise
from cxpress.topics import load_topic_stopwords


def term_analyzer(stopwords: frozenset[str], bigrams: bool):
    """The reference analyzer: stop words dropped, then adjacent-pair bigrams ("a b") appended."""

    def analyze(tokens: list[str]) -> list[str]:
        kept = [t for t in tokens if t not in stopwords]
        return kept + ([f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False)] if bigrams else [])

    return analyze

SETTINGS = [  # bigrams, min_df, max_df, max_features
    (True, 2, 0.5, 20_000), (False, 2, 1.0, None), (True, 0.01, 0.5, 300), (True, 1, 0.9, None), (True, 1, 5, 40),
]


@pytest.fixture(scope="module")
def demo_lists():
    return token_lists(select_for_analysis(load_corpus(config.SAMPLE, progress=False).articles))


def random_lists(seed: int, n_docs: int = 80) -> list[list[str]]:
    """Documents over a small vocabulary: many ties in counts, repeated pairs, empty documents."""
    rng = np.random.default_rng(seed)
    words = np.array([f"m{i}" for i in range(40)] + ["le", "la", "été", "Zèbre", "a-b"], dtype=object)
    return [list(rng.choice(words, rng.integers(0, 30), p=None)) for _ in range(n_docs)]


def assert_same_as_sklearn(lists, stopwords, bigrams, min_df, max_df, max_features):
    reference = CountVectorizer(analyzer=term_analyzer(stopwords, bigrams), min_df=min_df, max_df=max_df,
                                max_features=max_features)
    expected = reference.fit_transform(lists).tocsr()
    counts, names = vectorise(lists, stopwords=stopwords, bigrams=bigrams, min_df=min_df, max_df=max_df,
                              max_features=max_features)
    assert list(names) == list(reference.get_feature_names_out())
    assert counts.shape == expected.shape and counts.dtype == expected.dtype
    assert (counts != expected).nnz == 0


@pytest.mark.parametrize("setting", SETTINGS)
def test_vectorise_equals_countvectorizer_on_the_demo_corpus(demo_lists, setting):
    assert_same_as_sklearn(demo_lists, load_topic_stopwords(), *setting)


@pytest.mark.parametrize("seed", range(6))
def test_vectorise_equals_countvectorizer_with_ties_and_empty_documents(seed):
    lists = random_lists(seed)
    for bigrams, min_df, max_df, max_features in [(True, 2, 0.9, 25), (False, 1, 1.0, 7), (True, 0.05, 40, None)]:
        assert_same_as_sklearn(lists, frozenset({"le", "la"}), bigrams, min_df, max_df, max_features)


def test_vectorise_refuses_what_countvectorizer_refuses():
    for lists, kwargs in [
        ([["le"], ["la"]], {"min_df": 1, "max_df": 1.0}),  # only stop words
        ([["a", "b"], ["a"]], {"min_df": 3, "max_df": 1.0}),  # nothing left
        ([["a", "b"], ["a"]], {"min_df": 2, "max_df": 1}),  # contradictory bounds
    ]:
        with pytest.raises(ValueError) as ours:
            vectorise(lists, stopwords=frozenset({"le", "la"}), bigrams=True, max_features=None, **kwargs)
        with pytest.raises(ValueError) as theirs:
            CountVectorizer(analyzer=term_analyzer(frozenset({"le", "la"}), True), **kwargs).fit(lists)
        assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("seed", range(4))
def test_top_tokens_and_pairs_equal_counter_most_common(seed):
    lists = random_lists(seed)
    codes = encode(lists)
    freq, docs, pairs = Counter(), Counter(), Counter()
    for tokens in lists:
        freq.update(tokens)
        docs.update(set(tokens))
        pairs.update(zip(tokens, tokens[1:], strict=False))
    expected = [(t, c, docs[t]) for t, c in freq.most_common(12)]
    assert list(top_tokens(codes, 12).itertuples(index=False, name=None)) == expected
    expected_pairs = [(f"{a} {b}", c) for (a, b), c in pairs.most_common(12)]
    assert list(top_pairs(codes, 12).itertuples(index=False, name=None)) == expected_pairs


def test_overview_tables_on_the_demo_corpus(demo_lists):
    articles = pd.DataFrame({"doc_id": range(len(demo_lists)), "tokens": demo_lists})
    terms, bigrams = top_terms(articles, 10), top_bigrams(articles, 10)
    freq = Counter(t for tokens in demo_lists for t in tokens)
    assert list(terms["lemma"]) == [t for t, _ in freq.most_common(10)]
    assert terms["n_articles"].iloc[0] == sum(terms["lemma"].iloc[0] in set(t) for t in demo_lists)
    assert bigrams["count"].is_monotonic_decreasing and bigrams["count"].iloc[0] > 1


def test_stop_words_are_left_out_of_the_codes():
    codes = encode([["le", "chat", "le"], ["chat", "dort"]], drop=frozenset({"le"}))
    assert list(codes.vocab) == ["chat", "dort"]
    assert codes.codes.tolist() == [0, 0, 1] and codes.docs.tolist() == [0, 1, 1]


def test_sorted_unique_equals_np_unique():
    from cxpress.counts import sorted_unique

    rng = np.random.default_rng(0)
    for values in (np.array([], dtype=np.uint32), np.array([5]), rng.integers(0, 50, 300),
                   rng.integers(0, 2**40, 1000).astype(np.uint64)):
        assert np.array_equal(sorted_unique(values), np.unique(values))
        assert sorted_unique(values).dtype == values.dtype


@pytest.mark.parametrize("block", [1, 7, 100])
def test_counting_block_by_block_changes_nothing(monkeypatch, block):
    from cxpress import counts as term_counts

    monkeypatch.setattr(term_counts, "BLOCK_TOKENS", block)
    for seed in range(3):
        assert_same_as_sklearn(random_lists(seed), frozenset({"le"}), True, 1, 1.0, None)
