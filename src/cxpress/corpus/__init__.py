"""Corpus loading: files read and decoded, articles cleaned, dated, deduplicated, cached; selection for analysis.

Names are imported from their module on first use (PEP 562): the ingest's worker processes import
cxpress.corpus.ingest, and should not pay for pandas, scipy and the analysis helpers they never call."""

from __future__ import annotations

import importlib

_MODULES = {
    "analysis": (
        "AnalysisFrame",
        "analysis_frame",
    ),
    "articles": (
        "SharedTokens",
        "TextTools",
        "article_frame",
        "date_record",
        "mojibake_repaired",
        "process_record",
        "text_tools",
        "year_guess",
    ),
    "cache": (
        "corpus_fingerprint",
        "normalise_dtypes",
        "read_articles",
        "release_arrow_memory",
    ),
    "calibration": (
        "confidence_threshold",
        "describe_calibration",
        "describe_sensitivity",
        "masked_year_guesses",
        "stated_only",
        "trusted_years",
        "year_calibration",
    ),
    "decode": (
        "Decoded",
        "DecodeError",
        "decode_bytes",
        "looks_binary",
    ),
    "dedup": (
        "find_duplicates",
        "near_duplicate_pairs",
    ),
    "shingles": (
        "fingerprint",
    ),
    "ingest": (
        "bundle_files",
        "discover_files",
        "ingest_files",
    ),
    "load": (
        "LoadedCorpus",
        "LoadParams",
        "load_corpus",
    ),
    "outlets": (
        "OutletLexicon",
        "copy_outlets",
        "load_outlet_lexicon",
        "normalise_outlet",
    ),
    "overview": (
        "articles_per_outlet",
        "articles_per_year",
        "cleaning_diff",
        "date_source_counts",
        "length_summary",
        "most_cleaned",
        "source_family",
        "top_bigrams",
        "top_terms",
    ),
    "readers": (
        "read_file",
    ),
    "select": (
        "select_for_analysis",
        "selection_report",
    ),
    "webpages": (
        "HtmlArticle",
        "html_to_text",
    ),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # once found, a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
