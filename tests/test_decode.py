import codecs

import pytest

from cxpress.corpus import DecodeError, decode_bytes, looks_binary

TEXT = "Les téléconseillers « délocalisés » à Rabat’s œuvrent… 3 € par semaine"


@pytest.mark.parametrize(
    ("data", "encoding", "fallback"),
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", False),
        (TEXT.encode("utf-16"), "utf-16", False),
        (TEXT.encode("utf-16-le"), "utf-16-le", True),
        (TEXT.encode("cp1252"), "cp1252", True),
    ],
)
def test_decodes_each_supported_encoding(data, encoding, fallback):
    decoded = decode_bytes(data)
    assert decoded.text == TEXT
    assert (decoded.encoding, decoded.fallback) == (encoding, fallback)


def test_latin1_is_the_last_resort():
    data = "café".encode("latin-1") + b"\x81"  # 0x81 is undefined in cp1252
    decoded = decode_bytes(data)
    assert decoded.encoding == "latin-1" and decoded.text.startswith("café")


@pytest.mark.parametrize("data", [b"", b"   \n\t "])
def test_empty_files_are_refused_with_a_reason(data):
    with pytest.raises(DecodeError, match="empty"):
        decode_bytes(data)


def test_binary_files_are_refused_with_a_reason():
    data = bytes(range(256)) * 16
    assert looks_binary(data)
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(data)
