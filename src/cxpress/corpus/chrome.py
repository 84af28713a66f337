"""Chrome from corpus evidence, in the ingest's two passes: while the files are read, each capture's
short lines are summarised (text/recurring.py) and folded into counts; the lines the corpus repeats
in its headers and footers are then known before any article is cleaned, so every article is
cleaned once, with them. The report names, per article, the lines only recurrence removed."""

from __future__ import annotations

from dataclasses import replace

from cxpress.corpus.articles import CHROME_COLUMN, TextTools, process_record, text_tools
from cxpress.text.boilerplate import BoilerplateClassifier
from cxpress.text.recurring import NO_RECURRING, RecurringLines, article_lines
from cxpress.text.unicode import _repair_once


def _repaired(raw) -> str:
    return _repair_once(raw, "remove") if isinstance(raw, str) else ""


def line_summaries(records: list[dict]) -> list[tuple[bytes, frozenset]]:
    """article_lines of each raw record, in order (run where the records are read)."""
    return [article_lines(_repaired(r["raw"])) for r in records]


def _tools_with(recurring: RecurringLines, token_method: str) -> TextTools:
    tools = text_tools(token_method)
    if not len(recurring):
        return tools
    return replace(tools, classifier=BoilerplateClassifier(tools.classifier.lexicon, recurring))


def process_records(records: list[dict], recurring: RecurringLines = NO_RECURRING, infer_years: bool = True,
                    token_method: str = "lemma") -> list[dict]:
    """process_record of each raw record with `recurring` chrome removed too; each row's CHROME_COLUMN
    lists the recurring lines cleaning with the lexicon alone would have kept (run in worker processes)."""
    tools = _tools_with(recurring, token_method)
    return [process_record(rec, infer_years=infer_years, token_method=token_method, tools=tools) for rec in records]


def chrome_report(rows: list[dict], recurring: RecurringLines) -> list[dict]:
    """One 'cleaned' report row per article whose recurring lines only recurrence removed."""
    return [{"path": row["source"], "status": "cleaned",
             "reason": f"recurring chrome: {len(lines)} line(s) seen in {recurring.min_articles}+ articles "
                       f"removed ({'; '.join(repr(x[:40]) for x in lines[:3])})"}
            for row in rows if (lines := row.get(CHROME_COLUMN))]
