"""The issues' targets measured on a run's stage table, and the A/B table of a run against a baseline run."""

from __future__ import annotations

import pandas as pd

SAME_WORK = ("load_corpus cold (cache=False)", "timelines + bootstrap CIs", "fit_topics k=15 (all tables)",
             "target sentences", "sentiment + per-year CIs")
COLD_LOAD = "load_corpus cold (cache=False)"
COLD_REPORTS = "raw folder -> all reports (caches cold)"
KEY = ["size", "pipeline", "stage"]


def stage_seconds(table: pd.DataFrame, size: int, stage: str, pipeline: str = "cxpress",
                  lower_bound: bool = False) -> float | None:
    """Seconds of one stage; a stage stopped by the time limit counts only when lower_bound is set."""
    ok = ("ok", "timeout") if lower_bound else ("ok",)
    hit = table[(table["size"] == size) & (table["pipeline"] == pipeline)
                & table["stage"].str.startswith(stage) & table["status"].isin(ok)]
    return float(hit["seconds"].iloc[0]) if len(hit) else None


def same_work_seconds(table: pd.DataFrame, size: int) -> float | None:
    """cxpress time for the naive baseline's work: ingest, timelines, one NMF k=15, sentiment."""
    parts = [stage_seconds(table, size, s) for s in SAME_WORK]
    return None if any(p is None for p in parts) else sum(parts)


def naive_seconds(table: pd.DataFrame, size: int) -> float | None:
    """The naive baseline's total at this size (its stage rows, not the summary row), when it all ran."""
    naive = table[(table["pipeline"] == "naive") & (table["size"] == size) & (table["stage"] != "naive total")]
    return float(naive["seconds"].sum()) if len(naive) and (naive["status"] == "ok").all() else None


def speed_up(table: pd.DataFrame, naive_size: int, naive_from: pd.DataFrame | None = None) -> float | None:
    """Naive total / cxpress's same work at naive_size; the naive side from `naive_from` when this run
    has none (the baseline's code does not change between runs)."""
    naive = naive_seconds(table, naive_size)
    if naive is None and naive_from is not None:
        naive = naive_seconds(naive_from, naive_size)
    same = same_work_seconds(table, naive_size)
    return naive / same if naive and same else None


def per_article_ratio(table: pd.DataFrame, size: int, reference: int = 10_000) -> float | None:
    """Same-work seconds per article at `size` over the same at `reference`."""
    big, ref = same_work_seconds(table, size), same_work_seconds(table, reference)
    return (big / size) / (ref / reference) if big and ref else None


# The ingest's stage-by-stage rows rebuild its steps in one process for the breakdown (all rows held
# at once): a diagnosis, not a path a user runs; the cold load and the cache write are the real ingest.
BREAKDOWN = ("read + decode", "clean + dates + language", "dedup (exact + near)", "tokens (lemmas + multi-word terms)")


def peak_rss(table: pd.DataFrame, size: int, without_breakdown: bool = False) -> float | None:
    rows = table[(table["size"] == size) & (table["pipeline"] == "cxpress")]
    if without_breakdown:
        rows = rows[~rows["stage"].isin(BREAKDOWN)]
    return float(rows["peak_rss_mb"].max()) if rows["peak_rss_mb"].notna().any() else None


def judge(rows: list[tuple], timed_out: set[str] = frozenset()) -> pd.DataFrame:
    """(target, measured, rule, threshold) rows with a `met` column: met / MISSED / not measured; a
    target whose stage was stopped by the time limit is marked as a lower bound."""
    out = pd.DataFrame(rows, columns=["target", "measured", "rule", "threshold"])
    met = ["not measured" if pd.isna(m) else ("met" if (m >= t if r == ">=" else m <= t) else "MISSED")
           for m, r, t in zip(out["measured"], out["rule"], out["threshold"], strict=True)]
    bound = [("k-grid" in timed_out and name.startswith("k-grid")) or ("reports" in timed_out
             and ("reports" in name or "rerun" in name)) for name in out["target"]]
    return out.assign(met=[f"{m} (stopped: lower bound)" if b else m for m, b in zip(met, bound, strict=True)])


