"""The article viewer's answers as frames: an article's metadata and date evidence, its raw capture
line by line with what cleaning removed, its copies, and the sentiment of its target sentences."""

from __future__ import annotations

import warnings

import pandas as pd

from cxpress.corpus.overview import cleaning_diff
from cxpress.memory import MemoryLike
from cxpress.sentiment import score_sentences, target_sentences
from cxpress.text.years import year_cues

RECORD_FIELDS = ["doc_id", "title", "outlet", "outlet_family", "source", "url", "author", "date", "year",
                 "date_source", "date_note", "date_updated", "year_inferred", "year_confidence", "lang",
                 "n_tokens", "dup_of"]
TARGETS = ("ai", "offshoring")


def find_article(articles: pd.DataFrame, doc_id: str) -> pd.Series:
    """The article with this doc_id, or a ValueError naming it."""
    rows = articles[articles["doc_id"].astype(str) == str(doc_id)]
    if rows.empty:
        raise ValueError(f"no article with doc_id {doc_id!r} in the corpus")
    return rows.iloc[0]


def article_record(articles: pd.DataFrame, doc_id: str) -> pd.DataFrame:
    """The article's metadata as (field, value) rows: where it comes from, its date and how it was
    found, the year its content points to and the confidence of that guess, its duplicate link."""
    article = find_article(articles, doc_id)
    fields = [f for f in RECORD_FIELDS if f in article.index]
    return pd.DataFrame({"field": fields, "value": [article[f] for f in fields]})


def article_cleaning(articles: pd.DataFrame, doc_id: str) -> pd.DataFrame:
    """The raw capture line by line and whether each line survives cleaning (kept False: chrome,
    repeated title, date line, paywall... removed); needs the raw texts (keep_loaded=True)."""
    article = find_article(articles, doc_id)
    if "text_raw" not in article.index or pd.isna(article["text_raw"]):
        raise ValueError("no raw text for this article: load the corpus with analysis_frame(..., keep_loaded=True)")
    return cleaning_diff(str(article["text_raw"]), str(article["text"]))


def article_year_cues(articles: pd.DataFrame, doc_id: str) -> pd.DataFrame:
    """The cues the year inference weighs in the article's title and text (kind, year, confidence)."""
    article = find_article(articles, doc_id)
    title = article.get("title")
    text = f"{title}\n{article['text']}" if isinstance(title, str) and title else str(article["text"])
    cues = pd.DataFrame(year_cues(text), columns=["kind", "year", "confidence"])
    return cues.drop_duplicates().sort_values(["kind", "year"]).reset_index(drop=True)


def article_copies(articles: pd.DataFrame, doc_id: str) -> pd.DataFrame:
    """The article's other copies (the first copy and its republications, linked by dup_of)."""
    article = find_article(articles, doc_id)
    if "dup_of" not in articles:
        return pd.DataFrame(columns=["doc_id", "outlet", "source", "date", "dup_of"])
    first = article["dup_of"] if pd.notna(article["dup_of"]) else article["doc_id"]
    ids, dups = articles["doc_id"].astype(str), articles["dup_of"].astype(str)
    copies = articles[((ids == str(first)) | (dups == str(first))) & (ids != str(article["doc_id"]))]
    columns = [c for c in ("doc_id", "outlet", "source", "date", "dup_of") if c in copies]
    return copies[columns].reset_index(drop=True)


def article_sentiment(articles: pd.DataFrame, doc_id: str, *, targets=TARGETS, scorer="classifier",
                      memory: MemoryLike = None) -> pd.DataFrame:
    """Each sentence of the article that mentions a target (AI, offshoring), scored as in notebook 04
    (target, sentence, label, score); empty when it mentions none."""
    article = find_article(articles, doc_id)
    one = pd.DataFrame([article[[c for c in ("doc_id", "year", "text") if c in article.index]]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an article without a target sentence is an answer, not a problem
        found = target_sentences(one, list(targets))
    if found.empty:
        return pd.DataFrame(columns=["target", "sentence", "label", "score"])
    return score_sentences(found, scorer, memory=memory)[["target", "sentence", "label", "score"]]
