"""The import path `cxpress.clean` of the public API (DESIGN.md); the code is in cxpress.text.clean."""

from cxpress.text.clean import (  # noqa: F401
    Boilerplate,
    clean_text,
    extract_byline,
    guess_title,
    load_boilerplate,
    remove_boilerplate,
    repair_unicode,
    strip_inline,
)
