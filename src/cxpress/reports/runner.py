"""Run the notebooks, each in a process of its own, into reports/ with an index page."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections import deque
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

from tqdm.auto import tqdm

from cxpress import config
from cxpress.reports.index import (
    NotebookResult,
    RunRecord,
    collect_versions,
    describe_environment,
    describe_git,
    format_rerun_command,
    write_index,
)
from cxpress.reports.notebooks import (
    ReportSetupError,
    check_overrides,
    plan_parameters,
    read_parameters,
    read_title,
    start_order,
)
from cxpress.reports.processes import (
    collect_outputs,
    ingest_corpus,
    is_executing,
    read_result,
    reproducible_environment,
    start_notebook,
    stop_processes,
)
from cxpress.reports.share import run_context

KERNEL_FIX = (
    "make install (or: .venv/bin/python -m ipykernel install --sys-prefix --name cxpress"
    ' --display-name "Python (cxpress)")'
)
OUTPUT_DIRS = ("figures", "tables")
RUNS = ".runs"  # out_dir/.runs/<notebook>/: one notebook's files until it ends
# Two notebooks run at a time (each in its own kernel, with one worker process: see
# workers_per_notebook) up to this many analysed articles: the four reports at 10k articles then
# take 52-53 s instead of 82-86 s on two cores, and the notebooks' memory adds up (1.2-1.4 GB at
# 10k); above it they run one at a time so that the peak stays that of one notebook (1.7-1.9 GB at 50k).
PARALLEL_MAX_ARTICLES = 20_000


def check_kernel(name: str = config.KERNEL_NAME) -> str:
    """Interpreter of the registered Jupyter kernel `name`; a clear error naming the fix if missing."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise ReportSetupError(
            f"Jupyter kernel {name!r} is not registered, so papermill cannot run the notebooks. "
            f"Fix, from the project root: {KERNEL_FIX}"
        ) from None
    python = spec.argv[0]
    if Path(python).is_absolute() and not Path(python).exists():
        raise ReportSetupError(
            f"Jupyter kernel {name!r} points to {python}, which no longer exists. Fix: {KERNEL_FIX}"
        )
    return python


