"""Tests for cxpress.topics and cxpress.topic_quality: planted topics, metrics by hand, errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import written_outputs
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from cxpress.topics import (
    Resampling,
    agreement_score,
    assign_labels,
    average_jaccard,
    choose_k,
    compare_models,
    explain_k,
    find_artefact_terms,
    fit_topics,
    load_topic_labels,
    load_topic_stopwords,
    near_ties,
    npmi_coherence,
    resample_size,
    select_k,
    top_term_ids,
    vectorise_tokens,
)

PREFIXES = ("alpha", "beta", "gamma", "delta")
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def make_planted(n_per_topic: int = 30, seed: int = 0, years: tuple[int, ...] = tuple(range(2010, 2025))) -> pd.DataFrame:
    """Articles drawn from 4 disjoint Zipf-weighted vocabularies, one vocabulary per article."""
    rng = np.random.default_rng(seed)
    zipf = 1 / np.arange(1, 21)
    rows = []
    for prefix in PREFIXES:
        vocabulary = [f"{prefix}{i}" for i in range(20)]
        for j in range(n_per_topic):
            tokens = list(rng.choice(vocabulary, size=40, p=zipf / zipf.sum()))
            rows.append({"doc_id": f"{prefix}-{j}", "year": years[j % len(years)], "title": f"{prefix} {j}",
                         "text": " ".join(tokens), "tokens": tokens})
    return pd.DataFrame(rows).astype({"year": "Int64"})


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    return make_planted()


@pytest.fixture(scope="module")
def planted_model(planted):
    return fit_topics(planted, seed=0, k_values=(2, 3, 4, 5, 6), bigrams=False, n_jobs=1, n_boot=200)


# --- NPMI and stability on hand-computable cases -------------------------------------------

def test_npmi_of_terms_always_together_is_one_and_never_together_is_minus_one():
    # docs: {a, b}, {a, b}, {c}, {c}: a-b always co-occur; a-c never.
    presence = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]]))
    assert npmi_coherence(presence, [[0, 1]])[0] == pytest.approx(1.0)
    assert npmi_coherence(presence, [[0, 2]])[0] == pytest.approx(-1.0)
    # topic {a, b, c}: pairs ab=1, ac=-1, bc=-1 -> mean -1/3
    assert npmi_coherence(presence, [[0, 1, 2]])[0] == pytest.approx(-1 / 3)


def test_npmi_matches_the_formula_on_a_partial_overlap():
    # 4 docs: a in 1,2,3; b in 2,3,4 -> p(a)=p(b)=3/4, p(ab)=1/2
    presence = sparse.csr_matrix(np.array([[1, 0], [1, 1], [1, 1], [0, 1]]))
    expected = math.log(0.5 / (0.75 * 0.75)) / -math.log(0.5)
    assert npmi_coherence(presence, [[0, 1]])[0] == pytest.approx(expected)
    assert expected < 0  # less co-occurrence than independence predicts


def test_npmi_counts_presence_not_frequency():
    counts = sparse.csr_matrix(np.array([[5, 2, 0], [3, 7, 0], [0, 0, 9], [0, 0, 1]]))
    assert npmi_coherence(counts, [[0, 1]])[0] == pytest.approx(1.0)


def test_average_jaccard_by_hand():
    assert average_jaccard(["a", "b"], ["b", "a"]) == pytest.approx(0.5)  # (0 + 1) / 2
    assert average_jaccard(["a", "b", "c"], ["a", "b", "c"]) == pytest.approx(1.0)
    # prefixes: {a}|{a} = 1, {a,b}|{a,c} = 1/3, {a,b,c}|{a,c,d} = 2/4 -> mean 11/18
    assert average_jaccard(["a", "b", "c"], ["a", "c", "d"]) == pytest.approx((1 + 1 / 3 + 0.5) / 3)
    assert average_jaccard(["a"], ["b"]) == 0.0


def test_agreement_matches_permuted_topics():
    reference = [["a", "b"], ["c", "d"], ["e", "f"]]
    assert agreement_score(reference, [reference[2], reference[0], reference[1]]) == pytest.approx(1.0)
    # one topic's ranking swapped: that pair scores 0.5, the others 1 -> (1 + 1 + 0.5) / 3
    assert agreement_score(reference, [["f", "e"], ["a", "b"], ["c", "d"]]) == pytest.approx(2.5 / 3)


def test_top_term_ids_drop_zero_weights_and_order_by_weight():
    components = np.array([[0.1, 0.0, 0.5, 0.2], [0.0, 0.0, 0.0, 1.0]])
    tops = top_term_ids(components, 3)
    assert tops[0].tolist() == [2, 3, 0]
    assert tops[1].tolist() == [3]


@given(st.integers(1, 6), st.integers(1, 40), st.integers(0, 45), st.integers(0, 2**32 - 1),
       st.sampled_from([3, 50, None]))
def test_heaviest_first_equals_a_full_stable_sort(rows, columns, n, seed, levels):
    """Ties (few distinct weights, zeros, -0.0) and n beyond the row: the order of the full sort."""
    from cxpress.topics.quality import heaviest_first

    rng = np.random.default_rng(seed)
    components = rng.integers(0, levels, (rows, columns)) / 7 if levels else rng.random((rows, columns))
    components[rng.random((rows, columns)) < 0.3] = -0.0
    expected = np.argsort(-components, axis=1, kind="stable")[:, :n]
    assert np.array_equal(heaviest_first(components, n), expected)
    components[0, 0] = np.nan  # the full sort's place for NaN
    assert np.array_equal(heaviest_first(components, n), np.argsort(-components, axis=1, kind="stable")[:, :n])


def test_choose_k_sums_npmi_and_stability_and_breaks_ties_by_stability():
    selection = pd.DataFrame({"k": [5, 10, 15], "docs_per_topic": [40, 20, 13.3],
                              "npmi": [0.05, 0.15, 0.10], "stability": [0.60, 0.80, 0.70]})
    assert choose_k(selection) == 10  # sums 0.65, 0.95, 0.80
    tie = pd.DataFrame({"k": [5, 10], "docs_per_topic": [20, 10], "npmi": [0.2, 0.1], "stability": [0.7, 0.8]})
    assert choose_k(tie) == 10  # same sum: the more stable k
    flat = pd.DataFrame({"k": [5, 10], "docs_per_topic": [20, 10], "npmi": [0.2, 0.2], "stability": [0.7, 0.7]})
    assert choose_k(flat) == 5  # same sum and stability: the smaller k


def test_choose_k_never_picks_topics_of_a_few_articles():
    # k=30 on 60 articles: a near-perfect NPMI from two-article topics must not win
    selection = pd.DataFrame({"k": [5, 30], "docs_per_topic": [12, 2], "npmi": [0.3, 0.9],
                              "stability": [0.5, 0.5]})
    assert choose_k(selection) == 5
    assert choose_k(selection.iloc[[1]]) == 30  # nothing eligible: the smallest k scored


# --- vectorising ------------------------------------------------------------------------------

def test_vectorise_uses_the_token_lists_and_corpus_stop_list():
    articles = pd.DataFrame({"doc_id": list("abc"), "year": [2010, 2011, 2012],
                             "tokens": [["relation_client", "article"], ["relation_client", "maroc"],
                                        np.array(["maroc", "article"])]})
    dtm = vectorise_tokens(articles, min_df=2, max_df=1.0, bigrams=False)
    assert set(dtm.vocabulary) == {"relation_client", "maroc"}  # "article" is a corpus stop word
    assert "article" in load_topic_stopwords()
    assert dtm.counts.shape == (3, 2)


def test_vocabulary_emptied_by_frequency_bounds_says_what_to_change():
    articles = pd.DataFrame({"doc_id": ["a", "b"], "year": [2010, 2011], "tokens": [["x"], ["y"]]})
    with pytest.raises(ValueError, match="lower min_df, raise max_df"):
        vectorise_tokens(articles, min_df=2)


def test_missing_tokens_column_says_how_to_get_one():
    with pytest.raises(ValueError, match=r"map\(cxpress.tokens.tokenize\)"):
        vectorise_tokens(pd.DataFrame({"doc_id": ["a"], "text": ["bonjour"]}))


# --- fitting ----------------------------------------------------------------------------------

def test_planted_topics_are_recovered_pure_at_the_chosen_k(planted_model):
    assert planted_model.k == 4
    assert planted_model.selection.set_index("k").loc[4, "stability"] > 0.9
    prefixes = planted_model.terms.assign(prefix=planted_model.terms["term"].str.rstrip("0123456789"))
    purity = prefixes.groupby("topic")["prefix"].agg(lambda p: p.value_counts().iloc[0] / len(p))
    assert (purity == 1.0).all()
    assert sorted(prefixes.groupby("topic")["prefix"].first()) == sorted(PREFIXES)
    assert (planted_model.topics["size"] == 30).all()


def test_minibatch_nmf_recovers_the_planted_topics_too(planted):
    model = fit_topics(planted, k=4, seed=0, bigrams=False, method="minibatch", n_boot=50)
    assert model.info["method"] == "minibatch"
    prefixes = model.terms["term"].str.rstrip("0123456789")
    assert prefixes.groupby(model.terms["topic"]).nunique().eq(1).all()


def test_unknown_parameter_lists_the_valid_ones(planted):
    with pytest.raises(ValueError, match="unknown topic parameter.*'min_dff'.*min_df"):
        fit_topics(planted, k=4, min_dff=3)


def test_fit_is_deterministic_with_a_fixed_seed(planted):
    first = fit_topics(planted, k=4, seed=3, bigrams=False, n_boot=100)
    second = fit_topics(planted, k=4, seed=3, bigrams=False, n_boot=100)
    pd.testing.assert_frame_equal(first.terms, second.terms)
    pd.testing.assert_frame_equal(first.prevalence, second.prevalence)
    pd.testing.assert_frame_equal(first.doc_topics, second.doc_topics)


def test_selection_is_deterministic_and_parallel_equals_serial(planted):
    serial = select_k(vectorise_tokens(planted, bigrams=False), [3, 4], seed=1, resampling=Resampling(1), n_jobs=1)
    parallel = select_k(vectorise_tokens(planted, bigrams=False), [3, 4], seed=1, resampling=Resampling(1), n_jobs=2)
    columns = ["k", "npmi", "stability", "chosen"]
    pd.testing.assert_frame_equal(serial[columns], parallel[columns])
    assert serial.attrs["rule"]


def test_lda_baseline_scores_on_the_same_counts(planted):
    lda = select_k(vectorise_tokens(planted, bigrams=False), [4], resampling=Resampling(2), method="lda", n_jobs=1)
    assert lda["model"].tolist() == ["lda"] and -1 <= lda["npmi"].iloc[0] <= 1


def test_resamples_are_capped_on_large_corpora_only():
    assert resample_size(100, 4, 0.8, 2000) == 80
    assert resample_size(10_000, 15, 0.8, 2000) == 2000
    assert resample_size(10_000, 15, 0.8, None) == 8000
    assert resample_size(10, 30, 0.8, 2000) == 30  # never fewer articles than topics


def test_capped_resamples_change_stability_not_the_reference_fit(planted):
    dtm = vectorise_tokens(planted, bigrams=False)
    full = select_k(dtm, [4], seed=1, resampling=Resampling(2, max_docs=None), n_jobs=1)
    capped = select_k(dtm, [4], seed=1, resampling=Resampling(2, max_docs=40), n_jobs=1)
    assert full.attrs["resample_docs"] == 96 and capped.attrs["resample_docs"] == 40
    assert capped["npmi"].iloc[0] == full["npmi"].iloc[0]  # NPMI comes from the full-corpus fit
    assert 0 < capped["stability"].iloc[0] <= 1


def test_model_comparison_uses_one_sample_for_both_models(planted, tmp_path, monkeypatch):
    from cxpress import config

    monkeypatch.setattr(config, "PROCESSED", tmp_path)
    dtm = vectorise_tokens(planted, bigrams=False)
    sampled = compare_models(dtm, 4, seed=0, n_runs=1, max_docs=60)
    assert sampled["model"].tolist() == ["nmf", "lda"] and sampled.attrs["n_docs"] == 60
    assert sampled["docs_per_topic"].tolist() == [15.0, 15.0]
    whole = compare_models(dtm, 4, seed=0, n_runs=1, max_docs=None)
    assert whole.attrs["n_docs"] == dtm.n_docs == 120
    assert whole.loc[0, "npmi"] == select_k(dtm, [4], seed=0, resampling=Resampling(1), n_jobs=1)["npmi"].iloc[0]


def test_model_comparison_fits_with_the_workers_it_is_given(planted, monkeypatch):
    """Two notebooks side by side get one worker each: the comparison's fits must not start two more."""
    from cxpress.topics import quality

    seen, original = [], quality.select_k
    monkeypatch.setattr(quality, "select_k", lambda *a, **kw: seen.append(kw["n_jobs"]) or original(*a, **kw))
    dtm = vectorise_tokens(planted, bigrams=False)
    one = compare_models(dtm, 4, seed=0, n_runs=1, max_docs=60, n_jobs=1)
    assert seen == [1, 1]
    two = compare_models(dtm, 4, seed=0, n_runs=1, max_docs=60, n_jobs=2)
    cols = ["model", "k", "npmi", "npmi_min", "stability"]
    pd.testing.assert_frame_equal(one[cols], two[cols])


