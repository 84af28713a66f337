"""Sentences, target sentences, polarity rules, validation floors and per-year sentiment."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from cxpress.sentiment import (
    LexiconScorer,
    MajorityScorer,
    RuleScorer,
    WordCache,
    assign_folds,
    compare_scorers,
    confusion_table,
    cross_validate_band,
    evaluate_scorers,
    example_sentences,
    find_hits,
    load_lexicons,
    make_scorer,
    score_sentence,
    score_sentences,
    sentence_spans,
    sentiment_by_year,
    sentiment_trends,
    split_by_document,
    tokenize_clauses,
)
from cxpress.sentiment.scorers import LABELS
from cxpress.sentiment.targets import TARGET_COLUMNS, target_sentences

OWN = Path(__file__).resolve().parents[1] / "data" / "labels" / "sentiment_own.jsonl"
# Written before the second round of rule changes and not scored until they were done.
OWN_HOLDOUT = OWN.with_name("sentiment_own_holdout.jsonl")
DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "sentiment_dev.jsonl"


RULES = RuleScorer()  # reads the lexicons once for all the label_of checks


def label_of(sentence: str, target: str = "ai") -> str:
    return RULES([sentence], [target])["label"].iat[0]


def articles(*rows: tuple[str, int | None, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["doc_id", "year", "text"]).astype({"year": "Int64"})


# --- sentence splitting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "M. Dupont hésite. « L'IA aide. » Le taux passe à 3,5 %… Vraiment ?",
            ["M. Dupont hésite.", "« L'IA aide. »", "Le taux passe à 3,5 %…", "Vraiment ?"],
        ),
        (
            "M. Durand dirige le site. Mme Lefort le conteste.",
            ["M. Durand dirige le site.", "Mme Lefort le conteste."],
        ),
        (
            "Le Dr Martin l'a dit. Le Pr. Kahn aussi.",
            ["Le Dr Martin l'a dit.", "Le Pr. Kahn aussi."],
        ),
        ("Le taux passe de 3.5 à 4,2 %. Ensuite ?", ["Le taux passe de 3.5 à 4,2 %.", "Ensuite ?"]),
        (
            "« Le callbot tient. » Le directeur sourit.",
            ["« Le callbot tient. »", "Le directeur sourit."],
        ),
        (
            "« Pourquoi ? » demande-t-il. Personne ne sait.",
            ["« Pourquoi ? » demande-t-il.", "Personne ne sait."],
        ),
        ("Il hésite… puis signe. Fin.", ["Il hésite… puis signe.", "Fin."]),
        (
            "Selon J. Dupont, l'I.A. progresse. Vraiment.",
            ["Selon J. Dupont, l'I.A. progresse.", "Vraiment."],
        ),
        (
            "Titre sans point\nDeuxième ligne. Troisième phrase.",
            ["Titre sans point", "Deuxième ligne.", "Troisième phrase."],
        ),
        ("", []),
    ],
)
def test_sentence_spans_respect_french_typography(text, expected):
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == expected
    assert all(a < b for a, b in spans) and spans == sorted(spans)


# --- target sentences ---------------------------------------------------------------------------


def test_elided_targets_are_found():
    frame = target_sentences(
        articles(
            ("a", 2020, "L'IA aide. Un outil d'IA coûte cher. Rien ici."),
            ("b", 2021, "L’IA générative arrive."),
        )
    )
    assert frame["sentence"].tolist() == [
        "L'IA aide.",
        "Un outil d'IA coûte cher.",
        "L’IA générative arrive.",
    ]
    assert set(frame["target"]) == {"ai"}


def test_sentence_with_both_targets_counts_for_each():
    text = "Le chatbot remplace le centre du Maroc. Le reste ne change pas."
    frame = target_sentences(articles(("a", 2019, text)))
    assert sorted(frame["target"]) == ["ai", "offshoring"]
    assert frame["sentence"].nunique() == 1
    assert list(frame.columns) == TARGET_COLUMNS


def test_window_adds_neighbouring_sentences_as_context():
    text = "Avant. Le site de Rabat ouvre. Après. Loin."
    frame = target_sentences(articles(("a", 2015, text)), window=1)
    assert frame["sentence"].iat[0] == "Le site de Rabat ouvre."
    assert frame["context"].iat[0] == "Avant. Le site de Rabat ouvre. Après."


def test_no_target_gives_empty_frame_and_clear_warning():
    with pytest.warns(UserWarning, match="no sentence mentions the targets"):
        frame = target_sentences(articles(("a", 2012, "Le service client recrute à Lyon.")))
    assert frame.empty and list(frame.columns) == TARGET_COLUMNS
    assert "terms.yml" in frame.attrs["message"]
    with pytest.warns(UserWarning):
        assert target_sentences(articles()).empty


def test_target_sentences_reports_bad_input():
    with pytest.raises(ValueError, match="text"):
        target_sentences(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(ValueError, match="unknown target"):
        target_sentences(articles(("a", 2020, "L'IA aide.")), ["robots"])
    custom = target_sentences(articles(("a", None, "Le robot aide.")), {"robots": ["robot"]})
    assert custom["target"].tolist() == ["robots"] and custom["year"].isna().all()


# --- polarity rules -----------------------------------------------------------------------------


def test_negation_flips_polarity():
    assert label_of("L'IA est une menace pour les conseillers.") == "negative"
    assert label_of("L'IA n'est pas une menace pour les conseillers.") == "positive"
    assert label_of("Le chatbot est efficace.") == "positive"
    assert label_of("Le chatbot n'est pas efficace.") == "negative"
    assert label_of("Le site offshore n'a jamais tenu ses promesses.", "offshoring") == "negative"


def test_negation_exceptions():
    assert label_of("Le chatbot n'a jamais été aussi apprécié.") == "positive"
    assert label_of("Le déploiement de l'IA n'a pas été sans heurts.") == "negative"
    assert label_of("Sans aucun doute, le callbot est une réussite.") == "positive"


def test_main_clause_wins_over_concession():
    assert label_of("Malgré ses promesses, le chatbot déçoit les clients.") == "negative"
    assert (
        label_of("Le voicebot a connu des ratés, mais il satisfait aujourd'hui les abonnés.")
        == "positive"
    )


def test_direction_words_turn_quantities_into_news():
    assert label_of("Grâce au centre de Rabat, les emplois ont doublé.", "offshoring") == "positive"
    assert label_of("Le callbot réduit les erreurs de saisie.") == "positive"
    assert label_of("Le turnover reste très faible au Maroc.", "offshoring") == "positive"
    assert label_of("Au Maroc, le turnover est élevé.", "offshoring") == "negative"


def test_factual_sentence_stays_neutral():
    assert label_of("Le groupe emploie 3 000 personnes au Maroc.", "offshoring") == "neutral"
    assert label_of("Quel rôle pour l'IA dans la relation client ?") == "neutral"


def test_demands_aims_and_hypotheses_are_not_verdicts():
    assert label_of("Le chatbot est lancé sans consultation des élus.") == "negative"
    assert (
        label_of(
            "Nous demandons qu'aucun projet de chatbot ne soit lancé sans consultation des élus."
        )
        == "neutral"
    )
    assert label_of("Le voicebot échoue à comprendre les clients.") == "negative"
    assert (
        label_of("Si le voicebot échoue, la banque reprendra les appels en interne.") == "neutral"
    )


def test_a_question_needs_strong_words_to_be_polar():
    assert label_of("L'IA va-t-elle menacer les conseillers ?") == "neutral"
    assert (
        label_of("L'IA va-t-elle détruire des milliers d'emplois et provoquer un désastre social ?")
        == "negative"
    )


def test_mais_discounts_the_first_clause_only_when_the_main_clause_judges():
    grieves = "Le site de Rabat a connu des grèves, mais la direction n'a rien annoncé."
    assert label_of(grieves, "offshoring") == "negative"
    praise = "Le site de Rabat a connu des grèves, mais la qualité reste excellente."
    assert label_of(praise, "offshoring") == "positive"


def test_participles_reach_verb_entries_and_directions_skip_auxiliaries():
    menaced = "Des centaines d'emplois sont menacés par la délocalisation."
    assert label_of(menaced, "offshoring") == "negative"
    assert label_of("Les délais de réponse ont été divisés par deux avec le callbot.") == "positive"
    assert label_of("Les coûts du site offshore progressent fortement.", "offshoring") == "negative"
    assert label_of("La qualité du site offshore progresse fortement.", "offshoring") == "positive"
    assert label_of("Le centre de Dakar a créé des milliers d'emplois.", "offshoring") == "positive"


def test_detection_and_round_the_clock_claims_are_benefits():
    assert label_of("L'outil d'IA détecte les clients mécontents.") == "positive"
    assert label_of("Le chatbot répond aux clients 24h/24.") == "positive"
    assert label_of("Le chatbot répond aux clients.") == "neutral"


def test_explain_lists_the_opinion_words():
    table = RuleScorer().explain("L'IA n'est pas une menace.")
    assert table["words"].tolist() == ["menace"] and table["value"].iat[0] > 0


# --- scoring interface --------------------------------------------------------------------------


def test_score_sentences_adds_label_and_score():
    frame = target_sentences(articles(("a", 2020, "L'IA est un succès. Le Maroc déçoit.")))
    scored = score_sentences(frame, "rules")
    assert scored["label"].tolist() == ["positive", "negative"]
    assert scored["score"].between(-1, 1).all()
    assert scored["score"].iat[0] > 0 > scored["score"].iat[1]


def test_the_default_scorer_is_the_learned_classifier():
    frame = target_sentences(articles(("a", 2020, "L'IA est un succès. Le Maroc déçoit.")))
    pd.testing.assert_frame_equal(score_sentences(frame), score_sentences(frame, "classifier"))
    assert score_sentences(frame)["label"].iat[0] == "positive"


def test_scorers_are_pluggable_and_checked():
    df = pd.DataFrame({"sentence": ["a", "b"], "target": ["ai", "ai"]})

    def always_positive(sents, targets):
        return pd.DataFrame({"label": ["positive"] * len(sents), "score": [1.0] * len(sents)})

    assert score_sentences(df, always_positive)["label"].tolist() == ["positive", "positive"]
    assert score_sentences(df, "majority")["label"].tolist() == ["neutral", "neutral"]
    with pytest.raises(ValueError, match="one \\(label, score\\) per sentence"):
        score_sentences(df, lambda s, t: pd.DataFrame({"label": ["meh"] * len(s), "score": 0.0}))
    with pytest.raises(ValueError, match="unknown scorer"):
        make_scorer("bert")
    with pytest.raises(ValueError, match="missing"):
        score_sentences(pd.DataFrame({"sentence": ["x"]}))
    empty = score_sentences(pd.DataFrame(columns=TARGET_COLUMNS))
    assert empty.empty and {"label", "score"} <= set(empty.columns)


# --- validation ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_labelled() -> pd.DataFrame:
    return pd.read_json(OWN, lines=True)


@pytest.fixture(scope="module")
def own_holdout() -> pd.DataFrame:
    return pd.read_json(OWN_HOLDOUT, lines=True)


def test_own_sentences_are_balanced_and_well_formed(own_labelled):
    assert len(own_labelled) >= 80
    counts = own_labelled.groupby(["target", "label"]).size()
    assert len(counts) == 6 and counts.min() >= 15
    assert set(own_labelled["label"]) == set(LABELS)


def test_rule_scorer_floor_on_own_sentences(own_labelled):
    table = evaluate_scorers(
        own_labelled,
        {"rules": RuleScorer(), "lexicon": LexiconScorer(), "majority": MajorityScorer()},
    )
    macro = table[table["class"] == "macro"].set_index("scorer")["f1"]
    assert macro["rules"] >= 0.92
    assert macro["rules"] >= macro["lexicon"] + 0.10 >= macro["majority"] + 0.10
    matrix = confusion_table(own_labelled, RuleScorer())
    assert matrix.to_numpy().sum() == len(own_labelled)


def test_own_holdout_is_balanced_new_and_above_floor(own_labelled, own_holdout):
    assert len(own_holdout) >= 60 and own_holdout["id"].is_unique
    counts = own_holdout.groupby(["target", "label"]).size()
    assert len(counts) == 6 and counts.min() >= 10
    assert not set(own_holdout["sentence"]) & set(own_labelled["sentence"])
    table = evaluate_scorers(own_holdout, {"rules": RuleScorer(), "lexicon": LexiconScorer()})
    macro = table[table["class"] == "macro"].set_index("scorer")["f1"]
    assert macro["rules"] >= 0.80 and macro["rules"] >= macro["lexicon"] + 0.25


@pytest.mark.shared
def test_rule_scorer_floor_on_shared_dev_set():
    if not DEV.exists():
        pytest.skip("../shared/corpus/sentiment_dev.jsonl is absent")
    dev = pd.read_json(DEV, lines=True)
    tune, held = split_by_document(dev, seed=0)
    table = compare_scorers(
        {"dev": dev, "held": held}, {"rules": RuleScorer(), "lexicon": LexiconScorer()}
    )
    assert table.iloc[0, 0] >= 0.77 and table.iloc[0, 0] >= table.iloc[1, 0] + 0.25
    assert table.iloc[0, 1] >= 0.76


@pytest.mark.shared
def test_rule_scorer_floor_in_grouped_cross_validation():
    if not DEV.exists():
        pytest.skip("../shared/corpus/sentiment_dev.jsonl is absent")
    folds = cross_validate_band(pd.read_json(DEV, lines=True), RuleScorer(), folds=5, seed=0)
    assert len(folds) == 5 and folds["macro_f1"].mean() >= 0.76
    assert folds["tuned_macro_f1"].mean() >= 0.74 and folds["macro_f1"].min() >= 0.70


def test_folds_keep_articles_together_and_band_is_chosen_on_other_folds():
    docs = [f"d{k}" for k in range(10) for _ in range(3)]
    sentences = [f"phrase {k}" for k in range(30)]
    gold = ["negative", "neutral", "positive"] * 10
    df = pd.DataFrame({"doc": docs, "sentence": sentences, "target": "ai", "label": gold})
    fold = assign_folds(df, folds=5, seed=1)
    assert (pd.Series(fold).groupby(df["doc"]).nunique() == 1).all()
    assert sorted(set(fold)) == [0, 1, 2, 3, 4]
    assert (fold == assign_folds(df, folds=5, seed=1)).all()

    def oracle(sents, targets):
        score = {"negative": -0.5, "neutral": 0.0, "positive": 0.5}
        scores = [score[gold[sentences.index(s)]] for s in sents]
        return pd.DataFrame({"label": ["neutral"] * len(sents), "score": scores})

    cv = cross_validate_band(df, oracle, folds=5, seed=1)
    assert cv["n"].sum() == len(df) and (cv["tuned_macro_f1"] == 1.0).all()
    assert (cv["macro_f1"] < 1.0).all()  # its own labels are all neutral
    assert (cv["positive_above"] < 0.5).all() and (cv["negative_below"] > -0.5).all()
    with pytest.raises(ValueError, match="cannot fill"):
        assign_folds(df.head(6), folds=5)
    with pytest.raises(ValueError, match="doc"):
        assign_folds(df.drop(columns="doc"))


def test_split_by_document_keeps_articles_apart():
    df = pd.DataFrame(
        {"doc": list("aabbccdd"), "sentence": list("pqrstuvp"), "label": "neutral", "target": "ai"}
    )
    tune, held = split_by_document(df, seed=3)
    assert not set(tune["doc"]) & set(held["doc"])
    assert not set(tune["sentence"]) & set(held["sentence"])
    with pytest.raises(ValueError, match="unknown labels"):
        evaluate_scorers(df.assign(label="bof"), {"m": MajorityScorer()})


# --- per-year sentiment -------------------------------------------------------------------------


@pytest.fixture()
def scored() -> pd.DataFrame:
    rows = []
    for year, base in ((2015, -0.4), (2016, 0.3)):
        for doc in range(12):
            for k in range(2):
                score = base + 0.05 * ((doc + k) % 5 - 2)
                label = "positive" if score > 0.2 else "negative" if score < -0.05 else "neutral"
                rows.append(
                    {
                        "doc_id": f"{year}-{doc}",
                        "year": year,
                        "target": "ai",
                        "sentence": f"phrase {year} {doc} {k}",
                        "score": score,
                        "label": label,
                    }
                )
    rows.append(
        {
            "doc_id": "x",
            "year": 2016,
            "target": "offshoring",
            "sentence": "seule",
            "score": 0.5,
            "label": "positive",
        }
    )
    rows.append(
        {
            "doc_id": "y",
            "year": None,
            "target": "ai",
            "sentence": "sans date",
            "score": 0.1,
            "label": "neutral",
        }
    )
    return pd.DataFrame(rows).astype({"year": "Int64"})


def test_sentiment_by_year_is_deterministic_and_flags_sparse_years(scored):
    first = sentiment_by_year(scored, n_boot=300, seed=7)
    again = sentiment_by_year(scored, n_boot=300, seed=7)
    other = sentiment_by_year(scored, n_boot=300, seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first["ci_low"].equals(other["ci_low"])
    assert list(first.columns[:7]) == ["target", "year", "estimate", "ci_low", "ci_high", "n_articles", "sparse"]
    ai = first[first["target"] == "ai"].set_index("year")
    assert (ai["ci_low"] <= ai["estimate"]).all() and (ai["estimate"] <= ai["ci_high"]).all()
    assert ai.loc[2015, "estimate"] < 0 < ai.loc[2016, "estimate"]
    mean_2015 = scored.loc[(scored["target"] == "ai") & (scored["year"] == 2015), "score"].mean()
    assert ai.loc[2015, "estimate"] == pytest.approx(mean_2015)  # the mean over sentences
    assert ai["n_sentences"].tolist() == [24, 24] and ai["n_articles"].tolist() == [12, 12]
    lone = first[first["target"] == "offshoring"].set_index("year")
    assert lone.loc[2016, "sparse"] and pd.isna(lone.loc[2016, "ci_low"])
    assert lone.loc[2015, "n_sentences"] == 0 and pd.isna(lone.loc[2015, "estimate"])  # a gap, not a zero
    assert first.attrs["n_undated"] == 1
    shares = first.dropna(subset=["estimate"])[["share_negative", "share_neutral", "share_positive"]].sum(axis=1)
    assert shares.round(9).eq(1).all()


def test_sentiment_by_year_covers_the_requested_years(scored):
    table = sentiment_by_year(scored, years=(2014, 2017), n_boot=20)
    assert table.groupby("target")["year"].apply(list).to_dict() == {
        "ai": [2014, 2015, 2016, 2017], "offshoring": [2014, 2015, 2016, 2017]}
    assert table.loc[table["year"].isin([2014, 2017]), "n_sentences"].eq(0).all()


def test_sentiment_trends_test_the_yearly_means(scored):
    rows = [{"doc_id": f"{year}-{j}", "year": year, "target": "ai", "sentence": "s",
             "score": 0.1 * (year - 2015) + (0.05 if j % 2 else -0.05), "label": "neutral"}
            for year in range(2015, 2021) for j in range(6) for _ in range(2)]
    rising = pd.DataFrame(rows).astype({"year": "Int64"})
    trend = sentiment_trends(rising, n_boot=300, min_sentences=5).iloc[0]
    assert trend["direction"] == "rising" and trend["slope"] == pytest.approx(0.1)
    assert trend["n_years"] == 6 and trend["p_value"] < 0.01
    few = sentiment_trends(scored, n_boot=50).set_index("target")
    assert few.loc["ai", "direction"] == "too few years" and few.loc["ai", "n_years"] == 2
    assert few.loc["offshoring", "n_sparse_years"] == 1


def test_example_sentences_pick_extremes_per_period(scored):
    examples = example_sentences(scored, n=1, period_years=5)
    ai = examples[examples["target"] == "ai"]
    assert set(ai["period"]) == {"2015-2019"}
    worst = ai[ai["polarity"] == "most negative"].iloc[0]
    best = ai[ai["polarity"] == "most positive"].iloc[0]
    ai_scores = scored.loc[scored["target"] == "ai", "score"]
    assert worst["score"] == ai_scores.min() and best["score"] == ai_scores.max()
    assert example_sentences(scored.iloc[0:0]).empty


# --- notebook -----------------------------------------------------------------------------------


MY_LABELS = [  # invented sentences standing for a user's labelled sample
    ("L'agent virtuel a réglé mon problème en deux minutes.", "ai", "positive"),
    ("Le callbot ne comprend rien et raccroche au nez des clients.", "ai", "negative"),
    ("La banque teste un assistant conversationnel depuis mars.", "ai", "neutral"),
    ("Le transfert des appels vers Tunis a dégradé la qualité du service.", "offshoring", "negative"),
    ("Le site de Dakar obtient les meilleurs résultats du groupe.", "offshoring", "positive"),
    ("Le prestataire emploie 800 personnes à Casablanca.", "offshoring", "neutral"),
]


@pytest.mark.slow
def test_notebook_runs_on_the_demo_corpus(tmp_path):
    papermill = pytest.importorskip("papermill")
    from cxpress import config

    labels = tmp_path / "my_corpus.jsonl"
    rows = [{"id": f"m{k}", "doc_id": f"d{k % 4}", "target": t, "sentence": s, "label": lab}
            for k, (s, t, lab) in enumerate(MY_LABELS * 2)]
    labels.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    reports = tmp_path / "reports"
    papermill.execute_notebook(
        str(config.NOTEBOOKS / "04_sentiment_ai_offshoring.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"reports_dir": str(reports), "n_boot": 200, "labels_file": str(labels),
                    "retrain_with_labels": True},
        kernel_name=config.KERNEL_NAME,
        cwd=str(config.NOTEBOOKS),
        progress_bar=False,
    )
    tables = {p.name for p in (reports / "tables").glob("*.csv")}
    assert tables == {
        f"sentiment_{name}.csv"
        for name in (
            "validation_macro_f1",
            "validation_per_group",
            "validation_per_class",
            "reliability",
            "sentences",
            "yearly",
            "yearly_corrected",
            "trends",
            "trends_corrected",
            "retrained_yearly",
            "examples",
            "by_group",
        )
    }
    assert {"sentiment_mean.png", "sentiment_shares.png", "sentiment_shares_corrected.png", "sentiment_by_group.png",
            "sentiment_confusion_left_out.png", "sentiment_confusion_mine.png"} <= {
        p.name for p in (reports / "figures").glob("*.png")
    }
    yearly = pd.read_csv(reports / "tables" / "sentiment_yearly.csv")
    assert set(yearly["target"]) == {"ai", "offshoring"}
    assert yearly["year"].between(config.YEAR_MIN, config.YEAR_MAX).all()
    validation = pd.read_csv(reports / "tables" / "sentiment_validation_macro_f1.csv")
    pooled = validation[validation["set"] == "left-out groups, pooled"].set_index("scorer")["macro_f1"]
    assert pooled["classifier"] > pooled["rules"] > pooled["raw lexicon (textblob-fr)"] > pooled["majority (neutral)"]
    corrected = pd.read_csv(reports / "tables" / "sentiment_yearly_corrected.csv")
    with_ci = corrected.dropna(subset=["ci_low"])  # years of one article have no CI
    assert len(with_ci) and with_ci.eval("ci_low <= share <= ci_high").all()


def test_fast_macro_f1_equals_scikit_learns_on_random_labellings():
    import numpy as np
    from sklearn.metrics import f1_score

    from cxpress.sentiment.estimates import macro_f1
    from cxpress.sentiment.scorers import LABELS

    rng = np.random.default_rng(0)
    for n in (1, 2, 7, 60):
        for _ in range(100):
            pool = rng.choice(LABELS, size=rng.integers(1, 4), replace=False)  # some labels absent
            gold, predicted = rng.choice(pool, n), rng.choice(LABELS, n)
            expected = f1_score(gold, predicted, labels=list(LABELS), average="macro", zero_division=0)
            assert macro_f1(gold, predicted) == pytest.approx(expected, abs=1e-12)


# --- lexicons, grammar word lists and the word cache ----------------------------------------------


def test_grammar_word_lists_are_data(tmp_path):
    """A researcher edits data/lexicons/sentiment_grammar.yml and the rules follow."""
    from cxpress import config

    grammar = (config.LEXICONS / "sentiment_grammar.yml").read_text(encoding="utf-8")
    sentence = "Nous espérons que le chatbot sera efficace."
    assert score_sentence(sentence, load_lexicons())[0] > 0.2
    edited = tmp_path / "grammar.yml"
    edited.write_text(grammar.replace("irrealis: [", "irrealis: [espérer, "), encoding="utf-8")
    assert score_sentence(sentence, load_lexicons(grammar_path=edited))[0] == 0.0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("keep_surface: [", "keep_surface: [on, "), "keep_surface"),  # YAML reads a bare on as True
        (("glue:", "glu:"), "unknown key"),
        (("concessive_pairs: [[bien, que]", "concessive_pairs: [[bien]"), "two-word"),
    ],
)
def test_grammar_file_mistakes_are_reported(tmp_path, edit, message):
    from cxpress import config

    grammar = (config.LEXICONS / "sentiment_grammar.yml").read_text(encoding="utf-8")
    assert edit[0] in grammar
    edited = tmp_path / "grammar.yml"
    edited.write_text(grammar.replace(*edit), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_lexicons(grammar_path=edited)


def test_a_word_cache_serves_one_lexicon_only():
    """find_hits remembers each token's one-word match in the cache of its lexicon: another lexicon
    (the same entries but "efficace" negative) sees its own valence and cannot use that cache."""
    lex = load_lexicons()
    cache = WordCache(lex)
    tokens = tokenize_clauses("Le service est efficace.", lex, cache)
    first = [(h.text, h.valence) for h in find_hits(tokens, lex, cache=cache)]
    assert first and first[0][0] == "efficace" and first[0][1] > 0
    flipped = replace(lex, entries={**lex.entries, ("efficace",): -0.9})
    assert [(h.text, h.valence) for h in find_hits(tokens, flipped)] == [("efficace", -0.9)]
    assert [(h.text, h.valence) for h in find_hits(tokens, lex, cache=cache)] == first
    with pytest.raises(ValueError, match="another Lexicons"):
        find_hits(tokens, flipped, cache=cache)


def test_a_shared_word_cache_changes_no_score(own_labelled):
    lex = load_lexicons()
    cache = WordCache(lex)
    sentences = own_labelled["sentence"].tolist() * 2  # the second round reads the cache
    shared = [score_sentence(s, lex, cache=cache)[0] for s in sentences]
    assert shared == [score_sentence(s, lex)[0] for s in sentences]
    assert shared == RuleScorer()(sentences)["score"].tolist()
    assert min(shared) < -0.5 and max(shared) > 0.5
