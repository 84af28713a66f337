"""Notebook files as the report runner sees them: selection, parameters cell, title, failing cell.

nbformat and papermill are imported where used: they take about a second to import, which every
process importing this package (`cxpress ingest`, each notebook's process) would pay.
"""

from __future__ import annotations

import ast
from pathlib import Path

from cxpress import config
from cxpress.reports.index import clean_message


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


def read_parameters(notebook: Path) -> dict[str, object]:
    """Names and default values assigned in the cell tagged `parameters` (literals, as the rules require)."""
    import nbformat

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
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def read_priority(notebook: Path) -> int:
    """The notebook's `cxpress.priority` metadata (0 when absent): the runner starts higher first."""
    import nbformat

    priority = nbformat.read(notebook, as_version=4).metadata.get("cxpress", {}).get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise ReportSetupError(f"{notebook.name}: metadata cxpress.priority must be a whole number, not {priority!r}")
    return priority


def start_order(notebooks: list[Path]) -> list[int]:
    """Indices of `notebooks` in the order their runs start: higher priority first, then by name.

    Two at a time, the longest notebook starts first so that both cores stay busy to the end; a
    notebook that reads another's memos (data/processed/memo) starts after it, so that it reads them
    back instead of computing them again (the results are the same in any order)."""
    priorities = [read_priority(nb) for nb in notebooks]
    return sorted(range(len(notebooks)), key=lambda i: (-priorities[i], notebooks[i].name))


def check_overrides(overrides: dict, declared: dict[Path, dict]) -> None:
    """Refuse a -p name that no selected notebook declares (a typo would otherwise change nothing)."""
    known = set().union(*declared.values()) if declared else set()
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ReportSetupError(
            f"parameter(s) {', '.join(unknown)} not declared by any selected notebook; "
            f"declared: {', '.join(sorted(known)) or 'none'}"
        )
    for name, value in overrides.items():
        for notebook, defaults in declared.items():
            if name in defaults and (problem := override_type_error(defaults[name], value)):
                raise ReportSetupError(f"-p {name} {value!r}: {problem} ({notebook.name} declares "
                                       f"{name} = {defaults[name]!r}); nothing was run")


def override_type_error(default: object, value: object) -> str | None:
    """Why `value` cannot replace a parameter whose default is `default` (None: it can). The type
    follows the default, as papermill injects the value as written; None defaults take anything."""
    if default is None or value is None:
        return None
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "expects True or False"
    if isinstance(default, int):
        return None if isinstance(value, int) and not isinstance(value, bool) else "expects a whole number"
    if isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else "expects a number"
    if isinstance(default, str):
        return None if isinstance(value, str) else "expects text"
    return None  # lists and other literals: the notebook checks them


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


def read_ran_cells(executed: Path) -> list:
    """Cells of an executed notebook as papermill numbered them (without its error banners)."""
    import nbformat

    try:
        cells = nbformat.read(executed, as_version=4).cells
    except (OSError, ValueError):
        return []
    return [c for c in cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]


def locate_source_cell(executed: Path, cell_index: int | None = None) -> int | None:
    """1-based number, in the source notebook, of papermill's cell `cell_index` (default: the last
    cell that started, for failures such as a dead kernel that name no cell)."""
    ran = read_ran_cells(executed)
    if cell_index is None:
        started = [
            i for i, c in enumerate(ran) if c.metadata.get("papermill", {}).get("start_time")
        ]
        cell_index = started[-1] if started else len(ran)
    if cell_index >= len(ran):
        return None
    # The injected-parameters cell is papermill's, not the author's.
    return sum(
        "injected-parameters" not in c.metadata.get("tags", []) for c in ran[: cell_index + 1]
    )


def describe_error(exc: BaseException, executed: Path, stage: str) -> dict:
    """Where and why a notebook failed, in plain text for the index and the console."""
    from papermill import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
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
        "cell": locate_source_cell(executed) if stage == "execution" else None,
        "exec_count": None,
        "ename": type(exc).__name__,
        "evalue": clean_message(exc),
        "source": "",
    }
