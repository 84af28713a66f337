"""Generate a deterministic N-article raw corpus for benchmarks by recombining a real corpus's sentences.

Usage: python benchmarks/make_corpus.py N OUT [--from PATH] [--seed S]

Each article takes most sentences from one source article (so topics survive) and the rest from
others; it gets invented company, person and place names and rare word forms drawn from a Zipf law
over an unbounded lexicon (so the vocabulary keeps growing with N, as in real text), a date in one
of several date-line shapes (about 40 % undated), chrome lines harvested from the source (outlet
taglines, paywall and share buttons), some exact and near duplicates, a few non-French articles and
encoding accidents, in .txt (most, in sub-folders of 1,000), .jsonl, .html and .csv files.
A hidden `.manifest.csv` (skipped by load_corpus) records what each article is.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

from cxpress import config
from cxpress.corpus import read_file
from cxpress.text import clean_text, detect_language, extract_date, guess_title, parse_date

SHARE_UNDATED = 0.40
SHARE_DUPLICATE = 0.04  # half exact copies, half re-published with other chrome and a new date line
SHARE_FOREIGN = 0.01
FORMAT_SHARES = {"txt": 0.85, "jsonl": 0.10, "html": 0.03, "csv": 0.02}
FILES_PER_FOLDER = 1000
RECORDS_PER_FILE = 250  # .jsonl and .csv articles per file
ZIPF_A = 1.3  # distinct invented names grow about as N ** (1 / ZIPF_A)
COMMON_NAMES = 50  # so that the most frequent names are not one single word
MONTHS = ("janvier février mars avril mai juin juillet août septembre octobre novembre décembre").split()
WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
SYLLABLES = ("ba be bi bo ca co da de di do fa fi ga go la le li lo ma me mi mo na ne ni no pa pe pi "
             "po ra re ri ro sa se si so ta te ti to va ve vi vo tan ber cor dal fen gar mon ril sor "
             "ven lux quel trix zan").split()
WORD_ENDINGS = ("isation", "ement", "iste", "eur", "ique", "age", "itude", "oir")
COMPANY_FORMS = ("{} Conseil", "{} Services", "Groupe {}", "{} Contact", "{} Télécom", "{} Assurances",
                 "{} Énergie", "{}Tech", "{} Banque", "{} Solutions")
INSERTS = (", selon {person}, de {company}", " chez {company}", " à {place}", ", a indiqué {person}",
           " (le {rare} selon {company})", ", dont le {rare} intrigue à {place}")
GENERIC_CHROME = ("Partager sur LinkedIn", "Abonnez-vous maintenant", "A lire aussi", "×", "Imprimer",
                  "Mentions légales", "Lecture 3 min", "Newsletter", "Tous droits réservés",
                  "Réservé aux abonnés", "Se connecter", "[divider top=\"0\"]")
# Figures of one to three digits standing alone (not years, not "75 000", not decimals).
_NUMBER = re.compile(r"(?<![\d,.])(?<!\d[\s\u00a0\u202f])\d{1,3}(?![\d,.])(?![\s\u00a0\u202f]\d)")
_SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+(?=[«\"A-ZÀ-ÖØ-Þ])")


def invent_word(rank: int, ending: str = "") -> str:
    """A pronounceable invented word, one per rank (the same rank always gives the same word)."""
    parts, n = [], int(rank) + len(SYLLABLES)
    while n:
        n, digit = divmod(n, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts) + ending


def format_date_line(day: date, rng: np.random.Generator, person: str) -> str:
    """One of the date-line shapes met in trade-press captures."""
    d, m, y = day.day, day.month, day.year
    hh, mm = int(rng.integers(7, 20)), int(rng.integers(0, 60))
    shapes = (
        f"Publié le {d} {MONTHS[m - 1]} {y} à {hh}:{mm:02d} par {person}",
        f"Le {d:02d}/{m:02d}/{y} - {hh}:{mm:02d}",
        f"{WEEKDAYS[day.weekday()]} {d} {MONTHS[m - 1]} {y}",
        f"publié le : {d:02d}.{m:02d}.{y}",
        f"Article paru le {d} {MONTHS[m - 1]} {y}",
        f"par {person} | {d:02d}/{m:02d}/{y}",
        f"{y}-{m:02d}-{d:02d}",
        f"Mis à jour le {d:02d}/{m:02d}/{y} à {hh}h{mm:02d}",
    )
    return shapes[int(rng.integers(len(shapes)))]


def split_sentences(text: str) -> list[str]:
    """Prose sentences of a clean text: lines of eight words or more, cut at sentence ends."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if len(line.split()) >= 8:
            out.extend(s for s in _SENTENCE_END.split(line) if len(s.split()) >= 5)
    return out


