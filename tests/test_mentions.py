"""One mention pass shared by the analyses, and its (and the scores') memo on disk."""

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from joblib import Memory

from cxpress import config
from cxpress import memory as memo
from cxpress.corpus import load_corpus, select_for_analysis
from cxpress.sentiment import RuleScorer, score_sentences, target_sentences
from cxpress.text import compile_groups, default_matcher, load_term_groups
from cxpress.timelines import count_mentions, find_mentions, kwic, term_breakdown

PERIODS = [(2010, 2014), (2020, 2024)]


@pytest.fixture(scope="module")
def demo():
    return select_for_analysis(load_corpus(config.SAMPLE, progress=False).articles)


@pytest.fixture(scope="module")
def demo_mentions(demo):
    return find_mentions(demo, load_term_groups())


def test_the_table_holds_what_the_matcher_finds_in_each_text(demo, demo_mentions):
    matcher = default_matcher()
    expected = [(str(doc_id), m.group, m.term, m.start, m.end)
                for doc_id, text in zip(demo["doc_id"], demo["text"], strict=True) for m in matcher.find(text)]
    table = demo_mentions.table
    got = list(zip(table["doc_id"].astype(str), table["group"].astype(str), table["term"].astype(str),
                   table["start"], table["end"], strict=True))
    assert got == expected and len(got) > 100
    assert len(demo_mentions.doc_ids) == len(demo)


def test_analyses_from_the_shared_pass_equal_their_own_passes(demo, demo_mentions):
    groups = load_term_groups()
    pd.testing.assert_frame_equal(count_mentions(demo, groups, mentions=demo_mentions),
                                  count_mentions(demo, groups))
    pd.testing.assert_frame_equal(term_breakdown(demo, groups, PERIODS, mentions=demo_mentions),
                                  term_breakdown(demo, groups, PERIODS))
    for term in ("ai", "offshoring"):
        pd.testing.assert_frame_equal(kwic(demo, term, 50, groups=groups, mentions=demo_mentions),
                                      kwic(demo, term, 50, groups=groups))
    for window in (0, 1):
        pd.testing.assert_frame_equal(target_sentences(demo, window=window, mentions=demo_mentions),
                                      target_sentences(demo, window=window))


def test_a_subset_reuses_the_pass_and_foreign_articles_or_terms_are_refused(demo, demo_mentions):
    part = demo.iloc[::3]
    groups = load_term_groups()
    pd.testing.assert_frame_equal(count_mentions(part, groups, mentions=demo_mentions),
                                  count_mentions(part, groups))
    stranger = pd.DataFrame({"doc_id": ["nouveau"], "year": [2020], "title": ["t"], "text": ["L'IA arrive."]})
    with pytest.raises(ValueError, match="not searched.*find_mentions"):
        count_mentions(stranger, groups, mentions=demo_mentions)
    with pytest.raises(ValueError, match="other terms for groups \\['ai'\\]"):
        count_mentions(demo, {**groups, "ai": ["IA"]}, mentions=demo_mentions)
    with pytest.raises(ValueError, match="other terms"):
        target_sentences(demo, {"ai": ["IA"]}, mentions=demo_mentions)
    with pytest.raises(ValueError, match="other terms"):  # a compiled matcher is checked too
        count_mentions(demo, compile_groups({**groups, "ai": ["IA"]}), mentions=demo_mentions)


def test_a_term_that_is_not_a_group_is_searched_for_itself(demo, demo_mentions):
    rows = kwic(demo, "chatbot*", 40, mentions=demo_mentions)
    assert len(rows) > 0 and rows["match"].str.lower().str.startswith("chatbot").all()


def stored(memory: Memory) -> int:
    """Results a joblib.Memory holds."""
    return sum(1 for _ in Path(memory.location).rglob("output.pkl"))


def test_the_memo_is_read_back_and_follows_texts_and_terms(demo, tmp_path):
    memory = Memory(tmp_path, verbose=0)
    groups = {"ai": ["IA", "chatbot*"], "offshoring": ["délocalis*"]}
    plain = find_mentions(demo, groups).table
    assert stored(memory) == 0  # no memory given: nothing stored
    first = find_mentions(demo, groups, memory=memory)
    again = find_mentions(demo, groups, memory=tmp_path)  # a folder works as well
    pd.testing.assert_frame_equal(first.table, plain)
    pd.testing.assert_frame_equal(again.table, plain)
    assert stored(memory) == 1
    edited = demo.assign(text=demo["text"].where(demo.index != demo.index[0], "L'IA, encore l'IA."))
    assert find_mentions(edited, groups, memory=memory).of(edited.iloc[:1]).shape[0] == 2
    find_mentions(demo, {**groups, "ai": ["IA"]}, memory=memory)
    assert stored(memory) == 3


@dataclass
class CountingScorer(RuleScorer):
    calls: int = field(default=0, repr=False)  # not a setting: kept out of the memo key

    def __call__(self, sentences, targets=None):
        self.calls += 1
        return super().__call__(sentences, targets)


def test_scores_are_memoised_for_the_same_sentences_and_settings_only(demo, tmp_path):
    found = target_sentences(demo).head(60)
    scorer = CountingScorer()
    plain = score_sentences(found, RuleScorer())
    pd.testing.assert_frame_equal(score_sentences(found, scorer, memory=tmp_path), plain)
    pd.testing.assert_frame_equal(score_sentences(found, scorer, memory=tmp_path), plain)
    assert scorer.calls == 1
    score_sentences(found.head(59), scorer, memory=tmp_path)
    score_sentences(found, CountingScorer(positive_above=0.5), memory=tmp_path)
    assert scorer.calls == 2


def test_memo_keys_tell_shifted_text_apart():
    assert memo.text_key(["ab", "c"]) != memo.text_key(["a", "bc"])
    assert memo.text_key("x", ["y"]) == memo.text_key("x", ["y"])
    assert memo.source_version("text.terms") != memo.source_version("timelines.mentions")


def test_target_sentences_memo_is_read_back_and_follows_the_window(demo, tmp_path):
    memory = Memory(tmp_path, verbose=0)
    plain = {w: target_sentences(demo, window=w) for w in (0, 1)}
    for _ in range(2):
        for window in (0, 1):
            pd.testing.assert_frame_equal(target_sentences(demo, window=window, memory=memory), plain[window])
    assert stored(memory) == 2
