"""Topics of the corpus: TF-IDF on lemma tokens and bigrams, NMF with a principled k, tidy tables."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from cxpress.comparisons import attach_groups, group_estimates
from cxpress.config import LEXICONS, read_yaml
from cxpress.memory import MemoryLike
from cxpress.parallel import resolve_jobs
from cxpress.text.tokens import default_tokenizer
from cxpress.topics.matrix import MAX_TERMS, DocumentTerms, load_topic_stopwords, vectorise_tokens
from cxpress.topics.quality import (
    MAX_SAMPLE_DOCS,
    Resampling,
    choose_k,
    factorise_memoised,
    feasible_k,
    heaviest_first,
    select_k_memoised,
)
from cxpress.topics.vocabulary import ARTEFACTS, EXCLUDED_COLUMNS, drop_terms, find_artefact_terms
from cxpress.yearly import yearly_estimates_and_trends

DEFAULT_K_VALUES = tuple(range(5, 31, 5))
TREND_COLUMNS = ["topic", "label", "slope", "ci_low", "ci_high", "p_value", "n_years", "direction",
                 "first_year", "last_year", "n_sparse_years"]
PREVALENCE_COLUMNS = ["topic", "year", "estimate", "ci_low", "ci_high", "n_articles", "sparse"]
MIN_LABEL_OVERLAP = 2  # a YAML label needs two of its terms among a topic's top terms
PARALLEL_ABOVE = 1000  # articles; below, a fit takes less than starting a worker process


@dataclass(frozen=True)
class TopicParams:
    """Every tunable of fit_topics, with the reason for its default."""

    min_df: int | float = 2  # a term seen in one article cannot tie articles into a topic
    max_df: float = 0.5  # terms in over half the articles are the corpus's common ground
    bigrams: bool = True  # "centre appel" style pairs carry meaning single lemmas lose
    max_terms: int | None = MAX_TERMS  # vocabulary cap (most frequent first): rarer terms never rank
    k_values: tuple[int, ...] | None = None  # grid scored by select_k (default 5-30 when k is None)
    n_stability_runs: int = 5  # resampled fits per k; Greene et al. use more, 5 keeps it fast
    sample_frac: float = 0.8  # share of articles in each resample (Greene et al.'s 80 %)
    max_sample_docs: int | None = MAX_SAMPLE_DOCS  # cap on a resample's articles (large corpora)
    method: str = "auto"  # "nmf", "minibatch" or "auto" (MiniBatchNMF above minibatch_above)
    minibatch_above: int = 20_000  # articles; below this full-batch NMF is fast and exact
    n_top: int = 15  # top terms reported per topic
    n_boot: int = 1000  # bootstrap resamples of articles for prevalence and trend CIs
    years: tuple[int, int] | None = None  # prevalence span (default: first to last dated year)
    min_articles: int = 5  # a year with fewer articles is flagged sparse and left out of the trend
    n_representative: int = 3  # articles shown per topic
    n_jobs: int | None = None  # k-grid worker processes (None: config.N_JOBS from PARALLEL_ABOVE articles)
    stopwords_path: str | None = None  # corpus stop list (default data/lexicons/topic_stopwords.yml)
    labels_path: str | None = None  # editable labels (default data/lexicons/topic_labels.yml)
    # artefact rules applied to the vocabulary (cxpress.topics.vocabulary.ARTEFACTS); () keeps every term
    exclude_artefacts: tuple[str, ...] = tuple(ARTEFACTS)


@dataclass(frozen=True)
class TopicModel:
    """A fitted topic model as tidy tables (see fit_topics)."""

    k: int
    terms: pd.DataFrame  # topic, rank, term, weight
    topics: pd.DataFrame  # topic, label, auto_label, top_terms, size, mean_share
    doc_topics: pd.DataFrame  # doc_id, year, topic, weight, share
    prevalence: pd.DataFrame  # topic, year, estimate (mean share), ci_low, ci_high, n_articles, sparse
    trends: pd.DataFrame  # topic, label, slope, ci_low, ci_high, p_value, n_years, direction, ...
    representative: pd.DataFrame  # topic, label, rank, doc_id, title, year, weight, share, snippet
    similarity: pd.DataFrame  # topic_a, topic_b, similarity
    selection: pd.DataFrame | None
    document_terms: DocumentTerms = field(repr=False)
    info: dict = field(default_factory=dict)
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EXCLUDED_COLUMNS), repr=False)


def load_topic_labels(path: str | Path | None = None) -> list[dict]:
    """Researcher-written labels [{label, terms}] from data/lexicons/topic_labels.yml."""
    path = Path(path) if path else LEXICONS / "topic_labels.yml"
    entries = (read_yaml(path) or {}).get("labels") or []
    return [{"label": str(e["label"]), "terms": [str(t) for t in e["terms"]]} for e in entries]


def check_k(k: int, dtm: DocumentTerms) -> None:
    """Refuse a k the corpus cannot support, saying what to change."""
    if not feasible_k([k], dtm.n_docs, dtm.n_terms):
        raise ValueError(
            f"k={k} is too large for {dtm.n_docs} non-empty articles and {dtm.n_terms} terms "
            f"(each topic needs at least 2 articles and k must be below the vocabulary size): "
            f"use k <= {max(2, min(dtm.n_docs // 2, dtm.n_terms - 1))}, add articles, or lower min_df."
        )


def fit_topics(articles: pd.DataFrame, k: int | None = None, seed: int = 0, *, memory: MemoryLike = None,
               **params) -> TopicModel:
    """Fit NMF topics on the articles' tokens; k=None picks k on the grid by NPMI and stability.

    Params are the fields of TopicParams. A given k with `k_values` still scores the grid (for the plot).
    `memory` (a folder or joblib.Memory) memoises the k grid and the final fit: a rerun on the same
    corpus reads them back.
    """
    unknown = set(params) - set(TopicParams.__dataclass_fields__)
    if unknown:
        raise ValueError(f"unknown topic parameter(s) {sorted(unknown)}; "
                         f"valid: {', '.join(TopicParams.__dataclass_fields__)}")
    p = TopicParams(**params)
    start = time.perf_counter()
    stopwords = load_topic_stopwords(p.stopwords_path)
    dtm = vectorise_tokens(articles, min_df=p.min_df, max_df=p.max_df, bigrams=p.bigrams,
                           max_terms=p.max_terms, stopwords=stopwords)
    excluded = find_artefact_terms(articles, dtm, default_tokenizer("lemma").normalise, p.exclude_artefacts)
    dtm = drop_terms(dtm, excluded["term"]) if len(excluded) else dtm
    method = p.method if p.method != "auto" else ("minibatch" if dtm.n_docs > p.minibatch_above else "nmf")
    selection = None
    if k is None or p.k_values is not None:
        resampling = Resampling(p.n_stability_runs, p.sample_frac, p.max_sample_docs)
        selection = select_k_memoised(dtm, p.k_values or DEFAULT_K_VALUES, memory, method=method, seed=seed,
                                      resampling=resampling,
                                      n_jobs=resolve_jobs(p.n_jobs, dtm.n_docs, min_items=PARALLEL_ABOVE))
        k = choose_k(selection) if k is None else k
    check_k(k, dtm)
    weights, components = factorise_memoised(dtm, k, seed, method, memory)
    terms = tabulate_terms(components, dtm.vocabulary, p.n_top)
    topics = tabulate_topics(terms, weights, load_topic_labels(p.labels_path))
    doc_topics = tabulate_doc_topics(weights, dtm)
    prevalence, trends = estimate_prevalence(doc_topics, p.years, p.n_boot, seed, p.min_articles)
    labels = topics.set_index("topic")["label"]
    info = {"k": k, "seed": seed, "method": method, "n_articles": len(articles), "n_docs": dtm.n_docs,
            "n_empty": len(articles) - dtm.n_docs, "n_terms": dtm.n_terms, "n_excluded": len(excluded),
            "n_undated": int(dtm.years.isna().sum()), "fit_seconds": time.perf_counter() - start,
            "params": p}
    return TopicModel(
        k=k, terms=terms, topics=topics, doc_topics=doc_topics, prevalence=prevalence,
        trends=trends.assign(label=trends["topic"].map(labels))[TREND_COLUMNS],
        representative=pick_representative(articles, doc_topics, labels, p.n_representative),
        similarity=topic_similarity(components), selection=selection, document_terms=dtm, info=info,
        excluded=excluded,
    )


def tabulate_terms(components: np.ndarray, vocabulary: np.ndarray, n_top: int) -> pd.DataFrame:
    """Each topic's n_top heaviest terms with their weights (zero-weight terms left out)."""
    order = heaviest_first(components, n_top)
    rows = [(topic, rank + 1, vocabulary[i], float(components[topic, i]))
            for topic, ids in enumerate(order) for rank, i in enumerate(ids) if components[topic, i] > 0]
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def assign_labels(top_terms: dict[int, list[str]], labels: list[dict]) -> dict[int, str]:
    """Give each YAML label to the topic sharing most of its terms (one topic per label, overlap >= 2)."""
    if not labels or not top_terms:
        return {}
    topics = list(top_terms)
    overlap = np.array([[len(set(top_terms[t]) & set(e["terms"])) for e in labels] for t in topics])
    rows, cols = linear_sum_assignment(overlap, maximize=True)
    return {topics[r]: labels[c]["label"] for r, c in zip(rows, cols, strict=True)
            if overlap[r, c] >= MIN_LABEL_OVERLAP}