def test_too_few_articles_for_k_says_what_to_change(planted):
    small = planted.groupby(planted["doc_id"].str[:4]).head(2)  # 8 articles
    with pytest.raises(ValueError, match=r"k=5 is too large for 8 non-empty articles.*use k <= 4"):
        fit_topics(small, k=5, bigrams=False, exclude_artefacts=())
    with pytest.raises(ValueError, match="no k in"):
        fit_topics(small, bigrams=False, k_values=(10, 20), exclude_artefacts=())
    with pytest.raises(ValueError, match="every term was excluded.*exclude_artefacts"):
        # each term sits in 2 articles that repeat it: a handful
        fit_topics(small.assign(tokens=small["tokens"].map(lambda t: t * 3)), k=2, bigrams=False)


def test_years_without_articles_are_gaps_not_zeros(planted):
    sparse_years = make_planted(years=(2010, 2011, 2014))
    sparse_years.loc[0, "year"] = pd.NA  # undated: used for the fit, left out of the yearly figures
    model = fit_topics(sparse_years, k=4, seed=0, bigrams=False, years=(2010, 2015), n_boot=50)
    assert model.info["n_undated"] == 1 and model.doc_topics["doc_id"].nunique() == 120
    by_year = model.prevalence.groupby("year")
    assert by_year["n_articles"].first().to_dict() == {2010: 39, 2011: 40, 2012: 0, 2013: 0, 2014: 40, 2015: 0}
    gap = model.prevalence[model.prevalence["year"] == 2012]
    assert gap[["estimate", "ci_low", "ci_high"]].isna().all().all() and gap["sparse"].all()
    assert by_year["estimate"].sum().loc[2010] == pytest.approx(1.0)
    assert list(model.prevalence.columns) == ["topic", "year", "estimate", "ci_low", "ci_high", "n_articles",
                                              "sparse"]


