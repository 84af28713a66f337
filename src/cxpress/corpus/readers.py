"""Read one input file (.txt, .html, .jsonl, .csv, .parquet) into raw article records + report rows.

Part of corpus loading (the only file reading besides corpus.py): every problem becomes a report row.
HTML is told apart by content: a Europresse or Factiva export (europresse.py, factiva.py) yields one
record per article, any other page one record; a .txt file holding such an export is read as one too.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

from cxpress.corpus.decode import DecodeError, decode_bytes
from cxpress.corpus.europresse import europresse_articles
from cxpress.corpus.factiva import factiva_articles
from cxpress.corpus.press_exports import detect_export, looks_like_html
from cxpress.corpus.webpages import html_to_text

SUPPORTED = {".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson", ".csv", ".parquet"}
TEXT_FIELDS = ("text", "body", "content", "article", "texte", "contenu", "text_raw")
TITLE_FIELDS = ("title", "titre", "headline")
DATE_FIELDS = ("date", "published", "published_at", "publication_date", "date_publication", "pub_date")
URL_FIELDS = ("url", "link", "lien", "permalink")
OUTLET_FIELDS = ("outlet", "source", "journal", "publication", "media", "média", "titre_journal")
AUTHOR_FIELDS = ("author", "auteur", "authors", "auteurs", "byline", "signature")
EXPORT_READERS = {"europresse": europresse_articles, "factiva": factiva_articles}


def _first_named(row: dict, names: tuple[str, ...]) -> tuple[str | None, object]:
    """The first of `names` (case-insensitive) with a non-blank value in `row`, and that value."""
    lowered = {str(k).lower(): v for k, v in row.items()}
    for name in names:
        value = lowered.get(name)
        if value is not None and not (isinstance(value, float) and value != value) and str(value).strip():
            return name, value
    return None, None


def _first(row: dict, names: tuple[str, ...]):
    return _first_named(row, names)[1]


def _record(source: str, filename: str, raw: str, *, title=None, url=None, meta_date=None,
            encoding: str = "utf-8", outlet=None, author=None) -> dict:
    return {"source": source, "filename": filename, "raw": raw, "title": title, "url": url,
            "meta_date": None if meta_date is None else str(meta_date), "encoding": encoding,
            "outlet": None if outlet is None else str(outlet), "author": None if author is None else str(author)}


def text_fields_used(used: Counter) -> str:
    """Which column held the text, for the load report ("text from column 'body'"), from the count
    of rows per TEXT_FIELDS name (_rows_to_records), each name counted when they differ."""
    if not used:
        return "no text column"
    if len(used) == 1:
        return f"text from column {next(iter(used))!r}"
    return "text from columns " + ", ".join(f"{name!r} ({n})" for name, n in used.most_common())


def _rows_to_records(rows: list[dict], rel: str, filename: str) -> tuple[list[dict], list[dict], Counter]:
    """Records of table rows, report rows of those without text, and the rows per text column used."""
    records, report, used = [], [], Counter()
    for n, row in enumerate(rows, start=1):
        field, text = _first_named(row, TEXT_FIELDS)
        if text is None:
            report.append({"path": f"{rel}#{n}", "status": "dropped",
                           "reason": f"no text field: expected one of {', '.join(TEXT_FIELDS)}"})
            continue
        used[field] += 1
        records.append(_record(f"{rel}#{n}", filename, str(text), title=_first(row, TITLE_FIELDS),
                               url=_first(row, URL_FIELDS), meta_date=_first(row, DATE_FIELDS),
                               outlet=_first(row, OUTLET_FIELDS), author=_first(row, AUTHOR_FIELDS)))
    return records, report, used


def _parse_jsonl(text: str, rel: str) -> tuple[list[dict], list[dict]]:
    rows, report = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            report.append({"path": f"{rel}:{n}", "status": "dropped", "reason": f"invalid JSON line: {err.msg} (column {err.colno})"})
            continue
        if not isinstance(obj, dict):
            report.append({"path": f"{rel}:{n}", "status": "dropped", "reason": "JSON line is not an object"})
            continue
        rows.append(obj)
    return rows, report


def _read_export(kind: str, text: str, rel: str, filename: str, encoding: str,
                 status: str) -> tuple[list[dict], list[dict]]:
    """One record per readable article of a press-database export (source `file#position`), one
    report row per article that is not (file#position, the reason)."""
    records, bad = [], []
    for n, item in enumerate(EXPORT_READERS[kind](text), start=1):
        if isinstance(item, str):
            bad.append({"path": f"{rel}#{n}", "status": "dropped", "reason": f"{kind} article unreadable: {item}"})
            continue
        records.append(_record(f"{rel}#{n}", filename, item["raw"], title=item["title"], meta_date=item["meta_date"],
                               encoding=encoding, outlet=item["outlet"], author=item["author"]))
    if not records and not bad:
        return [], [{"path": rel, "status": "dropped", "reason": f"{kind} export: no article found"}]
    summary = {"path": rel, "status": status, "reason": f"{kind} export: {len(records)} articles, {len(bad)} unreadable"}
    return records, [summary, *bad]


def read_file(path: Path, root: Path) -> tuple[list[dict], list[dict]]:
    """Raw records of one file and its report rows; never raises on bad content."""
    rel = str(path.relative_to(root)) if path != root else path.name
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as err:
        return [], [{"path": rel, "status": "dropped", "reason": f"unreadable: {err.strerror or err}"}]
    if suffix == ".parquet":
        import pandas as pd  # here: the ingest's workers read text and HTML without it

        try:
            frame = pd.read_parquet(io.BytesIO(data))
        except Exception as err:  # noqa: BLE001 - any parquet failure is reported, not raised
            return [], [{"path": rel, "status": "dropped", "reason": f"unreadable parquet: {err}"}]
        records, report, used = _rows_to_records(frame.to_dict("records"), rel, path.name)
        reason = f"parquet: {len(records)} articles, {text_fields_used(used)}"
        return records, [{"path": rel, "status": "loaded", "reason": reason}, *report]
    try:
        decoded = decode_bytes(data)
    except DecodeError as err:
        return [], [{"path": rel, "status": "dropped", "reason": f"{err}"}]
    how = f"decoded as {decoded.encoding}" + (" (fallback)" if decoded.fallback else "")
    status = "repaired" if decoded.fallback else "loaded"
    html_page = suffix in (".html", ".htm")
    if html_page or (suffix in (".txt", ".text") and looks_like_html(decoded.text)):  # an export saved as .txt
        kind = detect_export(decoded.text)
        if kind is not None:
            return _read_export(kind, decoded.text, rel, path.name, decoded.encoding, status)
    if html_page:
        page = html_to_text(decoded.text)
        rec = _record(rel, path.name, page.text, title=page.title, meta_date=page.date_str,
                      encoding=decoded.encoding)
        return [rec], [{"path": rel, "status": status, "reason": f"html: {how}"}]
    if suffix in (".jsonl", ".ndjson"):
        rows, report = _parse_jsonl(decoded.text, rel)
    elif suffix == ".csv":
        import pandas as pd

        try:
            rows, report = pd.read_csv(io.StringIO(decoded.text), dtype=str).to_dict("records"), []
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            return [], [{"path": rel, "status": "dropped", "reason": f"unreadable CSV: {err}"}]
    else:
        if not decoded.text.strip():
            return [], [{"path": rel, "status": "dropped", "reason": "empty file (no text)"}]
        rec = _record(rel, path.name, decoded.text, encoding=decoded.encoding)
        return [rec], [{"path": rel, "status": status, "reason": f"text: {how}"}]
    records, bad, used = _rows_to_records(rows, rel, path.name)
    summary = {"path": rel, "status": status,
               "reason": f"{suffix[1:]}: {len(records)} articles, {text_fields_used(used)}, {how}"}
    return records, [summary, *report, *bad]
