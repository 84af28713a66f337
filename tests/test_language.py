import pytest

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
