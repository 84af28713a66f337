"""Tests for cxpress.yearly: yearly estimates with article-bootstrap CIs and their trend, on known answers."""

import numpy as np
import pandas as pd
import pytest

import cxpress.yearly as yearly
from cxpress.yearly import scale_slopes, yearly_estimates, yearly_trends


def per_article(values_by_year: dict[int, list[float]], group: str = "g", **extra) -> pd.DataFrame:
    """One row per article: its group, year and value (plus constant extra columns)."""
    rows = [{"group": group, "year": year, "value": v, **extra}
            for year, values in values_by_year.items() for v in values]
    return pd.DataFrame(rows)


def noisy_rise(seed: int = 0, n: int = 40) -> pd.DataFrame:
    """0/1 per article, the chance of a 1 rising by 5 points a year from 10% in 2010."""
    rng = np.random.default_rng(seed)
    return per_article({y: list((rng.random(n) < 0.1 + 0.05 * (y - 2010)).astype(float))
                        for y in range(2010, 2020)})


def test_constant_values_give_a_collapsed_ci_and_no_trend():
    values = per_article({y: [0.3] * 7 for y in range(2010, 2020)})
    table = yearly_estimates(values, n_boot=200)
    assert table["estimate"].to_numpy() == pytest.approx(0.3)
    assert np.allclose(table["ci_low"], 0.3) and np.allclose(table["ci_high"], 0.3)
    trend = yearly_trends(values, n_boot=200).iloc[0]
    assert trend["slope"] == 0 and trend["ci_low"] == 0 and trend["ci_high"] == 0
    assert trend["direction"] == "no clear trend" and trend["p_value"] == 1


def test_a_clean_linear_rise_is_rising_with_a_ci_above_zero_and_a_small_p():
    values = per_article({y: [0.1 * (y - 2010)] * 5 for y in range(2010, 2018)})
    trend = yearly_trends(values, n_boot=500).iloc[0]
    assert trend["slope"] == pytest.approx(0.1)
    assert trend["ci_low"] == pytest.approx(0.1) and trend["direction"] == "rising"
    assert trend["p_value"] == pytest.approx(2 / 501)
    assert (trend["n_years"], trend["first_year"], trend["last_year"]) == (8, 2010, 2017)
    falling = yearly_trends(values.assign(value=-values["value"]), n_boot=500).iloc[0]
    assert falling["direction"] == "falling" and falling["ci_high"] < 0


def test_a_noisy_rise_is_found_and_its_ci_covers_the_true_slope():
    trend = yearly_trends(noisy_rise(), n_boot=1000).iloc[0]
    assert trend["direction"] == "rising" and trend["p_value"] < 0.01
    assert trend["ci_low"] < 0.05 < trend["ci_high"]


def test_direction_always_agrees_with_the_ci():
    rng = np.random.default_rng(3)
    frames = [per_article({y: list(rng.normal(0.01 * (y - 2010) * (i % 3 - 1), 0.2, 12))
                           for y in range(2010, 2016)}, group=f"g{i}") for i in range(30)]
    trends = yearly_trends(pd.concat(frames), n_boot=200)
    rising, falling = trends["ci_low"] > 0, trends["ci_high"] < 0
    assert (trends["direction"] == np.where(rising, "rising", np.where(falling, "falling", "no clear trend"))).all()
    assert rising.any() and falling.any() and (~rising & ~falling).any()
    # the p-value comes from the same replicates: about 0.05 where the CI just touches zero
    assert (trends.loc[rising | falling, "p_value"] <= 0.06).all()
    assert (trends.loc[~rising & ~falling, "p_value"] >= 0.04).all()


def test_years_without_articles_are_gaps_and_small_years_sparse():
    values = per_article({2010: [1.0, 0.0, 1.0], 2011: [1.0], 2013: [0.0, 0.0]})
    table = yearly_estimates(values, years=(2009, 2014), n_boot=100, min_articles=2).set_index("year")
    assert table.index.tolist() == list(range(2009, 2015))
    assert table.loc[[2009, 2012, 2014], "n_articles"].tolist() == [0, 0, 0]
    assert table.loc[[2009, 2012, 2014], ["estimate", "ci_low", "ci_high"]].isna().all().all()
    assert table.loc[2011, "sparse"] and table.loc[2012, "sparse"] and not table.loc[2010, "sparse"]
    assert table.loc[2011, "estimate"] == 1.0 and pd.isna(table.loc[2011, "ci_low"])  # one article: no CI
    assert table.loc[2013, "estimate"] == 0.0 and table.loc[2013, "ci_high"] == 0.0


def test_output_columns_are_the_shared_ones():
    table = yearly_estimates(noisy_rise(), n_boot=10)
    assert list(table.columns[:7]) == ["group", "year", "estimate", "ci_low", "ci_high", "n_articles", "sparse"]
    trends = yearly_trends(noisy_rise(), n_boot=10)
    assert list(trends.columns[:7]) == ["group", "slope", "ci_low", "ci_high", "p_value", "n_years", "direction"]