def test_prevalence_ci_brackets_share_and_trend_detects_a_rising_topic():
    rows = []
    for year in range(2010, 2020):
        for j in range(20):
            prefix = "alpha" if j < 2 * (year - 2009) else "beta"  # alpha grows every year
            tokens = [f"{prefix}{i % 5}" for i in range(j, j + 10)]
            rows.append({"doc_id": f"{year}-{j}", "year": year, "title": "", "text": "", "tokens": tokens})
    model = fit_topics(pd.DataFrame(rows), k=2, seed=0, bigrams=False, max_df=1.0, n_boot=300)
    prev = model.prevalence.dropna()
    assert ((prev["ci_low"] <= prev["estimate"] + 1e-12) & (prev["estimate"] <= prev["ci_high"] + 1e-12)).all()
    alpha = model.terms.loc[model.terms["term"].str.startswith("alpha"), "topic"].iloc[0]
    trend = model.trends.set_index("topic")
    assert trend.loc[alpha, "direction"] == "rising" and trend.loc[1 - alpha, "direction"] == "falling"
    assert trend.loc[alpha, "slope"] == pytest.approx(0.1, abs=0.02)  # 2 articles of 20 more each year
    assert trend.loc[alpha, "ci_low"] > 0 and trend.loc[alpha, "p_value"] < 0.01
    assert list(model.trends.columns[:8]) == ["topic", "label", "slope", "ci_low", "ci_high", "p_value",
                                              "n_years", "direction"]


