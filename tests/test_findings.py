"""Key findings are computed from the run's tables: different tables give different sentences."""

import nbformat
import pandas as pd

from cxpress import config
from cxpress.findings import (
    MAX_SENTENCES,
    TAG,
    corpus_facts,
    corpus_name,
    findings_markdown,
    sentiment_findings,
    term_findings,
    topic_findings,
)
from cxpress.reports.share import arrange_for_reading, run_context, run_header


def yearly(key, name, values, n=10, sparse=()):
    return pd.DataFrame({key: name, "year": range(2010, 2010 + len(values)), "estimate": values,
                         "n_articles": [0 if v != v else n for v in values],
                         "sparse": [y in sparse for y in range(2010, 2010 + len(values))]})


def trend(key, name, slope, low, high, direction, n_years=5, first=2010, last=2014):
    return {key: name, "slope": slope, "ci_low": low, "ci_high": high, "p_value": 0.01, "n_years": n_years,
            "direction": direction, "first_year": first, "last_year": last, "n_sparse_years": 0}


def articles(n, inferred=0):
    return pd.DataFrame({"date_source": ["inferred"] * inferred + ["stated"] * (n - inferred)})


def test_topic_findings_follow_the_tables():
    prevalence = pd.concat([yearly("topic", 0, [0.1, 0.2, 0.3, 0.4, 0.5]), yearly("topic", 1, [0.3] * 5)])
    trends = pd.DataFrame([trend("topic", 0, 0.1, 0.05, 0.15, "rising"),
                           trend("topic", 1, 0.0, -0.01, 0.01, "no clear trend")])
    facts = corpus_facts(articles(50), config.ROOT / "elsewhere", (2010, 2014), prevalence)
    out = topic_findings(trends, prevalence, {0: "IA", 1: "CRM"}, facts)
    assert 3 <= len(out) <= MAX_SENTENCES
    assert out[0].startswith("This run analysed 50 articles of 2010-2014 from the corpus elsewhere")
    assert ("The mean share of the topic “IA” rose from 10% in 2010 to 50% in 2014: +10.0 pp per year "
            "(95% CI +5.0 to +15.0), over 5 usable years (50 articles).") in out
    assert any(s.startswith("No clear trend") and "CRM" in s for s in out)
    assert not any("synthetic" in s for s in out)
    # another table, other sentences: falling, sparse and empty years, inferred years, the demo corpus
    prevalence = yearly("topic", 0, [0.5, 0.4, float("nan"), 0.2, 0.1], sparse=(2013,))
    trends = pd.DataFrame([trend("topic", 0, -0.1, -0.2, -0.05, "falling", n_years=3)])
    facts = corpus_facts(articles(30, inferred=6), config.SAMPLE, (2010, 2014), prevalence)
    out = topic_findings(trends, prevalence, {0: "IA"}, facts)
    assert any("“IA” fell from 50% in 2010 to 10% in 2014: -10.0 pp per year" in s for s in out)
    assert any("synthetic demo corpus" in s for s in out)
    assert any("6 of the 30 articles (20%)" in s and "sparse years (2013)" in s
               and "years without articles (2012)" in s for s in out)


def test_term_findings_count_the_articles_mentioning_and_say_what_is_too_sparse():
    timeline = yearly("group", "ai", [0.0, 0.5, 1.0], n=4).assign(measure="share", n_mentioning=[0, 2, 4])
    trends = pd.DataFrame([trend("group", "ai", 0.5, 0.2, 0.8, "rising", n_years=3, last=2012),
                           trend("group", "gdpr", float("nan"), float("nan"), float("nan"), "too few years",
                                 n_years=2)]).assign(measure="share")
    out = term_findings(trends, timeline, {"ai": "Intelligence artificielle"},
                        corpus_facts(articles(12), "x", (2010, 2012), timeline))
    assert any("mentioning Intelligence artificielle rose from 0% in 2010 to 100% in 2012" in s
               and "(6 of 12 articles mentioning it)" in s for s in out)
    assert "Too sparse to say: gdpr (2 usable years)." in out


def test_sentiment_findings_quote_the_scorer_accuracy():
    by_year = yearly("target", "ai", [-0.2, 0.0, 0.2]).assign(n_sentences=[5, 6, 7])
    trends = pd.DataFrame([trend("target", "ai", 0.2, 0.1, 0.3, "rising", n_years=3, last=2012)])
    out = sentiment_findings(trends, by_year, {}, corpus_facts(articles(30), "x", (2010, 2012), by_year),
                             accuracy=(0.77, 0.73, 0.81))
    assert "18 sentences mentioning a target" in out[0]
    assert any("macro-F1 on sentences it never saw is 0.77 (95% CI 0.73-0.81)" in s for s in out)
    assert findings_markdown(out).startswith("## Key findings\n\n- This run")


def test_corpus_name_is_never_an_absolute_path(tmp_path):
    assert corpus_name(config.SAMPLE) == "data/sample"
    assert corpus_name(tmp_path / "realistic") == "realistic"


def test_report_opens_with_title_run_header_and_key_findings():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("show_findings(...)", metadata={"tags": [TAG]}),
        nbformat.v4.new_markdown_cell("## Limits")])
    context = run_context("03_term_timelines", {"n_articles": 115, "n_analysed": 111}, config.SAMPLE,
                          {"commit": "0123456789abcdef", "dirty": False},
                          [{"name": "seed", "value": 1}, {"name": "reports_dir", "value": "/tmp/x"}], {"seed": 1})
    header = run_header(context, "2025-01-02T03:04:05+01:00")
    arranged = arrange_for_reading(nb, header)
    assert [c.source[:12] for c in arranged.cells] == ["# Title", header[:12], "show_finding", "x = 1",
                                                       "## Limits"]
    assert len(nb.cells) == 4 and nb.cells[1].source == "x = 1"  # the executed notebook is left as is
    assert "2025-01-02 03:04" in header and "`data/sample` (111 articles analysed of 115 loaded)" in header
    assert "`0123456789ab`" in header and "`seed = 1`" in header and "/tmp" not in header
    assert "cxpress report --notebooks 03_term_timelines --corpus data/sample -p seed 1" in header
    outside = run_context("02", {}, config.ROOT.parent / "shared" / "corpus" / "realistic", {}, [], {})
    assert outside["corpus"] == "realistic" and "--corpus PATH/TO/realistic" in outside["rerun"]


def test_injected_paths_are_shown_by_name():
    cell = nbformat.v4.new_code_cell(f'corpus = "{config.SAMPLE}"\nreports_dir = "/tmp/x/reports"\nseed = 1',
                                     metadata={"tags": ["injected-parameters"]})
    nb = arrange_for_reading(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), cell]))
    assert nb.cells[1].source == 'corpus = "data/sample"\nreports_dir = "reports"\nseed = 1'


def test_usable_years_are_stated_per_trend():
    from cxpress.findings import describe_usable_years

    trends = pd.DataFrame({"group": ["ai", "generative_ai"], "n_years": [15, 4]})
    text = describe_usable_years(trends, (2010, 2024), {"generative_ai": "IA générative"})
    assert "15 of the 15 years for ai" in text and "4 of the 15 years for IA générative" in text
    assert describe_usable_years(trends.iloc[:0], (2010, 2024), {}) == "No trend was tested."
