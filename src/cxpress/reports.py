"""Run the notebooks with papermill and export each as offline HTML, full and code-hidden ("share")."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import papermill
from tqdm.auto import tqdm

from cxpress import config
from cxpress.report_export import export_reports
from cxpress.report_index import (
    NotebookResult,
    RunRecord,
    collect_versions,
    describe_corpus,
    describe_environment,
    describe_git,
    format_rerun_command,
    write_index,
)
from cxpress.report_notebooks import (
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


def execute_notebook(
    notebook: Path, out_dir: Path, inject: dict, *, kernel_name: str, progress: bool | dict
) -> NotebookResult:
    """Run one notebook (cwd = its folder) into out_dir and export it; failures are recorded, not raised."""
    executed = out_dir / f"{notebook.stem}.ipynb"
    for stale in (
        executed,
        out_dir / f"{notebook.stem}.html",
        out_dir / f"{notebook.stem}.share.html",
    ):
        stale.unlink(missing_ok=True)
    before, started, clock = (
        snapshot_outputs(out_dir),
        datetime.now().astimezone(),
        time.perf_counter(),
    )
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
            cwd=str(notebook.parent),
            progress_bar=progress,
            log_output=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no transport warning per notebook
        )
    except Exception as exc:  # cell error, dead kernel, timeout: recorded so the next notebook runs
        result.status, result.error = "failed", describe_error(exc, executed, "execution")
    result.duration_s = round(time.perf_counter() - clock, 2)
    if executed.exists():
        try:
            result.files = export_reports(executed, notebook.parent, out_dir, result.title)
        except Exception as exc:  # an unexportable notebook is a failed report, not a crashed run
            result.files = {"ipynb": executed.name}
            result.status = "failed"
            result.error = result.error or describe_error(exc, executed, "HTML export")
    after = snapshot_outputs(out_dir)
    written = sorted(path for path, stamp in after.items() if before.get(path) != stamp)
    result.figures = [p for p in written if p.startswith("figures/")]
    result.tables = [p for p in written if p.startswith("tables/")]
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


def run_reports(
    notebooks: list[Path],
    out_dir: Path = config.REPORTS,
    overrides: dict | None = None,
    *,
    corpus: Path | None = None,
    kernel_name: str = config.KERNEL_NAME,
    quiet: bool = False,
) -> RunRecord:
    """Execute and export every notebook, one failure not stopping the rest; write index.html."""
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
    plans = [plan_parameters(declared[nb], overrides, runner) for nb in notebooks]
    for sub in OUTPUT_DIRS:
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    record = start_record(notebooks, out_dir, overrides, corpus, kernel_python, quiet)
    record.notebooks = [
        NotebookResult(name=nb.stem, title=read_title(nb), status="not run", parameters=rows)
        for nb, (_, rows) in zip(notebooks, plans, strict=True)
    ]
    interactive = not quiet and sys.stderr.isatty()
    bar = tqdm(total=len(notebooks), desc="notebooks", unit="nb", disable=quiet)
    with reproducible_environment(), silence_papermill_warnings(), bar:
        for i, (nb, (inject, rows)) in enumerate(zip(notebooks, plans, strict=True)):
            bar.set_postfix_str(nb.stem)
            progress = {"desc": nb.stem, "leave": False, "position": 1} if interactive else False
            result = execute_notebook(
                nb, out_dir, inject, kernel_name=kernel_name, progress=progress
            )
            result.parameters = rows
            record.notebooks[i] = result
            record.duration_s = round(time.perf_counter() - clock, 2)
            write_index(record, out_dir)
            bar.update()
    return record
