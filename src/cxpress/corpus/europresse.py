"""Europresse HTML exports to article fields: the current layout (one <article> per document) and the
older one (one table cell per document, body ending at a © line).

| field | current layout | older layout |
|---|---|---|
| outlet | span.DocPublicationName | span.DocPublicationName |
| date | span.DocHeader ("Rubrique, mardi 12 mai 2015, 850 mots, p. 14"), else the id news·YYYYMMDD | same |
| title | .titreArticleVisu (p/div), else div.titreArticle | span.TitreArticleVisu |
| author | .docAuthors | the short line right after the title |
| body | .docOcurrContainer, else .DocText | the cell's text after the title, up to the last © line |
| dropped | header/footer, .apd-wrapper ("Cet article est paru dans…"), .Doc-LegalInfo, © lines, ids | © line and after, ids |
"""

from __future__ import annotations

from cxpress.corpus.press_exports import (
    DOC_ID,
    body_lines,
    byline,
    header_date,
    id_date,
    single_line,
)
from cxpress.corpus.webpages import node_text, parse_html

# Blocks of an <article> that are the export's, not the text's (republication notice, legal line, id)
_CHROME_CLASSES = ("apd-wrapper", "Doc-LegalInfo", "publiC-lblNodoc", "DocPublicationName", "rdp__DocPublicationName",
                   "DocHeader", "docAuthors", "titreArticle", "titreArticleVisu")
AUTHOR_MAX_WORDS = 6  # a byline is a name or two ("Par Jeanne Martin et Paul Durand"), not a sentence


def _has_class(*names: str):
    """A BeautifulSoup class filter matching any of `names` (case-insensitive)."""
    wanted = {n.lower() for n in names}
    return lambda value: value is not None and bool(wanted & {c.lower() for c in str(value).split()})


def _doc_id(node) -> str | None:
    m = DOC_ID.search(node.get_text(" "))
    return m.group(0) if m else None


def _fields(outlet, header, title, author, lines, doc_id) -> dict | str:
    """The article's fields, or the reason it cannot be read (no body)."""
    if not lines:
        return "no article body (empty or missing text block)"
    return {"outlet": outlet, "title": title, "author": byline(author), "raw": "\n".join(lines), "doc_ref": doc_id,
            "meta_date": header_date(header) or id_date(doc_id), "header": header}


def _current(article) -> dict | str:
    """One <article> of the current layout."""
    find = lambda *names: article.find(class_=_has_class(*names))  # noqa: E731 - a local shorthand
    outlet = single_line(find("DocPublicationName"), keep_spacing=True)
    header = single_line(find("DocHeader"))
    title = single_line(find("titreArticleVisu")) or single_line(find("titreArticle"))
    author = single_line(find("docAuthors"))
    doc_id = _doc_id(article)
    body = find("docOcurrContainer") or find("DocText")
    if body is None:
        return "no article body (.docOcurrContainer / .DocText missing)"
    for node in body.find_all(class_=_has_class(*_CHROME_CLASSES)):
        node.decompose()
    return _fields(outlet, header, title, author, body_lines(node_text(body)), doc_id)


def _older(cell) -> dict | str:
    """One table cell of the older layout: metadata spans, then the title, an author line, the text."""
    find = lambda name: cell.find(class_=_has_class(name))  # noqa: E731
    outlet, title_node = single_line(find("DocPublicationName"), keep_spacing=True), find("TitreArticleVisu")
    headers = [single_line(n) for n in cell.find_all(class_=_has_class("DocHeader"))]
    header = ", ".join(h for h in headers if h) or None
    doc_id = _doc_id(cell)
    if title_node is None:
        return "no title (span.TitreArticleVisu missing): cannot tell where the text starts"
    title = single_line(title_node)
    title_node.name = "p"  # a block of its own, whatever follows it on the line
    for node in [*cell.find_all(class_=_has_class("DocPublicationName", "DocHeader")), *cell.find_all("table")]:
        node.decompose()  # metadata and the nested id table; the body follows the title
    lines = node_text(cell).split("\n")
    start = next((i for i, line in enumerate(lines) if title and line.strip() == title), -1) + 1
    lines = lines[start:]
    copyright_at = [i for i, line in enumerate(lines) if line.lstrip().startswith("©")]
    lines = lines[: copyright_at[-1]] if copyright_at else lines  # the last ©: a quoted one may come earlier
    author = None
    if lines and len(lines[0].split()) <= AUTHOR_MAX_WORDS and not lines[0].rstrip().endswith((".", "!", "?", ":")):
        author, lines = lines[0].strip(), lines[1:]
    return _fields(outlet, header, title, author, body_lines("\n".join(lines)), doc_id)


def europresse_articles(page: str) -> list[dict | str]:
    """Each document of a Europresse export in order: its fields (outlet, title, author, raw body,
    meta_date, doc_ref, header) or, for a document that cannot be read, the reason."""
    soup = parse_html(page)
    articles = soup.find_all("article")
    if articles:
        return [_current(a) for a in articles]
    # documents are the outermost cells holding Europresse metadata; other cells are page chrome
    marked = _has_class("DocPublicationName", "TitreArticleVisu", "DocHeader")
    cells = [td for td in soup.find_all("td") if td.find_parent("td") is None and td.find(class_=marked)]
    return [_older(td) for td in cells]
