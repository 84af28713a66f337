import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxpress.text import detect_language

FR = ("Les centres de contact du groupe ont basculé en télétravail pendant le confinement, "
      "et la direction veut désormais pérenniser un mode hybride pour ses conseillers.")
EN = ("The contact centre provider announced a new assistant for its agents, promising shorter "
      "handling times and better customer satisfaction across its European sites.")


@pytest.mark.parametrize(("text", "lang"), [(FR, "fr"), (EN, "en"), ("", "und"), ("OK 12 34", "und")])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_only_the_beginning_is_read():
    assert detect_language(FR * 3 + EN * 20) == "fr"


ES = ("La empresa de centros de llamadas anunció para los próximos meses una nueva plataforma "
      "con inteligencia artificial, y los sindicatos del sector piden más garantías por el empleo.")
MIXED = ("Le PDG a cité le slogan « the best of both worlds », et selon lui the customer is the king, "
         "which is why the company has invested in this new platform for its French sites.")


def test_the_french_shortcut_needs_many_french_words_and_no_foreign_ones():
    from cxpress.text import plainly_french

    assert plainly_french(FR * 2)
    assert not plainly_french(EN * 3)
    assert not plainly_french(ES * 2)
    assert not plainly_french(MIXED)  # left to the identifier
    assert not plainly_french(FR[:60])  # too few words to be plain


def _samples(root):
    from cxpress.corpus import discover_files, read_file
    from cxpress.text import clean_text

    files, _ = discover_files(root)
    return [clean_text(r["raw"])[:600] for f in files for r in read_file(f, root)[0]]


@pytest.mark.parametrize("root", ["demo", "realistic"])
def test_the_french_shortcut_agrees_with_the_identifier(root):
    """Wherever the shortcut answers "fr", py3langid answers "fr" too (it fires on most articles)."""
    from cxpress import config
    from cxpress.text import load_language_identifier, plainly_french

    folder = config.SAMPLE if root == "demo" else config.SHARED / "corpus" / "realistic"
    if not folder.exists():
        pytest.skip(f"{folder} is absent")
    samples = [s for s in _samples(folder) if len(s) >= 200]
    fired = [s for s in samples if plainly_french(s)]
    assert len(fired) >= 0.8 * len(samples)
    identifier = load_language_identifier()
    assert all(identifier.classify(s)[0] == "fr" for s in fired)


def test_the_function_words_are_data(tmp_path):
    from cxpress.text import load_function_words, plainly_french

    words = load_function_words()
    assert {"les", "est", "très"} <= words.french_only and {"the", "und", "della"} <= words.other_languages
    assert not words.french_only & words.other_languages
    path = tmp_path / "function_words.yml"
    path.write_text("french_only: cette\nother_languages: the\n", encoding="utf-8")
    sparse = load_function_words(path)
    assert not plainly_french(FR * 2, function_words=sparse)  # FR has no "cette"
    assert detect_language(FR * 2, function_words=sparse) == "fr"  # the identifier still answers


def test_the_model_loads_through_an_uncompressed_copy_with_the_same_answers(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from cxpress.text.language import CANDIDATES, load_language_identifier

    packaged = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    packaged.set_languages(list(CANDIDATES))
    cached = load_language_identifier(cache=tmp_path)
    (copy,) = tmp_path.glob("py3langid-*")
    written = {path.name: path.stat().st_mtime_ns for path in copy.iterdir()}
    again = load_language_identifier(cache=tmp_path)
    assert {path.name: path.stat().st_mtime_ns for path in copy.iterdir()} == written
    assert "ptc.npy" in written and not list(tmp_path.glob("*.part"))
    for text in (FR, EN, ES, MIXED, "Das Callcenter in Berlin stellt neue Mitarbeiter ein."):
        assert cached.classify(text) == again.classify(text) == packaged.classify(text)
    locked = tmp_path / "locked"
    locked.write_text("a file where the cache folder should be")  # not writable as a folder
    assert load_language_identifier(cache=locked).classify(EN) == packaged.classify(EN)


@given(st.text(alphabet=st.sampled_from(list("aé1_ .,Σ\n😀")) | st.characters(), max_size=260))
def test_the_letter_threshold_counts_like_a_findall(text):
    """"und" below 20 letters in the first 200 characters, counted as the code did with findall."""
    from cxpress.text.language import _ENOUGH_LETTERS

    assert bool(_ENOUGH_LETTERS.match(text, 0, 200)) == (len(re.findall(r"[^\W\d_]", text[:200])) >= 20)


@given(st.lists(st.sampled_from(["les", "est", "très", "the", "und", "della", "plateau", "Les", "12", "l'"]),
                max_size=60))
def test_the_french_shortcut_counts_like_its_reference(words):
    from cxpress.text import load_function_words, plainly_french

    function_words = load_function_words()
    sample = " ".join(words)
    found = re.findall(r"[^\W\d_]+", sample.lower())
    french = sum(1 for w in found if w in function_words.french_only)
    other = sum(1 for w in found if w in function_words.other_languages)
    assert plainly_french(sample, function_words=function_words) == (french >= 9 and other <= 1)


def test_the_model_table_is_a_view_of_the_cached_arrays(tmp_path):
    from cxpress.text.language import _model_arrays, load_language_identifier

    identifier = load_language_identifier(cache=tmp_path)
    arrays = _model_arrays(tmp_path)
    assert isinstance(identifier.tk_nextmove, memoryview) and identifier.tk_nextmove.readonly
    assert len(identifier.tk_nextmove) == len(arrays["nextmove"])
    assert identifier.tk_nextmove[-3:].tolist() == arrays["nextmove"][-3:].tolist()
    assert list(identifier.tk_row) == arrays["nextmove_row"].tolist()


def test_the_ingest_prepares_the_model_copy_its_workers_load(tmp_path, monkeypatch):
    from cxpress.text import language

    language.prepare_model_copy(cache=tmp_path)
    (copy,) = tmp_path.glob("py3langid-*")
    written = {path.name: path.stat().st_mtime_ns for path in copy.iterdir()}
    assert "ptc.npy" in written
    language.prepare_model_copy(cache=tmp_path)  # present: left as it is
    monkeypatch.setattr(language.lzma, "open", lambda *a, **k: pytest.fail("decompressed again"))
    assert language.load_language_identifier(cache=tmp_path).classify(FR)[0] == "fr"
    assert {path.name: path.stat().st_mtime_ns for path in copy.iterdir()} == written
