"""The record of a report run (what ran, on what, with which versions) and its offline index page."""

from __future__ import annotations

import hashlib
import json
import platform
import re
import shlex
import subprocess
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import jinja2

from cxpress import config
from cxpress.reports.template import INDEX_TEMPLATE

if TYPE_CHECKING:
    import pandas as pd

PACKAGES = (
    "cxpress",
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "matplotlib",
    "nltk",
    "simplemma",
    "py3langid",
    "ftfy",
    "pyarrow",
    "textblob-fr",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class NotebookResult:
    """Outcome of one notebook: status, timing, files written and, on failure, where and why."""

    name: str
    title: str
    status: str  # "ok" | "failed" | "not run"
    started: str = ""
    duration_s: float = 0.0
    parameters: list[dict] = field(default_factory=list)  # name, value, source
    files: dict[str, str] = field(default_factory=dict)  # kind (ipynb/html/share) -> relative path
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    error: dict | None = None  # cell, exec_count, ename, evalue, source, stage


@dataclass
class RunRecord:
    """Everything needed to judge and repeat a run; serialised to run.json, rendered to index.html."""

    started: str
    corpus: dict
    git: dict
    versions: dict
    environment: dict
    rerun: str
    duration_s: float = 0.0
    notebooks: list[NotebookResult] = field(default_factory=list)

    @property
    def failed(self) -> list[NotebookResult]:
        return [nb for nb in self.notebooks if nb.status != "ok"]


def collect_versions(packages: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed version of each package that shapes the results ("not installed" when absent)."""
    versions = {}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def describe_environment(kernel_python: str) -> dict[str, str]:
    """Python, platform and kernel interpreter, so a colleague can tell whether a rerun is comparable."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "kernel python": kernel_python,
    }


def describe_git(root: Path = config.ROOT) -> dict:
    """Commit hash and dirty flag of the checkout ("unknown" outside a git repository)."""

    def run_git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = run_git("rev-parse", "HEAD")
    status = run_git("status", "--porcelain")
    return {
        "commit": commit or "unknown (no git commit)",
        "dirty": bool(status) if status is not None else None,
        "changed_files": len(status.splitlines()) if status else 0,
    }


def fingerprint_files(path: Path) -> str:
    """sha256 over relative file names, sizes and mtimes: cheap, changes when any file changes."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        stat = file.stat()
        name = file.name if file == path else file.relative_to(path).as_posix()
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def count_load_report(report: pd.DataFrame) -> dict[str, int]:
    """Rows of the load report per "status / reason family" (the reason up to its first ':')."""
    family = report["reason"].fillna("").astype(str).str.split(":").str[0].str.strip()
    counts = report.assign(family=family).groupby(["status", "family"]).size()
    return {
        f"{status} / {fam}" if fam else str(status): int(n) for (status, fam), n in counts.items()
    }


def display_path(path: Path) -> str:
    """Path relative to the project root when inside it (shorter, portable), else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(config.ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def format_rerun_command(
    notebooks: list[str],
    corpus: Path,
    parameters: dict,
    out_dir: Path,
    notebook_dir: Path = config.NOTEBOOKS,
) -> str:
    """The `cxpress report` command line that repeats this run from the project root."""
    args = [
        "cxpress",
        "report",
        "--notebooks",
        ",".join(notebooks),
        "--corpus",
        display_path(corpus),
    ]
    if Path(notebook_dir).resolve() != config.NOTEBOOKS.resolve():
        args += ["--notebook-dir", display_path(notebook_dir)]
    for name, value in parameters.items():
        args += ["-p", name, str(value)]
    args += ["--out", display_path(out_dir)]
    return shlex.join(args)


def clean_message(text: str, limit: int = 600) -> str:
    """Error text without terminal colour codes, cut to a readable length."""
    text = _ANSI.sub("", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summarize_failure(result: NotebookResult) -> str:
    """One line saying which notebook failed, where, and with what exception."""
    err = result.error or {}
    where = f"cell {err['cell']}" if err.get("cell") else err.get("stage", "execution")
    if err.get("exec_count"):
        where += f" (In [{err['exec_count']}])"
    return f"{result.name} failed at {where}: {err.get('ename', 'Error')}: {err.get('evalue', '')}"


def format_duration(seconds: float) -> str:
    """12.3 s, 4 min 05 s: durations a reader takes in at a glance."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s"


def format_value(value: object) -> str:
    """A parameter value as Python would write it ('' for the empty string, not nothing)."""
    return repr(value)


def render_index(record: RunRecord) -> str:
    """The index page as one self-contained HTML string (inline CSS, no scripts, all text escaped)."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["duration"] = format_duration
    env.filters["url"] = lambda path: quote(str(path))
    env.filters["show"] = format_value
    return env.from_string(INDEX_TEMPLATE).render(
        r=record,
        failed=record.failed,
        summaries=[summarize_failure(nb) for nb in record.failed],
        pngs={
            nb.name: pngs
            for nb in record.notebooks
            if (pngs := [f for f in nb.figures if f.endswith(".png")])
        },
    )


def write_index(record: RunRecord, out_dir: Path) -> Path:
    """Write index.html and run.json (the same record, machine-readable) into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "run.json").write_text(
        json.dumps(asdict(record), indent=2, ensure_ascii=False, default=str) + "\n",
        encoding="utf-8",
    )
    index = out_dir / "index.html"
    index.write_text(render_index(record), encoding="utf-8")
    return index
