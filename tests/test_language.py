import pytest

from cxpress.language import detect_language

FR = ("Les centres de contact du groupe ont basculé en télétravail pendant le confinement, "
      "et la direction veut désormais pérenniser un mode hybride pour ses conseillers.")
EN = ("The contact centre provider announced a new assistant for its agents, promising shorter "
      "handling times and better customer satisfaction across its European sites.")


@pytest.mark.parametrize(("text", "lang"), [(FR, "fr"), (EN, "en"), ("", "und"), ("OK 12 34", "und")])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_only_the_beginning_is_read():
    assert detect_language(FR * 3 + EN * 20) == "fr"
