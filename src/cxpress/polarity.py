"""Rule-based French polarity of one sentence: lexicons, negation scope, intensifiers and concession.

The lexicons are data (data/lexicons/sentiment_domain.yml and a general French lexicon);
the rules here are French grammar: "ne … pas" flips the opinion words in its scope, "mais"
gives the main clause the last word, "malgré …" weakens its own clause, "réduire les erreurs"
turns a negative object into a positive event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from xml.etree import ElementTree

import yaml

from cxpress.config import LEXICONS
from cxpress.tokens import normalise_word, split_words

GENERAL_LEXICONS = ("pattern", "none")
# Articles and prepositions skipped when matching multi-word entries ("suppression de postes").
_GLUE = frozenset("le un de du au aux à son ce en".split())
_PUNCT = re.compile(r"([,;:!?()«»\"“”…]|\s[-–—]\s|\.\.\.)")
_NEG_PARTICLES = frozenset("pas plus jamais rien guère aucun aucune nullement point personne".split())
_NEG_ALONE = frozenset("sans aucun aucune ni pas jamais nul nulle".split())
_NOT_NEGATION_AFTER = frozenset("seulement que aussi autant tant si moins plus".split())
_REDUCERS = frozenset("""réduire diminuer baisser limiter éviter prévenir lutter combattre éliminer résoudre
    corriger débarrasser épargner alléger supprimer réduit réduction diminution baisse recul absence""".split())
_CONTRAST = frozenset("mais cependant toutefois pourtant néanmoins revanche contre".split())
_CONCESSIVE = frozenset("malgré dépit quoique certes".split())


def is_mark(token: str) -> bool:
    """True for a punctuation token (words always start with a letter)."""
    return not token[:1].isalpha()


@dataclass(frozen=True)
class Lexicons:
    """Opinion words and phrases (lemma tuples -> valence in [-1, 1]) and modifier words."""

    entries: dict[tuple[str, ...], float]
    neutral: frozenset[tuple[str, ...]]
    intensifiers: frozenset[str]
    diminishers: frozenset[str]
    max_len: int


def lemma_key(phrase: str) -> tuple[str, ...]:
    """The lemma sequence of a lexicon entry, articles and prepositions dropped."""
    lemmas = [normalise_word(w) for w in split_words(phrase)]
    kept = tuple(w for w in lemmas if w not in _GLUE)
    return kept or tuple(lemmas)


@lru_cache(maxsize=2)
def load_pattern_lexicon() -> dict[str, float]:
    """Adjective polarities of the Pattern French lexicon (PDDL) shipped with textblob-fr."""
    root = ElementTree.parse(str(files("textblob_fr") / "fr-sentiment.xml")).getroot()
    values: dict[str, list[float]] = {}
    for word in root.iter("word"):
        values.setdefault(word.get("form").lower(), []).append(float(word.get("polarity")))
    return {form: sum(v) / len(v) for form, v in values.items()}


@lru_cache(maxsize=4)
def load_lexicons(general: str = "pattern", path: str | Path | None = None,
                  general_weight: float = 0.5, min_general: float = 0.2) -> Lexicons:
    """The domain lexicon (YAML) merged over a scaled general lexicon; the domain wins on conflicts."""
    if general not in GENERAL_LEXICONS:
        raise ValueError(f"unknown general lexicon {general!r}; use one of {GENERAL_LEXICONS}")
    path = Path(path) if path else LEXICONS / "sentiment_domain.yml"
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    levels = table["levels"]
    entries: dict[tuple[str, ...], float] = {}
    if general == "pattern":
        for form, value in load_pattern_lexicon().items():
            if abs(value) >= min_general:
                entries.setdefault(lemma_key(form), general_weight * value)
    for sign, name in ((-1.0, "negative"), (1.0, "positive")):
        for level, phrases in (table.get(name) or {}).items():
            if level not in levels:
                raise ValueError(f"{path}: level {level!r} under {name} is not in levels {list(levels)}")
            for phrase in phrases or []:
                entries[lemma_key(str(phrase))] = sign * float(levels[level])
    neutral = frozenset(lemma_key(str(w)) for w in table.get("neutral") or [])
    grammar = _NEG_PARTICLES | _NEG_ALONE | _REDUCERS | _CONTRAST | _CONCESSIVE | {"ne", "peu", "moins"}
    for key in neutral | {(w,) for w in grammar}:
        entries.pop(key, None)
    return Lexicons(entries, neutral,
                    frozenset(normalise_word(w) for w in table.get("intensifiers") or []),
                    frozenset(normalise_word(w) for w in table.get("diminishers") or []),
                    max(len(k) for k in entries))


def tokenize_clauses(sentence: str) -> list[tuple[str, str]]:
    """(surface, lemma) tokens; punctuation that closes a clause is kept as a (",", ",") token."""
    tokens = []
    for piece in _PUNCT.split(sentence):
        if not piece:
            continue
        if _PUNCT.fullmatch(piece):
            mark = piece.strip() or ","
            tokens.append((mark, mark))
            continue
        tokens.extend((w, normalise_word(w)) for w in split_words(piece))
    return tokens


@dataclass
class Hit:
    """One opinion word or phrase found in a sentence, with the factors the rules applied."""

    start: int
    end: int
    text: str
    valence: float
    factor: float = 1.0

    @property
    def value(self) -> float:
        return self.valence * self.factor


def find_hits(tokens: list[tuple[str, str]], lex: Lexicons) -> list[Hit]:
    """Longest lexicon matches (a phrase may skip one word), left to right, without overlaps."""
    lemmas = [lem for _, lem in tokens]
    content = [i for i, lem in enumerate(lemmas) if lem not in _GLUE]
    hits, used = [], set()
    for pos, i in enumerate(content):
        if i in used:
            continue
        match = _match_at(content, pos, lemmas, lex)
        if match is None:
            continue
        idx, valence = match
        used.update(idx)
        if valence is not None:
            hits.append(Hit(idx[0], idx[-1], " ".join(tokens[j][0] for j in idx), valence))
    return hits


def _match_at(content: list[int], pos: int, lemmas: list[str], lex: Lexicons):
    """The longest entry starting at content position `pos`: (token indices, valence or None)."""
    for length in range(min(lex.max_len, len(content) - pos), 0, -1):
        for gap in (0, 1) if length > 1 else (0,):
            idx = _phrase_indices(content, pos, length, gap)
            if idx is None or any(is_mark(lemmas[j]) for j in range(idx[0], idx[-1] + 1)):
                continue
            key = tuple(lemmas[j] for j in idx)
            if key in lex.neutral:
                return idx, None
            if key in lex.entries:
                return idx, lex.entries[key]
    return None


def _phrase_indices(content: list[int], pos: int, length: int, gap: int) -> list[int] | None:
    """Token indices of a `length`-word phrase at `pos`, skipping `gap` words after its first word."""
    picks = [pos] + [pos + gap + k for k in range(1, length)]
    if picks[-1] >= len(content):
        return None
    return [content[p] for p in picks]


@dataclass(frozen=True)
class RuleParams:
    """Factors of the rules (defaults tuned on half of the development set, see notebook 04)."""

    negation: float = -0.8
    intensifier: float = 1.5
    diminisher: float = 0.5
    weakener: float = -0.6      # "peu fiable", "moins cher": a weakened opposite
    contrast_before: float = 0.4  # what precedes "mais" counts less
    concessive: float = 0.3     # the "malgré …" clause counts less
    question: float = 0.5
    squash: float = 1.0         # score = raw / sqrt(raw**2 + squash)


def _clause_end(lemmas: list[str], start: int, limit: int) -> int:
    """Index of the first punctuation token after `start` (at most `limit` tokens ahead)."""
    end = min(start + 1 + limit, len(lemmas))
    for k in range(start + 1, end):
        if is_mark(lemmas[k]):
            return k
    return end


def _first_hit_after(hits: list[Hit], k: int, stop: int) -> Hit | None:
    """The first hit starting after token `k` and before `stop`."""
    return next((h for h in hits if k < h.start < stop), None)


def _negated_hits(lemmas: list[str], hits: list[Hit]) -> set[int]:
    """ids of hits in the scope of a negation (ne … pas/plus/jamais/rien, sans, aucun, ni)."""
    negated: set[int] = set()
    for i, lem in enumerate(lemmas):
        if lem == "ne":
            stop = _clause_end(lemmas, i, 6)
            j = next((k for k in range(i + 1, stop) if lemmas[k] in _NEG_PARTICLES), None)
            if j is None or (j + 1 < len(lemmas) and lemmas[j + 1] in _NOT_NEGATION_AFTER):
                continue
            negated.update(id(h) for h in hits if i < h.start < j)
            after = _first_hit_after(hits, j - 1, _clause_end(lemmas, j, 5))
        elif lem in _NEG_ALONE and "ne" not in lemmas[max(i - 6, 0):i]:
            if i + 1 < len(lemmas) and lemmas[i + 1] in _NOT_NEGATION_AFTER | {"doute", "cesse"}:
                continue
            after = _first_hit_after(hits, i, _clause_end(lemmas, i, 4))
        else:
            continue
        if after is not None:
            negated.add(id(after))
    return negated


def _modifier_factor(lemmas: list[str], start: int, lex: Lexicons, params: RuleParams) -> float:
    """Factor from the two words before an opinion word: très, un peu, peu, moins, plus."""
    factor = 1.0
    for k in range(max(start - 2, 0), start):
        lem, prev = lemmas[k], lemmas[k - 1] if k else ""
        if lem in lex.intensifiers or (lem == "plus" and prev != "ne"):
            factor *= params.intensifier
        elif lem in lex.diminishers or (lem == "peu" and prev == "un"):
            factor *= params.diminisher
        elif (lem == "peu" or lem == "moins") and prev not in {"au", "du", "à", "de"}:
            factor *= params.weakener
    return factor


def _apply_structure(lemmas: list[str], hits: list[Hit], params: RuleParams) -> None:
    """Reducers (réduire les erreurs), contrast (mais …: the main clause wins) and concession (malgré …)."""
    covered = {k for h in hits for k in range(h.start, h.end + 1)}
    for k, lem in enumerate(lemmas):
        if lem in _REDUCERS and k not in covered:
            target = _first_hit_after(hits, k, _clause_end(lemmas, k, 4))
            if target is not None:
                target.factor *= -1.0
    markers = [k for k, lem in enumerate(lemmas) if lem in _CONTRAST and (
        lem not in {"revanche", "contre"} or (k and lemmas[k - 1] in {"en", "par"}))]
    if markers:
        for h in hits:
            if h.start < markers[-1]:
                h.factor *= params.contrast_before
    for k, lem in enumerate(lemmas):
        two = (lemmas[k - 1], lem) if k else ("", lem)
        if lem in _CONCESSIVE or two in {("bien", "que"), ("même", "si")}:
            stop = _clause_end(lemmas, k, 30)
            for h in hits:
                if k < h.start < stop:
                    h.factor *= params.concessive


def score_sentence(sentence: str, lex: Lexicons, params: RuleParams = RuleParams()) -> tuple[float, list[Hit]]:
    """Polarity in (-1, 1) of one sentence and the opinion hits behind it (for error analysis)."""
    tokens = tokenize_clauses(sentence)
    lemmas = [lem for _, lem in tokens]
    hits = find_hits(tokens, lex)
    for h in hits:
        h.factor *= _modifier_factor(lemmas, h.start, lex, params)
    negated = _negated_hits(lemmas, hits)
    for h in hits:
        if id(h) in negated:
            h.factor *= params.negation
    _apply_structure(lemmas, hits, params)
    if sentence.rstrip(" \u00a0\u202f»\"”)").endswith("?"):
        for h in hits:
            h.factor *= params.question
    raw = sum(h.value for h in hits)
    return raw / (raw * raw + params.squash) ** 0.5, hits
