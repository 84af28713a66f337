"""Sentiment lexicons read from data/lexicons: opinion entries (the domain YAML over a general French
lexicon) and the closed-class words the rules interpret (sentiment_grammar.yml).

Entries are keyed by lemma sequences with articles and prepositions dropped, so one line
("suppression de postes") covers its inflections ("suppressions des postes").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from importlib.util import find_spec
from pathlib import Path
from xml.etree import ElementTree

from cxpress.config import LEXICONS, read_yaml
from cxpress.text.tokens import normalise_word, split_words

GENERAL_LEXICONS = ("pattern", "none")


@dataclass(frozen=True)
class Grammar:
    """The word lists of sentiment_grammar.yml (its comments say what each does), with two unions:
    `surface_words` (compared as written) and `never_scored` (never opinion words)."""

    glue: frozenset[str]
    negation_particles: frozenset[str]
    negation_alone: frozenset[str]
    not_negation_after: frozenset[str]
    not_negation_after_jamais: frozenset[str]
    not_negation_after_alone: frozenset[str]  # includes not_negation_after
    lack: frozenset[str]
    reducers: frozenset[str]
    direction_skipped: frozenset[str]  # includes glue
    weakeners: frozenset[str]
    not_weakener_after: frozenset[str]
    distancing: frozenset[str]
    distancing_after_on_nous: frozenset[str]
    irrealis: frozenset[str]
    irrealis_surface: frozenset[str]
    condition_words: frozenset[str]
    condition_after: frozenset[str]
    condition_elided_before: frozenset[str]
    contrast: frozenset[str]
    contrast_only_after: Mapping[str, frozenset[str]]
    concessive: frozenset[str]
    concessive_pairs: frozenset[tuple[str, str]]
    surface_words: frozenset[str]
    never_scored: frozenset[str]


# YAML lists that extend another list of the same Grammar field: field -> lists added to it.
_INCLUDES = {"not_negation_after_alone": ("not_negation_after",), "direction_skipped": ("glue",)}
# Grammar fields that are unions: field -> (its own YAML list, the lists added to it).
_UNIONS = {
    "surface_words": (
        "keep_surface",
        ("negation_particles", "negation_alone", "contrast", "concessive", "distancing"),
    ),
    "never_scored": (
        "not_opinion_words",
        ("negation_particles", "negation_alone", "reducers", "contrast", "concessive", "distancing"),
    ),
}
_STRUCTURED = ("contrast_only_after", "concessive_pairs")


def _word_list(table: dict, key: str, path: Path) -> list[str]:
    """The words under `key`, checked: a list of strings (YAML reads a bare on/off/yes/no as a bool)."""
    words = table.get(key)
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ValueError(f"{path}: {key!r} must be a list of words (quote on/off/yes/no), got {words!r}")
    return words


def load_grammar(path: str | Path | None = None) -> Grammar:
    """The closed-class word lists of the rules (default data/lexicons/sentiment_grammar.yml)."""
    path = Path(path) if path else LEXICONS / "sentiment_grammar.yml"
    table = read_yaml(path) or {}
    plain = [f.name for f in fields(Grammar) if f.name not in _UNIONS and f.name not in _STRUCTURED]
    expected = {*plain, *_STRUCTURED, *(own for own, _ in _UNIONS.values())}
    if unknown := set(table) - expected:
        raise ValueError(f"{path}: unknown key(s) {sorted(unknown)}; expected {sorted(expected)}")
    sets = {key: frozenset(_word_list(table, key, path)) for key in plain}
    for key, added in _INCLUDES.items():
        sets[key] = sets[key].union(*(sets[k] for k in added))
    for key, (own, added) in _UNIONS.items():
        sets[key] = frozenset(_word_list(table, own, path)).union(*(sets[k] for k in added))
    only_after, pairs = table.get("contrast_only_after"), table.get("concessive_pairs")
    if not isinstance(only_after, dict):
        raise ValueError(f"{path}: contrast_only_after must map words to lists, got {only_after!r}")
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        raise ValueError(f"{path}: concessive_pairs must be a list of two-word lists, got {pairs!r}")
    return Grammar(
        **sets,
        contrast_only_after={
            word: frozenset(_word_list(only_after, word, path)) for word in only_after
        },
        concessive_pairs=frozenset(tuple(p) for p in pairs),
    )


@dataclass(frozen=True)
class Lexicons:
    """Opinion entries (lemma tuple -> valence in [-1, 1]) and the word lists the rules use."""

    entries: dict[tuple[str, ...], float]
    neutral: frozenset[tuple[str, ...]]
    intensifiers: frozenset[str]
    diminishers: frozenset[str]
    increase: frozenset[str]
    decrease: frozenset[str]
    quantities: dict[tuple[str, ...], float]  # +1: more is good (emplois), -1: more is bad (délais)
    starts: dict[str, int]  # first lemma of a multi-word key -> longest key starting with it
    grammar: Grammar


def lemma_key(phrase: str, glue: frozenset[str]) -> tuple[str, ...]:
    """The lemma sequence of a lexicon entry, the `glue` words (articles, prepositions) dropped."""
    lemmas = [normalise_word(w) for w in split_words(phrase)]
    kept = tuple(w for w in lemmas if w not in glue)
    return kept or tuple(lemmas)


def base_forms(word: str, lemma: str) -> tuple[str, ...]:
    """The lemma, then masculine-singular guesses for forms the lemmatiser leaves alone (intrusive).

    Only unambiguous feminine/plural endings: stripping a bare "e" would turn "France" into "franc";
    a participle the lemmatiser keeps as an adjective also tries its verb ("menacé" -> "menacer").
    """
    forms = [lemma]
    if lemma.endswith("é") and len(lemma) > 4:
        forms.append(lemma[:-1] + "er")  # "menacés" -> "menacé" -> the verb entry "menacer"
    for suffix, repl in (
        ("ives", "if"),
        ("ive", "if"),
        ("euses", "eux"),
        ("euse", "eux"),
        ("elles", "el"),
        ("elle", "el"),
        ("ées", "é"),
        ("ée", "é"),
        ("és", "é"),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            forms.append(word[: len(word) - len(suffix)] + repl)
            break
    return tuple(dict.fromkeys(forms))


def load_pattern_lexicon() -> dict[str, float]:
    """Adjective polarities of the Pattern French lexicon (PDDL licence) shipped with textblob-fr.

    The file is found without importing the package (which imports textblob and nltk: ~0.9 s).
    """
    spec = find_spec("textblob_fr")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("textblob-fr is not installed: run make install (pip install -e .)")
    xml = Path(spec.submodule_search_locations[0]) / "fr-sentiment.xml"
    root = ElementTree.parse(str(xml)).getroot()
    values: dict[str, list[float]] = {}
    for word in root.iter("word"):
        values.setdefault(word.get("form").lower(), []).append(float(word.get("polarity")))
    return {form: sum(v) / len(v) for form, v in values.items()}


def _word_set(table: dict, name: str) -> frozenset[str]:
    """Lemmas (and surface forms) of a list of single words in the YAML table."""
    words = [str(w) for w in table.get(name) or []]
    return frozenset(words) | frozenset(normalise_word(w) for w in words)


def _domain_entries(table: dict, path: Path, glue: frozenset[str]) -> dict[tuple[str, ...], float]:
    """Valences of the negative/positive sections, by level."""
    levels = table["levels"]
    entries = {}
    for sign, name in ((-1.0, "negative"), (1.0, "positive")):
        for level, phrases in (table.get(name) or {}).items():
            if level not in levels:
                raise ValueError(
                    f"{path}: level {level!r} under {name} is not in levels {list(levels)}"
                )
            for phrase in phrases or []:
                entries[lemma_key(str(phrase), glue)] = sign * float(levels[level])
    return entries


def load_lexicons(
    general: str = "pattern",
    path: str | Path | None = None,
    general_weight: float = 0.5,
    min_general: float = 0.2,
    grammar_path: str | Path | None = None,
) -> Lexicons:
    """The domain lexicon (YAML) over a scaled general lexicon, the domain winning on conflicts, and
    the rules' word lists (load_grammar); read from the files at each call: keep the result."""
    if general not in GENERAL_LEXICONS:
        raise ValueError(f"unknown general lexicon {general!r}; use one of {GENERAL_LEXICONS}")
    grammar = load_grammar(grammar_path)
    glue = grammar.glue
    path = Path(path) if path else LEXICONS / "sentiment_domain.yml"
    table = read_yaml(path)
    entries: dict[tuple[str, ...], float] = {}
    if general == "pattern":
        for form, value in load_pattern_lexicon().items():
            if abs(value) >= min_general:
                entries.setdefault(lemma_key(form, glue), general_weight * value)
    entries.update(_domain_entries(table, path, glue))
    neutral = frozenset(lemma_key(str(w), glue) for w in table.get("neutral") or [])
    increase, decrease = _word_set(table, "increase"), _word_set(table, "decrease")
    quantities = {
        lemma_key(str(w), glue): sign
        for sign, name in ((1.0, "more_is_better"), (-1.0, "more_is_worse"))
        for w in table.get(name) or []
    }
    closed = grammar.never_scored | increase | decrease
    for key in neutral | set(quantities) | {(w,) for w in closed}:
        entries.pop(key, None)
    return Lexicons(
        entries,
        neutral,
        _word_set(table, "intensifiers"),
        _word_set(table, "diminishers"),
        increase,
        decrease,
        quantities,
        _phrase_starts([*entries, *neutral, *quantities]),
        grammar,
    )


def _phrase_starts(keys: list[tuple[str, ...]]) -> dict[str, int]:
    """First lemma of each multi-word key -> the longest key length it starts (for fast matching)."""
    starts: dict[str, int] = {}
    for key in keys:
        if len(key) > 1:
            starts[key[0]] = max(starts.get(key[0], 0), len(key))
    return starts
