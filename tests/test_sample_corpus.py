"""The embedded demo corpus loads as its truth tables say (tests/data/sample_truth_*.csv)."""

import pandas as pd
import pytest

from cxpress import config
from cxpress.corpus import load_corpus, select_for_analysis

TRUTH_DIR = config.ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def sample():
    truth = pd.concat([pd.read_csv(p, dtype=str) for p in sorted(TRUTH_DIR.glob("sample_truth_*.csv"))])
    loaded = load_corpus(config.SAMPLE, cache=False, progress=False)
    return loaded, truth.set_index("file")


def test_demo_corpus_spans_every_year_with_enough_articles(sample):
    loaded, truth = sample
    originals = truth[truth["dup_of"].isna() & truth["true_year"].notna()]
    per_year = originals["true_year"].astype(int).value_counts()
    period = range(config.YEAR_MIN, config.YEAR_MAX + 1)
    assert set(period) <= set(per_year.index)
    assert per_year.reindex(period).min() >= 4
    kept = select_for_analysis(loaded.articles)
    assert len(kept) >= 90


def test_stated_dates_match_the_truth(sample):
    loaded, truth = sample
    arts = loaded.articles.set_index("source")
    stated = arts[arts["date_source"].isin(["text", "metadata", "url", "filename"])]
    assert len(stated) >= 60
    wrong = [(s, str(r.date)[:10], truth.loc[s, "true_date"]) for s, r in stated.iterrows()
             if s in truth.index and str(r.date)[:7] != truth.loc[s, "true_date"][:7]]
    assert not wrong


def test_special_files_are_handled(sample):
    loaded, truth = sample
    arts, rep = loaded.articles.set_index("source"), loaded.report
    assert rep.loc[rep["path"] == "contacthebdo-brouillon-vide.txt", "status"].tolist() == ["dropped"]
    assert arts.loc["press-release-english.txt", "lang"] == "en"
    assert "Ã" not in arts.loc["blogcx-quinze-jours-sur-les-plateaux.txt", "text"]
    repaired = rep[rep["path"] == "blogcx-quinze-jours-sur-les-plateaux.txt"]
    assert "mojibake" in " ".join(repaired["reason"])
    assert arts.loc["ecomaghreb-rabat-ecole-teleconseillers.txt", "encoding"] == "cp1252"
    assert arts.loc["rcmag-penurie-candidats-salaires.txt", "lang"] == "fr"
    ids = arts["doc_id"]
    for file, original in truth["dup_of"].dropna().items():
        assert arts.loc[file, "dup_of"] == ids[original], file


def test_press_database_exports_give_outlets_and_keep_republished_ones(sample):
    loaded, truth = sample
    arts = loaded.articles.set_index("source")
    exported = arts[arts.index.str.contains(r"^(?:europresse|factiva)-demo-", regex=True)]
    assert len(exported) == 7 and exported["outlet"].notna().all() and exported["outlet_family"].notna().all()
    assert set(exported["outlet_family"]) == {"trade", "regional", "national", "maghreb_africa"}
    republished = arts.loc["europresse-demo-2015-2023.html#4"]
    assert republished["dup_of"] == arts.loc["europresse-demo-2015-2023.html#2", "doc_id"]
    assert republished["outlet"] == "Le Courrier du Client (démo)"  # the copy keeps its own outlet
    rows = loaded.report[loaded.report["path"].str.contains("demo-20.*#", regex=True)]
    left_out = rows[rows["status"].isin(["excluded", "dropped"])]
    assert left_out["path"].tolist() == ["europresse-demo-2015-2023.html#4"]  # only the republication
