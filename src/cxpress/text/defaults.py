"""The default rules and helper objects of the text functions: the one place they come from.

Each text function takes its compiled rules or helper object as an optional keyword (`rules=`,
`classifier=`, `tokenizer=`...); without one it uses the object built here from data/lexicons/,
on first use in each process. Compiled rules are frozen. Three helpers own caches that make
repeated lines and words cheap: the BoilerplateClassifier (lines seen), each Tokenizer (the form of
each word type) and the TermMatcher (anchors per word). Batch code may build its own and pass them
in; reset() forgets every default, e.g. after a lexicon was edited in a running session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from cxpress.text.boilerplate import Boilerplate, BoilerplateClassifier
    from cxpress.text.dates import DateRules
    from cxpress.text.french import Elision
    from cxpress.text.language import FunctionWords
    from cxpress.text.terms import TermMatcher
    from cxpress.text.tokens import Tokenizer
    from cxpress.text.years import YearRules

T = TypeVar("T")
_built: dict[tuple[str, ...], object] = {}


def _default(key: tuple[str, ...], build: Callable[[], T]) -> T:
    found = _built.get(key)
    if found is None:
        found = _built[key] = build()
    return found  # type: ignore[return-value]


def reset() -> None:
    """Forget every default object and its cache: the next call rebuilds it from the lexicon files."""
    _built.clear()


def boilerplate() -> Boilerplate:
    """The compiled data/lexicons/boilerplate.yml."""
    from cxpress.text.boilerplate import load_boilerplate

    return _default(("boilerplate",), load_boilerplate)


def boilerplate_classifier() -> BoilerplateClassifier:
    """The classifier of boilerplate() lines, with its memo of lines seen."""
    from cxpress.text.boilerplate import BoilerplateClassifier

    return _default(("boilerplate classifier",), lambda: BoilerplateClassifier(boilerplate()))


def date_rules() -> DateRules:
    """The date-line patterns compiled from data/lexicons/dates.yml."""
    from cxpress.text.dates import load_date_rules

    return _default(("date rules",), load_date_rules)


def year_rules() -> YearRules:
    """The year-inference evidence compiled from data/lexicons/dates.yml."""
    from cxpress.text.years import load_year_rules

    return _default(("year rules",), load_year_rules)


def elision() -> Elision:
    """The elision rules of data/lexicons/elision_fr.yml."""
    from cxpress.text.french import load_elision

    return _default(("elision",), load_elision)


def function_words() -> FunctionWords:
    """The function words of data/lexicons/function_words.yml (the language check's shortcut)."""
    from cxpress.text.language import load_function_words

    return _default(("function words",), load_function_words)


def language_identifier():
    """py3langid's identifier restricted to the candidate languages (its model loads once)."""
    from cxpress.text.language import load_language_identifier

    return _default(("language identifier",), load_language_identifier)


def tokenizer(method: str = "lemma") -> Tokenizer:
    """The tokeniser for `method` ("lemma", "stem" or "lower"), with its per-word cache."""
    from cxpress.text.tokens import Tokenizer, load_token_rules

    return _default(("tokenizer", method), lambda: Tokenizer(method, rules=load_token_rules()))


def term_matcher() -> TermMatcher:
    """The matcher of data/lexicons/terms.yml's term groups."""
    from cxpress.text.terms import TermMatcher, load_term_groups

    return _default(("term matcher",), lambda: TermMatcher(load_term_groups()))
