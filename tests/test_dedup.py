import pandas as pd

from cxpress.corpus import find_duplicates, near_duplicate_pairs

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
