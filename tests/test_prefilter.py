"""Prefilters of cxpress.text.prefilter: they may only skip texts and words where nothing can match."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cxpress.text.french import fold_text
from cxpress.text.prefilter import AnchorIndex, WordStarts, required_literals

ATOMS = ["a", "É", "E", "b", "[ÉE]", "[èe]", "(?i:ne)", "x+", "y?", "(?<!-)", "(?!z)", "\\s", ".",
         "(?-i:Ma)", "(?:bc|de)", "(?:bc|d+)", "\\b"]
TEXT = ["a", "b", "É", "E", "e", "è", "ne", "NE", "x", "y", "z", "-", " ", "Ma", "ma", "bc", "de", "d"]


@given(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=6), st.booleans(),
       st.lists(st.sampled_from(TEXT), max_size=12))
@settings(max_examples=400, deadline=None)
def test_a_text_without_the_required_literals_has_no_match(atoms, ignore, pieces):
    regex = re.compile("".join(atoms), re.IGNORECASE if ignore else 0)
    text = "".join(pieces)
    needs = required_literals(regex)
    if needs is not None and not any(lit in text for lit in needs):
        assert regex.search(text) is None


def test_required_literals_of_case_sensitive_parts_only():
    assert required_literals(re.compile(r"(?<!-)(?-i:Maurice)(?!\s+[A-Z])", re.I)) == ("Maurice",)
    assert set(required_literals(re.compile(r"(?-i:[ÉE]b[èe]ne)", re.I))) == {"Ébène", "Ébene", "Ebène", "Ebene"}
    assert required_literals(re.compile("maurice", re.I)) is None
    assert required_literals(re.compile("a+|b")) is None  # a branch without a literal requires nothing


WORDS = ["le", "Le", "LES", "à", "À", "a", "ia", "IA", "Île", "ile", "îles", "délocalisé", "DELOCALISATION",
         "offshore", "x", "œuvre", "ß", "Ā", "ſ", "µ", "æ", "²", "e\u0301", "_", "12", "l'", "’", "-", " ", ".",
         "\n", "«", "—"]


def _old_starts(index: AnchorIndex, text: str) -> list[tuple[int, int]]:
    """Every word's mask, word by word: what starts() must return."""
    return [(m.start(), index.mask(m.group())) for m in re.finditer(r"[^\W_]+", text) if index.mask(m.group())]


@given(st.lists(st.sampled_from(WORDS), max_size=30))
@settings(max_examples=400, deadline=None)
def test_anchor_index_finds_the_same_words_as_the_word_by_word_test(pieces):
    index = AnchorIndex(fold_text)
    index.add([("le", True), ("a", True), ("ile", False), ("delocalis", False)])
    index.add([("ia", True), ("offshor", False), ("12", True)])
    text = " ".join(pieces) if len(pieces) % 2 else "".join(pieces)
    assert index.starts(text) == _old_starts(index, text)


def test_word_starts_falls_back_on_characters_it_cannot_fold_in_place():
    scan = WordStarts(["delocalis"], ["a", "le"], fold_text)
    assert scan.starts("Délocalisés à Tunis, LE centre") == [0, 12, 21]
    assert scan.starts("la délocalisation") == [3]
    assert scan.starts("le cœur") is None  # œ folds to two letters
    assert not WordStarts(["ελ"], [], fold_text).usable  # a non-ASCII anchor: word by word
