"""Self-calibration of inferred years: the corpus's own dated articles, their dates hidden, show how
often a guess at each confidence level is right, and so above which confidence an inferred year is used."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MIN_YEAR_ACCURACY = 0.85  # share of used inferred years that must lie within a year of the truth
MIN_CALIBRATION_ARTICLES = 10  # fewer dated guesses than this measure nothing: PRIOR_THRESHOLD then
# The threshold the demo corpus and the development captures give (their dated articles), used for
# a corpus with too few dated articles to calibrate on.
PRIOR_THRESHOLD = 0.35


def _dated(articles: pd.DataFrame) -> pd.Series:
    """French, non-duplicate articles with a stated year: the truth the guesses are measured against."""
    dated = ~articles["date_source"].isin(["inferred", "missing"]) & articles["year"].notna()
    if "lang" in articles.columns:
        dated &= articles["lang"].eq("fr")
    return dated & articles["dup_of"].isna() if "dup_of" in articles.columns else dated


def masked_year_guesses(articles: pd.DataFrame) -> pd.DataFrame:
    """The dated French articles (duplicates aside) whose content gives a year, their dates hidden:
    year, year_inferred, year_confidence, error (stated minus inferred year)."""
    if "year_inferred" not in articles.columns:
        return pd.DataFrame(columns=["year", "year_inferred", "year_confidence", "error"])
    dated = _dated(articles)
    guesses = articles.loc[dated & articles["year_inferred"].notna(), ["year", "year_inferred", "year_confidence"]]
    error = guesses["year"].astype("int64") - guesses["year_inferred"].astype("int64")
    return guesses.assign(error=error.to_numpy()).reset_index(drop=True)


def year_calibration(articles: pd.DataFrame) -> pd.DataFrame:
    """Accuracy of the masked guesses per confidence level (highest first): n, exact and within-one
    shares at that level, then n_above and pm1_above for every guess at that level or higher."""
    guesses = masked_year_guesses(articles)
    hits = guesses.assign(exact=guesses["error"].eq(0), pm1=guesses["error"].abs().le(1),
                          confidence=guesses["year_confidence"].round(2))
    table = (hits.groupby("confidence")[["exact", "pm1"]].agg(["size", "mean"])
             .sort_index(ascending=False))
    out = pd.DataFrame({"confidence": table.index.to_numpy(dtype=float),
                        "n": table[("exact", "size")].to_numpy(dtype="int64"),
                        "exact": table[("exact", "mean")].to_numpy(dtype=float),
                        "pm1": table[("pm1", "mean")].to_numpy(dtype=float)})
    n_above = out["n"].cumsum()
    out["n_above"] = n_above
    out["pm1_above"] = (out["pm1"] * out["n"]).cumsum() / n_above.where(n_above > 0)
    return out


def confidence_threshold(articles: pd.DataFrame, accuracy: float = MIN_YEAR_ACCURACY, *,
                         min_articles: int = MIN_CALIBRATION_ARTICLES) -> float:
    """The lowest confidence at which the masked guesses at or above it lie within a year of the
    truth at least `accuracy` of the time (inf when none does). The share is smoothed (one hit and
    one miss added) so that a few lucky guesses do not open the gate; with fewer than min_articles
    dated guesses, PRIOR_THRESHOLD."""
    if accuracy <= 0:
        return 0.0
    table = year_calibration(articles)
    if table["n"].sum() < min_articles:
        return PRIOR_THRESHOLD
    hits = (table["pm1"] * table["n"]).cumsum()
    smoothed = (hits + 1) / (table["n_above"] + 2)
    ok = smoothed.ge(accuracy).to_numpy() & table["n_above"].ge(min_articles).to_numpy()
    return float(table["confidence"].to_numpy()[np.flatnonzero(ok)[-1]]) if ok.any() else math.inf


def trusted_years(articles: pd.DataFrame, threshold: float) -> pd.Series:
    """Whether each article's year is used: stated, or inferred with a confidence of at least threshold."""
    inferred = articles["date_source"].eq("inferred")
    if "year_confidence" not in articles.columns:
        return ~inferred | (threshold <= 0)
    return ~inferred | articles["year_confidence"].ge(threshold - 1e-9).fillna(False).astype(bool)


def describe_calibration(articles: pd.DataFrame, accuracy: float = MIN_YEAR_ACCURACY) -> str:
    """One sentence for a notebook: how well the content dates the dated articles, and which inferred
    years that lets the analyses use."""
    guesses, table = masked_year_guesses(articles), year_calibration(articles)
    n_dated = int(_dated(articles).sum())
    threshold = confidence_threshold(articles, accuracy)
    inferred = articles["date_source"].eq("inferred")
    used = int((trusted_years(articles, threshold) & inferred).sum())
    if guesses.empty:
        return f"No dated article's content gives a year: nothing to calibrate on; {used} of {int(inferred.sum())} inferred years used."
    error = guesses["error"].abs()
    if math.isinf(threshold):
        rule = f"no confidence level reaches {accuracy:.0%} within a year, so no inferred year is used"
    else:
        above = table.loc[table["confidence"] >= threshold - 1e-9].iloc[-1]
        origin = " (the prior: too few dated guesses)" if threshold == PRIOR_THRESHOLD and table["n"].sum() < MIN_CALIBRATION_ARTICLES else ""
        rule = (f"inferred years are used from confidence {threshold:.2f}{origin}, where {above['pm1_above']:.0%} "
                f"of {int(above['n_above'])} dated guesses lie within a year; that keeps {used} of "
                f"{int(inferred.sum())} inferred years")
    return (f"With their dates hidden, the content of {len(guesses)} of {n_dated} dated articles gives a year: "
            f"{error.eq(0).mean():.0%} exact, {error.le(1).mean():.0%} within a year; {rule}.")


def stated_only(articles: pd.DataFrame) -> pd.DataFrame:
    """The rows whose year is stated (not inferred): the robustness check of every yearly series."""
    return articles[articles["date_source"].ne("inferred")]


def describe_sensitivity(full: pd.DataFrame, stated: pd.DataFrame, *, by: str | list[str], n_inferred: int,
                         what: str, value: str = "estimate", scale: float = 1.0, unit: str = "") -> str:
    """One line: how far a yearly series (`full`) moves when only articles with a stated date are used
    (`stated`, same columns): the largest absolute difference of `value` over the (by, year) cells both
    have, and where; `scale` and `unit` format it (100 and " pp" for shares)."""
    if n_inferred == 0:
        return f"No analysed article has an inferred year: the {what} is the same with stated dates only."
    keys = [by] if isinstance(by, str) else list(by)
    both = full.merge(stated, on=[*keys, "year"], suffixes=("", "_stated")).dropna(subset=[value, f"{value}_stated"])
    if both.empty:
        return f"Without the {n_inferred} articles of inferred year, no year of the {what} is left to compare."
    diff = (both[value] - both[f"{value}_stated"]).abs() * scale
    worst = both.loc[diff.idxmax()]
    where = ", ".join(str(worst[k]) for k in keys)
    return (f"Without the {n_inferred} articles of inferred year, the {what} moves by at most {diff.max():.2f}{unit} "
            f"({where}, {int(worst['year'])}; mean {diff.mean():.2f}{unit} over {len(both)} cells).")
