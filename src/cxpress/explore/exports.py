"""What an explorer view shows, written to files a researcher can reuse (CSV tables, PNG and SVG
figures) in reports/explore/, named after the query."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from cxpress import config

EXPORT_DIR = config.REPORTS / "explore"


def slug(text: str) -> str:
    """A file-name-safe form of a query: letters, digits, '-' (accents kept)."""
    return re.sub(r"[^\w]+", "-", str(text), flags=re.UNICODE).strip("-_").lower()[:60] or "query"


def shown_path(path: Path) -> str:
    """The path as a user of the project reads it: relative to the project when inside it."""
    try:
        return str(Path(path).resolve().relative_to(config.ROOT.resolve()))
    except ValueError:
        return str(path)


def export_table(table: pd.DataFrame, name: str, folder: str | Path | None = None) -> Path:
    """Write the table as <folder>/<slug(name)>.csv (UTF-8, no index) and return its path."""
    folder = Path(folder) if folder else EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug(name)}.csv"
    table.to_csv(path, index=False)
    return path


def export_figure(fig: Figure, name: str, folder: str | Path | None = None,
                  formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Write the figure once per format as <folder>/<slug(name)>.<format> and return the paths."""
    folder = Path(folder) if folder else EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{slug(name)}.{fmt}" for fmt in formats]
    for path in paths:
        fig.savefig(path, dpi=110)
    return paths