def test_ratio_estimator_is_the_sum_over_the_sum():
    values = pd.DataFrame({"group": "g", "year": [2020, 2020, 2020], "mentions": [1.0, 0.0, 9.0],
                           "tokens": [100.0, 300.0, 600.0]})
    row = yearly_estimates(values, numerator="mentions", denominator="tokens", n_boot=300).iloc[0]
    assert row["estimate"] == pytest.approx(10 / 1000)  # not the mean of ratios (0.0083)
    assert (row["numerator"], row["denominator"], row["n_articles"]) == (10.0, 1000.0, 3)
    assert row["ci_low"] <= row["estimate"] <= row["ci_high"]


def test_ci_matches_the_binomial_width():
    rng = np.random.default_rng(1)
    values = per_article({2020: list((rng.random(400) < 0.3).astype(float))})
    row = yearly_estimates(values, n_boot=2000).iloc[0]
    p = row["estimate"]
    half = 1.96 * np.sqrt(p * (1 - p) / 400)
    assert row["ci_low"] == pytest.approx(p - half, abs=0.012)
    assert row["ci_high"] == pytest.approx(p + half, abs=0.012)


def test_bootstrap_is_seeded_and_independent_of_the_other_groups():
    alone = noisy_rise(seed=1)
    other = noisy_rise(seed=2).assign(group="h")
    both = yearly_estimates(pd.concat([other, alone]), n_boot=200, seed=5)
    pd.testing.assert_frame_equal(both.loc[both["group"] == "g"].reset_index(drop=True),
                                  yearly_estimates(alone, n_boot=200, seed=5))
    pd.testing.assert_frame_equal(yearly_trends(pd.concat([other, alone]), n_boot=200, seed=5).iloc[[1]]
                                  .reset_index(drop=True), yearly_trends(alone, n_boot=200, seed=5))
    assert not yearly_estimates(alone, n_boot=200, seed=6)["ci_low"].equals(both.iloc[10:]["ci_low"]
                                                                            .reset_index(drop=True))


def test_memory_bounded_chunks_do_not_change_the_result(monkeypatch):
    values = noisy_rise()
    whole = yearly_estimates(values, n_boot=101)
    monkeypatch.setattr(yearly, "BOOT_CELLS", 50)
    pd.testing.assert_frame_equal(yearly_estimates(values, n_boot=101), whole)


def test_sparse_years_are_left_out_of_the_trend():
    values = per_article({y: [0.1 * (y - 2010)] * 5 for y in range(2010, 2016)})
    outlier = per_article({2016: [9.0, 9.0], 2017: [-9.0]})  # too few articles to count
    trend = yearly_trends(pd.concat([values, outlier]), n_boot=100, min_articles=3).iloc[0]
    assert trend["slope"] == pytest.approx(0.1) and trend["n_years"] == 6 and trend["n_sparse_years"] == 2
    short = yearly_trends(per_article({2010: [0.1] * 5, 2011: [0.2] * 5, 2012: [0.3]}), min_articles=3).iloc[0]
    assert short["direction"] == "too few years" and np.isnan(short["slope"]) and short["n_years"] == 2


def test_a_minimum_denominator_also_makes_a_year_sparse():
    values = per_article({2010: [1.0, 2.0], 2011: [1.0, 1.0]}).assign(n=[5, 5, 1, 1])
    table = yearly_estimates(values, denominator="n", n_boot=10, min_articles=1, min_denominator=4)
    assert table["sparse"].tolist() == [False, True]


def test_several_key_columns_and_missing_columns():
    values = pd.concat([noisy_rise().assign(measure="a"), noisy_rise().assign(measure="b", value=1.0)])
    table = yearly_estimates(values, by=["group", "measure"], n_boot=20)
    assert table.groupby("measure")["year"].size().tolist() == [10, 10]
    assert table.loc[table["measure"] == "b", "estimate"].eq(1).all()
    with pytest.raises(ValueError, match=r"lack column\(s\) \['tokens'\]"):
        yearly_estimates(values, denominator="tokens")


def test_undated_rows_are_left_out_and_empty_input_gives_empty_tables():
    values = pd.concat([noisy_rise(), pd.DataFrame({"group": ["g"], "year": [None], "value": [5.0]})])
    assert yearly_estimates(values, n_boot=10)["n_articles"].sum() == len(values) - 1
    empty = noisy_rise().iloc[:0]
    assert yearly_estimates(empty, years=(2010, 2012)).empty and yearly_trends(empty).empty


def test_slopes_are_scaled_to_the_figure_unit():
    trends = yearly_trends(noisy_rise(), n_boot=50)
    shown = scale_slopes(trends, 100, "pp per year")
    assert shown["slope"].iloc[0] == pytest.approx(100 * trends["slope"].iloc[0])
    assert shown["ci_high"].iloc[0] == pytest.approx(100 * trends["ci_high"].iloc[0])
    assert shown["unit"].tolist() == ["pp per year"] and shown["p_value"].equals(trends["p_value"])


def test_no_resamples_give_point_estimates_without_intervals():
    values = pd.DataFrame({"group": ["a"] * 6, "year": [2010, 2010, 2011, 2011, 2012, 2012],
                           "value": [0, 1, 1, 1, 0, 0.5]})
    yearly = yearly_estimates(values, n_boot=0)
    assert yearly["estimate"].tolist() == [0.5, 1.0, 0.25]
    assert yearly[["ci_low", "ci_high"]].isna().all().all()
