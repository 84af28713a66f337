"""Topic quality and the choice of k: NPMI coherence, top-term stability (Greene et al. 2014), k grid."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF, LatentDirichletAllocation, MiniBatchNMF
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from cxpress.memory import MemoryLike, memoise, source_version, text_key
from cxpress.parallel import resolve_jobs

# the k rule lives in topics.choice; these names stay importable from here, its old home
from cxpress.topics.choice import K_RULE, MIN_DOCS_PER_TOPIC, choose_k, near_ties  # noqa: F401
from cxpress.topics.matrix import DocumentTerms

METHODS = ("nmf", "minibatch", "lda")
COHERENCE_TOP = 10  # NPMI over each topic's 10 heaviest terms, the usual setting
STABILITY_TOP = 20  # Greene et al. compare ranked lists of the top 20 terms
MU_ABOVE = 3000  # articles; above this NMF uses multiplicative updates (speed), below coordinate descent
# Stability resamples hold at most this many articles: a 2,000-article sample recovers the same
# topics at a fraction of the cost; stability then measures agreement at a fixed sample size.
MAX_SAMPLE_DOCS = 2000
COMPARE_MAX_DOCS = 500  # NMF vs LDA comparison sample: an LDA fit costs about twenty NMF fits


def nmf_solver(n_docs: int) -> str:
    """The NMF solver for a corpus of n_docs articles: "mu" above MU_ABOVE, else "cd"."""
    return "mu" if n_docs > MU_ABOVE else "cd"


def factorise(matrix: sparse.spmatrix, k: int, seed: int, method: str = "nmf",
              solver: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Document-topic weights W and topic-term weights H of one seeded NMF, MiniBatchNMF or LDA fit.

    solver (NMF only): "mu" or "cd"; None picks by the matrix's rows (nmf_solver). Resampled fits
    pass the full corpus's solver so that every fit of a k grid uses the same algorithm.
    """
    if method == "nmf":
        if (solver or nmf_solver(matrix.shape[0])) == "mu":
            # Multiplicative updates to tol 1e-3: twice as fast as coordinate descent on large
            # corpora for the same reconstruction error (benchmarks/README.md).
            model = NMF(n_components=k, init="nndsvda", solver="mu", random_state=seed, max_iter=300, tol=1e-3)
        else:  # small corpora: coordinate descent is fast and its fits are more stable across resamples
            model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=300)
    elif method == "minibatch":
        # A few passes over a large corpus suffice; sklearn's default 200 epochs took minutes.
        model = MiniBatchNMF(n_components=k, init="nndsvda", random_state=seed, batch_size=2048,
                             max_iter=20, tol=1e-3)
    elif method == "lda":
        # sklearn's default 10 passes: 30 took 2.3x longer for the same NPMI and stability.
        model = LatentDirichletAllocation(n_components=k, random_state=seed, max_iter=10)
    else:
        raise ValueError(f"unknown topic method {method!r}; use one of {METHODS}")
    # One BLAS thread: these matrices are too small to share; two threads doubled the CPU for no gain.
    with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
        # A fit stopped at max_iter still ranks terms reliably; stability measures what matters.
        warnings.simplefilter("ignore", ConvergenceWarning)
        # sklearn's loss on a near-exact fit can round below zero before its square root.
        warnings.filterwarnings("ignore", "invalid value encountered in sqrt", RuntimeWarning)
        weights = model.fit_transform(matrix)
    # a float32 TF-IDF matrix gives float32 factors: the tables downstream stay float64
    return weights.astype(np.float64, copy=False), model.components_.astype(np.float64, copy=False)


def heaviest_first(components: np.ndarray, n: int) -> np.ndarray:
    """np.argsort(-components, axis=1, kind="stable")[:, :n], sorting only each row's n heaviest
    terms and their ties (a full sort of every row of 17,000 terms took 10 ms a fit, 0.4 s a k grid)."""
    n = min(n, components.shape[1])
    if n == 0 or np.isnan(components).any():
        return np.argsort(-components, axis=1, kind="stable")[:, :n]
    order = np.empty((components.shape[0], n), dtype=np.intp)
    for topic, row in enumerate(-components):
        nth = np.partition(row, n - 1)[n - 1]
        candidates = np.flatnonzero(row <= nth)  # every term before the n-th, ties with it in column order
        order[topic] = candidates[np.argsort(row[candidates], kind="stable")[:n]]
    return order


def top_term_ids(components: np.ndarray, n: int) -> list[np.ndarray]:
    """Column indices of each topic's n heaviest terms of positive weight, heaviest first.

    Zero-weight terms are left out: their order is arbitrary and would blur stability.
    """
    order = heaviest_first(components, n)
    return [ids[row[ids] > 0] for row, ids in zip(components, order, strict=True)]


