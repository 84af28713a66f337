import re
from functools import lru_cache

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpress.text import (
    TermMatcher,
    compile_groups,
    default_matcher,
    is_case_sensitive,
    load_group_labels,
    load_term_groups,
    terms,
)


def count(text: str, group: str) -> int:
    return default_matcher().count(text)[group]


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        # "IA" inside words
        ("Le passage via le serveur vocal", "ai", 0),
        ("La gestion des identités (IAM) et la SIAE locale", "ai", 0),
        ("Les MEDIAS et l'ASIA Pacific", "ai", 0),
        # "ai" as a verb, in any case
        ("J'ai testé le nouvel outil, j'ai vu, ai-je dit.", "ai", 0),
        ("J’AI TESTÉ LE SERVICE CLIENT", "ai", 0),
        ("Mais je l'ai dit : il n'y a rien.", "ai", 0),
        ("Le règlement européen sur l'AI Act et l'IA", "ai", 2),
        # "bot" inside words
        ("Le robot et la robotique industrielle", "chatbots", 0),
        ("Un bot répond, puis des bots, puis un Chatbot", "chatbots", 3),
        ("La robotique progresse", "ai", 1),
        # Maurice: the country, not the first name
        ("Maurice Dupont dirige le site de Lyon.", "offshoring", 0),
        ("Saint-Maurice accueille un plateau.", "offshoring", 0),
        ("Un plateau ouvert à l'île Maurice.", "offshoring", 1),
        ("Un plateau ouvert à Maurice, puis à Madagascar.", "offshoring", 2),
        ("Pourquoi choisir Maurice ?", "offshoring", 1),
        # elision and apostrophes
        ("l'IA, d'IA, L’IA, qu'IA", "ai", 4),
        ("l'offshore et d'offshoring", "offshoring", 2),
        # accents and case
        ("DÉLOCALISATION, delocalisation, Délocalisés, délocaliser", "offshoring", 4),
        ("Les automatismes du métier", "ai", 0),
        ("L'AUTOMATISATION et les processus automatisés", "ai", 2),
        ("la CNIL et la Cnil", "gdpr", 2),
        # multi-word terms across line breaks and hyphens
        ("intelligence\nartificielle", "ai", 1),
        ("externaliser vers\nl'étranger", "offshoring", 1),
        ("Covid-19, Covid 19, covid", "remote_work", 3),
        # longer term wins, counted once per group
        ("L'IA générative arrive", "ai", 1),
        ("L'IA générative arrive", "generative_ai", 1),
        ("ChatGPT et GPT-4", "ai", 2),
        ("l'île Maurice", "offshoring", 1),
    ],
)
def test_lexicon_traps(text, group, expected):
    assert count(text, group) == expected


@pytest.mark.parametrize(("term", "expected"), [("IA", True), ("I.A.", True), ("GPT-4", True),
                                                ("Cnil", False), ("chatbot*", False), ("BANQUE", False)])
def test_short_all_capitals_terms_are_case_sensitive(term, expected):
    assert is_case_sensitive(term) is expected


def test_every_lexicon_term_matches_itself():
    groups = load_term_groups()
    matcher = compile_groups(groups)
    for group, group_terms in groups.items():
        for term in group_terms:
            if term.startswith("re:"):
                continue
            text = f"« {term.rstrip('*')} » en tête."
            assert matcher.count(text)[group] == 1, (group, term)


def test_find_reports_term_offsets_and_surface():
    text = "Selon lui, l'intelligence artificielle et les chatbots ne remplaceront pas l'offshore."
    mentions = default_matcher().find(text, ["ai", "offshoring"])
    assert [(m.group, m.term, m.surface) for m in mentions] == [
        ("ai", "intelligence artificielle", "intelligence artificielle"),
        ("ai", "chatbot*", "chatbots"),
        ("offshoring", "offshor*", "offshore"),
    ]
    assert all(text[m.start:m.end] == m.surface for m in mentions)


def test_count_agrees_with_find_for_every_group():
    text = "IA, chatbot, Maroc, relocalisation, télétravail, omnicanal, RGPD, j'ai, robotique, île Maurice."
    matcher = default_matcher()
    found = matcher.find(text)
    assert matcher.count(text) == {g: sum(m.group == g for m in found) for g in matcher.groups}


def test_user_regex_terms_ignore_case_and_keep_word_boundaries():
    matcher = compile_groups({"centres": ["re:centres? d'appels?"]})
    assert matcher.count("Un Centre d'appel, deux centres d'appels, des décentres d'appel")["centres"] == 2


