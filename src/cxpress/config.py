"""Every path and default the project uses, built from this file's location (one place to change)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("CXPRESS_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "data"
RAW = DATA / "raw"
SAMPLE = DATA / "sample"
LEXICONS = DATA / "lexicons"
PROCESSED = DATA / "processed"
MEMO = PROCESSED / "memo"  # memoised analyses (k grid, mentions, scores): pass as memory=
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
BENCHMARKS = ROOT / "benchmarks"
# Test/measurement corpora live beside the checkout when the workplace provides them.
SHARED = ROOT.parent / "shared"

# The period analysed by default (first and last year, inclusive): select_for_analysis, the notebooks.
YEAR_MIN = 2010
YEAR_MAX = 2024
KERNEL_NAME = "cxpress"
# Worker processes a parallel step uses on a large input when n_jobs=None: the project targets
# two-core machines.
N_JOBS = 2


def corpus_path(corpus: str | Path | None = None) -> Path:
    """`corpus` as a Path; when empty (None or ""), default_corpus()."""
    return Path(corpus) if corpus else default_corpus()


def default_corpus() -> Path:
    """The user's corpus when data/raw/ holds articles, else the embedded demo corpus."""
    has_user_files = RAW.is_dir() and any(
        p.is_file() and not p.name.startswith(".") and p.name != "README.md" for p in RAW.rglob("*")
    )
    return RAW if has_user_files else SAMPLE


def read_yaml(path: str | Path):
    """A YAML file's content (the lexicons, the outlets). libyaml's parser when PyYAML has it: the same
    objects as yaml.safe_load, ten times faster, and every worker process and kernel reads the lexicons."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)

