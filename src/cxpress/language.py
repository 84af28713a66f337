"""Language identification with py3langid (offline model shipped in the package), restricted and seeded-free."""

from __future__ import annotations

from functools import lru_cache

# Languages the trade press realistically mixes; restricting the set makes short texts reliable.
CANDIDATES = ("fr", "en", "de", "es", "it", "pt", "nl", "ar")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(CANDIDATES))
    return ident


def detect_language(text: str, *, max_chars: int = 2000) -> str:
    """ISO 639-1 code of the text's language ("und" when there is too little text to tell)."""
    sample = (text or "")[:max_chars]
    if sum(c.isalpha() for c in sample) < 20:
        return "und"
    lang, _ = _identifier().classify(sample)
    return str(lang)
