"""The processes a report run starts: the corpus ingest, then one process per notebook.

Each is started in its own process group with the environment it needs (`env=`), so that Ctrl-C
reaches the runner alone, which then stops them by signal (stop_processes).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cxpress.reports.execute import EXECUTED, RESULT
from cxpress.reports.index import clean_message, display_path, fingerprint_files

LOG = "log.txt"
NOTEBOOK_OUTPUTS = "reports"  # the folder of a run folder given to the notebook as its reports_dir


@contextmanager
def reproducible_environment() -> Iterator[dict[str, str]]:
    """The environment of the processes started inside: this one's, with string hashing, SVG ids and
    file dates fixed. The date is a constant, not the commit time: a figure must not change because
    HEAD moved."""
    with tempfile.TemporaryDirectory(prefix="cxpress-mpl-") as tmp:
        rc = Path(tmp) / "matplotlibrc"
        rc.write_text("svg.hashsalt: cxpress\n", encoding="utf-8")
        yield {
            **os.environ,
            "PYTHONHASHSEED": "0",
            "MATPLOTLIBRC": str(rc),
            "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0"),
            "CXPRESS_PROGRESS": "0",  # no progress bars in the kernels: the reports are for reading
        }


def stop_processes(procs: list[subprocess.Popen], grace_s: float = 5.0) -> None:
    """SIGTERM to the process groups `procs` lead, SIGKILL to those still there after grace_s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for proc in procs:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:  # already gone
                pass
        deadline = time.monotonic() + grace_s
        for proc in procs:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        procs = [proc for proc in procs if proc.poll() is None]
        if not procs:
            return


def ingest_corpus(path: Path, years: tuple[int, int], env: dict, *, quiet: bool) -> dict:
    """The corpus facts of the index (fingerprint, articles loaded and analysed, load-report counts),
    from `cxpress ingest` run first; it fills the cache the notebooks then read."""
    info = {"path": display_path(path), "fingerprint": "", "n_articles": None, "n_analysed": None,
            "load_report": {}, "error": ""}
    with tempfile.TemporaryDirectory(prefix="cxpress-ingest-") as tmp:
        facts = Path(tmp) / "corpus.json"
        command = [sys.executable, "-m", "cxpress.cli", "ingest", str(path), "--facts", str(facts),
                   "--years", str(years[0]), str(years[1])]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE if quiet else None, text=True, process_group=0)
        try:
            _, stderr = proc.communicate()
        except BaseException:
            stop_processes([proc])
            raise
        if facts.exists():
            info |= json.loads(facts.read_text(encoding="utf-8"))
        else:
            last = (stderr or "").strip().splitlines()[-1:] or ["see the messages above"]
            info["error"] = f"cxpress ingest exited with code {proc.returncode}: {last[0]}"
    if info["error"] and not info["fingerprint"] and Path(path).exists():
        info["fingerprint"] = fingerprint_files(Path(path))
    return info


def start_notebook(
    notebook: Path, run_dir: Path, inject: dict, *, kernel_name: str, env: dict, progress: bool,
    context: dict | None = None,
) -> subprocess.Popen:
    """`python -m cxpress.reports` (execute.main) on one notebook, its outputs under run_dir/reports (its
    reports_dir); with a progress bar over the cells, or its messages in run_dir/log.txt."""
    shutil.rmtree(run_dir, ignore_errors=True)  # left by an interrupted run
    outputs = run_dir / NOTEBOOK_OUTPUTS
    for sub in ("figures", "tables"):
        (outputs / sub).mkdir(parents=True)
    # the index shows the reports folder as reports_dir; the notebook writes to its own, merged there
    parameters = inject | ({"reports_dir": str(outputs)} if "reports_dir" in inject else {})
    command = [sys.executable, "-m", "cxpress.reports", str(notebook), str(run_dir),
               "--parameters", json.dumps(parameters), "--kernel", kernel_name]
    if context:
        command += ["--context", json.dumps(context, ensure_ascii=False, default=str)]
    if progress:
        return subprocess.Popen([*command, "--progress"], env=env, stdout=subprocess.DEVNULL,
                                process_group=0)
    with open(run_dir / LOG, "wb") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                process_group=0)


def is_executing(run_dir: Path) -> bool:
    """Whether the notebook's kernel still runs (its process may be exporting the HTML)."""
    return not (run_dir / EXECUTED).exists()


def read_result(run_dir: Path, returncode: int) -> dict:
    """What the notebook's process recorded, or, when it ended without a word (killed, crashed), its
    exit code and last message."""
    result = run_dir / RESULT
    if result.exists():
        return json.loads(result.read_text(encoding="utf-8"))
    log = run_dir / LOG
    last = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] if log.exists() else []
    error = {"stage": "execution", "cell": None, "exec_count": None, "ename": "ProcessExit",
             "evalue": clean_message(f"the notebook's process exited with code {returncode}"
                                     + (f": {last[0]}" if last else "")), "source": ""}
    executed = next(run_dir.glob("*.ipynb"), None)
    files = {"ipynb": executed.name} if executed else {}
    return {"status": "failed", "started": "", "duration_s": 0.0, "files": files, "error": error}


def collect_outputs(run_dir: Path, out_dir: Path) -> tuple[list[str], list[str]]:
    """Move what one notebook wrote (run_dir/reports/...) and its executed notebook and HTML pages
    into out_dir; returns the figures and tables it wrote, relative to out_dir."""
    written = []
    outputs = run_dir / NOTEBOOK_OUTPUTS
    for path in sorted(p for p in outputs.rglob("*") if p.is_file()):
        rel = path.relative_to(outputs)
        (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, out_dir / rel)
        written.append(rel.as_posix())
    for path in run_dir.glob("*.*html"):
        os.replace(path, out_dir / path.name)
    for path in run_dir.glob("*.ipynb"):
        os.replace(path, out_dir / path.name)
    shutil.rmtree(run_dir, ignore_errors=True)
    return [p for p in written if p.startswith("figures/")], [p for p in written if p.startswith("tables/")]
