"""What the ingest flags as looking wrong (corpus/flags.py, corpus/diagnose.py, `cxpress ingest`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxpress import config
from cxpress.cli import main
from cxpress.corpus import flags, load_corpus, select_for_analysis

BODY = ("Les centres de contact de {city} recrutent cent conseillers pour la rentrée, avec une formation "
        "de trois semaines et un accompagnement par des tuteurs venus des autres sites du groupe.")
BODIES = {  # texts different enough not to be near-duplicates of one another
    "Lille": "À Lille, le syndicat dénonce des cadences intenables sur le plateau du centre-ville, où les "
             "téléconseillers enchaînent les appels sans pause depuis la fusion des deux équipes de nuit.",
    "Rabat": "Le prestataire marocain inaugure un deuxième site à Rabat, consacré au recouvrement amiable, "
             "et prévoit d'y installer un callbot pour les relances simples dès le mois de septembre prochain.",
    "Tunis": "Les opérateurs tunisiens misent sur la qualité plutôt que sur le volume : moins de positions, "
             "des conseillers mieux formés et des contrats plus longs avec les donneurs d'ordres français.",
    "Dakar": "Au Sénégal, la filière de la relation client forme ses premiers superviseurs locaux, une étape "
             "que les entreprises attendaient pour confier des dossiers complexes aux équipes dakaroises.",
    "Nantes": "La banque mutualiste rapatrie à Nantes le traitement des réclamations confié jusque-là à un "
              "prestataire étranger, en promettant des délais de réponse divisés par deux d'ici l'été.",
}


def article(city: str, year: int, title: str | None = None) -> str:
    body = BODIES.get(city, BODY.format(city=city))
    return f"{title or f'Recrutement à {city}'}\nPublié le 3 mars {year}\n{body}\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "PROCESSED", tmp_path / "cache")
    raw = tmp_path / "raw"
    raw.mkdir()
    for i, city in enumerate(["Lille", "Rabat", "Tunis", "Dakar"]):
        (raw / f"{city}.txt").write_text(article(city, 2015 + (i > 1), title="Le grand plan de recrutement"
                                                 if city in ("Lille", "Rabat") else None), encoding="utf-8")
    (raw / "alone.txt").write_text(article("Nantes", 2019), encoding="utf-8")
    (raw / "title-only.txt").write_text("Centres d'appels : le titre seul\nPublié le 3 mars 2015\n", encoding="utf-8")
    (raw / "nav.html").write_text("<html><body><nav>Accueil</nav><div>Menu</div><div>Se connecter</div>"
                                  "<footer>Mentions légales</footer></body></html>", encoding="utf-8")
    words = " ".join(["conseiller", "client", "plateau", "Rabat", "qualité"] * 4_200)
    (raw / "dump.txt").write_text(f"Publié le 3 mars 2016\n{words}\n", encoding="utf-8")
    (raw / "table.csv").write_text(f'id,body\n1,"{BODY.format(city="Brest")} Publié en 2017."\n', encoding="utf-8")
    return raw


def reasons(report, name):
    return report.loc[report["path"].str.startswith(name), "reason"].tolist()


def test_each_problem_gets_its_reason(folder):
    loaded = load_corpus(folder, progress=False)
    report = loaded.report
    assert any(r.startswith("no body:") for r in reasons(report, "title-only.txt"))
    assert any(r.startswith("no body:") for r in reasons(report, "nav.html"))  # not "language: und"
    assert not any(r.startswith("language") for r in reasons(report, "nav.html"))
    assert any(r.startswith("very long: 21,000 words") for r in reasons(report, "dump.txt"))
    assert any("same title, different text: as Rabat.txt" in r for r in reasons(report, "Lille.txt"))
    assert any(r.startswith("only article of 2019") for r in reasons(report, "alone.txt"))
    assert any("text from column 'body'" in r for r in reasons(report, "table.csv"))
    selected = select_for_analysis(loaded.articles)
    assert not selected["source"].isin(["title-only.txt", "nav.html"]).any()  # no 0-token article analysed
    assert selected["n_tokens"].min() >= 25


def test_ingest_warns_and_notes(folder, capsys):
    assert main(["ingest", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "note: table.csv: csv: 1 articles, text from column 'body'" in out
    assert "warning: dump.txt: very long" in err and "warning: nav.html: no body" in err


def test_nothing_to_analyse_exits_non_zero_with_the_cause(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "PROCESSED", tmp_path / "cache")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(article("Lille", 2003), encoding="utf-8")
    (raw / "b.txt").write_text(article("Rabat", 2004), encoding="utf-8")
    assert main(["ingest", str(raw)]) == 1
    err = capsys.readouterr().err
    assert "error: nothing to analyse" in err and "2 out of range" in err and "--years" in err
    (raw / "a.txt").unlink(), (raw / "b.txt").unlink()
    (raw / "c.bin").write_bytes(b"\x00\x01")
    assert main(["ingest", str(raw)]) == 1
    assert "every file was skipped for its extension" in capsys.readouterr().err


def _shared_titles_by_groupby(articles, analysable):
    """_shared_titles as first written (pandas groupby over every title): the reference."""
    key = articles["title"].fillna("").str.casefold().str.split().str.join(" ")
    eligible = analysable & (key.str.count(" ") + 1 >= flags.TITLE_MIN_WORDS) & key.ne("")
    other = pd.Series("", index=articles.index, dtype=object)
    for _, sources in articles.loc[eligible, "source"].groupby(key[eligible], sort=False):
        if len(sources) > 1:
            first, second = sources.iloc[0], sources.iloc[1]
            other[sources.index] = [second if s == first else first for s in sources]
    return other


@pytest.mark.parametrize("seed", range(6))
def test_shared_titles_match_the_groupby_reference(seed):
    rng = np.random.default_rng(seed)
    pool = ["Le centre d'appels ferme", "le  CENTRE d'appels ferme", "Édito", "Une IA au service client",
            "Offshoring : le retour", None, ""]
    n = 300
    articles = pd.DataFrame({
        "title": [pool[i] for i in rng.integers(0, len(pool), n)],
        "source": [f"f{i % 40}.txt" for i in rng.integers(0, 1000, n)],  # repeated sources too
    }, index=rng.permutation(n) + 5)
    analysable = pd.Series(rng.random(n) < 0.8, index=articles.index)
    got = flags._shared_titles(articles, analysable)
    pd.testing.assert_series_equal(got, _shared_titles_by_groupby(articles, analysable))
    assert got.ne("").sum() > 10  # the random titles do share
