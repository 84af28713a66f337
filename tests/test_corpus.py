import hashlib
import json

import pandas as pd
import pytest

from cxpress import config
from cxpress.corpus import load_corpus, select_for_analysis

BODY = ("Le groupe Callidis a ouvert un plateau de deux cents conseillers à Rabat pour traiter les appels de ses "
        "clients français. La direction assure que l'intelligence artificielle ne remplacera pas les conseillers "
        "et que la délocalisation reste limitée aux appels de premier niveau. Les syndicats du site de Poitiers "
        "craignent pourtant une baisse des volumes dès l'an prochain et demandent des garanties écrites.")
OTHER = ("La formation des nouveaux conseillers dure désormais six semaines au lieu de trois, avec un tutorat "
         "renforcé sur le plateau, des écoutes croisées chaque vendredi et un parcours certifiant reconnu par la "
         "branche. Les responsables d'équipe notent une baisse nette du turnover depuis la mise en place du dispositif.")
ENGLISH = ("The contact centre provider announced a new artificial intelligence assistant for its agents, "
           "promising shorter handling times and better customer satisfaction across all of its European sites.")


@pytest.fixture
def raw_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "PROCESSED", tmp_path / "processed")
    d = tmp_path / "raw"
    d.mkdir()
    header = "Contact Hebdo — le magazine (fictif) des centres de contact, du BPO et de l'expérience client."
    title = "Callidis ouvre un plateau à Rabat"
    (d / "a.txt").write_text(f"{header}\n{title}\n{title}\nPublié le 12 mars 2014 à 09:15\n{BODY}\nAbonnez-vous maintenant\n",
                             encoding="utf-8")
    (d / "b-cp1252.txt").write_bytes(f"Formation\nFormation\nle 3 mars 2015 à 10:45\n{OTHER}\n".encode("cp1252"))
    (d / "c-utf16.txt").write_bytes(f"Rabat encore\n{BODY.replace('Callidis', 'Voxalia')} En 2016.\n".encode("utf-16"))
    (d / "dup.txt").write_text(f"Relation Client Mag · démo · conseil, CRM et service client\n{title}\n18 juillet 2014\n{BODY}\n",
                               encoding="utf-8")
    (d / "english.txt").write_text(f"Press release\nNew AI assistant\nNovember 12, 2021 10:00 UTC\n{ENGLISH}\n{ENGLISH}\n",
                                   encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "notes.pdf").write_bytes(b"%PDF-1.4")
    (d / "page.html").write_text(f"<html><head><title>{title} (web)</title></head><body><nav>Menu</nav><article>"
                                 f"<h1>Une page</h1><p>{OTHER.replace('six', 'sept')}</p></article></body></html>",
                                 encoding="utf-8")
    rows = [{"title": "Export 1", "date": "2021-04-02", "url": "https://x.example/2021/04/a", "text": OTHER + " Un."},
            {"title": "Export 2", "date": "pas une date", "url": "https://x.example/2019/05/b", "text": BODY + " Deux."}]
    (d / "export.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n",
                                    encoding="utf-8")
    pd.DataFrame([{"titre": "Csv", "date": "15/06/2022", "texte": OTHER + " Trois."}]).to_csv(d / "export.csv", index=False)
    pd.DataFrame([{"title": "Pq", "date": "2016-09-01", "body": OTHER + " Quatre."}]).to_parquet(d / "export.parquet")
    (d / "bad.parquet").write_bytes(b"not parquet")
    return d


def _status(report, name):
    return report[report["path"].str.startswith(name)]


def test_every_problem_file_is_reported_not_dropped_silently(raw_dir):
    loaded = load_corpus(raw_dir, cache=False, progress=False)
    rep = loaded.report
    assert _status(rep, "empty.txt")["reason"].str.contains("empty").all()
    assert _status(rep, "binary.txt")["reason"].str.contains("binary").all()
    assert _status(rep, "notes.pdf")["status"].eq("skipped").all()
    assert _status(rep, "bad.parquet")["reason"].str.contains("unreadable parquet").all()
    assert _status(rep, "export.jsonl:3")["reason"].str.contains("invalid JSON").all()
    assert _status(rep, "b-cp1252.txt")["reason"].str.contains("cp1252").any()
    assert _status(rep, "english.txt")["reason"].str.contains("not French").any()
    read = {p.split("#")[0].split(":")[0] for p in rep["path"]}
    assert read == {p.name for p in raw_dir.iterdir()}


