"""The French examples in the text helpers' docstrings run and pass."""

import doctest

import pytest

from cxpress import exports
from cxpress.corpus import outlets, press_exports, webpages
from cxpress.text import boilerplate, clean, french, tokens, unicode


@pytest.mark.parametrize("module", [unicode, boilerplate, clean, french, tokens, outlets, press_exports, webpages,
                                    exports])
def test_doctests_pass(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
