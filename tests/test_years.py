"""Year inference for undated articles, its self-calibration on dated articles, and the selection it drives
(invented examples only)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpress.corpus import (
    confidence_threshold,
    date_record,
    masked_year_guesses,
    select_for_analysis,
    selection_report,
    trusted_years,
    year_calibration,
)
from cxpress.corpus.calibration import PRIOR_THRESHOLD
from cxpress.text import infer_year, load_year_rules
from cxpress.text.dates import DATES_LEXICON


@given(st.text(max_size=600))
@settings(max_examples=150, deadline=None)
def test_infer_year_never_raises_and_stays_in_range(text: str) -> None:
    year, conf = infer_year(text)
    assert 0.0 <= conf <= 1.0
    assert (year is None and conf == 0.0) or 2000 <= year <= 2030


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Un an après le premier confinement, le travail hybride s'installe.", 2021),
        ("Cela fait maintenant trois ans que Bloctel existe, et les plaintes continuent.", 2019),
        ("En 2016, le groupe a ouvert deux sites. Il vise désormais l'Europe du Nord.", 2016),
        ("Le chiffre d'affaires a progressé de 8 % en 2018, l'an dernier, selon la fédération.", 2019),
        ("Depuis 2012, le prestataire recrute au Maroc.", 2013),
        ("Le plan prévu pour 2026 est contesté. En 2024, les effectifs ont baissé.", 2024),
        ("Les objectifs fixés en 2004 ne sont pas tenus, constatent les élus en 2010.", 2010),
    ],
)
def test_infer_year_uses_stated_years_and_gaps(text: str, expected: int) -> None:
    year, conf = infer_year(text)
    assert year == expected and conf > 0


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Pendant le confinement, les conseillers ont basculé en télétravail.", 2020),
        ("Les équipes testent ChatGPT pour reformuler les courriels des clients.", 2023),
        ("L'entrée en vigueur du RGPD oblige les centres à revoir leurs enregistrements.", 2016),
    ],
)
def test_an_event_alone_gives_its_start_plus_the_usual_lag(text: str, start: int) -> None:
    """The estimate, not the lower bound: articles come a year or so after an event's start."""
    assert infer_year(text) == (start + 1, pytest.approx(0.35))


def test_the_lags_come_from_the_lexicon(tmp_path) -> None:
    lexicon = yaml.safe_load(DATES_LEXICON.read_text(encoding="utf-8"))
    lexicon["inference"]["lags"] = {"mention": 1, "event": 0, "weak_event": 2}
    path = tmp_path / "dates.yml"
    path.write_text(yaml.safe_dump(lexicon, allow_unicode=True), encoding="utf-8")
    rules = load_year_rules(path)
    assert infer_year("Pendant le confinement, le plateau a fermé.", rules=rules)[0] == 2020
    assert infer_year("En 2014, le plateau a fermé.", rules=rules)[0] == 2015
    assert infer_year("Le chatbot répond la nuit.", rules=rules)[0] == 2018


def test_mentions_beat_older_events_and_events_raise_old_mentions() -> None:
    assert infer_year("Depuis la crise sanitaire, en 2022, les volumes ont chuté.")[0] == 2022
    assert infer_year("Le site ouvert en 2015 teste l'IA générative sur ses courriels.")[0] == 2024


def test_confidence_grows_with_the_cues_that_agree() -> None:
    alone = infer_year("En 2019, le centre a recruté.")
    backed = infer_year("En 2019, le centre a recruté. La loi PACTE a changé ses statuts.")
    assert alone[0] == backed[0] == 2019 and backed[1] > alone[1]


def test_infer_year_abstains_when_a_later_weak_event_contradicts_the_years_stated() -> None:
    assert infer_year("En 2012, le service client a ouvert un chatbot.") == (None, 0.0)


@pytest.mark.parametrize(
    "text",
    [
        "Le prestataire a créé 2000 emplois au Maroc en quelques années.",
        "Dans les années 2000, le secteur comptait moins de plateaux.",
        "© Gazette Contact 2025 – Tous droits réservés",
        "Les conseillers attendent des garanties sur les plannings.",
        "L'objectif : 50 000 emplois d'ici 2030.",
    ],
)
def test_infer_year_finds_no_evidence_in_quantities_decades_footers_and_far_goals(text: str) -> None:
    assert infer_year(text) == (None, 0.0)


def test_infer_year_flags_weak_evidence_with_low_confidence() -> None:
    founded, weak = infer_year("Créée en 2006, la société compte 80 salariés."), infer_year("Le chatbot répond la nuit.")
    strong = infer_year("Un an après le premier confinement, les plateaux restent à moitié vides.")
    assert founded == (2006, pytest.approx(0.15)) and weak[0] == 2017
    assert max(founded[1], weak[1]) < 0.2 < 0.6 < strong[1]
    assert infer_year("Le chatbot répond la nuit.", min_confidence=0.2) == (None, 0.0)


@pytest.mark.parametrize(
    "text",
    [
        "Le nouveau parc technologique doit ouvrir en 2026.",
        "Les obligations s'appliqueront progressivement en 2026.",
        "La règle, applicable en 2026, inquiète déjà les prestataires.",
    ],
)
def test_infer_year_caps_by_near_future_years(text: str) -> None:
    assert infer_year(text)[0] == 2025


def test_infer_year_treats_memories_as_lower_bounds_only() -> None:
    year, conf = infer_year("« On nous a déjà fait le coup en 2008 », rappelle une conseillère.")
    assert year == 2008 and conf < 0.2
    assert infer_year("Une camera filmait le plateau en 2019.") == (2019, 0.5)  # not a future verb


