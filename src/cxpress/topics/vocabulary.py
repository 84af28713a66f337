"""Topic vocabulary free of artefacts: interview initials, names of people and firms quoted in a few
articles, terms of a handful of articles or of one outlet, single words that only occur inside a pair.

Each rule reads evidence from the corpus (the document-term counts, the clean text's capitals and
line-start speaker markers, the articles' outlets), not from hand lists, so it carries over to
outlets the project has never seen. Excluded terms are returned with their reason, for the report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from cxpress.corpus.overview import source_family
from cxpress.topics.matrix import DocumentTerms

# reason -> what it means, in the order a term is tested (a term gets the first reason that fits)
ARTEFACTS = {
    "initials": "interview speaker initials (written \"EC :\" at the start of a line)",
    "name": "a person's or firm's name (written capitalised mid-sentence) quoted in few articles",
    "outlet": "found in one outlet only, which chance would rarely give",
    "handful": "most of its occurrences sit in a handful of articles",
    "inside pair": "a word that nearly always occurs inside one two-word term, which is kept instead",
}
HANDFUL = 3  # articles: a term whose occurrences mostly sit in 3 articles describes them, not a topic
HANDFUL_SHARE = 0.8  # ... "mostly": four in five of its occurrences
# Being in few articles only makes a term rare (min_df decides on rarity); it is an artefact when
# those few articles repeat it, as a press release repeats its company's name.
HANDFUL_REPEATS = 3  # mean occurrences in each of its heaviest articles that make it "repeated"
MARKER_SHARE = 0.5  # a short term written as a line-start speaker marker at least this often is initials
NAME_SHARE = 0.5  # a term written capitalised mid-sentence at least this often is a proper name
# Proper names in fewer than 1 % of the articles are people and firms quoted, not subjects; the
# countries and cities the trade talks about (Maroc, Tunisie) are found in more.
NAME_SPREAD = 0.01
OUTLET_CHANCE = 0.01  # all of a term's articles in one outlet when (outlet's share) ** articles < 1 %
PAIR_SHARE = 0.9  # a word with 9 in 10 of its occurrences inside one kept pair adds nothing to it

SPEAKER = re.compile(r"^[\W_]{0,3}([A-ZÀ-ÖØ-Þ]{1,3})\s?:", re.MULTILINE)
# a capitalised word after a word, comma or bracket and one space: not a sentence's first word (the
# capital is matched before the look back, so the engine skips to capitals: 2.5x faster, same matches)
CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ](?<=[\w,;)] [A-ZÀ-ÖØ-Þ])[a-zà-öø-ÿ][\w-]*")
EXCLUDED_COLUMNS = ["term", "reason", "n_articles", "count", "evidence"]


def article_outlets(articles: pd.DataFrame) -> pd.Series | None:
    """Each article's outlet: the `outlet` column when every article has one, else the source's folder
    or export file, else the URL's host; None when fewer than two outlets can be told apart (a flat
    folder of files). A partly known outlet column is not used: its unknown rows would form one
    spurious outlet."""
    if "outlet" in articles and len(articles) and articles["outlet"].notna().all():
        outlets = articles["outlet"]
    elif "source" in articles and articles["source"].astype(str).str.contains(r"[/\\#]").any():
        outlets = articles["source"].astype(str).map(source_family)
    elif "url" in articles and articles["url"].notna().any():
        outlets = articles["url"].str.extract(r"^\w+://(?:www\.)?([^/]+)", expand=False)
    else:
        return None
    outlets = outlets.reset_index(drop=True)
    return outlets if outlets.nunique() >= 2 else None


def count_text_evidence(texts: Iterable[str], normalise: Callable[[str], str]) -> tuple[Counter, Counter]:
    """(speaker markers, capitalised mid-sentence words) counted over the texts, as lower-case tokens."""
    # text by text: one findall over the joined corpus held every match at once (hundreds of MB at
    # 10k articles, and the process kept that memory for the analyses after it)
    markers: Counter = Counter()
    capitalised: Counter = Counter()
    for text in texts:
        if isinstance(text, str):
            markers.update(m.lower() for m in SPEAKER.findall(text))
            capitalised.update(CAPITALISED.findall(text))
    names: Counter = Counter()
    for word, n in capitalised.items():
        names[normalise(word.lower())] += n
    return markers, names


def _top_share(counts: sparse.csc_matrix, n: int) -> np.ndarray:
    """Each column's share of its total in its n largest entries (its n heaviest articles)."""
    columns = np.repeat(np.arange(counts.shape[1]), np.diff(counts.indptr))
    order = np.lexsort((-counts.data, columns))
    rank = np.arange(counts.nnz) - counts.indptr[columns[order]]
    top = np.bincount(columns[order][rank < n], weights=counts.data[order][rank < n], minlength=counts.shape[1])
    totals = np.bincount(columns, weights=counts.data, minlength=counts.shape[1])
    return np.divide(top, totals, out=np.zeros_like(top), where=totals > 0)


