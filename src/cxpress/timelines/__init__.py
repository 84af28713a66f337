"""Term-group timelines: mentions, yearly shares and rates with CIs, trends, KWIC, keyness."""

from cxpress.timelines.keyness import (
    keyness,
    log_likelihood,
    log_ratio,
    period_label,
    token_frequencies,
)
from cxpress.timelines.mentions import (
    Mentions,
    as_matcher,
    check_unique_ids,
    count_matrix,
    find_mentions,
)
from cxpress.timelines.timeline import (
    count_mentions,
    first_year_reaching,
    kwic,
    merge_groups,
    per_article_values,
    sample_contexts,
    term_breakdown,
    term_share_by_group,
    term_timeline,
    trend_tests,
)
