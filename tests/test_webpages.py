from hypothesis import given, settings
from hypothesis import strategies as st

from cxpress.corpus import HtmlArticle, html_to_text
from cxpress.text import clean_text

PAGE = """<!DOCTYPE html><html lang="fr"><head><title>Télécoms : l&#39;heure du numérique &ndash; Site Hebdo</title>
<meta property="article:published_time" content="2019-02-11T07:30:00+01:00"><style>p {color: red}</style></head>
<body><nav><a href="/">Accueil</a> | <a href="/x">Abonnement</a></nav><header>Site Hebdo</header>
<main><article><h1>Télécoms : l&#39;heure
  du numérique</h1><p class="date">Publi&eacute; le 11 f&eacute;vrier 2019</p>
<p>Les op&eacute;rateurs ont <em>longtemps</em> été les premiers clients<br>des centres d&#39;appels.</p>
<!-- commentaire --><script>var x = "<p>non</p>";</script>
<ul><li>un point</li><li>un autre</li></ul><figure><img src="a.jpg"><figcaption>Légende</figcaption></figure>
</article></main><footer><p>&copy; 2025 Site Hebdo</p></footer></body></html>"""


def test_html_to_text_keeps_the_article_only():
    page = html_to_text(PAGE)
    assert page.title == "Télécoms : l'heure du numérique"
    assert page.date_str == "2019-02-11T07:30:00+01:00"
    assert page.text.split("\n") == [
        "Télécoms : l'heure du numérique",
        "Publié le 11 février 2019",
        "Les opérateurs ont longtemps été les premiers clients",
        "des centres d'appels.",
        "un point",
        "un autre",
    ]
    assert clean_text(page.text, title=page.title).startswith("Les opérateurs ont longtemps")


def test_html_to_text_falls_back_to_the_page_title_and_time_tag():
    page = html_to_text(
        "<html><head><title>Titre du jour | Site</title></head><body><p>Texte.</p>"
        "<time datetime='2021-06-01'>1er juin</time></body></html>"
    )
    assert page == HtmlArticle("Titre du jour", "Texte.\n1er juin", "2021-06-01")


@given(st.text(max_size=300))
@settings(max_examples=100, deadline=None)
def test_html_to_text_never_raises(page):
    result = html_to_text(page)
    assert result.text == "" or "" not in result.text.split("\n")  # one block per line, no blank line


def test_markup_the_parser_rejects_is_still_read():
    # html.parser raises on a stray "<![" (found by the property test above)
    assert html_to_text("<![0").text == "<![0"
    assert html_to_text("<p>Avant</p><![x <p>Après</p>").text.endswith("Après")


def test_doctests():
    import doctest

    from cxpress.corpus import webpages

    assert doctest.testmod(webpages).failed == 0
