
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxpress.text import (
    Tokenizer,
    default_tokenizer,
    defaults,
    load_stopwords,
    load_token_rules,
    normalise_word,
    split_words,
    tokenize,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'IA", ["l'", "ia"]),
        ("L’IA", ["l'", "ia"]),
        ("d'externaliser", ["d'", "externaliser"]),
        ("qu'il", ["qu'", "il"]),
        ("jusqu'au", ["jusqu'", "au"]),
        ("aujourd'hui", ["aujourdhui"]),
        ("peut-être", ["peut-être"]),
        ("les 3 000 salariés", ["les", "salariés"]),
    ],
)
def test_split_words_handles_elision_and_numbers(text, expected):
    assert split_words(text) == expected


def test_tokenize_joins_multiword_terms_through_inflection():
    tokens = tokenize("Les centres d'appels et l'intelligence artificielle générative transforment la relation client.")
    assert "centre_appels" in tokens
    assert "intelligence_artificielle" not in tokens  # the longer term wins
    assert "ia_générative" in tokens
    assert "relation_client" in tokens


def test_tokenize_drops_stopwords_and_elided_clitics():
    tokens = tokenize("L'IA n'est pas une menace pour les conseillers.")
    assert tokens == ["ia", "menace", "conseiller"]
    assert not set(tokens) & load_stopwords()


def test_tokenize_keeps_everything_when_asked():
    assert tokenize("L'IA est là", drop_stopwords=False) == ["le", "ia", "être", "là"]


def test_unknown_plurals_fall_back_to_singular():
    assert normalise_word("chatbots") == "chatbot"
    assert normalise_word("callbots") == "callbot"
    assert normalise_word("bus") == "bus"  # a known word is left to the lemmatiser


def test_stem_method_and_bad_method():
    assert tokenize("délocalisations délocaliser", method="stem") == ["délocalis", "délocalis"]
    with pytest.raises(ValueError, match="unknown token method"):
        normalise_word("mot", "nope")
    with pytest.raises(ValueError, match="unknown token method"):
        Tokenizer("nope", rules=load_token_rules())


def test_split_words_counts_every_word_clitics_included():
    assert len(split_words("L'IA, c'est 2 mots ? Non : cinq.")) == 7


def test_a_tokenizer_applies_its_own_word_lists(tmp_path):
    (tmp_path / "elision.yml").write_text("clitics:\n  l': le\n  lorsqu':\njoined_words: []\n", encoding="utf-8")
    (tmp_path / "stop.txt").write_text("# mots vides\nle\nmenace\n", encoding="utf-8")
    (tmp_path / "mwe.yml").write_text("plateau_offshore: [plateau offshore]\n", encoding="utf-8")
    rules = load_token_rules(elision_path=tmp_path / "elision.yml", stopwords_path=tmp_path / "stop.txt",
                             mwe_path=tmp_path / "mwe.yml")
    own = Tokenizer("lemma", rules=rules)
    text = "L’IA, une menace ? Lorsqu'un plateau offshore ferme aujourd'hui."
    # "lorsqu'" is its own word, lemmatised; "aujourd'hui" is not joined; "menace" is a stop word here
    assert own.tokenize(text) == ["ia", "un", "lorsque", "un", "plateau_offshore", "ferme", "aujourd", "hui"]
    assert tokenize(text, tokenizer=own) == own.tokenize(text)
    assert tokenize(text) == ["ia", "menace", "plateau", "offshore", "ferme", "aujourdhui"]


def test_a_tokenizer_remembers_forms_without_changing_them():
    own = Tokenizer("lemma", rules=load_token_rules())
    words = split_words("Les téléconseillers des centres d'appels répondent aux clients.")
    first = own.tokens_of_words(words)
    assert own.tokens_of_words(words) == first == tokenize(" ".join(words))
    assert [own.normalise(w) for w in ("téléconseillers", "clients")] == ["téléconseiller", "client"]


@given(st.text())
def test_tokenize_never_raises_and_returns_clean_tokens(text):
    for token in tokenize(text):
        assert token and " " not in token and token == token.lower()


