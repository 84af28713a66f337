"""Language identification with py3langid (offline model shipped in the package), restricted to likely languages.

A French shortcut answers first: a sample dense in function words only French uses (among the
candidates) and free of the others' is French without asking the identifier, whose byte loop is
pure Python (~0.5 ms a sample); anything less clear-cut goes to py3langid. The function words are
data (data/lexicons/function_words.yml); tests/test_language.py checks the two agree.
"""

from __future__ import annotations

import io
import lzma
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

from cxpress import config
from cxpress.config import LEXICONS, read_yaml
from cxpress.text import defaults
from cxpress.text.french import SpelledClass

FUNCTION_WORDS_LEXICON = LEXICONS / "function_words.yml"
# Languages the trade press realistically mixes; restricting the set makes short texts reliable.
CANDIDATES = ("fr", "en", "de", "es", "it", "pt", "nl", "ar")
MIN_LETTERS = 20  # in the first 200 characters, else "und"
# matches only where the text has MIN_LETTERS letters (possessive: one pass, no string per letter)
_ENOUGH_LETTERS = re.compile(rf"(?:[\W\d_]*+[^\W\d_]){{{MIN_LETTERS}}}")
_WORDS = SpelledClass("@+", r"[^\W\d_]")
FAST_MIN_FRENCH = 9  # of the sample's ~90 words; typical French prose has 15-30
FAST_MAX_OTHER = 1  # a stray "of" or "da" (a name) is tolerated, two are not


@dataclass(frozen=True)
class FunctionWords:
    """Function words only French uses among the candidates, and those of the other candidates."""

    french_only: frozenset[str]
    other_languages: frozenset[str]


def load_function_words(path: str | Path | None = None) -> FunctionWords:
    """The function words of data/lexicons/function_words.yml (lower-case, whitespace-separated)."""
    path = Path(path) if path else FUNCTION_WORDS_LEXICON
    table = read_yaml(path) or {}
    return FunctionWords(*(frozenset(str(table.get(key) or "").lower().split())
                           for key in ("french_only", "other_languages")))


def load_language_identifier(cache: Path | None = None):
    """py3langid's identifier, restricted to CANDIDATES (loads its model: build it once, pass it on).

    The model ships LZMA-compressed and decompressing it took ~1.5 s in every worker process;
    `cache` (default data/processed/models/) keeps an uncompressed copy that loads in ~0.2 s."""
    from py3langid.langid import LanguageIdentifier

    arrays = _model_arrays(config.PROCESSED / "models" if cache is None else cache)
    identifier = LanguageIdentifier(np.asarray(arrays["ptc"]), np.asarray(arrays["pc"]), arrays["classes"].tolist(),
                                    _int_view(arrays["nextmove"]), arrays["out_feat"].tolist(),
                                    norm_probs=True, tk_row=_int_view(arrays["nextmove_row"]))
    identifier.set_languages(list(CANDIDATES))
    return identifier


def _int_view(values: np.ndarray) -> memoryview:
    """An unsigned NumPy array as a memoryview of Python ints for py3langid's byte loop (indexed one at
    a time, which is slow on NumPy). A view, not a copy: the 39 MB transition table stays
    memory-mapped, so loading takes ~5 ms instead of ~70 ms and worker processes share its pages."""
    values = np.ascontiguousarray(values)
    return memoryview(values).cast("B").cast({2: "H", 4: "I", 8: "Q"}[values.dtype.itemsize])


def prepare_model_copy(cache: Path | None = None) -> None:
    """Write the uncompressed copy of py3langid's model (load_language_identifier) if it is missing:
    the ingest's main process does it while its workers read the files, so that they do not each
    decompress the model (~1.5 s) when their first sample needs it."""
    folder = config.PROCESSED / "models" if cache is None else cache
    if not _model_copy(folder)[1].is_dir():
        _model_arrays(folder)


def _model_copy(folder: Path) -> tuple[Path, Path]:
    """py3langid's packed model, and where its uncompressed copy lives in `folder`."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    source = Path(MODEL_FILE) if Path(MODEL_FILE).is_absolute() else MODEL_DIR / MODEL_FILE
    return source, folder / f"py3langid-{version('py3langid')}-{source.stat().st_size}"


def _model_arrays(folder: Path) -> dict[str, np.ndarray]:
    """The arrays of py3langid's model, memory-mapped from an uncompressed copy in `folder` (one .npy
    per array, written once per py3langid version, atomically; worker processes then share the pages).
    Read straight from the package when the folder is not writable."""
    source, copy = _model_copy(folder)
    if not copy.is_dir():
        with lzma.open(source) as packed, np.load(io.BytesIO(packed.read()), allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        if not _write_arrays(arrays, folder, copy):
            return arrays
    return {path.stem: np.load(path, mmap_mode="r", allow_pickle=False) for path in copy.glob("*.npy")}


def _write_arrays(arrays: dict[str, np.ndarray], folder: Path, copy: Path) -> bool:
    """Write the arrays as `copy`/<name>.npy through a temporary folder; False when it cannot be done
    (folder not writable; another process wrote it first is fine)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        part = Path(tempfile.mkdtemp(dir=folder, suffix=".part"))
    except OSError:
        return False
    try:
        for name, values in arrays.items():
            np.save(part / f"{name}.npy", values)
        part.chmod(0o755)  # a cache like the parquet files, not a secret
        os.replace(part, copy)
    except OSError:
        shutil.rmtree(part, ignore_errors=True)
    return copy.is_dir()


def detect_language(text: str, *, max_chars: int = 600, function_words: FunctionWords | None = None,
                    identifier=None) -> str:
    """ISO 639-1 code of the text's language ("und" when there is too little text to tell).

    600 characters (a paragraph) tell French from English reliably; the identifier's cost
    grows with the sample, and it ran on every article. `function_words` and `identifier`
    replace the defaults (cxpress.text.defaults).
    """
    sample = (text or "")[:max_chars]
    if not _ENOUGH_LETTERS.match(sample, 0, 200):
        return "und"
    if plainly_french(sample, function_words=function_words):
        return "fr"
    lang, _ = (identifier or default_language_identifier()).classify(sample)
    return str(lang)


def plainly_french(sample: str, *, function_words: FunctionWords | None = None) -> bool:
    """True when the sample has many French-only function words and (almost) no other candidate's."""
    words = function_words or default_function_words()
    found = _WORDS.findall(sample.lower())
    # membership mapped in C and summed as booleans
    french = sum(map(words.french_only.__contains__, found))
    return french >= FAST_MIN_FRENCH and sum(map(words.other_languages.__contains__, found)) <= FAST_MAX_OTHER


def default_function_words() -> FunctionWords:
    """The function words of data/lexicons/function_words.yml, once per process (cxpress.text.defaults)."""
    return defaults.shared("function words", load_function_words)


def default_language_identifier():
    """py3langid's identifier restricted to the candidate languages (its model loads once per process)."""
    return defaults.shared("language identifier", load_language_identifier)
