"""Language identification with py3langid (offline model shipped in the package), restricted and seeded-free."""

from __future__ import annotations

import re
from functools import lru_cache

# Languages the trade press realistically mixes; restricting the set makes short texts reliable.
CANDIDATES = ("fr", "en", "de", "es", "it", "pt", "nl", "ar")
_LETTERS = re.compile(r"[^\W\d_]")


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
    lang, _ = _identifier().classify(sample)
    return str(lang)
