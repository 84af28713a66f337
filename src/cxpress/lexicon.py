"""Sentiment lexicons for cxpress.polarity: the domain YAML merged over a general French lexicon.

Entries are keyed by lemma sequences with articles and prepositions dropped, so one line
("suppression de postes") covers its inflections ("suppressions des postes").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from xml.etree import ElementTree

import yaml

from cxpress.config import LEXICONS
from cxpress.tokens import normalise_word, split_words

GENERAL_LEXICONS = ("pattern", "none")
# Articles and prepositions skipped when matching multi-word entries.
GLUE = frozenset("le un de du au aux à son ce en".split())
# Closed-class words the rules interpret (cxpress.polarity); never scored as opinion words.
NEG_PARTICLES = frozenset(
    "pas plus jamais rien guère aucun aucune nullement point personne".split()
)
NEG_ALONE = frozenset("sans aucun aucune ni pas jamais nul nulle".split())
REDUCERS = frozenset(
    """réduire diminuer baisser limiter éviter prévenir lutter combattre éliminer
    résoudre débarrasser épargner alléger supprimer réduit réduction diminution baisse recul
    douter""".split()
)
# "manque de fiabilité", "pénurie de conseillers qualifiés": what is lacking is negated.
LACK = frozenset("manque manquer absence pénurie carence déficit".split())
# "censé améliorer", "on nous promet une IA qui…": a claim the writer keeps at a distance.
DISTANCING = frozenset("censé soi-disant prétendument prétendu prétendre".split())
DISTANCING_AFTER_ON_NOUS = frozenset(
    "promettre vendre expliquer répéter dire présenter assurer annoncer jurer".split()
)
CONTRAST = frozenset("mais cependant toutefois pourtant néanmoins revanche contre".split())
CONCESSIVE = frozenset("malgré dépit quoique certes".split())
GRAMMAR = (
    NEG_PARTICLES
    | NEG_ALONE
    | REDUCERS
    | CONTRAST
    | CONCESSIVE
    | DISTANCING
    | {"ne", "peu", "moins"}
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


def lemma_key(phrase: str) -> tuple[str, ...]:
    """The lemma sequence of a lexicon entry, articles and prepositions dropped."""
    lemmas = [normalise_word(w) for w in split_words(phrase)]
    kept = tuple(w for w in lemmas if w not in GLUE)
    return kept or tuple(lemmas)


@lru_cache(maxsize=200_000)
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


@lru_cache(maxsize=1)
def load_pattern_lexicon() -> dict[str, float]:
    """Adjective polarities of the Pattern French lexicon (PDDL licence) shipped with textblob-fr."""
    root = ElementTree.parse(str(files("textblob_fr") / "fr-sentiment.xml")).getroot()
    values: dict[str, list[float]] = {}
    for word in root.iter("word"):
        values.setdefault(word.get("form").lower(), []).append(float(word.get("polarity")))
    return {form: sum(v) / len(v) for form, v in values.items()}


def _word_set(table: dict, name: str) -> frozenset[str]:
    """Lemmas (and surface forms) of a list of single words in the YAML table."""
    words = [str(w) for w in table.get(name) or []]
    return frozenset(words) | frozenset(normalise_word(w) for w in words)


def _domain_entries(table: dict, path: Path) -> dict[tuple[str, ...], float]:
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
                entries[lemma_key(str(phrase))] = sign * float(levels[level])
    return entries


@lru_cache(maxsize=8)
def load_lexicons(
    general: str = "pattern",
    path: str | Path | None = None,
    general_weight: float = 0.5,
    min_general: float = 0.2,
) -> Lexicons:
    """The domain lexicon (YAML) over a scaled general lexicon; the domain wins on conflicts."""
    if general not in GENERAL_LEXICONS:
        raise ValueError(f"unknown general lexicon {general!r}; use one of {GENERAL_LEXICONS}")
    path = Path(path) if path else LEXICONS / "sentiment_domain.yml"
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries: dict[tuple[str, ...], float] = {}
    if general == "pattern":
        for form, value in load_pattern_lexicon().items():
            if abs(value) >= min_general:
                entries.setdefault(lemma_key(form), general_weight * value)
    entries.update(_domain_entries(table, path))
    neutral = frozenset(lemma_key(str(w)) for w in table.get("neutral") or [])
    increase, decrease = _word_set(table, "increase"), _word_set(table, "decrease")
    quantities = {
        lemma_key(str(w)): sign
        for sign, name in ((1.0, "more_is_better"), (-1.0, "more_is_worse"))
        for w in table.get(name) or []
    }
    for key in neutral | set(quantities) | {(w,) for w in GRAMMAR | increase | decrease}:
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
    )


def _phrase_starts(keys: list[tuple[str, ...]]) -> dict[str, int]:
    """First lemma of each multi-word key -> the longest key length it starts (for fast matching)."""
    starts: dict[str, int] = {}
    for key in keys:
        if len(key) > 1:
            starts[key[0]] = max(starts.get(key[0], 0), len(key))
    return starts
