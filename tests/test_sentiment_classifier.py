"""The learned scorer, its held-out estimates, the labelling sample and the corrected yearly shares."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cxpress.cli import main as cli_main
from cxpress.config import SHARED
from cxpress.sentiment import (
    ClassifierScorer,
    FeatureSettings,
    RuleFeatures,
    bootstrap_macro_f1,
    confusion_counts,
    corrected_net_trend,
    corrected_shares,
    fit_model,
    grouped_predictions,
    make_scorer,
    mark_negation,
    per_group_f1,
    read_labelled,
    reliability_table,
    sample_for_labelling,
    sentiment_by_year,
    training_sentences,
)
from cxpress.sentiment.scorers import LABELS

DEV = SHARED / "corpus" / "sentiment_dev.jsonl"


@pytest.fixture(scope="module")
def learned() -> ClassifierScorer:
    scorer = ClassifierScorer(memory=None)
    scorer.model()
    return scorer


def label(scorer, sentence: str, target: str) -> str:
    return scorer([sentence], [target])["label"].iat[0]


# --- training -----------------------------------------------------------------------------------


def test_training_data_is_shipped_labelled_and_grouped():
    labelled = training_sentences()
    assert len(labelled) >= 800 and set(labelled["label"]) == set(LABELS)
    assert labelled["group"].nunique() == 11  # nine registers and the two own sets
    assert not labelled.duplicated(["sentence", "target"]).any()
    if DEV.exists():  # the development set is real article text: never trained on
        assert not set(pd.read_json(DEV, lines=True)["sentence"]) & set(labelled["sentence"])


def test_training_is_deterministic_and_ignores_row_order(learned):
    sentences = ["Le chatbot exaspère les clients.", "Le groupe emploie 3 000 personnes au Maroc."]
    targets = ["ai", "offshoring"]
    shuffled = training_sentences().sample(frac=1, random_state=1)
    again = fit_model(shuffled).predict_proba(pd.DataFrame({"sentence": sentences, "target": targets}))
    np.testing.assert_array_equal(learned.probabilities(sentences, targets).to_numpy(), again)
    scored = learned(sentences, targets)
    assert scored["label"].tolist() == ["negative", "neutral"]
    assert scored["score"].between(-1, 1).all()


def test_the_trained_model_is_memoised_by_its_training_files(tmp_path, learned):
    first = ClassifierScorer(memory=tmp_path)
    first.model()
    assert any(tmp_path.rglob("*.pkl"))
    extra = tmp_path / "mine.jsonl"
    extra.write_text(json.dumps({"id": "m1", "target": "ai", "label": "positive",
                                 "sentence": "Le robot conversationnel ravit nos abonnés."}) + "\n")
    more = ClassifierScorer(memory=tmp_path, extra_labels=(str(extra),))
    assert more.training_key() != first.training_key() == learned.training_key()
    assert make_scorer("classifier", memory=None).training_key() == learned.training_key()


def test_read_labelled_skips_unlabelled_rows_and_rejects_unknown_labels(tmp_path):
    path = tmp_path / "sample.jsonl"
    rows = [{"id": "a", "doc_id": "d1", "target": "ai", "sentence": "x", "label": "positive"},
            {"id": "b", "doc_id": "d1", "target": "ai", "sentence": "y", "label": ""}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    table = read_labelled(path, group="mine")
    assert table[["id", "doc_id", "group"]].values.tolist() == [["a", "d1", "mine"]]
    path.write_text(json.dumps({**rows[0], "label": "good"}))
    with pytest.raises(ValueError, match="unknown label"):
        read_labelled(path)


# --- documented hard cases (invented sentences) -------------------------------------------------


@pytest.mark.parametrize(("sentence", "target", "expected"), [
    pytest.param("Le nouveau callbot n'est pas une menace pour les conseillers de la mutuelle.", "ai",
                 "positive", id="negation"),
    pytest.param("Le site de Tunis n'a jamais tenu ses promesses de qualité.", "offshoring", "negative",
                 id="negation-of-praise"),
    pytest.param("Malgré des débuts prometteurs, l'assistant virtuel déçoit les abonnés.", "ai", "negative",
                 id="concession"),
    pytest.param("Selon les syndicats, la délocalisation vers le Maroc est une catastrophe pour l'emploi "
                 "local.", "offshoring", "negative", id="reported-speech"),
    pytest.param("Faut-il encore ouvrir des plateaux à Madagascar ?", "offshoring", "neutral", id="question"),
    pytest.param("Le syndicat exige une consultation du CSE avant tout déploiement du voicebot.", "ai",
                 "neutral", id="demand"),
    pytest.param("Le coût horaire d'un conseiller à Tunis est l'un des critères étudiés par les donneurs "
                 "d'ordre.", "offshoring", "neutral", id="descriptive-cost-word"),
])
def test_hard_cases_the_classifier_gets_right(learned, sentence, target, expected):
    assert label(learned, sentence, target) == expected


FIGURE_CASES = [("300 postes du plateau de Lille partiront à Rabat d'ici juin.", "offshoring", "negative"),
                ("Le callbot traite désormais 70 % des appels sans intervention humaine.", "ai", "positive")]


@pytest.mark.xfail(strict=True, reason="stance carried by figures: a known miss of the classifier (and rules)")
@pytest.mark.parametrize(("sentence", "target", "expected"), FIGURE_CASES)
def test_figure_carried_stance_is_still_missed(learned, sentence, target, expected):
    assert label(learned, sentence, target) == expected


def test_figure_and_negation_cues_reach_the_features():
    frame = pd.DataFrame([(s, t) for s, t, _ in FIGURE_CASES] + [("L'IA n'a pas tenu ses promesses ?", "ai")],
                         columns=["sentence", "target"])
    features = pd.DataFrame(RuleFeatures().fit(frame).transform(frame),
                            columns=RuleFeatures().get_feature_names_out())
    assert features["figure"].tolist() == [1, 1, 0] and features["question"].tolist() == [0, 0, 1]
    assert features["target_ai"].tolist() == [0, 1, 1] and features["n_flipped"].iat[2] == 1
    assert mark_negation("L'IA n'a pas tenu ses promesses, mais progresse.") == [
        "l'", "ia", "n'", "NEG_a", "pas", "NEG_tenu", "NEG_ses", "NEG_promesses", "mais", "progresse"]


# --- held-out estimates -------------------------------------------------------------------------


def invented_groups() -> pd.DataFrame:
    words = {"positive": "excellent réussi", "negative": "désastreux raté", "neutral": "situé ouvert"}
    rows = [{"sentence": f"Le site {g} numéro {k} est {words[lab].split()[k % 2]} {g}.", "target": "ai",
             "label": lab, "group": g} for g in ("nord", "sud", "est") for lab in LABELS for k in range(4)]
    return pd.DataFrame(rows)


def test_grouped_predictions_never_train_on_the_group_they_predict():
    labelled = invented_groups()
    scorer = ClassifierScorer(memory=None, settings=FeatureSettings(rules=False), c=1.0)
    predicted = grouped_predictions(labelled, scorer)
    for group in ("nord", "sud", "est"):
        held = labelled["group"] == group
        model = fit_model(labelled[~held], scorer.settings, scorer.c)
        expected = model.predict_proba(labelled.loc[held, ["sentence", "target"]])
        got = predicted.loc[held, [f"p_{c}" for c in model.classes_]].to_numpy()
        np.testing.assert_allclose(got, expected)
    assert per_group_f1(predicted)["group"].tolist() == ["est", "nord", "sud", "(pooled)", "(mean of groups)"]
    table = reliability_table(predicted)
    assert table["n"].sum() == len(labelled) and table["accuracy"].between(0, 1).all()


def test_fixed_scorers_are_scored_once_without_folds():
    predicted = grouped_predictions(invented_groups(), make_scorer("majority"))
    assert (predicted["predicted"] == "neutral").all() and "p_neutral" not in predicted


def test_bootstrap_macro_f1_resamples_whole_clusters():
    gold = np.array(["negative", "neutral", "positive"] * 20)
    predicted = gold.copy()
    predicted[:6] = "neutral"
    result = bootstrap_macro_f1(gold, predicted, n_boot=200, clusters=np.repeat(np.arange(12), 5))
    assert result["ci_low"] < result["macro_f1"] <= result["ci_high"] <= 1 and result["n"] == 60
    perfect = bootstrap_macro_f1(gold, gold, n_boot=50)
    assert perfect["macro_f1"] == perfect["ci_low"] == perfect["ci_high"] == 1.0


@pytest.mark.slow
def test_held_out_macro_f1_floors(learned):
    labelled = training_sentences()
    predicted = grouped_predictions(labelled, learned)
    rules = grouped_predictions(labelled, make_scorer("rules"))
    table = per_group_f1(predicted).set_index("group")["macro_f1"]
    assert table["(pooled)"] >= 0.75 and table["(pooled)"] >= per_group_f1(rules).set_index("group").loc[
        "(pooled)", "macro_f1"] + 0.03
    if DEV.exists():
        dev = read_labelled(DEV, group="dev")
        assert bootstrap_macro_f1(dev["label"], learned(dev["sentence"], dev["target"])["label"],
                                  n_boot=0)["macro_f1"] >= 0.74


# --- labelling sample ---------------------------------------------------------------------------


def scored_frame(n_per_cell: int = 10) -> pd.DataFrame:
    rows = [{"doc_id": f"{year}-{target}-{lab}-{k // 2}", "year": year, "target": target, "sentence":
             f"{target} {lab} {year} {k}", "label": lab, "score": 0.0}
            for year in (2015, 2020) for target in ("ai", "offshoring") for lab in LABELS
            for k in range(n_per_cell * (3 if lab == "neutral" else 1))]
    return pd.DataFrame(rows)


def test_label_sample_is_stratified_blind_and_seeded():
    scored = scored_frame()
    sample = sample_for_labelling(scored, 50, seed=3)
    assert len(sample) == 50 and (sample["label"] == "").all() and sample["id"].is_unique
    truth = scored.set_index("sentence").loc[sample["sentence"]]
    cells = truth.groupby(["year", "target", "label"]).size()
    assert len(cells) == 12  # every year x target x predicted label, in proportion to its size:
    assert (cells.xs("neutral", level="label") >= 7).all()  # neutral cells are three times larger
    assert cells.drop("neutral", level="label").between(2, 3).all()
    pd.testing.assert_frame_equal(sample, sample_for_labelling(scored, 50, seed=3))
    assert len(sample_for_labelling(scored, 10_000)) == len(scored)


def test_label_sample_command_writes_annotation_format(tmp_path, monkeypatch):
    import cxpress.sentiment.labelling as labelling

    found = scored_frame(2)[["doc_id", "year", "target", "sentence"]]
    monkeypatch.setattr("cxpress.corpus.load_corpus", lambda *a, **k: type("L", (), {"articles": found}))
    monkeypatch.setattr("cxpress.corpus.select_for_analysis", lambda articles, **k: articles)
    monkeypatch.setattr("cxpress.sentiment.targets.target_sentences", lambda articles, groups: articles)
    out = tmp_path / "labels" / "mine.jsonl"
    assert cli_main(["label-sample", "--corpus", str(tmp_path), "--n", "12", "--out", str(out),
                     "--scorer", "majority"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 12 and all(set(r) == set(labelling.SAMPLE_COLUMNS) and r["label"] == "" for r in rows)
    assert cli_main(["label-sample", "--out", str(out)]) == 2  # never overwrites labels by accident


# --- yearly shares corrected for the confusion ---------------------------------------------------


def test_corrected_shares_undo_a_known_confusion():
    rng = np.random.default_rng(0)
    truth = np.where(np.arange(600) % 2 == 0, "positive", "negative")
    predicted = truth.copy()
    flip = rng.random(600) < 0.3
    predicted[flip] = "neutral"  # 30% of polar sentences called neutral
    scored = pd.DataFrame({"doc_id": [f"d{k // 3}" for k in range(600)], "year": 2020, "target": "ai",
                           "label": predicted, "score": 0.0})
    confusion = confusion_counts(np.concatenate([truth, ["neutral"] * 100]),
                                 np.concatenate([predicted, ["neutral"] * 100]))
    shares = corrected_shares(scored, confusion, n_boot=200).set_index("label")
    assert shares.loc["neutral", "share"] == pytest.approx(0, abs=0.02)
    assert shares.loc["positive", "share"] == pytest.approx(0.5, abs=0.05)
    raw = sentiment_by_year(scored, n_boot=200)
    assert raw["share_neutral"].iat[0] > 0.25
    assert (shares["ci_low"] <= shares["share"]).all() and (shares["share"] <= shares["ci_high"]).all()


def test_a_trend_within_the_scorer_error_is_not_a_finding():
    rows = []
    for year in range(2015, 2021):
        positive = 0.30 + 0.03 * (year - 2015)  # +3 points per year
        for k in range(200):
            rows.append({"doc_id": f"{year}-{k}", "year": year, "target": "ai", "score": 0.0,
                         "label": "positive" if k / 200 < positive else "neutral"})
    scored = pd.DataFrame(rows)
    sure = confusion_counts(["positive"] * 500 + ["neutral"] * 500 + ["negative"] * 500,
                            ["positive"] * 500 + ["neutral"] * 500 + ["negative"] * 500)
    shaky_gold = ["positive"] * 12 + ["neutral"] * 12 + ["negative"] * 12
    shaky_pred = ["positive"] * 8 + ["neutral"] * 4 + ["neutral"] * 8 + ["positive"] * 2 + ["negative"] * 2 \
        + ["negative"] * 8 + ["neutral"] * 4
    confident = corrected_net_trend(scored, sure, n_boot=300)
    cautious = corrected_net_trend(scored, confusion_counts(shaky_gold, shaky_pred), n_boot=300)
    assert confident["direction"].iat[0] == "rising"
    assert cautious["direction"].iat[0] == "no clear trend"
    assert (cautious["ci_high"] - cautious["ci_low"]).iat[0] > (confident["ci_high"] - confident["ci_low"]).iat[0]


def test_empty_input_and_an_uninvertible_confusion_are_reported():
    majority = confusion_counts(list(LABELS) * 5, ["neutral"] * 15)
    scored = scored_frame(1).assign(label="neutral")
    with pytest.raises(ValueError, match="cannot be inverted"):
        corrected_shares(scored, majority)
    empty = make_scorer("classifier", memory=None)([], [])
    assert empty.empty and list(empty.columns) == ["label", "score"]


def test_character_ngrams_equal_scikit_learns_char_wb_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from cxpress.sentiment import CharNgrams
    from cxpress.sentiment.features import normalise_sentence

    sentences = training_sentences()["sentence"]
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=normalise_sentence, min_df=2,
                                sublinear_tf=True).fit(sentences[:500])
    ours = CharNgrams((2, 5), min_df=2).fit(sentences[:500])
    assert ours.vocabulary_ == reference.vocabulary_
    unseen = list(sentences[500:600]) + ["Un mot\u00a0inédit : zyxw, et « l'IA »."]
    np.testing.assert_allclose(ours.transform(unseen).toarray(), reference.transform(unseen).toarray(), atol=1e-12)


@pytest.mark.parametrize(("n", "n_clusters", "n_boot"), [(300, 120, 200), (60, 60, 150), (9, 2, 50), (30, 1, 40)])
def test_bootstrap_macro_f1_equals_scoring_each_resample_with_scikit_learn(n, n_clusters, n_boot):
    from sklearn.metrics import f1_score

    from cxpress.sentiment.estimates import bootstrap_macro_f1

    rng = np.random.default_rng(n)
    labels = np.array(["positive", "negative", "neutral"], dtype=object)
    gold = labels[rng.integers(0, 3, n)]
    predicted = np.where(rng.random(n) < 0.7, gold, labels[rng.integers(0, 3, n)])
    clusters = rng.integers(0, n_clusters, n)
    # the reference: resample whole clusters, score each resample with scikit-learn
    ids = pd.factorize(clusters)[0]
    members = [np.flatnonzero(ids == k) for k in range(ids.max() + 1)]
    draws_rng, draws = np.random.default_rng(7), []
    for _ in range(n_boot if len(members) > 1 else 0):
        rows = np.concatenate([members[k] for k in draws_rng.integers(0, len(members), len(members))])
        draws.append(f1_score(gold[rows], predicted[rows], labels=list(labels), average="macro", zero_division=0))
    low, high = np.percentile(draws, [2.5, 97.5]) if draws else (np.nan, np.nan)
    result = bootstrap_macro_f1(gold, predicted, clusters=clusters, n_boot=n_boot, seed=7)
    np.testing.assert_array_equal([result["ci_low"], result["ci_high"]], [low, high])
    assert result["n"] == n and 0 < result["macro_f1"] <= 1


def test_rule_features_share_one_scorer_per_lexicon_version_and_remember_sentences(tmp_path, monkeypatch):
    import shutil

    from cxpress.config import LEXICONS
    from cxpress.sentiment import features
    from cxpress.sentiment.scorers import RuleScorer

    lexicons = tmp_path / "lexicons"
    shutil.copytree(LEXICONS, lexicons)
    monkeypatch.setattr(features, "LEXICONS", lexicons)
    monkeypatch.setattr(features, "_SHARED_RULES", {})
    X = pd.DataFrame({"sentence": ["Le callbot n'a pas tenu ses promesses.", "L'IA aide vraiment les conseillers."],
                      "target": ["ai", "ai"]})
    first, second = features.RuleFeatures().fit(X), features.RuleFeatures().fit(X)
    assert first.rules_ is second.rules_  # one scorer for every fold of a refit
    remembered = first.transform(X)
    assert len(first.rules_.word_cache().sentences) == 2
    fresh = features.RuleFeatures(rules=RuleScorer(n_jobs=1)).fit(X).transform(X)
    np.testing.assert_array_equal(remembered, fresh)
    np.testing.assert_array_equal(second.transform(X), fresh)  # read back from the memo
    (lexicons / "sentiment_domain.yml").write_text((lexicons / "sentiment_domain.yml").read_text() + "\n# edited\n")
    assert features.RuleFeatures().fit(X).rules_ is not first.rules_  # an edited lexicon: a new scorer


def test_char_ngrams_vocabulary_is_the_batch_own_whatever_the_process_saw_before():
    from cxpress.sentiment import features

    first = ["Le callbot répond la nuit.", "Les conseillers délocalisés au Maroc."]
    second = ["L'IA générative aide les équipes.", "Un robot conversationnel décevant."]
    features._GRAMS.clear()
    alone = {m: features.CharNgrams(min_df=m).fit(second).vocabulary_ for m in (0, 1, 2)}
    features.CharNgrams(min_df=1).fit(first)  # the process's index now numbers other words' n-grams
    for m, vocabulary in alone.items():
        assert features.CharNgrams(min_df=m).fit(second).vocabulary_ == vocabulary
    assert alone[0] == alone[1] and " l'" in alone[0] and " le " not in alone[0]
