"""The import path `cxpress.tokens` of the public API (DESIGN.md); the code is in cxpress.text.tokens."""

from cxpress.text.tokens import (  # noqa: F401
    count_words,
    join_mwes,
    load_mwes,
    load_stopwords,
    normalise_word,
    split_words,
    tokenize,
    tokenize_many,
    tokens_of_words,
)
