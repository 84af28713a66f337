"""Factiva HTML exports to article fields: one table of field codes per article (in a
div.article.xxArticle), a code in the first cell of each row, its value in the second.

| code | field | code | field |
|---|---|---|---|
| HD | title | PD | date ("12 mai 2015", French or English month) |
| BY | author | WC | word count (ignored) |
| SN | outlet | LA | language (ignored: the loader detects it) |
| SC | source code (ignored) | LP, TD | lead and body paragraphs (the text) |
| AN | "Document XXXX…" id (its digits date the article when PD is missing) | CY | copyright (never in the text) |
"""

from __future__ import annotations

import re

from cxpress.corpus.press_exports import body_lines, byline, id_date, single_line
from cxpress.corpus.webpages import node_text, parse_html
from cxpress.text.dates import parse_date

_CODE = re.compile(r"^[A-Z]{2,3}$")
TEXT_CODES = ("LP", "TD")  # lead paragraph, then the rest of the text


def _field_table(node) -> dict:
    """Field code -> value cell, from the rows of the article's tables (first cell: the code)."""
    cells = {}
    for row in node.find_all("tr"):
        tds = row.find_all("td", recursive=False)
        if len(tds) < 2:
            continue
        code = tds[0].get_text().replace("\xa0", " ").strip().upper()
        if _CODE.match(code) and code not in cells:
            cells[code] = tds[1]
    return cells


def _article(node) -> dict | str:
    """One Factiva article's fields, or the reason it cannot be read."""
    cells = _field_table(node)
    if not cells:
        return "no field-code table (HD, SN, PD, LP, TD...)"
    lines = [line for code in TEXT_CODES if code in cells for line in body_lines(node_text(cells[code]))]
    if not lines:
        return "no text (LP and TD fields missing or empty)"
    doc_ref = (single_line(cells.get("AN")) or "").removeprefix("Document ").strip() or None
    pd_value = single_line(cells.get("PD"))
    date = parse_date(pd_value) if pd_value else None
    return {"outlet": single_line(cells.get("SN"), keep_spacing=True), "title": single_line(cells.get("HD")),
            "author": byline(single_line(cells.get("BY"))), "raw": "\n".join(lines), "doc_ref": doc_ref,
            "meta_date": date.isoformat() if date else id_date(doc_ref), "header": pd_value}


def factiva_articles(page: str) -> list[dict | str]:
    """Each article of a Factiva export in order: its fields (outlet, title, author, raw body,
    meta_date, doc_ref, header) or, for an article that cannot be read, the reason."""
    soup = parse_html(page)
    blocks = soup.find_all("div", class_=lambda c: c is not None and "article" in str(c).split())
    if not blocks:  # no article wrapper: each outermost table holding an HD row is an article
        blocks = [t for t in soup.find_all("table") if t.find_parent("table") is None and "HD" in _field_table(t)]
    return [_article(b) for b in blocks]
