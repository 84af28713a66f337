"""Benchmark cxpress against its speed and memory targets, and against a naive baseline.

Usage: python benchmarks/run.py [--sizes 1000,10000,50000] [--naive-size 10000] [...]
       (or: cxpress bench [...])

For each size: generate the corpus once (benchmarks/make_corpus.py, seeded, kept in
benchmarks/corpora/), run every cxpress stage in a fresh process (benchmarks/cxpress_stages.py),
then `cxpress report` from the raw folder with every cache cold (benchmarks/reports_runs.py), and
the naive baseline on the --naive-size corpus in the same run. Each process samples the
resident memory of itself and its children (joblib workers, Jupyter kernels). Prints the stage
table and the targets (benchmarks/targets.py), and writes benchmarks/results/<date>.csv
(+ -targets.csv, .md); with --baseline, also the A/B table against an earlier run's CSV.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path

import pandas as pd
import psutil
from targets import (  # sibling module: this script's folder is on sys.path
    SAME_WORK,
    baseline_targets,
    check_targets,
    compare_runs,
    format_comparison,
    targets_markdown,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
COLUMNS = ["size", "pipeline", "stage", "articles", "words", "seconds", "cpu_seconds", "articles_per_s",
           "words_per_s", "peak_rss_mb", "rss_start_mb", "load_1min", "status", "error"]
PACKAGES = ("cxpress", "numpy", "pandas", "scipy", "scikit-learn", "simplemma", "py3langid", "nltk", "joblib")


def describe_machine() -> dict:
    """Cores, memory, Python and library versions, git commit: the context every figure needs."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    commit = os.environ.get("CXPRESS_GIT_COMMIT") or subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {"machine_cores": os.cpu_count(), "machine_ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "machine_cpu": platform.processor() or platform.machine(), "python": platform.python_version(),
            "git_commit": commit, **{f"v_{k}": v for k, v in versions.items()}}


def run_script(script: str, args: list[str], json_path: Path) -> dict:
    """Run a benchmark script in a fresh interpreter; its stage rows (or the failure) as a dict."""
    cmd = [sys.executable, str(HERE / script), *args, "--json", str(json_path)]
    done = subprocess.run(cmd, cwd=ROOT)
    if json_path.exists():
        return json.loads(json_path.read_text(encoding="utf-8"))
    return {"rows": [{"stage": script, "status": "error", "error": f"exit code {done.returncode}, no result"}]}


def ensure_corpus(size: int, folder: Path, seed: int, source: Path | None) -> Path:
    """The size-article corpus for this seed and source, generated when absent."""
    tag = f"-from-{source.name}" if source else ""
    corpus = folder / f"n{size}-seed{seed}{tag}"
    if not (corpus / ".manifest.csv").exists():
        if corpus.exists():
            raise FileExistsError(f"{corpus} exists without a manifest (interrupted run?): delete it and rerun")
        cmd = [sys.executable, str(HERE / "make_corpus.py"), str(size), str(corpus), "--seed", str(seed)]
        subprocess.run(cmd + (["--from", str(source)] if source else []), check=True, cwd=ROOT)
    return corpus


def add_rates(rows: pd.DataFrame) -> pd.DataFrame:
    """Articles and words per second of wall time."""
    seconds = rows["seconds"].where(rows["seconds"] > 0)
    return rows.assign(articles_per_s=rows["articles"] / seconds, words_per_s=rows["words"] / seconds)