def test_sparse_years_flagged_and_left_out_of_topic_trends():
    articles = make_planted(years=(2010, 2011, 2012, 2013, 2014))  # 24 articles a year
    articles = articles.drop(articles.index[articles["year"].eq(2014)][3:])  # 3 left in 2014
    model = fit_topics(articles, k=4, seed=0, bigrams=False, n_boot=50, min_articles=5)
    sparse = model.prevalence.groupby("year")["sparse"].first()
    assert sparse.to_dict() == {2010: False, 2011: False, 2012: False, 2013: False, 2014: True}
    assert (model.trends["n_years"] == 4).all() and (model.trends["n_sparse_years"] == 1).all()
    assert (model.trends["last_year"] == 2013).all()


def test_model_tables_are_tidy_and_consistent(planted_model):
    m = planted_model
    assert list(m.terms.columns) == ["topic", "rank", "term", "weight"]
    assert len(m.doc_topics) == len(m.document_terms.doc_ids) * m.k
    assert m.doc_topics.groupby("doc_id")["share"].sum().round(9).eq(1).all()
    assert set(m.representative.groupby("topic")["rank"].max()) == {3}
    sim = m.similarity.pivot(index="topic_a", columns="topic_b", values="similarity").to_numpy()
    assert np.allclose(np.diag(sim), 1) and np.allclose(sim, sim.T)
    assert m.info["n_empty"] == 0 and m.info["fit_seconds"] > 0


