"""Tests for cxpress.clean: Unicode repair, the boilerplate lexicon (one test per YAML entry), layout rules,
classifiers, titles, properties (never raises, idempotent) and measures on the shared corpus (skipped when absent)."""

from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxpress.clean import (
    BoilerplateClassifier,
    clean_text,
    guess_title,
    load_boilerplate,
    remove_boilerplate,
    repair_unicode,
    strip_inline,
)
from cxpress.text.boilerplate import BOILERPLATE_PATH

SPEC = yaml.safe_load(BOILERPLATE_PATH.read_text(encoding="utf-8"))
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
BEFORE = (
    "Les centres de contacts ont recruté deux mille conseillers cette année, surtout en région."
)
AFTER = "La direction prévoit d'ouvrir un nouveau plateau à Amiens au printemps prochain, selon nos informations."


def around(line: str) -> str:
    """A chrome line between two article sentences."""
    return f"{BEFORE}\n{line}\n{AFTER}"


# ---- Unicode repair ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Le marchÃ© franÃ§ais", "Le marché français"),
        ("lâ€™IA gÃ©nÃ©rative", "l'IA générative"),
        ("Côte d’Ivoire", "Côte d'Ivoire"),
        ("‘centre’", "'centre'"),
        ("« offshore »", "« offshore »"),
        ("cœur, œuvre, Œil", "cœur, œuvre, Œil"),
        ("e\u0301te\u0301", "été"),
        ("10\u00a0%\u202f!", "10 % !"),
        ("un\u2009mot\u3000ici", "un mot ici"),
        ("ﬁdélité, ﬂux", "fidélité, flux"),
        ("télé\u200bconseiller\u00ad\ufeff", "téléconseiller"),
        ("R&amp;D &eacute;t&#233; &rsquo;", "R&D été '"),
        ("&amp;eacute;", "é"),
        ("R&D et Data & IA", "R&D et Data & IA"),
        ("Bravo 🚀👉 ✅ l'équipe", "Bravo l'équipe"),
        ("300 m² à 10 € – © X", "300 m² à 10 € – © X"),
        ("  a   b  \r\n  c\rd ", "a b\nc\nd"),
    ],
)
def test_repair_unicode(raw, expected):
    assert repair_unicode(raw) == expected


def test_repair_unicode_fixes_a_file_decoded_with_the_wrong_codec():
    text = "Deux ans après la révolution, l'État réfléchit à de nouvelles incitations : « Éco »."
    assert repair_unicode(text.encode("utf-8").decode("latin-1")) == text
    assert repair_unicode(text.encode("utf-8").decode("cp1252")) == text


def test_repair_unicode_keeps_emoji_on_request_and_rejects_unknown_policies():
    assert repair_unicode("Alors ? 😉", emoji="keep") == "Alors ? 😉"
    with pytest.raises(ValueError, match="emoji must be"):
        repair_unicode("texte", emoji="strip")


# ---- The lexicon: every YAML entry is checked --------------------------------------------------
EXACT = [(group["name"], line) for group in SPEC["exact"] for line in group["lines"]]
EXACT += [("site_headers", line) for line in SPEC["site_headers"]["lines"]]
PATTERN_EXAMPLES = [(p["name"], ex) for p in SPEC["patterns"] for ex in p["examples"]]
INLINE_EXAMPLES = [(p["name"], ex) for p in SPEC["inline"]["patterns"] for ex in p["examples"]]


def test_every_entry_says_why_and_has_examples():
    for section in (SPEC["patterns"], SPEC["inline"]["patterns"], SPEC["exact"]):
        for entry in section:
            assert entry.get("why"), f"{entry['name']}: add a `why`"
            assert entry.get("examples") or entry.get("lines"), f"{entry['name']}: add examples"
    assert SPEC["teasers"]["why"] and SPEC["teasers"]["examples"] and SPEC["byline_labels"]["why"]


@pytest.mark.parametrize(("group", "line"), EXACT)
def test_exact_line_is_removed_and_its_neighbours_kept(group, line):
    for variant in (line, line.upper(), f"  {line}  "):
        assert remove_boilerplate(around(variant)) == f"{BEFORE}\n{AFTER}", group


@pytest.mark.parametrize(("name", "example"), PATTERN_EXAMPLES)
def test_pattern_example_is_removed_and_its_neighbours_kept(name, example):
    assert load_boilerplate().patterns[name].fullmatch(repair_unicode(example)), (
        f"{name} does not match"
    )
    assert clean_text(around(example)) == f"{BEFORE}\n{AFTER}"


