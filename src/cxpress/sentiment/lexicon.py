"""Sentiment lexicons for cxpress.polarity (the domain YAML over a general French lexicon) and their matching.

Entries are keyed by lemma sequences with articles and prepositions dropped, so one line
("suppression de postes") covers its inflections ("suppressions des postes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from xml.etree import ElementTree

import yaml

from cxpress.config import LEXICONS
from cxpress.text.tokens import normalise_word, split_words

GENERAL_LEXICONS = ("pattern", "none")
# Articles and prepositions skipped when matching multi-word entries.
GLUE = frozenset("le un de du au aux à son ce en".split())
# Closed-class words the rules interpret (cxpress.polarity); never scored as opinion words.
NEG_PARTICLES = frozenset(
    "pas plus jamais rien guère aucun aucune nullement point personne".split()
)
NEG_ALONE = frozenset("sans aucun aucune ni pas jamais nul nulle".split())
# "réduire les erreurs", "détecter les clients mécontents": the problem is what the tool removes or spots.
REDUCERS = frozenset(
    """réduire diminuer baisser limiter éviter prévenir lutter combattre éliminer
    résoudre débarrasser épargner alléger supprimer réduit réduction diminution baisse recul
    douter repérer détecter identifier anticiper""".split()
)
# "manque de fiabilité", "pénurie de conseillers qualifiés": what is lacking is negated.
LACK = frozenset("manque manquer absence pénurie carence déficit".split())
# "censé améliorer", "on nous promet une IA qui…": a claim the writer keeps at a distance.
DISTANCING = frozenset("censé soi-disant prétendument prétendu prétendre".split())
DISTANCING_AFTER_ON_NOUS = frozenset(
    "promettre vendre expliquer répéter dire présenter assurer annoncer jurer".split()
)
# Demands, aims and conditional modals: what follows is a plan or a hypothesis, not a verdict.
# ("objectif" is left out: in contact centres it mostly means an agent's quota.)
IRREALIS = frozenset(
    "demander réclamer exiger revendiquer souhaiter viser envisager encourager inciter".split()
)
IRREALIS_SURFACE = frozenset("pourrait pourraient devrait devraient".split())
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


# "24h/24", "24 heures sur 24", "7j/7": the digits are not words, so spell out the claim.
_ROUND_THE_CLOCK = re.compile(
    r"\b(?:24\s*h(?:eures)?\s*(?:/|sur)\s*24|7\s*j(?:ours)?\s*(?:/|sur)\s*7)\b", re.IGNORECASE
)
_PUNCT = re.compile(r"([,;:!?()«»\"“”…]|\s[-–—]\s|\.\.\.)")
# Closed-class words keep their surface form (the lemmatiser turns "jamais" into "jamai").
_FUNCTION_WORDS = (
    NEG_PARTICLES
    | NEG_ALONE
    | CONTRAST
    | CONCESSIVE
    | DISTANCING
    | frozenset(
        "ne peu moins plus nous on que si même bien aussi autant tant seulement doute cesse".split()
    )
)


@dataclass
class Hit:
    """One opinion word, phrase or quantity found in a sentence, with the factor the rules applied."""

    start: int
    end: int
    text: str
    valence: float
    factor: float = 1.0
    quantity: bool = False

    @property
    def value(self) -> float:
        return self.valence * self.factor


def is_mark(token: str) -> bool:
    """True for a punctuation token (words always start with a letter)."""
    return not token[:1].isalpha()


def tokenize_clauses(sentence: str) -> list[tuple[str, str]]:
    """(surface, lemma) tokens; punctuation that closes a clause is kept as its own token."""
    tokens = []
    sentence = _ROUND_THE_CLOCK.sub("jour et nuit", sentence)
    for piece in _PUNCT.split(sentence):
        if not piece:
            continue
        if _PUNCT.fullmatch(piece):
            mark = piece.strip() or ","
            tokens.append((mark, mark))
        else:
            lemma_of = _CLAUSE_LEMMAS  # a dict lookup per word beats lru_cache's call overhead
            tokens.extend((w, lemma_of.get(w) or _clause_lemma(w)) for w in split_words(piece))
    return tokens


_CLAUSE_LEMMAS: dict[str, str] = {}


def _clause_lemma(word: str) -> str:
    """A word's lemma for the rules (closed-class words keep their surface form), remembered."""
    lemma = word if word in _FUNCTION_WORDS else normalise_word(word)
    _CLAUSE_LEMMAS[word] = lemma
    return lemma


