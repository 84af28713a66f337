"""The pipeline a typical analyst writes first, kept deliberately plain and fair (the benchmark's yardstick).

Usage: python benchmarks/naive_baseline.py CORPUS [--json STAGES.json] [--out DIR]

Read the files in a loop into pandas, a regex for dates, lower + \\w+ tokens, an NLTK Snowball stem
of every token, list.count for ~20 terms then groupby year, CountVectorizer() + NMF(15) with
defaults, sentences matched by a re.search per term, a Python loop over a small inline lexicon
with a 3-token negation window, groupby year mean. Same kinds of outputs as cxpress: per-year term
counts, 15 topics, per-year sentiment. No cleaning, no dedup, no language filter, no lemmas.
"""

from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path

import pandas as pd
from nltk.stem.snowball import FrenchStemmer
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import CountVectorizer

TERMS = ["ia", "intelligence", "chatbot", "callbot", "robot", "automatisation", "algorithme", "chatgpt",
         "offshore", "nearshore", "délocalisation", "maroc", "tunisie", "madagascar", "maurice",
         "sénégal", "relocalisation", "télétravail", "rgpd", "omnicanal"]
TARGETS = {
    "ai": ["ia", "intelligence artificielle", "chatbot", "callbot", "voicebot", "robot", "chatgpt",
           "automatisation", "machine learning"],
    "offshoring": ["offshore", "nearshore", "délocalisation", "maroc", "tunisie", "madagascar",
                   "maurice", "sénégal", "relocalisation"],
}
LEXICON = {
    "efficace": 1, "gain": 1, "gains": 1, "amélioration": 1, "améliorer": 1, "progrès": 1, "succès": 1,
    "réussite": 1, "satisfaction": 1, "satisfaits": 1, "qualité": 1, "performant": 1, "utile": 1,
    "opportunité": 1, "croissance": 1, "innovation": 1, "rapide": 1, "simple": 1, "fiable": 1, "bon": 1,
    "risque": -1, "risques": -1, "menace": -1, "destruction": -1, "suppression": -1, "suppressions": -1,
    "licenciement": -1, "licenciements": -1, "échec": -1, "erreur": -1, "erreurs": -1, "problème": -1,
    "problèmes": -1, "crainte": -1, "inquiétude": -1, "frustration": -1, "colère": -1, "mauvais": -1,
    "précarité": -1, "stress": -1, "fermeture": -1, "déception": -1,
}
NEGATIONS = {"ne", "n", "pas", "plus", "jamais", "sans", "aucun", "aucune", "ni"}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
DATE_RE = re.compile(r"(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})|(\d{2})/(\d{2})/(\d{4})|(\d{4})-(\d{2})-(\d{2})")


def read_corpus(folder: Path) -> pd.DataFrame:
    """Every .txt/.html/.jsonl/.csv file under the folder, one row per article."""
    rows = []
    for path in sorted(folder.rglob("*")):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix == ".txt":
            rows.append({"path": str(path), "text": path.read_text(encoding="utf-8", errors="replace"), "meta": None})
        elif path.suffix == ".html":
            page = path.read_text(encoding="utf-8", errors="replace")
            rows.append({"path": str(path), "text": html.unescape(re.sub(r"<[^>]+>", "\n", page)), "meta": None})
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                rows.append({"path": str(path), "text": record["text"], "meta": record.get("date")})
        elif path.suffix == ".csv":
            for record in pd.read_csv(path).to_dict("records"):
                rows.append({"path": str(path), "text": record["text"], "meta": record.get("date")})
    return pd.DataFrame(rows)


def find_year(text: str, meta) -> int | None:
    """Year of the first date in the metadata or the text, else None."""
    for value in (meta, text):
        if isinstance(value, str):
            m = DATE_RE.search(value)
            if m:
                return int(m.group(3) or m.group(6) or m.group(7))
    return None


