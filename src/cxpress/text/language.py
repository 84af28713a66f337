"""Language identification with py3langid (offline model shipped in the package), restricted to likely languages.

A French shortcut answers first: a sample dense in function words only French uses (among the
candidates) and free of the others' is French without asking the identifier, whose byte loop is
pure Python (~0.5 ms a sample); anything less clear-cut goes to py3langid. The function words are
data (data/lexicons/function_words.yml); tests/test_language.py checks the two agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from cxpress.config import LEXICONS
from cxpress.text import defaults

FUNCTION_WORDS_LEXICON = LEXICONS / "function_words.yml"
# Languages the trade press realistically mixes; restricting the set makes short texts reliable.
CANDIDATES = ("fr", "en", "de", "es", "it", "pt", "nl", "ar")
_LETTERS = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W\d_]+")
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
    table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return FunctionWords(*(frozenset(str(table.get(key) or "").lower().split())
                           for key in ("french_only", "other_languages")))


def load_language_identifier():
    """py3langid's identifier, restricted to CANDIDATES (loads its model: build it once, pass it on)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def detect_language(text: str, *, max_chars: int = 600, function_words: FunctionWords | None = None,
                    identifier=None) -> str:
    """ISO 639-1 code of the text's language ("und" when there is too little text to tell).

    600 characters (a paragraph) tell French from English reliably; the identifier's cost
    grows with the sample, and it ran on every article. `function_words` and `identifier`
    replace the defaults (cxpress.text.defaults).
    """
    sample = (text or "")[:max_chars]
    if len(_LETTERS.findall(sample[:200])) < 20:
        return "und"
    if plainly_french(sample, function_words=function_words):
        return "fr"
    lang, _ = (identifier or default_language_identifier()).classify(sample)
    return str(lang)


def plainly_french(sample: str, *, function_words: FunctionWords | None = None) -> bool:
    """True when the sample has many French-only function words and (almost) no other candidate's."""
    words = function_words or default_function_words()
    found = _WORDS.findall(sample.lower())
    french = sum(1 for w in found if w in words.french_only)
    return french >= FAST_MIN_FRENCH and sum(1 for w in found if w in words.other_languages) <= FAST_MAX_OTHER


def default_function_words() -> FunctionWords:
    """The function words of data/lexicons/function_words.yml, once per process (cxpress.text.defaults)."""
    return defaults.shared("function words", load_function_words)


def default_language_identifier():
    """py3langid's identifier restricted to the candidate languages (its model loads once per process)."""
    return defaults.shared("language identifier", load_language_identifier)