def test_load_term_groups_reads_terms_and_patterns(tmp_path):
    path = tmp_path / "groups.yml"
    path.write_text(yaml.safe_dump({"a": {"terms": ["chat"], "patterns": ["chiens?"]}, "b": ["souris"]}),
                    encoding="utf-8")
    assert load_term_groups(path) == {"a": ["chat", "re:chiens?"], "b": ["souris"]}


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ({"a": ["re:(unclosed"]}, "not a valid regular expression"),
        ({"a": ["re:x*"]}, "matches the empty string"),
        ({"a": []}, "has no terms"),
        ({"a": "IA"}, "list of terms"),
        ({"a": ["  "]}, "empty or non-text term"),
        ({}, "no term groups"),
    ],
)
def test_bad_groups_raise_a_clear_error(groups, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        TermMatcher(groups)


def test_group_labels_fall_back_to_the_group_name(tmp_path):
    path = tmp_path / "groups.yml"
    path.write_text(yaml.safe_dump({"a": {"label": "Les A", "terms": ["x"]}, "b": ["y"]}), encoding="utf-8")
    assert load_group_labels(path) == {"a": "Les A", "b": "b"}
    assert set(load_group_labels()) == set(load_term_groups())


def test_bad_group_files_raise_a_clear_error(tmp_path):
    path = tmp_path / "groups.yml"
    path.write_text("a:\n  label: nothing\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no terms"):
        load_term_groups(path)
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping of group name"):
        load_term_groups(path)


def test_find_rejects_unknown_groups():
    with pytest.raises(KeyError, match="unknown term groups"):
        default_matcher().find("IA", ["nope"])


PIECES = ["IA", "ia", "AI", "l'", "L’", "J'", "j’", "Délocalisation", "DÉLOCALISÉS", "delocalis",
          "robot", "bot", "Chatbots", "île", "Maurice", "Dupont", "Saint-", "intelligence", "artificielle",
          "Covid", "-", "19", "ſ", "K", "ß", "œ", "Œuvre", "İA", "_", ".", ",", " ", "\n", "é", "É", "automatisme",
          "automatisée", "GPT", "-4", "Cnil", "à", "l'étranger", "e\u0301", "Le", "Caire", "I.A.", "Ébène", "a",
          "µ", "æ", "Ā", "²"]


@given(st.lists(st.sampled_from(PIECES), max_size=25))
@settings(max_examples=300, deadline=None)
def test_word_start_prefilter_never_changes_the_counts(pieces):
    text = "".join(pieces)
    assert default_matcher().count(text) == full_scan_matcher().count(text)


@lru_cache(maxsize=1)
def full_scan_matcher() -> TermMatcher:
    """The lexicon's matcher with every regex scanning the whole text (no word-start anchors, no
    required-literal test)."""
    original, literals = terms._anchor, terms.required_literals
    terms._anchor, terms.required_literals = (lambda term: None), (lambda regex: None)
    try:
        return compile_groups()
    finally:
        terms._anchor, terms.required_literals = original, literals


# Recall: each offshoring destination found mid-sentence (followed by a lower-case word, where a
# case-blind guard against first names once rejected "à Maurice a recruté") and before punctuation.
DESTINATIONS = [
    "Maroc", "Tunisie", "Madagascar", "île Maurice", "Maurice", "Sénégal", "Côte d'Ivoire", "Cameroun",
    "Égypte", "Portugal", "Roumanie", "Bulgarie", "Inde", "Philippines", "Maghreb", "Afrique du Nord",
    "Afrique francophone", "Rabat", "Casablanca", "Tunis", "Antananarivo", "Dakar", "Abidjan",
    "Port-Louis", "Lisbonne", "Bucarest", "Le Caire", "Ebène",
]


@pytest.mark.parametrize("place", DESTINATIONS)
def test_offshoring_destination_recall(place):
    mid = f"Le centre installé à {place} a recruté deux cents conseillers cette année."
    end = f"Les appels partent désormais vers {place}."
    assert [m.surface for m in default_matcher().find(mid, ["offshoring"])] == [place]
    assert [m.surface for m in default_matcher().find(end, ["offshoring"])] == [place]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le plateau de Maurice emploie trois cents personnes.", ["Maurice"]),
        ("Maurice attire les centres de contact francophones.", ["Maurice"]),
        ("Selon Maurice Lefèvre, le site tourne bien.", []),
        ("À Maurice, Port-Louis et Ebène concentrent les plateaux.", ["Maurice", "Port-Louis", "Ebène"]),
        ("Le bois d'ébène n'a rien à voir.", []),
    ],
)
def test_maurice_country_not_first_name(text, expected):
    assert [m.surface for m in default_matcher().find(text, ["offshoring"])] == expected
