"""Self-contained HTML of executed notebooks: images inline, no remote scripts, styles or fonts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nbformat

# JupyterLab look without require.js, MathJax, mermaid or widget scripts, which nbconvert loads from CDNs.
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block html_head_js %}{% endblock html_head_js %}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
"""
_REMOTE_TAG = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?\b(?:src|href|data)\s*=\s*"
    r"[\"']?((?:https?:)?//[^\"'\s>]+)",
    re.IGNORECASE,
)
_REMOTE_CSS = re.compile(r"(?:@import\s+|url\(\s*)[\"']?((?:https?:)?//[^\"')\s]+)", re.IGNORECASE)


def find_external_resources(html_text: str) -> list[str]:
    """Remote URLs a page would fetch (scripts, styles, images, frames); links to click are fine."""
    return sorted(set(_REMOTE_TAG.findall(html_text)) | set(_REMOTE_CSS.findall(html_text)))


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def drop_widgets(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without ipywidgets' saved state and views: a static page cannot run them, and
    nbconvert would embed their state as a script (the reports carry no scripts)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
    return nb


def export_html(nb: nbformat.NotebookNode, *, title: str, source_dir: Path, share: bool) -> str:
    """Self-contained HTML of an executed notebook: images inline, no remote resources."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter  # here: `cxpress ingest` imports this package and needs none

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"cxpress_offline.html.j2": OFFLINE_TEMPLATE})],
        template_file="cxpress_offline.html.j2",
        embed_images=True,
        exclude_input=share,
        exclude_input_prompt=share,
        exclude_output_prompt=share,
    )
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": title, "path": str(source_dir)}}
    )
    remote = find_external_resources(body)
    if remote:
        raise ValueError(
            f"the HTML would load remote resources ({', '.join(remote[:3])}); "
            "remove the notebook output that embeds them"
        )
    return body


def export_reports(
    executed: Path, source_dir: Path, out_dir: Path, title: str = "", *, context: dict | None = None,
    started: str = "",
) -> dict[str, str]:
    """Write <name>.html (with code) and <name>.share.html (code hidden); paths relative to out_dir.

    Both open with the title, the run header (when `context` is given: share.run_context) and the
    Key findings cell."""
    import nbformat

    from cxpress.reports.share import arrange_for_reading, run_header

    nb = nbformat.read(executed, as_version=4)
    nb = arrange_for_reading(drop_widgets(nb), run_header(context, started) if context else None)
    name = executed.stem
    files = {"ipynb": executed.name}
    page_title = f"{title} ({name})" if title else name
    for kind, share in (("html", False), ("share", True)):
        target = out_dir / (f"{name}.share.html" if share else f"{name}.html")
        html_text = export_html(nb, title=page_title, source_dir=source_dir, share=share)
        target.write_text(html_text, encoding="utf-8")
        files[kind] = target.name
    return files
