"""HTML pages to article text: title, body blocks one per line, publication date.

A page is read with Lexbor (selectolax), several times faster than BeautifulSoup; a page whose markup
Lexbor's HTML5 tree builder may read otherwise than html.parser (a tag left open or closed twice, an odd
entity, a declaration...) is read with BeautifulSoup, the reference: both give the same article."""

from __future__ import annotations

import re
from typing import NamedTuple

from cxpress.corpus.lexbor_tree import PageTree, agreeing_tree


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
_DROP, _BLOCK = frozenset(_DROP_TAGS), frozenset(_BLOCK_TAGS)
_WHITESPACE = re.compile(r"\s+")
_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date",
)
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+(?=[^|–—-]+$)")


def html_to_text(page: str) -> HtmlArticle:
    """Title, text and date of an HTML page: <article>/<main> preferred, navigation and scripts dropped.

    >>> html_to_text("<html><title>T – Site</title><nav>Menu</nav><article><h1>Titre</h1>"
    ...              "<p>Un<em> texte</em> &eacute;crit.</p><p>Deux.</p></article></html>")
    HtmlArticle(title='Titre', text='Titre\\nUn texte écrit.\\nDeux.', date_str=None)
    """
    try:
        article = _lexbor_article(page)
    except Exception:  # noqa: BLE001 - any surprise of the fast reader is left to the reference one
        article = None
    return article if article is not None else soup_article(page)


# --- the reference: BeautifulSoup with html.parser (also used by the Factiva and Europresse readers)


def soup_article(page: str) -> HtmlArticle:
    """html_to_text read with BeautifulSoup and html.parser, for any markup."""
    soup = parse_html(page)
    root = soup.find("article") or soup.find("main") or soup.body or soup
    title, date_str = _page_title(soup, root), _page_date(soup)
    return HtmlArticle(title, node_text(root), date_str)


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
        return _TITLE_SUFFIX.split(" ".join(soup.title.get_text().split()))[0]
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


# --- the fast reader: Lexbor, on pages whose tree both parsers build alike


def _lexbor_article(page: str) -> HtmlArticle | None:
    """The article as soup_article reads it, or None when the two parsers may build different trees."""
    if (tree := agreeing_tree(page)) is None:
        return None
    root = tree.firsts.get("article") or tree.firsts.get("main") or tree.parsed.body
    date_str = _lexbor_date(tree)
    if date_str is not None and "\r" in page and "\n" in date_str:
        return None  # html.parser keeps "\r\n" in attributes, HTML5 reads "\n"
    return HtmlArticle(_lexbor_title(root, tree), _lexbor_text(root), date_str)


def _lexbor_date(tree: PageTree) -> str | None:
    if tree.times:
        return (tree.times[0].attributes["datetime"] or "").strip() or None
    for meta in tree.metas:
        attrs = meta.attributes
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if name in _DATE_META and attrs.get("content"):
            return attrs["content"].strip()
    return None


def _strings(node) -> list[str]:
    """The strings get_text joins: text nodes, those of scripts and styles left out."""
    return [text.text_content for text in node.traverse(include_text=True)
            if text.tag == "-text" and text.parent.tag not in ("script", "style")]


def _lexbor_title(root, tree: PageTree) -> str | None:
    for node in (root.css_first("h1"), tree.firsts.get("h1")):
        if node is not None and (words := " ".join(_strings(node)).split()):
            return " ".join(words)
    og_title = next((meta for meta in tree.metas if meta.attributes.get("property") == "og:title"), None)
    if og_title is not None and og_title.attributes.get("content"):
        return " ".join(og_title.attributes["content"].split())
    title = tree.firsts.get("title")
    if title is not None and (words := "".join(_strings(title)).split()):
        return _TITLE_SUFFIX.split(" ".join(words))[0]
    return None


def _lexbor_text(root) -> str:
    """node_text of a Lexbor element: the same blocks, lines and spacing."""
    parts, stack, node = [], [], root.child
    while node is not None:
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            # node_text turns whitespace runs into a space; the lines are split at "\n" and their
            # whitespace collapsed afterwards, so only the newlines need replacing here
            parts.append(text if stack and stack[-1] == "pre" else text.replace("\n", " "))
        elif tag != "-comment" and (tag := tag.lower()) not in _DROP:
            if tag == "br":
                parts.append("\n")
            elif tag in _BLOCK:
                parts.append("\n")
            if node.child is not None:
                stack.append(tag)
                node = node.child
                continue
            if tag in _BLOCK:
                parts.append("\n")
        while node.next is None:
            if not stack:
                node = None
                break
            tag, node = stack.pop(), node.parent
            if tag in _BLOCK:
                parts.append("\n")
        if node is not None:
            node = node.next
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