def test_labels_go_to_the_topic_sharing_most_terms_once():
    top = {0: ["maroc", "tunisie", "offshore"], 1: ["chatbot", "ia", "maroc"], 2: ["grève", "salaire"]}
    labels = [{"label": "Offshore", "terms": ["maroc", "tunisie"]}, {"label": "IA", "terms": ["ia", "chatbot"]},
              {"label": "Rien", "terms": ["salaire", "bloctel", "loi"]}]
    assert assign_labels(top, labels) == {0: "Offshore", 1: "IA"}  # "Rien" shares only one term
    assert all(entry["terms"] for entry in load_topic_labels())


@pytest.mark.shared
def test_shared_corpus_gives_coherent_stable_topics():
    if not (SHARED / "realistic").is_dir():
        pytest.skip("../shared/corpus is absent")
    from cxpress.corpus import load_corpus, select_for_analysis

    articles = select_for_analysis(load_corpus(SHARED / "realistic", cache=False).articles)
    model = fit_topics(articles, seed=0, k_values=(3, 5), n_stability_runs=3, n_boot=100)
    chosen = model.selection[model.selection["chosen"]].iloc[0]
    assert chosen["npmi"] > 0 and chosen["stability"] > 0.3


def test_topic_plots_draw_every_topic_and_leave_gap_years_empty(planted_model):
    import matplotlib

    matplotlib.use("Agg")
    from cxpress import plots

    m = planted_model
    assert len([ax for ax in plots.plot_topic_terms(m.terms, m.topics, ncols=3).axes if ax.get_visible()]) == m.k
    selection = pd.concat([m.selection, m.selection.assign(model="lda")])
    npmi_ax, stability_ax = plots.plot_k_selection(selection).axes
    labels = stability_ax.get_legend_handles_labels()[1]
    assert {"NMF", "LDA", "chosen k (NMF)", "chosen k (LDA)"} <= set(labels)  # a line and a mark per model
    assert "NPMI" in npmi_ax.get_title() and "Stability" in stability_ax.get_title()
    gaps = m.prevalence.assign(estimate=m.prevalence["estimate"].where(m.prevalence["year"] != 2012))
    heatmap = plots.plot_prevalence_heatmap(gaps, m.topics)
    assert np.ma.getmaskarray(heatmap.axes[1].images[0].get_array())[:, 2].all()  # 2012 column masked
    assert len(plots.plot_topic_trends(m.trends).axes[0].collections) == 2
    similarity = plots.plot_topic_similarity(m.similarity, m.topics).axes[0]
    assert similarity.images[0].get_array().shape == (m.k, m.k)
    assert [tick.get_text() for tick in similarity.get_yticklabels()] == [
        f"{t}: {label}" for t, label in zip(m.topics["topic"], m.topics["label"], strict=True)]