@pytest.mark.parametrize(("name", "example"), INLINE_EXAMPLES)
def test_inline_example_is_stripped(name, example):
    assert strip_inline(example["text"]) == example["expected"]
    assert clean_text(around(example["text"])) == f"{BEFORE}\n{example['expected']}\n{AFTER}"


@pytest.mark.parametrize("header", SPEC["teasers"]["examples"])
def test_teaser_block_is_removed(header):
    text = f"{BEFORE}\n{header}\nLe marché des centres d'appels en 2020\nPénurie de conseillers : la parade\n{AFTER}"
    assert remove_boilerplate(text) == f"{BEFORE}\n{AFTER}"


@pytest.mark.parametrize("label", SPEC["byline_labels"]["lines"])
def test_lone_author_name_after_a_label_is_removed(label):
    assert remove_boilerplate(around(f"{label}\nClaire Dubois")) == f"{BEFORE}\n{AFTER}"


@pytest.mark.parametrize("line", SPEC["body_examples"])
def test_body_lines_that_look_like_chrome_survive(line):
    assert line in remove_boilerplate(around(line)).split("\n")


# ---- Structure: title, teasers, bylines, header and footer fragments -----------------------------
def test_every_line_equal_to_the_title_is_dropped_whatever_its_case_and_spacing():
    title = "Centres d'appels : Sousse ouvre un troisième plateau"
    text = f"{title}\n{BEFORE}\n  centres d'appels :  sousse ouvre un troisième plateau \n{AFTER}"
    assert clean_text(text, title=title) == f"{BEFORE}\n{AFTER}"
    assert (
        clean_text(text, title="Centres d’appels : Sousse ouvre un troisième plateau")
        == f"{BEFORE}\n{AFTER}"
    )


def test_teaser_run_stops_at_article_text():
    text = f"A lire aussi\nUn autre titre\n{BEFORE}\n{AFTER}"
    assert remove_boilerplate(text) == f"{BEFORE}\n{AFTER}"


def test_a_line_after_par_that_is_not_a_name_is_kept():
    text = f"{BEFORE}\npar\nles équipes locales, souvent jeunes.\n{AFTER}"
    assert "les équipes locales, souvent jeunes." in remove_boilerplate(text)


def test_header_and_footer_fragments_are_dropped_but_salutations_and_lists_kept():
    text = "\n".join(
        [
            "L'Hebdo du Centre",
            "Un plateau à Rabat",
            "Camarades, collègues,",
            BEFORE,
            "Nos demandes :",
            "- un accord de méthode",
            AFTER,
            "- gel des transferts",
            "Adhérer au syndicat",
            "Mentions diverses du site",
        ]
    )
    assert remove_boilerplate(text).split("\n") == [
        "Camarades, collègues,",
        BEFORE,
        "Nos demandes :",
        "- un accord de méthode",
        AFTER,
        "- gel des transferts",
    ]


def test_long_last_line_without_a_period_is_kept():
    closing = "Vos retours d'expérience sur ces outils m'intéressent, les commentaires sont ouverts"
    assert remove_boilerplate(f"{BEFORE}\n{closing}\nArticles du mois").split("\n") == [
        BEFORE,
        closing,
    ]


def test_layout_rules_can_be_switched_off(tmp_path):
    spec = dict(
        SPEC, layout=dict(SPEC["layout"], drop_header_fragments=False, drop_footer_fragments=False)
    )
    path = tmp_path / "boilerplate.yml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    text = f"L'Hebdo du Centre\n{BEFORE}\nArticles du mois"
    assert remove_boilerplate(text, patterns=load_boilerplate(path)) == text


def test_text_without_any_sentence_is_kept_whole():
    assert remove_boilerplate("Offshore\nNearshore et IA") == "Offshore\nNearshore et IA"


def test_clean_text_on_a_whole_capture():
    raw = "\n".join(
        [
            "Le magazine international du BPO, du CRM et de l'expérience client.",
            "",
            "Nearshore : le Portugal séduit les prestataires",
            "",
            "Publié le 12 mai 2016 à 09:40 par Magazine En-Contact",
            "Nearshore : le Portugal séduit les prestataires",
            '[divider top="0"]',
            "Les prestataires ouvrent des plateaux à Lisbonne[1], où les conseillers parlent français.",
            "EC : Pourquoi le Portugal ?",
            "PM : Les équipes restent, et le coût est maîtrisé.",
            "Propos recueillis par la rédaction",
            "",
            "A lire aussi",
            "Lisbonne attire aussi les éditeurs de logiciels",
            "",
            "Profitez d'un accès illimité au magazine Exemple pour moins de 3 € par semaine.",
            "Abonnez-vous maintenant",
            "×",
        ]
    )
    assert clean_text(raw, title=guess_title(raw)) == (
        "Les prestataires ouvrent des plateaux à Lisbonne, où les conseillers parlent français.\n"
        "EC : Pourquoi le Portugal ?\nPM : Les équipes restent, et le coût est maîtrisé."
    )


