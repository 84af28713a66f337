"""Unicode repair of raw captures: mojibake, HTML entities, odd spaces and invisibles, apostrophes, NFC.

Pure `str -> str`; it runs on every article, so cheap `in` checks guard each slow path.
"""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy

from cxpress.text.french import APOSTROPHES

MOJIBAKE_SIGNS = ("Ã", "Â", "â€", "â‚", "â„", "Å", "Ä", "ï»¿")  # UTF-8 read as latin-1/cp1252
_MOJIBAKE = re.compile("|".join(map(re.escape, MOJIBAKE_SIGNS)))  # one scan, not eight
_COMMON_CHARS = {  # printable characters to normalise (order matters: \r\n before \r)
    "\r\n": "\n",
    "\r": "\n",
    "\t": " ",
    "\u00a0": " ",
    "\u202f": " ",
    **dict.fromkeys(APOSTROPHES, "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f", '"'),
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_ODD_SPACES = "\u2000-\u200a\u205f\u3000\u1680"
_LINE_SEPARATORS = "\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
# Controls, format characters (soft hyphen, zero-width, bidi marks), lone surrogates, private use (icon fonts).
_INVISIBLES = (
    "\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff"
)
_NONPRINTING = re.compile(f"([{_ODD_SPACES}])|([{_LINE_SEPARATORS}])|[{_INVISIBLES}]")
_BEYOND_TEXT_SYMBOLS = re.compile("[^\x00-\u22ff]")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u231a\u231b\u2328\u23cf\u23e9-\u23f3"
    "\u23f8-\u23fa\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f]"
)
_RUNS_OF_SPACES = re.compile(r" {2,}")
_SPACES_AROUND_NEWLINE = re.compile(r" *\n *")


def _normalise_chars(text: str) -> str:
    for char, replacement in _COMMON_CHARS.items():
        if char in text:
            text = text.replace(char, replacement)
    if not text.replace("\n", "").isprintable():
        text = _NONPRINTING.sub(lambda m: " " if m.group(1) else "\n" if m.group(2) else "", text)
    return text


def has_mojibake_sign(text: str) -> bool:
    """Whether `text` holds one of MOJIBAKE_SIGNS (where ftfy may have something to repair)."""
    return _MOJIBAKE.search(text) is not None


def _repair_once(text: str, emoji: str) -> str:
    if has_mojibake_sign(text):
        text = ftfy.fix_encoding(text)
    text = _normalise_chars(text)
    for _ in range(10):  # "&amp;eacute;" needs two rounds; stop when nothing changes
        if "&" not in text or (unescaped := html.unescape(text)) == text:
            break
        text = _normalise_chars(unescaped)
    if emoji == "remove" and _BEYOND_TEXT_SYMBOLS.search(text):
        text = _EMOJI.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "  " in text:
        text = _RUNS_OF_SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACES_AROUND_NEWLINE.sub("\n", text)
    return text.strip(" ")


def repair_unicode(text: str, *, emoji: str = "remove") -> str:
    """Fix mojibake, entities, odd spaces, curly apostrophes, ligatures, invisibles; NFC; keep « » and accents.

    >>> repair_unicode("L\u2019IA g\u00c3\u00a9n\u00c3\u00a9rative&nbsp;: \u00ab\u202fd\u00e9fi\u202f\u00bb \U0001f680")
    "L'IA générative : « défi »"
    >>> repair_unicode("un ﬁchier   d’œuvre \U0001f600", emoji="keep")
    "un fichier d'œuvre \U0001f600"
    """
    if emoji not in ("remove", "keep"):
        raise ValueError(f"emoji must be 'remove' or 'keep', got {emoji!r}")
    # A removed emoji or invisible can join an entity or mojibake: repeat until stable.
    for _ in range(5):
        repaired = _repair_once(text, emoji)
        if repaired == text or not _may_repair_again(repaired):
            return repaired
        text = repaired
    return text


def _may_repair_again(text: str) -> bool:
    """False when repair_unicode is sure to leave `text` as is (no entity, mojibake sign or non-NFC sequence)."""
    return (
        "&" in text
        or has_mojibake_sign(text)
        or not unicodedata.is_normalized("NFC", text)
    )