def count_terms(df: pd.DataFrame, stemmer: FrenchStemmer) -> pd.DataFrame:
    """Occurrences of each term's stem per year (list.count per article, then groupby)."""
    for term in TERMS:
        stem = stemmer.stem(term)
        df[term] = df["stems"].apply(lambda stems, s=stem: stems.count(s))
    return df.groupby("year")[TERMS].sum()


def fit_topics(df: pd.DataFrame) -> pd.DataFrame:
    """CountVectorizer() + NMF(n_components=15), defaults; top ten words per topic."""
    vectorizer = CountVectorizer()
    matrix = vectorizer.fit_transform(df["stems"].apply(" ".join))
    model = NMF(n_components=15, random_state=0).fit(matrix)
    words = vectorizer.get_feature_names_out()
    return pd.DataFrame({"topic": range(15),
                         "top_words": [" ".join(words[i] for i in row.argsort()[::-1][:10]) for row in model.components_]})


def find_target_sentences(df: pd.DataFrame) -> pd.DataFrame:
    """Sentences with a target term (one re.search per term and sentence)."""
    rows = []
    for text, year in zip(df["text"], df["year"], strict=True):
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            for target, terms in TARGETS.items():
                if any(re.search(term, sentence, re.IGNORECASE) for term in terms):
                    rows.append({"year": year, "target": target, "sentence": sentence})
    return pd.DataFrame(rows, columns=["year", "target", "sentence"])


def score_sentence(sentence: str) -> int:
    """Sum of lexicon polarities, flipped when a negation is among the three previous tokens."""
    tokens = re.findall(r"\w+", sentence.lower())
    score = 0
    for i, token in enumerate(tokens):
        if token in LEXICON:
            negated = any(t in NEGATIONS for t in tokens[max(0, i - 3) : i])
            score += -LEXICON[token] if negated else LEXICON[token]
    return score


def run(folder: Path, log=None) -> dict[str, pd.DataFrame]:
    """The whole naive pipeline; `log` (a measure.StageLog) times each stage when given."""
    from contextlib import nullcontext

    def stage(name, **counts):
        return log.stage(name, **counts) if log else nullcontext({})

    stemmer = FrenchStemmer()
    with stage("read (loop + pandas)"):
        df = read_corpus(folder)
    n = len(df)
    with stage("regex dates", articles=n):
        df["year"] = [find_year(t, m) for t, m in zip(df["text"], df["meta"], strict=True)]
    with stage("lower + \\w+ + Snowball stems", articles=n) as row:
        df["tokens"] = df["text"].apply(lambda t: re.findall(r"\w+", t.lower()))
        df["stems"] = df["tokens"].apply(lambda tokens: [stemmer.stem(t) for t in tokens])
        words = int(df["tokens"].map(len).sum())
        row["words"] = words
    with stage("term counts per year (list.count)", articles=n, words=words):
        counts = count_terms(df, stemmer)
    with stage("CountVectorizer + NMF k=15", articles=n, words=words):
        topics = fit_topics(df)
    with stage("sentences + lexicon sentiment", articles=n, words=words):
        sentences = find_target_sentences(df)
        sentences["score"] = sentences["sentence"].apply(score_sentence)
        sentiment = sentences.groupby(["target", "year"])["score"].agg(["mean", "size"]).reset_index()
    for row in log.rows if log else []:
        row["articles"], row["words"] = row.get("articles") or n, row.get("words") or words
    return {"term_counts": counts.reset_index(), "topics": topics, "sentiment": sentiment}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="folder of article files")
    parser.add_argument("--json", type=Path, help="write stage timings here (benchmarks/run.py reads it)")
    parser.add_argument("--out", type=Path, help="write the three output tables here as CSV")
    args = parser.parse_args(argv)
    log = None
    if args.json:
        from measure import StageLog  # sibling module: this script's folder is on sys.path

        log = StageLog("naive", str(args.corpus), args.json)
    outputs = run(args.corpus, log)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, table in outputs.items():
            table.to_csv(args.out / f"{name}.csv", index=False)
    if log:
        log.info = {"outputs": {k: len(v) for k, v in outputs.items()}}
        log.write()
    for name, table in outputs.items():
        print(f"{name}: {len(table)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
