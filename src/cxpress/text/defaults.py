"""The store of the text functions' default helper objects: one per process, reset() empties it.

Each text function takes its compiled rules or helper object as an optional keyword (`rules=`,
`classifier=`, `tokenizer=`...); without one it uses its module's default (`default_classifier()`,
`default_tokenizer()`, `default_date_rules()`...), built from data/lexicons/ on first use in each
process and kept here. Three of them own caches that make repeated lines and words cheap: the
BoilerplateClassifier (lines seen), each Tokenizer (the form of each word type) and the TermMatcher
(anchors per word). Batch code may build its own and pass them in; reset() forgets every default,
e.g. after a lexicon was edited in a running session. This module imports no other: the modules
that own the helpers come to it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
_built: dict[Hashable, object] = {}


def shared(key: Hashable, build: Callable[[], T]) -> T:
    """The default object stored under `key`, built by `build()` on first use in this process."""
    found = _built.get(key)
    if found is None:
        found = _built[key] = build()
    return found  # type: ignore[return-value]


def reset() -> None:
    """Forget every default object and its cache: the next call rebuilds it from the lexicon files."""
    _built.clear()