def test_notebook_has_one_literal_parameters_cell_and_no_outputs():
    import ast
    import json

    from cxpress.config import NOTEBOOKS

    cells = json.loads((NOTEBOOKS / "02_topics_nmf.ipynb").read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    for node in ast.parse("".join(tagged[0]["source"])).body:
        assert isinstance(node, ast.Assign)
        ast.literal_eval(node.value)
    assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code")


@pytest.mark.slow
def test_notebook_runs_on_the_demo_corpus(project_reports):
    from cxpress import config

    reports = project_reports[0]
    tables, figures = written_outputs(reports, "topics")
    assert tables == {f"topics_{name}.csv" for name in
                      ("k_selection", "excluded_terms", "topics", "terms", "doc_topics", "prevalence",
                       "trends", "representative", "similarity", "model_comparison", "by_group")}
    excluded = pd.read_csv(reports / "tables" / "topics_excluded_terms.csv")
    assert set(excluded["reason"]) <= {"initials", "name", "outlet", "handful", "inside pair"}
    assert figures == {f"topics_{name}.png" for name in
                       ("k_selection", "terms", "prevalence", "prevalence_heatmap", "trends", "similarity",
                        "by_group")}
    by_group = pd.read_csv(reports / "tables" / "topics_by_group.csv")
    assert "unknown" in set(by_group["outlet_family"])  # the demo's loose files have no outlet
    comparison = pd.read_csv(reports / "tables" / "topics_model_comparison.csv")
    assert comparison["model"].tolist() == ["nmf", "lda"]
    doc_topics = pd.read_csv(reports / "tables" / "topics_doc_topics.csv")
    assert doc_topics.filter(like="topic_").sum(axis=1).round(2).eq(1).all()
    prevalence = pd.read_csv(reports / "tables" / "topics_prevalence.csv")
    assert sorted(prevalence["year"].unique()) == list(range(config.YEAR_MIN, config.YEAR_MAX + 1))


def test_k_grid_is_cached_on_disk(tmp_path, monkeypatch):
    from cxpress.topics import quality as topic_quality
    from cxpress.topics import vectorise_tokens

    articles = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)], "year": [2015] * 40,
                             "tokens": [["chat", "chien", f"mot{i % 4}", f"mot{i % 4}b"] * 3 for i in range(40)]})
    dtm = vectorise_tokens(articles)
    first = topic_quality.select_k_memoised(dtm, [2, 3], tmp_path, seed=0, resampling=Resampling(2), n_jobs=1)

    def no_refit(*args, **kwargs):
        raise AssertionError("the cached grid was refit")

    monkeypatch.setattr(topic_quality, "_fit_run", no_refit)
    again = topic_quality.select_k_memoised(dtm, [3, 2], tmp_path, seed=0, resampling=Resampling(2), n_jobs=1)
    pd.testing.assert_frame_equal(first, again)
    assert any(tmp_path.rglob("output.pkl"))
    other = vectorise_tokens(articles.iloc[:30])
    with pytest.raises(AssertionError, match="refit"):  # another matrix is another key
        topic_quality.select_k_memoised(other, [2, 3], tmp_path, seed=0, resampling=Resampling(2), n_jobs=1)


