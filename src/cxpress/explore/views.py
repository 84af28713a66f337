"""Shared pieces of the explorer views: frames as escaped HTML, figures as PNG bytes, the export
row, and the choice between live widgets (JupyterLab) and static output (papermill reports)."""

from __future__ import annotations

import html
from collections.abc import Callable
from io import BytesIO

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Image, display
from matplotlib.figure import Figure

from cxpress.explore.exports import export_figure, export_table, shown_path

TABLE_STYLE = "max-height:22em;overflow:auto;font-size:12px"


def table_html(frame: pd.DataFrame, *, digits: int = 3, caption: str = "") -> str:
    """The frame as an HTML table, every value escaped (corpus text is never markup)."""
    head = f"<b>{html.escape(caption)}</b>" if caption else ""
    if frame.empty:
        return head + "<p><i>nothing to show</i></p>"
    body = frame.round(digits).to_html(index=False, escape=True, na_rep="", border=0)
    return f'{head}<div style="{TABLE_STYLE}">{body}</div>'


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes (for an Image widget), closed in pyplot but still exportable."""
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


class ExportRow:
    """Buttons writing what a view shows (tables as CSV, its figure as PNG and SVG) and a line
    saying where the files went, relative to the project."""

    def __init__(self, get_tables: Callable[[], dict[str, pd.DataFrame]],
                 get_figure: Callable[[], tuple[str, Figure | None]], folder=None):
        import ipywidgets as w

        self.get_tables, self.get_figure, self.folder = get_tables, get_figure, folder
        self.csv = w.Button(description="Export CSV", icon="table")
        self.fig = w.Button(description="Export figure", icon="image")
        self.message = w.HTML()
        self.csv.on_click(lambda _: self.export_tables())
        self.fig.on_click(lambda _: self.export_figure())
        self.widget = w.HBox([self.csv, self.fig, self.message])
        self.widget.add_class("cx-export")

    def _say(self, paths) -> list:
        names = ", ".join(html.escape(shown_path(p)) for p in paths)
        self.message.value = f"written: {names}" if paths else "nothing to export yet"
        return paths

    def export_tables(self) -> list:
        return self._say([export_table(t, name, self.folder) for name, t in self.get_tables().items()])

    def export_figure(self) -> list:
        name, fig = self.get_figure()
        return self._say(export_figure(fig, name, self.folder) if fig is not None else [])


def show_static(figure: Figure | None, tables: dict[str, pd.DataFrame], note: str = "") -> None:
    """What a view shows, as static output (a report): the figure, then each table."""
    if note:
        display(HTML(f"<p>{html.escape(note)}</p>"))
    if figure is not None:
        display(Image(data=figure_png(figure)))
    for caption, table in tables.items():
        display(HTML(table_html(table, caption=caption)))
