import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from conftest import written_outputs

from cxpress import config
from cxpress.corpus import load_corpus, select_for_analysis
from cxpress.text import load_term_groups
from cxpress.timelines.timeline import (
    TIMELINE_COLUMNS,
    count_mentions,
    first_year_reaching,
    kwic,
    merge_groups,
    sample_contexts,
    term_breakdown,
    term_timeline,
    trend_tests,
)

REPO = Path(__file__).resolve().parents[1]
REALISTIC = REPO.parent / "shared" / "corpus" / "realistic"
GROUPS = {"ai": ["IA", "chatbot*"], "offshoring": ["délocalis*", "Maroc"]}


def make_articles(rows: list[tuple[int | None, str]]) -> pd.DataFrame:
    """Tidy-corpus-like frame: one article per (year, text); 100 tokens each for easy rates."""
    return pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(len(rows))],
        "year": pd.array([y for y, _ in rows], dtype="Int64"),
        "title": [f"Titre {i}" for i in range(len(rows))],
        "text": [t for _, t in rows],
        "n_tokens": 100,
    })


@pytest.fixture(scope="module")
def small():
    return make_articles([
        (2010, "L'IA et l'IA."), (2010, "Rien ici."), (2010, "La délocalisation au Maroc."),
        (2011, "Un chatbot."), (2011, "Des chatbots, l'IA."),
        (2013, "Trop tard pour 2012."), (None, "IA sans date."), (2030, "IA du futur."),
    ])


def by_measure(timeline: pd.DataFrame, measure: str, group: str = "ai") -> pd.DataFrame:
    return timeline.loc[(timeline["measure"] == measure) & (timeline["group"] == group)].set_index("year")


def test_timeline_counts_shares_and_rates(small):
    tl = term_timeline(small, GROUPS, years=(2010, 2013), n_boot=200, min_articles=2)
    assert list(tl.columns) == TIMELINE_COLUMNS
    assert len(tl) == 2 * 2 * 4  # groups x measures x years
    ai = by_measure(tl, "share")
    assert ai.loc[2010, ["n_articles", "n_tokens", "n_mentions", "n_mentioning"]].tolist() == [3, 300, 2, 1]
    assert ai.loc[2010, "estimate"] == pytest.approx(1 / 3)
    assert by_measure(tl, "per_10k").loc[2010, "estimate"] == pytest.approx(2 / 300 * 10_000)
    assert ai.loc[2011, "n_mentions"] == 3 and ai.loc[2011, "estimate"] == 1.0
    off = by_measure(tl, "share", "offshoring")
    assert off.loc[2010, "n_mentions"] == 2 and off.loc[2010, "n_mentioning"] == 1


def test_empty_years_are_gaps_and_small_years_sparse(small):
    tl = term_timeline(small, GROUPS, years=(2010, 2013), n_boot=50, min_articles=2)
    gap = tl.loc[(tl["group"] == "ai") & (tl["year"] == 2012)]
    assert (gap["n_articles"] == 0).all() and gap["sparse"].all()
    assert gap[["estimate", "ci_low", "ci_high"]].isna().all().all() and gap["n_mentions"].isna().all()
    assert tl.loc[tl["year"] == 2013, "sparse"].all()
    assert not tl.loc[tl["year"].isin([2010, 2011]), "sparse"].any()
    assert sorted(tl["year"].unique()) == [2010, 2011, 2012, 2013]
    assert tl.attrs["excluded"] == {"undated": 1, "out_of_range": 1}


def test_ci_brackets_the_estimate_of_both_measures(small):
    tl = term_timeline(small, GROUPS, years=(2010, 2011), n_boot=300)
    assert set(tl["measure"]) == {"share", "per_10k"}
    assert ((tl["ci_low"] <= tl["estimate"] + 1e-9) & (tl["estimate"] <= tl["ci_high"] + 1e-9)).all()
    assert list(term_timeline(small, GROUPS, n_boot=10, measures=["share"])["measure"].unique()) == ["share"]


