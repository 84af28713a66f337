"""Rule-based French polarity of one sentence: lexicon hits, negation scope, direction, concession.

The words are data (cxpress.lexicon); the rules here are French grammar: "ne … pas" flips the
opinion words in its scope, "réduire les erreurs" or "un turnover faible" turn a negative
into a positive, "des emplois en hausse" is good news and "des délais en hausse" bad news,
"mais" gives the main clause the last word and "malgré …" weakens its own clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cxpress.lexicon import (
    CONCESSIVE,
    CONTRAST,
    DISTANCING,
    DISTANCING_AFTER_ON_NOUS,
    GLUE,
    LACK,
    NEG_ALONE,
    NEG_PARTICLES,
    REDUCERS,
    Lexicons,
    base_forms,
)
from cxpress.tokens import normalise_word, split_words

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
_NOT_NEGATION_AFTER = frozenset("seulement que moins plus sans".split())
# "n'a jamais été aussi apprécié" praises; "n'est pas aussi concluant" does not.
_NOT_NEGATION_AFTER_JAMAIS = frozenset("aussi autant tant si".split())


@dataclass(frozen=True)
class RuleParams:
    """Factors of the rules (defaults tuned on half of the development set, see notebook 04)."""

    negate_positive: float = -0.8  # "pas efficace" is nearly as bad as "inefficace"
    negate_negative: float = -0.5  # "pas une menace" is milder praise than "une chance"
    intensifier: float = 1.5
    diminisher: float = 0.5
    weakener: float = -0.6  # "peu fiable", "moins cher": a weakened opposite
    more: float = 1.3  # "réclamations en hausse"
    quantity: float = 0.6  # valence of "emplois en hausse" / "délais en baisse"
    contrast_before: float = 0.4  # what precedes "mais" counts less
    concessive: float = 0.3  # the "malgré …" clause counts less
    question: float = 0.5
    distancing: float = -0.5  # "censé améliorer", "on nous vend … une chance": doubted praise
    squash: float = 1.0  # score = raw / sqrt(raw**2 + squash)


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
    for piece in _PUNCT.split(sentence):
        if not piece:
            continue
        if _PUNCT.fullmatch(piece):
            mark = piece.strip() or ","
            tokens.append((mark, mark))
        else:
            tokens.extend(
                (w, w if w in _FUNCTION_WORDS else normalise_word(w)) for w in split_words(piece)
            )
    return tokens


def _match_at(content: list[int], pos: int, tokens: list[tuple[str, str]], lex: Lexicons):
    """The longest entry at content position `pos` (a phrase may skip one word after its first)."""
    first = tokens[content[pos]]
    if is_mark(first[1]):
        return None
    longest = lex.starts.get(first[1], 1)
    for length in range(min(longest, len(content) - pos), 0, -1):
        for gap in (0, 1) if length > 1 else (0,):
            picks = [pos] + [pos + gap + k for k in range(1, length)]
            if picks[-1] >= len(content):
                continue
            idx = [content[p] for p in picks]
            if any(is_mark(tokens[j][1]) for j in range(idx[0], idx[-1] + 1)):
                continue
            keys = (
                [tuple(tokens[j][1] for j in idx)]
                if length > 1
                else [(form,) for form in base_forms(*tokens[idx[0]])]
            )
            for key in keys:
                if key in lex.neutral:
                    return idx, None, False
                if key in lex.entries:
                    return idx, lex.entries[key], False
                if key in lex.quantities:
                    return idx, lex.quantities[key], True
    return None


def find_hits(tokens: list[tuple[str, str]], lex: Lexicons, params: RuleParams) -> list[Hit]:
    """Longest lexicon matches, left to right, without overlaps (quantities kept only with a direction)."""
    content = [i for i, (_, lem) in enumerate(tokens) if lem not in GLUE]
    hits, used = [], set()
    for pos, i in enumerate(content):
        if i in used:
            continue
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
                    valence * (params.quantity if is_quantity else 1.0),
                    quantity=is_quantity,
                )
            )
    return hits


def _clause_window(
    lemmas: list[str], start: int, step: int, size: int, *, skip_glue: bool = False
) -> list[int]:
    """Up to `size` token indices from `start` in direction `step`, stopping at punctuation."""
    out, k, counted = [], start + step, 0
    while 0 <= k < len(lemmas) and counted < size and not is_mark(lemmas[k]):
        out.append(k)
        counted += not (skip_glue and lemmas[k] in GLUE)
        k += step
    return out


def _direction(lemmas: list[str], hit: Hit, lex: Lexicons, covered: set[int]) -> int:
    """+1 for a nearby increase word (hausse, doubler), -1 for a decrease (réduire, faible), else 0."""
    before = _clause_window(lemmas, hit.start, -1, 3, skip_glue=True)
    after = _clause_window(lemmas, hit.end, 1, 3, skip_glue=True)
    for k in before + after:
        if k in covered:
            continue
        if lemmas[k] in lex.decrease or (k < hit.start and lemmas[k] in REDUCERS):
            return -1
        if lemmas[k] in lex.increase:
            return 1
    return 0


def _modifier_factor(lemmas: list[str], start: int, lex: Lexicons, params: RuleParams) -> float:
    """Factor from the two words before an opinion word: très, un peu, peu, moins, plus."""
    factor = 1.0
    for k in _clause_window(lemmas, start, -1, 2):
        lem, prev = lemmas[k], lemmas[k - 1] if k else ""
        if lem in lex.intensifiers or (lem == "plus" and prev != "ne"):
            factor *= params.intensifier
        elif lem in lex.diminishers or (lem == "peu" and prev == "un"):
            factor *= params.diminisher
        elif lem in {"peu", "moins"} and prev not in {"au", "du", "à", "de"}:
            factor *= params.weakener
    return factor


def _negated_hits(lemmas: list[str], hits: list[Hit]) -> set[int]:
    """ids of hits in the scope of a negation (ne … pas/plus/jamais/rien, sans, aucun, ni)."""
    negated: set[int] = set()
    for i, lem in enumerate(lemmas):
        if lem == "ne":
            scope = _clause_window(lemmas, i, 1, 6)
            j = next((k for k in scope if lemmas[k] in NEG_PARTICLES), None)
            follower = lemmas[j + 1] if j is not None and j + 1 < len(lemmas) else ""
            if (
                j is None
                or follower in _NOT_NEGATION_AFTER
                or (
                    lemmas[j] == "jamais"
                    and _NOT_NEGATION_AFTER_JAMAIS & set(lemmas[j + 1 : j + 3])
                )
            ):
                continue  # "ne … que", "jamais aussi", "pas sans": no negation
            negated.update(id(h) for h in hits if i < h.start < j)
            window = _clause_window(lemmas, j, 1, 5)
            if "sans" in lemmas[j : j + 3]:
                continue  # "pas sans heurts", "jamais sans raison": double negation
        elif lem in LACK:
            window = _clause_window(lemmas, i, 1, 4)
        elif lem in NEG_ALONE and "ne" not in lemmas[max(i - 6, 0) : i]:
            if i + 1 < len(lemmas) and lemmas[i + 1] in _NOT_NEGATION_AFTER | {"doute", "cesse"}:
                continue
            window = _clause_window(lemmas, i, 1, 4)
        else:
            continue
        after = next((h for h in hits if h.start in window), None)
        if after is not None:
            negated.add(id(after))
    return negated


def _distanced_from(lemmas: list[str]) -> int | None:
    """Index of the first distancing marker (censé, soi-disant, on nous promet/vend…), if any."""
    for k, lem in enumerate(lemmas):
        if lem in DISTANCING:
            return k
        if lem == "nous" and k and lemmas[k - 1] == "on":
            if any(w in DISTANCING_AFTER_ON_NOUS for w in lemmas[k + 1 : k + 3]):
                return k
    return None


def _apply_structure(lemmas: list[str], hits: list[Hit], params: RuleParams) -> None:
    """Contrast (mais …: the main clause wins) and concession (malgré …, bien que …: weakened)."""
    markers = [
        k
        for k, lem in enumerate(lemmas)
        if lem in CONTRAST
        and (lem not in {"revanche", "contre"} or (k and lemmas[k - 1] in {"en", "par"}))
    ]
    if markers:
        for h in hits:
            if h.start < markers[-1]:
                h.factor *= params.contrast_before
    for k, lem in enumerate(lemmas):
        pair = (lemmas[k - 1], lem) if k else ("", lem)
        if lem in CONCESSIVE or pair in {("bien", "que"), ("même", "si")}:
            scope = set(_clause_window(lemmas, k, 1, 30))
            for h in hits:
                if h.start in scope:
                    h.factor *= params.concessive


def score_sentence(
    sentence: str, lex: Lexicons, params: RuleParams = RuleParams()
) -> tuple[float, list[Hit]]:
    """Polarity in (-1, 1) of one sentence and the hits behind it (for error analysis)."""
    tokens = tokenize_clauses(sentence)
    lemmas = [lem for _, lem in tokens]
    found = find_hits(tokens, lex, params)
    covered = {k for h in found for k in range(h.start, h.end + 1)}
    hits = []
    for h in found:
        direction = _direction(lemmas, h, lex, covered)
        if h.quantity:
            if not direction:
                continue  # "les emplois" alone says nothing; "les emplois doublent" does
            h.factor *= direction
        else:
            h.factor *= {-1: -1.0, 1: params.more, 0: 1.0}[direction]
            h.factor *= _modifier_factor(lemmas, h.start, lex, params)
        hits.append(h)
    negated = _negated_hits(lemmas, hits)
    for h in hits:
        if id(h) in negated:
            h.factor *= params.negate_positive if h.value > 0 else params.negate_negative
    _apply_structure(lemmas, hits, params)
    distanced = _distanced_from(lemmas)
    if distanced is not None:
        for h in hits:
            if h.start > distanced and h.value > 0:
                h.factor *= params.distancing
    if sentence.rstrip(' \u00a0\u202f»"”)').endswith("?"):
        for h in hits:
            h.factor *= params.question
    raw = sum(h.value for h in hits)
    return raw / (raw * raw + params.squash) ** 0.5, hits
