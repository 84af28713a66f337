"""French tokenisation: elision, lemmas (simplemma) or Snowball stems, stop words, multi-word terms.

Lemmas are the default because they measured better: on 40 hand-made word pairs that should or
should not share a form (tests/data/token_pairs.csv) simplemma gets 35 right, NLTK's Snowball
stemmer 27 (it merges conseil/conseiller, entreprise/entreprendre); with the per-word-type cache
lemmas also ran faster here (143k vs 109k words/s on the demo corpus).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress, count
from pathlib import Path

import simplemma

from cxpress.config import LEXICONS, read_yaml
from cxpress.text import defaults
from cxpress.text.french import Elision, default_elision, load_elision, split_elided

METHODS = ("lemma", "stem", "lower")
FORMS_CACHE_MAX = 500_000  # word types a Tokenizer remembers the form of; the memo restarts beyond
# Endings of French singulars in -s (accès, temps, colis, propos, poids, travers): never stripped.
_SINGULAR_S = ("ss", "us", "ès", "ps", "is", "os", "as", "ds", "xs", "zs", "-vous", "-nous")


@dataclass(frozen=True)
class TokenRules:
    """The word lists a Tokenizer applies: elision, stop words, multi-word terms as mwe.yml spells them."""

    elision: Elision
    stopwords: frozenset[str]
    mwe_variants: dict[str, list[str]]  # joined token -> spellings
    lemmas: dict[str, str] = field(default_factory=dict)  # lemmatiser corrections: word -> lemma


def load_stopwords(path: str | Path | None = None) -> frozenset[str]:
    """The French stop-word list shipped in data/lexicons (one entry per line, # comments)."""
    path = Path(path) if path else LEXICONS / "stopwords_fr.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def load_token_rules(*, elision_path: str | Path | None = None, stopwords_path: str | Path | None = None,
                     mwe_path: str | Path | None = None, lemmas_path: str | Path | None = None) -> TokenRules:
    """The tokeniser's word lists (defaults: elision_fr.yml, stopwords_fr.txt, mwe.yml, lemmas_fr.yml
    in data/lexicons)."""
    mwe_path = Path(mwe_path) if mwe_path else LEXICONS / "mwe.yml"
    table = read_yaml(mwe_path) or {}
    lemmas_path = Path(lemmas_path) if lemmas_path else LEXICONS / "lemmas_fr.yml"
    lemmas = read_yaml(lemmas_path) or {}
    return TokenRules(
        elision=load_elision(elision_path),
        stopwords=load_stopwords(stopwords_path),
        mwe_variants={str(joined): [str(v) for v in variants or []] for joined, variants in table.items()},
        lemmas={str(word).lower(): str(lemma) for word, lemma in lemmas.items()},
    )


class _Memo(dict):
    """value_of(key) for each key asked, remembered (up to FORMS_CACHE_MAX keys, then it starts over).
    `map(memo.__getitem__, keys)` then looks every key up in C, calling value_of only for new ones."""

    def __init__(self, value_of):
        super().__init__()
        self.value_of = value_of

    def __missing__(self, key):
        if len(self) >= FORMS_CACHE_MAX:
            self.clear()
        value = self[key] = self.value_of(key)
        return value


def _snowball_stemmer():
    """NLTK's French Snowball stemmer, imported only when asked for (importing nltk costs ~1 s a process)."""
    from nltk.stem.snowball import FrenchStemmer

    return FrenchStemmer()


