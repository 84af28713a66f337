"""Run the notebooks with papermill and export each as offline HTML, full and code-hidden ("share")."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import papermill
from tqdm.auto import tqdm

from cxpress import config
from cxpress.reports.export import export_reports
from cxpress.reports.index import (
    NotebookResult,
    RunRecord,
    collect_versions,
    describe_corpus,
    describe_environment,
    describe_git,
    format_rerun_command,
    write_index,
)
from cxpress.reports.notebooks import (
    ReportSetupError,
    check_overrides,
    describe_error,
    plan_parameters,
    read_parameters,
    read_title,
)

KERNEL_FIX = (
    "make install (or: .venv/bin/python -m ipykernel install --sys-prefix --name cxpress"
    ' --display-name "Python (cxpress)")'
)
OUTPUT_DIRS = ("figures", "tables")


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


def snapshot_outputs(out_dir: Path) -> dict[str, tuple[int, int]]:
    """Size and mtime of every figure and table file, to tell which ones a notebook wrote."""
    found = {}
    for sub in OUTPUT_DIRS:
        for path in (out_dir / sub).rglob("*"):
            if path.is_file():
                stat = path.stat()
                found[path.relative_to(out_dir).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def attribute_outputs(
    before: dict[str, tuple[int, int]],
    after: dict[str, tuple[int, int]],
    windows: dict[str, tuple[int, int]],
    texts: dict[str, str],
) -> dict[str, list[str]]:
    """The figure and table files each notebook wrote: the files new or changed since `before`
    whose mtime falls in the notebook's run (start, end in ns). When runs overlapped (notebooks run
    side by side), a file is given to those of its candidates whose executed notebook (`texts`)
    names it; to all of them if none does."""
    written: dict[str, list[str]] = {name: [] for name in windows}
    for path, stamp in sorted(after.items()):
        if before.get(path) == stamp:
            continue
        candidates = [name for name, (a, b) in windows.items() if a <= stamp[1] <= b]
        if len(candidates) > 1:
            candidates = [
                n for n in candidates if Path(path).name in texts.get(n, "")
            ] or candidates
        for name in candidates:
            written[name].append(path)
    return written


def run_notebook(
    notebook: Path, out_dir: Path, inject: dict, *, kernel_name: str, progress: bool | dict
) -> tuple[NotebookResult, tuple[int, int]]:
    """Run one notebook (kernel started in its folder) into out_dir; failures are recorded, not
    raised. Returns the result and the run's (start, end) clock in ns (export_notebook follows)."""
    executed = out_dir / f"{notebook.stem}.ipynb"
    for stale in (
        executed,
        out_dir / f"{notebook.stem}.html",
        out_dir / f"{notebook.stem}.share.html",
    ):
        stale.unlink(missing_ok=True)
    start_ns, started, clock = time.time_ns(), datetime.now().astimezone(), time.perf_counter()
    result = NotebookResult(
        name=notebook.stem,
        title=read_title(notebook),
        status="ok",
        started=started.isoformat(timespec="seconds"),
    )
    try:
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=inject,
            kernel_name=kernel_name,
            language="python",
            # the kernel starts in the notebook's folder; papermill's cwd= would chdir this whole
            # process instead, which notebooks run side by side in threads would share
            resources={"metadata": {"path": str(notebook.parent)}},
            progress_bar=progress,
            log_output=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no transport warning per notebook
        )
    except Exception as exc:  # cell error, dead kernel, timeout: recorded so the next notebook runs
        result.status, result.error = "failed", describe_error(exc, executed, "execution")
    result.duration_s = round(time.perf_counter() - clock, 2)
    return result, (start_ns, time.time_ns())


def export_notebook(result: NotebookResult, notebook: Path, out_dir: Path) -> NotebookResult:
    """Export the executed notebook (if any) to HTML, full and share (export_guarded records a
    failure)."""
    executed = out_dir / f"{notebook.stem}.ipynb"
    if executed.exists():
        result.files = export_reports(executed, notebook.parent, out_dir, result.title)
    return result


