"""HTML pages to article text: title, body blocks one per line, publication date (BeautifulSoup)."""

from __future__ import annotations

import re
from typing import NamedTuple


class HtmlArticle(NamedTuple):
    """Title, article text (one block per line) and publication-date string of an HTML page."""

    title: str | None
    text: str
    date_str: str | None


_DROP_TAGS = [
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button", "figure",
]
_BLOCK_TAGS = [
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre", "table", "tr", "dd", "dt", "figcaption", "address", "hr",
]
_WHITESPACE = re.compile(r"\s+")
_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date",
)


def _page_date(soup) -> str | None:
    time = soup.find("time", attrs={"datetime": True})
    if time is not None:
        return str(time["datetime"]).strip() or None
    for meta in soup.find_all("meta"):
        name = str(meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if name in _DATE_META and meta.get("content"):
            return str(meta["content"]).strip()
    return None


def _page_title(soup, root) -> str | None:
    for node in (root.find("h1"), soup.find("h1")):
        if node is not None and node.get_text(strip=True):
            return " ".join(node.get_text(" ").split())
    meta = soup.find("meta", attrs={"property": "og:title"})
    if meta is not None and meta.get("content"):
        return " ".join(str(meta["content"]).split())
    if soup.title is not None and soup.title.get_text(strip=True):
        return re.split(r"\s+[|–—-]\s+(?=[^|–—-]+$)", " ".join(soup.title.get_text().split()))[0]
    return None


# "<!" that opens neither a comment, a doctype nor CDATA: html.parser rejects some of these ("<![0")
_STRAY_DECLARATION = re.compile(r"<!(?!--|\[CDATA\[|doctype)", re.IGNORECASE)


def parse_html(page: str):
    """BeautifulSoup of the page; markup html.parser rejects is read with its stray "<!" escaped,
    else as plain text (never an exception: one odd page must not stop a corpus from loading)."""
    from bs4 import BeautifulSoup
    from bs4.exceptions import ParserRejectedMarkup

    for attempt in (page, _STRAY_DECLARATION.sub("&lt;!", page)):
        try:
            return BeautifulSoup(attempt, "html.parser")
        except ParserRejectedMarkup:
            continue
    return BeautifulSoup(page.replace("&", "&amp;").replace("<", "&lt;"), "html.parser")


def html_to_text(page: str) -> HtmlArticle:
    """Title, text and date of an HTML page: <article>/<main> preferred, navigation and scripts dropped.

    >>> html_to_text("<html><title>T – Site</title><nav>Menu</nav><article><h1>Titre</h1>"
    ...              "<p>Un<em> texte</em> &eacute;crit.</p><p>Deux.</p></article></html>")
    HtmlArticle(title='Titre', text='Titre\\nUn texte écrit.\\nDeux.', date_str=None)
    """
    soup = parse_html(page)
    root = soup.find("article") or soup.find("main") or soup.body or soup
    title, date_str = _page_title(soup, root), _page_date(soup)
    return HtmlArticle(title, node_text(root), date_str)


def node_text(root) -> str:
    """The text of a parsed element, one block per line: comments, scripts and navigation dropped;
    inline markup (<b>, <i>, <font>, highlighting spans) joins its text without a break or a space.
    Changes `root` in place."""
    from bs4 import Comment, NavigableString

    for node in root.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for node in root.find_all(_DROP_TAGS):
        node.decompose()
    for node in root.find_all(string=True):
        if node.parent is None or node.parent.name != "pre":
            node.replace_with(NavigableString(_WHITESPACE.sub(" ", node)))
    for node in root.find_all("br"):
        node.replace_with(NavigableString("\n"))
    for node in root.find_all(_BLOCK_TAGS):
        node.insert_before(NavigableString("\n"))
        node.insert_after(NavigableString("\n"))
    lines = (" ".join(line.split()) for line in root.get_text().split("\n"))
    return "\n".join(line for line in lines if line)
