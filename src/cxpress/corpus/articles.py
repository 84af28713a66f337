"""Raw records to tidy article rows: title, clean text, date, language, tokens (pure, run in workers)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cxpress.corpus.outlets import OutletLexicon, article_outlet, default_outlet_lexicon
from cxpress.corpus.shingles import fingerprint
from cxpress.text.boilerplate import BoilerplateClassifier, default_classifier
from cxpress.text.clean import clean_text_and_chrome, guess_title
from cxpress.text.dates import (
    DateRules,
    date_from_location,
    default_date_rules,
    find_stated_dates,
    parse_date,
)
from cxpress.text.language import FunctionWords, default_function_words, detect_language
from cxpress.text.tokens import Tokenizer, default_tokenizer, split_words, tokens_of_words
from cxpress.text.unicode import _repair_once, has_mojibake_sign, repair_unicode
from cxpress.text.years import YearRules, default_year_rules, infer_year

if TYPE_CHECKING:
    import pandas as pd

ARTICLE_COLUMNS = ["doc_id", "source", "outlet", "outlet_family", "url", "title", "author", "date", "year", "date_source", "text_raw", "text",
                   "lang", "n_tokens", "dup_of", "tokens", "encoding", "date_note", "year_inferred", "year_confidence",
                   "date_updated"]
RELATIVE_NOTE = "relative date: "  # date_note prefix of a page that states only a relative date
CHROME_COLUMN = "_chrome_removed"  # the lines only the corpus's recurring chrome removed, for the report


@dataclass(frozen=True)
class TextTools:
    """The text rules and helpers an ingest process applies to every article. The classifier and the
    tokeniser remember the lines and words they met (chrome and words repeat across articles), so a
    process builds one set and passes it to each process_record call."""

    classifier: BoilerplateClassifier
    tokenizer: Tokenizer
    date_rules: DateRules
    year_rules: YearRules
    function_words: FunctionWords  # py3langid's model is loaded only if a sample needs it (defaults)
    outlets: OutletLexicon | None = None  # None: data/lexicons/outlets.yml


def text_tools(token_method: str = "lemma") -> TextTools:
    """This process's default text helpers (cxpress.text.defaults), tokens by `token_method`."""
    return TextTools(default_classifier(), default_tokenizer(token_method), default_date_rules(),
                     default_year_rules(), default_function_words(), default_outlet_lexicon())


def _present(value) -> bool:
    """False for None, NaN and blank strings (records pass through a DataFrame, so None may be NaN)."""
    return value is not None and not (isinstance(value, float) and value != value) and str(value).strip() != ""


def year_guess(text: str, title: str = "", *, year_rules: YearRules | None = None) -> dict:
    """The year the clean text (and title) points to and its confidence, as if the article were undated:
    kept for dated articles too, so that corpus.calibration can measure what the confidence is worth."""
    year, confidence = infer_year(f"{title}\n{text}" if title else text, rules=year_rules)
    return {"year_inferred": year, "year_confidence": confidence if year is not None else None}


def date_record(raw: str, text: str, *, url, filename, meta_date, infer_years: bool, title: str = "",
                tools: TextTools | None = None) -> dict:
    """Publication date and its source: metadata, then the raw text's stated date, URL, file name;
    else (optionally) a year inferred from the clean text, flagged as such. A stated update date goes
    to date_updated; a relative date ("il y a 2 jours") is never resolved, only noted. With
    infer_years every article also gets the year its content points to (year_inferred,
    year_confidence), so that corpus.calibration can measure what that confidence is worth."""
    date_rules, year_rules = (tools.date_rules, tools.year_rules) if tools else (None, None)
    stated = find_stated_dates(raw, date_rules) if raw else None
    notes = [f"{RELATIVE_NOTE}{stated.relative!r} (no capture date to resolve it)"] if stated and stated.relative \
        else []
    guess = year_guess(text, title, year_rules=year_rules) if infer_years else {}
    record = {"date_updated": stated.updated if stated else None,
              "year_inferred": guess.get("year_inferred"), "year_confidence": guess.get("year_confidence")}
    if _present(meta_date):
        parsed = parse_date(meta_date, rules=date_rules)
        if parsed is not None:
            return record | {"date": parsed, "year": parsed.year, "date_source": "metadata", "date_note": None}
        notes.insert(0, f"unparseable date metadata {meta_date!r}")
    found, source = (stated.date, "text") if stated and stated.date else date_from_location(url, filename)
    if found is None and record["year_inferred"] is not None:
        notes.append(f"year inferred from the text (confidence {record['year_confidence']:.2f})")
        return record | {"date": None, "year": record["year_inferred"], "date_source": "inferred",
                         "date_note": "; ".join(notes)}
    return record | {"date": found, "year": found.year if found else None, "date_source": source,
                     "date_note": "; ".join(notes) or None}


