"""Results memoised on disk under data/processed/memo (a cache like the parquet corpus: `make clean`
empties it): the same inputs and the same code give the stored result back instead of recomputing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@cache
def source_version(*modules: str) -> str:
    """A digest of the source files of cxpress modules (e.g. "terms"): part of a memo key, so that
    a changed algorithm never returns results computed by the old one."""
    digest = hashlib.sha256()
    for name in modules:
        digest.update(Path(import_module(f"cxpress.{name}").__file__).read_bytes())
    return digest.hexdigest()[:16]


def text_key(*parts: str | Sequence[str]) -> str:
    """A digest of strings and lists of strings (lengths included, so that no two inputs collide
    by shifting text from one item to the next)."""
    digest = hashlib.sha256()
    for part in parts:
        for item in [part] if isinstance(part, str) else part:
            digest.update(f"\x00{len(item)}\x01".encode())
            digest.update(item.encode("utf-8", "surrogatepass"))
        digest.update(b"\x02")
    return digest.hexdigest()


def files_version(directory: Path) -> str:
    """A digest of the files of a data directory (e.g. the lexicons): part of a memo key."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(directory).rglob("*") if p.is_file()):
        digest.update(path.name.encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()[:16]


def _keyed(key: str, compute: Callable[[], T]) -> T:
    """compute(), stored by joblib under `key` alone."""
    return compute()


def cached(key: str, compute: Callable[[], T]) -> T:
    """compute() memoised on disk (joblib.Memory in data/processed/memo) under `key`, which must
    stand for everything the result depends on: build it with text_key() from a label, the inputs
    and source_version() of the code involved."""
    from joblib import Memory

    from cxpress import config

    return Memory(config.PROCESSED / "memo", verbose=0).cache(_keyed, ignore=["compute"])(key, compute)
