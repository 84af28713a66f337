"""Rule-based French polarity of one sentence: lexicon hits, negation scope, direction, concession.

The words are data (data/lexicons/*.yml, read by cxpress.sentiment.lexicon); the rules here are
French grammar: "ne … pas" flips the opinion words in its scope, "réduire les erreurs" or "un
turnover faible" turn a negative into a positive, "des emplois en hausse" is good news and "des
délais en hausse" bad news, "mais" gives the main clause the last word and "malgré …" weakens its
own clause; questions, demands ("nous demandons que …") and hypotheses ("si le bot échouait") are
not verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxpress.sentiment.hits import Hit, WordCache, find_hits, is_mark, tokenize_clauses, word_cache
from cxpress.sentiment.lexicon import Grammar, Lexicons


@dataclass(frozen=True)
class RuleParams:
    """Factors of the rules (defaults checked by 5-fold cross-validation by article, notebook 04)."""

    negate_positive: float = -0.8  # "pas efficace" is nearly as bad as "inefficace"
    negate_negative: float = -0.5  # "pas une menace" is milder praise than "une chance"
    intensifier: float = 1.5
    diminisher: float = 0.5
    weakener: float = -0.6  # "peu fiable", "moins cher": a weakened opposite
    more: float = 1.3  # "réclamations en hausse"
    quantity: float = 0.6  # valence of "emplois en hausse" / "délais en baisse"
    contrast_before: float = 0.4  # what precedes "mais" counts less
    concessive: float = 0.3  # the "malgré …" clause counts less
    question: float = 0.2  # a question is polar only with strong words ("va-t-elle menacer … ?")
    irrealis: float = 0.0  # demands, aims, conditions: "nous demandons que…", "si le bot échouait"
    distancing: float = -0.5  # "censé améliorer", "on nous vend … une chance": doubted praise
    squash: float = 1.0  # score = raw / sqrt(raw**2 + squash)


def _clause_window(
    lemmas: list[str], start: int, step: int, size: int, skipped: frozenset[str] = frozenset()
) -> list[int]:
    """Up to `size` token indices from `start` in direction `step`, stopping at punctuation; words
    in `skipped` are taken but not counted."""
    out, k, counted = [], start + step, 0
    while 0 <= k < len(lemmas) and counted < size and lemmas[k][:1].isalpha():  # is_mark, inlined
        out.append(k)
        counted += lemmas[k] not in skipped
        k += step
    return out


def _direction(lemmas: list[str], hit: Hit, lex: Lexicons, covered: set[int]) -> int:
    """+1 for a nearby increase word (hausse, doubler), -1 for a decrease (réduire, faible), else 0."""
    skipped, reducers = lex.grammar.direction_skipped, lex.grammar.reducers
    before = _clause_window(lemmas, hit.start, -1, 3, skipped)
    after = _clause_window(lemmas, hit.end, 1, 3, skipped)
    for k in before + after:
        if k in covered:
            continue
        if lemmas[k] in lex.decrease or (k < hit.start and lemmas[k] in reducers):
            return -1
        if lemmas[k] in lex.increase:
            return 1
    return 0


def _modifier_factor(lemmas: list[str], start: int, lex: Lexicons, params: RuleParams) -> float:
    """Factor from the two words before an opinion word: très, un peu, peu, moins, plus."""
    factor, grammar = 1.0, lex.grammar
    for k in _clause_window(lemmas, start, -1, 2):
        lem, prev = lemmas[k], lemmas[k - 1] if k else ""
        if lem in lex.intensifiers or (lem == "plus" and prev != "ne"):
            factor *= params.intensifier
        elif lem in lex.diminishers or (lem == "peu" and prev == "un"):
            factor *= params.diminisher
        elif lem in grammar.weakeners and prev not in grammar.not_weakener_after:
            factor *= params.weakener
    return factor


def _negated_hits(lemmas: list[str], hits: list[Hit], grammar: Grammar) -> set[int]:
    """ids of hits in the scope of a negation (ne … pas/plus/jamais/rien, sans, aucun, ni)."""
    negated: set[int] = set()
    if "ne" not in lemmas and grammar.lack.isdisjoint(lemmas) and grammar.negation_alone.isdisjoint(lemmas):
        return negated  # most sentences: no word below can open a scope
    for i, lem in enumerate(lemmas):
        if lem == "ne":
            scope = _clause_window(lemmas, i, 1, 6)
            j = next((k for k in scope if lemmas[k] in grammar.negation_particles), None)
            follower = lemmas[j + 1] if j is not None and j + 1 < len(lemmas) else ""
            if (
                j is None
                or follower in grammar.not_negation_after
                or (
                    lemmas[j] == "jamais"
                    and grammar.not_negation_after_jamais & set(lemmas[j + 1 : j + 3])
                )
            ):
                continue  # "ne … que", "jamais aussi", "pas sans": no negation
            negated.update(id(h) for h in hits if i < h.start < j)
            window = _clause_window(lemmas, j, 1, 5)
            if "sans" in lemmas[j : j + 3]:
                continue  # "pas sans heurts", "jamais sans raison": double negation
        elif lem in grammar.lack:
            window = _clause_window(lemmas, i, 1, 4)
        elif lem in grammar.negation_alone and "ne" not in lemmas[max(i - 6, 0) : i]:
            if i + 1 < len(lemmas) and lemmas[i + 1] in grammar.not_negation_after_alone:
                continue
            window = _clause_window(lemmas, i, 1, 4)
        else:
            continue
        after = next((h for h in hits if h.start in window), None)
        if after is not None:
            negated.add(id(after))
    return negated


def _distanced_from(lemmas: list[str], grammar: Grammar) -> int | None:
    """Index of the first distancing marker (censé, soi-disant, on nous promet/vend…), if any."""
    if grammar.distancing.isdisjoint(lemmas) and "nous" not in lemmas:
        return None
    for k, lem in enumerate(lemmas):
        if lem in grammar.distancing:
            return k
        if lem == "nous" and k and lemmas[k - 1] == "on":
            if any(w in grammar.distancing_after_on_nous for w in lemmas[k + 1 : k + 3]):
                return k
    return None


def _apply_structure(
    lemmas: list[str], hits: list[Hit], grammar: Grammar, params: RuleParams
) -> None:
    """Contrast (mais …: the main clause wins) and concession (malgré …, bien que …: weakened)."""
    only_after = grammar.contrast_only_after
    markers = [] if grammar.contrast.isdisjoint(lemmas) else [
        k
        for k, lem in enumerate(lemmas)
        if lem in grammar.contrast
        and (lem not in only_after or (k and lemmas[k - 1] in only_after[lem]))
    ]
    if markers and any(h.start > markers[-1] for h in hits):  # only a main clause with a say
        for h in hits:
            if h.start < markers[-1]:
                h.factor *= params.contrast_before
    if grammar.concessive.isdisjoint(lemmas) and not any(b in lemmas for _, b in grammar.concessive_pairs):
        return
    for k, lem in enumerate(lemmas):
        pair = (lemmas[k - 1], lem) if k else ("", lem)
        if lem in grammar.concessive or pair in grammar.concessive_pairs:
            scope = set(_clause_window(lemmas, k, 1, 30))
            for h in hits:
                if h.start in scope:
                    h.factor *= params.concessive


def _opens_condition(tokens: list[tuple[str, str]], k: int, grammar: Grammar) -> bool:
    """True for a clause-initial "si"/"s'il" (a hypothesis), not "même si" or "si efficace"."""
    word, prev = tokens[k][0], tokens[k - 1][1] if k else ","
    if word == "s'":
        return k + 1 < len(tokens) and tokens[k + 1][0] in grammar.condition_elided_before
    return word in grammar.condition_words and (is_mark(prev) or prev in grammar.condition_after)


def _irrealis_scope(tokens: list[tuple[str, str]], grammar: Grammar) -> set[int]:
    """Token indices inside a demand, goal or hypothesis: plans and conditions, not evaluations."""
    lemmas = [lem for _, lem in tokens]
    scope: set[int] = set()
    openers = grammar.condition_words | {"s'"}
    words = [word for word, _ in tokens]
    if grammar.irrealis.isdisjoint(lemmas) and grammar.irrealis_surface.isdisjoint(words) and openers.isdisjoint(words):
        return scope
    for k, (word, lem) in enumerate(tokens):
        if (
            lem in grammar.irrealis
            or word in grammar.irrealis_surface
            or (word in openers and _opens_condition(tokens, k, grammar))
        ):
            scope.update(_clause_window(lemmas, k, 1, 30))
    return scope


def score_sentence(
    sentence: str, lex: Lexicons, params: RuleParams = RuleParams(), cache: WordCache | None = None
) -> tuple[float, list[Hit]]:
    """Polarity in (-1, 1) of one sentence and the hits behind it (for error analysis); pass one
    WordCache(lex) for a batch of sentences: it remembers what the lexicons say of each word."""
    cache = word_cache(lex, cache)
    tokens = tokenize_clauses(sentence, lex, cache)
    lemmas = [lem for _, lem in tokens]
    found = find_hits(tokens, lex, params.quantity, cache)
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
    if not hits:  # nearly half the sentences: the steps below only reweigh hits
        return _squashed(0, params), hits
    negated = _negated_hits(lemmas, hits, lex.grammar)
    for h in hits:
        if id(h) in negated:
            h.factor *= params.negate_positive if h.value > 0 else params.negate_negative
    _apply_structure(lemmas, hits, lex.grammar, params)
    distanced = _distanced_from(lemmas, lex.grammar)
    if distanced is not None:
        for h in hits:
            if h.start > distanced and h.value > 0:
                h.factor *= params.distancing
    irrealis = _irrealis_scope(tokens, lex.grammar)
    for h in hits:
        if h.start in irrealis:
            h.factor *= params.irrealis
    if sentence.rstrip(' \u00a0\u202f»"”)').endswith("?"):
        for h in hits:
            h.factor *= params.question
    return _squashed(sum(h.value for h in hits), params), hits


def _squashed(raw: float, params: RuleParams) -> float:
    """The hits' summed value squashed into (-1, 1)."""
    return raw / (raw * raw + params.squash) ** 0.5
