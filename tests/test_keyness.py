import math

import numpy as np
import pandas as pd
import pytest

from cxpress.timelines import (
    keyness,
    log_likelihood,
    log_ratio,
    period_label,
    token_frequencies,
)


def corpus(rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(rows))],
                         "year": pd.array([y for y, _ in rows], dtype="Int64"),
                         "tokens": [t for _, t in rows]})


def test_log_likelihood_matches_rayson_and_garside_by_hand():
    # 10 of 1,000 tokens against 2 of 2,000: E1 = 1000 * 12 / 3000 = 4, E2 = 8
    expected = 2 * (10 * math.log(10 / 4) + 2 * math.log(2 / 8))
    assert log_likelihood(np.array([10.0]), np.array([2.0]), 1000, 2000)[0] == pytest.approx(expected)
    assert log_likelihood(np.array([0.0]), np.array([6.0]), 100, 100)[0] == pytest.approx(2 * 6 * math.log(2))
    assert log_likelihood(np.array([5.0]), np.array([5.0]), 100, 100)[0] == pytest.approx(0)


def test_log_ratio_is_hardies_with_zero_replaced_by_half():
    assert log_ratio(np.array([20.0]), np.array([10.0]), 1000, 1000)[0] == pytest.approx(1.0)
    assert log_ratio(np.array([0.0]), np.array([4.0]), 100, 100)[0] == pytest.approx(math.log2(0.5 / 4))


def test_token_frequencies_count_occurrences_and_articles():
    freqs = token_frequencies(pd.Series([["ia", "ia", "client"], ["ia"], []]))
    assert freqs.loc["ia"].tolist() == [3, 2] and freqs.loc["client"].tolist() == [1, 1]


def test_keyness_ranks_the_period_vocabulary_and_filters_rare_terms():
    early = [(2011, ["offshore", "maroc", "client", "client"]), (2012, ["offshore", "client", "nom_propre"] * 3)]
    late = [(2021, ["ia", "chatbot", "client", "client"]), (2023, ["ia", "ia", "client", "client"])]
    table = keyness(corpus(early + late), (2010, 2014), (2020, 2024), min_freq=3, min_docs=2)
    assert table.attrs["periods"] == ("2010-2014", "2020-2024")
    top = table.set_index("term")
    assert set(top.index) == {"offshore", "ia", "client"}  # maroc, chatbot: rare; nom_propre: one article
    assert top.loc["offshore", "favours"] == "2010-2014" and top.loc["offshore", "log_ratio"] > 0
    assert top.loc["ia", "favours"] == "2020-2024" and top.loc["ia", "log_ratio"] < 0
    assert top.loc["ia", ["freq_a", "freq_b", "docs_a", "docs_b"]].tolist() == [0, 3, 0, 2]
    assert table["g2"].is_monotonic_decreasing
    assert (table["p_bonferroni"] >= table["p_value"]).all() and table["p_bonferroni"].le(1).all()
    assert top.loc["ia", "per_10k_b"] == pytest.approx(3 / 8 * 10_000)


def test_keyness_against_the_rest_and_with_parquet_arrays():
    arts = corpus([(2010, ["a", "b"]), (2015, ["a", "c"]), (2020, ["c", "c"])])
    arts["tokens"] = arts["tokens"].map(np.array)  # how lists come back from parquet
    table = keyness(arts, (2020, 2024), None, min_freq=1, min_docs=1)
    assert period_label(None) == "rest" and set(table["favours"]) <= {"2020-2024", "rest"}
    assert table.set_index("term").loc["c", ["freq_a", "freq_b"]].tolist() == [2, 1]


@pytest.mark.parametrize(
    ("period_a", "period_b", "message"),
    [((2010, 2015), (2014, 2020), "overlap"), ((2030, 2031), (2010, 2014), "no article in period 2030-2031"),
     ((2014, 2010), None, "give \\[first_year, last_year\\]")],
)
def test_bad_periods_raise_clear_errors(period_a, period_b, message):
    arts = corpus([(2010, ["a"]), (2020, ["b"])])
    with pytest.raises(ValueError, match=message):
        keyness(arts, period_a, period_b)


def test_keyness_requires_cached_tokens():
    with pytest.raises(ValueError, match="never re-tokenised"):
        keyness(pd.DataFrame({"year": [2010], "text": ["IA"]}), (2010, 2010))