@contextmanager
def silence_papermill_warnings() -> Iterator[None]:
    """Mute papermill's parameter warnings: its line parser misreads commented literals, and
    check_overrides already refuses unknown names."""
    logger = logging.getLogger("papermill")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def environment_variables(wanted: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the kernels started inside; restored afterwards."""
    saved = {key: os.environ.get(key) for key in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def reproducible_environment() -> Iterator[None]:
    """Fix string hashing, SVG ids and file dates for kernels started inside (restored afterwards).

    The date is a constant, not the commit time: a figure must not change because HEAD moved.
    """
    with tempfile.TemporaryDirectory(prefix="cxpress-mpl-") as tmp:
        rc = Path(tmp) / "matplotlibrc"
        rc.write_text("svg.hashsalt: cxpress\n", encoding="utf-8")
        wanted = {
            "PYTHONHASHSEED": "0",
            "MATPLOTLIBRC": str(rc),
            "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0"),
        }
        with environment_variables(wanted):
            yield


def workers_per_notebook(n_jobs: int) -> dict[str, int]:
    """The `n_jobs` parameter of notebooks run n_jobs at a time ({} for one at a time): the cores
    are shared between them, so that a notebook's parallel steps (k grid, mentions, scores) do not
    start worker processes that would only compete with the other notebook for the same cores."""
    if n_jobs == 1:
        return {}
    return {"n_jobs": max(1, min(config.N_JOBS, (os.cpu_count() or 1) // n_jobs))}


def start_record(
    notebooks: list[Path],
    out_dir: Path,
    overrides: dict,
    corpus: Path | None,
    kernel_python: str,
    quiet: bool,
) -> RunRecord:
    """Run metadata gathered before the first notebook: corpus, git, versions, rerun command."""
    corpus_path = Path(corpus) if corpus else config.default_corpus()
    years = (overrides.get("year_min", config.YEAR_MIN), overrides.get("year_max", config.YEAR_MAX))
    names = [nb.stem for nb in notebooks]
    return RunRecord(
        started=datetime.now().astimezone().isoformat(timespec="seconds"),
        corpus=describe_corpus(corpus_path, years, progress=not quiet),
        git=describe_git(),
        versions=collect_versions(),
        environment=describe_environment(kernel_python),
        rerun=format_rerun_command(names, corpus_path, overrides, out_dir, notebooks[0].parent),
    )


# Two notebooks run at a time (each in its own kernel, with one worker process: see
# workers_per_notebook) up to this many analysed articles: the four reports at 10k articles then
# take 52-53 s instead of 82-86 s on two cores (exports overlapping the next notebook), and the
# notebooks' memory adds up (1.2-1.4 GB at 10k); above it they run one at a time so that the peak
# stays that of one notebook (1.7-1.9 GB at 50k).
PARALLEL_MAX_ARTICLES = 20_000


def choose_jobs(jobs: int | None, n_notebooks: int, n_analysed: int | None) -> int:
    """Notebooks run at a time: `jobs` when given, else 2 on a machine with two cores or more for a
    corpus of up to PARALLEL_MAX_ARTICLES analysed articles, else 1."""
    if jobs is not None:
        if jobs < 1:
            raise ReportSetupError(f"jobs must be 1 or more, not {jobs}")
        return min(jobs, n_notebooks)
    small = n_analysed is not None and n_analysed <= PARALLEL_MAX_ARTICLES
    return min(2, os.cpu_count() or 1, n_notebooks) if small else 1


def run_guarded(
    notebook: Path, out_dir: Path, inject: dict, kernel_name: str, progress: bool | dict
) -> tuple[NotebookResult, tuple[int, int]]:
    """run_notebook, with anything it raises recorded as a failure too (it records cell errors and
    dead kernels itself; this is the last resort, so the next notebook runs)."""
    try:
        return run_notebook(notebook, out_dir, inject, kernel_name=kernel_name, progress=progress)
    except Exception as exc:
        error = describe_error(exc, out_dir / f"{notebook.stem}.ipynb", "execution")
        return NotebookResult(notebook.stem, read_title(notebook), "failed", error=error), (0, 0)


def export_guarded(result: NotebookResult, notebook: Path, out_dir: Path) -> NotebookResult:
    """export_notebook, an export failure recorded as a failed report (the executed notebook kept),
    never raised: the other notebooks' runs and exports go on."""
    try:
        return export_notebook(result, notebook, out_dir)
    except Exception as exc:
        executed = out_dir / f"{notebook.stem}.ipynb"
        result.files = {"ipynb": executed.name} if executed.exists() else {}
        result.status = "failed"
        result.error = result.error or describe_error(exc, executed, "HTML export")
        return result


def execute_all(
    runs: list[tuple[Path, dict]],
    out_dir: Path,
    kernel_name: str,
    n_jobs: int,
    progress: bool,
    bar: tqdm,
) -> Iterator[tuple[int, NotebookResult, tuple[int, int]]]:
    """(index, result, run window) of each (notebook, parameters) once run and exported: n_jobs
    notebooks run at a time in threads (the work is in the kernels), with a progress bar per
    notebook when one at a time (side by side they would interleave). Exports (HTML, ~1 s each at
    10k articles) go to a thread of their own, so that the next notebook starts at once."""
    cells = progress and n_jobs == 1

    with ThreadPoolExecutor(n_jobs) as pool, ThreadPoolExecutor(1) as exporter:

        def run(i: int, nb: Path, inject: dict) -> Future:
            if n_jobs == 1:
                bar.set_postfix_str(nb.stem)
            shown = {"desc": nb.stem, "leave": False, "position": 1} if cells else False
            result, window = run_guarded(nb, out_dir, inject, kernel_name, shown)
            return exporter.submit(lambda: (i, export_guarded(result, nb, out_dir), window))

        pending = {pool.submit(run, i, nb, inject) for i, (nb, inject) in enumerate(runs)}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                values = [future.result() for future in done]
                pending |= {v for v in values if isinstance(v, Future)}  # runs ended: exports under way
                yield from sorted((v for v in values if not isinstance(v, Future)), key=lambda v: v[0])
        except BaseException:  # Ctrl-C (or the caller gave up): start nothing more, stop what runs
            pool.shutdown(wait=False, cancel_futures=True)
            exporter.shutdown(wait=False, cancel_futures=True)
            stop_kernels()  # a thread cannot be interrupted; its kernel can, and papermill then returns
            raise


def stop_kernels(grace_s: float = 5.0) -> list[int]:
    """Terminate the Jupyter kernels this process started, with their own worker processes (then
    kill what is left after grace_s); returns their process ids. Other children are left alone."""
    import psutil

    stopped = []
    for child in psutil.Process().children():
        try:
            if not any("ipykernel" in part for part in child.cmdline()):
                continue
            tree = [*child.children(recursive=True), child]
        except psutil.Error:  # gone meanwhile
            continue
        for proc in tree:
            try:
                proc.terminate()
            except psutil.Error:
                pass
        _, alive = psutil.wait_procs(tree, timeout=grace_s)
        for proc in alive:
            try:
                proc.kill()
            except psutil.Error:
                pass
        stopped.append(child.pid)
    return stopped


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

    jobs: notebooks run at a time (None: see choose_jobs). Each notebook has its own kernel and its
    own parameters, so the reports are the same whichever order they finish in.
    """
    if not notebooks:
        raise ReportSetupError("no notebooks selected")
    clock = time.perf_counter()
    overrides, out_dir = dict(overrides or {}), Path(out_dir).resolve()
    kernel_python = check_kernel(kernel_name)
    declared = {nb: read_parameters(nb) for nb in notebooks}
    check_overrides(overrides, declared)
    runner = {"reports_dir": str(out_dir)} | (
        {"corpus": str(Path(corpus).resolve())} if corpus else {}
    )
    for sub in OUTPUT_DIRS:
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    record = start_record(notebooks, out_dir, overrides, corpus, kernel_python, quiet)
    n_jobs = choose_jobs(jobs, len(notebooks), record.corpus.get("n_analysed"))
    record.environment["notebooks run at a time"] = str(n_jobs)
    workers = workers_per_notebook(n_jobs)
    record.environment["worker processes per notebook"] = str(workers.get("n_jobs", config.N_JOBS))
    plans = [plan_parameters(declared[nb], overrides, runner | workers) for nb in notebooks]
    record.notebooks = [
        NotebookResult(name=nb.stem, title=read_title(nb), status="not run", parameters=rows)
        for nb, (_, rows) in zip(notebooks, plans, strict=True)
    ]
    bar = tqdm(total=len(notebooks), desc="notebooks", unit="nb", disable=quiet)

    before, windows, texts = snapshot_outputs(out_dir), {}, {}

    def finished(i: int, result: NotebookResult, window: tuple[int, int]) -> None:
        result.parameters = plans[i][1]
        record.notebooks[i] = result
        windows[result.name] = window
        executed = out_dir / f"{result.name}.ipynb"
        texts[result.name] = executed.read_text(encoding="utf-8") if executed.exists() else ""
        written = attribute_outputs(before, snapshot_outputs(out_dir), windows, texts)
        for nb in record.notebooks:
            if nb.name in written:
                nb.figures = [p for p in written[nb.name] if p.startswith("figures/")]
                nb.tables = [p for p in written[nb.name] if p.startswith("tables/")]
        record.duration_s = round(time.perf_counter() - clock, 2)
        write_index(record, out_dir)
        bar.update()

    with (
        reproducible_environment(),
        silence_papermill_warnings(),
        bar,
    ):
        runs = [(nb, inject) for nb, (inject, _) in zip(notebooks, plans, strict=True)]
        progress = not quiet and sys.stderr.isatty()
        for i, result, window in execute_all(runs, out_dir, kernel_name, n_jobs, progress, bar):
            finished(i, result, window)
    return record
