"""The explore queries (frames behind each widget), checked against the notebooks' own functions."""

import numpy as np
import pandas as pd
import pytest
import yaml
from test_topics import make_planted

from cxpress import config
from cxpress.corpus import analysis_frame
from cxpress.explore import (
    GroupMentions,
    TermExplorer,
    article_cleaning,
    article_copies,
    article_record,
    article_sentiment,
    article_year_cues,
    build_index,
    export_figure,
    export_table,
    find_term,
    parse_query,
    rename_topic,
    share_matrix,
    shown_path,
    term_kwic,
    term_series,
    topic_articles,
    topic_neighbours,
    topic_terms,
)
from cxpress.text import load_term_groups
from cxpress.text.terms import compile_groups
from cxpress.timelines import count_mentions, find_mentions, term_timeline
from cxpress.topics import fit_topics


@pytest.fixture(scope="module")
def demo():
    return analysis_frame(config.SAMPLE).articles


def small_corpus() -> pd.DataFrame:
    texts = ["Le voicebot de la banque répond la nuit.", "Un voicebot et un chatbot, deux IA.",
             "Rien sur les robots ici.", "La médiathèque ouvre ; aucun bot.",
             "Le voicebot rate les accents.", "Les voice-bots et voicebots se multiplient."]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(6)], "year": pd.array([2015, 2015, 2015, 2015, 2016, 2016], "Int64"),
                         "title": [f"Titre {i}" for i in range(6)], "text": texts, "n_tokens": 10,
                         "outlet": ["A", "A", "B", "B", "A", "B"],
                         "outlet_family": ["trade", "trade", "national", "national", "trade", "national"]})


@pytest.mark.parametrize("terms", [["voicebot"], ["intelligence artificielle", "IA", "AI"], ["chatbot*"],
                                   ["re:call ?bot"], ["centre d'appels", "appels"], ["délocalisation"]])
def test_find_term_gives_the_mentions_find_mentions_gives(demo, terms):
    index = build_index(demo)
    fast = find_term(index, "q", terms).table.astype(str).reset_index(drop=True)
    full = find_mentions(demo, compile_groups({"q": terms}), n_jobs=1).table.astype(str).reset_index(drop=True)
    assert len(full) > 0 or terms == ["re:call ?bot"]
    pd.testing.assert_frame_equal(fast, full)


def test_a_group_query_read_from_the_lexicon_search_equals_a_new_search(demo):
    index, groups = build_index(demo), load_term_groups()
    found = GroupMentions(index, groups)
    for name in ("ai", "offshoring"):
        once = found.of(name).table.astype(str).reset_index(drop=True)
        again = find_term(index, name, groups[name]).table.astype(str).reset_index(drop=True)
        assert len(once) > 0
        pd.testing.assert_frame_equal(once, again)
    assert "voicebot" not in found and "ai" in found


def test_parse_query_reads_groups_lists_and_regexes():
    groups = load_term_groups()
    assert parse_query("ai", groups) == groups["ai"]
    assert parse_query(" voicebot , callbot ") == ["voicebot", "callbot"]
    assert parse_query("/call ?bot/") == ["re:call ?bot"]
    with pytest.raises(ValueError, match="not a valid regular expression"):
        parse_query("re:call(")
    with pytest.raises(ValueError, match="type a term"):
        parse_query("  ")


def test_term_series_splits_by_family_with_notebook_03s_estimates():
    articles = small_corpus()
    index = build_index(articles)
    series = term_series(index, "voicebot", ["voicebot"], years=(2015, 2016), n_boot=50, min_articles=1)
    share = series[series["measure"] == "share"].set_index(["family", "year"])["estimate"]
    assert share[("all outlets", 2015)] == pytest.approx(2 / 4)
    assert share[("trade", 2015)] == pytest.approx(1.0) and share[("national", 2015)] == 0
    assert share[("national", 2016)] == 0  # "voicebots" is another word form: not matched without voicebot*
    reference = term_timeline(articles, count_mentions(articles, {"voicebot": ["voicebot"]}), years=(2015, 2016),
                              n_boot=50, min_articles=1)
    mine = series[series["family"] == "all outlets"].drop(columns="family").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, reference, check_dtype=False)


def test_term_kwic_keeps_the_selected_years_with_outlets():
    index = build_index(small_corpus())
    mentions = find_term(index, "voice*", ["voice*"])
    lines = term_kwic(index, "voice*", mentions, years=[2016])
    assert set(lines["year"]) == {2016} and set(lines["outlet"]) == {"A", "B"}
    assert lines["match"].str.lower().str.startswith("voice").all() and len(lines) == 3


def test_term_kwic_limit_gives_the_first_lines_of_the_full_list(demo):
    index = build_index(demo)
    mentions = find_term(index, "client", ["client"])
    full = term_kwic(index, "client", mentions, limit=None)
    assert len(full) > 40
    for limit in (1, 7, 40):
        pd.testing.assert_frame_equal(term_kwic(index, "client", mentions, limit=limit), full.head(limit))


@pytest.fixture(scope="module")
def planted():
    articles = make_planted()
    model = fit_topics(articles, k=4, seed=0, bigrams=False, n_jobs=1, n_boot=50)
    return articles, model


