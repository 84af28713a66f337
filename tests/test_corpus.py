import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from cxpress import config
from cxpress.corpus import analysis_frame, load_corpus, select_for_analysis, selection_report

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
    assert load_corpus(raw_dir, progress=False, near_dup_threshold=0.9).from_cache is False


def test_a_changed_period_reads_the_cache_and_selects_other_rows(raw_dir):
    first = analysis_frame(raw_dir, (2010, 2024))
    narrow = analysis_frame(raw_dir, (2015, 2020))
    assert narrow.fingerprint == first.fingerprint
    assert load_corpus(raw_dir, progress=False).from_cache  # the second frame was read from it too
    assert set(first.articles["source"]) == {"a.txt", "b-cp1252.txt"}  # 2014 and 2015
    assert set(narrow.articles["source"]) == {"b-cp1252.txt"}


def test_the_period_report_lists_dated_articles_outside_it(raw_dir):
    arts = load_corpus(raw_dir, cache=False, progress=False).articles
    assert "out of range" not in " ".join(load_corpus(raw_dir, cache=False, progress=False).report["reason"])
    outside = selection_report(arts, (2015, 2020)).set_index("path")
    assert outside.loc["a.txt", "reason"] == "out of range: year 2014 outside 2015-2020"
    assert set(outside["status"]) == {"flagged"}
    assert set(outside.index) == set(arts.loc[arts["year"].notna() & ~arts["year"].between(2015, 2020), "source"])
    assert selection_report(arts, (2010, 2024)).empty


def test_analysis_frame_gives_the_selection_its_report_and_what_to_print(raw_dir):
    frame = analysis_frame(raw_dir, (2015, 2022))
    loaded = load_corpus(raw_dir, progress=False)
    pd.testing.assert_frame_equal(frame.articles,
                                  select_for_analysis(loaded.articles, (2015, 2022), keep_raw=False))
    assert frame.loaded is None and "text_raw" not in frame.articles.columns
    assert frame.n_loaded == len(loaded.articles) and frame.fingerprint == loaded.fingerprint
    assert frame.describe().startswith(f"{raw_dir.name}: {len(loaded.articles)} articles loaded, "
                                       f"{len(frame.articles)} analysed")
    assert len(frame.report) == len(loaded.report) + 2  # a.txt (2014) and dup.txt (2014) out of the period
    assert frame.summary().set_index(["status", "reason"]).loc[("flagged", "out of range"), "n"] == 2
    full = analysis_frame(raw_dir, (2015, 2022), keep_loaded=True)
    pd.testing.assert_frame_equal(full.loaded, loaded.articles)
    assert "text_raw" in full.articles.columns


def test_inferred_years_can_be_left_out_of_the_selection(raw_dir):
    body = ("Au salon Stratégie Clients 2018, les éditeurs ont présenté des assistants qui résument chaque appel "
            "pour le conseiller. Les directeurs de centres de contact interrogés en 2018 hésitent encore : le coût "
            "des licences et la formation des équipes pèsent davantage que la promesse de gains de productivité.")
    (raw_dir / "undated.txt").write_text(f"Salon\nSalon\n{body}\n", encoding="utf-8")
    arts = load_corpus(raw_dir, cache=False, progress=False).articles.set_index("source")
    assert arts.loc["undated.txt", "date_source"] == "inferred"
    stated = analysis_frame(raw_dir, include_inferred=False)
    assert "undated.txt" in set(analysis_frame(raw_dir).articles["source"])
    assert "undated.txt" not in set(stated.articles["source"]) and "stated dates only" in stated.describe()
    assert (stated.articles["date_source"] != "inferred").all()


@pytest.mark.parametrize(("params", "message"), [
    ({"years": (2010, 2024)}, "unknown loading parameter.*pass them to select_for_analysis"),
    ({"token_method": "lemmas"}, "token_method='lemmas'"),
    ({"near_dup_threshold": 1.5}, "near_dup_threshold=1.5"),
    ({"near_dup_threshold": "0.8"}, "near_dup_threshold='0.8'"),
    ({"infer_years": "no"}, "infer_years='no'"),
])
def test_loading_parameters_are_checked_before_any_work(raw_dir, params, message):
    with pytest.raises(ValueError, match=message):
        load_corpus(raw_dir, cache=False, progress=False, **params)


def test_the_cache_goes_where_it_is_told(raw_dir, tmp_path):
    folder = tmp_path / "elsewhere"
    first = load_corpus(raw_dir, cache=folder, progress=False)
    again = load_corpus(raw_dir, cache=folder, progress=False)
    assert not first.from_cache and again.from_cache
    assert sorted(p.name for p in folder.iterdir()) == [f"corpus-{first.fingerprint[:20]}.parquet",
                                                         f"corpus-{first.fingerprint[:20]}.report.parquet"]
    assert not config.PROCESSED.exists()  # the default folder is left alone
    assert not load_corpus(raw_dir, cache=False, progress=False).from_cache


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
        # + what the selection reads
        assert list(some.columns) == ["doc_id", "source", "year", "date_source", "text", "lang", "n_tokens",
                                      "dup_of", "year_inferred", "year_confidence"]
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


def test_an_empty_folder_loads_and_reloads_from_the_cache(tmp_path):
    (tmp_path / "empty").mkdir()
    first = load_corpus(tmp_path / "empty", cache=tmp_path / "cache", progress=False)
    again = load_corpus(tmp_path / "empty", cache=tmp_path / "cache", progress=False)
    assert again.from_cache and len(first.articles) == len(again.articles) == 0
    assert list(again.articles.columns) == list(first.articles.columns)
    assert select_for_analysis(again.articles).empty


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_corpus(tmp_path / "nope", cache=False)