def source_year(rec: dict) -> int | None:
    """Publication year of a source record (metadata, then date line, URL, file name)."""
    parsed = parse_date(rec["meta_date"]) if rec.get("meta_date") else None
    found = parsed or extract_date(rec["raw"], url=rec.get("url"), filename=rec.get("filename"))[0]
    return found.year if found else None


def read_records(path: Path) -> list[dict]:
    """Raw records of every readable file under `path` (hidden and README files skipped)."""
    root = path if path.is_dir() else path.parent
    files = sorted(p for p in (path.rglob("*") if path.is_dir() else [path]) if p.is_file()
                   and not p.name.startswith(".") and not p.name.lower().startswith("readme"))
    return [rec for f in files for rec in read_file(f, root)[0]]


def read_sources(path: Path) -> tuple[list[dict], list[dict], list[str]]:
    """French and non-French source documents (title, clean sentences, year) and the chrome lines.

    Chrome is every line found in three or more source articles (taglines, buttons, paywall).
    """
    docs, lines_seen = [], Counter()
    for rec in read_records(path):
        title = rec.get("title") or guess_title(rec["raw"]) or ""
        sentences = split_sentences(clean_text(rec["raw"], title=title or None))
        lines_seen.update({ln.strip() for ln in rec["raw"].splitlines() if 0 < len(ln.strip()) < 200})
        if len(sentences) >= 2:
            docs.append({"title": title or sentences[0][:80], "sentences": sentences,
                         "year": source_year(rec), "lang": detect_language(" ".join(sentences))})
    french = [d for d in docs if d["lang"] == "fr"]
    if len(french) < 5:
        raise ValueError(f"{path} has {len(french)} usable French articles (need 5): point --from at a corpus")
    chrome = sorted({line for line, n in lines_seen.items() if n >= 3} | set(GENERIC_CHROME))
    return french, [d for d in docs if d["lang"] != "fr"], chrome


