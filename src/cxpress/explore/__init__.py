"""Interactive exploration in JupyterLab: queries that return frames (terms, topics, articles) and
ipywidgets views that display them (notebook 05)."""

from cxpress.explore.articles import (
    article_cleaning,
    article_copies,
    article_record,
    article_sentiment,
    article_year_cues,
    find_article,
)
from cxpress.explore.exports import export_figure, export_table, shown_path
from cxpress.explore.search import GroupMentions, TextIndex, build_index, find_term, parse_query
from cxpress.explore.terms import outlet_families, series_for_plot, term_kwic, term_series
from cxpress.explore.topics import (
    article_topics,
    relabel,
    rename_topic,
    share_matrix,
    topic_articles,
    topic_neighbours,
    topic_prevalence,
    topic_terms,
)
from cxpress.explore.widgets import ArticleViewer, TermExplorer, TopicExplorer
