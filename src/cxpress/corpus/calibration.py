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
CALIBRATION_COLUMNS = ("year", "date_source", "year_inferred", "year_confidence")  # what this module reads


def masked_year_guesses(articles: pd.DataFrame) -> pd.DataFrame:
    """The dated articles whose content gives a year (their dates hidden): year, year_inferred,
    year_confidence, error (stated minus inferred year)."""
    if "year_inferred" not in articles.columns:
        return pd.DataFrame(columns=["year", "year_inferred", "year_confidence", "error"])
    dated = ~articles["date_source"].isin(["inferred", "missing"]) & articles["year"].notna()
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
