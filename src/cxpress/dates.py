"""The import path `cxpress.dates` of the public API (DESIGN.md); the code is in cxpress.text.dates."""

from cxpress.text.dates import (  # noqa: F401
    DateRules,
    StatedDates,
    date_from_location,
    extract_date,
    find_numeric_date,
    find_stated_dates,
    find_text_date,
    load_date_rules,
    parse_date,
    word_alternation,
)
from cxpress.text.french import fold_text  # noqa: F401