def test_tidy_columns_and_values(raw_dir):
    arts = load_corpus(raw_dir, cache=False, progress=False).articles.set_index("source")
    assert {"doc_id", "url", "title", "date", "year", "date_source", "text_raw", "text", "lang",
            "n_tokens", "dup_of", "tokens"} <= set(arts.columns)
    assert arts.loc["a.txt", "title"] == "Callidis ouvre un plateau à Rabat"
    assert str(arts.loc["a.txt", "date"].date()) == "2014-03-12"
    assert arts.loc["a.txt", "date_source"] == "text"
    assert "Abonnez-vous" not in arts.loc["a.txt", "text"] and "Rabat" in arts.loc["a.txt", "text"]
    assert arts.loc["b-cp1252.txt", "year"] == 2015 and "é" in arts.loc["b-cp1252.txt", "text"]
    assert arts.loc["export.jsonl#1", "date_source"] == "metadata"
    assert arts.loc["export.jsonl#2", "date_source"] == "url" and arts.loc["export.jsonl#2", "year"] == 2019
    assert arts.loc["export.csv#1", "title"] == "Csv" and arts.loc["export.csv#1", "year"] == 2022
    assert arts.loc["english.txt", "lang"] == "en"
    assert arts.loc["export.parquet#1", "year"] == 2016 and arts.loc["export.parquet#1", "date_source"] == "metadata"
    assert "intelligence_artificielle" in arts.loc["a.txt", "tokens"]


def test_duplicates_are_linked_and_excluded_from_analysis(raw_dir):
    arts = load_corpus(raw_dir, cache=False, progress=False).articles
    by_source = arts.set_index("source")
    assert by_source.loc["dup.txt", "dup_of"] == by_source.loc["a.txt", "doc_id"]
    kept = select_for_analysis(arts)
    assert "dup.txt" not in set(kept["source"]) and "english.txt" not in set(kept["source"])
    lean = select_for_analysis(arts, keep_raw=False)
    assert list(lean.columns) == [c for c in kept.columns if c != "text_raw"]
    pd.testing.assert_frame_equal(lean, kept.drop(columns="text_raw"))


def test_cache_is_reused_then_rebuilt_when_an_input_changes(raw_dir):
    first = load_corpus(raw_dir, progress=False)
    second = load_corpus(raw_dir, progress=False)
    assert not first.from_cache and second.from_cache
    pd.testing.assert_frame_equal(first.articles, second.articles)
    (raw_dir / "new.txt").write_text("Nouveau\nNouveau\n" + OTHER.replace("six", "huit"), encoding="utf-8")
    third = load_corpus(raw_dir, progress=False)
    assert not third.from_cache and len(third.articles) == len(first.articles) + 1
    assert load_corpus(raw_dir, progress=False, years=(2012, 2020)).from_cache is False


def test_raw_files_are_never_modified(raw_dir):
    def digest():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in raw_dir.iterdir()}

    before = digest()
    load_corpus(raw_dir, progress=False)
    assert digest() == before


def test_one_or_two_workers_give_the_same_corpus(raw_dir):
    a = load_corpus(raw_dir, cache=False, progress=False, n_jobs=1)
    b = load_corpus(raw_dir, cache=False, progress=False, n_jobs=2)
    pd.testing.assert_frame_equal(a.articles, b.articles)
    pd.testing.assert_frame_equal(a.report, b.report)


def test_only_the_columns_asked_for_are_returned(raw_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "PROCESSED", tmp_path)
    full = load_corpus(raw_dir, progress=False).articles
    for cached in (False, True):  # computed, then read back from the parquet cache
        some = load_corpus(raw_dir, progress=False, cache=cached, columns=["text", "year"]).articles
        assert list(some.columns) == ["doc_id", "year", "text", "lang", "dup_of"]  # + what selection reads
        pd.testing.assert_frame_equal(some, full[list(some.columns)])
        assert len(select_for_analysis(some)) == len(select_for_analysis(full))
    with pytest.raises(ValueError, match="unknown article column"):
        load_corpus(raw_dir, progress=False, columns=["txt"])


def test_bundles_keep_file_order_and_balance_sizes(tmp_path):
    from cxpress.corpus import bundle_files

    files = []
    for i, size in enumerate([10, 10, 10, 10, 500, 10, 10, 10]):
        files.append(tmp_path / f"{i}.txt")
        files[-1].write_bytes(b"x" * size)
    # 570 bytes in 4 bundles: ~143 bytes each; the large file fills the first one on its own
    assert bundle_files(files, 4) == [files[:5], files[5:]]
    assert bundle_files(files[5:], 3) == [[f] for f in files[5:]]
    assert bundle_files(files, 1) == [files]
    assert bundle_files([], 4) == []


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_corpus(tmp_path / "nope", cache=False)