def workers_per_notebook(n_jobs: int) -> dict[str, int]:
    """The `n_jobs` parameter of notebooks run n_jobs at a time ({} for one at a time): the cores
    are shared between them, so that a notebook's parallel steps (k grid, mentions, scores) do not
    start worker processes that would only compete with the other notebook for the same cores."""
    if n_jobs == 1:
        return {}
    return {"n_jobs": max(1, min(config.N_JOBS, (os.cpu_count() or 1) // n_jobs))}


def choose_jobs(jobs: int | None, n_notebooks: int, n_analysed: int | None) -> int:
    """Notebooks run at a time: `jobs` when given, else 2 on a machine with two cores or more for a
    corpus of up to PARALLEL_MAX_ARTICLES analysed articles, else 1."""
    if jobs is not None:
        if jobs < 1:
            raise ReportSetupError(f"jobs must be 1 or more, not {jobs}")
        return min(jobs, n_notebooks)
    small = n_analysed is not None and n_analysed <= PARALLEL_MAX_ARTICLES
    return min(2, os.cpu_count() or 1, n_notebooks) if small else 1


def start_record(
    notebooks: list[Path], out_dir: Path, overrides: dict, corpus: Path | None, kernel_python: str,
    *, env: dict, quiet: bool,
) -> RunRecord:
    """Run metadata gathered before the first notebook: corpus (from the ingest), git, versions,
    rerun command."""
    corpus_path = config.corpus_path(corpus)
    years = (overrides.get("year_min", config.YEAR_MIN), overrides.get("year_max", config.YEAR_MAX))
    names = [nb.stem for nb in notebooks]
    return RunRecord(
        started=datetime.now().astimezone().isoformat(timespec="seconds"),
        corpus=ingest_corpus(corpus_path, years, env, quiet=quiet),
        git=describe_git(),
        versions=collect_versions(),
        environment=describe_environment(kernel_python),
        rerun=format_rerun_command(names, corpus_path, overrides, out_dir, notebooks[0].parent),
    )


def finish_notebook(result: NotebookResult, run_dir: Path, returncode: int, out_dir: Path) -> None:
    """Fill `result` from what the notebook's process recorded and move its files into out_dir."""
    done = read_result(run_dir, returncode)
    result.status, result.error = done["status"], done["error"]
    result.started, result.duration_s, result.files = done["started"], done["duration_s"], done["files"]
    result.figures, result.tables = collect_outputs(run_dir, out_dir)


def execute_all(
    runs: list[tuple[Path, dict]], out_dir: Path, *, n_jobs: int, kernel_name: str, env: dict,
    progress: bool, bar: tqdm, contexts: list[dict] | None = None, order: list[int] | None = None,
) -> Iterator[tuple[int, int, Path]]:
    """(index, exit code, run folder) of each (notebook, parameters) once its process ended, n_jobs
    kernels at a time, started in `order` (indices; default: as given). An exception here or in the
    caller (closing this) stops the running ones."""
    queue, running = deque((i, runs[i]) for i in (order or range(len(runs)))), {}
    try:
        while queue or running:
            # a notebook whose kernel ended exports its HTML while the next one starts
            while queue and sum(is_executing(run_dir) for run_dir, _ in running.values()) < n_jobs:
                i, (nb, inject) = queue.popleft()
                for stale in (f"{nb.stem}.ipynb", f"{nb.stem}.html", f"{nb.stem}.share.html"):
                    (out_dir / stale).unlink(missing_ok=True)
                bar.set_postfix_str(nb.stem if n_jobs == 1 else "")
                run_dir = out_dir / RUNS / nb.stem
                running[i] = run_dir, start_notebook(
                    nb, run_dir, inject, kernel_name=kernel_name, env=env, progress=progress,
                    context=contexts[i] if contexts else None,
                )
            for i, (run_dir, proc) in list(running.items()):
                if proc.poll() is not None:
                    del running[i]
                    yield i, proc.returncode, run_dir
            time.sleep(0.05)
    finally:  # normal end, Ctrl-C, or the caller gave up
        stop_processes([proc for _, proc in running.values()])
        shutil.rmtree(out_dir / RUNS, ignore_errors=True)


def run_reports(
    notebooks: list[Path],
    out_dir: Path = config.REPORTS,
    overrides: dict | None = None,
    *,
    corpus: Path | None = None,
    kernel_name: str = config.KERNEL_NAME,
    quiet: bool = False,
    jobs: int | None = None,
) -> RunRecord:
    """Execute and export every notebook, one failure not stopping the rest; write index.html.

    jobs: notebooks run at a time (None: see choose_jobs). Each notebook has its own process,
    kernel, parameters and output folder, so the reports are the same whichever order they finish in.
    Ctrl-C stops the running notebooks, skips the others and writes the index before it propagates.
    """
    if not notebooks:
        raise ReportSetupError("no notebooks selected")
    clock = time.perf_counter()
    overrides, out_dir = dict(overrides or {}), Path(out_dir).resolve()
    kernel_python = check_kernel(kernel_name)
    declared = {nb: read_parameters(nb) for nb in notebooks}
    check_overrides(overrides, declared)
    # `interactive` (notebook 05): a report shows static tables and figures, not live widgets
    runner = {"reports_dir": str(out_dir), "interactive": False} | (
        {"corpus": str(Path(corpus).resolve())} if corpus else {})
    for sub in OUTPUT_DIRS:
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    with reproducible_environment() as env:
        record = start_record(notebooks, out_dir, overrides, corpus, kernel_python, env=env, quiet=quiet)
        n_jobs = choose_jobs(jobs, len(notebooks), record.corpus.get("n_analysed"))
        workers = workers_per_notebook(n_jobs)
        record.environment["notebooks run at a time"] = str(n_jobs)
        record.environment["worker processes per notebook"] = str(workers.get("n_jobs", config.N_JOBS))
        plans = [plan_parameters(declared[nb], overrides, runner | workers) for nb in notebooks]
        record.notebooks = [
            NotebookResult(name=nb.stem, title=read_title(nb), status="not run", parameters=rows)
            for nb, (_, rows) in zip(notebooks, plans, strict=True)
        ]
        progress = not quiet and n_jobs == 1 and sys.stderr.isatty()
        runs = [(nb, inject) for nb, (inject, _) in zip(notebooks, plans, strict=True)]
        corpus_path = config.corpus_path(corpus)
        contexts = [run_context(nb.stem, record.corpus, corpus_path, record.git, rows, overrides)
                    for nb, (_, rows) in zip(notebooks, plans, strict=True)]
        bar = tqdm(total=len(notebooks), desc="notebooks", unit="nb", disable=quiet)
        done = execute_all(runs, out_dir, n_jobs=n_jobs, kernel_name=kernel_name, env=env,
                           progress=progress, bar=bar, contexts=contexts, order=start_order(notebooks))
        try:
            with bar, closing(done):
                for i, returncode, run_dir in done:
                    finish_notebook(record.notebooks[i], run_dir, returncode, out_dir)
                    record.duration_s = round(time.perf_counter() - clock, 2)
                    write_index(record, out_dir)
                    bar.update()
        except BaseException:  # Ctrl-C: the running notebooks were stopped; list what finished
            record.duration_s = round(time.perf_counter() - clock, 2)
            write_index(record, out_dir)
            raise
    return record