def test_final_fit_is_read_back_with_the_same_tables(planted, tmp_path, monkeypatch):
    """Notebook 05 fits the model notebook 02 fitted: with a memory the second fit is read back."""
    from cxpress.topics import quality as topic_quality

    params = {"k_values": (3, 4), "bigrams": False, "n_jobs": 1, "n_boot": 50, "n_stability_runs": 1}
    first = fit_topics(planted, seed=0, memory=tmp_path, **params)

    def no_fit(*args, **kwargs):
        raise AssertionError("fitted again")

    monkeypatch.setattr(topic_quality, "factorise", no_fit)
    monkeypatch.setattr(topic_quality, "_fit_run", no_fit)
    again = fit_topics(planted, seed=0, memory=tmp_path, **params)
    for name in ("terms", "topics", "doc_topics", "prevalence", "similarity"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name))
    no_grid = {**params, "k_values": None}
    assert fit_topics(planted, k=first.k, seed=0, memory=tmp_path, **no_grid).k == first.k  # read back
    with pytest.raises(AssertionError, match="fitted again"):  # another seed is another fit
        fit_topics(planted, k=first.k, seed=1, memory=tmp_path, **no_grid)


def test_near_ties_are_the_eligible_k_within_one_standard_error_of_the_chosen():
    # scores (NPMI + stability): k=5 1.00 (chosen), k=10 0.98, k=15 0.80, k=30 0.99 but 2 articles
    # per topic; SE of a difference with SD 0.05 over 5 runs: sqrt(2 * 0.05**2 / 4) = 0.035
    selection = pd.DataFrame({"k": [5, 10, 15, 30], "docs_per_topic": [40, 20, 13.3, 2],
                              "npmi": [0.40, 0.40, 0.30, 0.49], "stability": [0.60, 0.58, 0.50, 0.50],
                              "stability_sd": [0.05] * 4})
    selection["chosen"] = selection["k"] == choose_k(selection)
    assert choose_k(selection) == 5
    assert near_ties(selection, n_runs=5) == [10]  # 0.02 <= 0.035; k=15 is 0.20 behind; k=30 ineligible
    assert near_ties(selection.assign(stability_sd=0.005), n_runs=5) == []  # 0.02 > 0.0035
    assert near_ties(selection, n_runs=1) == []  # no resamples to measure the error with


def test_select_k_flags_near_ties(planted):
    from cxpress.topics import vectorise_tokens

    dtm = vectorise_tokens(planted)
    selection = select_k(dtm, [3, 4, 5], seed=0, resampling=Resampling(3))
    assert selection["near_tie"].dtype == bool
    assert not selection.loc[selection["chosen"], "near_tie"].any()
    assert selection["near_tie"].tolist() == [k in near_ties(selection, 3) for k in selection["k"]]


# --- artefacts left out of the topic vocabulary (invented examples) ------------------------------

def _vocabulary_of(rows: list[tuple[str, str]], **frame) -> tuple[pd.DataFrame, object]:
    """Articles from (text, outlet) pairs, tokens = lower-case words, and their document-term matrix."""
    texts = [text for text, _ in rows]
    articles = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(rows))], "year": 2015, "text": texts,
                             "tokens": [t.lower().replace(":", " ").replace(".", " ").replace(",", " ").split()
                                        for t in texts], **frame})
    return articles, vectorise_tokens(articles, min_df=1, max_df=1.0, stopwords=frozenset({"le", "la", "et"}))


def _excluded(articles, dtm, reasons) -> dict[str, str]:
    table = find_artefact_terms(articles, dtm, str, reasons)
    return dict(zip(table["term"], table["reason"], strict=True))


def test_interview_initials_are_left_out_and_ordinary_short_words_kept():
    qa = "XY : pourquoi vendre ?\nAB : pour grandir vite.\nXY : et demain ?\nAB : grandir encore."
    articles, dtm = _vocabulary_of([(qa, "a"), ("Le bus passe vite.", "a"), ("Le bus grandir.", "b")])
    excluded = _excluded(articles, dtm, ["initials"])
    assert excluded["xy"] == excluded["ab"] == "initials"
    assert "bus" not in excluded and "xy pourquoi" in excluded  # its pairs go with it


def test_names_quoted_in_few_articles_go_places_across_many_stay():
    rows = [("Nous avons vu Zorglub hier, puis Zorglub parle.", "a")] + [
        (f"Le centre ouvre au Sylvanie, dit le texte {i}.", "a") for i in range(5)]
    articles, dtm = _vocabulary_of(rows)
    excluded = _excluded(articles, dtm, ["name"])
    assert excluded.get("zorglub") == "name"  # capitalised mid-sentence, one article
    assert "sylvanie" not in excluded  # capitalised too, but in 5 articles: a subject
    assert "centre" not in excluded


