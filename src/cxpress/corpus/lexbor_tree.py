"""Lexbor's tree of an HTML page, when html.parser (with BeautifulSoup) would build the same one.

HTML5 closes tags html.parser leaves open, moves stray text, and decodes some entities otherwise; on a
page with any of that, `agreeing_tree` gives None and the page is read with BeautifulSoup. It compares
Lexbor's elements and text, in order, to the page's own tags; the checks are regular expressions."""

from __future__ import annotations

import html.entities
import re
from functools import cache
from typing import NamedTuple

# markup read differently (declarations, processing instructions, "</" without a name, comments closed
# by "--!>" or "-- >", raw-text elements of HTML5, template contents, ruby text left out of get_text)
_ODD_MARKUP = re.compile(
    r"<(?:!(?!--)|\?|/(?![a-zA-Z])|!---?>|(?:template|textarea|listing|xmp|noembed|noframes|plaintext|rt|rp)(?![^\t\n\f />]))"
    r"|--(?:!|\s+)>|\x00", re.IGNORECASE)
_DOCTYPE = re.compile(r"\s*<!doctype(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
_ATTRS = r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*"
# comments, script/style with their raw text (html.parser ends them at "</script\s*>"), tags
_SOURCE_TOKEN = re.compile(
    rf"<!--.*?-->|<(script|style)(?=[\t\n\f />]){_ATTRS}>.*?</\s*\1\s*>|<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)({_ATTRS})>",
    re.IGNORECASE | re.DOTALL)
_TAG_IN_TEXT = re.compile(r"<[a-zA-Z/!?]")
_SIMPLE_META = re.compile(
    r"<(?:meta|time)(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`/]+))?)*\s*/?>",
    re.IGNORECASE)
_META_TAG = re.compile(rf"<(?:meta|time)(?=[\s/>]){_ATTRS}>", re.IGNORECASE)
_ATTR_NAME = re.compile(r"\s([^\s=/>]+)")
_REFERENCE = re.compile(r"&(#[xX]?)?([a-zA-Z0-9]*)(;?)")
_VOID = frozenset({"area", "base", "basefont", "bgsound", "br", "col", "command", "embed", "frame", "hr",
                   "image", "img", "input", "isindex", "keygen", "link", "menuitem", "meta", "nextid",
                   "param", "source", "spacer", "track", "wbr"})  # BeautifulSoup's empty-element tags
_UNCHECKED = frozenset({"html", "head", "body", "tbody", "colgroup"})  # HTML5 adds them: transparent to text
_RCDATA = frozenset({"title", "iframe"})  # html.parser reads their content as markup, HTML5 as text


@cache
def _legacy_entities() -> frozenset[str]:
    """Entity names HTML5 also reads without their ";" ("&eacute" in "caf&eacute noir")."""
    return frozenset(name for name in html.entities.html5 if not name.endswith(";"))


def _references_agree(page: str) -> bool:
    """False when a character reference may decode differently: html.parser reads "&name" with any
    entity name and no ";", HTML5 only the legacy ones, and in text even as a prefix ("&notit")."""
    legacy = _legacy_entities()
    for ref in _REFERENCE.finditer(page):
        number, name, semicolon = ref.groups()
        if number:
            if not (semicolon and name and len(name) <= 7
                    and re.fullmatch("[0-9]+" if number == "#" else "[0-9a-fA-F]+", name)):
                return False
        elif not name or not name[0].isalpha():
            continue
        elif semicolon:
            if name + ";" not in html.entities.html5:
                return False
        elif ref.end() == len(page) or (name + ";" in html.entities.html5 and name not in legacy):
            return False
        elif any(name[:k] in legacy for k in range(2, len(name))):
            return False
        elif name in legacy and page[ref.end()] in "-.=":
            return False
    return True


def _plain_markup(page: str) -> bool:
    """True when nothing in the page's markup is read differently by html.parser and HTML5, short of
    the tree itself (which `_lexbor_article` compares to the page's tags)."""
    doctype = _DOCTYPE.match(page)
    if _ODD_MARKUP.search(page, doctype.end() if doctype else 0):
        return False
    if "\r" in page and "<pre" in page.lower():
        return False  # html.parser keeps a lone "\r" in <pre>, HTML5 reads it as a line break
    for tag in _META_TAG.finditer(page):  # attributes read for the date and the title
        names = [name.lower() for name in _ATTR_NAME.findall(tag.group())]
        if not _SIMPLE_META.fullmatch(tag.group()) or len(names) != len(set(names)):
            return False
    return "&" not in page or _references_agree(page)


def _source_tokens(page: str) -> list[str] | None:
    """The page's start tags ("<p"), end tags ("</p") and text runs ("T") in order, html/head/body
    (and tbody/colgroup) left out but for where html.parser's <body> opens and closes; None without
    one <body>, or with anything after it."""
    doctype = _DOCTYPE.match(page)
    tokens, last, body = [], doctype.end() if doctype else 0, ""
    for match in _SOURCE_TOKEN.finditer(page, last):
        if page[last:match.start()].strip(" \t\n\r\f"):
            if body == "closed" or _TAG_IN_TEXT.search(page, last, match.start()):
                return None  # text after </body>, or a "<" html.parser may read as a tag
            if tokens[-1:] != ["T"]:
                tokens.append("T")
        last = match.end()
        raw, end, name, attrs = match.groups()
        if raw is not None:
            if match.group().lower().count("</" + raw.lower()) > 1:
                return None  # HTML5 may end it at the first "</script"
            tokens += ["<" + raw.lower(), "</" + raw.lower()]
        elif name is not None:  # else a comment
            name = name.lower()
            if not name.isascii() or body == "closed" and name not in _UNCHECKED:
                return None
            if name == "body" and not end:
                if body:
                    return None
                tokens.append("<body")
                body = "open"
            elif end and body == "open" and name in ("body", "html", "head"):
                tokens.append("</body")
                body = "closed"
            elif name not in _UNCHECKED:
                tokens.append(("</" if end else "<") + name)
                if not end and name not in _VOID and attrs.endswith("/"):
                    tokens.append("</" + name)
    if page[last:].strip(" \t\n\r\f"):
        if body == "closed" or _TAG_IN_TEXT.search(page, last):
            return None
        if tokens[-1:] != ["T"]:
            tokens.append("T")
    if not body:
        return None
    return tokens if body == "closed" else [*tokens, "</body"]


class PageTree(NamedTuple):
    """Lexbor's parse of a page and, in page order, the elements the article reader looks up."""

    parsed: object  # selectolax.lexbor.LexborHTMLParser
    tokens: list[str]
    firsts: dict  # tag name -> first element of that name in the page
    times: list  # <time datetime>
    metas: list


def agreeing_tree(page: str) -> PageTree | None:
    """Lexbor's tree of the page, or None when html.parser may build another one."""
    from selectolax.lexbor import LexborHTMLParser

    if not _plain_markup(page) or (source := _source_tokens(page)) is None:
        return None
    parsed = LexborHTMLParser(page)
    if parsed.head is None or parsed.body is None:
        return None
    tree = PageTree(parsed, [], {}, [], [])
    if not _tree_tokens(parsed.head, tree):
        return None
    tree.tokens.append("<body")
    if not _tree_tokens(parsed.body, tree) or [*tree.tokens, "</body"] != source:
        return None
    return tree


def _tree_tokens(top, tree: PageTree) -> bool:
    """Append the tokens of `top`'s subtree (as _source_tokens lists them) and note its elements;
    False when a raw-text element holds what html.parser would have ended it at."""
    tokens, stack, node = tree.tokens, [], top.child
    while node is not None:
        tag = node.tag
        if tag == "-text":
            if stack and stack[-1] in ("script", "style") and f"</{stack[-1]}" in node.text_content.lower():
                return False
            if stack and stack[-1] in _RCDATA and _TAG_IN_TEXT.search(node.text_content):
                return False
            if (not stack or stack[-1] not in ("script", "style")) and node.text_content.strip(" \t\n\r\f"):
                if not tokens or tokens[-1] != "T":
                    tokens.append("T")
        elif tag != "-comment":
            tag = tag.lower()
            if tag not in _UNCHECKED:
                tokens.append("<" + tag)
            tree.firsts.setdefault(tag, node)
            if tag == "meta":
                tree.metas.append(node)
            elif tag == "time" and "datetime" in node.attributes:
                tree.times.append(node)
            if node.child is not None:
                stack.append(tag)
                node = node.child
                continue
            if tag not in _VOID and tag not in _UNCHECKED:
                tokens.append("</" + tag)
        while node.next is None:
            if not stack:
                return True
            tag, node = stack.pop(), node.parent
            if tag not in _VOID and tag not in _UNCHECKED:
                tokens.append("</" + tag)
        node = node.next
    return True
