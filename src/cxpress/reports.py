"""Run the notebooks with papermill and export each as offline HTML, full and code-hidden ("share")."""

from __future__ import annotations

import ast
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import nbformat
import papermill
from tqdm.auto import tqdm

from cxpress import config
from cxpress.report_export import export_reports
from cxpress.report_index import (
    NotebookResult,
    RunRecord,
    clean_message,
    collect_versions,
    describe_corpus,
    describe_environment,
    describe_git,
    format_rerun_command,
    write_index,
)

KERNEL_FIX = (
    "make install (or: .venv/bin/python -m ipykernel install --sys-prefix --name cxpress"
    ' --display-name "Python (cxpress)")'
)
OUTPUT_DIRS = ("figures", "tables")


class ReportSetupError(RuntimeError):
    """A problem that would fail every notebook (missing kernel, unknown notebook or parameter)."""


def find_notebooks(
    selection: list[str] | None, notebook_dir: Path = config.NOTEBOOKS
) -> list[Path]:
    """Notebooks to run, in name order; "02" selects 02_topics_nmf.ipynb, a full stem also works."""
    available = sorted(p for p in Path(notebook_dir).glob("*.ipynb") if not p.name.startswith("."))
    if not available:
        raise ReportSetupError(f"no notebooks (*.ipynb) in {notebook_dir}")
    if not selection:
        return available
    chosen = []
    for token in selection:
        matches = [p for p in available if p.stem == token or p.stem.startswith(f"{token}_")]
        if not matches:
            names = ", ".join(p.stem for p in available)
            raise ReportSetupError(
                f"no notebook matches {token!r} in {notebook_dir}; available: {names}"
            )
        chosen += [p for p in matches if p not in chosen]
    return sorted(chosen)


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


def read_parameters(notebook: Path) -> dict[str, object]:
    """Names and default values assigned in the cell tagged `parameters` (literals, as the rules require)."""
    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if not cells:
        return {}
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise ReportSetupError(
            f"{notebook.name}: the parameters cell is not valid Python ({exc})"
        ) from None
    defaults = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and node.value is not None:
            try:
                defaults[target.id] = ast.literal_eval(node.value)
            except ValueError:  # not a literal: shown as written
                defaults[target.id] = ast.unparse(node.value)
    return defaults


def read_title(notebook: Path) -> str:
    """Text of the notebook's first level-1 heading (its title), or "" if there is none."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def check_overrides(overrides: dict, declared: dict[Path, dict]) -> None:
    """Refuse a -p name that no selected notebook declares (a typo would otherwise change nothing)."""
    known = set().union(*declared.values()) if declared else set()
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ReportSetupError(
            f"parameter(s) {', '.join(unknown)} not declared by any selected notebook; "
            f"declared: {', '.join(sorted(known)) or 'none'}"
        )


def plan_parameters(defaults: dict, overrides: dict, runner: dict) -> tuple[dict, list[dict]]:
    """Values to inject into one notebook, and a row per parameter saying who set it."""
    inject, rows = {}, []
    for name, default in defaults.items():
        if name in overrides:
            value, source = overrides[name], "command line"
        elif name in runner:
            value, source = runner[name], "report runner"
        else:
            value, source = default, "notebook default"
        if source != "notebook default":
            inject[name] = value
        rows.append({"name": name, "value": value, "source": source})
    return inject, rows


def locate_source_cell(executed: Path, cell_index: int) -> int | None:
    """1-based number, in the source notebook, of the cell papermill reports as failing."""
    try:
        cells = nbformat.read(executed, as_version=4).cells
    except (OSError, ValueError):
        return None
    # papermill counts cells before adding its error banners; the injected cell is not in the source.
    ran = [c for c in cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
    if cell_index >= len(ran):
        return None
    return sum(
        "injected-parameters" not in c.metadata.get("tags", []) for c in ran[: cell_index + 1]
    )


def describe_error(exc: BaseException, executed: Path, stage: str) -> dict:
    """Where and why a notebook failed, in plain text for the index and the console."""
    if isinstance(exc, papermill.PapermillExecutionError):
        return {
            "stage": stage,
            "cell": locate_source_cell(executed, exc.cell_index),
            "exec_count": exc.exec_count,
            "ename": exc.ename,
            "evalue": clean_message(exc.evalue),
            "source": clean_message(exc.source, 400),
        }
    return {
        "stage": stage,
        "cell": None,
        "exec_count": None,
        "ename": type(exc).__name__,
        "evalue": clean_message(exc),
        "source": "",
    }


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
def reproducible_environment(epoch: int = 0) -> Iterator[None]:
    """Fix string hashing, SVG ids and file dates for kernels started inside (restored afterwards)."""
    with tempfile.TemporaryDirectory(prefix="cxpress-mpl-") as tmp:
        rc = Path(tmp) / "matplotlibrc"
        rc.write_text("svg.hashsalt: cxpress\n", encoding="utf-8")
        wanted = {
            "PYTHONHASHSEED": "0",
            "MATPLOTLIBRC": str(rc),
            "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", str(epoch)),
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
    with reproducible_environment(record.git["commit_time"]), silence_papermill_warnings(), bar:
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