def _lookup(key: tuple[str, ...], lex: Lexicons) -> tuple[float | None, bool] | None:
    """(valence, is a quantity) of a lexicon key, valence None for a neutral entry; None if absent."""
    if key in lex.neutral:
        return None, False
    if key in lex.entries:
        return lex.entries[key], False
    if key in lex.quantities:
        return lex.quantities[key], True
    return None


def _match_word(i: int, token: tuple[str, str], lex: Lexicons):
    """The one-word match at token i: its base forms looked up as one-word keys."""
    for form in base_forms(*token):
        if (found := _lookup((form,), lex)) is not None:
            return [i], *found
    return None


def _match_at(content: list[int], pos: int, tokens: list[tuple[str, str]], lex: Lexicons):
    """The longest entry at content position `pos` (a phrase may skip one word after its first)."""
    first = tokens[content[pos]]
    if is_mark(first[1]):
        return None
    longest = lex.starts.get(first[1], 1)
    if longest == 1:  # most words start no phrase: only their own forms can match (fast path)
        return _match_word(content[pos], first, lex)
    for length in range(min(longest, len(content) - pos), 0, -1):
        for gap in (0, 1) if length > 1 else (0,):
            picks = [pos] + [pos + gap + k for k in range(1, length)]
            if picks[-1] >= len(content):
                continue
            idx = [content[p] for p in picks]
            if length == 1:
                return _match_word(idx[0], first, lex)
            if any(is_mark(tokens[j][1]) for j in range(idx[0], idx[-1] + 1)):
                continue
            if (found := _lookup(tuple(tokens[j][1] for j in idx), lex)) is not None:
                return idx, *found
    return None


# Per lexicon (by identity): token -> its one-word match (valence, is a quantity), or None. Most
# tokens start no phrase, and sentences repeat words: one dict lookup instead of base forms and
# three key lookups (scores identical; 45k sentences of the 10k corpus: 7.8 -> 6.5 s of CPU).
_WORD_MATCHES: dict[int, tuple[Lexicons, dict]] = {}
_UNSEEN = object()


def _word_matches(lex: Lexicons) -> dict:
    entry = _WORD_MATCHES.get(id(lex))
    if entry is None or entry[0] is not lex:  # another lexicon may reuse a freed one's id
        entry = _WORD_MATCHES[id(lex)] = (lex, {})
    return entry[1]


def _one_word(token: tuple[str, str], lex: Lexicons) -> tuple[float | None, bool] | None:
    """_match_word's (valence, is a quantity) for a token that starts no phrase (None: no match)."""
    if is_mark(token[1]):
        return None
    found = _match_word(0, token, lex)
    return None if found is None else found[1:]


def find_hits(tokens: list[tuple[str, str]], lex: Lexicons, quantity: float = 1.0) -> list[Hit]:
    """Longest lexicon matches, left to right, without overlaps (quantities kept only with a direction)."""
    content = [i for i, (_, lem) in enumerate(tokens) if lem not in GLUE]
    hits, used = [], set()
    known, starts = _word_matches(lex), lex.starts
    for pos, i in enumerate(content):
        if i in used:
            continue
        token = tokens[i]
        if token[1] not in starts:  # the fast path of _match_at, remembered per token
            found = known.get(token, _UNSEEN)
            if found is _UNSEEN:
                found = known[token] = _one_word(token, lex)
            if found is None:
                continue
            idx, (valence, is_quantity) = [i], found
        else:
            match = _match_at(content, pos, tokens, lex)
            if match is None:
                continue
            idx, valence, is_quantity = match
        used.update(idx)
        if valence is not None:
            text = " ".join(tokens[j][0] for j in idx)
            hits.append(
                Hit(
                    idx[0],
                    idx[-1],
                    text,
                    valence * (quantity if is_quantity else 1.0),
                    quantity=is_quantity,
                )
            )
    return hits
