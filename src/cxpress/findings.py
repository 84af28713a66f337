"""Key findings: 3-6 sentences computed from a run's tables (what rose or fell, by how much, with the
CI and the articles behind it; what is too sparse to say), each caveat stated where it applies.

Every notebook shows them at the top of its report (the cell tagged `key-findings` is moved there
by the HTML export). The inputs are the frames of cxpress.yearly: trends (slope, ci_low, ci_high,
n_years, direction, first_year, last_year, n_sparse_years) and yearly estimates (year, estimate,
n_articles, sparse).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cxpress import config

if TYPE_CHECKING:  # every report process imports this module (reports/share.py) and needs no pandas
    import pandas as pd

TAG = "key-findings"  # the cell the HTML export moves under the title
MAX_SENTENCES = 6


@dataclass
class CorpusFacts:
    """What a reader must know about the corpus behind a run to weigh its findings."""

    name: str
    n_articles: int
    years: tuple[int, int]
    n_inferred: int = 0
    is_demo: bool = False
    sparse_years: list[int] = field(default_factory=list)
    empty_years: list[int] = field(default_factory=list)


def corpus_name(path: str | Path) -> str:
    """The corpus as a reader can name it: relative to the project when inside it, else its folder
    name (never the machine's absolute path)."""
    path = Path(path).resolve()
    try:
        return path.relative_to(config.ROOT.resolve()).as_posix()
    except ValueError:
        return path.name


def is_demo_corpus(path: str | Path) -> bool:
    """True for the synthetic demo corpus shipped in data/sample."""
    return Path(path).resolve() == config.SAMPLE.resolve()


def corpus_facts(articles: pd.DataFrame, path: str | Path, years: tuple[int, int],
                 yearly: pd.DataFrame | None = None) -> CorpusFacts:
    """Facts from the analysed articles (`date_source` "inferred" counts as inferred) and, when
    given, a yearly estimates frame whose `sparse` and `n_articles` give the sparse and empty years."""
    sparse, empty = [], []
    if yearly is not None and not yearly.empty:
        per_year = yearly.groupby("year").agg(n=("n_articles", "max"), sparse=("sparse", "all"))
        empty = [int(y) for y in per_year.index[per_year["n"] == 0]]
        sparse = [int(y) for y in per_year.index[(per_year["n"] > 0) & per_year["sparse"]]]
    inferred = int(articles["date_source"].eq("inferred").sum()) if "date_source" in articles else 0
    return CorpusFacts(name=corpus_name(path), n_articles=len(articles), years=tuple(years),
                       n_inferred=inferred, is_demo=is_demo_corpus(path), sparse_years=sparse,
                       empty_years=empty)


def _years(years: list[int]) -> str:
    return ", ".join(map(str, years[:8])) + (f" and {len(years) - 8} more" if len(years) > 8 else "")


def caveats(facts: CorpusFacts, scorer: str | None = None) -> list[str]:
    """The caveats that apply to this run: synthetic corpus, inferred years, sparse or empty years,
    and (for sentiment) the scorer's measured accuracy."""
    out = []
    if facts.is_demo:
        out.append("The corpus is the synthetic demo corpus shipped with cxpress (articles written for "
                   "testing): these figures show what the analysis produces, not what the press said.")
    gaps = []
    if facts.n_inferred:
        gaps.append(f"{facts.n_inferred} of the {facts.n_articles} articles "
                    f"({facts.n_inferred / max(facts.n_articles, 1):.0%}) have a year inferred from their content")
    if facts.sparse_years:
        gaps.append(f"sparse years ({_years(facts.sparse_years)}) are left out of the trend tests")
    if facts.empty_years:
        gaps.append(f"years without articles ({_years(facts.empty_years)}) are gaps, not zeros")
    if scorer:
        gaps.append(scorer)
    if gaps:
        text = "; ".join(gaps)
        out.append(text[0].upper() + text[1:] + ".")
    return out


def _signed(value: float, scale: float, digits: int) -> str:
    return f"{value * scale:+.{digits}f}"


def _level(estimates: pd.DataFrame, key: str, name, year, percent: bool) -> str:
    import pandas as pd

    row = estimates[(estimates[key] == name) & (estimates["year"] == year)]
    if row.empty or pd.isna(row["estimate"].iloc[0]):
        return ""
    value = row["estimate"].iloc[0]
    return f"{value:.0%}" if percent else f"{value:+.2f}"


def trend_sentences(trends: pd.DataFrame, estimates: pd.DataFrame, *, key: str, labels: Mapping,
                    what: str, unit: str, scale: float = 1.0, digits: int = 1, percent: bool = False,
                    limit: int = 2) -> list[str]:
    """Sentences on the rising and falling rows of `trends` (largest slopes first, at most `limit`),
    then one on those without a clear trend and one on those too sparse to test.

    `what` names the measure with a {label} slot ("the share of articles mentioning {label}"),
    `unit` the slope's unit once multiplied by `scale` ("pp per year").
    """
    name = {k: labels.get(k, str(k)) for k in trends[key]}
    clear = trends[trends["direction"].isin(["rising", "falling"])]
    clear = clear.reindex(clear["slope"].abs().sort_values(ascending=False).index)
    out = []
    for row in clear.head(limit).itertuples():
        k = getattr(row, key)
        usable = estimates[(estimates[key] == k) & ~estimates["sparse"]
                           & estimates["year"].between(row.first_year, row.last_year)]
        start = _level(estimates, key, k, row.first_year, percent)
        end = _level(estimates, key, k, row.last_year, percent)
        verb = "rose" if row.direction == "rising" else "fell"
        levels = f" from {start} in {row.first_year} to {end} in {row.last_year}" if start and end else ""
        behind = f"{int(usable['n_articles'].sum())} articles"
        if "n_mentioning" in usable:  # term shares: how many of them mention the group
            behind = f"{int(usable['n_mentioning'].sum())} of {behind} mentioning it"
        out.append(f"{what.format(label=name[k])[0].upper()}{what.format(label=name[k])[1:]} {verb}"
                   f"{levels}: {_signed(row.slope, scale, digits)} {unit} (95% CI "
                   f"{_signed(row.ci_low, scale, digits)} to {_signed(row.ci_high, scale, digits)}), "
                   f"over {row.n_years} usable years ({behind}).")
    flat = trends[trends["direction"] == "no clear trend"]
    if not flat.empty:
        names = ", ".join(name[k] for k in flat[key])
        out.append(f"No clear trend (the slope's 95% CI includes zero) for {names}: absence of evidence, "
                   f"not evidence of stability.")
    few = trends[trends["direction"] == "too few years"]
    if not few.empty:
        names = ", ".join(f"{name[k]} ({n} usable years)" for k, n in zip(few[key], few["n_years"], strict=True))
        out.append(f"Too sparse to say: {names}.")
    return out


def describe_usable_years(trends: pd.DataFrame, years: tuple[int, int], labels: Mapping, *,
                          key: str = "group") -> str:
    """How many years of the span each trend rests on (sparse and empty years are left out), e.g.
    "Trend tests use 4 of the 15 years for IA générative, ...", so that a slope is read with its base."""
    span = years[1] - years[0] + 1
    parts = [f"{int(n)} of the {span} years for {labels.get(k, k)}" for k, n in zip(trends[key], trends["n_years"],
                                                                                     strict=True)]
    if not parts:
        return "No trend was tested."
    return (f"Trend tests use {'; '.join(parts)} (the other years are sparse or without articles); "
            f"under three usable years there is no test.")


def _assemble(lead: str, body: list[str], notes: list[str]) -> list[str]:
    """Lead sentence, findings, caveats: caveats kept, findings cut so that at most MAX_SENTENCES remain."""
    room = MAX_SENTENCES - 1 - len(notes)
    return [lead, *body[:max(room, 1)], *notes][:MAX_SENTENCES]


def _lead(facts: CorpusFacts, extra: str = "") -> str:
    return (f"This run analysed {facts.n_articles} articles of {facts.years[0]}-{facts.years[1]} from "
            f"the corpus {facts.name}{extra}.")


def overview_findings(facts: CorpusFacts, n_loaded: int, per_year: pd.DataFrame,
                      count: str = "total") -> list[str]:
    """01: what was loaded and kept, the busiest and thinnest years. per_year: year and `count`."""
    body = []
    counts = per_year[per_year[count] > 0]
    if not counts.empty:
        top, low = counts.loc[counts[count].idxmax()], counts.loc[counts[count].idxmin()]
        body.append(f"Articles per year range from {int(low[count])} ({int(low['year'])}) to "
                    f"{int(top[count])} ({int(top['year'])}); {len(counts)} of the "
                    f"{facts.years[1] - facts.years[0] + 1} years have articles.")
    return _assemble(_lead(facts, f" ({n_loaded} loaded, {n_loaded - facts.n_articles} left out: "
                              f"see the load report)"), body, caveats(facts))


def topic_findings(trends: pd.DataFrame, prevalence: pd.DataFrame, labels: Mapping,
                   facts: CorpusFacts) -> list[str]:
    """02: the topics whose mean share rose or fell (pp per year), the others, the untestable ones."""
    body = trend_sentences(trends, prevalence, key="topic", labels=labels, what="the mean share of "
                           "the topic “{label}”", unit="pp per year", scale=100, percent=True)
    return _assemble(_lead(facts, f", in {len(trends)} topics"), body, caveats(facts))


def term_findings(trends: pd.DataFrame, timeline: pd.DataFrame, labels: Mapping,
                  facts: CorpusFacts) -> list[str]:
    """03: the term groups whose share of articles rose or fell (pp per year), the others."""
    shares = trends[trends["measure"] == "share"]
    body = trend_sentences(shares, timeline[timeline["measure"] == "share"], key="group", labels=labels,
                           what="the share of articles mentioning {label}", unit="pp per year",
                           scale=100, percent=True)
    return _assemble(_lead(facts), body, caveats(facts))


def sentiment_findings(trends: pd.DataFrame, by_year: pd.DataFrame, labels: Mapping, facts: CorpusFacts,
                       accuracy: tuple[float, float, float] | None = None, scorer: str = "classifier") -> list[str]:
    """04: the targets whose mean sentence score rose or fell, the others, with the scorer's measured
    macro-F1 (estimate, CI low, CI high) as a caveat."""
    body = trend_sentences(trends, by_year, key="target", labels=labels,
                           what="the mean sentiment toward {label}", unit="score per year", digits=3)
    n = int(by_year["n_sentences"].sum()) if "n_sentences" in by_year else 0
    note = None
    if accuracy is not None:
        f1, low, high = accuracy
        note = (f"the {scorer} scorer's macro-F1 on sentences it never saw is {f1:.2f} (95% CI "
                f"{low:.2f}-{high:.2f}): changes smaller than its error are not findings")
    return _assemble(_lead(facts, f", with {n} sentences mentioning a target"), body, caveats(facts, note))


def findings_markdown(sentences: list[str]) -> str:
    """The Markdown a report shows: a heading and one bullet per sentence."""
    return "## Key findings\n\n" + "\n".join(f"- {s}" for s in sentences)


def show_findings(sentences: list[str]) -> None:
    """Display the findings as Markdown in a notebook."""
    from IPython.display import Markdown, display

    display(Markdown(findings_markdown(sentences)))
