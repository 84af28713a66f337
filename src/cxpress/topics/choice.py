"""The choice of k from a select_k table: the rule, the k as defensible as the chosen one, and why it wins."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Below ~10 articles per topic, topics that each capture one or two articles score a
# near-perfect NPMI (their terms always co-occur): such k are scored and shown, not chosen.
MIN_DOCS_PER_TOPIC = 10
K_RULE = (
    f"among k leaving at least {MIN_DOCS_PER_TOPIC} articles per topic on average, the k maximising "
    "mean NPMI + stability, each on its own scale (NPMI in [-1, 1], stability in [0, 1]) so that "
    "neither is stretched by the grid; ties go to the more stable k, then the smaller "
    "(no eligible k: the smallest, the one with the most articles per topic)"
)


def _scored(selection: pd.DataFrame) -> pd.DataFrame:
    """The eligible rows with their rule score, best first (ties: more stable, then smaller k)."""
    eligible = selection[selection["docs_per_topic"] >= MIN_DOCS_PER_TOPIC]
    stability = eligible["stability"].fillna(0)
    return (eligible.assign(score=(eligible["npmi"] + stability).round(12), stable=stability.round(12))
            .sort_values(["score", "stable", "k"], ascending=[False, False, True]))


def choose_k(selection: pd.DataFrame) -> int:
    """Apply K_RULE to a select_k table (without stability runs, NPMI alone decides)."""
    if selection.empty:
        raise ValueError("the k-selection table is empty: give select_k at least one feasible k")
    best = _scored(selection)
    return int(best["k"].iloc[0]) if len(best) else int(selection["k"].min())


def near_ties(selection: pd.DataFrame, n_runs: int) -> list[int]:
    """The other eligible k whose rule score (NPMI + stability) is within one standard error of the
    chosen k's: the data do not tell them apart, so they are as defensible as the chosen one (the
    one-standard-error idea of Breiman et al. 1984, here only flagged, not applied).

    The standard error is that of the difference of the two mean stabilities, each over n_runs
    resamples (`stability_sd` is their population SD); NPMI comes from one full-corpus fit and adds
    none. Without two resamples or more there is no error to compare with: no near tie.
    """
    if n_runs < 2 or selection.empty or not selection["chosen"].any():
        return []
    eligible = selection[selection["docs_per_topic"] >= MIN_DOCS_PER_TOPIC]
    chosen = selection[selection["chosen"]].iloc[0]
    if eligible.empty or chosen["k"] not in set(eligible["k"]):
        return []
    gap = (chosen["npmi"] + chosen["stability"]) - (eligible["npmi"] + eligible["stability"])
    error = np.sqrt((chosen["stability_sd"] ** 2 + eligible["stability_sd"] ** 2) / (n_runs - 1))
    close = (gap <= error) & (eligible["k"] != chosen["k"])
    return sorted(int(k) for k in eligible.loc[close, "k"])


def explain_k(selection: pd.DataFrame) -> str:
    """Why the rule's k wins, from the selection table: its score against the runner-up, the k that
    are not eligible, and whether the best score sits at an edge of the grid (then widen it)."""
    k = choose_k(selection)
    grid = sorted(int(x) for x in selection["k"])
    ranked = _scored(selection)
    small = [int(x) for x in selection.loc[selection["docs_per_topic"] < MIN_DOCS_PER_TOPIC, "k"]]
    if ranked.empty:
        return (f"No k of the grid leaves {MIN_DOCS_PER_TOPIC} articles per topic: k={k}, the smallest, comes "
                "closest; lower k_min or add articles.")
    top = ranked.iloc[0]
    text = [f"k={k} has the best score among eligible k, {top['score']:.3f} (NPMI {top['npmi']:.3f} + "
            f"stability {top['stable']:.3f})"]
    if len(ranked) > 1:
        second = ranked.iloc[1]
        gap = top["score"] - second["score"]
        text.append(f"tied with k={int(second['k'])}, less stable" if gap == 0 else
                    f"{gap:.3f} ahead of k={int(second['k'])}")
    else:
        text.append("the only k of the grid leaving enough articles per topic")
    sentences = [", ".join(text) + "."]
    ties = [int(x) for x in selection.loc[selection["near_tie"].astype(bool), "k"]] if "near_tie" in selection else []
    if ties:
        sentences.append(f"k={', '.join(map(str, ties))} score within one standard error: as defensible.")
    if small:
        higher = selection.set_index("k").loc[small, "npmi"].max() > top["npmi"]
        why = " (their higher NPMI comes from topics of a few articles)" if higher else ""
        sentences.append(f"k={', '.join(map(str, small))} leave fewer than {MIN_DOCS_PER_TOPIC} articles per "
                         f"topic and are not eligible{why}.")
    edge = _edge_note(ranked, grid, k)
    if edge:
        sentences.append(edge)
    return " ".join(sentences)


def _edge_note(ranked: pd.DataFrame, grid: list[int], k: int) -> str:
    """A warning when the chosen k is an edge of the grid and the score still improves towards it."""
    scores = ranked.set_index("k")["score"].sort_index()
    if len(scores) < 2:
        return ""
    if k == grid[-1] and scores.iloc[-1] > scores.iloc[-2]:
        return f"k={k} is the grid's upper edge and the score still rises there: widen the grid (raise k_max)."
    if k == grid[0] and k > 2 and scores.iloc[0] > scores.iloc[1]:
        return f"k={k} is the grid's lower edge and the score falls after it: a smaller k may score higher (lower k_min)."
    return ""