def tabulate_topics(terms: pd.DataFrame, weights: np.ndarray, labels: list[dict]) -> pd.DataFrame:
    """One row per topic: YAML or automatic label, top terms, articles it dominates, mean share."""
    top = terms.groupby("topic")["term"].apply(list).to_dict()
    named = assign_labels(top, labels)
    shares = _row_shares(weights)
    dominant = np.where(np.isnan(shares).all(axis=1), -1, np.nanargmax(np.nan_to_num(shares, nan=-1), axis=1))
    rows = []
    for topic in range(weights.shape[1]):
        auto = " / ".join(top.get(topic, [])[:3]) or f"topic {topic}"
        rows.append({"topic": topic, "label": named.get(topic, auto), "auto_label": auto,
                     "top_terms": ", ".join(top.get(topic, [])), "size": int((dominant == topic).sum()),
                     "mean_share": float(np.nanmean(shares[:, topic])) if len(shares) else np.nan})
    return pd.DataFrame(rows)


def _row_shares(weights: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1 (NaN for an article no topic explains)."""
    totals = weights.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, weights / totals, np.nan)


def tabulate_doc_topics(weights: np.ndarray, dtm: DocumentTerms) -> pd.DataFrame:
    """Long document-topic table: raw NMF weight and the topic's share of the article's weight."""
    n_docs, k = weights.shape
    return pd.DataFrame({
        "doc_id": np.repeat(dtm.doc_ids, k), "year": np.repeat(dtm.years.to_numpy(), k),
        "topic": np.tile(np.arange(k), n_docs), "weight": weights.ravel(),
        "share": _row_shares(weights).ravel(),
    }).astype({"year": "Int64"})


def estimate_prevalence(doc_topics: pd.DataFrame, years: tuple[int, int] | None, n_boot: int, seed: int,
                        min_articles: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean topic share per year with article-bootstrap CIs, and each topic's linear trend (share
    per year), both by cxpress.yearly from the same bootstrap draws.

    Years without articles stay in the table as NaN (gaps, not zeros); sparse years are flagged
    and left out of the trend. Undated articles and those no topic explains are left out.
    """
    values = doc_topics.dropna(subset=["share"])
    options = {"by": "topic", "numerator": "share", "years": years, "n_boot": n_boot, "seed": seed,
               "min_articles": min_articles}
    prevalence, trends = yearly_estimates_and_trends(values, **options)
    return prevalence[PREVALENCE_COLUMNS], trends


def prevalence_by_group(doc_topics: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet_family",
                        periods: list[list[int]] | None = None, n_boot: int = 1000, seed: int = 0,
                        min_articles: int = 5) -> pd.DataFrame:
    """Mean topic share per group of `by` (an article column; missing: "unknown") and, with
    `periods`, per period, with the article-bootstrap CI and sparse flag of the yearly prevalence
    (cxpress.comparisons). Articles no topic explains are left out, as in estimate_prevalence."""
    values = attach_groups(doc_topics.dropna(subset=["share"]), articles, by)
    return group_estimates(values, by=by, per="topic", numerator="share", periods=periods, n_boot=n_boot,
                           seed=seed, min_articles=min_articles)


def pick_representative(articles: pd.DataFrame, doc_topics: pd.DataFrame, labels: pd.Series,
                        n: int) -> pd.DataFrame:
    """The n articles with the heaviest weight on each topic, with title, year and a text snippet."""
    top = (doc_topics[doc_topics["weight"] > 0].sort_values(["topic", "weight"], ascending=[True, False])
           .groupby("topic").head(n))
    # the first row of each chosen article only: snippets of every article took 0.3 s at 10k
    chosen = ~articles["doc_id"].duplicated() & articles["doc_id"].isin(top["doc_id"])
    meta = articles.loc[chosen, [c for c in ("doc_id", "title", "text") if c in articles]].set_index("doc_id")
    text = meta["text"] if "text" in meta else pd.Series("", index=meta.index)
    return top.assign(
        label=top["topic"].map(labels), rank=top.groupby("topic").cumcount() + 1,
        title=top["doc_id"].map(meta["title"]) if "title" in meta else "",
        snippet=top["doc_id"].map(text.fillna("").map(make_snippet)),
    )[["topic", "label", "rank", "doc_id", "title", "year", "weight", "share", "snippet"]].reset_index(drop=True)


def make_snippet(text: str, length: int = 240) -> str:
    """The text's first `length` characters on one line, cut at a word boundary."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= length else flat[:length].rsplit(" ", 1)[0] + " …"


def topic_similarity(components: np.ndarray) -> pd.DataFrame:
    """Cosine similarity of every pair of topic-term vectors, long form."""
    norms = np.linalg.norm(components, axis=1, keepdims=True)
    unit = np.divide(components, norms, out=np.zeros_like(components), where=norms > 0)
    matrix = unit @ unit.T
    k = len(matrix)
    return pd.DataFrame({"topic_a": np.repeat(np.arange(k), k), "topic_b": np.tile(np.arange(k), k),
                         "similarity": matrix.ravel()})