def test_clean_text_handles_empty_and_rejects_bytes():
    assert clean_text("") == "" and clean_text(None) == "" and clean_text(" \n\n ") == ""
    with pytest.raises(TypeError, match="decode bytes first"):
        clean_text(b"Le texte")


def test_a_classifier_applies_its_own_lexicon(tmp_path):
    spec = dict(SPEC, exact=[*SPEC["exact"], {"name": "test", "why": "test", "lines": ["Le coin des abonnés"]}])
    path = tmp_path / "boilerplate.yml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    own = BoilerplateClassifier(load_boilerplate(path))
    text = around("Le coin des abonnés")
    assert clean_text(text, classifier=own) == f"{BEFORE}\n{AFTER}"
    assert clean_text(text) == text  # the default lexicon does not know the line
    assert clean_text(text, classifier=own) == f"{BEFORE}\n{AFTER}"  # asked again: same answer
    assert own.classify("Le coin des abonnés") == "chrome" and own.classify(BEFORE) == ""


def test_the_title_is_dropped_even_where_the_classifier_met_it_as_text():
    classifier = BoilerplateClassifier(load_boilerplate())
    title = "Les centres de contact recrutent"
    assert classifier.classify(title) == ""  # remembered as article text...
    assert remove_boilerplate(around(title), title=title, classifier=classifier) == f"{BEFORE}\n{AFTER}"


def test_lexicon_errors_name_the_problem(tmp_path):
    with pytest.raises(FileNotFoundError, match="boilerplate lexicon not found"):
        load_boilerplate(tmp_path / "missing.yml")
    bad = dict(
        SPEC, patterns=[{"name": "broken", "why": "x", "regex": "(unclosed", "examples": ["x"]}]
    )
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="patterns/broken"):
        load_boilerplate(path)


# ---- Titles and HTML ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "title"),
    [
        (
            "Le Journal\nTitre : essai\nPublié le 3 mars 2015\nTitre : essai\n" + BEFORE,
            "Titre : essai",
        ),
        (
            "Menu\nL'Hebdo du Centre\nAu Maroc, les plateaux recrutent\nUn plateau à Rabat\npar\nJean Roux\n"
            + BEFORE,
            "Au Maroc, les plateaux recrutent",
        ),
        (
            "Syndicat Autonome des Conseillers\nAccueil > Tracts > Emploi\nNon aux transferts !\n"
            + BEFORE,
            "Non aux transferts !",
        ),
        (
            "Turnover : le mal des plateaux\n" + BEFORE + " " + AFTER,
            "Turnover : le mal des plateaux",
        ),
        (BEFORE + " " + AFTER + " " + BEFORE, None),
        ("Menu\n×\n", None),
        ("", None),
    ],
)
def test_guess_title(raw, title):
    assert guess_title(raw) == title


# ---- Properties ------------------------------------------------------------------------------
CHROME = (
    [line for _, line in EXACT[:40]]
    + [ex for _, ex in PATTERN_EXAMPLES]
    + ["A lire aussi", "par", "×"]
)
PROSE = [
    BEFORE,
    AFTER,
    "EC : Pourquoi maintenant ?",
    "Camarades, collègues,",
    "- un point ;",
    "Claire Dubois",
    "Le marché[1] progresse.",
    "R&amp;D",
    "Ã©tÃ©",
    "[vc_row]Texte[/vc_row]",
    "&am[1]p;",
]
capture_lines = st.one_of(st.sampled_from(CHROME), st.sampled_from(PROSE), st.text(max_size=40))
captures = st.lists(capture_lines, max_size=25).map("\n".join)
titles = st.one_of(st.none(), st.text(max_size=30), st.sampled_from(PROSE + CHROME[:10]))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(st.text(), titles)
@SETTINGS
def test_clean_text_never_raises_and_is_idempotent_on_any_text(raw, title):
    once = clean_text(raw, title=title)
    assert clean_text(once, title=title) == once
    assert "\n\n" not in once and once == once.strip()


@given(captures, titles)
@SETTINGS
def test_clean_text_is_idempotent_on_capture_like_text(raw, title):
    once = clean_text(raw, title=title)
    assert clean_text(once, title=title) == once
    assert "\n\n" not in once and once == once.strip()


