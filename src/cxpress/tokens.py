"""The import path `cxpress.tokens` of the public API (DESIGN.md); the code is in cxpress.text.tokens."""

from cxpress.text.tokens import (  # noqa: F401
    Tokenizer,
    join_mwes,
    load_mwes,
    load_stopwords,
    normalise_word,
    split_words,
    tokenize,
    tokens_of_words,
)
