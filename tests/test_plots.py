import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from cxpress.plots import plot_keyness, plot_label_shares, plot_topic_trends, plot_yearly_with_ci


@pytest.fixture
def timeline():
    years = list(range(2010, 2016))
    share = [0.1, 0.2, np.nan, 0.3, 0.5, 0.4]
    rows = [{"group": g, "year": y, "estimate": s, "ci_low": s - 0.05, "ci_high": s + 0.05,
             "n_articles": 0 if np.isnan(s) else 10 + i, "sparse": np.isnan(s) or y == 2015}
            for g in ("ai", "offshoring", "gdpr") for i, (y, s) in enumerate(zip(years, share, strict=True))]
    return pd.DataFrame(rows)


def test_yearly_small_multiples_have_a_series_and_a_count_panel_per_facet(timeline):
    fig = plot_yearly_with_ci(timeline, titles={"ai": "IA"}, percent=True)  # the shared yearly columns
    series = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in series] == ["IA", "offshoring", "gdpr"]
    assert len(fig.axes) == 6
    bars = [ax for ax in fig.axes if not ax.get_title()]
    assert [p.get_height() for p in bars[0].patches] == [10, 11, 0, 13, 14, 15]
    line = series[0].get_lines()[0]
    assert np.isnan(line.get_ydata()[2])  # an empty year stays a gap
    plt.close(fig)


def test_yearly_plot_without_counts_and_with_bad_columns(timeline):
    fig = plot_yearly_with_ci(timeline.drop(columns="sparse"), "estimate", "ci_low", "ci_high", counts=None,
                              ncols=3)
    assert len(fig.axes) == 3
    plt.close(fig)
    with pytest.raises(ValueError, match=r"columns \['mean'\] not in the table"):
        plot_yearly_with_ci(timeline, "mean", "ci_low", "ci_high")
    with pytest.raises(ValueError, match="nothing to plot"):
        plot_yearly_with_ci(timeline.iloc[:0])


def test_keyness_chart_shows_both_periods():
    table = pd.DataFrame({"term": ["offshore", "ia", "chatbot", "minitel"], "g2": [30.0, 25.0, 12.0, 8.0],
                          "log_ratio": [2.0, -3.0, -2.5, 4.0],
                          "favours": ["2010-2014", "2020-2024", "2020-2024", "2010-2014"]})
    table.attrs["periods"] = ("2010-2014", "2020-2024")
    fig = plot_keyness(table, n=1)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ia", "offshore"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["more frequent in 2010-2014",
                                                                   "more frequent in 2020-2024"]
    plt.close(fig)
    with pytest.raises(ValueError, match="empty keyness table"):
        plot_keyness(table.iloc[:0])


def test_label_shares_stack_to_one_and_leave_years_without_sentences_empty():
    by_year = pd.DataFrame({"target": "ai", "year": [2010, 2011, 2012],
                            "share_negative": [0.2, np.nan, 0.5], "share_neutral": [0.5, np.nan, 0.5],
                            "share_positive": [0.3, np.nan, 0.0], "sparse": [False, True, False]})
    fig = plot_label_shares(by_year, titles={"ai": "IA"})
    ax = fig.axes[0]
    tops = {}
    for bar in ax.patches:
        year = round(bar.get_x() + bar.get_width() / 2)
        tops[year] = max(tops.get(year, 0), bar.get_y() + bar.get_height())
    assert tops == pytest.approx({2010: 1.0, 2011: 0.0, 2012: 1.0})
    assert ax.get_title() == "IA"
    plt.close(fig)


def test_keyness_chart_marks_the_bonferroni_significant_terms():
    table = pd.DataFrame({"term": ["offshore", "ia", "chatbot", "minitel"], "g2": [30.0, 25.0, 12.0, 8.0],
                          "log_ratio": [2.0, -3.0, -2.5, 4.0], "p_bonferroni": [0.001, 0.2, 0.01, 1.0],
                          "favours": ["2010-2014", "2020-2024", "2020-2024", "2010-2014"]})
    table.attrs["periods"] = ("2010-2014", "2020-2024")
    fig = plot_keyness(table, n=2)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ia", "chatbot *", "offshore *", "minitel"]
    assert [bar.get_alpha() for bar in ax.patches] == [0.4, 1.0, 1.0, 0.4]
    assert "2 of 4" in ax.get_legend().get_texts()[-1].get_text()
    plt.close(fig)


def test_yearly_line_leaves_a_gap_for_a_year_without_a_row():
    table = pd.DataFrame({"group": "g", "year": [2010, 2011, 2013, 2014], "estimate": [0.1, 0.2, 0.3, 0.4],
                          "ci_low": 0.0, "ci_high": 0.5, "n_articles": 5, "sparse": False})
    fig = plot_yearly_with_ci(table, ylabel="share")
    ax = fig.axes[0]
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [2010, 2011, 2012, 2013, 2014]
    assert np.isnan(line.get_ydata()[2])  # 2012: a gap, not a segment from 2011 to 2013
    assert ax.get_ylabel() == "share"
    plt.close(fig)


def test_topic_trends_too_sparse_give_a_figure_saying_so():
    trends = pd.DataFrame({"topic": [0, 1], "label": ["a", "b"], "slope": [np.nan, np.nan],
                           "ci_low": np.nan, "ci_high": np.nan, "n_years": [2, 1],
                           "direction": "too few years"})
    fig = plot_topic_trends(trends)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert len(texts) == 1 and "Too sparse" in texts[0] and "at most 2" in texts[0]
    plt.close(fig)
    fig = plot_topic_trends(trends.assign(slope=[0.01, -0.02], ci_low=[0.005, -0.03], ci_high=[0.02, 0.01],
                                          direction=["rising", "no clear trend"]))
    assert not fig.axes[0].texts and len(fig.axes[0].collections) == 2  # CI bars and points
    plt.close(fig)
