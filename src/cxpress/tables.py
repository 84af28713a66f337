"""Tables formatted for a reader of the HTML reports: no index column, rounded figures, column
names in words. The CSV files keep the raw columns and ids."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def readable(table: pd.DataFrame, *, digits: int = 3, percent: Sequence[str] = ()) -> pd.io.formats.style.Styler:
    """`table` as a Styler: index hidden, floats to `digits` decimals, `percent` columns as
    percentages with one decimal, missing values blank, underscores in column names as spaces."""
    shown = table.reset_index(drop=True).rename(columns=lambda c: str(c).replace("_", " "))
    pct = [str(c).replace("_", " ") for c in percent]
    floats = [c for c in shown.columns if pd.api.types.is_float_dtype(shown[c]) and c not in pct]
    return (shown.style.hide(axis="index")
            .format(precision=digits, subset=floats, na_rep="")
            .format("{:.1%}", subset=pct, na_rep=""))
