"""What press-database exports share: telling them apart by content, their dates, and the export
chrome (copyright, "Cet article est paru dans…", document ids) that must never reach a body."""

from __future__ import annotations

import re

from cxpress.text.date_grammar import date_from_match
from cxpress.text.dates import default_date_rules, find_numeric_date

# Europresse: its class names, or a document id "news·20150512·…" (the middle dot may be a period)
_EUROPRESSE = re.compile(r"DocPublicationName|docOcurrContainer|TitreArticleVisu|news[·.]\d{8}[·.]", re.IGNORECASE)
# Factiva: a cell holding a field code in bold ("<b>HD&nbsp;</b>"), or its article class
_FACTIVA_CODE = re.compile(r"<td[^>]*>\s*(?:<b>)?\s*(HD|BY|SN|PD|WC|LA|LP|TD|AN|SC|CY)(?:&nbsp;|\s|\xa0)*(?:</b>)?\s*</td>",
                           re.IGNORECASE)
_FACTIVA_CLASS = re.compile(r"""class=["']article\s+[a-z]{2}Article["']""", re.IGNORECASE)
_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|table|div|article)\b",
                         re.IGNORECASE | re.DOTALL)
DOC_ID = re.compile(r"news[·.](\d{8})[·.][\w·.-]+", re.IGNORECASE)
# Lines that are the export's, not the article's: kept out of bodies whatever the layout
_CHROME_LINE = re.compile(
    r"^\s*(?:©|\(c\)\s*\d{4}|copyright\b|cet article est paru dans\b|tous droits réservés|"
    r"news[·.]\d{8}[·.]|document\s+[a-z0-9]{15,}\s*$|ce document est réservé|"
    r"(?:le )?présent document est protégé)", re.IGNORECASE)


def detect_export(text: str) -> str | None:
    """The export an HTML file's decoded text comes from: "europresse", "factiva", or None (a page).

    >>> detect_export('<article><span class="DocPublicationName">X</span></article>')
    'europresse'
    >>> detect_export("<html><p>Un article.</p></html>") is None
    True
    """
    head = text[:400_000]  # markers sit in every article: the first ones are enough
    if _EUROPRESSE.search(head):
        return "europresse"
    if _FACTIVA_CLASS.search(head) or len({m.group(1).upper() for m in _FACTIVA_CODE.finditer(head)}) >= 3:
        return "factiva"
    return None


def looks_like_html(text: str) -> bool:
    """Whether a file's text is an HTML document (an export saved as .txt is read as HTML too)."""
    return bool(_HTML_START.match(text[:2000]))


def header_date(header: str | None) -> str | None:
    """The first date spelt in an export's header line, as ISO ("Économie, mardi 12 mai 2015, p. 14"
    -> "2015-05-12"), month names read by the project's grammar (never the machine's locale)."""
    if not header:
        return None
    rules = default_date_rules()
    text = " ".join(header.replace("\xa0", " ").split())
    for m in rules.date.finditer(text):
        found = date_from_match(m, rules.months)
        if found is not None:
            return found.isoformat()
    return None


def id_date(doc_id: str | None) -> str | None:
    """The date in an export's document id (Europresse "news·20150512·…", Factiva "LECHO00020150512…")."""
    if not doc_id:
        return None
    m = DOC_ID.search(doc_id) or re.match(r"^[A-Za-z]+0*(\d{8})", doc_id.strip())
    found = find_numeric_date(m.group(1)) if m else None
    return found.isoformat() if found else None


def body_lines(text: str) -> list[str]:
    """The lines of an article body without the export's chrome lines."""
    return [line for line in text.split("\n") if line.strip() and not _CHROME_LINE.match(line)]


def single_line(node, *, keep_spacing: bool = False) -> str | None:
    """The text of an element on one line (None when empty or missing); inline markup adds no space,
    so a highlighted part of a word stays in the word. keep_spacing keeps double spaces and line
    breaks (a publication name's edition follows them)."""
    if node is None:
        return None
    text = node.get_text().replace("\xa0", " ").strip()
    return (text if keep_spacing else " ".join(text.split())) or None


def byline(text: str | None) -> str | None:
    """An author line without its "Par"/"By" ("Par Hélène Vasseur" -> "Hélène Vasseur")."""
    if not text:
        return None
    return re.sub(r"^(?:par|by|de)\s+", "", text.strip(), flags=re.IGNORECASE) or None
