"""Sentiment toward AI and offshoring: target sentences, lexicons and rules, a learned scorer,
validation, yearly shares corrected for the scorer's error, a sample for hand labelling."""

from cxpress.sentiment.by_year import (
    example_sentences,
    sentiment_by_group,
    sentiment_by_year,
    sentiment_trends,
)
from cxpress.sentiment.classifier import (
    ClassifierScorer,
    fit_model,
    make_model,
    predict_probabilities,
    read_labelled,
    training_sentences,
)
from cxpress.sentiment.correction import corrected_net_trend, corrected_shares, correction_matrix
from cxpress.sentiment.estimates import (
    bootstrap_macro_f1,
    confusion_counts,
    grouped_predictions,
    held_out_summary,
    macro_f1,
    per_class_f1,
    per_group_f1,
    reliability_table,
)
from cxpress.sentiment.features import (
    CharNgrams,
    FeatureSettings,
    RuleFeatures,
    build_features,
    mark_negation,
)
from cxpress.sentiment.hits import (
    Hit,
    WordCache,
    find_hits,
    is_mark,
    tokenize_clauses,
)
from cxpress.sentiment.labelling import label_sample_main, sample_for_labelling
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
)
from cxpress.sentiment.scoring import make_scorer, score_sentences
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