def test_bootstrap_is_seeded_and_deterministic(small):
    a = term_timeline(small, GROUPS, n_boot=200, seed=3)
    b = term_timeline(small, GROUPS, n_boot=200, seed=3)
    c = term_timeline(small, GROUPS, n_boot=200, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a.loc[a["measure"] == "per_10k", "ci_high"].equals(c.loc[c["measure"] == "per_10k", "ci_high"])


def test_count_matrix_is_reused_and_checked(small):
    counts = count_mentions(small, GROUPS)
    assert counts.loc["d0", "ai"] == 2 and counts.loc["d4", "ai"] == 2
    pd.testing.assert_frame_equal(term_timeline(small, counts, n_boot=50), term_timeline(small, GROUPS, n_boot=50))
    with pytest.raises(ValueError, match="not in the count matrix"):
        term_timeline(small, counts.drop(index="d1"), n_boot=10)


def test_bad_articles_raise_clear_errors(small):
    with pytest.raises(ValueError, match="duplicate doc_id"):
        count_mentions(pd.concat([small, small]), GROUPS)
    with pytest.raises(ValueError, match=r"lack column\(s\) \['n_tokens'\]"):
        term_timeline(small.drop(columns="n_tokens"), GROUPS)
    with pytest.raises(ValueError, match="first year must not be after"):
        term_timeline(small, GROUPS, years=(2020, 2010))
    with pytest.raises(ValueError, match=r"unknown measure\(s\) \['share_'\]"):
        term_timeline(small, GROUPS, measures=["share_"])


def test_user_regex_and_extra_terms():
    merged = merge_groups(GROUPS, {"ai": ["re:algorithmes?"], "crm": ["CRM", "Salesforce"]})
    assert merged["ai"] == ["IA", "chatbot*", "re:algorithmes?"] and merged["crm"] == ["CRM", "Salesforce"]
    arts = make_articles([(2020, "Des algorithmes et un CRM Salesforce.")])
    assert count_mentions(arts, merged).loc["d0"].to_dict() == {"ai": 1, "offshoring": 0, "crm": 2}
    with pytest.raises(ValueError, match="must be a list"):
        merge_groups(GROUPS, {"crm": "CRM"})


def rising_articles() -> pd.DataFrame:
    """Ten articles a year, 2010-2017: AI in one more article each year, offshoring in five every year."""
    rows = [(year, ("L'IA. " if j <= year - 2010 else "") + ("Le Maroc." if j < 5 else ""))
            for year in range(2010, 2018) for j in range(10)]
    return make_articles(rows)


def test_trend_tests_find_rising_flat_and_too_short_series():
    articles = rising_articles()
    trends = trend_tests(articles, GROUPS, years=(2010, 2017), n_boot=500).set_index(["group", "measure"])
    assert list(trends.columns[:6]) == ["slope", "ci_low", "ci_high", "p_value", "n_years", "direction"]
    rising = trends.loc[("ai", "share")]
    assert rising["direction"] == "rising" and rising["p_value"] < 0.01 and rising["ci_low"] > 0
    assert rising["slope"] == pytest.approx(0.1)  # one article in ten more each year
    assert trends.loc[("ai", "per_10k"), "direction"] == "rising"
    flat = trends.loc[("offshoring", "share")]
    assert flat["direction"] == "no clear trend" and flat["slope"] == 0 and flat["ci_low"] < 0 < flat["ci_high"]
    short = trend_tests(articles, GROUPS, years=(2010, 2017), n_boot=50, min_articles=11)
    assert (short["n_years"] == 0).all() and (short["direction"] == "too few years").all()
    assert (short["n_sparse_years"] == 8).all()


def test_trend_tests_fit_the_timelines_yearly_estimates():
    articles = rising_articles()
    timeline = term_timeline(articles, GROUPS, years=(2010, 2017), n_boot=300, seed=2)
    again = term_timeline(articles, count_mentions(articles, GROUPS), years=(2010, 2017), n_boot=300, seed=2)
    pd.testing.assert_frame_equal(timeline, again)
    trends = trend_tests(articles, GROUPS, years=(2010, 2017), n_boot=300, seed=2)
    share = timeline.loc[(timeline["group"] == "ai") & (timeline["measure"] == "share")]
    ai = trends.loc[(trends["group"] == "ai") & (trends["measure"] == "share")].iloc[0]
    x = share["year"] - share["year"].mean()
    assert ai["slope"] == pytest.approx((x * share["estimate"]).sum() / (x * x).sum())


def series(values, sparse=None) -> pd.DataFrame:
    years = range(2010, 2010 + len(values))
    return pd.DataFrame({"group": "g", "measure": "share", "year": list(years), "estimate": values,
                         "ci_low": [v - 0.05 if v == v else v for v in values],
                         "sparse": sparse or [False] * len(values)})


def test_first_year_reaching_skips_sparse_years_unless_asked():
    tl = series([0.0, 0.3, 0.12, 0.2], sparse=[False, True, False, False])
    assert first_year_reaching(tl, 0.1).loc[0, "first_year"] == 2012
    assert first_year_reaching(tl, 0.1, include_sparse=True).loc[0, "first_year"] == 2011
    assert first_year_reaching(tl, 0.1, value="ci_low").loc[0, "first_year"] == 2013
    assert pd.isna(first_year_reaching(tl, 0.9).loc[0, "first_year"])
    rates = pd.concat([tl, tl.assign(measure="per_10k", estimate=50.0)])
    assert first_year_reaching(rates, 40, measure="per_10k").loc[0, "first_year"] == 2010
    assert pd.isna(first_year_reaching(rates, 40).loc[0, "first_year"])


def test_kwic_by_term_group_and_regex():
    arts = make_articles([(2021, "Avant.\nL'IA générative\narrive vite."), (2012, "Via le Maroc, l'IA."),
                          (2015, "Les chatbots et l'IA.")])
    table = kwic(arts, "IA", window=8)
    assert list(table.columns[:6]) == ["doc_id", "year", "title", "left", "match", "right"]
    assert table["year"].tolist() == [2012, 2015, 2021]
    assert table.iloc[2][["left", "match", "right"]].tolist() == ["vant. L'", "IA", " générat"]
    assert kwic(arts, "ai", groups=GROUPS)["match"].tolist() == ["IA", "chatbots", "IA", "IA"]
    assert kwic(arts, "re:arrive\\s+vite")["match"].tolist() == ["arrive vite"]
    assert kwic(arts, "Tunisie").empty


def test_term_breakdown_counts_each_lexicon_term_per_period():
    arts = make_articles([(2011, "L'IA, l'IA et un chatbot."), (2012, "Des chatbots."), (2021, "IA"),
                          (2016, "IA hors période")])
    table = term_breakdown(arts, GROUPS, [(2010, 2014), (2020, 2024)])
    early = table.loc[(table["group"] == "ai") & (table["period"] == "2010-2014")]
    assert early[["term", "n_mentions", "n_articles"]].values.tolist() == [["IA", 2, 1], ["chatbot*", 2, 2]]
    assert table.loc[table["period"] == "2020-2024", "n_mentions"].sum() == 1


def test_sample_contexts_takes_one_per_article_per_period():
    arts = make_articles([(2010, "IA IA IA"), (2011, "IA"), (2012, "IA"), (2021, "IA IA")])
    picked = sample_contexts(kwic(arts, "IA"), [(2010, 2014), (2020, 2024)], n=2, seed=0)
    assert picked.groupby("period")["doc_id"].nunique().to_dict() == {"2010-2014": 2, "2020-2024": 1}
    assert not picked.duplicated("doc_id").any()
    pd.testing.assert_frame_equal(picked, sample_contexts(kwic(arts, "IA"), [(2010, 2014), (2020, 2024)],
                                                          n=2, seed=0))


# --- independent count: the same term list, matched another way (accents folded out of the text,
# --- every candidate start tried, word boundaries checked by hand, leftmost-longest selection)

def fold(text: str) -> str:
    """Strip accents without changing offsets (NFC text: one base letter per accented letter)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def independent_regex(term: str) -> tuple[re.Pattern, bool, bool]:
    """(regex, on_folded_text, is_acronym) for one lexicon term, written independently of
    cxpress.terms; the regex is a lookahead so that every position is tried (group 1 holds it)."""
    if term.startswith("re:"):
        return re.compile(f"(?=({term[3:]}))", re.IGNORECASE), False, False
    letters = [c for c in term if c.isalpha()]
    acronym = len(letters) <= 5 and all(c.isupper() for c in letters)
    separators = {" ": r"[\s\-]+", "-": r"[\-\s]?", "'": r"['’]\s?", "’": r"['’]\s?"}
    body = "".join(separators.get(c, re.escape(c)) for c in fold(term.rstrip("*")))
    if term.endswith("*"):
        body += r"[^\W\d_]*"
    return re.compile(f"(?=({body}))", 0 if acronym else re.IGNORECASE), True, acronym


def independent_count(text: str, terms: list[str]) -> int:
    text = unicodedata.normalize("NFC", text)
    folded = fold(text)
    spans = []
    for term in terms:
        regex, on_folded, acronym = independent_regex(term)
        subject = folded if on_folded else text
        for m in regex.finditer(subject):
            start, end = m.span(1)
            before = subject[max(0, start - 2):start].rjust(2)
            after = subject[end] if end < len(subject) else " "
            verb = acronym and before[0] in "jJ" and before[1] in "'’"  # J'AI is a verb
            if end > start and not before[1].isalnum() and not after.isalnum() and not verb:
                spans.append((start, end))
    kept, last_end = 0, -1
    for start, end in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if start >= last_end:
            kept, last_end = kept + 1, end
    return kept


def assert_counts_match_independent_pass(articles: pd.DataFrame) -> pd.DataFrame:
    groups = load_term_groups()
    counts = count_mentions(articles, groups)
    expected = pd.DataFrame([[independent_count(t, terms) for terms in groups.values()]
                             for t in articles["text"]], index=counts.index, columns=counts.columns)
    diff = counts.ne(expected)
    assert not diff.any().any(), counts[diff.any(axis=1)].compare(expected[diff.any(axis=1)])
    return counts


def test_independent_count_agrees_on_traps():
    arts = make_articles([(2020, "J'ai vu l'IA via l'IAM.\nintelligence\nartificielle, DÉLOCALISATION,"
                                 " robotique, bot, Maurice Dupont, à Maurice, L’IA, délocalisés.")])
    assert assert_counts_match_independent_pass(arts).loc["d0", "ai"] == 5


@pytest.fixture(scope="module")
def demo():
    return select_for_analysis(load_corpus(config.SAMPLE, progress=False).articles)


def test_counts_match_an_independent_pass_on_the_demo_corpus(demo):
    counts = assert_counts_match_independent_pass(demo)
    assert counts["ai"].sum() > 50 and counts["offshoring"].sum() > 50


@pytest.mark.shared
def test_counts_match_an_independent_pass_on_the_realistic_corpus():
    if not REALISTIC.is_dir():
        pytest.skip("../shared/corpus/realistic is absent")
    articles = select_for_analysis(load_corpus(REALISTIC, progress=False).articles)
    counts = assert_counts_match_independent_pass(articles)
    assert (counts["ai"] > 0).mean() > 0.3 and (counts["offshoring"] > 0).mean() > 0.3


@pytest.mark.shared
def test_ai_and_offshoring_groups_find_the_annotated_target_sentences():
    """Recall on sentences hand-labelled as mentioning a target (guards lexicon edits)."""
    path = REALISTIC.parent / "sentiment_dev.jsonl"
    if not path.is_file():
        pytest.skip("../shared/corpus/sentiment_dev.jsonl is absent")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    frame = pd.DataFrame(rows).drop_duplicates(["sentence", "target"])
    arts = pd.DataFrame({"doc_id": range(len(frame)), "text": frame["sentence"].to_numpy()})
    counts = count_mentions(arts, {g: load_term_groups()[g] for g in ("ai", "offshoring")})
    for target in ("ai", "offshoring"):
        found = counts.loc[(frame["target"] == target).to_numpy(), target] > 0
        assert found.mean() >= 0.95, (target, found.mean())


def test_timeline_on_the_demo_corpus_covers_every_year(demo):
    tl = term_timeline(demo, n_boot=100)
    assert len(tl) == 2 * len(load_term_groups()) * (config.YEAR_MAX - config.YEAR_MIN + 1)
    shares = tl.loc[tl["measure"] == "share"]
    assert shares.loc[shares["n_articles"] > 0, "estimate"].between(0, 1).all()
    ai = shares.loc[shares["group"] == "ai"].set_index("year")["estimate"]
    assert ai.loc[2020:2024].mean() > ai.loc[2010:2014].mean()


@pytest.mark.slow
def test_notebook_runs_on_the_demo_corpus(project_reports):
    reports = project_reports[0]
    tables, figures = written_outputs(reports, "timelines")
    assert tables == {f"timelines_{name}.csv" for name in
                      ("yearly", "trends", "term_breakdown", "kwic_samples", "keyness", "by_group")}
    assert figures == {f"timelines_{name}.png" for name in ("share", "per_10k", "keyness", "by_group")}
    yearly = pd.read_csv(reports / "tables" / "timelines_yearly.csv")
    assert sorted(yearly["year"].unique()) == list(range(config.YEAR_MIN, config.YEAR_MAX + 1))
