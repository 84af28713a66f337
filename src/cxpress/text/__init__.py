"""Pure French text helpers: French rules, Unicode repair, boilerplate, dates, years, tokens, terms, language.

Each function takes its compiled rules or helper object as an optional keyword; the defaults come
from cxpress.text.defaults (built once per process from data/lexicons/).
"""

from cxpress.text.boilerplate import (
    Boilerplate,
    BoilerplateClassifier,
    default_boilerplate,
    default_classifier,
    load_boilerplate,
    remove_boilerplate,
    strip_inline,
)
from cxpress.text.clean import (
    clean_text,
    guess_title,
)
from cxpress.text.dates import (
    DateRules,
    StatedDates,
    date_from_location,
    default_date_rules,
    extract_date,
    find_numeric_date,
    find_stated_dates,
    find_text_date,
    load_date_rules,
    parse_date,
    word_alternation,
)
from cxpress.text.french import (
    Elision,
    default_elision,
    fold_text,
    is_acronym,
    load_elision,
    split_elided,
    straighten_apostrophes,
)
from cxpress.text.language import (
    FunctionWords,
    default_function_words,
    default_language_identifier,
    detect_language,
    load_function_words,
    load_language_identifier,
    plainly_french,
)
from cxpress.text.terms import (
    Mention,
    TermMatcher,
    compile_groups,
    compile_term,
    default_matcher,
    is_case_sensitive,
    load_group_labels,
    load_term_groups,
    term_atoms,
    term_pattern,
)
from cxpress.text.tokens import (
    Tokenizer,
    TokenRules,
    default_tokenizer,
    join_mwes,
    load_mwes,
    load_stopwords,
    load_token_rules,
    normalise_word,
    split_words,
    tokenize,
    tokens_of_words,
)
from cxpress.text.unicode import (
    repair_unicode,
)
from cxpress.text.years import (
    Event,
    YearRules,
    default_year_rules,
    infer_year,
    load_year_rules,
)
