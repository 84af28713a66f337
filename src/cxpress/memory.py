"""On-disk memoisation of slow analyses, passed explicitly as `memory=` (scikit-learn style).

`memory` is None (compute every time), a folder, or a joblib.Memory. A result is stored under a key
that must stand for everything it depends on: build it with text_key() from a label, the inputs,
source_version() of the code involved and files_version() of the data files it reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TypeVar

from joblib import Memory

T = TypeVar("T")
MemoryLike = Memory | str | Path | None


@cache
def source_version(*modules: str) -> str:
    """A digest of the source files of cxpress modules (e.g. "text.terms"): part of a memo key, so
    that a changed algorithm never returns results computed by the old one."""
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


def as_memory(memory: MemoryLike) -> Memory | None:
    """joblib.Memory for a folder (or the Memory given); None means no memoisation."""
    if memory is None or isinstance(memory, Memory):
        return memory
    return Memory(Path(memory), verbose=0)  # a Path: joblib then adds no "joblib" subfolder


def _keyed(key: str, compute: Callable[[], T]) -> T:
    """compute(), stored by joblib under `key` alone."""
    return compute()


def memoise(memory: MemoryLike, key: str | Callable[[], str], compute: Callable[[], T]) -> T:
    """compute(), read back from `memory` when it was stored under `key` (key may be a callable,
    so that hashing large inputs is skipped when nothing is memoised)."""
    store = as_memory(memory)
    if store is None or store.location is None:
        return compute()
    return store.cache(_keyed, ignore=["compute"])(key() if callable(key) else key, compute)
