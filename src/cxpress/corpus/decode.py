"""Bytes to text: BOM sniffing, UTF-8 first, then cp1252/latin-1 fallback; binary files refused."""

from __future__ import annotations

import codecs
from typing import NamedTuple

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in text files (tab, LF, CR, FF excepted).
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))


class Decoded(NamedTuple):
    """A decoded file: its text, the codec used, and whether that codec was a fallback."""

    text: str
    encoding: str
    fallback: bool


class DecodeError(ValueError):
    """The bytes are not text (empty, binary, or in no supported encoding)."""


def _utf16_without_bom(data: bytes) -> str | None:
    # UTF-16 text without a BOM: every other byte is NUL for Latin script.
    if len(data) >= 4 and len(data) % 2 == 0:
        evens, odds = data[0::2], data[1::2]
        if odds.count(0) > 0.4 * len(odds):
            return "utf-16-le"
        if evens.count(0) > 0.4 * len(evens):
            return "utf-16-be"
    return None


_CONTROL_BYTES = bytes(sorted(_CONTROL))


def looks_binary(data: bytes) -> bool:
    """True when the bytes hold NULs or many control characters (images, archives, random bytes)."""
    sample = data[:8192]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # one C pass
    return controls / len(sample) > 0.01


def decode_bytes(data: bytes) -> Decoded:
    """Decode a text file's bytes; raises DecodeError with the reason when they are not text."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec, False)
            except UnicodeDecodeError as err:
                raise DecodeError(f"has a {codec} byte-order mark but is not valid {codec}: {err}") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return Decoded(data.decode(utf16), utf16, True)
        except UnicodeDecodeError:
            pass
    if not data.strip():
        raise DecodeError("empty file (no text)")
    if looks_binary(data):
        raise DecodeError("binary content (control bytes), not a text file")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("cp1252"), "cp1252", True)
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1", True)
