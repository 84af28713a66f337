"""Time a benchmark stage and sample the peak resident memory of this process and its children.

Shared by the cxpress worker (cxpress_stages.py) and the naive baseline so both are measured alike.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05
# Finding the descendants walks every process of the machine (psutil reads each /proc/<pid>/stat:
# ~2.5 ms of CPU here), reading the known ones ~0.3 ms: the tree is re-read every 10th sample
# (0.5 s; a Jupyter kernel or joblib worker lives for seconds) and at each stage's start and end.
# Re-reading it at every sample took ~6 % of a core in the process that also drives the kernels.
TREE_EVERY = 10


def descendants(process: psutil.Process) -> list[psutil.Process]:
    """The process and all its descendants (joblib workers, Jupyter kernels)."""
    try:
        return [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return [process]


def sample_tree(procs: list[psutil.Process]) -> tuple[int, dict[int, float]]:
    """Resident bytes of these processes together, and each one's CPU seconds so far (user +
    system); processes that have exited are skipped."""
    rss, cpu = 0, {}
    for proc in procs:
        try:
            with proc.oneshot():
                rss += proc.memory_info().rss
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return rss, cpu


class PeakSampler:
    """Background thread that keeps, since the last reset(), the highest tree RSS and the CPU
    seconds used by the tree (a child's CPU counts up to its last sample, even after it exits)."""

    def __init__(self, interval: float = SAMPLE_SECONDS, tree_every: int = TREE_EVERY):
        self.process = psutil.Process()
        self.interval, self.tree_every = interval, tree_every
        self._lock = threading.Lock()
        self._count = 0
        self.reset()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample(self, tree: bool = False) -> None:
        with self._lock:
            self._count += 1
            if tree or self._count % self.tree_every == 0:
                self._procs = descendants(self.process)
            rss, cpu = sample_tree(self._procs)
            self.peak = max(self.peak, rss)
            self.latest.update(cpu)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def reset(self) -> None:
        with self._lock:
            self._procs = descendants(self.process)
            rss, cpu = sample_tree(self._procs)
            self.peak, self.baseline, self.latest = rss, cpu, dict(cpu)

    def read(self) -> tuple[int, float]:
        """Peak tree RSS in bytes and CPU seconds since the last reset()."""
        self._sample(tree=True)
        with self._lock:
            cpu = sum(t - self.baseline.get(pid, 0.0) for pid, t in self.latest.items())
            return self.peak, cpu

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


class StageLog:
    """One record per stage (seconds, CPU seconds, peak RSS, counts, status), rewritten to `path` as
    JSON after every stage, so a run stopped by the time limit still leaves the stages it finished."""

    def __init__(self, pipeline: str, corpus: str, path: str | Path, *, stage_timeout: float | None = None):
        self.pipeline, self.corpus, self.path = pipeline, corpus, Path(path)
        self.rows: list[dict] = []
        self.info: dict = {}
        self.sampler = PeakSampler()
        self.stage_timeout = stage_timeout
        self._current: tuple[dict, float] | None = None
        if stage_timeout:
            threading.Thread(target=self._watch, daemon=True).start()

    def _finish(self, row: dict, start: float) -> None:
        row["seconds"] = time.perf_counter() - start
        peak, cpu = self.sampler.read()
        row.update(peak_rss_mb=peak / 2**20, cpu_seconds=cpu, load_1min=os.getloadavg()[0])
        self.rows.append(row)
        self.write()
        mark = {"ok": "ok ", "error": "ERR", "timeout": "OUT"}[row["status"]]
        print(f"  [{self.pipeline}] {mark} {row['stage']:<36} {row['seconds']:8.2f} s  {row['peak_rss_mb']:7.0f} MB",
              file=sys.stderr, flush=True)

    def _watch(self) -> None:
        """Stop the whole process (children included) when a stage outlives stage_timeout."""
        while True:
            time.sleep(1.0)
            current = self._current
            if current and time.perf_counter() - current[1] > self.stage_timeout:
                row, start = current
                row.update(status="timeout", error=f"stopped after {self.stage_timeout:.0f} s (--stage-timeout)")
                self._finish(row, start)
                for child in psutil.Process().children(recursive=True):
                    child.kill()
                os._exit(3)

    @contextmanager
    def stage(self, name: str, *, articles: int | None = None, words: int | None = None):
        """Time the block; a failure is recorded (with its message) and does not stop later stages."""
        row = {"pipeline": self.pipeline, "stage": name, "articles": articles, "words": words,
               "status": "ok", "error": ""}
        self.sampler.reset()
        row["rss_start_mb"] = self.sampler.peak / 2**20
        start = time.perf_counter()
        self._current = (row, start)
        try:
            yield row
        except Exception as err:  # noqa: BLE001 - a failing stage is reported in the table
            row["status"] = "error"
            row["error"] = f"{type(err).__name__}: {err}"
            traceback.print_exc(file=sys.stderr)
        finally:
            self._current = None
        self._finish(row, start)

    def write(self) -> None:
        """Write every finished stage (and self.info) to the JSON file."""
        payload = {"pipeline": self.pipeline, "corpus": self.corpus, "rows": self.rows, **self.info}
        self.path.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