def check_targets(table: pd.DataFrame, naive_size: int) -> pd.DataFrame:
    """The targets of issues 8 and 22 measured in one run, value against threshold (NaN when the run
    did not measure it). A stage stopped by --stage-timeout gives a lower bound: enough to call a
    "<=" target missed."""
    load = stage_seconds(table, 10_000, COLD_LOAD)
    rows = [
        ("same work vs naive baseline (x faster)", speed_up(table, naive_size), ">=", 8),
        ("k-grid with stability at 10k (s)", stage_seconds(table, 10_000, "k-grid", lower_bound=True), "<=", 180),
        ("reports warm at 10k (s)", stage_seconds(table, 10_000, "reports warm", lower_bound=True), "<=", 60),
        ("  same, rerun with model memos warm (s)", stage_seconds(table, 10_000, "reports rerun", lower_bound=True),
         "<=", 60),
        ("peak RSS at 50k (MB)", peak_rss(table, 50_000), "<=", 2048),
        ("time per article 50k / 10k (same work)", per_article_ratio(table, 50_000), "<=", 1.5),
        ("cold load_corpus at 10k (articles/s)", 10_000 / load if load else None, ">=", 2000),
        ("issue 22: peak RSS at 100k (MB)", peak_rss(table, 100_000), "<=", 3072),
        ("  same, without the ingest's stage-by-stage rows (MB)", peak_rss(table, 100_000, True), "<=", 3072),
        ("issue 22: time per article 100k / 10k (same work)", per_article_ratio(table, 100_000), "<=", 1.3),
    ]
    timed_out = set(table.loc[table["status"] == "timeout", "stage"].str.split().str[0])
    return judge(rows, timed_out)


def compare_runs(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Each stage measured (ok) in both runs: before s, after s and after / before, in after's order."""
    ok = [t.loc[t["status"] == "ok", [*KEY, "seconds"]].drop_duplicates(KEY) for t in (before, after)]
    both = ok[1].merge(ok[0], on=KEY, suffixes=("_after", "_before"))
    both = both.rename(columns={"seconds_before": "before_s", "seconds_after": "after_s"})
    return both.assign(ratio=both["after_s"] / both["before_s"])[[*KEY, "before_s", "after_s", "ratio"]]


def baseline_targets(before: pd.DataFrame, after: pd.DataFrame, naive_size: int) -> pd.DataFrame:
    """Issue 22's ratio targets, this run (after) against a baseline run (before), both at 10k."""
    naive_size = naive_size or 10_000  # --naive-size 0: the baseline's naive run, at the size

    def ratio(stage: str, invert: bool = False) -> float | None:
        b, a = stage_seconds(before, 10_000, stage), stage_seconds(after, 10_000, stage)
        return (b / a if invert else a / b) if a and b else None

    return judge([
        (f"issue 22: same work vs naive at {naive_size:,} (x faster)", speed_up(after, naive_size, before),
         ">=", 6),
        ("issue 22: cold load_corpus at 10k, articles/s after / before", ratio(COLD_LOAD, invert=True), ">=", 2),
        ("issue 22: raw folder -> all reports at 10k, time after / before", ratio(COLD_REPORTS), "<=", 0.6),
    ])


def format_comparison(table: pd.DataFrame) -> str:
    """The A/B table as aligned text."""
    shown = table.assign(before_s=table["before_s"].map("{:.1f}".format),
                         after_s=table["after_s"].map("{:.1f}".format), ratio=table["ratio"].map("{:.2f}".format))
    return shown.to_string(index=False)


def targets_markdown(targets: pd.DataFrame) -> str:
    """A GitHub table of the targets."""
    lines = ["| target | measured | rule | result |", "|---|---:|---|---|"]
    for r in targets.itertuples():
        value = "" if pd.isna(r.measured) else f"{r.measured:,.2f}"
        lines.append(f"| {r.target} | {value} | {r.rule} {r.threshold:,g} | {r.met} |")
    return "\n".join(lines)