def test_a_term_of_a_handful_of_articles_goes_a_spread_one_stays():
    rows = ([("tortue tortue tortue tortue appel loutre", "a")] * 2 + [("appel tortue", "a")]
            + [("appel plateau", "a")] * 6)
    articles, dtm = _vocabulary_of(rows)
    excluded = _excluded(articles, dtm, ["handful"])
    assert excluded.get("tortue") == "handful"  # 9 of 9 occurrences in 3 articles that repeat it
    assert "appel" not in excluded and "plateau" not in excluded
    assert "loutre" not in excluded  # in 2 articles, once each: rare (min_df's call), not repeated


def test_a_term_of_one_outlet_goes_when_chance_would_rarely_give_it():
    rows = [("marsupial appel", "zoo")] * 4 + [("appel plateau", f"o{i}") for i in range(12)]
    articles, dtm = _vocabulary_of(rows, outlet=["zoo"] * 4 + [f"o{i % 3}" for i in range(12)])
    excluded = _excluded(articles, dtm, ["outlet"])
    assert excluded.get("marsupial") == "outlet"  # (4/16) ** 4 < 1 %
    assert "appel" not in excluded
    flat, flat_dtm = _vocabulary_of(rows)  # no outlet known: the rule stays silent
    assert "outlet" not in set(_excluded(flat.drop(columns="outlet", errors="ignore"), flat_dtm, ["outlet"]).values())


def test_a_word_found_only_inside_a_pair_leaves_the_pair_whole():
    rows = [("appel sortant", "a")] * 5 + [("appel entrant", "a")] * 5 + [("sortant seul", "a")]
    articles, dtm = _vocabulary_of(rows)
    excluded = _excluded(articles, dtm, ["inside pair"])
    assert excluded == {"entrant": "inside pair", "seul": "inside pair"}  # 5/6 of "sortant" is below 9/10
    assert "appel sortant" not in excluded and "appel" not in excluded  # "appel" is in two pairs


def test_fit_topics_lists_artefacts_and_keeps_them_when_asked(planted):
    marked = planted.assign(tokens=[t + ["zz"] * 4 if i < 2 else t for i, t in enumerate(planted["tokens"])])
    model = fit_topics(marked, k=4, bigrams=False, n_boot=10)
    assert model.excluded.set_index("term").loc["zz", "reason"] == "handful"
    assert "zz" not in set(model.document_terms.vocabulary)
    kept = fit_topics(marked, k=4, bigrams=False, n_boot=10, exclude_artefacts=())
    assert "zz" in set(kept.document_terms.vocabulary) and kept.excluded.empty
    with pytest.raises(ValueError, match="unknown artefact rule"):
        fit_topics(marked, k=4, exclude_artefacts=("typo",))


# --- why the chosen k wins --------------------------------------------------------------------

def _selection(ks, npmi, stability, docs):
    table = pd.DataFrame({"k": ks, "docs_per_topic": docs, "npmi": npmi, "stability": stability,
                          "stability_sd": 0.0})
    return table.assign(chosen=table["k"] == choose_k(table), near_tie=False)


def test_explain_k_flags_a_score_still_rising_at_the_grids_upper_edge():
    why = explain_k(_selection([4, 6, 8], [0.1, 0.2, 0.3], [0.5, 0.5, 0.5], [30, 20, 15]))
    assert "k=8" in why and "upper edge" in why and "0.100 ahead of k=6" in why


def test_explain_k_says_why_larger_k_with_higher_npmi_lose():
    why = explain_k(_selection([4, 6, 8], [0.3, 0.2, 0.6], [0.5, 0.5, 0.5], [15, 10, 7]))
    assert why.startswith("k=4 has the best score") and "k=8 leave fewer than 10 articles" in why
    assert "higher NPMI" in why and "lower edge" in why  # the score falls after the grid's first k


def test_explain_k_without_an_eligible_k_says_what_to_change():
    assert "lower k_min or add articles" in explain_k(_selection([4, 6], [0.3, 0.4], [0.5, 0.5], [5, 3]))
