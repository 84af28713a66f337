"""Pure French text helpers: Unicode repair, boilerplate, dates, years, tokens, term matching, language."""

from cxpress.text.clean import (
    Boilerplate,
    clean_text,
    extract_byline,
    guess_title,
    load_boilerplate,
    remove_boilerplate,
    repair_unicode,
    strip_inline,
)
from cxpress.text.dates import (
    DateRules,
    extract_date,
    find_numeric_date,
    find_text_date,
    fold_text,
    load_date_rules,
    parse_date,
    word_alternation,
)
from cxpress.text.language import (
    detect_language,
    plainly_french,
)
from cxpress.text.terms import (
    Mention,
    TermMatcher,
    compile_groups,
    compile_term,
    default_matcher,
    fold_word,
    is_case_sensitive,
    load_group_labels,
    load_term_groups,
    term_atoms,
    term_pattern,
)
from cxpress.text.tokens import (
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
from cxpress.text.years import (
    Event,
    YearRules,
    infer_year,
    load_year_rules,
)