def format_table(table: pd.DataFrame) -> str:
    """The stage table as aligned text (seconds, rates, memory)."""
    shown = table.assign(
        seconds=table["seconds"].map("{:.1f}".format), cpu_seconds=table["cpu_seconds"].map("{:.1f}".format),
        articles_per_s=table["articles_per_s"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
        words_per_s=table["words_per_s"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
        peak_rss_mb=table["peak_rss_mb"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"),
    )
    cols = ["size", "pipeline", "stage", "seconds", "cpu_seconds", "articles_per_s", "words_per_s",
            "peak_rss_mb", "status"]
    return shown[cols].to_string(index=False)


def to_markdown(table: pd.DataFrame) -> str:
    """A GitHub table of the stages (for benchmarks/README.md)."""
    lines = ["| size | pipeline | stage | s | CPU s | articles/s | words/s | peak RSS MB |",
             "|---:|---|---|---:|---:|---:|---:|---:|"]
    for r in table.itertuples():
        rate = "" if pd.isna(r.articles_per_s) else f"{r.articles_per_s:,.0f}"
        words = "" if pd.isna(r.words_per_s) else f"{r.words_per_s:,.0f}"
        rss = "" if pd.isna(r.peak_rss_mb) else f"{r.peak_rss_mb:,.0f}"
        flag = "" if r.status == "ok" else f" ({r.status})"
        lines.append(f"| {r.size:,} | {r.pipeline} | {r.stage.strip()}{flag} | {r.seconds:.1f} | "
                     f"{r.cpu_seconds:.1f} | {rate} | {words} | {rss} |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="corpus sizes in articles (comma-separated)")
    parser.add_argument("--naive-size", type=int, default=10_000, help="size the naive baseline runs on (0: skip)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated corpora")
    parser.add_argument("--from", dest="source", type=Path, help="corpus to recombine (default: data/sample)")
    parser.add_argument("--corpora-dir", type=Path, default=HERE / "corpora")
    parser.add_argument("--results-dir", type=Path, default=HERE / "results")
    parser.add_argument("--k-values", default="5,10,15,20,25,30", help="k grid scored with stability")
    parser.add_argument("--stability-runs", type=int, default=10, help="resampled fits per k")
    parser.add_argument("--no-reports", action="store_true", help="skip the notebook reports (warm and cold)")
    parser.add_argument("--no-cold-reports", action="store_true",
                        help="skip the raw folder -> all reports row (cxpress report, caches cold)")
    parser.add_argument("--no-warm-reports", action="store_true",
                        help="skip the reports from the warm corpus cache (and their rerun)")
    parser.add_argument("--no-kgrid", action="store_true", help="skip the k grid process")
    parser.add_argument("--baseline", type=Path, metavar="RESULTS.csv",
                        help="a results CSV of an earlier run: print before / after / ratio of each stage "
                             "measured in both, and issue 22's ratio targets")
    parser.add_argument("--keep-cache", action="store_true", help="keep the corpus caches in data/processed")
    parser.add_argument("--stage-timeout", type=float, default=1800,
                        help="seconds after which a cxpress stage is stopped and reported as timeout")
    return parser.parse_args(argv)


def run_all(args: argparse.Namespace, sizes: list[int], work: Path) -> pd.DataFrame:
    """Every (size, pipeline) process in turn, with a progress bar over them; all stage rows."""
    from tqdm.auto import tqdm

    jobs = [(n, "cxpress") for n in sizes] + ([(args.naive_size, "naive")] if args.naive_size else [])
    jobs.sort(key=lambda job: (job[0], job[1] == "naive"))
    frames = []
    for size, pipeline in tqdm(jobs, desc="benchmark", unit="run"):
        corpus = ensure_corpus(size, args.corpora_dir, args.seed, args.source)
        if pipeline == "naive":
            result = run_script("naive_baseline.py", [str(corpus)], work / f"naive-{size}.json")
            frames.append(pd.DataFrame(result["rows"]).assign(size=size, pipeline=pipeline))
            continue
        for script, part, extra in cxpress_parts(args, size):
            result = run_script(script, [str(corpus), "--stage-timeout", str(args.stage_timeout), *part, *extra],
                                work / f"cxpress-{part[-1] if part else 'cold'}-{size}.json")
            frames.append(pd.DataFrame(result["rows"]).assign(size=size, pipeline=pipeline))
    return pd.concat(frames, ignore_index=True).reindex(columns=COLUMNS)


def cxpress_parts(args: argparse.Namespace, size: int) -> list[tuple[str, list[str], list[str]]]:
    """(script, part arguments, other arguments) of each cxpress process for one size, in order; the
    last process that reads the corpus cache removes it unless --keep-cache."""
    pipe = ["--k-values", args.k_values, "--stability-runs", str(args.stability_runs)]
    warm = not (args.no_reports or args.no_warm_reports)
    readers = ["analyses"] + ["kgrid"] * (not args.no_kgrid) + ["reports"] * warm
    keep = {part: args.keep_cache or part != readers[-1] for part in readers}
    parts = [("cxpress_stages.py", ["--part", "ingest"], []), ("cxpress_stages.py", ["--part", "cache"], [])]
    parts += [("cxpress_stages.py", ["--part", part], [*(pipe if part == "kgrid" else []),
              *(["--reports-out", str(args.corpora_dir / f"reports-n{size}")] if part == "reports" else []),
              *["--keep-cache"] * keep[part]]) for part in readers]
    if not (args.no_reports or args.no_cold_reports):  # caches of its own (reports_runs.py)
        parts.append(("reports_runs.py", [], ["--reports-out", str(args.corpora_dir / f"reports-cold-n{size}")]))
    return parts


def write_results(table: pd.DataFrame, targets: pd.DataFrame, folder: Path) -> Path:
    """<date>.csv (stage rows + machine columns), <date>-targets.csv and <date>.md; never overwrites."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = datetime.now().strftime("%Y-%m-%d")
    if (folder / f"{stem}.csv").exists():
        stem = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    machine = describe_machine()
    table.assign(run=stem, **machine).to_csv(folder / f"{stem}.csv", index=False)
    targets.to_csv(folder / f"{stem}-targets.csv", index=False)
    facts = ", ".join(f"{k}={v}" for k, v in machine.items())
    (folder / f"{stem}.md").write_text(f"{to_markdown(table)}\n\n{targets_markdown(targets)}\n\n{facts}\n",
                                       encoding="utf-8")
    return folder / f"{stem}.csv"


def add_summary_rows(table: pd.DataFrame, naive_size: int) -> pd.DataFrame:
    """Append the naive total and cxpress's time for the same work at the naive baseline's size."""
    extra = []
    naive = table[table["pipeline"] == "naive"]
    if len(naive):
        extra.append({"size": naive_size, "pipeline": "naive", "stage": "naive total",
                      "seconds": naive["seconds"].sum(), "cpu_seconds": naive["cpu_seconds"].sum(),
                      "articles": naive["articles"].max(), "words": naive["words"].max(),
                      "peak_rss_mb": naive["peak_rss_mb"].max(),
                      "status": "ok" if (naive["status"] == "ok").all() else "error"})
    parts = table[(table["size"] == naive_size) & (table["pipeline"] == "cxpress") & table["stage"].isin(SAME_WORK)]
    if len(naive) and len(parts) == len(SAME_WORK) and (parts["status"] == "ok").all():
        load = parts[parts["stage"] == SAME_WORK[0]].iloc[0]
        extra.append({"size": naive_size, "pipeline": "cxpress", "stage": "same work as naive",
                      "seconds": parts["seconds"].sum(), "cpu_seconds": parts["cpu_seconds"].sum(),
                      "articles": load["articles"], "words": load["words"],
                      "peak_rss_mb": parts["peak_rss_mb"].max(), "status": "ok"})
    return add_rates(pd.concat([table, pd.DataFrame(extra, columns=COLUMNS)], ignore_index=True)) if extra else table


def print_comparison(before: pd.DataFrame, after: pd.DataFrame, naive_size: int, name: Path) -> None:
    """The A/B table (before = the baseline CSV, after = this run) and issue 22's ratio targets."""
    print(f"\nagainst {name} (ratio = after / before)")
    print(format_comparison(compare_runs(before, after)))
    print()
    print(baseline_targets(before, after, naive_size).to_string(index=False))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a stage failed (the table still says which)."""
    args = parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cxpress-bench-") as tmp:
        table = add_rates(run_all(args, sizes, Path(tmp)))
    targets = check_targets(table, args.naive_size)
    table = add_summary_rows(table, args.naive_size)
    path = write_results(table, targets, args.results_dir)
    print(format_table(table))
    print()
    print(targets.to_string(index=False))
    if args.baseline:
        print_comparison(pd.read_csv(args.baseline), table, args.naive_size, args.baseline)
    print(f"\n{time.perf_counter() - start:.0f} s in all; results: {path}")
    return 1 if (table["status"] != "ok").any() else 0


if __name__ == "__main__":
    sys.exit(main())
