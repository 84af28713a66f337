"""A sentence as clause tokens, and the opinion words, phrases and quantities of a lexicon found in it.

The rules (cxpress.sentiment.rules) then weigh these hits by negation, direction and clause structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cxpress.sentiment.lexicon import Lexicons, base_forms
from cxpress.text.french import default_elision
from cxpress.text.tokens import normalise_word, split_words

# "24h/24", "24 heures sur 24", "7j/7": the digits are not words, so spell out the claim.
_ROUND_THE_CLOCK = re.compile(
    r"\b(?:24\s*h(?:eures)?\s*(?:/|sur)\s*24|7\s*j(?:ours)?\s*(?:/|sur)\s*7)\b", re.IGNORECASE
)
_PUNCT = re.compile(r"([,;:!?()«»\"“”…]|\s[-–—]\s|\.\.\.)")
_UNSEEN = object()


@dataclass(eq=False)
class WordCache:
    """What one Lexicons says about each word seen so far: its (word, lemma) token for the rules and its one-word
    match. Sentences repeat words, so a dict lookup replaces the lemmatiser and the base-form
    lookups (45k sentences of the 10k corpus: 7.8 -> 6.5 s of CPU). It is pickled empty, so that
    a chunk sent to a worker process stays small (the worker fills its own)."""

    lex: Lexicons
    tokens: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)  # word -> (word, lemma)
    matches: dict[tuple[str, str], tuple[float | None, bool] | None] = field(
        default_factory=dict, repr=False
    )
    # (sentence, RuleParams) -> the classifier's rule features: each fold of a refit scores its
    # training sentences again (cxpress.sentiment.features)
    sentences: dict[tuple, list[float]] = field(default_factory=dict, repr=False)

    def __reduce__(self):
        return WordCache, (self.lex,)


def word_cache(lex: Lexicons, cache: WordCache | None = None) -> WordCache:
    """`cache` when it belongs to `lex`, a new WordCache when None (an error for another lexicon's)."""
    if cache is None:
        return WordCache(lex)
    if cache.lex is not lex:
        raise ValueError("this WordCache belongs to another Lexicons: make one per lexicon")
    return cache


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


def tokenize_clauses(
    sentence: str, lex: Lexicons, cache: WordCache | None = None
) -> list[tuple[str, str]]:
    """(surface, lemma) tokens; punctuation that closes a clause is kept as its own token; the
    grammar's closed-class words keep their surface form (the lemmatiser turns "jamais" into "jamai")."""
    token_of, surface = word_cache(lex, cache).tokens, lex.grammar.surface_words
    tokens, elision = [], default_elision()
    sentence = _ROUND_THE_CLOCK.sub("jour et nuit", sentence)
    # split() on a capturing pattern alternates text, mark, text…: the odd pieces are the marks
    for k, piece in enumerate(_PUNCT.split(sentence)):
        if k % 2:
            mark = piece.strip() or ","
            tokens.append((mark, mark))
            continue
        words = split_words(piece, elision=elision) if piece else []
        known = list(map(token_of.get, words))  # looked up in C: new words are rare after a few sentences
        if None in known:
            for i, word in enumerate(words):
                if known[i] is None:
                    known[i] = token_of.setdefault(word, (word, word if word in surface else normalise_word(word)))
        tokens += known
    return tokens


def _lookup(key: tuple[str, ...], lex: Lexicons) -> tuple[float | None, bool] | None:
    """(valence, is a quantity) of a lexicon key, valence None for a neutral entry; None if absent."""
    if key in lex.neutral:
        return None, False
    if key in lex.entries:
        return lex.entries[key], False
    if key in lex.quantities:
        return lex.quantities[key], True
    return None


def _one_word(token: tuple[str, str], cache: WordCache) -> tuple[float | None, bool] | None:
    """The token's base forms looked up as one-word keys (None: no match), remembered in `cache`."""
    found = cache.matches.get(token, _UNSEEN)
    if found is _UNSEEN:
        found = None
        if not is_mark(token[1]):
            for form in base_forms(*token):
                if (found := _lookup((form,), cache.lex)) is not None:
                    break
        cache.matches[token] = found
    return found


def _match_at(content: list[int], pos: int, tokens: list[tuple[str, str]], cache: WordCache):
    """The longest entry at content position `pos` (a phrase may skip one word after its first)."""
    first, lex = tokens[content[pos]], cache.lex
    if is_mark(first[1]):
        return None
    for length in range(min(lex.starts.get(first[1], 1), len(content) - pos), 1, -1):
        for gap in (0, 1):
            picks = [pos] + [pos + gap + k for k in range(1, length)]
            if picks[-1] >= len(content):
                continue
            idx = [content[p] for p in picks]
            if not all(tokens[j][1][:1].isalpha() for j in range(idx[0], idx[-1] + 1)):  # a mark inside
                continue
            if (found := _lookup(tuple(tokens[j][1] for j in idx), lex)) is not None:
                return idx, *found
    found = _one_word(first, cache)
    return None if found is None else ([content[pos]], *found)


def find_hits(
    tokens: list[tuple[str, str]],
    lex: Lexicons,
    quantity: float = 1.0,
    cache: WordCache | None = None,
) -> list[Hit]:
    """Longest lexicon matches, left to right, without overlaps (quantities kept only with a direction)."""
    cache = word_cache(lex, cache)
    glue, starts, known = lex.grammar.glue, lex.starts, cache.matches
    content = [i for i, (_, lem) in enumerate(tokens) if lem not in glue]
    hits, used = [], set()
    for pos, i in enumerate(content):
        if i in used:
            continue
        token = tokens[i]
        if token[1] not in starts:  # most words start no phrase: only their own forms can match
            found = known.get(token, _UNSEEN)
            if found is _UNSEEN:
                found = _one_word(token, cache)
            if found is None:
                continue
            idx, (valence, is_quantity) = [i], found
        else:
            match = _match_at(content, pos, tokens, cache)
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
