"""The fast paths of issue 22 (sentiment scoring) against the code they replaced, kept here as the
reference: rule scores and hits on generated sentences, the n-gram block and the stacked features."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import normalize

from cxpress.sentiment import features, rules
from cxpress.sentiment.classifier import training_sentences
from cxpress.sentiment.features import CharNgrams, _char_ngrams, normalise_sentence
from cxpress.sentiment.hits import (
    _PUNCT,
    _ROUND_THE_CLOCK,
    find_hits,
    is_mark,
    tokenize_clauses,
    word_cache,
)
from cxpress.sentiment.lexicon import load_lexicons
from cxpress.sentiment.scorers import LABELS
from cxpress.text.tokens import normalise_word, split_words

LEX = load_lexicons()


# --- the former code (before the fast paths), verbatim but for names ---------------------------
def old_tokenize(sentence, lex, lemma_of):
    surface, tokens = lex.grammar.surface_words, []
    for piece in _PUNCT.split(_ROUND_THE_CLOCK.sub("jour et nuit", sentence)):
        if not piece:
            continue
        if _PUNCT.fullmatch(piece):
            mark = piece.strip() or ","
            tokens.append((mark, mark))
            continue
        for word in split_words(piece):
            lemma = lemma_of.get(word)
            if lemma is None:
                lemma = lemma_of[word] = word if word in surface else normalise_word(word)
            tokens.append((word, lemma))
    return tokens


def old_window(lemmas, start, step, size, skipped=frozenset()):
    out, k, counted = [], start + step, 0
    while 0 <= k < len(lemmas) and counted < size and not is_mark(lemmas[k]):
        out.append(k)
        counted += lemmas[k] not in skipped
        k += step
    return out


def old_negated(lemmas, hits, g):
    negated = set()
    for i, lem in enumerate(lemmas):
        if lem == "ne":
            scope = old_window(lemmas, i, 1, 6)
            j = next((k for k in scope if lemmas[k] in g.negation_particles), None)
            follower = lemmas[j + 1] if j is not None and j + 1 < len(lemmas) else ""
            if j is None or follower in g.not_negation_after or (
                    lemmas[j] == "jamais" and g.not_negation_after_jamais & set(lemmas[j + 1 : j + 3])):
                continue
            negated.update(id(h) for h in hits if i < h.start < j)
            window = old_window(lemmas, j, 1, 5)
            if "sans" in lemmas[j : j + 3]:
                continue
        elif lem in g.lack:
            window = old_window(lemmas, i, 1, 4)
        elif lem in g.negation_alone and "ne" not in lemmas[max(i - 6, 0) : i]:
            if i + 1 < len(lemmas) and lemmas[i + 1] in g.not_negation_after_alone:
                continue
            window = old_window(lemmas, i, 1, 4)
        else:
            continue
        after = next((h for h in hits if h.start in window), None)
        if after is not None:
            negated.add(id(after))
    return negated


def old_distanced(lemmas, g):
    for k, lem in enumerate(lemmas):
        if lem in g.distancing:
            return k
        if lem == "nous" and k and lemmas[k - 1] == "on":
            if any(w in g.distancing_after_on_nous for w in lemmas[k + 1 : k + 3]):
                return k
    return None


def old_structure(lemmas, hits, g, params):
    only_after = g.contrast_only_after
    markers = [k for k, lem in enumerate(lemmas) if lem in g.contrast
               and (lem not in only_after or (k and lemmas[k - 1] in only_after[lem]))]
    if markers and any(h.start > markers[-1] for h in hits):
        for h in hits:
            if h.start < markers[-1]:
                h.factor *= params.contrast_before
    for k, lem in enumerate(lemmas):
        pair = (lemmas[k - 1], lem) if k else ("", lem)
        if lem in g.concessive or pair in g.concessive_pairs:
            scope = set(old_window(lemmas, k, 1, 30))
            for h in hits:
                if h.start in scope:
                    h.factor *= params.concessive


def old_irrealis(tokens, g):
    lemmas, scope = [lem for _, lem in tokens], set()
    openers = g.condition_words | {"s'"}
    for k, (word, lem) in enumerate(tokens):
        if lem in g.irrealis or word in g.irrealis_surface or (
                word in openers and rules._opens_condition(tokens, k, g)):
            scope.update(old_window(lemmas, k, 1, 30))
    return scope


def old_score(sentence, lex, params, cache, lemma_of):
    tokens = old_tokenize(sentence, lex, lemma_of)
    lemmas = [lem for _, lem in tokens]
    found = find_hits(tokens, lex, params.quantity, cache)
    covered = {k for h in found for k in range(h.start, h.end + 1)}
    hits = []
    for h in found:
        direction = rules._direction(lemmas, h, lex, covered)
        if h.quantity:
            if not direction:
                continue
            h.factor *= direction
        else:
            h.factor *= {-1: -1.0, 1: params.more, 0: 1.0}[direction]
            h.factor *= rules._modifier_factor(lemmas, h.start, lex, params)
        hits.append(h)
    negated = old_negated(lemmas, hits, lex.grammar)
    for h in hits:
        if id(h) in negated:
            h.factor *= params.negate_positive if h.value > 0 else params.negate_negative
    old_structure(lemmas, hits, lex.grammar, params)
    distanced = old_distanced(lemmas, lex.grammar)
    if distanced is not None:
        for h in hits:
            if h.start > distanced and h.value > 0:
                h.factor *= params.distancing
    irrealis = old_irrealis(tokens, lex.grammar)
    for h in hits:
        if h.start in irrealis:
            h.factor *= params.irrealis
    if sentence.rstrip(' \u00a0\u202f»"”)').endswith("?"):
        for h in hits:
            h.factor *= params.question
    raw = sum(h.value for h in hits)
    return raw / (raw * raw + params.squash) ** 0.5, hits, tokens


# --- generated sentences: the grammar's words, opinion words, plain words and marks -------------
g = LEX.grammar
_GRAMMAR = sorted(set().union(g.negation_particles, g.negation_alone, g.lack, g.reducers, g.weakeners,
                              g.distancing, g.distancing_after_on_nous, g.irrealis, g.irrealis_surface,
                              g.condition_words, g.contrast, g.concessive, *g.concessive_pairs))
_OPINION = sorted({w for key in list(LEX.entries)[:400] + list(LEX.quantities)[:50] for w in key})
_WORDS = _GRAMMAR + _OPINION + sorted(LEX.increase)[:20] + sorted(LEX.decrease)[:20] + [
    "ne", "on", "nous", "s'il", "le", "service", "client", "l'ia", "24h/24", "très", "peu", "un", "plus"]
_MARKS = [",", ";", "?", "...", " - ", "«", "»", "(", ")", ".", ":"]
sentences = st.lists(st.sampled_from(_WORDS + _MARKS), min_size=1, max_size=30).map(" ".join)


# one per guarded rule: what the fast paths skip must still be found when it is there
CASES = ["On nous promet un service efficace et rapide.",
         "Le bot est censé améliorer la qualité, il est lent.",
         "Le chatbot n'est pas efficace, mais les conseillers sont satisfaits.",
         "Bien que le service soit excellent, les délais restent mauvais.",
         "Même si l'IA est performante, les clients sont mécontents.",
         "Le manque de formation nuit à la qualité ; aucun progrès réel.",
         "Nous demandons un service efficace ; si le bot échouait, ce serait grave.",
         "Le service pourrait être excellent (en revanche, il est lent) ?",
         "Une solution efficace 24h/24, sans erreurs ni retards !",
         "Rien à signaler ... le - service - fonctionne."]


@pytest.mark.parametrize("sentence", CASES)
def test_score_sentence_matches_the_former_rules_on_each_rule(sentence):
    check_batch([sentence])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sentences, min_size=1, max_size=4))
def test_score_sentence_matches_the_former_rules(batch):
    check_batch(batch)


def check_batch(batch):
    params, cache, lemma_of = rules.RuleParams(), word_cache(LEX), {}
    for sentence in batch:
        score, hits = rules.score_sentence(sentence, LEX, params, cache)
        old, old_hits, old_tokens = old_score(sentence, LEX, params, word_cache(LEX), lemma_of)
        assert score == old and type(score) is type(old)
        assert [(h.start, h.end, h.text, h.valence, h.factor) for h in hits] == [
            (h.start, h.end, h.text, h.valence, h.factor) for h in old_hits]
        assert tokenize_clauses(sentence, LEX, cache) == old_tokens


def test_the_cases_reach_the_guarded_rules():
    """Each hand-written case changes its score when its rule is turned off (else it proves little)."""
    plain = rules.RuleParams(negate_positive=1, negate_negative=1, contrast_before=1, concessive=1,
                             irrealis=1, distancing=1, question=1)
    changed = [rules.score_sentence(s, LEX)[0] != rules.score_sentence(s, LEX, plain)[0] for s in CASES]
    assert sum(changed) >= 7, changed


# --- the n-gram block and the stacked features --------------------------------------------------
TEXTS = ["Le chatbot n'a pas tenu ses promesses, mais le service s'améliore.",
         "L'externalisation des centres d'appels inquiète les salariés ?",
         "« Une vraie chance » pour les conseillers, selon la direction : 30 % de gain.",
         "Les délais de réponse baissent nettement depuis l'arrivée de l'IA.",
         "Malgré les craintes, les emplois en hausse rassurent les équipes."] * 3


def test_char_ngrams_transform_matches_the_former_arithmetic():
    model = CharNgrams((2, 5), 2).fit(TEXTS[:8])
    counts = model._counts(TEXTS, model.vocabulary_)
    counts.data = 1 + np.log(counts.data)
    old = normalize(counts @ sp.diags(model.idf_), norm="l2").tocsr()
    new = model.transform(TEXTS)
    assert np.array_equal(new.indptr, old.indptr) and np.array_equal(new.indices, old.indices)
    assert np.array_equal(new.data, old.data)


# --- the n-gram block's per-process index of words (n-grams cut once, shared by every fit) -------
def old_counts(sentences, vocabulary, ngram_range=(2, 5)):
    """CharNgrams._counts before the shared index: every word's n-grams cut again at each call."""
    types, rows, cols = {}, [], []
    for i, sentence in enumerate(sentences):
        for word in normalise_sentence(sentence).split():
            rows.append(i)
            cols.append(types.setdefault(word, len(types)))
    grow, g_rows, g_cols = not vocabulary, [], []
    for k, word in enumerate(types):
        for gram in _char_ngrams(word, *ngram_range):
            j = vocabulary.setdefault(gram, len(vocabulary)) if grow else vocabulary.get(gram)
            if j is not None:
                g_rows.append(k)
                g_cols.append(j)
    words = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sentences), len(types)))
    grams = sp.csr_matrix((np.ones(len(g_rows)), (g_rows, g_cols)), shape=(len(types), len(vocabulary)))
    return (words @ grams).tocsr()


