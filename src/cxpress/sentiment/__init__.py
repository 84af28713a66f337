"""Sentiment toward AI and offshoring: target sentences, lexicons and rules, scorers, validation."""

from cxpress.sentiment.by_year import example_sentences, sentiment_by_year, sentiment_trends
from cxpress.sentiment.hits import (
    Hit,
    WordCache,
    find_hits,
    is_mark,
    tokenize_clauses,
)
from cxpress.sentiment.lexicon import (
    Grammar,
    Lexicons,
    base_forms,
    lemma_key,
    load_grammar,
    load_lexicons,
    load_pattern_lexicon,
)
from cxpress.sentiment.rules import (
    RuleParams,
    score_sentence,
)
from cxpress.sentiment.scorers import (
    LexiconScorer,
    MajorityScorer,
    RuleScorer,
    Scorer,
    make_scorer,
    score_sentences,
)
from cxpress.sentiment.targets import (
    load_abbreviations,
    sentence_spans,
    target_sentences,
)
from cxpress.sentiment.validation import (
    assign_folds,
    compare_scorers,
    confusion_table,
    cross_validate_band,
    evaluate_scorers,
    split_by_document,
)
