"""Reports read as a recipient would, in headless Chromium: Key findings on top, no stderr box, no
machine path, legends inside the figure. One run per corpus per session (notebook 03: the fastest
with findings, trends, figures and tables): the demo corpus and a thinned copy of it with sparse
and empty years."""

import shutil
from pathlib import Path

import pytest
from test_browser import CHROMIUM, browser  # noqa: F401  (the module-scoped Chromium fixture)

from cxpress import config
from cxpress.reports import run_reports

pytestmark = pytest.mark.slow

READ_JS = """() => ({
  first: Array.from(document.querySelectorAll('h1, h2')).slice(0, 2).map(h => h.textContent.trim()),
  findings: Array.from(document.querySelectorAll('h2')).filter(h => h.textContent.includes('Key findings'))
            .map(h => h.nextElementSibling ? h.nextElementSibling.querySelectorAll('li').length : 0),
  stderr: document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').length,
  text: document.body.innerText,
})"""


def thinned_corpus(folder: Path) -> Path:
    """Every fifth article of the demo corpus: years with one or two articles (sparse) or none."""
    folder.mkdir()
    for path in sorted(p for p in config.SAMPLE.iterdir() if p.is_file())[::5]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module", params=["demo", "thinned"])
def report(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"reports-{request.param}")
    corpus = config.SAMPLE if request.param == "demo" else thinned_corpus(out.parent / f"corpus-{request.param}")
    record = run_reports([config.NOTEBOOKS / "03_term_timelines.ipynb"], out, {"n_boot": 200},
                         corpus=corpus, quiet=True)
    assert not record.failed, record.failed[0].error
    return out


@pytest.mark.parametrize("variant", ["03_term_timelines.html", "03_term_timelines.share.html"])
def test_report_opens_with_key_findings_and_shows_no_stderr_nor_path(browser, report, variant):  # noqa: F811
    html = (report / variant).read_text(encoding="utf-8")
    assert str(config.ROOT) not in html and str(report) not in html and "/home/" not in html
    assert "TqdmWarning" not in html and "np.int64" not in html
    page = browser.new_page()
    page.goto((report / variant).as_uri())
    seen = page.evaluate(READ_JS)
    page.close()
    assert seen["first"][1].rstrip("¶") == "Key findings"  # right after the title
    assert 3 <= seen["findings"][0] <= 6
    assert seen["stderr"] == 0
    assert "How to regenerate:" in seen["text"] and "commit" in seen["text"]


def test_legends_stay_inside_the_figure(report):
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from cxpress import plots

    timeline = pd.read_csv(report / "tables" / "timelines_yearly.csv")
    fig = plots.plot_yearly_with_ci(timeline[timeline["measure"] == "share"], percent=True)
    fig.canvas.draw()
    frame = fig.bbox
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            box = legend.get_window_extent()
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
