"""Articles out, for cross-checking in other tools: IRaMuTeQ (one .txt, a `****` line of starred
variables per text), TXM (one .txt per article + metadata.csv) and a CSV table, each with optional
extra variables (dominant topic, sentiment labels) joined by doc_id."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

FORMATS = ("iramuteq", "txm", "csv")
META_COLUMNS = ["doc_id", "source", "outlet", "outlet_family", "title", "author", "date", "year", "url", "lang",
                "n_tokens", "dup_of"]
IRAMUTEQ_VARIABLES = ("outlet", "outlet_family", "year", "month")  # the starred variables of every text
# IRaMuTeQ splits *name_value at the first "_": a variable's name has none
IRAMUTEQ_NAMES = {"outlet_family": "family"}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_HEADER = re.compile(r"^\*{4}(?:\s+|$)")


def ascii_name(value: object) -> str:
    """A value as IRaMuTeQ and TXM accept in names: lower-case ASCII letters, digits and "_".

    >>> ascii_name("L'Économiste (Maroc)")
    'l_economiste_maroc'
    """
    folded = unicodedata.normalize("NFKD", str(value).casefold())
    return _NOT_ALNUM.sub("_", folded.encode("ascii", "ignore").decode()).strip("_")


def topic_variables(doc_topics: pd.DataFrame) -> pd.DataFrame:
    """doc_id, dominant `topic` and one `topic_weight_<k>` column per topic, from TopicModel.doc_topics."""
    wide = doc_topics.pivot_table(index="doc_id", columns="topic", values="weight", aggfunc="sum", fill_value=0.0)
    out = pd.DataFrame({"doc_id": wide.index, "topic": wide.idxmax(axis=1).to_numpy()})
    for topic in wide.columns:
        out[f"topic_weight_{topic}"] = wide[topic].to_numpy()
    return out.reset_index(drop=True)


def sentiment_variables(scored: pd.DataFrame) -> pd.DataFrame:
    """doc_id and one column per target holding its most frequent sentence label in the article
    (ties: the label first in sorted order), from score_sentences' output (doc_id, target, label)."""
    counts = scored.groupby(["doc_id", "target", "label"]).size().rename("n").reset_index()
    top = counts.sort_values(["doc_id", "target", "n", "label"], ascending=[True, True, False, True])
    wide = top.drop_duplicates(["doc_id", "target"]).pivot(index="doc_id", columns="target", values="label")
    return wide.rename(columns=lambda t: ascii_name(t)).rename_axis(columns=None).reset_index()


def export_frame(articles: pd.DataFrame, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The articles' metadata, `month` (YYYY_MM) and text, plus the columns of `extra` (with a
    doc_id column) joined on doc_id; articles missing from `extra` get empty values."""
    columns = [c for c in META_COLUMNS if c in articles]
    out = articles[columns].copy()
    dates = pd.to_datetime(out["date"], errors="coerce") if "date" in out else pd.Series(pd.NaT, index=out.index)
    out["month"] = dates.dt.strftime("%Y_%m").where(dates.notna(), None)
    out["text"] = articles["text"].fillna("")
    if extra is not None:
        if "doc_id" not in extra:
            raise ValueError("extra variables need a doc_id column to join them to the articles")
        clash = sorted((set(extra.columns) - {"doc_id"}) & set(out.columns))
        if clash:
            raise ValueError(f"extra column(s) {clash} would replace article columns: rename them")
        out = out.merge(extra, on="doc_id", how="left", validate="one_to_one")
        for column in extra.columns.drop("doc_id"):  # a topic number stays 3, not 3.0, beside missing ones
            values = out[column]
            if pd.api.types.is_float_dtype(values) and values.dropna().mod(1).eq(0).all() and \
                    pd.api.types.is_integer_dtype(extra[column]):
                out[column] = values.astype("Int64")
    return out.reset_index(drop=True)


def _clean_body(title: str, text: str) -> str:
    """Title then text, without "*" (IRaMuTeQ reads it as markup) nor carriage returns."""
    body = f"{title}\n{text}" if title else text
    return body.replace("*", " ").replace("\r", "")


def iramuteq_name(column: str) -> str:
    """A column's IRaMuTeQ variable name: ASCII without "_" ("outlet_family" -> "family")."""
    return IRAMUTEQ_NAMES.get(column, ascii_name(column).replace("_", ""))


