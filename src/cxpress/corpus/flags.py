"""What looks wrong in a loaded corpus, as load-report rows: articles excluded from the analyses (not
French, duplicates, no body) and articles kept but flagged (undated, inferred year, very long, a title
shared with another text, alone in their year or outlet)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxpress.corpus.articles import RELATIVE_NOTE

# Fewer words than this after cleaning is no article: a title, a date line or a navigation page left.
MIN_BODY_WORDS = 25
# More words than this is several articles or a dump in one file (trade-press articles: 200-3,000).
MAX_ARTICLE_WORDS = 20_000
TITLE_MIN_WORDS = 3  # shorter shared titles ("Édito", "Interview") are rubrics, not a sign of trouble


def has_body(articles: pd.DataFrame) -> pd.Series:
    """Whether each article kept at least MIN_BODY_WORDS words after cleaning (n_tokens, else the
    words of `text`; a frame with neither, built by hand, is taken as all body)."""
    if "n_tokens" in articles:
        return articles["n_tokens"].fillna(0).astype(int) >= MIN_BODY_WORDS
    if "text" in articles:
        return articles["text"].fillna("").str.split().str.len() >= MIN_BODY_WORDS
    return pd.Series(True, index=articles.index)


def _analysable(articles: pd.DataFrame) -> pd.Series:
    return has_body(articles) & articles["lang"].eq("fr") & articles["dup_of"].isna()


def _shared_titles(articles: pd.DataFrame, analysable: pd.Series) -> pd.Series:
    """Per article, the source of another analysable article with the same title and a different text
    ('' when none): a series, or one article cut in two by an export."""
    # plain lists: pandas' string methods and a groupby over every title took 0.25 s at 10k articles
    keys = [" ".join(t.casefold().split()) if isinstance(t, str) else "" for t in articles["title"].tolist()]
    groups: dict[str, list[int]] = {}
    for position in np.flatnonzero(analysable.to_numpy(bool)).tolist():
        if keys[position].count(" ") + 1 >= TITLE_MIN_WORDS:
            groups.setdefault(keys[position], []).append(position)
    sources, other = articles["source"].tolist(), [""] * len(articles)
    for positions in groups.values():
        if len(positions) > 1:
            first, second = sources[positions[0]], sources[positions[1]]
            for p in positions:
                other[p] = second if sources[p] == first else first
    return pd.Series(other, index=articles.index, dtype=object)


def _alone(articles: pd.DataFrame, analysable: pd.Series, column: str) -> pd.Series:
    """Whether each analysable article is the only one of its value of `column` (NA never alone)."""
    if column not in articles:
        return pd.Series(False, index=articles.index)
    values = articles[column].where(analysable)
    counts = values.map(values.value_counts(dropna=True))
    return (counts == 1).fillna(False).astype(bool) & values.notna()


def article_flags(articles: pd.DataFrame) -> list[dict]:
    """Report rows for articles kept in the table but excluded or flagged for analyses (with the
    per-article _mojibake_repaired flag): per article in table order, in the order of the checks."""
    by_id = dict(zip(articles["doc_id"], articles["source"], strict=True))
    # a short text in another language is reported as such; "und" on a short text means nothing is left
    no_body = ~has_body(articles) & articles["lang"].isin(["fr", "und"])
    analysable = _analysable(articles)
    twin = _shared_titles(articles, analysable)
    checks = [  # (mask, status, reason of each flagged article)
        (articles["_mojibake_repaired"].astype(bool), "repaired", lambda a: "mojibake: repaired with ftfy"),
        (no_body, "excluded", lambda a: f"no body: {a['n_tokens']} words left after cleaning (title, date or "
                                        f"navigation only; fewer than {MIN_BODY_WORDS})"),
        (~no_body & (articles["lang"] != "fr"), "excluded", lambda a: f"language: {a['lang']} (not French)"),
        (articles["dup_of"].notna(), "excluded", lambda a: f"duplicate: of {by_id[a['dup_of']]}"),
        (articles["n_tokens"].fillna(0) > MAX_ARTICLE_WORDS, "flagged",
         lambda a: f"very long: {a['n_tokens']:,} words (likely several articles or a dump in one file: split it)"),
        (twin.ne(""), "flagged", lambda a: f"same title, different text: as {a['twin']} (a series, or one "
                                           "article split in two?)"),
        (~no_body & articles["year"].isna(), "flagged", lambda a: "undated: no date and no year evidence"),
        (~no_body & (articles["date_source"] == "inferred"), "flagged",
         lambda a: f"inferred year: {a['year']} (no date line)"),
        (~no_body & articles["date_note"].fillna("").str.contains(RELATIVE_NOTE, regex=False), "flagged",
         lambda a: RELATIVE_NOTE + a["date_note"].split(RELATIVE_NOTE)[1].split(";")[0]),
        (_alone(articles, analysable, "year"), "flagged",
         lambda a: f"only article of {a['year']}: that year's estimates rest on it alone"),
        (_alone(articles, analysable, "outlet"), "flagged",
         lambda a: f"only article of outlet {a['outlet']}: that outlet's estimates rest on it alone"),
    ]
    found = []  # (article position, check number, row)
    values = {c: articles[c].tolist() for c in ["source", "lang", "dup_of", "year", "date_note", "n_tokens"]}
    values["twin"] = twin.tolist()
    values["outlet"] = articles["outlet"].tolist() if "outlet" in articles else [None] * len(articles)
    for number, (mask, status, reason) in enumerate(checks):
        for position in np.flatnonzero(mask.to_numpy(bool)):
            a = {c: column[position] for c, column in values.items()}
            found.append((position, number, {"path": a["source"], "status": status, "reason": reason(a)}))
    return [row for _, _, row in sorted(found, key=lambda f: (f[0], f[1]))]
