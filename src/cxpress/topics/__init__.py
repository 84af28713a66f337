"""NMF topics: the vectorised corpus, k chosen by coherence and stability, tidy topic tables."""

from cxpress.topics.choice import K_RULE, MIN_DOCS_PER_TOPIC, choose_k, explain_k, near_ties
from cxpress.topics.matrix import (
    DocumentTerms,
    load_topic_stopwords,
    vectorise_tokens,
)
from cxpress.topics.model import (
    TopicModel,
    TopicParams,
    assign_labels,
    check_k,
    estimate_prevalence,
    fit_topics,
    load_topic_labels,
    make_snippet,
    pick_representative,
    prevalence_by_group,
    tabulate_doc_topics,
    tabulate_terms,
    tabulate_topics,
    topic_similarity,
)
from cxpress.topics.quality import (
    Resampling,
    agreement_score,
    average_jaccard,
    compare_models,
    factorise,
    feasible_k,
    nmf_solver,
    npmi_coherence,
    resample_size,
    select_k,
    select_k_memoised,
    top_term_ids,
)
from cxpress.topics.vocabulary import ARTEFACTS, article_outlets, drop_terms, find_artefact_terms