def test_lemmas_conflate_word_forms_better_than_stems():
    """The measured reason `lemma` is the default: word pairs that should (not) share a form."""
    import csv

    from cxpress.config import ROOT

    pairs = list(csv.DictReader((ROOT / "tests" / "data" / "token_pairs.csv").open(encoding="utf-8")))

    def accuracy(method):
        hits = [(normalise_word(p["a"], method) == normalise_word(p["b"], method)) == (p["same"] == "1")
                for p in pairs]
        return sum(hits) / len(hits)

    assert accuracy("lemma") >= 0.85
    assert accuracy("lemma") > accuracy("stem") + 0.1


def test_invariable_words_are_not_taken_for_plurals():
    assert tokenize("Jamais les chatbots, toujours des process, parfois néanmoins.") == ["chatbot", "process"]


@pytest.mark.parametrize(
    ("word", "form"),
    [("téléconseillers", "téléconseiller"), ("développeurs", "développeur"), ("courriels", "courriel"),
     ("accès", "accès"), ("temps", "temps"), ("progrès", "progrès"), ("propos", "propos"),
     ("travers", "travers"), ("abonnez-vous", "abonnez-vous"), ("colis", "colis")],
)
def test_plural_fallback_leaves_singulars_in_s_alone(word, form):
    assert normalise_word(word) == form


def test_the_default_tokenizer_is_built_once_per_process_until_reset():
    first = default_tokenizer()
    assert default_tokenizer() is first and tokenize("Les chatbots") == ["chatbot"]
    defaults.reset()  # e.g. after editing a lexicon: the next call reads the files again
    assert default_tokenizer() is not first and tokenize("Les chatbots") == ["chatbot"]


def test_donneur_dordre_is_one_token_in_every_spelling():
    text = "Le donneur d'ordre, les donneurs d'ordres et un donneur d’ordres."
    assert tokenize(text) == ["donneur_ordre"] * 3


def test_lemmatiser_corrections_and_lower_case_lemmas():
    assert tokenize("Qu'il serve la vue client à Paris, avec Thomas.") == ["servir", "vue", "client", "paris",
                                                                           "thomas"]


def _reference_tokens_of_words(tokenizer, words, *, drop_stopwords=True, min_length=2):
    """tokens_of_words as it was written before its lookups were mapped in C."""
    norms = [tokenizer._form_of(w) for w in words]
    firsts = {seq[0] for seq in tokenizer.mwes}
    lengths = sorted({len(seq) for seq in tokenizer.mwes}, reverse=True)
    out, done = [], 0
    for i in [i for i, w in enumerate(norms) if w in firsts]:
        if i < done:
            continue
        for length in lengths:
            joined = tokenizer.mwes.get(tuple(norms[i : i + length]))
            if joined:
                out += norms[done:i] + [joined]
                done = i + length
                break
    norms = out + norms[done:]
    if not drop_stopwords:
        return norms
    return [t for t in norms if len(t) >= min_length and t not in tokenizer.rules.stopwords]


_WORDS = ["centres", "centre", "de", "d'", "appels", "relation", "client", "clients", "l'", "intelligence",
          "artificielle", "ia", "générative", "les", "a", "y", "chatbots", "service", "donneur", "ordre", "x"]


@given(st.lists(st.sampled_from(_WORDS), max_size=40), st.booleans(), st.integers(1, 4))
def test_tokens_of_words_gives_the_tokens_of_its_reference(words, drop_stopwords, min_length):
    tokenizer = default_tokenizer()
    assert tokenizer.tokens_of_words(words, drop_stopwords=drop_stopwords, min_length=min_length) == \
        _reference_tokens_of_words(tokenizer, words, drop_stopwords=drop_stopwords, min_length=min_length)


@given(st.lists(st.sampled_from(_WORDS), max_size=40))
def test_join_mwes_without_an_index_joins_like_the_tokenizer(words):
    from cxpress.text.tokens import join_mwes

    tokenizer = default_tokenizer()
    norms = [tokenizer.normalise(w) for w in words]
    assert join_mwes(norms, tokenizer.mwes) == _reference_tokens_of_words(tokenizer, words, drop_stopwords=False)


def test_the_form_memo_starts_over_when_full_with_the_same_tokens(monkeypatch):
    import cxpress.text.tokens as tokens_module

    monkeypatch.setattr(tokens_module, "FORMS_CACHE_MAX", 5)
    own = Tokenizer("lemma", rules=load_token_rules())
    words = split_words("Les téléconseillers des centres d'appels répondent aux clients de la relation client.")
    for _ in range(3):
        assert own.tokens_of_words(words) == _reference_tokens_of_words(own, words)
        assert len(own._forms) <= 5
