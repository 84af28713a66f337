"""Tests for cxpress.text.french: apostrophes, accent folding, acronyms, elision and its lexicon."""


import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxpress.text import (
    Elision,
    fold_text,
    is_acronym,
    load_elision,
    split_elided,
    straighten_apostrophes,
)


@pytest.mark.parametrize("apostrophe", ["'", "’", "‘", "‛", "ʼ", "´"])
def test_every_apostrophe_splits_an_elision(apostrophe):
    assert straighten_apostrophes(f"l{apostrophe}IA") == "l'IA"
    assert split_elided(f"qu{apostrophe}il", load_elision()) == ["qu'", "il"]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Délocalisés", "delocalises"),
        ("ŒUVRE et cœur", "oeuvre et coeur"),
        ("Île Maurice", "ile maurice"),
        ("e\u0301te\u0301", "ete"),  # decomposed accents
        ("ﬁdélité…", "fidelite..."),  # compatibility characters
        ("l’Été\nsuivant", "l'ete\nsuivant"),  # lines kept
        ("Straße", "strasse"),
    ],
)
def test_fold_text(text, folded):
    assert fold_text(text) == folded


@given(st.text(max_size=200))
def test_folding_is_stable_and_keeps_lines(text):
    folded = fold_text(text)
    assert fold_text(folded) == folded
    assert folded.count("\n") == text.count("\n")


@pytest.mark.parametrize(
    ("term", "acronym"),
    [("IA", True), ("I.A.", True), ("GPT-4", True), ("RGPD", True), ("ChatGPT", False), ("Ia", False),
     ("ACCUEIL", False), ("IA générative", False), ("2024", False)],
)
def test_acronyms(term, acronym):
    assert is_acronym(term) is acronym


def test_elision_lexicon_gives_clitics_their_lemmas():
    elision = load_elision()
    assert {"l'", "d'", "qu'", "jusqu'", "lorsqu'", "puisqu'", "quoiqu'"} <= elision.clitics
    assert elision.lemmas["l'"] == "le" and elision.lemmas["qu'"] == "que" and "jusqu'" not in elision.lemmas
    assert split_elided("Jusqu’au bout, aujourd'hui", elision) == ["jusqu'", "au", "bout", "aujourdhui"]


def test_words_with_an_apostrophe_that_is_no_clitic_lose_it():
    rules = Elision(frozenset({"l'"}), {}, ())
    assert split_elided("L'IA d'abord", rules) == ["l'", "ia", "d", "abord"]


def test_a_clitic_without_its_apostrophe_is_refused(tmp_path):
    path = tmp_path / "elision.yml"
    path.write_text("clitics:\n  l: le\n", encoding="utf-8")
    with pytest.raises(ValueError, match="end with an apostrophe"):
        load_elision(path)


@pytest.mark.parametrize("char_class", [r"[^\W\d_]", r"\w"])
def test_a_spelled_out_class_matches_every_bmp_character_its_category_class_does(char_class):
    from cxpress.text.french import SpelledClass

    everything = "".join(map(chr, range(0x10000)))
    spelled = SpelledClass("@", char_class)
    assert spelled.bmp.findall(everything) == re.findall(char_class, everything)
    assert len(spelled.bmp.findall(everything)) > 40_000  # letters of every script, not a few ranges


# split_elided as it was before its class was spelled out: the fast path must give the same words
_REFERENCE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*'?")


def _reference_split_elided(text, elision):
    text = straighten_apostrophes(text).lower()
    if "'" in text:
        for word in elision.joined_words:
            if word in text:
                text = text.replace(word, word.replace("'", ""))
    return [w[:-1] if w[-1] == "'" and w not in elision.clitics else w for w in _REFERENCE_WORD.findall(text)]


_FRENCHISH = st.text(alphabet=st.sampled_from(list("laqudjsé’'-_ ÉœßİΣ2½\n😀")) | st.characters(), max_size=120)


@given(_FRENCHISH)
def test_split_elided_gives_the_words_of_its_reference(text):
    elision = load_elision()
    assert split_elided(text, elision) == _reference_split_elided(text, elision)


@pytest.mark.parametrize("text", ["L’IA d'aujourd'hui 😀 n'externalise pas", "Ça_va: 2e ½ peut-être l''IA"])
def test_split_elided_with_and_without_characters_beyond_the_bmp(text):
    assert split_elided(text, load_elision()) == _reference_split_elided(text, load_elision())
