"""Response time of each explorer interaction (notebook 05) on a corpus: the first load, then each
query a user makes. Prints a table; not a test.

Usage: python benchmarks/explore_latency.py CORPUS [--topics]
(e.g. python benchmarks/make_corpus.py 10000 /tmp/bench10k --seed 0 first)
"""

from __future__ import annotations

import argparse
import time

from cxpress import config
from cxpress.corpus import analysis_frame
from cxpress.explore import (
    TermExplorer,
    article_cleaning,
    article_copies,
    article_record,
    article_sentiment,
    article_year_cues,
    build_index,
    share_matrix,
    topic_articles,
    topic_neighbours,
    topic_prevalence,
    topic_terms,
)
from cxpress.text import load_term_groups

QUERIES = ["voicebot", "intelligence artificielle", "IA", "voice*", "re:call ?bot", "ai", "client"]


def timed(rows: list, what: str, action):
    start = time.perf_counter()
    result = action()
    rows.append((what, time.perf_counter() - start))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--topics", action="store_true", help="also fit topics (notebook 02's grid, memoised)")
    args = parser.parse_args()
    rows: list[tuple[str, float]] = []
    frame = timed(rows, "first load: corpus from cache (keep_loaded)",
                  lambda: analysis_frame(args.corpus, keep_loaded=True))
    index = timed(rows, "first load: folded text index", lambda: build_index(frame.articles))
    explorer = timed(rows, "first load: every term group's mentions", lambda: TermExplorer(index, groups=load_term_groups()))
    for query in QUERIES:
        timed(rows, f"term {query!r}: search, series, figure, KWIC", lambda q=query: explorer.search(q))
        years = explorer.years.options[-2:]
        timed(rows, f"term {query!r}: KWIC of years {list(years)}", lambda y=years: explorer.show_lines(y))
    doc = frame.articles["doc_id"].iloc[len(frame.articles) // 2]
    loaded = frame.loaded
    timed(rows, "article: record, year cues, copies, cleaning", lambda: (
        article_record(loaded, doc), article_year_cues(loaded, doc), article_copies(loaded, doc),
        article_cleaning(loaded, doc)))
    timed(rows, "article: target sentences scored (rules)", lambda: article_sentiment(loaded, doc, scorer="rules"))
    if args.topics:
        from cxpress.topics import fit_topics

        model = timed(rows, "first load: topics (notebook 02's grid, memoised)", lambda: fit_topics(
            frame.articles, seed=0, k_values=(4, 6, 8, 10, 12), n_boot=200, memory=config.MEMO))
        shares = timed(rows, "first load: topic share matrix", lambda: share_matrix(model))
        timed(rows, "topic: terms, prevalence, articles", lambda: (
            topic_terms(model, 0), topic_prevalence(model, 0), topic_articles(model, frame.articles, 0)))
        timed(rows, "article: nearest articles by topic mix", lambda: topic_neighbours(shares, doc))
    print(f"{frame.describe()}\n")
    width = max(len(what) for what, _ in rows)
    for what, seconds in rows:
        print(f"{what:<{width}}  {seconds:7.2f} s")


if __name__ == "__main__":
    main()