class Generator:
    """Draws articles from the source documents; all randomness comes from one seeded generator."""

    def __init__(self, french: list[dict], foreign: list[dict], chrome: list[str], seed: int):
        self.french, self.foreign, self.chrome = french, foreign, chrome
        self.rng = np.random.default_rng(seed)

    def zipf_word(self, ending: str = "") -> str:
        """An invented word whose rank follows a Zipf law (the head flattened over COMMON_NAMES words)."""
        rank = min(int(self.rng.zipf(ZIPF_A)), 10**12) * COMMON_NAMES + int(self.rng.integers(COMMON_NAMES))
        return invent_word(rank, ending)

    def names(self) -> dict[str, str]:
        company = COMPANY_FORMS[int(self.rng.integers(len(COMPANY_FORMS)))].format(self.zipf_word().title())
        person = f"{self.zipf_word().title()} {self.zipf_word().title()}"
        return {"company": company, "person": person, "place": self.zipf_word().title(),
                "rare": self.zipf_word(WORD_ENDINGS[int(self.rng.integers(len(WORD_ENDINGS)))])}

    def decorate(self, sentence: str) -> str:
        """Vary a reused sentence: new figures, and (40 %) an invented name or rare word after a comma
        or before the final stop, so recombined articles do not share long runs of words."""
        sentence = _NUMBER.sub(lambda m: str(int(self.rng.integers(2, 10 ** len(m.group()) + 1))), sentence)
        if self.rng.random() >= 0.4 or sentence[-1:] not in ".!?":
            return sentence
        insert = INSERTS[int(self.rng.integers(len(INSERTS)))].format(**self.names())
        commas = [m.start() for m in re.finditer(",", sentence)]
        cut = commas[int(self.rng.integers(len(commas)))] if commas and self.rng.random() < 0.5 else len(sentence) - 1
        return sentence[:cut].rstrip() + insert + sentence[cut:]

    def body(self, pool: list[dict]) -> tuple[dict, list[str]]:
        """A base document and the article's sentences: up to 60 % from it (in its order), the rest from anywhere."""
        base = pool[int(self.rng.integers(len(pool)))]
        n = int(np.clip(self.rng.lognormal(np.log(16), 0.45), 6, 60))
        n_base = min(len(base["sentences"]), int(round(0.6 * n)))
        picked = np.sort(self.rng.choice(len(base["sentences"]), n_base, replace=False))
        sentences = [base["sentences"][i] for i in picked]
        for _ in range(n - n_base):
            doc = pool[int(self.rng.integers(len(pool)))]
            pos = int(self.rng.integers(len(sentences) + 1))
            sentences.insert(pos, doc["sentences"][int(self.rng.integers(len(doc["sentences"])))])
        return base, [self.decorate(s) for s in sentences]

    def publication_date(self, base_year: int | None) -> date:
        """A date near the base document's year (recent years weigh more when it is unknown)."""
        years = np.arange(config.YEAR_MIN, config.YEAR_MAX + 1)
        if base_year is None or not config.YEAR_MIN <= base_year <= config.YEAR_MAX:
            year = int(self.rng.choice(years, p=np.linspace(1, 2, len(years)) / np.linspace(1, 2, len(years)).sum()))
        else:
            year = int(np.clip(base_year + self.rng.integers(-1, 2), config.YEAR_MIN, config.YEAR_MAX))
        return date(year, int(self.rng.integers(1, 13)), int(self.rng.integers(1, 29)))

    def paragraphs(self, sentences: list[str]) -> list[str]:
        out, i = [], 0
        while i < len(sentences):
            step = int(self.rng.integers(1, 4))
            out.append(" ".join(sentences[i : i + step]))
            i += step
        return out

    def chrome_lines(self, k: int) -> list[str]:
        return [self.chrome[int(i)] for i in self.rng.integers(len(self.chrome), size=k)]

    def article(self, i: int) -> dict:
        """One article: title, body lines, optional date, chosen format and slug."""
        foreign = self.foreign and self.rng.random() < SHARE_FOREIGN
        base, sentences = self.body(self.foreign if foreign else self.french)
        names = self.names()
        title = base["title"] if self.rng.random() < 0.5 else f"{base['title']} : le cas {names['company']}"
        day = self.publication_date(base["year"]) if self.rng.random() >= SHARE_UNDATED else None
        fmt = str(self.rng.choice(list(FORMAT_SHARES), p=list(FORMAT_SHARES.values())))
        return {"id": i, "title": title, "paragraphs": self.paragraphs(sentences), "date": day,
                "person": names["person"], "format": fmt, "foreign": bool(foreign), "dup_of": None,
                "slug": f"{invent_word(i)}-{i:06d}"}

    def republish(self, original: dict, i: int, exact: bool) -> dict:
        """A duplicate: the same body (exact), or with new chrome, date line and one more sentence."""
        copy = dict(original, id=i, dup_of=original["id"], slug=f"{invent_word(i)}-{i:06d}")
        if not exact:
            extra = self.body(self.french)[1][0]
            copy["paragraphs"] = [*original["paragraphs"], extra]
            copy["date"] = original["date"] and date(original["date"].year, original["date"].month,
                                                     min(28, original["date"].day + 1))
        return copy

    def render_text(self, art: dict) -> str:
        """The raw capture: tagline/chrome, title (often twice), date line, body, footer chrome."""
        lines = self.chrome_lines(int(self.rng.integers(0, 3)))
        lines += [art["title"]] * (2 if self.rng.random() < 0.4 else 1)
        if art["date"] and art["format"] in ("txt", "html"):
            lines.append(format_date_line(art["date"], self.rng, art["person"]))
        lines += art["paragraphs"]
        lines += self.chrome_lines(int(self.rng.integers(0, 4)))
        text = "\n".join(lines)
        if self.rng.random() < 0.5:
            text = text.replace("'", "’")
        return text.replace(" :", "\u00a0:") if self.rng.random() < 0.3 else text


def render_html(art: dict, text_lines: list[str], chrome: list[str]) -> str:
    """A web page: chrome in <nav>/<footer>, the article in <article>, the date in a <time> tag half the time."""
    esc = html.escape
    when = art["date"]
    time_tag = f'<time datetime="{when.isoformat()}"></time>' if when and art["id"] % 2 else ""
    body = "".join(f"<p>{esc(line)}</p>" for line in text_lines)
    nav = "".join(f"<li>{esc(c)}</li>" for c in chrome)
    return (f"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{esc(art['title'])} | Démo"
            f"</title></head><body><nav><ul>{nav}</ul></nav><article><h1>{esc(art['title'])}</h1>{time_tag}"
            f"{body}</article><footer>Mentions légales</footer></body></html>")