def npmi_coherence(presence: sparse.spmatrix, top_ids: Sequence[Sequence[int]]) -> np.ndarray:
    """Each topic's mean NPMI over all pairs of its top terms, from document co-occurrence.

    NPMI(a, b) = log(p(a, b) / (p(a) p(b))) / -log p(a, b), with p the share of documents
    containing the term(s); a pair never seen together scores -1, one present in every document 1.
    """
    binary = (sparse.csc_matrix(presence) != 0).astype(np.float64)
    n_docs = binary.shape[0]
    scores = np.full(len(top_ids), np.nan)
    for topic, ids in enumerate(top_ids):
        ids = np.asarray(ids, dtype=int)
        if len(ids) < 2:
            continue
        sub = binary[:, ids]
        joint = np.asarray((sub.T @ sub).todense()) / n_docs
        first, second = np.triu_indices(len(ids), 1)
        p_ab, p_a, p_b = joint[first, second], joint[first, first], joint[second, second]
        with np.errstate(divide="ignore", invalid="ignore"):
            npmi = np.log(p_ab / (p_a * p_b)) / -np.log(p_ab)
        npmi = np.where(p_ab == 0, -1.0, np.where(p_ab >= 1, 1.0, npmi))
        scores[topic] = npmi.mean()
    return scores


def average_jaccard(first: Sequence, second: Sequence) -> float:
    """Mean Jaccard similarity of the two ranked lists' top-1, top-2, ... top-t prefixes."""
    depth = min(len(first), len(second))
    if depth == 0:
        return float("nan")
    seen_a: set = set()
    seen_b: set = set()
    total = 0.0
    for a, b in zip(first[:depth], second[:depth], strict=True):
        seen_a.add(a)
        seen_b.add(b)
        total += len(seen_a & seen_b) / len(seen_a | seen_b)
    return total / depth


def agreement_score(reference: Sequence[Sequence], other: Sequence[Sequence]) -> float:
    """Mean average-Jaccard of two topic sets' ranked term lists after one-to-one Hungarian matching."""
    if len(reference) == 0:
        return float("nan")
    similarity = np.array([[average_jaccard(r, o) for o in other] for r in reference])
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return float(similarity[rows, cols].sum() / len(reference))


@dataclass(frozen=True)
class Resampling:
    """How stability is measured: n_runs refits, each on sample_frac of the articles (Greene et al.
    2014 use 80 %), at most max_docs of them (None: no cap)."""

    n_runs: int = 5
    sample_frac: float = 0.8
    max_docs: int | None = MAX_SAMPLE_DOCS


def resample_size(n_docs: int, k: int, sample_frac: float, max_docs: int | None) -> int:
    """Articles in one stability resample: sample_frac of the corpus, capped at max_docs (>= k)."""
    n_keep = int(round(sample_frac * n_docs))
    return max(k, min(n_keep, max_docs) if max_docs else n_keep)


def _fit_run(matrix: sparse.csr_matrix, k: int, seed: int, run: int, resampling: Resampling,
             method: str) -> tuple[int, int, list[np.ndarray], float]:
    """Top-term ids of one fit: run 0 on all documents, run r on a seeded resample without replacement."""
    start = time.perf_counter()
    solver = nmf_solver(matrix.shape[0])
    if run > 0:
        rng = np.random.default_rng([seed, run])
        n_keep = resample_size(matrix.shape[0], k, resampling.sample_frac, resampling.max_docs)
        matrix = matrix[np.sort(rng.choice(matrix.shape[0], n_keep, replace=False))]
    _, components = factorise(matrix, k, seed + run, method, solver=solver)
    top = top_term_ids(components, max(COHERENCE_TOP, STABILITY_TOP))
    return k, run, top, time.perf_counter() - start


def feasible_k(k_values: Iterable[int], n_docs: int, n_terms: int) -> list[int]:
    """The k values a corpus can support: at least two articles per topic and more terms than topics."""
    return sorted({int(k) for k in k_values if 2 <= k and 2 * k <= n_docs and k < n_terms})


