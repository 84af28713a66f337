"""The import path `cxpress.clean` of the public API (DESIGN.md); the code is in cxpress.text (clean,
unicode, boilerplate)."""

from cxpress.text.boilerplate import (  # noqa: F401
    Boilerplate,
    BoilerplateClassifier,
    load_boilerplate,
    remove_boilerplate,
    strip_inline,
)
from cxpress.text.clean import clean_text, guess_title  # noqa: F401
from cxpress.text.unicode import repair_unicode  # noqa: F401
