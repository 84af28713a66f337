"""Language identification with py3langid (offline model shipped in the package), restricted and seeded-free."""

from __future__ import annotations

import re
from functools import lru_cache

# Languages the trade press realistically mixes; restricting the set makes short texts reliable.
CANDIDATES = ("fr", "en", "de", "es", "it", "pt", "nl", "ar")
_LETTERS = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W\d_]+")
# Function words only French uses among the candidates (no "il", "con", "com", "de", "la": shared)
# and function words of the other candidates. A sample dense in the first and free of the second
# is French without asking the identifier (whose byte loop is pure Python, ~0.5 ms a sample);
# anything less clear-cut goes to py3langid. tests/test_language.py checks the two agree.
_FRENCH_ONLY = frozenset(
    "les des est une dans pour qui avec sur pas du au aux cette ces sont nous vous ils elles leur leurs "
    "mais été être où aussi très sa ses son notre nos votre vos ont fait comme entre depuis".split()
)
_OTHER_ONLY = frozenset(
    "the and of to is with that for from this are was were have has los las del el una por para "
    "della di che gli sono nel não uma em os da do der die und das ist nicht het een van zijn voor "
    "في من على".split()
)
FAST_MIN_FRENCH = 9  # of the sample's ~90 words; typical French prose has 15-30
FAST_MAX_OTHER = 1  # a stray "of" or "da" (a name) is tolerated, two are not


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(CANDIDATES))
    return ident


def detect_language(text: str, *, max_chars: int = 600) -> str:
    """ISO 639-1 code of the text's language ("und" when there is too little text to tell).

    600 characters (a paragraph) tell French from English reliably; the identifier's cost
    grows with the sample, and it ran on every article.
    """
    sample = (text or "")[:max_chars]
    if len(_LETTERS.findall(sample[:200])) < 20:
        return "und"
    if plainly_french(sample):
        return "fr"
    lang, _ = _identifier().classify(sample)
    return str(lang)


def plainly_french(sample: str) -> bool:
    """True when the sample has many French-only function words and (almost) no other candidate's."""
    words = _WORDS.findall(sample.lower())
    french = sum(1 for w in words if w in _FRENCH_ONLY)
    return french >= FAST_MIN_FRENCH and sum(1 for w in words if w in _OTHER_ONLY) <= FAST_MAX_OTHER
