"""What makes an exported report stand alone: a run header (run date, corpus, commit, parameters,
how to regenerate) under its title, and the Key findings cell moved up to it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from cxpress import config
from cxpress.findings import TAG, corpus_name, is_demo_corpus

if TYPE_CHECKING:
    import nbformat

_ABSOLUTE = re.compile(r'^(\w+ = )"(/[^"\n]*)"', re.MULTILINE)
HIDDEN = ("reports_dir", "corpus", "n_jobs", "memoise")  # paths and machine settings, not the analysis


def run_context(notebook: str, record_corpus: dict, corpus_path, git: dict, rows: list[dict],
                overrides: dict) -> dict:
    """The facts of the run header for one notebook (JSON-serialisable, passed to its process)."""
    name = corpus_name(corpus_path)
    inside = (config.ROOT / name).resolve() == Path(corpus_path).resolve()
    # a corpus outside the project is named by its folder: the reader substitutes their own path
    args = ["cxpress", "report", "--notebooks", notebook, "--corpus", name if inside else f"PATH/TO/{name}"]
    for key, value in overrides.items():
        args += ["-p", key, str(value)]
    return {
        "corpus": name,
        "demo": is_demo_corpus(corpus_path),
        "n_articles": record_corpus.get("n_articles"),
        "n_analysed": record_corpus.get("n_analysed"),
        "commit": str(git.get("commit", "unknown"))[:12],
        "dirty": bool(git.get("dirty")),
        "parameters": {r["name"]: r["value"] for r in rows if r["name"] not in HIDDEN},
        "rerun": shlex.join(args),
    }


def run_header(context: dict, started: str) -> str:
    """Markdown lines under the title: when, on what, with which code and parameters, how to redo it."""
    size = ""
    if context.get("n_analysed") is not None:
        size = f" ({context['n_analysed']} articles analysed of {context['n_articles']} loaded)"
    demo = " — the synthetic demo corpus shipped with cxpress" if context.get("demo") else ""
    dirty = " with uncommitted changes" if context.get("dirty") else ""
    params = ", ".join(f"`{k} = {v!r}`" for k, v in context.get("parameters", {}).items()) or "defaults"
    return "\n".join([
        f"**Run** {started.replace('T', ' ')[:16] or 'date unknown'} · **corpus** `{context['corpus']}`"
        f"{size}{demo} · **commit** `{context['commit']}`{dirty}",
        "",
        f"**Parameters:** {params}",
        "",
        f"**How to regenerate:** from the project folder, at commit `{context['commit']}`, run "
        f"`{context['rerun']}`.",
    ])


def arrange_for_reading(nb: nbformat.NotebookNode, header: str | None = None) -> nbformat.NotebookNode:
    """A copy of `nb` with the run header (if given) and then the cells tagged `key-findings` placed
    right after the first Markdown cell (the title): papermill runs top to bottom, so the findings
    cell sits after the tables it reads; the reader sees it first."""
    import copy

    import nbformat

    nb = copy.deepcopy(nb)
    for cell in nb.cells:  # papermill's injected paths are the runner's, not the reader's
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = _ABSOLUTE.sub(lambda m: f'{m[1]}"{corpus_name(m[2])}"', cell.source)
    hoisted = [c for c in nb.cells if TAG in c.metadata.get("tags", [])]
    rest = [c for c in nb.cells if TAG not in c.metadata.get("tags", [])]
    at = next((i + 1 for i, c in enumerate(rest) if c.cell_type == "markdown"), 0)
    top = ([nbformat.v4.new_markdown_cell(header)] if header else []) + hoisted
    nb.cells = rest[:at] + top + rest[at:]
    return nb