def test_infer_year_respects_year_range() -> None:
    text = "Le groupe, présent depuis 1998, a recruté en 2005."
    assert infer_year(text)[0] == 2005
    assert infer_year(text, year_range=(2010, 2024)) == (None, 0.0)


# Self-calibration and selection ----------------------------------------------------------------
def corpus(guesses: list[tuple[int | None, int | None, float | None]], undated: list[tuple[int, float]]) -> pd.DataFrame:
    """An invented article table: dated articles (stated year, content's guess, its confidence) and
    undated ones (inferred year, confidence)."""
    rows = [{"year": y, "date_source": "text", "year_inferred": g, "year_confidence": c} for y, g, c in guesses]
    rows += [{"year": y, "date_source": "inferred", "year_inferred": y, "year_confidence": c} for y, c in undated]
    out = pd.DataFrame(rows).astype({"year": "Int64", "year_inferred": "Int64", "year_confidence": "float64"})
    return out.assign(doc_id=[f"d{i}" for i in range(len(out))], source=[f"{i}.txt" for i in range(len(out))],
                      lang="fr", dup_of=None)


# 12 confident guesses all within a year, 10 weak ones mostly wrong, one dated article without a guess
CALIBRATION = [(2015, 2015, 0.6)] * 8 + [(2016, 2015, 0.6)] * 4 + [(2020, 2016, 0.2)] * 8 \
    + [(2017, 2017, 0.2)] * 2 + [(2018, None, None)]


def test_year_calibration_measures_accuracy_per_confidence_level() -> None:
    table = year_calibration(corpus(CALIBRATION, []))
    assert table["confidence"].tolist() == [0.6, 0.2]
    assert table["n"].tolist() == [12, 10] and table["n_above"].tolist() == [12, 22]
    assert table["exact"].tolist() == pytest.approx([8 / 12, 0.2])
    assert table["pm1"].tolist() == pytest.approx([1.0, 0.2])
    assert table["pm1_above"].tolist() == pytest.approx([1.0, 14 / 22])
    assert len(masked_year_guesses(corpus(CALIBRATION, [(2019, 0.9)]))) == 22  # inferred rows are not truth


def test_confidence_threshold_is_the_lowest_level_reaching_the_accuracy() -> None:
    articles = corpus(CALIBRATION, [])
    assert confidence_threshold(articles, 0.85) == pytest.approx(0.6)
    assert confidence_threshold(articles, 0.6) == pytest.approx(0.2)
    assert confidence_threshold(articles, 0.99) == math.inf  # 12/12 smoothed is 13/14
    assert confidence_threshold(articles, 0.0) == 0.0


def test_too_few_dated_guesses_fall_back_to_the_prior_threshold() -> None:
    assert confidence_threshold(corpus(CALIBRATION[:5], []), 0.85) == PRIOR_THRESHOLD


def test_selection_uses_only_inferred_years_above_the_calibrated_confidence() -> None:
    articles = corpus(CALIBRATION, [(2019, 0.7), (2021, 0.2)])
    trusted = trusted_years(articles, 0.6)
    assert trusted.sum() == len(articles) - 1 and not trusted.iloc[-1]
    default = select_for_analysis(articles)
    assert 2019 in set(default["year"]) and 2021 not in set(default["year"])
    assert default.attrs["year_confidence_threshold"] == pytest.approx(0.6)
    assert 2021 in set(select_for_analysis(articles, min_year_accuracy=0)["year"])
    assert not select_for_analysis(articles, include_inferred=False)["date_source"].eq("inferred").any()


def test_the_selection_report_lists_inferred_years_left_out() -> None:
    articles = corpus(CALIBRATION, [(2019, 0.7), (2021, 0.2)])
    report = selection_report(articles, (2010, 2024))
    assert report["path"].tolist() == [articles["source"].iloc[-1]]
    assert report["reason"].iloc[0].startswith("inferred year not used: confidence 0.20 below 0.60")


def test_dated_articles_keep_the_year_their_content_points_to() -> None:
    text = "Pendant le confinement, les conseillers ont basculé en télétravail."
    dated = date_record("Publié le 3 mars 2021\n" + text, text, url=None, filename=None, meta_date=None,
                        infer_years=True)
    assert (dated["year"], dated["date_source"]) == (2021, "text")
    assert (dated["year_inferred"], dated["year_confidence"]) == (2021, pytest.approx(0.35))
    undated = date_record(text, text, url=None, filename=None, meta_date=None, infer_years=True)
    assert (undated["year"], undated["date_source"], undated["year_inferred"]) == (2021, "inferred", 2021)
    off = date_record(text, text, url=None, filename=None, meta_date=None, infer_years=False)
    assert off["date_source"] == "missing" and off["year_inferred"] is None and off["year_confidence"] is None


def test_the_hint_scanner_finds_the_same_events_as_a_search_per_hint():
    from dataclasses import replace

    from cxpress.text.french import fold_text
    from cxpress.text.years import _event_hits, default_year_rules

    rules = default_year_rules()
    plain = replace(rules, hint_scanner=None)
    hints = sorted({h for e in rules.events for h in e.hints or ()})
    texts = [f"Depuis le {h}, les plateaux ont changé." for h in hints]  # each hint alone
    texts += [f"Le chatbot{h} et l'a{h}" for h in hints[:20]]  # hints inside words: never a match
    texts += [" ".join(hints[i::7]) for i in range(7)] + ["", "Rien de daté ici."]
    found = [_event_hits(fold_text(t), rules) for t in texts]
    assert found == [_event_hits(fold_text(t), plain) for t in texts]
    assert sum(map(bool, found)) >= len(hints) // 2  # the texts do mention events