def old_fit_transform(train, test, min_df=2, ngram_range=(2, 5)):
    vocabulary = {}
    counts = old_counts(train, vocabulary, ngram_range)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    kept = sorted(gram for gram, j in vocabulary.items() if df[j] >= min_df)
    kept_vocabulary = {gram: k for k, gram in enumerate(kept)}
    idf = np.log((1 + counts.shape[0]) / (1 + df[[vocabulary[gram] for gram in kept]])) + 1
    out = []
    for batch in (train, test):
        counts = old_counts(batch, kept_vocabulary, ngram_range)
        np.log(counts.data, out=counts.data)
        counts.data += 1
        out.append(normalize(counts @ sp.diags(idf), norm="l2", copy=False))
    return kept_vocabulary, idf, out


def assert_same_csr(new, old):
    assert new.shape == old.shape
    assert np.array_equal(new.indptr, old.indptr) and np.array_equal(new.indices, old.indices)
    assert np.array_equal(new.data, old.data)  # bit for bit: the logistic regression reads these sums


@pytest.mark.parametrize("words_max", [features.WORDS_MAX, 700])
def test_char_ngram_folds_equal_the_former_per_call_counts(monkeypatch, words_max):
    """The leave-one-group-out folds on the shipped labels, then unseen text, as one process runs them
    (index shared, and with words_max=700 cleared between and within folds): vocabulary, idf and
    TF-IDF rows equal the former code's bit for bit."""
    monkeypatch.setattr(features, "WORDS_MAX", words_max)
    monkeypatch.setattr(features, "_GRAMS", features._GramIndex())
    labelled = training_sentences()
    groups = labelled["group"].to_numpy()
    unseen = TEXTS + ["Un mot\u00a0inédit : zyxw, « l'IA » et 2 cas."]
    for group in [*np.unique(groups), None]:
        train = list(labelled.loc[groups != group, "sentence"])
        test = list(labelled.loc[groups == group, "sentence"]) + unseen
        for ngram_range in [(2, 5), (1, 3)]:
            model = CharNgrams(ngram_range, 2).fit(train)
            vocabulary, idf, (old_train, old_test) = old_fit_transform(train, test, 2, ngram_range)
            assert model.vocabulary_ == vocabulary and np.array_equal(model.idf_, idf)
            assert_same_csr(model.transform(train), old_train)
            assert_same_csr(model.transform(test), old_test)
    if words_max < 1000:
        assert len(features._GRAMS.grams) < 20_000  # it was cleared, not left to grow