def encode_text(text: str, n: int) -> bytes:
    """UTF-8 mostly; every 50th file cp1252, every 100th mojibake (UTF-8 read as cp1252), every 97th a BOM."""
    if n % 50 == 7:
        return text.encode("cp1252", errors="replace")
    if n % 100 == 13:
        return text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    return (b"\xef\xbb\xbf" if n % 97 == 5 else b"") + text.encode("utf-8")


def metadata_row(art: dict, text: str) -> dict:
    """A .jsonl/.csv record: the date as metadata (half the dated ones) or only in the URL path."""
    when = art["date"]
    url = f"https://demo.example/actualites/{art['slug']}"
    row = {"title": art["title"], "date": None, "url": url, "text": text}
    if when and art["id"] % 2:
        row["date"] = when.isoformat() if art["format"] == "jsonl" else when.strftime("%d/%m/%Y")
    elif when:
        row["url"] = f"https://demo.example/{when.year}/{when.month:02d}/{art['slug']}"
    return row


class CorpusWriter:
    """Writes articles into OUT: .txt/.html in sub-folders of FILES_PER_FOLDER, records in batches."""

    def __init__(self, out: Path):
        self.out, self.counts, self.batches = out, Counter(), {"jsonl": [], "csv": []}
        self.n_batch_files = Counter()

    def file_path(self, fmt: str, art: dict) -> Path:
        n = self.counts[fmt]
        self.counts[fmt] += 1
        when = art["date"]
        dated_name = when and art["id"] % 3 == 0  # a third of dated files carry the date in their name
        name = f"{when.isoformat()}-{art['slug']}" if dated_name else art["slug"]
        folder = self.out / fmt / f"{n // FILES_PER_FOLDER:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{name}.{fmt}"

    def write(self, art: dict, text: str, gen: Generator) -> str:
        """Write one article; returns its path relative to OUT (records: file#row)."""
        fmt = art["format"]
        if fmt in self.batches:
            batch = self.batches[fmt]
            batch.append(metadata_row(art, text))
            name = f"{fmt}/export-{self.n_batch_files[fmt]:04d}.{fmt}"
            if len(batch) == RECORDS_PER_FILE:
                self.flush(fmt)
            return f"{name}#{len(batch) or RECORDS_PER_FILE}"
        path = self.file_path(fmt, art)
        if fmt == "html":
            page = render_html(art, text.splitlines(), gen.chrome_lines(3))
            path.write_text(page, encoding="utf-8")
        else:
            path.write_bytes(encode_text(text, art["id"]))
        return str(path.relative_to(self.out))

    def flush(self, fmt: str) -> None:
        batch = self.batches[fmt]
        if not batch:
            return
        path = self.out / fmt / f"export-{self.n_batch_files[fmt]:04d}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "jsonl":
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch), encoding="utf-8")
        else:
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=["title", "date", "url", "text"])
                writer.writeheader()
                writer.writerows(batch)
        self.n_batch_files[fmt] += 1
        batch.clear()


def make_corpus(n: int, out: str | Path, *, source: str | Path | None = None, seed: int = 0) -> Path:
    """Write an n-article corpus to `out` (which must be empty or absent); returns the manifest path."""
    out, source = Path(out), Path(source) if source else config.SAMPLE
    if n < 1:
        raise ValueError(f"n must be at least 1 (got {n})")
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty: remove it or choose another OUT folder")
    gen = Generator(*read_sources(source), seed=seed)
    writer, made, manifest = CorpusWriter(out), [], []
    for i in range(n):
        if made and gen.rng.random() < SHARE_DUPLICATE:
            originals = [a for a in made if a["dup_of"] is None]
            art = gen.republish(originals[int(gen.rng.integers(len(originals)))], i, gen.rng.random() < 0.5)
        else:
            art = gen.article(i)
        made.append(art)
        text = gen.render_text(art)
        manifest.append({"id": i, "path": writer.write(art, text, gen), "format": art["format"],
                         "year": art["date"].year if art["date"] else "", "dup_of": art["dup_of"],
                         "foreign": art["foreign"], "n_words": len(text.split())})
    for fmt in writer.batches:
        writer.flush(fmt)
    path = out / ".manifest.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer_csv = csv.DictWriter(handle, fieldnames=list(manifest[0]))
        writer_csv.writeheader()
        writer_csv.writerows(manifest)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="output folder (created; must be empty)")
    parser.add_argument("--from", dest="source", type=Path, help="corpus to recombine (default: data/sample)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same corpus)")
    args = parser.parse_args(argv)
    manifest = make_corpus(args.n, args.out, source=args.source, seed=args.seed)
    print(f"{args.n} articles written to {args.out} (manifest: {manifest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