def _one_outlet(counts: sparse.csc_matrix, outlets: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(flag, outlet code) per column: all its articles in one outlet, unlikely by chance."""
    codes, names = pd.factorize(outlets)
    share = np.bincount(codes[codes >= 0], minlength=len(names)) / max(1, len(codes))
    rows = codes[counts.indices]
    columns = np.repeat(np.arange(counts.shape[1]), np.diff(counts.indptr))
    first = np.full(counts.shape[1], -1)
    first[columns[::-1]] = rows[::-1]  # the outlet of each column's first article
    mixed = np.bincount(columns[rows != first[columns]], minlength=counts.shape[1]) > 0
    df = np.diff(counts.indptr)
    chance = np.where(first >= 0, share[np.maximum(first, 0)], 1.0) ** df
    return (~mixed) & (first >= 0) & (chance < OUTLET_CHANCE), np.asarray(names, dtype=object)[np.maximum(first, 0)]


def find_artefact_terms(articles: pd.DataFrame, dtm: DocumentTerms, normalise: Callable[[str], str],
                        reasons: Iterable[str] = tuple(ARTEFACTS)) -> pd.DataFrame:
    """The vocabulary terms each rule in `reasons` leaves out (term, reason, n_articles, count, evidence).

    `articles` are the rows of `dtm` (their `text` gives the capitals and speaker markers);
    `normalise` maps a lower-case word to its token (the tokenizer's lemma). Pairs containing an
    excluded initials or name go with it.
    """
    unknown = set(reasons) - set(ARTEFACTS)
    if unknown:
        raise ValueError(f"unknown artefact rule(s) {sorted(unknown)}; valid: {list(ARTEFACTS)}")
    reasons = [r for r in ARTEFACTS if r in set(reasons)]
    counts = dtm.counts.tocsc()
    vocabulary = np.asarray(dtm.vocabulary, dtype=object)
    total = np.asarray(counts.sum(axis=0)).ravel().astype(float)
    df = np.diff(counts.indptr)
    single = np.array([" " not in t for t in vocabulary], dtype=bool)
    reason = np.full(len(vocabulary), "", dtype=object)
    evidence = np.full(len(vocabulary), "", dtype=object)

    def mark(flags: np.ndarray, name: str, notes) -> None:
        new = flags & (reason == "")
        reason[new] = name
        evidence[new] = np.asarray(notes, dtype=object)[new] if not isinstance(notes, str) else notes

    texts = articles["text"] if "text" in articles else pd.Series([], dtype=object)
    if {"initials", "name"} & set(reasons):
        markers, names = count_text_evidence(texts, normalise)
        as_marker = np.array([markers.get(t, 0) for t in vocabulary], dtype=float)
        as_name = np.array([names.get(t, 0) for t in vocabulary], dtype=float)
        if "initials" in reasons:
            flags = single & (np.char.str_len(vocabulary.astype(str)) <= 3) & (as_marker >= MARKER_SHARE * total)
            notes = [f"{int(m)} of {int(c)} as a speaker marker" for m, c in zip(as_marker, total, strict=True)]
            mark(flags, "initials", notes)
        if "name" in reasons:
            spread = max(HANDFUL + 1, NAME_SPREAD * dtm.n_docs)
            flags = single & (as_name >= NAME_SHARE * total) & (df < spread)
            mark(flags, "name", [f"capitalised {int(m)} of {int(c)} times" for m, c in zip(as_name, total, strict=True)])
        _drop_pairs_of(vocabulary, single, reason, evidence)
    outlets = article_outlets(articles) if "outlet" in reasons else None
    if outlets is not None and len(outlets) == counts.shape[0]:
        flags, where = _one_outlet(counts, outlets)
        mark(flags, "outlet", [f"all {n} articles in {o}" for n, o in zip(df, where, strict=True)])
    if "handful" in reasons:
        share = _top_share(counts, HANDFUL)
        notes = [f"{s:.0%} in {min(n, HANDFUL)} articles" for s, n in zip(share, df, strict=True)]
        repeats = share * total / np.minimum(np.maximum(df, 1), HANDFUL)
        concentrated = (share >= HANDFUL_SHARE) & (repeats >= HANDFUL_REPEATS)
        mark(concentrated, "handful", notes)
    if "inside pair" in reasons:
        _mark_inside_pairs(vocabulary, single, total, reason, evidence)
    out = reason != ""
    return pd.DataFrame({"term": vocabulary[out], "reason": reason[out], "n_articles": df[out],
                         "count": total[out].astype(int), "evidence": evidence[out]},
                        columns=EXCLUDED_COLUMNS).sort_values(["reason", "count"], ascending=[True, False],
                                                              ignore_index=True)


def _drop_pairs_of(vocabulary: np.ndarray, single: np.ndarray, reason: np.ndarray, evidence: np.ndarray) -> None:
    """Give each kept pair containing an excluded initials or name that word's reason."""
    excluded = {t: r for t, r in zip(vocabulary[single], reason[single], strict=True) if r}
    if not excluded:
        return
    for i in np.flatnonzero(~single & (reason == "")):
        for word in vocabulary[i].split(" "):
            if word in excluded:
                reason[i], evidence[i] = excluded[word], f"contains {word!r}"
                break


def _mark_inside_pairs(vocabulary: np.ndarray, single: np.ndarray, total: np.ndarray, reason: np.ndarray,
                       evidence: np.ndarray) -> None:
    """Exclude single words found PAIR_SHARE of the time inside one pair that stays."""
    position = {t: i for i, t in enumerate(vocabulary)}
    best = np.zeros(len(vocabulary))
    best_pair = np.full(len(vocabulary), "", dtype=object)
    for i in np.flatnonzero(~single & (reason == "")):
        for word in set(vocabulary[i].split(" ")):
            j = position.get(word)
            if j is not None and total[j] > 0 and total[i] / total[j] > best[j]:
                best[j], best_pair[j] = total[i] / total[j], vocabulary[i]
    flags = single & (reason == "") & (best >= PAIR_SHARE)
    reason[flags] = "inside pair"
    evidence[flags] = [f"{b:.0%} inside {p!r}" for b, p in zip(best[flags], best_pair[flags], strict=True)]


def drop_terms(dtm: DocumentTerms, terms: Iterable[str]) -> DocumentTerms:
    """The document-term matrices without `terms` (TF-IDF recomputed on the remaining counts)."""
    drop = set(terms)
    keep = np.flatnonzero([t not in drop for t in dtm.vocabulary])
    if len(keep) == 0:
        raise ValueError("every term was excluded as an artefact: keep some with exclude_artefacts=()")
    counts = dtm.counts[:, keep].tocsr()
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts.astype(np.float32)).tocsr()
    return DocumentTerms(counts, tfidf, dtm.vocabulary[keep], dtm.doc_ids, dtm.years)
