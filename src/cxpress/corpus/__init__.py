"""Corpus loading: files read and decoded, articles cleaned, dated, deduplicated, cached; selection for analysis."""

from cxpress.corpus.analysis import (
    AnalysisFrame,
    analysis_frame,
)
from cxpress.corpus.articles import (
    SharedTokens,
    TextTools,
    article_frame,
    date_record,
    mojibake_repaired,
    process_record,
    text_tools,
    year_guess,
)
from cxpress.corpus.cache import (
    corpus_fingerprint,
    normalise_dtypes,
    read_articles,
    release_arrow_memory,
)
from cxpress.corpus.calibration import (
    confidence_threshold,
    describe_calibration,
    describe_sensitivity,
    masked_year_guesses,
    stated_only,
    trusted_years,
    year_calibration,
)
from cxpress.corpus.decode import (
    Decoded,
    DecodeError,
    decode_bytes,
    looks_binary,
)
from cxpress.corpus.dedup import (
    find_duplicates,
    fingerprint,
    near_duplicate_pairs,
)
from cxpress.corpus.ingest import (
    bundle_files,
    discover_files,
    ingest_files,
)
from cxpress.corpus.load import (
    LoadedCorpus,
    LoadParams,
    load_corpus,
)
from cxpress.corpus.outlets import (
    OutletLexicon,
    copy_outlets,
    load_outlet_lexicon,
    normalise_outlet,
)
from cxpress.corpus.overview import (
    articles_per_outlet,
    articles_per_year,
    cleaning_diff,
    date_source_counts,
    length_summary,
    most_cleaned,
    source_family,
    top_bigrams,
    top_terms,
)
from cxpress.corpus.readers import (
    read_file,
)
from cxpress.corpus.select import (
    select_for_analysis,
    selection_report,
)
from cxpress.corpus.webpages import (
    HtmlArticle,
    html_to_text,
)
