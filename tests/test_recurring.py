"""Chrome learned from recurrence across a corpus (text/recurring.py, corpus/chrome.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpress.corpus import load_corpus
from cxpress.text import recurring
from cxpress.text.boilerplate import (
    BoilerplateClassifier,
    boilerplate_removal,
    default_boilerplate,
    remove_boilerplate,
)
from cxpress.text.clean import guess_title
from cxpress.text.recurring import learn_recurring_lines, line_signature

PARAGRAPHS = [
    "À {city}, le prestataire ouvre un plateau de quatre-vingts positions pour traiter les appels "
    "des clients d'un fournisseur d'énergie, avec des recrutements prévus jusqu'à l'automne.",
    "Les conseillers de {city} suivront trois semaines de formation avant de prendre leurs premiers "
    "appels, encadrés par des superviseurs venus des autres sites du groupe depuis le printemps.",
]
CITIES = ["Lille", "Rabat", "Tunis", "Dakar", "Nantes"]


def capture(city: str, *, masthead="La Lettre des Plateaux", footer="Recevez notre lettre chaque lundi",
            title=None, teaser=None) -> str:
    lines = [masthead, "Se connecter", title or f"Un nouveau plateau à {city}", f"Publié le 3 mars 2015 à {city}"]
    lines += [p.format(city=city) for p in PARAGRAPHS]
    lines += [footer] + ([teaser] if teaser else [])
    return "\n".join(lines)


def test_learns_header_and_footer_lines_of_an_unknown_outlet():
    found = learn_recurring_lines([capture(c) for c in CITIES[:3]], min_articles=2)
    assert line_signature("La Lettre des Plateaux") in found.head
    assert line_signature("Recevez notre lettre chaque lundi") in found.tail
    assert not any("plateau à" in s for s in found.head)  # each title is its own


def test_copies_of_one_article_count_once():
    same = capture("Lille")
    found = learn_recurring_lines([same, same.replace("Se connecter", "Menu")], min_articles=2)
    assert len(found) == 0


def test_a_title_teased_in_other_footers_stays_a_title():
    teased = "Dakar : le prestataire recrute"
    texts = [capture("Dakar", title=teased)] + [capture(c, teaser=teased) for c in CITIES[:3]]
    found = learn_recurring_lines(texts, min_articles=2)
    assert line_signature(teased) not in found.head
    classifier = BoilerplateClassifier(default_boilerplate(), found)
    assert guess_title(texts[0], classifier=classifier) == teased


def test_masthead_is_never_the_title_and_leaves_the_text():
    texts = [capture(c, masthead="Le Courrier Des Centres D'Appels") for c in CITIES]
    found = learn_recurring_lines(texts, min_articles=2)
    classifier = BoilerplateClassifier(default_boilerplate(), found)
    assert guess_title(texts[1], classifier=classifier) == "Un nouveau plateau à Rabat"
    text = remove_boilerplate(texts[1], title="Un nouveau plateau à Rabat", classifier=classifier)
    assert "Courrier" not in text and "lundi" not in text
    assert text.split("\n")[0].startswith("À Rabat, le prestataire")


def test_a_line_inside_the_body_is_never_header_chrome():
    # the same sentence opens the body of one article and sits in the header of others: no fixed place
    shared = "Le marché reste tendu cette année."
    texts = [capture(c).replace("Se connecter", shared) for c in CITIES[:2]]
    texts += [capture(c).replace(PARAGRAPHS[0].format(city=c), PARAGRAPHS[0].format(city=c) + "\n" + shared)
              for c in CITIES[2:5]]
    assert line_signature(shared) not in learn_recurring_lines(texts, min_articles=2).head


@pytest.mark.parametrize("bad", [0, 1, True, 2.5, "2"])
def test_min_articles_below_two_is_refused(bad):
    with pytest.raises(ValueError, match="min_articles"):
        learn_recurring_lines(["a"], min_articles=bad)


LINE = st.text(alphabet=st.sampled_from("abcdéè çà'-:?0123456789ABC"), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(LINE, min_size=1, max_size=8), min_size=1, max_size=6), st.integers(2, 4))
def test_a_line_met_in_one_article_only_is_never_chrome(articles, min_articles):
    texts = ["\n".join(lines + [" ".join(["mot"] * 25) + f" {i}"] + lines) for i, lines in enumerate(articles)]
    found = learn_recurring_lines(texts, min_articles=min_articles)
    in_articles = {}
    for i, text in enumerate(texts):
        for line in text.split("\n"):
            in_articles.setdefault(line_signature(line), set()).add(i)
    for text in texts:
        lines = [x.strip() for x in text.split("\n") if x.strip()]
        for line, chrome in zip(lines, found.chrome_mask(lines), strict=True):
            if len(in_articles[line_signature(line)]) < 2:
                assert not chrome, line


def test_load_corpus_removes_recurring_chrome_and_reports_it(tmp_path):
    for city in CITIES[:3]:
        # sentences longer than the positional rule's fragments: only recurrence tells they are chrome
        body = capture(city, masthead="La Gazette Inconnue, le journal des centres de contact et du conseil client.",
                       footer="Recevez chaque lundi la Gazette Inconnue dans votre boîte aux lettres électronique.")
        (tmp_path / f"{city}.txt").write_text(body, encoding="utf-8")
    loaded = load_corpus(tmp_path, cache=False, progress=False)
    arts = loaded.articles
    assert not arts["text"].str.contains("Gazette Inconnue").any()
    assert set(arts["title"]) == {f"Un nouveau plateau à {c}" for c in CITIES[:3]}
    cleaned = loaded.report[loaded.report["status"] == "cleaned"]
    assert len(cleaned) == 3 and cleaned["reason"].str.startswith("recurring chrome:").all()
    off = load_corpus(tmp_path, cache=False, progress=False, chrome_min_articles=0).articles
    assert off["text"].str.contains("Gazette Inconnue").all()  # the lexicon alone does not know it


@pytest.mark.parametrize("bad", [1, -1, True, 2.0])
def test_chrome_min_articles_is_validated(tmp_path, bad):
    with pytest.raises(ValueError, match="chrome_min_articles"):
        load_corpus(tmp_path, cache=False, chrome_min_articles=bad)


def test_recleaning_on_two_cores_gives_the_same_corpus(tmp_path):
    for city in CITIES:
        (tmp_path / f"{city}.txt").write_text(capture(
            city, masthead="La Gazette Inconnue, le journal des centres de contact et du conseil client.",
            footer="Recevez chaque lundi la Gazette Inconnue dans votre boîte aux lettres électronique."), encoding="utf-8")
    serial = load_corpus(tmp_path, cache=False, progress=False, n_jobs=1)
    parallel = load_corpus(tmp_path, cache=False, progress=False, n_jobs=2)
    assert (serial.report["status"] == "cleaned").sum() == len(CITIES)
    pd.testing.assert_frame_equal(serial.articles, parallel.articles)
    pd.testing.assert_frame_equal(serial.report, parallel.report)


def test_a_recurring_related_articles_header_still_removes_the_teasers_after_it(tmp_path):
    # "À lire aussi" recurs in every footer: recurrence alone would call it chrome and keep the teaser
    # title under it as text; the lexicon's class (a teaser block) must come first.
    # teaser titles longer than the positional rule's fragments (60 characters)
    for city, teased in zip(CITIES[:3], ["Les plateaux de Porto recrutent encore des conseillers bilingues cette année",
                                         "Le télétravail gagne Nantes : les superviseurs changent de méthode de travail",
                                         "Un callbot pour les sinistres habitation chez un assureur mutualiste du Sud"],
                            strict=True):
        (tmp_path / f"{city}.txt").write_text(capture(city, teaser=f"À lire aussi\n{teased}"), encoding="utf-8")
    texts = load_corpus(tmp_path, cache=False, progress=False).articles["text"]
    assert not texts.str.contains("À lire aussi|Porto recrutent|télétravail gagne|Un callbot").any()
    assert texts.str.contains("quatre-vingts positions").all()


def _only_recurrence_reference(text: str, title: str | None, classifier: BoilerplateClassifier) -> list[str]:
    """The lines only recurrence removed, computed the long way (as the ingest did before issue 22):
    the recurring lines the lexicon does not know, kept by a second cleaning with the lexicon alone."""
    lexicon = BoilerplateClassifier(classifier.lexicon)
    found = [line for line in classifier.recurring.chrome_lines(text) if not lexicon.classify(line)]
    kept = {line_signature(line) for line in remove_boilerplate(text, title=title, classifier=lexicon).split("\n")}
    return [line for line in found if line_signature(line) in kept]


CHROME_LINE = st.sampled_from(["La Lettre des Plateaux", "Se connecter", "Recevez notre lettre chaque lundi",
                               "À lire aussi", "Partager", "Le marché reste tendu cette année, dit-on, à Lille.",
                               "Un nouveau plateau à Rabat", "Publié le 3 mars 2015"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(CHROME_LINE, max_size=5), min_size=3, max_size=6), st.lists(CHROME_LINE, max_size=3),
       st.sampled_from([None, "Un nouveau plateau à Rabat"]))
def test_lines_only_recurrence_removed_match_the_two_cleanings(heads, tail, title):
    texts = [capture(CITIES[i % 5]).replace("Se connecter", "\n".join(head)) + "\n" + "\n".join(tail)
             for i, head in enumerate(heads)]
    classifier = BoilerplateClassifier(default_boilerplate(), learn_recurring_lines(texts, min_articles=2))
    for text in texts:
        cleaned, only = boilerplate_removal(text, title=title, classifier=classifier)
        assert cleaned == remove_boilerplate(text, title=title, classifier=classifier)
        assert only == _only_recurrence_reference(text, title, classifier)


def _signature_uncached(line):
    import unicodedata

    folded = unicodedata.normalize("NFKC", line).casefold().replace("’", "'")
    return " ".join(recurring._DIGITS.sub("0", folded).strip(recurring._EDGE).split())


def test_remembered_signatures_are_the_computed_ones_and_bounded(monkeypatch):
    import random

    from cxpress.text import defaults

    rng = random.Random(0)
    alphabet = "aéß İﬁ•-|:\t\u00a0\u3000¨0123’'ÉCOUTEZ"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(400)]
    monkeypatch.setattr(recurring, "SIGNATURES_MAX", 50)
    defaults.reset()
    for line in lines + lines[::-1]:  # second pass: some remembered, some forgotten by the bound
        assert recurring.line_signature(line) == _signature_uncached(line)
    memo = defaults.shared("line signatures", dict)
    assert 0 < len(memo) <= 50
    defaults.reset()
    assert defaults.shared("line signatures", dict) == {}
