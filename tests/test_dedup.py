import hashlib
import re
import zlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxpress.corpus import find_duplicates, fingerprint, near_duplicate_pairs

BODY = ("Le groupe a ouvert un nouveau plateau de deux cents conseillers à Rabat pour traiter les appels "
        "de ses clients français, une décision qui inquiète les syndicats du site historique de Poitiers "
        "où la direction promet pourtant de maintenir tous les emplois jusqu'à la fin de l'année prochaine.")
OTHER = ("La formation des nouveaux conseillers dure désormais six semaines au lieu de trois, avec un tutorat "
         "renforcé sur le plateau et des écoutes croisées chaque vendredi après-midi pour toute l'équipe.")


def _frame(texts, dates):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))],
                         "source": [f"f{i}.txt" for i in range(len(texts))],
                         "text": texts, "date": pd.to_datetime(dates)})


def test_republished_body_with_other_chrome_is_a_near_duplicate():
    texts = [BODY, OTHER, "Relation Client Mag\n" + BODY + "\nAbonnez-vous maintenant"]
    assert [(i, j) for i, j, _ in near_duplicate_pairs(pd.Series(texts))] == [(0, 2)]


def test_the_earliest_copy_is_the_original():
    frame = _frame([BODY + " Mis en ligne.", OTHER, BODY], ["2018-05-02", "2018-01-01", "2018-03-01"])
    assert find_duplicates(frame).tolist() == ["d2", None, None]


def test_exact_copies_and_empty_texts():
    frame = _frame([OTHER, OTHER.upper(), "", ""], ["2015-01-01", None, None, None])
    assert find_duplicates(frame).tolist() == [None, "d0", None, None]


def _reference_fingerprint(text, shingle=5):
    """fingerprint() as it was written before its word hashes were mapped in C and its shingles hashed in place."""
    words = re.findall(r"\w+", text.casefold())
    exact = hashlib.sha1(" ".join(words).encode()).hexdigest()
    ids = np.fromiter((zlib.crc32(w.encode()) for w in words if len(w) >= 2), dtype=np.uint64)
    if len(ids) < shingle:
        return exact, np.empty(0, dtype=np.uint32)
    hashes = np.zeros(len(ids) - shingle + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(shingle):
            hashes = hashes * np.uint64(0x9E3779B97F4A7C15) + ids[offset : len(ids) - shingle + 1 + offset]
    return exact, np.unique((hashes >> np.uint64(32)).astype(np.uint32))


def _same_fingerprint(text, shingle=5):
    exact, hashes = fingerprint(text, shingle)
    reference = _reference_fingerprint(text, shingle)
    assert exact == reference[0]
    assert hashes.dtype == np.uint32 and hashes.tolist() == reference[1].tolist()


@given(st.lists(st.sampled_from(["Le", "plateau", "à", "a", "Rabat", "2024", "_x", "Straße", "😀", "l’IA", "ÉTÉ"]),
                max_size=40).map(" ".join), st.integers(1, 6))
def test_fingerprint_gives_the_values_of_its_reference(text, shingle):
    _same_fingerprint(text, shingle)


@pytest.mark.parametrize("text", [BODY, OTHER, BODY.upper() + " 😀 " + OTHER, "", "a b", "x"])
def test_fingerprint_of_whole_articles(text):
    _same_fingerprint(text)
