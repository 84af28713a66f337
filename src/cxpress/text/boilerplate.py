"""Boilerplate: the compiled lexicon (data/lexicons/boilerplate.yml), line classification, removal.

The lexicon is data: edit the YAML, not this file. `Boilerplate` is the frozen compiled lexicon;
a `BoilerplateClassifier` owns the memo of lines it has classified (chrome repeats across articles).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cxpress.config import LEXICONS, read_yaml
from cxpress.text import defaults
from cxpress.text.recurring import NO_RECURRING, RecurringLines, line_signature

BOILERPLATE_PATH = LEXICONS / "boilerplate.yml"

# ---- Boilerplate lexicon ----------------------------------------------------------------------
_KEY_STRIP = " •·▪►▶*–—-"
_CLOSERS = "»\"')]"
_LIST_ITEM = re.compile(r"^(?:[-–—•*▪►]|\d{1,2}[.)])\s")
_DEF_REF = re.compile(r"\{([A-Z]+)\}")


def _line_key(line: str) -> str:
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


def load_boilerplate(path: Path | str | None = None) -> Boilerplate:
    """Read and compile the boilerplate lexicon (default data/lexicons/boilerplate.yml)."""
    path = Path(path) if path else BOILERPLATE_PATH
    if not path.is_file():
        raise FileNotFoundError(
            f"boilerplate lexicon not found: {path} (restore data/lexicons/boilerplate.yml)"
        )
    spec = read_yaml(path)
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
    keyed = [_line_key(x) for x in lines + teasers["lines"] + spec["byline_labels"]["lines"]]
    layout = dict(spec.get("layout") or {})
    return Boilerplate(
        exact=frozenset(_line_key(x) for x in lines),
        patterns=patterns,
        any_pattern=_combine(list(patterns.values())),
        sentence_pattern=_combine(for_sentences),
        credit_patterns=tuple(patterns[p["name"]] for p in spec["patterns"] if p.get("credit")),
        inline=_compile(inline, defs, where="inline", case_sensitive=True) if inline else None,
        inline_triggers=tuple(inline_spec.get("triggers") or ()),
        teasers=frozenset(_line_key(x) for x in teasers["lines"]),
        teaser_line=_compile(str(teasers["line_regex"]).strip(), defs, where="teasers/line_regex"),
        teaser_max_words=int(teasers.get("max_title_words", 20)),
        labels=frozenset(_line_key(x) for x in spec["byline_labels"]["lines"]),
        name=_compile(defs["NAME"], defs, where="defs/NAME", case_sensitive=True),
        layout=layout,
        max_key_chars=min(max(map(len, keyed)) + 10, layout.get("max_chrome_chars", 250)),
    )


# ---- Line classification ---------------------------------------------------------------------
class BoilerplateClassifier:
    """Tells chrome lines from article text with a lexicon, remembering the lines it has classified
    (site chrome repeats across articles, and every title is read twice): one per lexicon and process.
    `recurring` adds the header and footer lines a corpus repeats (text/recurring.py)."""

    SEEN_LINES_MAX = 200_000  # remembered lines (a few tens of MB at most); the memo restarts beyond

    def __init__(self, lexicon: Boilerplate, recurring: RecurringLines = NO_RECURRING):
        self.lexicon = lexicon
        self.recurring = recurring
        self.seen: dict[str, str] = {}  # line -> class

    def classify(self, line: str, title_key: str | None = None) -> str:
        """'title', 'teaser', 'label', 'chrome' or '' (article text) for one stripped, non-empty line."""
        n = len(line)
        if n > self.lexicon.layout.get("max_chrome_chars", 250):
            return ""
        if title_key and n <= len(title_key) + 10 and _line_key(line) == title_key:
            return "title"
        kind = self.seen.get(line)
        if kind is None:
            if len(self.seen) >= self.SEEN_LINES_MAX:
                self.seen.clear()
            kind = self.seen[line] = _classify_untitled(line, self.lexicon)
        return kind


def _classify_untitled(line: str, bp: Boilerplate) -> str:
    """classify() for a line that is not the title (the part that depends on the line alone)."""
    n = len(line)
    if n <= bp.max_key_chars:
        key = _line_key(line)
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


def _classifier_for(patterns: Boilerplate | None, classifier: BoilerplateClassifier | None) -> BoilerplateClassifier:
    """The classifier given, else a fresh one for the lexicon given, else the default (cxpress.text.defaults)."""
    if classifier is not None:
        return classifier
    return BoilerplateClassifier(patterns) if patterns is not None else default_classifier()


# ---- Removal ----------------------------------------------------------------------------------
def strip_inline(line: str, *, patterns: Boilerplate | None = None) -> str:
    """Remove shortcodes and footnote calls inside a line.

    >>> strip_inline('Le marché[1] progresse. [divider top="0"] Les prestataires recrutent¹.')
    'Le marché progresse. Les prestataires recrutent.'
    """
    bp = patterns or default_boilerplate()
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
    text: str,
    *,
    title: str | None = None,
    patterns: Boilerplate | None = None,
    classifier: BoilerplateClassifier | None = None,
) -> str:
    """Drop chrome lines (lexicon, repeated title, teaser blocks, lone author names, header/footer fragments).

    `classifier` (which holds its lexicon) or `patterns` (a lexicon) replace the default lexicon.

    >>> remove_boilerplate("Menu\\nLe Journal\\nTitre : essai\\npar\\nJean Martin\\nLe secteur recrute encore.\\n×",
    ...                    title="Titre : essai")
    'Le secteur recrute encore.'
    """
    return boilerplate_removal(text, title=title, patterns=patterns, classifier=classifier)[0]


def boilerplate_removal(text: str, *, title: str | None = None, patterns: Boilerplate | None = None,
                        classifier: BoilerplateClassifier | None = None) -> tuple[str, list[str]]:
    """remove_boilerplate's text, and the lines only the classifier's recurring chrome removed: the
    recurring lines (RecurringLines) that cleaning with its lexicon alone would have kept, for the
    load report. The lines are split and placed once for both."""
    classifier = _classifier_for(patterns, classifier)
    title_key = _line_key(title) if title and title.strip() else None
    inline = classifier.lexicon.inline is not None and any(t in text for t in classifier.lexicon.inline_triggers)
    originals = [stripped for raw_line in text.split("\n") if (stripped := raw_line.strip())]
    recurring = classifier.recurring.chrome_mask(originals)
    kept = _kept_lines(originals, recurring, title_key, classifier, inline)
    found = [line for line, repeated in zip(originals, recurring, strict=True)
             if repeated and not classifier.classify(line)]
    if not found:
        return "\n".join(kept), []
    alone = {line_signature(line)
             for line in _kept_lines(originals, [False] * len(originals), title_key, classifier, inline)}
    return "\n".join(kept), [line for line in found if line_signature(line) in alone]


def _kept_lines(originals: list[str], recurring: list[bool], title_key: str | None,
                classifier: BoilerplateClassifier, inline: bool) -> list[str]:
    """The article lines among a text's stripped lines, `recurring` marking the corpus's chrome."""
    bp = classifier.lexicon
    kept: list[str] = []
    teaser_run, after_label = 0, False
    for original, repeated in zip(originals, recurring, strict=True):
        line = strip_inline(original, patterns=bp) if inline else original
        if not line:
            continue
        # the lexicon's class first (a recurring "À lire aussi" still opens a teaser block), then recurrence
        kind = classifier.classify(line, title_key) or (
            line != original and classifier.classify(original, title_key)
        ) or ("chrome" if repeated else "")
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
    return _drop_fragments(kept, bp.layout)


def default_boilerplate() -> Boilerplate:
    """The compiled data/lexicons/boilerplate.yml, built once per process (cxpress.text.defaults)."""
    return defaults.shared("boilerplate", load_boilerplate)


def default_classifier() -> BoilerplateClassifier:
    """The classifier of default_boilerplate() lines, with its memo of lines seen (one per process)."""
    return defaults.shared("boilerplate classifier", lambda: BoilerplateClassifier(default_boilerplate()))