def mojibake_repaired(raw: str, text: str) -> bool:
    """Whether ftfy repaired mojibake in raw (it only runs where a mojibake sign occurs)."""
    if not has_mojibake_sign(raw):
        return False
    from ftfy.badness import is_bad

    return is_bad(raw) and not is_bad(text)


def process_record(rec: dict, *, infer_years: bool = True, token_method: str = "lemma",
                   tools: TextTools | None = None) -> dict:
    """One raw record to one tidy article row (see ARTICLE_COLUMNS); `tools` default to text_tools(token_method)."""
    tools = tools or text_tools(token_method)
    raw = rec["raw"]
    rec = {k: (v if _present(v) else None) for k, v in rec.items()}
    title = rec.get("title") or guess_title(raw, classifier=tools.classifier)
    title = repair_unicode(str(title)).strip() if title else ""
    repaired = _repair_once(raw, "remove")
    text, chrome = clean_text_and_chrome(raw, title=title or None, classifier=tools.classifier, repaired=repaired)
    words = split_words(text, elision=tools.tokenizer.rules.elision)
    lang_sample = text if len(text) >= 200 else repair_unicode(raw)
    row = {
        "doc_id": hashlib.sha1(f"{rec['source']}\n{raw}".encode()).hexdigest()[:16],
        "source": rec["source"], "url": rec.get("url"), "title": title, "author": rec.get("author"),
        "text_raw": raw, "text": text,
        "lang": detect_language(lang_sample, function_words=tools.function_words),
        "n_tokens": len(words),  # word tokens, clitics included: the denominator of per-10k rates
        "tokens": tokens_of_words(words, tokenizer=tools.tokenizer), "encoding": rec.get("encoding"),
        "_fingerprint": fingerprint(text),  # for dedup.find_duplicates, computed here on both cores
        "_mojibake_repaired": mojibake_repaired(raw, text),  # for the load report
        CHROME_COLUMN: chrome,  # for corpus.chrome's report (dropped there)
    }
    row.update(article_outlet(rec.get("outlet"), rec.get("url"), rec["source"], tools.outlets))
    row.update(date_record(raw, text, url=rec.get("url"), filename=rec.get("filename"),
                           meta_date=rec.get("meta_date"), infer_years=infer_years, title=title, tools=tools))
    return row


class SharedTokens:
    """Makes equal token strings one object: rows unpickled from a worker carry their own copies
    (15 million strings on 50k articles, ~1 GB); shared, the token lists cost a pointer per token."""

    def __init__(self):
        self.canonical: dict[str, str] = {}

    def __call__(self, bundles: list[tuple[list[dict], list[dict]]]) -> list[tuple[list[dict], list[dict]]]:
        canon = self.canonical
        for rows, _ in bundles:
            for row in rows:
                row["tokens"] = [canon.setdefault(t, t) for t in row["tokens"]]
        return bundles


def article_frame(rows: list[dict], *, consume: bool = False) -> pd.DataFrame:
    """The article table of process_record rows (datetime dates, nullable integer years). With
    consume, each column is taken out of the rows as it is converted, so that the texts are not held
    twice (Python strings and Arrow buffers: 700 MB more at 100k articles); the rows are left empty."""
    import pandas as pd  # here: the ingest's workers import this module and build no table

    if not rows:
        return pd.DataFrame(columns=ARTICLE_COLUMNS)
    if consume:
        from cxpress.corpus.cache import release_arrow_memory

        columns = {}
        for name in list(dict.fromkeys(name for row in rows for name in row)):
            columns[name] = pd.Series([row.pop(name, None) for row in rows])
            if name in ("text_raw", "text", "tokens"):
                release_arrow_memory()  # malloc_trim: the freed Python strings go back before the next copy
        out = pd.DataFrame(columns)
    else:
        out = pd.DataFrame(rows)
    for column in ("date", "date_updated"):
        out[column] = pd.to_datetime(out[column], errors="coerce").astype("datetime64[ns]")
    out["year"] = out["year"].astype("Int64")
    out["year_inferred"] = out["year_inferred"].astype("Int64")
    out["year_confidence"] = out["year_confidence"].astype("float64")
    return out