def iramuteq_line(row: pd.Series, variables: list[str]) -> str:
    """The `**** *name_value ...` line of one text; a missing value leaves its variable out.

    >>> iramuteq_line(pd.Series({"outlet": "Le Monde", "year": 2014, "month": "2014_05"}),
    ...               ["outlet", "year", "month"])
    '**** *outlet_le_monde *year_2014 *month_2014_05'
    """
    stars = [f"*{iramuteq_name(name)}_{ascii_name(row[name])}" for name in variables
             if pd.notna(row[name]) and ascii_name(row[name])]
    return " ".join(["****", *stars])


def write_iramuteq(frame: pd.DataFrame, path: str | Path, variables: list[str] | None = None) -> Path:
    """One UTF-8 .txt for IRaMuTeQ: per article its `****` line, then its title and text.
    `variables` default to outlet, outlet_family, year, month and the extra columns that are not
    decimal numbers (a topic number, a label; a weight is no category)."""
    path = Path(path)
    categorical = [c for c in extra_columns(frame) if not pd.api.types.is_float_dtype(frame[c])]
    variables = variables or [*IRAMUTEQ_VARIABLES, *categorical]
    missing = sorted(set(variables) - set(frame.columns))
    if missing:
        raise ValueError(f"unknown variable(s) {missing}: choose among {', '.join(frame.columns)}")
    chunks = [f"{iramuteq_line(row, variables)}\n{_clean_body(row['title'] or '', row['text'])}\n"
              for _, row in frame.fillna({"title": ""}).iterrows()]
    path.write_text("\n".join(chunks), encoding="utf-8")
    return path


def read_iramuteq(path: str | Path) -> pd.DataFrame:
    """An IRaMuTeQ corpus back as a frame: one row per text, one column per starred variable
    (name before the first "_", value after it) and `text`."""
    rows, current = [], None
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if _HEADER.match(line):
            variables = {}
            for star in line.split()[1:]:
                if not star.startswith("*") or "_" not in star:
                    raise ValueError(f"{path}: {star!r} is not a *name_value variable")
                name, value = star[1:].split("_", 1)
                variables[name] = value
            current = {**variables, "text": []}
            rows.append(current)
        elif current is not None:
            current["text"].append(line)
    return pd.DataFrame([{**r, "text": "\n".join(r["text"]).strip()} for r in rows])


def extra_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of `frame` that came from extra variables (neither metadata, month nor text)."""
    return [c for c in frame.columns if c not in {*META_COLUMNS, "month", "text"}]


def write_txm(frame: pd.DataFrame, folder: str | Path) -> Path:
    """One <doc_id>.txt per article and metadata.csv for TXM's TXT+CSV import: its first column `id`
    is the file name without ".txt" (TXM's rule), column names ASCII."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for row in frame.fillna({"title": ""}).itertuples():
        (folder / f"{row.doc_id}.txt").write_text(f"{row.title}\n{row.text}\n" if row.title else f"{row.text}\n",
                                                   encoding="utf-8")
    meta = frame.drop(columns=["text", "doc_id"]).rename(columns=ascii_name)
    meta.insert(0, "id", frame["doc_id"].astype(str))
    meta.to_csv(folder / "metadata.csv", index=False, encoding="utf-8")
    return folder


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """The frame as UTF-8 CSV (XLSX is not written: openpyxl is not a dependency of the project)."""
    path = Path(path)
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


def export_corpus(articles: pd.DataFrame, out: str | Path, fmt: str, *, extra: pd.DataFrame | None = None,
                  name: str = "corpus") -> Path:
    """Write `articles` (and `extra` variables) under `out` in one of FORMATS: `<name>_iramuteq.txt`,
    the folder `<name>_txm/`, or `<name>.csv`; returns what was written."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    frame = export_frame(articles, extra)
    if fmt == "iramuteq":
        return write_iramuteq(frame, out / f"{name}_iramuteq.txt")
    if fmt == "txm":
        return write_txm(frame, out / f"{name}_txm")
    return write_table(frame, out / f"{name}.csv")
