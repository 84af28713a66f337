"""The Lexbor reader of html_to_text gives BeautifulSoup's article (soup_article, the reference) on
every page: random pages built from the markup of web captures, well-formed or not."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpress.corpus import webpages
from cxpress.corpus.webpages import html_to_text, soup_article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"

WORDS = st.sampled_from([
    "Le", "service", "client", "à", "l'heure", "numérique", "Publié", "le", "11", "février", "2019",
    " ", "  ", "\n", "\r\n", "\t", "\xa0", "&eacute;", "&amp;", "&nbsp;", "&#233;", "&#x27;", "&#150;",
    "&hellip;", "&hellip", "&copy", "&copy=", "&eacutex", "&notit;", "&lang=fr", "&b=2", "&", "a < b",
    "&#0;", "&#1114112;", "&#38", "-- >", "\x00", "«", "»", "’",
])
TEXT = st.lists(WORDS, min_size=1, max_size=6).map("".join)
CLEAN_TEXT = st.lists(st.sampled_from([
    "Le", "service", "client", "à", "l'heure", " ", "  ", "\n", "\t", "\xa0", "&eacute;", "&amp;", "&nbsp;",
    "&#233;", "&#x27;", "&#150;", "&hellip;", "&copy", "&b=2", "&", "a < b", "«", "’",
]), min_size=1, max_size=6).map("".join)
ODD = st.sampled_from([
    "<!", "<![0", "<![CDATA[x y]]>", "<!-- commentaire -->", "<!-->", "<!--->", "<!-- a --!> b -->",
    "<!-- <p>caché</p> -->", "<?xml version='1.0'?>", "</p>", "</br>", "</div>", "</>", "</ p>", "<br>",
    "<br/>", "<hr>", "<div/>", "<span/>", "<img src=a.jpg>", "<script>var x = '<p>non</p>';</script>",
    "<script>a</script x>b</script>", "<style>p {color: red}</style>", "<!DOCTYPE html>",
    "<time datetime='2021-06-01'>1er juin</time>", "<time datetime>hier</time>", "<meta name=date content=2020-01-02>",
    "<meta property='og:title' content=' Titre  OG '>", "<meta property=article:published_time content='2019-02-11'>",
    "<meta name=date content=a name=pubdate>", "<title>Titre du jour | Site</title>", "<title>T<b>x</b></title>",
    "<textarea>\nx</textarea>", "<template><h1>t</h1></template>", "<a href='/x?a=1&b=2'>lien</a>", "<body>",
    "</body>", "</html>", "<html>", "<head>", "</head>", "<plaintext>", "<a",
])
INLINE = st.sampled_from(["b", "i", "em", "strong", "font", "span", "a", "time", "small", "u"])
BLOCK = st.sampled_from(["p", "div", "section", "article", "main", "h1", "h2", "li", "ul", "blockquote", "pre",
                         "table", "tr", "td", "nav", "header", "footer", "aside", "figure", "figcaption", "form",
                         "noscript", "svg", "select", "button", "title", "iframe"])


# what well-formed pages hold: the reader's fast path must give the reference's article on them
PLAIN = st.sampled_from([
    "<br>", "<br/>", "<hr>", "<img src=a.jpg alt=''>", "<!-- commentaire -->", "<script>var x = 1;</script>",
    "<time datetime='2021-06-01'>1er juin</time>", "<meta name=date content='2020-01-02'>",
    "<meta property='og:title' content=' Titre  OG '>", "<a href='/x?a=1&b=2'>lien</a>", "<p></p>",
])


def _element(children, closed):
    return st.tuples(st.one_of(INLINE, BLOCK), children, closed).map(
        lambda t: f"<{t[0]}>{''.join(t[1])}" + (f"</{t[0]}>" if t[2] else ""))


NODES = st.recursive(st.one_of(TEXT, ODD), lambda c: _element(
    st.lists(c, max_size=4), st.sampled_from([True, True, True, False])), max_leaves=14)
CLOSED = st.recursive(st.one_of(CLEAN_TEXT, PLAIN), lambda c: _element(st.lists(c, max_size=4), st.just(True)),
                      max_leaves=14)
BODY = st.one_of(st.lists(NODES, max_size=6), st.lists(CLOSED, max_size=6)).map("".join)
HEAD = st.lists(st.sampled_from([
    "<title>Télécoms : l&#39;heure du numérique &ndash; Site Hebdo</title>", "<meta charset='utf-8'>",
    "<meta property='og:title' content='Le titre OG'>", "<meta name='date' content='2018-03-04'>",
    "<style>h1 {}</style>", "<link rel=stylesheet href=a.css>", "<script src=a.js></script>", "\n  ",
]), max_size=4).map("".join)


@st.composite
def pages(draw):
    head, body = draw(HEAD), draw(BODY)
    shape = draw(st.sampled_from(["full", "full", "no head", "fragment", "after body"]))
    if shape == "fragment":
        return body
    doctype = draw(st.sampled_from(["<!DOCTYPE html>\n", "<!doctype html>", ""]))
    head = "" if shape == "no head" else f"<head>{head}</head>\n"
    tail = draw(TEXT) if shape == "after body" else ""
    return f"{doctype}<html lang='fr'>{head}<body>{body}</body>{tail}</html>\n"


@given(pages())
@settings(max_examples=600, deadline=None)
def test_the_lexbor_reader_gives_the_reference_article(page):
    assert html_to_text(page) == soup_article(page)


@given(pages())
@settings(max_examples=200, deadline=None)
def test_the_lexbor_reader_never_raises(page):
    webpages._lexbor_article(page)  # an exception here would be hidden by html_to_text's fallback


WELL_FORMED = """<!DOCTYPE html><html lang="fr"><head><title>Titre &ndash; Site</title>
<meta property="article:published_time" content="2019-02-11T07:30:00+01:00"></head>
<body><nav><a href="/?a=1&b=2">Accueil</a></nav><article><h1>Le <b>titre</b></h1>
<p>Un texte <em>long</em>&nbsp;&eacute;crit<br>sur deux lignes.</p><!-- note --><pre>a
  b</pre></article></body></html>"""


def test_a_well_formed_page_is_read_by_lexbor():
    article = webpages._lexbor_article(WELL_FORMED)
    assert article == soup_article(WELL_FORMED)
    assert article.text.split("\n") == ["Le titre", "Un texte long écrit", "sur deux lignes.", "a", "b"]


@pytest.mark.parametrize("page", [
    WELL_FORMED.replace("</p>", ""),  # a tag left open: HTML5 closes it elsewhere than html.parser
    WELL_FORMED.replace("<br>", "</br>"),  # HTML5 reads a <br>, html.parser nothing
    WELL_FORMED.replace("&eacute;crit", "&eacutecrit"),  # HTML5 decodes "&eacute", html.parser not
    WELL_FORMED.replace("</body>", "</body>après"),  # HTML5 moves it into <body>
    WELL_FORMED.replace("<body>", ""),  # html.parser's article is then the whole page
    WELL_FORMED.replace("<!-- note -->", "<![CDATA[x]]>"),
])
def test_markup_the_parsers_read_apart_goes_to_the_reference(page):
    assert webpages._lexbor_article(page) is None
    assert html_to_text(page) == soup_article(page)


def _pages_on_disk():
    folders = [ROOT / "tests" / "data", ROOT / "data" / "sample", ROOT / "benchmarks" / "corpora" / "n10000-seed0" / "html", SHARED]
    return sorted(p for folder in folders if folder.exists() for p in folder.rglob("*.htm*") if p.is_file())


@pytest.mark.parametrize("path", _pages_on_disk(), ids=lambda p: p.name)
def test_pages_on_disk_give_the_reference_article(path):
    from cxpress.corpus import decode_bytes

    page = decode_bytes(path.read_bytes()).text
    assert html_to_text(page) == soup_article(page)
