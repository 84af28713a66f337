"""Raw captures to article text: Unicode repair, boilerplate removal (data/lexicons/boilerplate.yml), titles.

Helpers are pure `str -> str`; `clean_text` composes them. Boilerplate is data: edit the YAML, not this file.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ftfy
import yaml

from cxpress.config import LEXICONS

BOILERPLATE_PATH = LEXICONS / "boilerplate.yml"

# ---- Unicode repair -------------------------------------------------------------------------
# This runs on every article, so cheap `in` checks guard each slow path.
MOJIBAKE_SIGNS = ("Ã", "Â", "â€", "â‚", "â„", "Å", "Ä", "ï»¿")  # UTF-8 read as latin-1/cp1252
_COMMON_CHARS = {  # printable characters to normalise (order matters: \r\n before \r)
    "\r\n": "\n",
    "\r": "\n",
    "\t": " ",
    "\u00a0": " ",
    "\u202f": " ",
    **dict.fromkeys("\u2019\u2018\u201b\u02bc", "'"),
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


def _repair_once(text: str, emoji: str) -> str:
    if any(sign in text for sign in MOJIBAKE_SIGNS):
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
        or any(sign in text for sign in MOJIBAKE_SIGNS)
        or not unicodedata.is_normalized("NFC", text)
    )


# ---- Boilerplate lexicon ----------------------------------------------------------------------
_KEY_STRIP = " •·▪►▶*–—-"
_CLOSERS = "»\"')]"
_LIST_ITEM = re.compile(r"^(?:[-–—•*▪►]|\d{1,2}[.)])\s")
_DEF_REF = re.compile(r"\{([A-Z]+)\}")


def _key(line: str) -> str:
    """Comparison key of a line: casefolded, edge bullets and a final colon dropped, spaces collapsed."""
    folded = line.casefold().strip(_KEY_STRIP).rstrip(": ")
    return folded if folded.isprintable() and "  " not in folded else " ".join(folded.split())


@dataclass(frozen=True)
class Boilerplate:
    """The compiled boilerplate lexicon (see data/lexicons/boilerplate.yml for what each part means)."""

    exact: frozenset[str]
    patterns: dict[str, re.Pattern]
    any_pattern: re.Pattern  # all line patterns, for lines that are not sentences
    sentence_pattern: re.Pattern  # the patterns flagged `sentences: true`
    credit_patterns: tuple[re.Pattern, ...]
    inline: re.Pattern | None
    inline_triggers: tuple[str, ...]
    teasers: frozenset[str]
    teaser_line: re.Pattern
    teaser_max_words: int
    labels: frozenset[str]
    name: re.Pattern
    layout: dict
    max_key_chars: int
    # line -> class, for lines met before (chrome repeats across articles; titles are read twice)
    seen: dict = field(default_factory=dict, compare=False, repr=False)


def _compile(
    regex: str, defs: dict[str, str], *, where: str, case_sensitive: bool = False
) -> re.Pattern:
    for _ in range(5):  # definitions may use other definitions
        regex = _DEF_REF.sub(lambda m: defs.get(m.group(1), m.group(0)), regex)
    try:
        return re.compile(regex, 0 if case_sensitive else re.IGNORECASE)
    except re.error as err:
        raise ValueError(
            f"boilerplate lexicon: bad regex in {where}: {err}; fix it in the YAML"
        ) from None


def _combine(patterns: list[re.Pattern]) -> re.Pattern:
    """One alternation of compiled patterns, each keeping its own case sensitivity."""
    parts = [f"(?{'i' if p.flags & re.IGNORECASE else '-i'}:{p.pattern})" for p in patterns]
    return re.compile("|".join(parts) or "(?!)")


@lru_cache(maxsize=8)
def load_boilerplate(path: Path | str | None = None) -> Boilerplate:
    """Read and compile the boilerplate lexicon once (cached per path)."""
    path = Path(path) if path else BOILERPLATE_PATH
    if not path.is_file():
        raise FileNotFoundError(
            f"boilerplate lexicon not found: {path} (restore data/lexicons/boilerplate.yml)"
        )
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    defs = {k: str(v).strip() for k, v in (spec.get("defs") or {}).items()}
    lines = list(spec["site_headers"]["lines"]) + [
        x for group in spec["exact"] for x in group["lines"]
    ]
    patterns = {
        p["name"]: _compile(
            str(p["regex"]).strip(),
            defs,
            where=f"patterns/{p['name']}",
            case_sensitive=p.get("case_sensitive", False),
        )
        for p in spec["patterns"]
    }
    for_sentences = [patterns[p["name"]] for p in spec["patterns"] if p.get("sentences")]
    inline_spec = spec.get("inline") or {}
    inline = "|".join(f"(?:{str(p['regex']).strip()})" for p in inline_spec.get("patterns") or [])
    teasers = spec["teasers"]
    keyed = [_key(x) for x in lines + teasers["lines"] + spec["byline_labels"]["lines"]]
    layout = dict(spec.get("layout") or {})
    return Boilerplate(
        exact=frozenset(_key(x) for x in lines),
        patterns=patterns,
        any_pattern=_combine(list(patterns.values())),
        sentence_pattern=_combine(for_sentences),
        credit_patterns=tuple(patterns[p["name"]] for p in spec["patterns"] if p.get("credit")),
        inline=_compile(inline, defs, where="inline", case_sensitive=True) if inline else None,
        inline_triggers=tuple(inline_spec.get("triggers") or ()),
        teasers=frozenset(_key(x) for x in teasers["lines"]),
        teaser_line=_compile(str(teasers["line_regex"]).strip(), defs, where="teasers/line_regex"),
        teaser_max_words=int(teasers.get("max_title_words", 20)),
        labels=frozenset(_key(x) for x in spec["byline_labels"]["lines"]),
        name=_compile(defs["NAME"], defs, where="defs/NAME", case_sensitive=True),
        layout=layout,
        max_key_chars=min(max(map(len, keyed)) + 10, layout.get("max_chrome_chars", 250)),
    )


# ---- Boilerplate removal ----------------------------------------------------------------------
SEEN_LINES_MAX = 200_000  # classified lines remembered per lexicon (a few tens of MB at most)


def _classify(line: str, bp: Boilerplate, title_key: str | None) -> str:
    """'title', 'teaser', 'label', 'chrome' or '' (article text) for one stripped, non-empty line."""
    n = len(line)
    if n > bp.layout.get("max_chrome_chars", 250):
        return ""
    if title_key and n <= len(title_key) + 10 and _key(line) == title_key:
        return "title"
    kind = bp.seen.get(line)
    if kind is None:
        if len(bp.seen) >= SEEN_LINES_MAX:
            bp.seen.clear()
        kind = bp.seen[line] = _classify_untitled(line, bp)
    return kind


def _classify_untitled(line: str, bp: Boilerplate) -> str:
    """_classify for a line that is not the title (the part that depends on the line alone)."""
    n = len(line)
    if n <= bp.max_key_chars:
        key = _key(line)
        if key in bp.teasers:
            return "teaser"
        if key in bp.labels:
            return "label"
        if key in bp.exact:
            return "chrome"
    if n > bp.layout.get("max_pattern_chars", 160):
        return ""
    if bp.teaser_line.fullmatch(line):
        return "teaser"
    pattern = bp.sentence_pattern if _is_sentence(line, bp.layout) else bp.any_pattern
    return "chrome" if pattern.fullmatch(line) else ""


def strip_inline(line: str, *, patterns: Boilerplate | None = None) -> str:
    """Remove shortcodes and footnote calls inside a line.

    >>> strip_inline('Le marché[1] progresse. [divider top="0"] Les prestataires recrutent¹.')
    'Le marché progresse. Les prestataires recrutent.'
    """
    bp = patterns or load_boilerplate()
    if bp.inline is None or not any(t in line for t in bp.inline_triggers):
        return line
    for _ in range(5):  # "[[1]1]" hides a second marker; stop when nothing is left to remove
        line, n = bp.inline.subn("", line)
        if not n:
            break
    return " ".join(line.split())


def _is_sentence(line: str, layout: dict) -> bool:
    return line.count(" ") + 1 >= layout.get("sentence_min_words", 4) and line.rstrip(
        _CLOSERS
    ).endswith((".", "!", "?", "…"))


def _is_prose(line: str, layout: dict) -> bool:
    return line.count(" ") + 1 >= layout.get("prose_min_words", 12) or _is_sentence(line, layout)


def _drop_fragments(lines: list[str], layout: dict) -> list[str]:
    """Drop short non-sentence lines before the first and after the last prose line (outlet names, captions)."""
    prose = [i for i, line in enumerate(lines) if _is_prose(line, layout)]
    if not prose:
        return lines
    first = prose[0] if layout.get("drop_header_fragments", True) else 0
    last = prose[-1] if layout.get("drop_footer_fragments", True) else len(lines) - 1
    longest = layout.get("fragment_max_chars", 60)
    return [
        line
        for i, line in enumerate(lines)
        if first <= i <= last
        or len(line) > longest
        or line.endswith((",", ";", ":"))
        or _LIST_ITEM.match(line)
    ]


def remove_boilerplate(
    text: str, *, title: str | None = None, patterns: Boilerplate | None = None
) -> str:
    """Drop chrome lines (lexicon, repeated title, teaser blocks, lone author names, header/footer fragments).

    >>> remove_boilerplate("Menu\\nLe Journal\\nTitre : essai\\npar\\nJean Martin\\nLe secteur recrute encore.\\n×",
    ...                    title="Titre : essai")
    'Le secteur recrute encore.'
    """
    bp = patterns or load_boilerplate()
    title_key = _key(title) if title and title.strip() else None
    inline = bp.inline is not None and any(t in text for t in bp.inline_triggers)
    kept: list[str] = []
    teaser_run, after_label = 0, False
    for raw_line in text.split("\n"):
        original = raw_line.strip()
        line = strip_inline(original, patterns=bp) if inline else original
        if not line:
            continue
        kind = _classify(line, bp, title_key) or (
            line != original and _classify(original, bp, title_key)
        )
        if kind:
            teaser_run = 6 if kind == "teaser" else teaser_run
            after_label = kind == "label" or (after_label and kind == "chrome")
            continue
        if after_label and bp.name.fullmatch(line):
            after_label = False
            continue
        after_label = False
        if (
            teaser_run
            and line.count(" ") < bp.teaser_max_words
            and not line.endswith((".", ",", ";", ":"))
        ):
            teaser_run -= 1
            continue
        teaser_run = 0
        kept.append(line)
    return "\n".join(_drop_fragments(kept, bp.layout))


def extract_byline(raw: str, *, patterns: Boilerplate | None = None) -> str | None:
    """The author credit of a capture (the name after "par"/"Auteur", or a credit line), else None.

    >>> extract_byline("Titre\\npar\\nClaire Dubois\\nLe texte.")
    'Claire Dubois'
    """
    bp = patterns or load_boilerplate()
    lines = [line for line in repair_unicode(raw).split("\n") if line]
    for i, line in enumerate(lines):
        if _key(line) in bp.labels and i + 1 < len(lines) and bp.name.fullmatch(lines[i + 1]):
            return lines[i + 1]
        if any(p.fullmatch(line) for p in bp.credit_patterns):
            return line
    return None


def clean_text(raw: str, title: str | None = None) -> str:
    """Article body of a raw capture: repaired Unicode, no boilerplate, one paragraph per line.

    Idempotent: line removal is stable by construction, and Unicode repair is re-run until nothing changes.

    >>> clean_text("Contact Hebdo — le magazine (fictif) des centres de contact, du BPO et de l'expérience client.\\n"
    ...            "Titre\\nTitre\\nL’IA arrive sur les plateaux.\\nA lire aussi\\nUn autre titre\\n×", title="Titre")
    "L'IA arrive sur les plateaux."
    """
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise TypeError(f"clean_text expects str, got {type(raw).__name__}; decode bytes first")
    title = repair_unicode(title) if title else None
    text = remove_boilerplate(_repair_once(raw, "remove"), title=title)
    # A removed shortcode or emoji can expose an entity or mojibake: clean until stable.
    for _ in range(5):
        if not _may_repair_again(text) or (repaired := repair_unicode(text)) == text:
            break
        text = remove_boilerplate(repaired, title=title)
    return text


# ---- Titles --------------------------------------------------------------------------
_INNER_SENTENCE_END = re.compile(r"[.!?] [A-ZÀ-ÖØ-Þ]")
_TITLE_PUNCT = re.compile(r" : |[?!«»,]")
_CAPITALISED = re.compile(r"^[A-ZÀ-ÖØ-Þ]")


def _title_score(line: str, rank: int) -> float:
    """Higher for lines shaped like a headline, lower for outlet names (Title Case, no punctuation)."""
    words = line.split()
    long_words = [w for w in words if len(w) > 3]
    score = 0.3 * min(len(words), 15) - 1.5 * rank
    if _TITLE_PUNCT.search(line):
        score += 3
    elif sum(bool(_CAPITALISED.match(w)) for w in long_words) >= 0.5 * len(long_words):
        score -= 3
    return score


def _is_paragraph(line: str) -> bool:
    """A line that starts the article body rather than a headline (long, or a full sentence)."""
    words = line.count(" ") + 1
    return words > 25 or (
        words >= 12 and (line.endswith(".") or bool(_INNER_SENTENCE_END.search(line)))
    )


def guess_title(raw: str, *, patterns: Boilerplate | None = None) -> str | None:
    """The title of a raw capture: the line repeated near the top, else the most headline-like top line.

    >>> guess_title("Le Journal\\nCentres d'appels : l'IA arrive\\nPublié le 3 mars 2015\\n"
    ...             "Centres d'appels : l'IA arrive\\nLe secteur recrute encore, malgré tout, à Lille et ailleurs.")
    "Centres d'appels : l'IA arrive"
    """
    bp = patterns or load_boilerplate()
    top = [line for line in repair_unicode(raw[:8000]).split("\n")[:80] if line]
    text_lines = [line for line in top if not _classify(line, bp, None)][:15]
    keys = [_key(line) for line in text_lines]
    for line, key in zip(text_lines, keys, strict=True):
        if keys.count(key) > 1 and 2 <= line.count(" ") + 1 <= 40:
            return line
    candidates = []
    for line in text_lines:
        if _is_paragraph(line):
            break
        if line.count(" ") >= 1 and not line.endswith((",", ";", ":")):
            candidates.append(line)
    if candidates:
        return max(
            (_title_score(line, rank), -rank, line) for rank, line in enumerate(candidates[:8])
        )[2]
    first = text_lines[0] if text_lines else None
    return first if first and first.count(" ") < 40 else None
