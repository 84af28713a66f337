"""Descriptive tables of a loaded corpus: articles per year, date sources, lengths, frequent terms."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pandas as pd

from cxpress.counts import encode, token_lists, top_pairs, top_tokens
from cxpress.text.clean import repair_unicode

_NON_WORD = re.compile(r"\W+")


def _comparable(line: str) -> str:
    """A line's case-, punctuation- and space-insensitive form, to find it again after cleaning."""
    return _NON_WORD.sub(" ", (line or "").casefold()).strip()


def source_family(source: str) -> str:
    """The input a row came from: its export file (for `export.jsonl#3`), sub-folder, or file type."""
    path = PurePosixPath(str(source).split("#")[0].replace("\\", "/"))
    if "#" in str(source):
        return path.name
    if len(path.parts) > 1:
        return path.parts[0] + "/"
    return f"*{path.suffix.lower() or '(none)'} files"


def articles_per_outlet(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles per outlet family and outlet, unknown ones shown as "(unknown)" (files at the corpus
    root with no metadata, export field or URL), largest first."""
    known = articles[["outlet_family", "outlet"]].astype(object)
    table = known.where(known.notna(), "(unknown)").value_counts().rename("articles").reset_index()
    table["share"] = (table["articles"] / table["articles"].sum()).round(3)
    return table.sort_values(["articles", "outlet_family", "outlet"], ascending=[False, True, True],
                             ignore_index=True)


def articles_per_year(articles: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """Articles per year and date source, every year of the range present (zeros are real zeros)."""
    table = (articles.dropna(subset=["year"]).groupby(["year", "date_source"]).size()
             .unstack(fill_value=0).reindex(range(years[0], years[1] + 1), fill_value=0))
    table.index.name = "year"
    table["total"] = table.sum(axis=1)
    return table.reset_index()


def date_source_counts(articles: pd.DataFrame) -> pd.DataFrame:
    """How each article got its date or year (text, metadata, url, filename, inferred, missing)."""
    counts = articles["date_source"].value_counts().rename_axis("date_source").rename("n").reset_index()
    counts["share"] = (counts["n"] / counts["n"].sum()).round(3)
    return counts


def length_summary(articles: pd.DataFrame) -> pd.DataFrame:
    """Distribution of article lengths in word tokens (clean text)."""
    return articles["n_tokens"].describe(percentiles=[0.1, 0.5, 0.9]).round(1).to_frame("n_tokens").T


def top_terms(articles: pd.DataFrame, n: int = 25) -> pd.DataFrame:
    """Most frequent lemmas (stop words already removed) with their document frequency."""
    top = top_tokens(encode(token_lists(articles)), n)
    return pd.DataFrame({"lemma": top["token"], "count": top["count"], "n_articles": top["n_docs"]})


def top_bigrams(articles: pd.DataFrame, n: int = 25) -> pd.DataFrame:
    """Most frequent adjacent lemma pairs (after stop-word removal), e.g. 'conseiller client'."""
    top = top_pairs(encode(token_lists(articles)), n)
    return pd.DataFrame({"bigram": top["pair"], "count": top["count"]})


def cleaning_diff(raw: str, clean: str) -> pd.DataFrame:
    """The raw capture line by line, with whether each (non-empty) line survives in the clean text."""
    kept = {_comparable(line) for line in clean.split("\n")}
    lines = [line for line in raw.splitlines() if line.strip()]
    flags = [_comparable(repair_unicode(line)) in kept for line in lines]
    return pd.DataFrame({"raw line": lines, "kept": flags})


def most_cleaned(articles: pd.DataFrame) -> pd.Series:
    """The article whose cleaning removed the most raw lines (a telling before/after example)."""
    removed = articles.apply(lambda a: len(a["text_raw"].splitlines()) - len(a["text"].splitlines()), axis=1)
    return articles.loc[removed.idxmax()]
