"""One notebook run in a process of its own: papermill executes it, nbconvert exports it to HTML.

`python -m cxpress.reports NOTEBOOK RUN_DIR --parameters JSON` writes into RUN_DIR the
executed notebook, its HTML (full and share) and result.json (status, timing, files, error); the
notebook writes its figures and tables under the `reports_dir` parameter it is given.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import time
from datetime import datetime
from pathlib import Path

from cxpress import config
from cxpress.reports.export import export_reports
from cxpress.reports.notebooks import describe_error, read_title

RESULT = "result.json"
EXECUTED = "executed"  # written once the kernel is gone: the runner may start the next notebook


def execute_notebook(
    notebook: Path, run_dir: Path, parameters: dict, *, kernel_name: str, progress: bool = False,
    context: dict | None = None,
) -> dict:
    """Execute `notebook` into run_dir and export it; a failure is recorded in the result, not raised.

    Returns status, started, duration_s, files (kind -> name in run_dir) and error (or None).
    """
    import papermill  # here: main() first spares this process an import it never uses

    executed = run_dir / f"{notebook.stem}.ipynb"
    started, clock = datetime.now().astimezone(), time.perf_counter()
    result = {"status": "ok", "started": started.isoformat(timespec="seconds"), "files": {}, "error": None}
    # papermill's line parser misreads commented literals; check_overrides already refuses unknown names
    logging.getLogger("papermill").setLevel(logging.ERROR)
    try:
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=parameters,
            kernel_name=kernel_name,
            language="python",
            cwd=str(notebook.parent),
            progress_bar={"desc": notebook.stem, "leave": False, "position": 1} if progress else False,
            log_output=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no transport warning per notebook
        )
    except Exception as exc:  # cell error, dead kernel, timeout: recorded so the other notebooks run
        result["status"], result["error"] = "failed", describe_error(exc, executed, "execution")
    result["duration_s"] = round(time.perf_counter() - clock, 2)
    (run_dir / EXECUTED).touch()
    if executed.exists():
        export_executed(executed, notebook, result, read_title(notebook), context)
    return result


def export_executed(executed: Path, notebook: Path, result: dict, title: str,
                    context: dict | None = None) -> None:
    """Add the HTML pages to `result`; an export failure makes the report failed, the notebook kept."""
    try:
        result["files"] = export_reports(executed, notebook.parent, executed.parent, title,
                                         context=context, started=result["started"])
    except Exception as exc:
        result["files"] = {"ipynb": executed.name}
        result["status"] = "failed"
        result["error"] = result["error"] or describe_error(exc, executed, "HTML export")


def stop_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (the runner stopping the run) exits through Python, so that nbclient's exit hook
    shuts the kernel down with its worker processes."""
    sys.exit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run one notebook; exit 0 when it ran and exported, 1 when it failed (result.json says why)."""
    parser = argparse.ArgumentParser(prog="python -m cxpress.reports", description=__doc__)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--parameters", default="{}", help="values to inject, as a JSON object")
    parser.add_argument("--kernel", default=config.KERNEL_NAME)
    parser.add_argument("--progress", action="store_true", help="a progress bar over the cells")
    parser.add_argument("--context", default="", help="run header facts, as a JSON object")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    result = execute_notebook(
        args.notebook.resolve(),
        args.run_dir.resolve(),
        json.loads(args.parameters),
        kernel_name=args.kernel,
        progress=args.progress,
        context=json.loads(args.context) if args.context else None,
    )
    (args.run_dir / RESULT).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0 if result["status"] == "ok" else 1
