"""Notebook 05 used as a researcher uses it: JupyterLab started on 127.0.0.1, the notebook opened in
headless Debian Chromium, all cells run, a term typed into the term explorer; the figure and the
KWIC lines must change. The server is stopped by its process id whatever happens."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_browser import CHROMIUM, browser  # noqa: F401  (the module-scoped Chromium fixture)

from cxpress import config

pytestmark = pytest.mark.slow

NOTEBOOK = config.NOTEBOOKS / "05_explore.ipynb"
TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"jupyter lab did not answer {url} within {seconds} s")


@pytest.fixture
def lab(tmp_path):
    """(base URL, token) of a JupyterLab serving a folder with a copy of notebook 05."""
    root = tmp_path / "lab"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(NOTEBOOK, root / "notebooks" / NOTEBOOK.name)
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime")}
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.news_url=", "--ServerApp.log_level=WARN", "--allow-root",  # CI runs as root
               "--LabApp.expose_app_in_browser=True"]  # window.jupyterapp: run cells by command, not keys
    log = (tmp_path / "jupyter.log").open("w")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for_server(f"{base}/api/status?token={token}", proc)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}; its log:\n{(tmp_path / 'jupyter.log').read_text()[-2000:]}") from exc
        yield base, token
    finally:  # the server, then its kernels (its process group), by id
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # kernels left behind, if any
        except ProcessLookupError:
            pass
        log.close()


def run_all_cells(page) -> None:
    """Run > Run All Cells, through JupyterLab's command registry once the notebook's kernel is ready
    (keyboard shortcuts depend on focus, which a headless page does not always give)."""
    page.wait_for_function("""() => {
        const kernel = window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;
        return kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'; }""")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def test_typing_a_term_updates_the_figure_and_the_kwic_lines(browser, lab):  # noqa: F811
    base, token = lab
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}/lab/tree/notebooks/{NOTEBOOK.name}?token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", state="attached")
    run_all_cells(page)
    status = page.locator(".cx-term-status")
    status.wait_for(state="attached", timeout=120_000)  # the corpus loads and the topics fit first
    status.scroll_into_view_if_needed()  # JupyterLab renders the cells in view only
    page.wait_for_function("() => document.querySelector('.cx-term-status').textContent.includes('voicebot')")
    figure = page.locator(".cx-term-figure")
    before = figure.get_attribute("src")
    assert before and before.startswith(("blob:", "data:"))
    box = page.locator(".cx-term-input input")
    box.fill("chatbot")
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('.cx-term-status').textContent.includes('chatbot')")
    page.wait_for_function(f"() => document.querySelector('.cx-term-figure').src !== {before!r}")
    lines = page.locator(".cx-term-kwic option")
    # the status, the figure and the KWIC list are updated one after the other: wait for the new lines
    page.wait_for_function("""() => { const options = [...document.querySelectorAll('.cx-term-kwic option')];
        return options.length > 0 && options.every(o => o.textContent.toLowerCase().includes('chatbot')); }""")
    texts = lines.all_inner_texts()
    assert texts and all("[" in t and "chatbot" in t.lower() for t in texts), texts[:3]
    assert "mentions in" in status.inner_text()
    page.screenshot(path=str(Path(config.REPORTS) / "screenshots" / "explore_term.png"))
    page.close()