def test_cleaning_diff_marks_the_raw_lines_the_clean_text_keeps():
    from cxpress.corpus import cleaning_diff

    raw = "Abonnez-vous maintenant\n\nLe  CENTRE d’appels recrute.\nPartager sur Twitter\n"
    diff = cleaning_diff(raw, "Le centre d'appels recrute.")  # case, spaces and apostrophes differ
    assert diff.to_dict("list") == {"raw line": ["Abonnez-vous maintenant", "Le  CENTRE d’appels recrute.",
                                                 "Partager sur Twitter"], "kept": [False, True, False]}


def test_importing_and_loading_leave_arrows_default_allocator_alone(raw_dir):
    import subprocess
    import sys

    import pyarrow as pa

    code = ("import pyarrow as pa; before = pa.default_memory_pool().backend_name; import cxpress.corpus; "
            "print(before == pa.default_memory_pool().backend_name)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "True\n"
    before = pa.default_memory_pool().backend_name
    select_for_analysis(load_corpus(raw_dir, progress=False).articles)
    assert pa.default_memory_pool().backend_name == before


def test_article_frame_consuming_its_rows_gives_the_same_table():
    from cxpress.corpus import article_frame, process_record

    records = [{"raw": f"Titre {i}\nLe centre de contact de Lille recrute {i} conseillers en 2015.",
                "source": f"{i}.txt", "filename": f"{i}.txt", "url": None if i % 2 else f"https://a.fr/{i}"}
               for i in range(5)]
    rows = [process_record(r) for r in records]
    kept = article_frame([dict(row) for row in rows])
    pd.testing.assert_frame_equal(article_frame(rows, consume=True), kept)
    assert all(row == {} for row in rows)  # taken out as converted


def test_the_cache_written_in_several_row_groups_reads_back_equal(tmp_path, monkeypatch):
    from cxpress.corpus import cache

    monkeypatch.setattr(cache, "ROWS_PER_GROUP", 3)  # the 8 articles below: 3 row groups
    corpus = tmp_path / "raw"
    corpus.mkdir()
    for i in range(8):
        body = " ".join(["Le centre de contact de Lille recrute des conseillers pour la relation client."] * (i + 3))
        (corpus / f"{i}.txt").write_text(f"Un titre numéro {i}\n{body}", encoding="utf-8")
    fresh = load_corpus(corpus, cache=tmp_path / "cache", progress=False)
    warm = load_corpus(corpus, cache=tmp_path / "cache", progress=False)
    assert warm.from_cache and len(warm.articles) == 8
    pd.testing.assert_frame_equal(fresh.articles, warm.articles)


def _discover_by_rglob(path):
    """discover_files as first written (Path.rglob, sorted Paths): the reference for the os.walk version."""
    from cxpress.corpus.readers import SUPPORTED

    files, skipped = [], []
    for p in sorted(path.rglob("*")):
        if not p.is_file() or any(part.startswith(".") for part in p.relative_to(path).parts):
            continue
        if p.name.lower().startswith("readme"):
            continue
        if p.suffix.lower() in SUPPORTED:
            files.append(p)
        else:
            skipped.append({"path": str(p.relative_to(path)), "status": "skipped",
                            "reason": f"unsupported extension {p.suffix or '(none)'}: convert to "
                                      f"{', '.join(sorted(SUPPORTED))}"})
    return files, skipped


def test_discover_files_and_fingerprint_match_the_pathlib_versions(tmp_path):
    from cxpress.corpus.cache import corpus_fingerprint
    from cxpress.corpus.ingest import discover_files

    root = tmp_path / "corpus"
    for name in ["a/x.txt", "a-c/y.html", "a/b/z.TXT", "B/w.jsonl", "a/.hidden/h.txt", ".dot.txt",
                 "README.md", "notes/readme.txt", "sub/deeper/q.csv", "sub/w.pdf", "sub/noext", "é/à.txt"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    (root / "link.txt").symlink_to(root / "a" / "x.txt")
    (root / "broken.txt").symlink_to(root / "nowhere")
    (root / "linked").symlink_to(root / "sub", target_is_directory=True)  # not followed, as rglob did
    files, skipped = discover_files(root)
    assert (files, skipped) == _discover_by_rglob(root)
    assert [f.relative_to(root).as_posix() for f in files][:3] == ["B/w.jsonl", "a/b/z.TXT", "a/x.txt"]
    assert {r["path"] for r in skipped} == {"sub/noext", "sub/w.pdf"}
    # the fingerprint hashes each file's path relative to the folder, size and mtime, as before
    from cxpress import __version__
    from cxpress.corpus import cache

    expected = hashlib.sha256(f"{cache.CACHE_VERSION}|{__version__}|{json.dumps({})}".encode())
    for f in files:
        st = f.stat()
        expected.update(f"{f.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}".encode())
    package = Path(cache.__file__).parents[1]
    for module in cache.LOADER_MODULES:
        expected.update((package / f"{module.replace('.', '/')}.py").read_bytes())
    for name in cache.LOADER_LEXICONS:
        lex = config.LEXICONS / name
        expected.update(lex.read_bytes() if lex.is_file() else b"-")
    got = corpus_fingerprint(root, {}, files)
    assert got == expected.hexdigest()
    (root / "a" / "x.txt").write_text("xy", encoding="utf-8")
    assert corpus_fingerprint(root, {}, files) != got
    assert corpus_fingerprint(root / "a" / "x.txt", {}) == corpus_fingerprint(root / "a" / "x.txt", {})
