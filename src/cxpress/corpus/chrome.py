"""Second cleaning pass from corpus evidence: learn the header and footer lines the corpus repeats
(text/recurring.py), then re-clean the articles in which such a line survived the lexicon or was
taken for the title. Most chrome is caught by the lexicon, so few articles are processed twice."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from cxpress.corpus.articles import (
    SharedTokens,
    TextTools,
    article_frame,
    process_record,
    text_tools,
)
from cxpress.parallel import chunked_map
from cxpress.text.boilerplate import BoilerplateClassifier
from cxpress.text.recurring import RecurringLines, learn_recurring_lines, line_signature
from cxpress.text.unicode import _repair_once

RECORD_COLUMN = "_record"  # process_record keeps the raw record's fields (not its text) for this pass
PARALLEL_ARTICLES = 1_000  # re-cleaned articles from which both cores pay for starting the workers


def _repaired(raws: pd.Series):
    return (_repair_once(raw, "remove") if isinstance(raw, str) else "" for raw in raws)


def learn_corpus_chrome(articles: pd.DataFrame, min_articles: int) -> RecurringLines:
    """The header and footer lines recurring in at least `min_articles` distinct raw captures."""
    return learn_recurring_lines(_repaired(articles["text_raw"]), min_articles=min_articles)


def _survivors(text_raw: str, text: str, title: str, recurring: RecurringLines) -> list[str]:
    """The recurring chrome lines of a capture still in its clean text or taken as its title."""
    chrome = recurring.chrome_lines(text_raw)
    if not chrome:
        return []
    left = {line_signature(line) for line in (text or "").split("\n")} | {line_signature(title or "")}
    return [line for line in chrome if line_signature(line) in left]


def _tools_with(recurring: RecurringLines, token_method: str) -> TextTools:
    tools = text_tools(token_method)
    return replace(tools, classifier=BoilerplateClassifier(tools.classifier.lexicon, recurring))


def reclean_records(records: list[dict], recurring: RecurringLines, infer_years: bool,
                    token_method: str) -> list[dict]:
    """process_record of each raw record with `recurring` chrome removed (run in worker processes)."""
    tools = _tools_with(recurring, token_method)
    return [process_record(r, infer_years=infer_years, token_method=token_method, tools=tools) for r in records]


def reclean_recurring(articles: pd.DataFrame, recurring: RecurringLines, *, infer_years: bool,
                      token_method: str, n_jobs: int | None = None) -> tuple[pd.DataFrame, list[dict]]:
    """The articles with each one whose recurring chrome survived processed again with it removed,
    and one report row per such article (which lines went). Needs the RECORD_COLUMN of process_record.
    On both cores from PARALLEL_ARTICLES articles to re-clean (n_jobs: as in load_corpus)."""
    if not len(recurring) or not len(articles):
        return articles, []
    found = [(i, _survivors(*values, recurring)) for i, values in
             enumerate(zip(*(_repaired(articles["text_raw"]), articles["text"], articles["title"]), strict=True))]
    found = [(i, lines) for i, lines in found if lines]
    if not found:
        return articles, []
    records = [dict(articles[RECORD_COLUMN].iat[i]) | {"raw": articles["text_raw"].iat[i]} for i, _ in found]
    shared = SharedTokens()  # rows from workers: one string object per token type, as in the ingest
    rows = chunked_map(reclean_records, records, recurring, infer_years, token_method, n_jobs=n_jobs,
                       min_items=PARALLEL_ARTICLES, chunk=min(250, max(1, len(records) // 8)), on_chunk=lambda done: shared([(done, [])])[0][0])
    replacement = article_frame(rows).set_axis(articles.index[[i for i, _ in found]])
    articles = pd.concat([articles.drop(index=replacement.index), replacement[articles.columns]]).loc[articles.index]
    report = [{"path": articles["source"].iat[i], "status": "cleaned",
               "reason": f"recurring chrome: {len(lines)} line(s) seen in {recurring.min_articles}+ articles "
                         f"removed ({'; '.join(repr(x[:40]) for x in lines[:3])})"}
              for i, lines in found]
    return articles, report
