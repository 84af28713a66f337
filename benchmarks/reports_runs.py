"""Time the notebook reports: `cxpress report` from a raw folder with every cache cold, as a
researcher's first run (this script, a worker of run.py), and warm from the corpus cache (run_warm,
the reports part of cxpress_stages.py).

Usage: python benchmarks/reports_runs.py CORPUS --json OUT --reports-out DIR [--jobs N]

The corpus cache and the analysis memos live in data/processed/ of the checkout in use. Rather than
empty them (they may be a user's), the reports run against a stand-in checkout in a temporary
folder: every entry of the real one linked, except data/processed/, which starts empty (cold) or
with the corpus cache linked (warm); CXPRESS_ROOT points the command, its notebooks and their
kernels at it. The cold command is one row (wall, CPU and peak RSS of its process tree); indented
rows split it: what ran before the first notebook started (the runner's ingest and setup) and each
notebook's own time from run.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGE = "raw folder -> all reports (caches cold)"
RUNS = ".runs"  # the runner's folder of running notebooks (cxpress.reports.runner.RUNS)


def mirror_checkout(root: Path, into: Path) -> Path:
    """A stand-in for the checkout `root` inside `into` whose data/processed/ is empty; every other
    entry links to root's (lexicons, notebooks, .git), and ../shared too when root has one beside it."""
    mirror = into / root.name
    (mirror / "data" / "processed").mkdir(parents=True)
    for entry in root.iterdir():
        if entry.name != "data":
            (mirror / entry.name).symlink_to(entry)
    for entry in (root / "data").iterdir():
        if entry.name != "processed":
            (mirror / "data" / entry.name).symlink_to(entry)
    shared = root.parent / "shared"
    if shared.exists():
        (into / "shared").symlink_to(shared)
    return mirror


def report_command(corpus: Path, out: Path, jobs: int | None) -> list[str]:
    """`cxpress report` on every notebook of the corpus, as a researcher types it."""
    command = [sys.executable, "-m", "cxpress.cli", "report", "--corpus", str(corpus), "--out", str(out), "--quiet"]
    return command + (["--jobs", str(jobs)] if jobs else [])


def run_and_watch(command: list[str], env: dict, out: Path) -> tuple[int, float | None]:
    """Run the command; its exit code and the seconds until the first notebook started (None if none did)."""
    start = time.perf_counter()
    first = None
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    while proc.poll() is None:
        if first is None and (out / RUNS).exists():
            first = time.perf_counter() - start
        time.sleep(0.05)
    return proc.returncode, first


def split_rows(out: Path, before_first: float | None) -> list[dict]:
    """One indented row for the time before the first notebook and one per notebook (run.json)."""
    rows = []
    if before_first is not None:
        rows.append({"stage": "  cold: ingest + setup before the first notebook", "seconds": before_first,
                     "status": "ok"})
    record = out / "run.json"
    if record.exists():
        for nb in json.loads(record.read_text(encoding="utf-8"))["notebooks"]:
            rows.append({"stage": f"  cold {nb['name']}", "seconds": nb["duration_s"],
                         "status": "ok" if nb["status"] == "ok" else "error",
                         "error": "" if nb["status"] == "ok" else json.dumps(nb.get("error"), default=str)})
    return rows


def corpus_counts(out: Path) -> tuple[int | None, int | None]:
    """Articles loaded and analysed, as the run's index records them."""
    record = out / "run.json"
    if not record.exists():
        return None, None
    corpus = json.loads(record.read_text(encoding="utf-8"))["corpus"]
    return corpus.get("n_articles"), corpus.get("n_analysed")


def run_cold(corpus: Path, out: Path, log, jobs: int | None = None) -> None:
    """`cxpress report` with empty caches, timed whole, then split (rows appended to log)."""
    from cxpress import config

    (out / "run.json").unlink(missing_ok=True)  # left by an earlier run: not this run's split
    with tempfile.TemporaryDirectory(prefix="cxpress-cold-") as tmp:
        env = {**os.environ, "CXPRESS_ROOT": str(mirror_checkout(config.ROOT, Path(tmp)))}
        before_first = None
        with log.stage(STAGE) as row:
            code, before_first = run_and_watch(report_command(corpus, out, jobs), env, out)
            row["articles"], row["analysed"] = corpus_counts(out)
            if code != 0:
                raise RuntimeError(f"cxpress report exited with code {code} (see {out / 'index.html'})")
    for extra in split_rows(out, before_first):
        log.rows.append({"pipeline": "cxpress", "error": "", **extra})
    log.write()


def run_warm(corpus: Path, out: Path, log) -> None:
    """All notebooks through cxpress.reports with the corpus cache warm, twice: first as after a
    new ingest (analysis memos cold, even when an earlier run left some in data/processed/memo),
    then regenerated (every cache warm); one row per notebook too."""
    from cxpress import config
    from cxpress.reports import run_reports

    notebooks = sorted(config.NOTEBOOKS.glob("[0-9]*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="cxpress-warm-") as tmp:
        mirror = mirror_checkout(config.ROOT, Path(tmp))
        for cached in config.PROCESSED.glob("corpus-*"):  # the parquet caches, not the memos
            (mirror / "data" / "processed" / cached.name).symlink_to(cached)
        before, os.environ["CXPRESS_ROOT"] = os.environ.get("CXPRESS_ROOT"), str(mirror)  # the runner's children
        try:
            for label in ("reports warm (all notebooks)", "reports rerun (memos warm too)"):
                record = None
                with log.stage(label) as row:
                    record = run_reports(notebooks, out, {}, corpus=corpus, quiet=True)
                    row["notebooks"] = len(notebooks)
                    failed = [nb.name for nb in record.notebooks if nb.status != "ok"]
                    if failed:
                        raise RuntimeError(f"notebooks failed: {', '.join(failed)} (see {out / 'index.html'})")
                for nb in record.notebooks if record else []:
                    log.rows.append({"pipeline": "cxpress", "stage": f"  {label.split()[1]} {nb.name}",
                                     "seconds": nb.duration_s, "status": "ok" if nb.status == "ok" else "error",
                                     "error": str(nb.error or "")})
                log.write()
        finally:
            if before is None:
                os.environ.pop("CXPRESS_ROOT")
            else:
                os.environ["CXPRESS_ROOT"] = before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--json", type=Path, required=True, help="where to write the rows")
    parser.add_argument("--reports-out", type=Path, required=True, help="output folder of the reports")
    parser.add_argument("--jobs", type=int, help="notebooks at a time (default: the runner's choice)")
    parser.add_argument("--stage-timeout", type=float, default=1800, help="seconds before the run is stopped")
    args = parser.parse_args(argv)
    from measure import StageLog  # sibling module: this script's folder is on sys.path

    log = StageLog("cxpress", str(args.corpus.resolve()), args.json, stage_timeout=args.stage_timeout)
    try:
        run_cold(args.corpus.resolve(), args.reports_out.resolve(), log, args.jobs)
    finally:
        log.write()
    return 1 if any(r["status"] != "ok" for r in log.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
