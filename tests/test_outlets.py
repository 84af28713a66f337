"""The outlet column: normalised names, aliases and families from YAML, filled for every format."""

import json

import pandas as pd
import pytest

from cxpress.corpus import load_corpus
from cxpress.corpus.outlets import (
    article_outlet,
    copy_outlets,
    default_outlet_lexicon,
    load_outlet_lexicon,
    normalise_outlet,
    source_folder,
    url_host,
)


@pytest.mark.parametrize(("raw", "clean"), [
    ("Le Monde, no. 21894", "Le Monde"),
    ("Le Monde, no 21894", "Le Monde"),
    ("L'Usine Nouvelle, n° 3412", "L'Usine Nouvelle"),
    ("Ouest-France (site web)", "Ouest-France"),
    ("Ouest-France  Édition Nantes", "Ouest-France"),
    ("Ouest-France\nÉdition Nantes", "Ouest-France"),
    ("  Les Echos\xa0", "Les Echos"),
    ("Le Parisien (site web réf.) - Le Parisien", "Le Parisien - Le Parisien"),
    ("   ", None),
    (None, None),
])
def test_normalise_outlet(raw, clean):
    assert normalise_outlet(raw) == clean


def test_aliases_give_one_spelling_and_a_family():
    lexicon = default_outlet_lexicon()
    for spelling in ["lemonde.fr", "Le Monde.fr", "LE MONDE, no. 21894", "Le Monde (site web)"]:
        assert lexicon.resolve(spelling) == ("Le Monde", "national")
    assert lexicon.resolve("Les Échos") == ("Les Echos", "national")
    assert lexicon.resolve("L'Economiste") == ("L'Économiste (Maroc)", "maghreb_africa")
    assert lexicon.resolve("Un blog inconnu") == ("Un blog inconnu", None)


def test_a_user_lexicon_extends_and_conflicts_are_refused(tmp_path):
    path = tmp_path / "outlets.yml"
    path.write_text("aliases:\n  Contact Hebdo: [contacthebdo, contact-hebdo.fr]\n"
                    "families:\n  trade: [contacthebdo]\n", encoding="utf-8")
    lexicon = load_outlet_lexicon(path)
    assert lexicon.resolve("contact-hebdo.fr") == ("Contact Hebdo", "trade")
    path.write_text("families:\n  trade: [X]\n  national: [X]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="two families"):
        load_outlet_lexicon(path)
    path.write_text("aliases:\n  A: [x]\n  B: [X]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="alias of both"):
        load_outlet_lexicon(path)


def test_outlet_sources_in_order_metadata_url_folder():
    assert url_host("https://www.lesechos.fr/tech/2019/x") == "lesechos.fr"
    assert url_host("pas une url") is None
    assert source_folder("presse/lemonde/a.txt") == "lemonde" and source_folder("a.txt") is None
    assert source_folder("veille/export.jsonl#3") == "veille"
    assert article_outlet("Les Echos, no. 22001", "https://www.lemonde.fr/x", "f/a.txt")["outlet"] == "Les Echos"
    assert article_outlet(None, "https://www.lemonde.fr/x", "f/a.txt") == {"outlet": "Le Monde",
                                                                          "outlet_family": "national"}
    assert article_outlet(None, None, "ouest-france/a.txt")["outlet"] == "Ouest-France"
    assert article_outlet(None, None, "a.txt") == {"outlet": None, "outlet_family": None}  # root: unknown


BODY = ("Les centres de contact de la région recrutent des conseillers pour la rentrée. Les candidats "
        "suivent quatre semaines de formation avant de prendre leurs premiers appels, encadrés par un tuteur. ")


def test_every_format_fills_the_outlet(tmp_path):
    (tmp_path / "lesechos").mkdir()
    (tmp_path / "lesechos" / "a.txt").write_text(f"Titre A\n{BODY * 3}", encoding="utf-8")
    (tmp_path / "racine.txt").write_text(f"Titre R\n{BODY * 2}Une autre phrase sur les plateaux.", encoding="utf-8")
    rows = [{"title": "J1", "text": BODY + "Premier.", "journal": "Sud-Ouest"},
            {"title": "J2", "text": BODY + "Second.", "url": "https://www.ladepeche.fr/2020/01/x"}]
    (tmp_path / "veille.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    pd.DataFrame({"titre": ["C1"], "texte": [BODY + "Troisième."], "source": ["La Voix du Nord, no. 12"]}).to_csv(
        tmp_path / "export.csv", index=False)
    arts = load_corpus(tmp_path, cache=False, progress=False).articles.set_index("source")
    assert arts.loc["lesechos/a.txt", "outlet"] == "Les Echos"  # folder, through the aliases
    assert pd.isna(arts.loc["racine.txt", "outlet"]) and pd.isna(arts.loc["racine.txt", "outlet_family"])
    assert arts.loc["veille.jsonl#1", "outlet"] == "Sud Ouest"  # metadata column
    assert arts.loc["veille.jsonl#2", "outlet"] == "La Dépêche du Midi"  # URL host
    assert arts.loc["export.csv#1", ["outlet", "outlet_family"]].tolist() == ["La Voix du Nord", "regional"]


def test_republications_keep_every_outlet(tmp_path):
    story = BODY * 4 + "Le directeur du site se félicite de ces embauches."
    for folder in ("lemonde", "ouest-france", "sudouest"):
        (tmp_path / folder).mkdir()
    (tmp_path / "lemonde" / "a.txt").write_text(f"Publié le 3 mars 2015\nRecrutements\n{story}", encoding="utf-8")
    (tmp_path / "ouest-france" / "b.txt").write_text(f"Publié le 4 mars 2015\nRecrutement\n{story}", encoding="utf-8")
    other = ("La mairie ouvre un guichet unique pour les démarches des habitants. Les agents répondent au "
             "téléphone et sur place, du lundi au samedi, et un rendez-vous se prend en ligne. ") * 3
    (tmp_path / "sudouest" / "c.txt").write_text(f"Titre\n{other}", encoding="utf-8")
    arts = load_corpus(tmp_path, cache=False, progress=False).articles
    arts = arts.assign(copy_outlets=copy_outlets(arts)).set_index("source")
    assert arts.loc["ouest-france/b.txt", "dup_of"] == arts.loc["lemonde/a.txt", "doc_id"]
    assert arts.loc["ouest-france/b.txt", "outlet"] == "Ouest-France"  # the duplicate row keeps its outlet
    both = ["Le Monde", "Ouest-France"]
    assert arts.loc["lemonde/a.txt", "copy_outlets"] == both == arts.loc["ouest-france/b.txt", "copy_outlets"]
    assert arts.loc["sudouest/c.txt", "copy_outlets"] == ["Sud Ouest"]
