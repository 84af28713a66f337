"""Reports opened in headless Debian Chromium: offline, no console errors, images load, hostile text inert."""

import os
from pathlib import Path

import pytest
from conftest import XSS_ARTICLE, XSS_IMG, XSS_TITLE

from cxpress import config
from cxpress.reports import run_reports

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = config.REPORTS / "screenshots"
FIXTURES = Path(__file__).parent / "data" / "notebooks"
INSPECT_JS = """() => ({
  images: document.images.length,
  broken: Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)
                .map(i => i.getAttribute('src').slice(0, 80)),
  handlers: document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length,
  scripts: Array.from(document.scripts).map(s => s.src || s.textContent.slice(0, 60)),
})"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A fresh Debian Chromium profile driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(
            "/usr/bin/chromium is absent: apt-get install -y chromium (.ci/run installs it)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed in the venv"
    )
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


def inspect_page(browser, page_path: Path, label: str) -> dict:
    """Open one page from disk; record console errors, requests, dialogs, images; take a screenshot."""
    seen = {"errors": [], "foreign_requests": [], "dialogs": []}
    page = browser.new_page()
    page.on("console", lambda msg: seen["errors"].append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on(
        "request",
        lambda req: (
            None
            if req.url.startswith(("file://", "data:"))
            else seen["foreign_requests"].append(req.url)
        ),
    )
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.goto(page_path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)  # time for a (wrongly) live onerror handler or timer to fire
    seen.update(page.evaluate(INSPECT_JS))
    seen["text"] = page.inner_text("body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{label}-{page_path.stem}.png"), full_page=True)
    page.close()
    return seen


def problems_of(seen: dict) -> dict:
    """Everything that should be empty on an offline, inert page."""
    keys = ["errors", "foreign_requests", "dialogs", "broken", "scripts"]
    found = {key: seen[key] for key in keys if seen[key]}
    if seen["handlers"]:
        found["handlers"] = seen["handlers"]
    return found


def inspect_run(browser, out: Path, label: str) -> dict[str, dict]:
    """Inspect index.html and every exported report of a run."""
    pages = [out / "index.html", *sorted(p for p in out.glob("*.html") if p.name != "index.html")]
    assert len(pages) > 1, f"no reports in {out}"
    return {page.name: inspect_page(browser, page, label) for page in pages}


@pytest.fixture(scope="module")
def fixture_pages(browser, tmp_path_factory):
    out = tmp_path_factory.mktemp("fixture-reports")
    notebooks = sorted(FIXTURES.glob("*.ipynb"))
    corpus = tmp_path_factory.mktemp("corpus")
    article = corpus / "article.txt"
    article.write_text(XSS_ARTICLE, encoding="utf-8")
    os.utime(article, ns=(1_700_000_000_000_000_000,) * 2)  # the same cache key every session
    record = run_reports(notebooks, out, corpus=corpus, quiet=True)
    assert [nb.status for nb in record.notebooks] == ["ok", "failed", "ok"]
    return inspect_run(browser, out, "fixtures")


def test_fixture_reports_are_offline_and_inert(fixture_pages):
    assert {name: problems_of(seen) for name, seen in fixture_pages.items()} == dict.fromkeys(
        fixture_pages, {}
    )
    assert fixture_pages["index.html"]["images"] >= 1
    assert fixture_pages["10_escapes_titles.html"]["images"] >= 1


def test_hostile_titles_show_as_text(fixture_pages):
    for name in ["10_escapes_titles.html", "10_escapes_titles.share.html"]:
        assert XSS_TITLE in fixture_pages[name]["text"]
        assert XSS_IMG in fixture_pages[name]["text"]
    assert "planned failure <script>alert(2)</script>" in fixture_pages["index.html"]["text"]


def test_project_reports_are_offline_and_inert(browser, project_reports):
    out, _, _ = project_reports
    tables = [p.read_text(encoding="utf-8") for p in (out / "tables").glob("*.csv")]
    assert any(XSS_IMG in text for text in tables), "the hostile article did not reach any analysis"
    pages = inspect_run(browser, out, "project")
    assert {name: problems_of(seen) for name, seen in pages.items()} == dict.fromkeys(pages, {})
    assert pages["index.html"]["images"] >= 1