@given(st.text())
@SETTINGS
def test_repair_unicode_is_idempotent(text):
    once = repair_unicode(text)
    assert repair_unicode(once) == once


# ---- The shared corpus (skipped when absent) -------------------------------------------------
def norm(s: str | None) -> str:
    """The comparison of ../shared/tools/eval_realistic.py."""
    s = unicodedata.normalize("NFKC", s or "")
    s = s.translate(
        str.maketrans(
            {
                "’": "'",
                "‘": "'",
                "«": '"',
                "»": '"',
                "“": '"',
                "”": '"',
                "\u00a0": " ",
                "\u202f": " ",
            }
        )
    )
    return re.sub(r"\s+", " ", s).strip().casefold()


@pytest.fixture(scope="module")
def realistic():
    if not (SHARED / "realistic.gold.jsonl").is_file():
        pytest.skip("../shared/corpus is absent")
    from cxpress.corpus import decode_bytes, html_to_text

    rows = []
    for line in (SHARED / "realistic.gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        if gold.get("lang") != "fr":
            continue
        raw = decode_bytes((SHARED / "realistic" / gold["file"]).read_bytes()).text
        if gold["file"].endswith(".html"):
            raw = html_to_text(raw).text
        rows.append((gold, raw))
    return rows


@pytest.mark.shared
def test_shared_corpus_body_kept_and_chrome_removed(realistic):
    kept = total = chrome_left = 0
    for gold, raw in realistic:
        text = clean_text(raw, title=gold["title"])
        assert clean_text(text, title=gold["title"]) == text
        flat, lines = norm(text), {norm(x) for x in text.split("\n")}
        body = gold.get("body_text") or gold.get("body_repaired") or gold["body"]
        sentences = [s for s in re.split(r"(?<=[.!?…])\s+", body) if len(s) >= 60]
        total += len(sentences)
        kept += sum(norm(s) in flat for s in sentences)
        for chrome in [] if gold["file"].endswith(".html") else gold["chrome_lines"]:
            chrome = chrome.strip()
            if chrome and norm(chrome) != norm(gold["title"]):
                chrome_left += (
                    (norm(chrome) in flat) if len(chrome) >= 15 else (norm(chrome) in lines)
                )
    # Measured: 725/729 sentences (99.45 %; the 4 lost hold an emoji or a footnote mark, both removed
    # by design) and 0 chrome lines left.
    assert kept / total >= 0.99
    assert chrome_left <= 1


@pytest.mark.shared
def test_shared_corpus_titles_are_guessed(realistic):
    right = sum(norm(guess_title(raw)) == norm(gold["title"]) for gold, raw in realistic)
    assert right / len(realistic) >= 0.95  # measured: 78/78


@pytest.mark.shared
def test_real_captures_lose_their_chrome_but_no_paragraph():
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/corpus/seeds is absent")
    known_chrome = {
        norm(x)
        for x in [
            "A lire aussi",
            "Abonnez-vous maintenant",
            "×",
        ]
    }
    for path in seeds:
        raw = path.read_text(encoding="utf-8")
        title = guess_title(raw)
        assert title, path.name
        text = clean_text(raw, title=title)
        assert not any(norm(x).startswith("le magazine") for x in text.split("\n")), path.name  # tagline
        lines = {norm(x) for x in text.split("\n")}
        assert not lines & (known_chrome | {norm(title)}), path.name
        assert not any(norm(x).startswith(("publié le", "profitez d'un accès")) for x in lines), (
            path.name
        )
        paragraphs = [x for x in repair_unicode(raw).split("\n") if x.count(" ") >= 25]
        assert all(norm(strip_inline(p)) in lines for p in paragraphs), path.name


@pytest.mark.shared
def test_clean_text_speed(realistic):
    articles = [(raw, gold["title"]) for gold, raw in realistic]
    calls, start = 0, time.process_time()
    while calls < 2000:
        for raw, title in articles:
            clean_text(raw, title=title)
        calls += len(articles)
    rate = calls / (time.process_time() - start)
    # Measured 6,000-7,000 articles per CPU-second on the shared 2-core machine; the floor leaves room for load.
    assert rate >= 2500, f"{rate:.0f} articles/s"


@given(st.text(alphabet="ÃÂâ€‚„ÅÄï»¿ a\n", max_size=40))
def test_mojibake_sign_search_is_the_substring_test(text):
    from cxpress.text.unicode import MOJIBAKE_SIGNS, has_mojibake_sign

    assert has_mojibake_sign(text) == any(sign in text for sign in MOJIBAKE_SIGNS)
