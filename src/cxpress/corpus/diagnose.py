"""What `cxpress ingest` says beyond the load report: warnings on what looks wrong, notes on how a
table was read, and, when nothing can be analysed, the likely cause and the fix."""

from __future__ import annotations

import pandas as pd

WARN_REASONS = ("very long", "same title, different text", "only article of", "no body")
MAX_LINES = 20  # more warnings than this are counted, not listed


def ingest_warnings(report: pd.DataFrame) -> list[str]:
    """One line per report row that looks wrong (WARN_REASONS), at most MAX_LINES plus a count."""
    rows = report[report["reason"].str.startswith(WARN_REASONS)]
    lines = [f"warning: {r.path}: {r.reason}" for r in rows.head(MAX_LINES).itertuples()]
    if len(rows) > MAX_LINES:
        lines.append(f"warning: ... and {len(rows) - MAX_LINES} more (see the load report)")
    return lines


def table_notes(report: pd.DataFrame) -> list[str]:
    """How each table file (CSV, JSONL, parquet) was read, when its text was not in a `text` column."""
    rows = report[report["reason"].str.contains("text from column", regex=False)
                  & ~report["reason"].str.contains("text from column 'text'", regex=False)]
    return [f"note: {r.path}: {r.reason}" for r in rows.itertuples()]


def why_nothing_analysed(report: pd.DataFrame, n_loaded: int, years: tuple[int, int]) -> str:
    """The likely cause, and the fix, when a corpus yields no article to analyse."""
    if report.empty:
        return "no file found: put .txt, .html, .jsonl, .csv or .parquet files in the folder"
    read = report["status"].isin(["loaded", "repaired"]) & ~report["path"].str.contains("#", regex=False)
    if n_loaded == 0:
        if not read.any() and report["status"].eq("skipped").all():
            return "no supported file: every file was skipped for its extension (see above)"
        return "no article could be read: every file was dropped or skipped (reasons above)"
    families = report.loc[report["status"].isin(["excluded", "flagged"]), "reason"].str.split(":").str[0]
    counts = families.value_counts()
    top = ", ".join(f"{n} {reason}" for reason, n in counts.head(3).items())
    return (f"none of the {n_loaded} articles loaded can be analysed ({top}): they must be French, not "
            f"duplicates, have a body, and a year in {years[0]}-{years[1]} (--years MIN MAX changes the period)")