# --- the confusion draws of the corrected shares -------------------------------------------------
def old_confusion_draws(confusion, n_boot, seed):
    """_confusion_draws before it inverted the arrays directly: one labelled frame per draw."""
    from cxpress.sentiment.correction import correction_matrix

    counts = confusion.reindex(index=list(LABELS), columns=list(LABELS), fill_value=0).to_numpy(int)
    rng = np.random.default_rng([seed, 17])
    draws = []
    for _ in range(n_boot):
        sample = np.vstack([rng.multinomial(row.sum(), row / row.sum()) for row in counts])
        try:
            draws.append(correction_matrix(pd.DataFrame(sample, index=list(LABELS), columns=list(LABELS))))
        except ValueError:
            continue
    return np.asarray(draws).reshape(-1, len(LABELS), len(LABELS))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=9, max_size=9), st.integers(0, 2**16))
def test_confusion_draws_equal_the_former_frame_per_draw(cells, seed):
    from cxpress.sentiment.correction import _confusion_draws

    counts = np.asarray(cells).reshape(3, 3) + np.eye(3, dtype=int)  # every hand label present
    confusion = pd.DataFrame(counts, index=list(LABELS), columns=list(LABELS))
    assert np.array_equal(_confusion_draws(confusion, 60, seed), old_confusion_draws(confusion, 60, seed))


def test_confusion_draws_skip_the_same_uninvertible_draws():
    from cxpress.sentiment.correction import _confusion_draws

    # "positive" is hardly ever predicted: many draws cannot be inverted and are left out
    confusion = pd.DataFrame([[40, 2, 0], [3, 50, 0], [1, 9, 1]], index=list(LABELS), columns=list(LABELS))
    new, old = _confusion_draws(confusion, 300, 3), old_confusion_draws(confusion, 300, 3)
    assert 0 < len(old) < 300 and np.array_equal(new, old)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABELS), st.sampled_from(LABELS)), min_size=1, max_size=60))
def test_macro_f1_equals_scikit_learns_f1_score(pairs):
    """Bit for bit, absent labels (counted as 0) included."""
    from sklearn.metrics import f1_score

    from cxpress.sentiment.estimates import macro_f1

    gold, predicted = [g for g, _ in pairs], [p for _, p in pairs]
    expected = f1_score(gold, predicted, labels=list(LABELS), average="macro", zero_division=0)
    assert macro_f1(gold, predicted) == expected
    assert macro_f1(pd.Series(gold), np.asarray(predicted, dtype=object)) == expected