def test_topic_queries_return_the_planted_topic(planted):
    articles, model = planted
    topic = 0
    prefix = topic_terms(model, topic)["term"].iloc[0].rstrip("0123456789")
    docs = topic_articles(model, articles, topic, n=10)
    assert len(docs) == 10 and docs["doc_id"].str.startswith(prefix).all()
    assert (docs["share"].diff().dropna() <= 1e-9).all() or (docs["weight"].diff().dropna() <= 0).all()
    near = topic_neighbours(share_matrix(model), docs["doc_id"].iloc[0], n=5)
    assert near["doc_id"].str.startswith(prefix).all() and docs["doc_id"].iloc[0] not in set(near["doc_id"])
    with pytest.raises(ValueError, match="no topic 9"):
        topic_terms(model, 9)


def test_rename_topic_persists_a_label_the_next_fit_reads(planted, tmp_path):
    articles, model = planted
    path = tmp_path / "topic_labels.yml"
    path.write_text("# mes étiquettes\nlabels: []\n", encoding="utf-8")
    renamed = rename_topic(model, 2, "Mon thème", path)
    assert renamed.topics.set_index("topic")["label"][2] == "Mon thème"
    assert path.read_text(encoding="utf-8").startswith("# mes étiquettes\n")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["labels"][0]["label"] == "Mon thème"
    refit = fit_topics(articles, k=4, seed=0, bigrams=False, n_jobs=1, n_boot=0, labels_path=str(path))
    assert refit.topics.set_index("topic")["label"][2] == "Mon thème"
    again = rename_topic(renamed, 2, "Autre nom", path)  # the entry is renamed, not duplicated
    assert [e["label"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))["labels"]] == ["Autre nom"]
    assert again.topics.set_index("topic")["label"][2] == "Autre nom"
    with pytest.raises(ValueError, match="empty"):
        rename_topic(model, 2, "  ", path)


def article_frame() -> pd.DataFrame:
    raw = ("Le magazine de la relation client\nAbonnez-vous maintenant\nUn voicebot à Lille\n"
           "En 2019, l'intelligence artificielle inquiète les conseillers du plateau.")
    text = "Un voicebot à Lille\nEn 2019, l'intelligence artificielle inquiète les conseillers du plateau."
    return pd.DataFrame({"doc_id": ["a", "b", "c"], "title": ["Un voicebot à Lille"] * 3, "text": [text] * 3,
                         "text_raw": [raw] * 3, "year": pd.array([2019, 2019, 2019], "Int64"),
                         "outlet": ["A", "B", "C"], "dup_of": [None, "a", "a"], "date_source": "inferred"})


def test_article_views_show_cleaning_cues_and_copies():
    articles = article_frame()
    record = article_record(articles, "b").set_index("field")["value"]
    assert record["outlet"] == "B" and record["dup_of"] == "a"
    cleaning = article_cleaning(articles, "a")
    assert cleaning["kept"].tolist() == [False, False, True, True]
    assert 2019 in set(article_year_cues(articles, "a")["year"])
    assert set(article_copies(articles, "b")["doc_id"]) == {"a", "c"}
    assert set(article_copies(articles, "a")["doc_id"]) == {"b", "c"}
    with pytest.raises(ValueError, match="no article"):
        article_record(articles, "zz")


def test_article_sentiment_scores_its_target_sentences():
    articles = article_frame()
    scored = article_sentiment(articles, "a", scorer="rules")
    assert scored["target"].tolist() == ["ai", "ai"]  # "voicebot" is in the AI group too
    assert scored["sentence"].str.contains("voicebot|intelligence").all()
    assert scored["label"].isin(["negative", "neutral", "positive"]).all()
    none = article_sentiment(articles.assign(text="Rien à signaler."), "a", scorer="rules")
    assert none.empty


def test_exports_write_csv_png_svg_and_show_project_paths(tmp_path):
    import matplotlib.pyplot as plt

    table = pd.DataFrame({"year": [2019], "share": [0.5]})
    path = export_table(table, "term voicebot / série", tmp_path)
    assert path.name == "term-voicebot-série.csv" and pd.read_csv(path).equals(table)
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    assert [p.suffix for p in export_figure(fig, "fig", tmp_path)] == [".png", ".svg"]
    assert all(p.stat().st_size > 0 for p in tmp_path.glob("fig.*"))
    assert shown_path(config.REPORTS / "explore" / "x.csv") == "reports/explore/x.csv"


def test_term_explorer_displays_the_query_answer_and_reports_bad_input(tmp_path):
    explorer = TermExplorer(build_index(small_corpus()), folder=tmp_path, years=(2015, 2016), n_boot=20,
                            min_articles=1)
    explorer.search("voicebot")
    assert "3 mentions in 3 of 6 articles" in explorer.status.value and explorer.image.value[:4] == b"\x89PNG"
    assert len(explorer.kwic.options) == 3 and explorer.years.options == (2015, 2016)
    explorer.years.value = (2016,)
    assert [doc for _, (_, doc) in explorer.kwic.options] == ["d4"]
    written = explorer.exports.export_tables() + explorer.exports.export_figure()
    assert {p.suffix for p in written} == {".csv", ".png", ".svg"} and all(p.exists() for p in written)
    explorer.search("re:voice(")
    assert "not a valid regular expression" in explorer.status.value
    assert np.isclose(explorer.series.query("family == 'all outlets' and measure == 'share' and year == 2015")
                      ["estimate"].iloc[0], 0.5)