def select_k(dtm: DocumentTerms, k_values: Iterable[int], *, method: str = "nmf", seed: int = 0,
             resampling: Resampling = Resampling(), n_jobs: int | None = None) -> pd.DataFrame:
    """Score each k by mean NPMI (full-corpus fit) and stability over resampled fits (Resampling).

    Returns one row per k (model, k, docs_per_topic, npmi, npmi_min, stability, stability_sd,
    fit_seconds, chosen, near_tie: see near_ties);
    `attrs["rule"]` states how `chosen` was decided, `attrs["skipped"]` lists unsupported k.
    """
    requested = sorted({int(k) for k in k_values})
    ks = feasible_k(requested, dtm.n_docs, dtm.n_terms)
    skipped = [k for k in requested if k not in ks]
    if not ks:
        raise ValueError(
            f"no k in {requested} fits {dtm.n_docs} non-empty articles and {dtm.n_terms} terms "
            f"(each topic needs 2 articles): use k <= {dtm.n_docs // 2}, or add articles / lower min_df."
        )
    if skipped:
        warnings.warn(f"k {skipped} skipped: too large for {dtm.n_docs} articles and {dtm.n_terms} terms",
                      stacklevel=2)
    matrix = dtm.counts if method == "lda" else dtm.tfidf
    n_runs = resampling.n_runs
    tasks = [(k, run) for k in ks for run in range(n_runs + 1)]
    results = Parallel(n_jobs=resolve_jobs(n_jobs, len(tasks), min_items=2))(
        delayed(_fit_run)(matrix, k, seed, run, resampling, method) for k, run in tasks
    )
    tops = {(k, run): (top, seconds) for k, run, top, seconds in results}
    rows = []
    for k in ks:
        reference = tops[(k, 0)][0]
        npmi = npmi_coherence(dtm.counts, [ids[:COHERENCE_TOP] for ids in reference])
        agreements = [agreement_score([ids[:STABILITY_TOP] for ids in reference],
                                      [ids[:STABILITY_TOP] for ids in tops[(k, run)][0]])
                      for run in range(1, n_runs + 1)]
        rows.append({
            "model": method, "k": k, "docs_per_topic": dtm.n_docs / k,
            "npmi": float(np.nanmean(npmi)), "npmi_min": float(np.nanmin(npmi)),
            "stability": float(np.mean(agreements)) if agreements else np.nan,
            "stability_sd": float(np.std(agreements)) if agreements else np.nan,
            "fit_seconds": tops[(k, 0)][1],
        })
    selection = pd.DataFrame(rows)
    selection["chosen"] = selection["k"] == choose_k(selection)
    selection["near_tie"] = selection["k"].isin(near_ties(selection, n_runs))
    selection.attrs.update(rule=K_RULE, skipped=skipped, seed=seed, n_runs=n_runs,
                           sample_frac=resampling.sample_frac,
                           resample_docs=resample_size(matrix.shape[0], min(ks), resampling.sample_frac,
                                                       resampling.max_docs))
    return selection


def _matrix_key(dtm: DocumentTerms) -> str:
    """A digest of the document-term matrices, vocabulary, rows and this module's code."""
    import hashlib

    digest = hashlib.sha256(source_version("topics.quality", "topics.choice").encode())
    for matrix in (dtm.counts, dtm.tfidf):
        for part in (matrix.indptr, matrix.indices, matrix.data, np.asarray(matrix.shape)):
            digest.update(str(part.dtype).encode() + np.ascontiguousarray(part).tobytes())
    for labels in (dtm.vocabulary, dtm.doc_ids, dtm.years.astype(str).to_numpy()):
        digest.update("\x00".join(map(str, labels)).encode("utf-8", "surrogatepass") + b"\x01")
    return digest.hexdigest()


def select_k_memoised(dtm: DocumentTerms, k_values: Iterable[int], memory: MemoryLike, **kwargs) -> pd.DataFrame:
    """select_k, read back from `memory` (a folder or joblib.Memory; None: computed) for the same
    matrix and arguments: the k grid is the slow part of a topic report (hundreds of fits on a large
    corpus). The key hashes the matrices' arrays (no copy, no pickling) and this module's code."""
    ks = sorted({int(k) for k in k_values})
    settings = repr(sorted((name, value) for name, value in kwargs.items() if name != "n_jobs"))
    return memoise(memory, lambda: text_key("k grid", _matrix_key(dtm), repr(ks), settings),
                   lambda: select_k(dtm, ks, **kwargs))


def factorise_memoised(dtm: DocumentTerms, k: int, seed: int, method: str,
                       memory: MemoryLike) -> tuple[np.ndarray, np.ndarray]:
    """factorise(dtm.tfidf, k, seed, method), read back from `memory` for the same matrix and
    arguments: notebook 05 fits the very model notebook 02 fitted."""
    return memoise(memory, lambda: text_key("topic fit", _matrix_key(dtm), repr((k, seed, method))),
                   lambda: factorise(dtm.tfidf, k, seed, method))


def compare_models(dtm: DocumentTerms, k: int, *, seed: int = 0, n_runs: int = 5,
                   methods: Sequence[str] = ("nmf", "lda"), max_docs: int | None = COMPARE_MAX_DOCS,
                   memory: MemoryLike = None, n_jobs: int | None = None) -> pd.DataFrame:
    """NPMI and stability of each method at one k, on the same articles (memoised like the k grid;
    n_jobs: worker processes for the fits, as in select_k).

    Above max_docs articles both methods are scored on the same seeded sample of max_docs articles
    (`attrs["n_docs"]` says how many): LDA fits cost about twenty NMF fits, so the baseline stays
    affordable on a large corpus while the comparison stays like for like.
    """
    if max_docs and dtm.n_docs > max_docs:
        rows = np.flatnonzero(dtm.counts.getnnz(axis=1) > 0)
        dtm = dtm.subset(np.sort(np.random.default_rng([seed, 7]).choice(rows, max_docs, replace=False)))
    table = pd.concat([select_k_memoised(dtm, [k], memory, seed=seed, resampling=Resampling(n_runs),
                                         method=m, n_jobs=n_jobs) for m in methods],
                      ignore_index=True)
    table.attrs["n_docs"] = dtm.n_docs
    return table
