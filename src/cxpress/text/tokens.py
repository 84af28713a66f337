"""French tokenisation: elision, lemmas (simplemma) or Snowball stems, stop words, multi-word terms.

Lemmas are the default because they measured better: on 40 hand-made word pairs that should or
should not share a form (tests/data/token_pairs.csv) simplemma gets 35 right, NLTK's Snowball
stemmer 27 (it merges conseil/conseiller, entreprise/entreprendre); with the per-word-type cache
lemmas also ran faster here (143k vs 109k words/s on the demo corpus).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import simplemma
import yaml

from cxpress.config import LEXICONS

METHODS = ("lemma", "stem", "lower")

# Elided clitics (l'IA, d'externaliser, qu'il, jusqu'au) are split off before the apostrophe.
_CURLY_APOSTROPHES = ("’", "‘", "ʼ", "´")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*'?", re.UNICODE)
_ELIDED = frozenset(
    "l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu' quoiqu' presqu' quelqu'".split()
)
_CLITIC_LEMMA = {"l'": "le", "d'": "de", "j'": "je", "m'": "me", "n'": "ne", "s'": "se",
                 "t'": "te", "c'": "ce", "qu'": "que"}


def split_words(text: str) -> list[str]:
    """Lower-cased word tokens with elided clitics kept as their own token ("l'", "qu'").

    >>> split_words("L’IA d'aujourd'hui n'externalise pas 3 centres")
    ["l'", 'ia', "d'", 'aujourdhui', "n'", 'externalise', 'pas', 'centres']
    """
    # chained replace: str.translate with a dict goes through Python per character (4x slower here)
    for curly in _CURLY_APOSTROPHES:
        if curly in text:
            text = text.replace(curly, "'")
    text = text.lower().replace("aujourd'hui", "aujourdhui")
    words = _WORD.findall(text)
    return [w[:-1] if w[-1] == "'" and w not in _ELIDED else w for w in words]


@lru_cache(maxsize=1)
def load_stopwords(path: str | Path | None = None) -> frozenset[str]:
    """The French stop-word list shipped in data/lexicons (one entry per line, # comments)."""
    path = Path(path) if path else LEXICONS / "stopwords_fr.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def _stemmer():
    """NLTK's French Snowball stemmer, imported on first use (importing nltk costs ~1 s a process)."""
    from nltk.stem.snowball import FrenchStemmer

    return FrenchStemmer()


# Endings of French singulars in -s (accès, temps, colis, propos, poids, travers): never stripped.
_SINGULAR_S = ("ss", "us", "ès", "ps", "is", "os", "as", "ds", "xs", "zs", "-vous", "-nous")


def _looks_like_unknown_plural(word: str) -> bool:
    """A word simplemma does not know that reads as a plural (chatbots, téléconseillers, courriels)."""
    if len(word) <= 4 or not word.endswith("s") or word.endswith(_SINGULAR_S) or word in load_stopwords():
        return False
    return not word.endswith("rs") or word.endswith(("eurs", "llers"))


@lru_cache(maxsize=500_000)
def normalise_word(word: str, method: str = "lemma") -> str:
    """One word's lemma (simplemma, plural fallback for unknown words), stem, or lower form."""
    if word in _CLITIC_LEMMA:
        return _CLITIC_LEMMA[word]
    if method == "lower":
        return word
    if method == "stem":
        return _stemmer().stem(word)
    if method != "lemma":
        raise ValueError(f"unknown token method {method!r}; use one of {METHODS}")
    lemma = simplemma.lemmatize(word, lang="fr")
    # simplemma leaves unknown words as they are; trade-press jargon (chatbots,
    # téléconseillers, callbots) then keeps its plural, which splits counts.
    if lemma == word and _looks_like_unknown_plural(word) and not simplemma.is_known(word, lang="fr"):
        return word[:-1]
    return lemma


@lru_cache(maxsize=4)
def load_mwes(path: str | Path | None = None, method: str = "lemma") -> dict[tuple[str, ...], str]:
    """Multi-word terms from data/lexicons/mwe.yml as {normalised word sequence: joined token}."""
    path = Path(path) if path else LEXICONS / "mwe.yml"
    table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    mwes: dict[tuple[str, ...], str] = {}
    for joined, variants in table.items():
        for variant in [joined.replace("_", " "), *variants]:
            seq = tuple(normalise_word(w, method) for w in split_words(variant))
            if len(seq) > 1:
                mwes[seq] = joined
    return mwes


@lru_cache(maxsize=4)
def _mwe_table(method: str) -> tuple[dict[tuple[str, ...], str], frozenset[str], tuple[int, ...]]:
    """The lexicon's multi-word terms with their first words and lengths (longest first), built once."""
    mwes = load_mwes(None, method)
    return mwes, frozenset(seq[0] for seq in mwes), tuple(sorted({len(seq) for seq in mwes}, reverse=True))


def join_mwes(norms: list[str], mwes: dict[tuple[str, ...], str],
              index: tuple[frozenset[str], tuple[int, ...]] | None = None) -> list[str]:
    """Replace the longest multi-word sequences found in `norms` by their joined token.

    index: (first words, lengths longest first) of `mwes` when the caller has them (_mwe_table).
    """
    if not mwes:
        return norms
    firsts, lengths = index or (frozenset(seq[0] for seq in mwes), sorted({len(seq) for seq in mwes}, reverse=True))
    candidates = [i for i, w in enumerate(norms) if w in firsts]  # few: the loop below visits only these
    if not candidates:
        return norms
    out: list[str] = []
    done = 0  # norms[:done] are settled
    for i in candidates:
        if i < done:
            continue
        for length in lengths:
            joined = mwes.get(tuple(norms[i : i + length]))
            if joined:
                out.extend(norms[done:i])
                out.append(joined)
                done = i + length
                break
    out.extend(norms[done:])
    return out


_NORM_CACHE: dict[str, dict[str, str]] = {}


def tokenize(text: str, *, method: str = "lemma", drop_stopwords: bool = True,
             min_length: int = 2) -> list[str]:
    """Lemmas (or stems) of a French text, multi-word terms joined by "_", stop words dropped.

    >>> tokenize("L'intelligence artificielle aide les téléconseillers des centres d'appels.")
    ['intelligence_artificielle', 'aide', 'téléconseiller', 'centre_appels']
    """
    return tokens_of_words(split_words(text), method=method, drop_stopwords=drop_stopwords,
                           min_length=min_length)


def tokens_of_words(words: list[str], *, method: str = "lemma", drop_stopwords: bool = True,
                    min_length: int = 2) -> list[str]:
    """tokenize() on words already split by split_words (callers that also count them split once)."""
    cache = _NORM_CACHE.setdefault(method, {})  # a dict lookup per word beats lru_cache's call overhead
    norms = [cache.get(w) or cache.setdefault(w, normalise_word(w, method)) for w in words]
    mwes, firsts, lengths = _mwe_table(method)
    norms = join_mwes(norms, mwes, (firsts, lengths))
    if not drop_stopwords:
        return norms
    stop = load_stopwords()
    return [t for t in norms if len(t) >= min_length and t not in stop]


def count_words(text: str) -> int:
    """Number of word tokens (clitics included): the denominator of per-10k rates."""
    return len(_WORD.findall(text))


def tokenize_many(texts: Iterable[str], *, method: str = "lemma", drop_stopwords: bool = True) -> list[list[str]]:
    """tokenize() over many texts (the per-word-type caches make repeats cheap)."""
    return [tokenize(t, method=method, drop_stopwords=drop_stopwords) for t in texts]
