import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from cxpress.comparison_plots import plot_group_estimates
from cxpress.comparisons import (
    UNKNOWN,
    attach_groups,
    describe_comparison,
    group_estimates,
    group_labels,
    period_slots,
)
from cxpress.sentiment import sentiment_by_group
from cxpress.timelines import term_share_by_group
from cxpress.topics import prevalence_by_group

TRUE_SHARES = {"national": 0.2, "trade": 0.6}


def two_outlet_families(n_per: int = 300, seed: int = 3) -> pd.DataFrame:
    """Articles of two families drawn with known shares of 1s, plus a few without an outlet."""
    rng = np.random.default_rng(seed)
    rows = []
    for family, share in TRUE_SHARES.items():
        rows += [{"family": family, "value": float(rng.random() < share)} for _ in range(n_per)]
    rows += [{"family": None, "value": 1.0} for _ in range(4)]
    frame = pd.DataFrame(rows)
    return frame.assign(doc_id=[f"d{i}" for i in range(len(frame))], group="ai",
                        year=rng.integers(2010, 2025, len(frame)))


def test_cis_of_two_groups_cover_their_known_shares():
    table = group_estimates(two_outlet_families(), by="family", n_boot=500)
    known = table[table["family"] != UNKNOWN].set_index("family")
    for family, share in TRUE_SHARES.items():
        row = known.loc[family]
        assert row["ci_low"] < share < row["ci_high"]
        assert row["ci_high"] - row["ci_low"] < 0.15  # 300 articles: a few points either side
        assert row["n_articles"] == 300 and not row["sparse"]
    assert known.loc["national", "ci_high"] < known.loc["trade", "ci_low"]  # the difference shows


def test_missing_outlets_form_one_unknown_group_reported_last():
    table = group_estimates(two_outlet_families(), by="family", n_boot=50)
    assert table["family"].tolist() == ["national", "trade", UNKNOWN]
    unknown = table.set_index("family").loc[UNKNOWN]
    assert unknown["n_articles"] == 4 and unknown["estimate"] == 1.0
    assert unknown["sparse"]  # 4 < min_articles
    assert table["n_articles"].sum() == 604  # nobody dropped
    labels = group_labels(pd.DataFrame({"o": ["Le Monde", None, "  ", np.nan]}), "o")
    assert labels.tolist() == ["Le Monde", UNKNOWN, UNKNOWN, UNKNOWN]


def test_periods_split_groups_and_flag_sparse_cells():
    values = two_outlet_families(n_per=30)
    periods = [[2010, 2014], [2015, 2019], [2020, 2024]]
    table = group_estimates(values, by="family", periods=periods, n_boot=50, min_articles=12)
    assert len(table) == 3 * 4  # every group x (all years + every period), empty cells included
    assert table["period"].drop_duplicates().tolist() == ["all years", "2010-2014", "2015-2019", "2020-2024"]
    split = table[table["period"] != "all years"]
    assert split["n_articles"].sum() == len(values)
    overall = table[table["period"] == "all years"].set_index("family")["n_articles"]
    assert split.groupby("family")["n_articles"].sum().equals(overall.loc[split["family"].unique()])
    assert (table["sparse"] == (table["n_articles"] < 12)).all()
    assert table.loc[table["n_articles"] < 2, "ci_low"].isna().all()
    early = group_estimates(values, by="family", periods=[[2010, 2012]], n_boot=0)
    assert early.attrs["n_outside_periods"] == int((values["year"] > 2012).sum())


def test_period_slots_reject_overlaps_and_reversed_bounds():
    slot, names = period_slots(pd.Series([2010, 2016, None, 2030]), [[2010, 2014], [2015, 2019]])
    assert names == ["2010-2014", "2015-2019"]
    assert slot[:2].tolist() == [0, 1] and np.isnan(slot[2:]).all()
    with pytest.raises(ValueError, match="overlap"):
        period_slots(pd.Series([2010]), [[2010, 2016], [2015, 2019]])
    with pytest.raises(ValueError, match="first_year, last_year"):
        period_slots(pd.Series([2010]), [[2014, 2010]])


def test_bad_group_column_and_unknown_articles_are_errors():
    values = two_outlet_families(n_per=5)
    with pytest.raises(ValueError, match="no column 'outlet'"):
        group_estimates(values, by="outlet")
    articles = values[["doc_id", "family"]].iloc[:-1]
    with pytest.raises(ValueError, match="1 rows"):
        attach_groups(values.drop(columns="family"), articles, "family")


def test_description_says_when_too_few_groups_can_be_compared():
    table = group_estimates(two_outlet_families(), by="family", n_boot=0)
    text = describe_comparison(table)
    assert text.startswith("2 of 2 groups by family") and "4 articles have no family" in text
    assert "Too few" not in text
    thin = group_estimates(two_outlet_families(n_per=3), by="family", n_boot=0)
    assert "Too few groups by family" in describe_comparison(thin)


def test_analysis_wrappers_compare_topics_terms_and_sentiment_by_outlet():
    articles = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"], "year": [2012, 2013, 2021, 2022], "n_tokens": [20, 20, 20, 20],
        "outlet_family": ["trade", "trade", None, "trade"],
        "text": ["Le chatbot répond.", "Rien ici.", "Un chatbot encore.", "Un callbot et un chatbot."]})
    shares = term_share_by_group(articles, {"ai": ["chatbot", "callbot"]}, n_boot=20)
    row = shares.set_index("outlet_family").loc["trade"]
    assert row["estimate"] == pytest.approx(2 / 3) and row["measure"] == "share"
    assert shares.set_index("outlet_family").loc[UNKNOWN, "n_articles"] == 1
    doc_topics = pd.DataFrame({"doc_id": np.repeat(list("abcd"), 2), "year": np.repeat([2012, 2013, 2021, 2022], 2),
                               "topic": [0, 1] * 4, "share": [1, 0, 0.5, 0.5, 0, 1, np.nan, np.nan]})
    prevalence = prevalence_by_group(doc_topics, articles, n_boot=0, periods=[[2010, 2014], [2020, 2024]])
    trade = prevalence[(prevalence["outlet_family"] == "trade") & (prevalence["period"] == "2010-2014")]
    assert trade.set_index("topic")["estimate"].tolist() == [0.75, 0.25]
    assert prevalence["period"].nunique() == 3 and len(prevalence) == 2 * 2 * 3  # topics x groups x periods
    scored = pd.DataFrame({"doc_id": ["a", "a", "c"], "year": [2012, 2012, 2021], "target": "ai",
                           "label": ["positive", "negative", "positive"], "score": [0.8, -0.4, 0.6]})
    tone = sentiment_by_group(scored, articles, n_boot=0).set_index("outlet_family")
    assert tone.loc["trade", "estimate"] == pytest.approx(0.2) and tone.loc["trade", "n_sentences"] == 2
    assert tone.loc["trade", "sparse"]  # 2 sentences < min_sentences


def test_group_figure_has_a_panel_per_facet_and_hollow_sparse_cells():
    table = group_estimates(two_outlet_families(), by="family", periods=[[2010, 2017], [2018, 2024]], n_boot=50)
    fig = plot_group_estimates(table, facet="group", percent=True, titles={"ai": "IA"})
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["IA"]
    labels = [t.get_text() for t in visible[0].get_yticklabels()]
    assert labels == ["national (n=300)", "trade (n=300)", f"{UNKNOWN} (n=4)"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["all years", "2010-2017", "2018-2024", "sparse (few articles)"]
    plt.close(fig)
    with pytest.raises(ValueError, match="not in the table"):
        plot_group_estimates(table.drop(columns="period"), facet="group")
