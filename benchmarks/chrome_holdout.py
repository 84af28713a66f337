"""Leave-one-outlet-out estimate of chrome removal and titles on the realistic dev corpus (../shared).

The boilerplate lexicon was written while reading every outlet of the dev corpus, so its dev figures
are optimistic. For each outlet style S this harness removes from the lexicon every entry that
matches chrome of S and of no other style (the lexicon as it would be had S never been seen), loads
the whole folder (corpus evidence is learned from the corpus being loaded, as on a user's corpus),
and scores S's files only. `chrome_min_articles` is chosen on the other styles (nested), never on S.

    .venv/bin/python benchmarks/chrome_holdout.py [../shared/corpus/realistic] [--per-style=3]
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

import yaml

from cxpress.corpus import load_corpus
from cxpress.text import defaults
from cxpress.text.boilerplate import BOILERPLATE_PATH, _line_key, load_boilerplate

CANDIDATES = (0, 2, 3, 4)  # chrome_min_articles tried (0: lexicon only)


def norm(s) -> str:
    s = unicodedata.normalize("NFKC", str(s or "")).replace("’", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip().casefold()


def ablated_lexicon(gold: list[dict], style: str, out: Path) -> Path:
    """The YAML lexicon without the entries only `style`'s chrome needs."""
    spec = yaml.safe_load(BOILERPLATE_PATH.read_text(encoding="utf-8"))
    compiled = load_boilerplate()
    held = {c.strip() for g in gold if g.get("outlet_style") == style for c in g.get("chrome_lines", [])}
    other = {c.strip() for g in gold if g.get("outlet_style") != style for c in g.get("chrome_lines", [])}
    held_keys, other_keys = {_line_key(c) for c in held}, {_line_key(c) for c in other}

    def only_held(line: str) -> bool:
        key = _line_key(line)
        return key in held_keys and key not in other_keys

    spec["site_headers"]["lines"] = [x for x in spec["site_headers"]["lines"] if not only_held(x)]
    for group in spec["exact"]:
        group["lines"] = [x for x in group["lines"] if not only_held(x)]
    spec["teasers"]["lines"] = [x for x in spec["teasers"]["lines"] if not only_held(x)]
    spec["byline_labels"]["lines"] = [x for x in spec["byline_labels"]["lines"] if not only_held(x)]
    spec["patterns"] = [
        p for p in spec["patterns"]
        if not (any(compiled.patterns[p["name"]].fullmatch(c) for c in held)
                and not any(compiled.patterns[p["name"]].fullmatch(c) for c in other))
    ]
    out.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return out


def score(gold: list[dict], articles, files: set[str]) -> dict:
    """Chrome lines left, titles right and body sentences kept on `files` (rules of eval_realistic)."""
    by_file = {Path(str(s)).name: r for s, r in zip(articles["source"], articles.itertuples(), strict=True)}
    out = defaultdict(int)
    for g in gold:
        if g["file"] not in files or g.get("lang") != "fr" or g["file"] not in by_file:
            continue
        row = by_file[g["file"]]
        text = norm(row.text)
        lines = {norm(x) for x in str(row.text).split("\n")}
        for sentence in re.split(r"(?<=[.!?…])\s+", g["body"]):
            if len(sentence) >= 60:
                out["sentences"] += 1
                out["kept"] += norm(sentence) in text
        for c in g.get("chrome_lines", []):
            c = c.strip()
            if c and norm(c) != norm(g.get("title")):
                out["chrome"] += 1
                out["chrome_left"] += (norm(c) in text) if len(c) >= 15 else (norm(c) in lines)
        out["titles"] += 1
        out["titles_right"] += norm(row.title) == norm(g.get("title"))
    return dict(out)


def load_with(lexicon: Path, folder: Path, min_articles: int):
    defaults.reset()
    defaults.shared("boilerplate", lambda: load_boilerplate(lexicon))
    try:
        return load_corpus(folder, cache=False, n_jobs=1, progress=False,
                           chrome_min_articles=min_articles).articles
    finally:
        defaults.reset()


def errors(s: dict) -> int:
    return s.get("chrome_left", 0) + (s.get("titles", 0) - s.get("titles_right", 0)) \
        + (s.get("sentences", 0) - s.get("kept", 0))


def subset(folder: Path, keep: set[str], out: Path) -> Path:
    """A folder of links to the files of `folder` named in `keep`."""
    out.mkdir()
    for name in keep:
        (out / name).symlink_to((folder / name).resolve())
    return out


def main(folder: Path, per_style: int | None = None) -> None:
    """Per held-out style; with `per_style`, the corpus holds only that many articles of the held-out
    style (its first files), as when a researcher's corpus has few articles of an outlet."""
    gold = [json.loads(line) for line in folder.with_name(folder.name + ".gold.jsonl").open(encoding="utf-8")]
    styles = sorted({g["outlet_style"] for g in gold if re.fullmatch(r"\d+\.txt", g["file"])})
    files_of = {s: {g["file"] for g in gold if g.get("outlet_style") == s} for s in styles}
    everything = {p.name for p in folder.iterdir()}
    rows, totals = [], defaultdict(lambda: defaultdict(int))
    with tempfile.TemporaryDirectory() as tmp:
        for style in styles:
            lexicon = ablated_lexicon(gold, style, Path(tmp) / f"{style}.yml")
            if per_style:
                files_of[style] = set(sorted(files_of[style])[:per_style])
                corpus = subset(folder, (everything - {g["file"] for g in gold if g.get("outlet_style") == style})
                                | files_of[style], Path(tmp) / style)
            else:
                corpus = folder
            by_m = {m: load_with(lexicon, corpus, m) for m in CANDIDATES}
            others = set().union(*(files_of[s] for s in styles if s != style))
            chosen = min((m for m in CANDIDATES if m), key=lambda m: (errors(score(gold, by_m[m], others)), m))
            for label, m in (("lexicon only", 0), ("with recurrence", chosen)):
                s = score(gold, by_m[m], files_of[style])
                rows.append({"held out": style, "method": label, "min_articles": m, **s})
                for k, v in s.items():
                    totals[label][k] += v
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    for label, t in totals.items():
        print(f"{label:16s} chrome left {t['chrome_left']}/{t['chrome']}  titles {t['titles_right']}/{t['titles']}"
              f" ({t['titles_right'] / t['titles']:.1%})  body kept {t['kept']}/{t['sentences']}"
              f" ({t['kept'] / t['sentences']:.2%})")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--per-style=")]
    per = [int(a.split("=")[1]) for a in sys.argv[1:] if a.startswith("--per-style=")]
    main(Path(args[0] if args else "../shared/corpus/realistic"), per[0] if per else None)
