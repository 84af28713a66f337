"""Exports for IRaMuTeQ, TXM and CSV, each read back."""

import re
from pathlib import Path

import pandas as pd
import pytest

from cxpress.cli import main
from cxpress.exports import (
    ascii_name,
    export_corpus,
    export_frame,
    read_iramuteq,
    sentiment_variables,
    topic_variables,
)

EXPORTS = Path(__file__).parent / "data" / "exports"
STAR = re.compile(r"^\*[a-z0-9]+_[a-z0-9_]+$")  # *name_value: ASCII, no space, no "_" in the name


@pytest.fixture()
def articles():
    return pd.DataFrame({
        "doc_id": ["a1", "b2", "c3"], "source": ["x.html#1", "x.html#2", "y/z.txt"],
        "outlet": ["L'Économiste (Maroc)", "Le Monde", None], "outlet_family": ["maghreb_africa", "national", None],
        "title": ["Casablanca * recrute", "Télétravail", None], "author": [None, "Anne Roy", None],
        "date": pd.to_datetime(["2014-05-12", "2021-02-02", None]), "year": pd.array([2014, 2021, 2019], "Int64"),
        "url": [None, None, None], "lang": ["fr"] * 3, "n_tokens": [10, 12, 8], "dup_of": [None] * 3,
        "text": ["Les plateaux * recrutent.\n**** pas une ligne de variables", "Un accord est signé.", "Sans date."],
    })


def test_ascii_names():
    assert ascii_name("Maghreb/Afrique — presse éco") == "maghreb_afrique_presse_eco"
    assert ascii_name(2014) == "2014"


def test_iramuteq_header_grammar_and_bodies(articles, tmp_path):
    extra = pd.DataFrame({"doc_id": ["a1", "b2"], "topic": [3, 0], "ai": ["neg", "pos"]})
    path = export_corpus(articles, tmp_path, "iramuteq", extra=extra)
    lines = path.read_text(encoding="utf-8").split("\n")
    headers = [line for line in lines if line.startswith("****")]
    assert len(headers) == 3
    assert headers[0] == "**** *outlet_l_economiste_maroc *family_maghreb_africa *year_2014 *month_2014_05 *topic_3 *ai_neg"
    assert headers[2] == "**** *year_2019"  # unknown outlet, month and topic: left out, not "nan"
    for header in headers:
        assert all(STAR.match(star) for star in header.split()[1:]), header
    bodies = [line for line in lines if not line.startswith("****")]
    assert not any("*" in line for line in bodies)  # no star left to be read as markup
    back = read_iramuteq(path)
    assert back["outlet"].tolist()[:2] == ["l_economiste_maroc", "le_monde"]
    assert back["topic"].tolist()[:2] == ["3", "0"] and pd.isna(back["topic"].iloc[2])
    assert back["text"].iloc[1] == "Télétravail\nUn accord est signé."


def test_txm_pairs_each_file_with_its_metadata_row(articles, tmp_path):
    folder = export_corpus(articles, tmp_path, "txm")
    meta = pd.read_csv(folder / "metadata.csv", dtype=str)
    assert meta.columns[0] == "id" and all(c.isascii() and " " not in c for c in meta.columns)
    files = sorted(p.stem for p in folder.glob("*.txt"))
    assert sorted(meta["id"]) == files == ["a1", "b2", "c3"]
    row = meta.set_index("id").loc["b2"]
    assert row["outlet"] == "Le Monde" and row["year"] == "2021" and row["month"] == "2021_02"
    assert (folder / "b2.txt").read_text(encoding="utf-8") == "Télétravail\nUn accord est signé.\n"


def test_csv_round_trip_with_topic_weights_and_labels(articles, tmp_path):
    doc_topics = pd.DataFrame({"doc_id": ["a1", "a1", "b2", "b2"], "topic": [0, 1, 0, 1],
                               "weight": [0.2, 0.7, 0.5, 0.1]})
    scored = pd.DataFrame({"doc_id": ["a1", "a1", "a1", "b2"], "target": ["ai", "ai", "offshoring", "ai"],
                           "label": ["neg", "neg", "pos", "neu"]})
    extra = topic_variables(doc_topics).merge(sentiment_variables(scored), on="doc_id", how="outer")
    path = export_corpus(articles, tmp_path, "csv", extra=extra)
    back = pd.read_csv(path, dtype={"doc_id": str}).set_index("doc_id")
    assert back.loc["a1", "topic"] == 1 and back.loc["b2", "topic"] == 0
    assert back.loc["a1", "topic_weight_1"] == pytest.approx(0.7)
    assert back.loc["a1", "ai"] == "neg" and back.loc["a1", "offshoring"] == "pos" and back.loc["b2", "ai"] == "neu"
    assert pd.isna(back.loc["c3", "topic"])
    assert back.loc["a1", "text"].startswith("Les plateaux")


def test_bad_requests_are_refused(articles, tmp_path):
    with pytest.raises(ValueError, match="format"):
        export_corpus(articles, tmp_path, "lexico")
    with pytest.raises(ValueError, match="doc_id"):
        export_frame(articles, pd.DataFrame({"topic": [1]}))
    with pytest.raises(ValueError, match="replace article columns"):
        export_frame(articles, pd.DataFrame({"doc_id": ["a1"], "title": ["x"]}))


def test_cli_exports_a_press_database_export_to_iramuteq(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("cxpress.config.PROCESSED", tmp_path / "cache")
    assert main(["export", "--format", "iramuteq", "--corpus", str(EXPORTS), "--out", str(tmp_path / "out")]) == 0
    back = read_iramuteq(tmp_path / "out" / "corpus_iramuteq.txt")
    assert len(back) == 6 and "6 articles written" in capsys.readouterr().out
    assert set(back["family"]) == {"trade", "regional", "maghreb_africa", "national"}
    assert main(["export", "--format", "txm", "--corpus", str(tmp_path / "absent"), "--out", str(tmp_path)]) == 2
