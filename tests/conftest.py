"""Shared fixtures: the four project notebooks run once per test session (they are slow)."""

import os
import shutil
from pathlib import Path

import pytest

from cxpress import config

PROJECT_NOTEBOOKS = sorted(config.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
XSS_TITLE = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
# An original article (not from any corpus) whose title and sentences about AI and offshoring carry
# markup: it flows into the analyses and must stay text wherever a report shows it.
XSS_ARTICLE = f"""{XSS_TITLE} Un agent virtuel à Rouen {XSS_IMG}
Publié le 14 mars 2019 à 10:00
Selon la direction, l'intelligence artificielle {XSS_IMG} soulage enfin les conseillers des tâches répétitives.
Les syndicats jugent que l'intelligence artificielle {XSS_TITLE} menace directement les emplois du plateau.
La délocalisation des appels simples vers Tunis {XSS_IMG} inquiète les représentants du personnel.
Le projet pilote concerne deux cents conseillers et durera six mois avant une décision définitive.
"""


def make_demo_corpus_with_hostile_article(target: Path) -> Path:
    """The demo corpus plus one article with markup in its title; fixed mtimes keep the cache key stable."""
    shutil.copytree(config.SAMPLE, target, copy_function=shutil.copy2)
    article = target / "zz-balises-dans-le-titre.txt"
    article.write_text(XSS_ARTICLE, encoding="utf-8")
    os.utime(article, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    return target


@pytest.fixture(scope="session")
def project_reports(tmp_path_factory):
    """(reports folder, RunRecord, corpus) of the four notebooks run once on the demo corpus + hostile article."""
    from cxpress.reports import run_reports, summarize_failure

    if len(PROJECT_NOTEBOOKS) < 4:
        pytest.skip("the four project notebooks are not all in notebooks/")
    corpus = make_demo_corpus_with_hostile_article(tmp_path_factory.mktemp("demo") / "corpus")
    out = tmp_path_factory.mktemp("project-reports")
    record = run_reports(PROJECT_NOTEBOOKS, out, corpus=corpus, quiet=True)
    assert not record.failed, [summarize_failure(nb) for nb in record.failed]
    return out, record, corpus


def written_outputs(reports: Path, prefix: str) -> tuple[set[str], set[str]]:
    """Names of the tables (CSV) and figures (PNG) a notebook wrote under reports/, by file prefix."""
    return ({p.name for p in (reports / "tables").glob(f"{prefix}_*.csv")},
            {p.name for p in (reports / "figures").glob(f"{prefix}_*.png")})
