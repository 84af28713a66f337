"""Europresse and Factiva exports: detected by content, one record per article, export metadata kept."""

import shutil
from pathlib import Path

import pytest

from cxpress.corpus import load_corpus
from cxpress.corpus.europresse import europresse_articles
from cxpress.corpus.factiva import factiva_articles
from cxpress.corpus.press_exports import detect_export, header_date, id_date
from cxpress.corpus.readers import read_file

EXPORTS = Path(__file__).parent / "data" / "exports"


def _read(name: str, root: Path = EXPORTS):
    return read_file(root / name, root)


@pytest.fixture(scope="module")
def loaded():
    return load_corpus(EXPORTS, cache=False, progress=False)


@pytest.mark.parametrize(("name", "kind"), [("europresse_current.html", "europresse"),
                                            ("europresse_older.html", "europresse"), ("factiva.html", "factiva")])
def test_exports_are_told_apart_by_content(name, kind):
    assert detect_export((EXPORTS / name).read_text(encoding="utf-8")) == kind


def test_an_ordinary_page_is_no_export():
    assert detect_export("<html><body><article><h1>T</h1><p>Texte.</p></article></body></html>") is None


def test_an_export_saved_as_txt_is_still_read_as_an_export(tmp_path):
    shutil.copy(EXPORTS / "factiva.html", tmp_path / "factiva-export.txt")
    records, report = _read("factiva-export.txt", tmp_path)
    assert [r["source"] for r in records] == ["factiva-export.txt#1", "factiva-export.txt#2"]
    assert report[0]["reason"].startswith("factiva export: 2 articles")


@pytest.mark.parametrize(("header", "iso"), [
    ("Services, mardi 12 mai 2015 612 mots, p. 14", "2015-05-12"),
    ("Offshore, vendredi 18 septembre 2015, p. 6", "2015-09-18"),
    ("jeudi 1er décembre 2022 - 08:15 UTC +01:00 733 mots", "2022-12-01"),
    ("Économie, samedi 7 août 2021", "2021-08-07"),
    ("February 2, 2021 250 words", "2021-02-02"),
    ("Économie 480 mots", None),
])
def test_header_dates_read_french_month_names_without_the_locale(header, iso):
    assert header_date(header) == iso


def test_document_ids_date_articles():
    assert id_date("news·20180206·GDO·demo02") == "2018-02-06"
    assert id_date("QDAFF00020191121efbl0000a") == "2019-11-21"
    assert id_date("sans identifiant") is None


def test_current_layout_gives_export_metadata_and_a_clean_body():
    records, report = _read("europresse_current.html")
    first = records[0]
    assert first["source"] == "europresse_current.html#1"
    assert first["title"] == "Les centres d'appels misent sur la formation continue"  # highlighting inside
    assert first["author"] == "Hélène Vasseur" and first["meta_date"] == "2015-05-12"
    assert first["outlet"].startswith("Le Courrier du Client (démo)")
    body = first["raw"]
    assert "démissions" in body and "coûte moins cher" in body  # <font>, <i>: no split word
    assert "Dans les centres d'appels" in body  # <b> highlighting: no line break inside the sentence
    assert len(body.split("\n")) == 3  # one line per paragraph
    for chrome in ("©", "Cet article est paru", "news·", "Tous droits", "Emploi", "Par Hélène"):
        assert chrome not in body


def test_the_id_dates_an_article_whose_header_has_no_date_and_copyright_paragraphs_go():
    second = _read("europresse_current.html")[0][1]
    assert second["meta_date"] == "2018-02-06"
    assert "©" not in second["raw"] and second["raw"].endswith("abonnements scolaires.")


def test_a_malformed_article_is_reported_and_the_others_load():
    records, report = _read("europresse_current.html")
    assert len(records) == 2
    bad = [r for r in report if r["path"] == "europresse_current.html#3"]
    assert bad and bad[0]["status"] == "dropped" and "no article body" in bad[0]["reason"]
    assert report[0] == {"path": "europresse_current.html", "status": "loaded",
                         "reason": "europresse export: 2 articles, 1 unreadable"}


def test_older_table_layout_ends_the_body_at_the_copyright_line():
    records, _ = _read("europresse_older.html")
    assert [r["meta_date"] for r in records] == ["2015-09-18", "2016-07-04"]
    first = records[0]
    assert first["title"] == "Rabat : un plateau de relation client ouvre ses portes"
    assert first["author"] == "Samir El Idrissi" and records[1]["author"] is None
    assert first["raw"].startswith("Le nouveau plateau de Rabat") and first["raw"].endswith("aux outils.")
    assert "©" not in first["raw"] and "news·" not in first["raw"] and "Offshore" not in first["raw"]


def test_factiva_field_codes():
    records, report = _read("factiva.html")
    first = records[0]
    assert first["title"] == "La voix des clients entre dans les comités de direction"
    assert first["author"] == "Marc Delorme" and first["outlet"] == "Le Quotidien des Affaires (démo)"
    assert first["meta_date"] == "2019-11-21" and records[1]["meta_date"] == "2021-02-02"  # English month
    lines = first["raw"].split("\n")
    assert lines[0].startswith("Les directeurs de la relation client") and len(lines) == 3  # LP then TD
    assert "©" not in first["raw"] and "QDAFF" not in first["raw"] and "402 mots" not in first["raw"]
    assert any(r["path"] == "factiva.html#3" and "no text" in r["reason"] for r in report)


def test_readers_return_a_reason_not_an_exception_for_empty_exports():
    assert europresse_articles("<html><body></body></html>") == []
    assert factiva_articles("<div class='article frArticle'><p>rien</p></div>") == [
        "no field-code table (HD, SN, PD, LP, TD...)"]


def test_loaded_exports_keep_export_metadata_over_guesses(loaded):
    arts = loaded.articles.set_index("source")
    assert len(arts) == 6
    assert (arts["date_source"] == "metadata").all()
    assert arts.loc["europresse_current.html#1", "title"] == "Les centres d'appels misent sur la formation continue"
    assert str(arts.loc["europresse_current.html#2", "date"])[:10] == "2018-02-06"
    assert arts.loc["factiva.html#1", "outlet"] == "Le Quotidien des Affaires (démo)"
    assert arts.loc["factiva.html#1", "outlet_family"] == "national"
    assert arts.loc["europresse_current.html#2", "outlet"] == "La Gazette de l'Ouest (démo)"
    assert arts["doc_id"].is_unique and (arts["lang"] == "fr").all()