class Tokenizer:
    """Lemmas (or Snowball stems, or lower-case words) of French words, multi-word terms joined by "_",
    stop words dropped. It remembers each word type's form: a corpus repeats a few tens of thousands
    of types millions of times. One per method and process (default_tokenizer)."""

    def __init__(self, method: str = "lemma", *, rules: TokenRules):
        if method not in METHODS:
            raise ValueError(f"unknown token method {method!r}; use one of {METHODS}")
        self.method, self.rules = method, rules
        self._stemmer = _snowball_stemmer() if method == "stem" else None
        self._forms = _Memo(self._form_of)
        self.mwes = self._normalised_mwes()
        self._mwe_index = (frozenset(seq[0] for seq in self.mwes),
                           tuple(sorted({len(seq) for seq in self.mwes}, reverse=True)))

    def _normalised_mwes(self) -> dict[tuple[str, ...], str]:
        """{normalised word sequence: joined token} of every spelling of the rules' multi-word terms."""
        mwes: dict[tuple[str, ...], str] = {}
        for joined, variants in self.rules.mwe_variants.items():
            for variant in [joined.replace("_", " "), *variants]:
                seq = tuple(self.normalise(w) for w in split_elided(variant, self.rules.elision))
                if len(seq) > 1:
                    mwes[seq] = joined
        return mwes

    def normalise(self, word: str) -> str:
        """One lower-case word's lemma, stem or lower form (remembered)."""
        return self._forms[word]

    def _form_of(self, word: str) -> str:
        if word in self.rules.elision.lemmas:
            return self.rules.elision.lemmas[word]
        if self.method == "lower":
            return word
        if self._stemmer is not None:
            return self._stemmer.stem(word)
        if word in self.rules.lemmas:
            return self.rules.lemmas[word]
        # simplemma capitalises the lemmas of names it knows (Thomas, Espagne): one lower-case form
        lemma = simplemma.lemmatize(word, lang="fr").lower()
        # simplemma leaves unknown words as they are; trade-press jargon (chatbots,
        # téléconseillers, callbots) then keeps its plural, which splits counts.
        if lemma == word and self._looks_like_unknown_plural(word) and not simplemma.is_known(word, lang="fr"):
            return word[:-1]
        return lemma

    def _looks_like_unknown_plural(self, word: str) -> bool:
        """A word that reads as a plural (chatbots, téléconseillers, courriels), not a singular in -s."""
        if len(word) <= 4 or not word.endswith("s") or word.endswith(_SINGULAR_S) or word in self.rules.stopwords:
            return False
        return not word.endswith("rs") or word.endswith(("eurs", "llers"))

    def tokens_of_words(self, words: list[str], *, drop_stopwords: bool = True, min_length: int = 2) -> list[str]:
        """Tokens of words split by split_words (callers that also count the words split once)."""
        # the form memo looked up in C: most words were met before. (A memo of the stop-word test
        # measured slower in the ingest: a large table falls out of the CPU cache; the stop set is small.)
        norms = join_mwes(list(map(self._forms.__getitem__, words)), self.mwes, self._mwe_index)
        if not drop_stopwords:
            return norms
        stop = self.rules.stopwords
        return [t for t in norms if len(t) >= min_length and t not in stop]

    def tokenize(self, text: str, *, drop_stopwords: bool = True, min_length: int = 2) -> list[str]:
        """Tokens of a French text."""
        return self.tokens_of_words(split_elided(text, self.rules.elision), drop_stopwords=drop_stopwords,
                                    min_length=min_length)


def split_words(text: str, *, elision: Elision | None = None) -> list[str]:
    """Lower-cased word tokens with elided clitics kept as their own token ("l'", "qu'").

    >>> split_words("L’IA d'aujourd'hui n'externalise pas 3 centres")
    ["l'", 'ia', "d'", 'aujourdhui', "n'", 'externalise', 'pas', 'centres']
    """
    return split_elided(text, elision or default_elision())


def normalise_word(word: str, method: str = "lemma", *, tokenizer: Tokenizer | None = None) -> str:
    """One word's lemma (simplemma, plural fallback for unknown words), stem, or lower form."""
    return (tokenizer or default_tokenizer(method)).normalise(word)


def load_mwes(path: str | Path | None = None, method: str = "lemma") -> dict[tuple[str, ...], str]:
    """Multi-word terms from data/lexicons/mwe.yml as {normalised word sequence: joined token}."""
    return Tokenizer(method, rules=load_token_rules(mwe_path=path)).mwes


def join_mwes(norms: list[str], mwes: dict[tuple[str, ...], str],
              index: tuple[frozenset[str], tuple[int, ...]] | None = None) -> list[str]:
    """Replace the longest multi-word sequences found in `norms` by their joined token.

    index: (first words, lengths longest first) of `mwes` when the caller has them (a Tokenizer does).
    """
    if not mwes:
        return norms
    firsts, lengths = index or (frozenset(seq[0] for seq in mwes), sorted({len(seq) for seq in mwes}, reverse=True))
    # few: the loop below visits only these (found in C: membership mapped over the list)
    candidates = list(compress(count(), map(firsts.__contains__, norms)))
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


def tokenize(text: str, *, method: str = "lemma", drop_stopwords: bool = True, min_length: int = 2,
             tokenizer: Tokenizer | None = None) -> list[str]:
    """Lemmas (or stems) of a French text, multi-word terms joined by "_", stop words dropped.

    `tokenizer` replaces the default one for `method` (cxpress.text.defaults).

    >>> tokenize("L'intelligence artificielle aide les téléconseillers des centres d'appels.")
    ['intelligence_artificielle', 'aide', 'téléconseiller', 'centre_appels']
    """
    return (tokenizer or default_tokenizer(method)).tokenize(text, drop_stopwords=drop_stopwords,
                                                               min_length=min_length)


def tokens_of_words(words: list[str], *, method: str = "lemma", drop_stopwords: bool = True, min_length: int = 2,
                    tokenizer: Tokenizer | None = None) -> list[str]:
    """tokenize() on words already split by split_words (callers that also count them split once)."""
    return (tokenizer or default_tokenizer(method)).tokens_of_words(words, drop_stopwords=drop_stopwords,
                                                                      min_length=min_length)


def default_tokenizer(method: str = "lemma") -> Tokenizer:
    """The tokeniser for `method` ("lemma", "stem" or "lower") with its per-word cache, one per method
    and process (cxpress.text.defaults)."""
    return defaults.shared(("tokenizer", method), lambda: Tokenizer(method, rules=load_token_rules()))
