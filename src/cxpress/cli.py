"""Command line: `cxpress ingest PATH`, `cxpress export [...]`, `cxpress report [...]`, `cxpress bench [...]`."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cxpress import config
from cxpress.reports.index import count_load_report

if TYPE_CHECKING:
    import pandas as pd

KEPT_STATUSES = {"loaded", "repaired"}
DROPPED_STATUSES = {"dropped", "skipped", "excluded"}


def parse_value(text: str) -> object:
    """A -p value as the literal it spells (2010 -> int, 0.5 -> float, True/None), else the string."""
    if text in {"True", "False", "None"}:
        return {"True": True, "False": False, "None": None}[text]
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def build_parser() -> argparse.ArgumentParser:
    """Argument parser for the three subcommands."""
    parser = argparse.ArgumentParser(prog="cxpress", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser(
        "ingest", help="load a corpus and print what was kept, dropped and why"
    )
    ingest.add_argument("path", type=Path, help="a folder of article files (or one file)")
    ingest.add_argument(
        "--years",
        nargs=2,
        type=int,
        default=(config.YEAR_MIN, config.YEAR_MAX),
        metavar=("MIN", "MAX"),
        help=f"years of the articles counted as analysed (default: {config.YEAR_MIN} {config.YEAR_MAX})",
    )
    ingest.add_argument(
        "--facts",
        type=Path,
        help="also write the counts and fingerprint as JSON to this file (for the reports index)",
    )

    export = commands.add_parser(
        "export", help="write the analysed articles for IRaMuTeQ, TXM or as CSV"
    )
    export.add_argument("--format", required=True, choices=["iramuteq", "txm", "csv"])
    export.add_argument("--corpus", type=Path, help="corpus folder or file (default: data/raw or the demo)")
    export.add_argument("--out", type=Path, required=True, help="output folder")
    export.add_argument("--years", nargs=2, type=int, metavar=("MIN", "MAX"),
                        help=f"period (default: {config.YEAR_MIN} {config.YEAR_MAX})")
    export.add_argument("--extra", type=Path,
                        help="CSV with a doc_id column: its other columns become variables (topic, labels)")

    report = commands.add_parser(
        "report", help="run the notebooks with papermill into HTML reports"
    )
    report.add_argument(
        "--notebooks", help="comma-separated prefixes or names, e.g. 02,03 (default: all)"
    )
    report.add_argument(
        "--corpus",
        type=Path,
        help="corpus folder (default: data/raw if it has files, else data/sample)",
    )
    report.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a notebook parameter, e.g. -p seed 1 (repeatable)",
    )
    report.add_argument(
        "--out", type=Path, default=config.REPORTS, help="output folder (default: reports/)"
    )
    report.add_argument(
        "--notebook-dir", type=Path, default=config.NOTEBOOKS, help=argparse.SUPPRESS
    )
    report.add_argument(
        "--jobs",
        type=int,
        help="notebooks run at a time (default: 2 up to 20,000 analysed articles, else 1)",
    )
    report.add_argument("--quiet", action="store_true", help="no progress bars (for CI logs)")

    commands.add_parser(
        "bench", add_help=False, help="run benchmarks/run.py (all arguments, -h too, go to it)"
    )
    commands.add_parser(
        "label-sample", add_help=False,
        help="draw target sentences to label by hand: --corpus PATH --n 150 --out FILE.jsonl",
    )
    return parser


def list_unanalysed(report: pd.DataFrame, unanalysed_sources: set[str]) -> pd.DataFrame:
    """Report rows of files dropped or skipped, articles excluded, and flags on articles left out."""
    left_out = report["path"].isin(unanalysed_sources) & ~report["status"].isin(KEPT_STATUSES)
    rows = report[report["status"].isin(DROPPED_STATUSES) | left_out]
    return rows.sort_values(["status", "path"], kind="stable")


def format_load_report(report: pd.DataFrame, path: Path, unanalysed: pd.DataFrame) -> str:
    """Counts by status and reason family, then one line per file or article not analysed."""
    lines = [f"Load report for {path} ({len(report)} rows)"]
    lines += [f"  {key:<48} {n:>7}" for key, n in count_load_report(report).items()]
    if len(unanalysed):
        lines.append("Not analysed (dropped, skipped, excluded, or flagged out of the analysis):")
        lines += [f"  {r.status:<9} {r.path}  ({r.reason})" for r in unanalysed.itertuples()]
    return "\n".join(lines)


def run_ingest(path: Path, years: tuple[int, int], facts: Path | None = None) -> int:
    """Load the corpus (filling the cache) and print the load report; with `facts`, write the counts
    and fingerprint the reports index shows (or the error) there too."""
    from cxpress.corpus import analysis_frame
    from cxpress.corpus.diagnose import ingest_warnings, table_notes, why_nothing_analysed

    if not path.exists():
        message = f"{path} does not exist: give a folder (or file) of articles"
        write_facts(facts, {"error": f"corpus path does not exist: {path}"})
        print(f"error: {message}", file=sys.stderr)
        return 2
    try:  # source is read for the list of what was left out; texts and tokens are not needed
        frame = analysis_frame(path, years, columns=["doc_id", "source"], keep_loaded=True, progress=True)
    except Exception as exc:  # the index still shows what went wrong; the notebooks show the details
        write_facts(facts, {"error": f"{type(exc).__name__}: {exc}"})
        raise
    report = frame.report  # the load report and the period's out-of-range rows
    unanalysed = set(frame.loaded["source"]) - set(frame.articles["source"])
    print(format_load_report(report, path, list_unanalysed(report, unanalysed)))
    for line in table_notes(report):
        print(line)
    for line in ingest_warnings(report):
        print(line, file=sys.stderr)
    print(
        f"Articles: {frame.n_loaded} loaded, {len(frame.articles)} analysed "
        f"(French, not duplicates, with a body, {years[0]}-{years[1]}); fingerprint {frame.fingerprint[:16]}"
    )
    if not len(frame.articles):
        print(f"error: nothing to analyse in {path}: {why_nothing_analysed(report, frame.n_loaded, years)}",
              file=sys.stderr)
    write_facts(facts, {
        "fingerprint": frame.fingerprint,
        "n_articles": frame.n_loaded,
        "n_analysed": len(frame.articles),
        "load_report": count_load_report(report),
    })
    return 0 if len(frame.articles) else 1


def run_export(args: argparse.Namespace) -> int:
    """Export the articles the notebooks analyse (French, not duplicates, in the period)."""
    import pandas as pd

    from cxpress.corpus import analysis_frame
    from cxpress.exports import export_corpus

    if args.corpus is not None and not args.corpus.exists():
        print(f"error: {args.corpus} does not exist: give a folder (or file) of articles", file=sys.stderr)
        return 2
    extra = pd.read_csv(args.extra, dtype={"doc_id": str}) if args.extra else None
    frame = analysis_frame(args.corpus or "", tuple(args.years) if args.years else None, progress=True)
    written = export_corpus(frame.articles, args.out, args.format, extra=extra)
    print(f"{len(frame.articles)} articles written to {written} ({frame.describe()})")
    return 0


def write_facts(path: Path | None, facts: dict) -> None:
    """Write the corpus facts as JSON (nothing when no path was asked for)."""
    if path is not None:
        path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")


def run_report(args: argparse.Namespace) -> int:
    """Run the selected notebooks; exit 1 if any failed, 2 if nothing could run."""
    from cxpress.reports.index import summarize_failure
    from cxpress.reports.notebooks import ReportSetupError, find_notebooks
    from cxpress.reports.runner import run_reports

    selection = (
        [t.strip() for t in args.notebooks.split(",") if t.strip()] if args.notebooks else None
    )
    overrides = {name: parse_value(value) for name, value in args.parameter}
    try:
        notebooks = find_notebooks(selection, args.notebook_dir)
        record = run_reports(
            notebooks, args.out, overrides, corpus=args.corpus, quiet=args.quiet, jobs=args.jobs
        )
    except ReportSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        index = Path(args.out) / "index.html"
        done = f"the reports finished so far are listed in {index}" if index.exists() else "no report finished"
        print(f"interrupted: the notebooks still running were stopped; {done}", file=sys.stderr)
        return 130
    out = Path(args.out)
    for nb in record.notebooks:
        mark = "ok    " if nb.status == "ok" else "FAILED"
        print(
            f"{mark} {nb.name:<32} {nb.duration_s:7.1f} s  {out / nb.files.get('html', 'no HTML')}"
        )
    for nb in record.failed:
        print(
            f"error: {summarize_failure(nb)} (see {out / nb.files.get('html', '')})",
            file=sys.stderr,
        )
    print(f"index: {out / 'index.html'}")
    return 1 if record.failed else 0


def run_bench(args: list[str]) -> int:
    """Run benchmarks/run.py as a script with the remaining arguments; its exit code is ours."""
    script = config.BENCHMARKS / "run.py"
    if not script.exists():
        print(
            f"error: {script} does not exist; the benchmarks are not installed in this checkout",
            file=sys.stderr,
        )
        return 2
    return subprocess.run([sys.executable, str(script), *args], check=False).returncode


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `cxpress` script."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in {"bench", "label-sample"}:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "ingest":
        return run_ingest(args.path, tuple(args.years), args.facts)
    if args.command == "report":
        return run_report(args)
    if args.command == "export":
        return run_export(args)
    if args.command == "label-sample":
        from cxpress.sentiment.labelling import label_sample_main

        return label_sample_main(extra)
    return run_bench(extra)


if __name__ == "__main__":
    sys.exit(main())
