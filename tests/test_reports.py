import filecmp
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

from cxpress import cli, config
from cxpress.reports import (
    NotebookResult,
    ReportSetupError,
    RunRecord,
    check_overrides,
    count_load_report,
    describe_error,
    export_html,
    export_reports,
    find_external_resources,
    find_notebooks,
    fingerprint_files,
    format_rerun_command,
    locate_source_cell,
    plan_parameters,
    read_parameters,
    render_index,
    start_order,
    summarize_failure,
)
from cxpress.reports.processes import (
    collect_outputs,
    read_result,
    reproducible_environment,
)
from cxpress.reports.runner import (
    OUTPUT_DIRS,
    PARALLEL_MAX_ARTICLES,
    check_kernel,
    choose_jobs,
    run_reports,
    workers_per_notebook,
)

FIXTURES = Path(__file__).parent / "data" / "notebooks"
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
REAL_NOTEBOOKS = sorted(config.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def make_record(notebooks: list[NotebookResult]) -> RunRecord:
    return RunRecord(
        started="2024-05-02T10:00:00+02:00",
        corpus={
            "path": f"data/{XSS[0]}",
            "fingerprint": "ab" * 32,
            "n_articles": 12,
            "n_analysed": 10,
            "load_report": {"excluded / language": 1},
            "error": "",
        },
        git={
            "commit": "0123456789abcdef" * 2 + "01234567",
            "dirty": True,
            "changed_files": 2,
        },
        versions={"pandas": "2.2.2"},
        environment={"python": "3.11.7"},
        rerun="cxpress report --notebooks 01 --corpus data/sample --out reports",
        duration_s=75.0,
        notebooks=notebooks,
    )


def ok_result() -> NotebookResult:
    return NotebookResult(
        name="01_corpus_overview",
        title=f"Overview {XSS[1]}",
        status="ok",
        started="2024-05-02T10:00:01+02:00",
        duration_s=12.5,
        parameters=[{"name": "title_filter", "value": XSS[0], "source": "command line"}],
        files={
            "ipynb": "01_corpus_overview.ipynb",
            "html": "01_corpus_overview.html",
            "share": "01_corpus_overview.share.html",
        },
        figures=["figures/overview.png"],
        tables=["tables/overview.csv"],
    )


def failed_result() -> NotebookResult:
    return NotebookResult(
        name="02_topics_nmf",
        title="Topics",
        status="failed",
        started="2024-05-02T10:00:14+02:00",
        duration_s=3.0,
        files={"ipynb": "02_topics_nmf.ipynb", "html": "02_topics_nmf.html"},
        error={
            "stage": "execution",
            "cell": 7,
            "exec_count": 6,
            "ename": "KeyError",
            "evalue": f"title {XSS[1]}",
            "source": f"show({XSS[0]!r})",
        },
    )


def test_index_escapes_every_corpus_derived_string():
    page = render_index(make_record([ok_result(), failed_result()]))
    assert "<script" not in page.lower()
    assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert (
        page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
    )  # corpus path, parameter, cell source
    assert find_external_resources(page) == []


def test_index_shows_failure_with_cell_and_exception():
    page = render_index(make_record([ok_result(), failed_result()]))
    assert "1 of 2" in page
    assert "02_topics_nmf failed at cell 7 (In [6]): KeyError" in page
    assert 'href="02_topics_nmf.html#papermill-error-cell"' in page
    assert 'href="01_corpus_overview.share.html"' in page
    assert '<img src="figures/overview.png"' in page
    assert "cxpress report --notebooks 01" in page


def test_index_reports_success_when_nothing_failed():
    page = render_index(make_record([ok_result(), ok_result()]))
    assert "All 2 notebooks ran" in page
    assert "did not complete" not in page


def test_summarize_failure_without_cell_names_the_stage():
    result = NotebookResult(
        name="03_x",
        title="",
        status="failed",
        error={
            "stage": "HTML export",
            "cell": None,
            "exec_count": None,
            "ename": "ValueError",
            "evalue": "remote resources",
        },
    )
    assert summarize_failure(result) == "03_x failed at HTML export: ValueError: remote resources"


def test_find_notebooks_selects_by_prefix_and_rejects_unknown(tmp_path):
    for name in ["01_overview", "02_topics", "03_timelines"]:
        (tmp_path / f"{name}.ipynb").write_text("{}")
    assert [p.stem for p in find_notebooks(["03", "02"], tmp_path)] == ["02_topics", "03_timelines"]
    assert len(find_notebooks(None, tmp_path)) == 3
    with pytest.raises(ReportSetupError, match="available: 01_overview, 02_topics"):
        find_notebooks(["04"], tmp_path)


def test_notebooks_start_by_priority_then_name(tmp_path):
    paths = []
    for name, priority in [("01_a", None), ("02_b", 1), ("03_c", 3), ("04_d", -1), ("05_e", 1)]:
        nb = nbformat.v4.new_notebook()
        if priority is not None:
            nb.metadata["cxpress"] = {"priority": priority}
        paths.append(tmp_path / f"{name}.ipynb")
        nbformat.write(nb, paths[-1])
    assert [paths[i].stem for i in start_order(paths)] == ["03_c", "02_b", "05_e", "01_a", "04_d"]
    nb = nbformat.v4.new_notebook(metadata={"cxpress": {"priority": "high"}})
    nbformat.write(nb, paths[0])
    with pytest.raises(ReportSetupError, match="must be a whole number"):
        start_order(paths)


def test_project_notebooks_start_longest_first_and_readers_of_memos_last():
    order = [REAL_NOTEBOOKS[i].stem[:2] for i in start_order(REAL_NOTEBOOKS)]
    # 04 (its validation) is the longest; 05 reads the memos of 02-04, 04 reads 03's mentions
    assert order[0] == "04" and order[-1] == "05"
    assert order.index("03") < order.index("01") and order.index("02") < order.index("05")


def test_parameters_are_read_planned_and_checked():
    declared = read_parameters(FIXTURES / "10_escapes_titles.ipynb")
    assert declared == {
        "corpus": "",
        "reports_dir": "../../../reports",
        "seed": 0,
        "year_min": 2010,
        "year_max": 2024,
    }
    inject, rows = plan_parameters(declared, {"seed": 3}, {"reports_dir": "/tmp/out"})
    assert inject == {"seed": 3, "reports_dir": "/tmp/out"}
    assert {r["name"]: r["source"] for r in rows}["year_min"] == "notebook default"
    with pytest.raises(ReportSetupError, match="sead"):
        check_overrides({"sead": 1}, {FIXTURES / "10_escapes_titles.ipynb": declared})


@pytest.mark.parametrize(("value", "ok"), [("twenty", False), (2.5, False), (True, False), (2012, True)])
def test_override_of_the_wrong_type_is_refused_before_running(value, ok):
    declared = {FIXTURES / "10_escapes_titles.ipynb": {"year_min": 2010, "corpus": "", "alpha": 0.5, "quick": False}}
    if ok:
        check_overrides({"year_min": value}, declared)
        return
    with pytest.raises(ReportSetupError, match=r"-p year_min .*expects a whole number.*nothing was run"):
        check_overrides({"year_min": value}, declared)


def test_override_types_follow_the_defaults():
    declared = {FIXTURES / "10_escapes_titles.ipynb": {"corpus": "", "alpha": 0.5, "quick": False, "k": None}}
    check_overrides({"alpha": 1, "corpus": "data/raw", "quick": True, "k": 12}, declared)
    for bad in ({"alpha": "high"}, {"quick": 1}, {"corpus": 3}):
        with pytest.raises(ReportSetupError, match="expects"):
            check_overrides(bad, declared)


def test_parameters_cell_with_quoted_comments_is_read(tmp_path):
    nb = nbformat.v4.new_notebook()
    source = 'corpus = ""  # "" = the default corpus\nk: int = 8\nlabels = ["IA", "offshoring"]\nyears = range(2)'
    nb.cells = [nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]})]
    nbformat.write(nb, tmp_path / "p.ipynb")
    assert read_parameters(tmp_path / "p.ipynb") == {
        "corpus": "",
        "k": 8,
        "labels": ["IA", "offshoring"],
        "years": "range(2)",
    }


def test_parse_value_reads_literals_like_papermill():
    assert [cli.parse_value(v) for v in ["2010", "0.5", "True", "None", "data/raw"]] == [
        2010,
        0.5,
        True,
        None,
        "data/raw",
    ]


def test_missing_kernel_error_names_the_fix():
    with pytest.raises(ReportSetupError, match="ipykernel install --sys-prefix --name cxpress"):
        check_kernel("cxpress-kernel-that-does-not-exist")


def test_external_resources_are_found_but_links_and_data_uris_are_not():
    page = (
        '<script src="https://cdn.example/require.js"></script><link rel="stylesheet" href="//fonts.example/x.css">'
        '<style>@import url("https://fonts.example/y.css");</style><a href="https://example.org">paper</a>'
        '<img src="data:image/png;base64,AAAA"><img src="figures/a.png">'
    )
    assert find_external_resources(page) == [
        "//fonts.example/x.css",
        "https://cdn.example/require.js",
        "https://fonts.example/y.css",
    ]


def test_export_html_is_offline_and_share_hides_code():
    nb = nbformat.v4.new_notebook()
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nRate $r = m / n$."),
        nbformat.v4.new_code_cell(
            "secret_code_line = 1",
            outputs=[
                nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "fig"})
            ],
        ),
    ]
    full = export_html(nb, title="t", source_dir=FIXTURES, share=False)
    share = export_html(nb, title="t", source_dir=FIXTURES, share=True)
    for page in (full, share):
        assert "<script src" not in page and "mathjax" not in page.lower()
        assert f"data:image/png;base64,{png}" in page
    assert "secret_code_line" in full and "secret_code_line" not in share


def test_widget_state_and_views_never_reach_the_html(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"m1": {}}, "version_major": 2}}
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "m1"}, "text/plain": "VBox(children=(...))"}
    nb.cells = [nbformat.v4.new_code_cell("explorer.show()", outputs=[
        nbformat.v4.new_output("display_data", data=view),
        nbformat.v4.new_output("display_data", data={"text/plain": "static table"})])]
    nbformat.write(nb, tmp_path / "05_x.ipynb")
    files = export_reports(tmp_path / "05_x.ipynb", tmp_path, tmp_path)
    for name in (files["html"], files["share"]):
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert "widget-state" not in page and "VBox(" not in page and "static table" in page


def test_locate_source_cell_skips_papermill_cells(tmp_path):
    nb = nbformat.v4.new_notebook()
    banner = {"tags": ["papermill-error-cell-tag"]}
    nb.cells = [
        nbformat.v4.new_markdown_cell("banner", metadata=banner),
        nbformat.v4.new_markdown_cell("# T"),
        nbformat.v4.new_code_cell("a = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("a = 2", metadata={"tags": ["injected-parameters"]}),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("here", metadata=banner),
        nbformat.v4.new_code_cell("1 / 0"),
    ]
    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, path)
    assert locate_source_cell(path, 4) == 4  # papermill's index 4 is "1 / 0", the 4th source cell
    for cell in nb.cells[1:5]:  # a dead kernel names no cell: the last one that started is blamed
        cell.metadata["papermill"] = {"start_time": "2024-05-02T10:00:00"}
    nbformat.write(nb, path)
    assert locate_source_cell(path) == 3
    error = papermill.PapermillExecutionError(
        4, 3, "1 / 0", "ZeroDivisionError", "\x1b[31mdivision\x1b[0m", []
    )
    described = describe_error(error, path, "execution")
    assert (described["cell"], described["exec_count"], described["evalue"]) == (4, 3, "division")


def test_fingerprint_changes_with_any_file(tmp_path):
    (tmp_path / "a.txt").write_text("un")
    first = fingerprint_files(tmp_path)
    assert fingerprint_files(tmp_path) == first
    (tmp_path / "b.txt").write_text("deux")
    assert fingerprint_files(tmp_path) != first


def test_rerun_command_quotes_values_and_uses_project_paths():
    command = format_rerun_command(
        ["01_a", "02_b"], config.SAMPLE, {"label": "IA générative", "k": 8}, config.REPORTS
    )
    assert command == (
        "cxpress report --notebooks 01_a,02_b --corpus data/sample -p label 'IA générative' "
        "-p k 8 --out reports"
    )


def test_load_report_counts_group_reason_families():
    report = pd.DataFrame(
        {
            "path": ["a", "b", "c", "d"],
            "status": ["loaded", "loaded", "excluded", "dropped"],
            "reason": ["text: utf-8", "text: cp1252", "duplicate: of a", None],
        }
    )
    assert count_load_report(report) == {
        "dropped": 1,
        "excluded / duplicate": 1,
        "loaded / text": 2,
    }


def test_cli_lists_dropped_and_unanalysed_rows_with_paths():
    report = pd.DataFrame(
        {
            "path": ["a.txt", "b.txt", "c.txt", "d.bin"],
            "status": ["loaded", "flagged", "flagged", "skipped"],
            "reason": [
                "text: utf-8",
                "undated: no date",
                "inferred year: 2015",
                "unsupported .bin",
            ],
        }
    )
    rows = cli.list_unanalysed(report, {"b.txt"})
    assert list(rows["path"]) == ["b.txt", "d.bin"]
    text = cli.format_load_report(report, Path("corpus"), rows)
    assert "flagged   b.txt  (undated: no date)" in text and "c.txt" not in text


def test_cli_report_exits_2_with_clear_error_when_no_notebooks(tmp_path, capsys):
    assert cli.main(["report", "--notebook-dir", str(tmp_path), "--quiet"]) == 2
    assert "no notebooks" in capsys.readouterr().err


def test_cli_bench_runs_the_benchmark_script_or_explains(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "BENCHMARKS", tmp_path)
    assert cli.main(["bench"]) == 2
    assert "run.py does not exist" in capsys.readouterr().err
    (tmp_path / "run.py").write_text("import sys\nsys.exit(3 if sys.argv[1:] == ['--sizes', '100'] else 4)\n")
    assert cli.main(["bench", "--sizes", "100"]) == 3


def write_fixed_article(folder: Path, text: str) -> Path:
    """One article with a fixed mtime, so that the corpus cache key is the same every session."""
    article = folder / "article.txt"
    article.write_text(text, encoding="utf-8")
    os.utime(article, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    return folder


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    """The three fixture notebooks (ok, failing, ok) run once through the CLI: (out, exit code, corpus)."""
    out = tmp_path_factory.mktemp("fixture-reports")
    corpus = write_fixed_article(
        tmp_path_factory.mktemp("corpus"),
        "Titre\nUn article de démonstration sur la relation client.\n",
    )
    code = cli.main(
        [
            "report",
            "--notebook-dir",
            str(FIXTURES),
            "--corpus",
            str(corpus),
            "--out",
            str(out),
            "-p",
            "seed",
            "3",
            "--quiet",
        ]
    )
    return out, code, corpus


@pytest.mark.slow
def test_failing_notebook_does_not_stop_the_others(fixture_run, capsys):
    out, code, _ = fixture_run
    assert code == 1
    run = json.loads((out / "run.json").read_text())
    assert [nb["status"] for nb in run["notebooks"]] == ["ok", "failed", "ok"]
    error = run["notebooks"][1]["error"]
    assert (error["cell"], error["ename"]) == (4, "RuntimeError")
    assert "planned failure" in error["evalue"]
    assert (out / "tables" / "fixture_after.csv").exists()  # the notebook after the failure ran
    for name in ["10_escapes_titles", "20_fails_midway", "30_runs_after_failure"]:
        for suffix in [".ipynb", ".html", ".share.html"]:
            assert (out / f"{name}{suffix}").stat().st_size > 0
    assert run["notebooks"][0]["figures"] == [
        "figures/fixture_draws.png",
        "figures/fixture_draws.svg",
    ]
    assert {p["name"]: p["value"] for p in run["notebooks"][0]["parameters"]}["seed"] == 3
    assert pd.read_csv(out / "tables" / "fixture_after.csv")["seed"].tolist() == [3]  # injected
    assert "20_fails_midway failed at cell 4" in (out / "index.html").read_text()


@pytest.mark.slow
def test_each_notebook_lists_the_files_it_wrote_and_nothing_is_left_behind(fixture_run):
    out, _, _ = fixture_run
    run = json.loads((out / "run.json").read_text())
    listed = {nb["name"]: (nb["figures"], nb["tables"]) for nb in run["notebooks"]}
    assert listed == {
        "10_escapes_titles": (
            ["figures/fixture_draws.png", "figures/fixture_draws.svg"],
            ["tables/fixture_draws.csv"],
        ),
        "20_fails_midway": ([], []),
        "30_runs_after_failure": ([], ["tables/fixture_after.csv"]),
    }
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


@pytest.mark.slow
def test_index_describes_the_corpus_from_the_ingest(fixture_run):
    out, _, corpus = fixture_run
    facts = json.loads((out / "run.json").read_text())["corpus"]
    assert (facts["n_articles"], facts["error"]) == (1, "")
    assert len(facts["fingerprint"]) == 64 and facts["path"] == str(corpus)
    assert sum(n for key, n in facts["load_report"].items() if key.startswith("loaded")) == 1
    page = (out / "index.html").read_text()
    assert facts["fingerprint"] in page and "1 loaded" in page


@pytest.mark.slow
def test_exported_html_shows_hostile_titles_as_text(fixture_run):
    out, _, _ = fixture_run
    for page in [out / "10_escapes_titles.html", out / "10_escapes_titles.share.html"]:
        text = page.read_text()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "<script" not in text.lower() and "<img src=x" not in text
        assert find_external_resources(text) == []


@pytest.mark.slow
def test_rerun_gives_identical_tables_and_figures(fixture_run, tmp_path):
    first, _, corpus = fixture_run
    record = run_reports(
        [FIXTURES / "10_escapes_titles.ipynb"],
        tmp_path / "out",
        {"seed": 3},
        corpus=corpus,
        quiet=True,
    )
    assert [nb.status for nb in record.notebooks] == ["ok"]
    for rel in [
        "tables/fixture_draws.csv",
        "figures/fixture_draws.png",
        "figures/fixture_draws.svg",
    ]:
        assert filecmp.cmp(first / rel, tmp_path / "out" / rel, shallow=False), rel


@pytest.mark.slow
def test_project_notebooks_repeat_exactly(project_reports, tmp_path):
    first, first_record, corpus = project_reports
    runs, records = [first, tmp_path / "second"], [first_record]
    # the first run had two notebooks at a time (on two cores or more), this one one at a time
    records.append(run_reports(REAL_NOTEBOOKS, runs[1], corpus=corpus, quiet=True, jobs=1))
    assert not records[-1].failed, [summarize_failure(nb) for nb in records[-1].failed]
    inputs = [(r.corpus["fingerprint"], r.git["commit"]) for r in records]
    assert inputs[0] == inputs[1], f"code or corpus changed between the two runs: {inputs}"
    written = [
        sorted(p.relative_to(run) for p in run.glob("*/*") if p.parent.name in OUTPUT_DIRS)
        for run in runs
    ]
    assert written[0] == written[1]
    assert any(p.suffix == ".csv" for p in written[0]), "the notebooks wrote no tables"
    assert [rel for rel in written[0] if not outputs_match(runs[0] / rel, runs[1] / rel)] == []


def outputs_match(first: Path, second: Path) -> bool:
    """Same table (timings aside) or byte-identical figure."""
    if first.suffix != ".csv":
        return filecmp.cmp(first, second, shallow=False)
    return read_table_without_timings(first).equals(read_table_without_timings(second))


def read_table_without_timings(path: Path) -> pd.DataFrame:
    """A saved table minus wall-clock columns (`*_seconds`), the one thing a rerun may not repeat."""
    table = pd.read_csv(path)
    return table.drop(columns=[c for c in table.columns if str(c).endswith("_seconds")])


@pytest.mark.slow  # loads a corpus with the real loader (lemmatiser start-up)
def test_cli_ingest_prints_counts_and_paths_of_what_was_left_out(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "PROCESSED", tmp_path / "processed")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "vide.txt").write_text("")
    (corpus / "scan.bin").write_bytes(b"\x00\x01")
    (corpus / "article.txt").write_text(
        "Un plateau ouvre à Rouen\nPublié le 12 mars 2014\nLe centre de contact recrute quarante "
        "conseillers pour le service client d'un assureur régional, qui les formera pendant trois "
        "semaines avant de leur confier les appels des assurés de Normandie.\n",
        encoding="utf-8",
    )
    assert cli.main(["ingest", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "dropped   vide.txt" in out and "skipped   scan.bin" in out
    assert "Articles: 1 loaded, 1 analysed" in out
    facts = tmp_path / "facts.json"
    # nothing to analyse in 2015-2024: exit 1, the facts still written for the reports index
    assert cli.main(["ingest", str(corpus), "--years", "2015", "2024", "--facts", str(facts)]) == 1
    written = json.loads(facts.read_text())
    assert (written["n_articles"], written["n_analysed"]) == (1, 0)  # 2014 is outside 2015-2024
    assert written["load_report"]["skipped / unsupported extension .bin"] == 1
    assert cli.main(["ingest", str(tmp_path / "absent"), "--facts", str(facts)]) == 2
    assert "does not exist" in json.loads(facts.read_text())["error"]


def test_notebooks_run_two_at_a_time_on_small_corpora_only(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert choose_jobs(None, 4, 300) == 2
    assert choose_jobs(None, 4, PARALLEL_MAX_ARTICLES + 1) == 1  # peaks would add up
    assert choose_jobs(None, 4, None) == 1  # corpus size unknown (it failed to load)
    assert choose_jobs(None, 1, 300) == 1
    assert choose_jobs(3, 2, 300) == 2 and choose_jobs(1, 4, 300) == 1
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert choose_jobs(None, 4, 300) == 1
    with pytest.raises(ReportSetupError, match="jobs must be 1 or more"):
        choose_jobs(0, 4, 300)


def test_side_by_side_notebooks_share_the_cores(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert workers_per_notebook(1) == {}  # one at a time: the usual workers
    assert workers_per_notebook(2) == {"n_jobs": 1}
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert workers_per_notebook(2) == {"n_jobs": 2}  # never above config.N_JOBS


@pytest.mark.slow
def test_side_by_side_runs_list_each_notebooks_own_files(project_reports):
    _, record, _ = project_reports
    n_jobs = choose_jobs(None, len(record.notebooks), record.corpus["n_analysed"])
    assert record.environment["notebooks run at a time"] == str(n_jobs)  # 2 with 2 cores or more
    workers = str(workers_per_notebook(n_jobs).get("n_jobs", 2))
    assert record.environment["worker processes per notebook"] == workers  # 1 with 2 cores
    prefixes = {"01": "overview_", "02": "topics_", "03": "timelines_", "04": "sentiment_", "05": "explore_"}
    for nb in record.notebooks:
        prefix = prefixes[nb.name[:2]]
        assert (nb.figures and nb.tables) or nb.name.startswith("05"), nb.name  # 05 shows, exports on demand
        assert all(Path(f).name.startswith(prefix) for f in nb.figures + nb.tables), nb.name
    listed = sorted(f for nb in record.notebooks for f in nb.figures + nb.tables)
    assert len(listed) == len(set(listed))  # no file given to two notebooks




def test_processes_get_a_reproducible_environment_without_changing_ours():
    before = dict(os.environ)
    with reproducible_environment() as env:
        assert env["PYTHONHASHSEED"] == "0" and env["PATH"] == os.environ["PATH"]
        assert Path(env["MATPLOTLIBRC"]).read_text() == "svg.hashsalt: cxpress\n"
        assert env["SOURCE_DATE_EPOCH"] == os.environ.get("SOURCE_DATE_EPOCH", "0")
    assert dict(os.environ) == before
    assert not Path(env["MATPLOTLIBRC"]).exists()


def test_a_notebooks_outputs_are_merged_into_the_reports_folder(tmp_path):
    out, run_dir = tmp_path / "reports", tmp_path / "run"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "other_notebook.png").write_bytes(b"kept")
    (out / "figures" / "mine.png").write_bytes(b"old")
    for rel in ["reports/figures/mine.png", "reports/figures/sub/detail.svg", "reports/tables/mine.csv",
                "nb.ipynb", "nb.html", "nb.share.html"]:
        (run_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (run_dir / rel).write_text("new")
    figures, tables = collect_outputs(run_dir, out)
    assert figures == ["figures/mine.png", "figures/sub/detail.svg"]
    assert tables == ["tables/mine.csv"]
    assert (out / "figures" / "mine.png").read_text() == "new"
    assert (out / "figures" / "other_notebook.png").read_bytes() == b"kept"
    assert {p.name for p in out.glob("nb.*")} == {"nb.ipynb", "nb.html", "nb.share.html"}
    assert not run_dir.exists()


def test_a_notebook_process_that_died_is_reported_with_its_exit_code(tmp_path):
    (tmp_path / "log.txt").write_text("starting\nMemoryError: out of memory\n")
    (tmp_path / "nb.ipynb").write_text("{}")
    result = read_result(tmp_path, -9)
    assert (result["status"], result["error"]["ename"]) == ("failed", "ProcessExit")
    assert result["error"]["evalue"] == "the notebook's process exited with code -9: MemoryError: out of memory"
    assert result["files"] == {"ipynb": "nb.ipynb"}  # the partly executed notebook stays linked


@pytest.mark.slow
def test_ctrl_c_stops_the_run_and_the_index_lists_what_finished(tmp_path):
    """SIGINT to a real `cxpress report`: the running notebook's kernel (and its own worker process)
    stops, the queued notebook never starts, the command exits 130 at once with one line."""
    marker, out = tmp_path / "kernel-pids", tmp_path / "reports"
    command = [sys.executable, "-m", "cxpress.cli", "report", "--notebook-dir", str(FIXTURES / "interrupt"),
               "--corpus", str(write_fixed_article(tmp_path, "Titre\nUn article.\n")), "--out", str(out),
               "-p", "marker", str(marker), "--jobs", "1", "--quiet"]
    # SIGINT as a terminal sends it (a shell's background job would start with it ignored)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not (marker.exists() and marker.read_text()) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    start = time.monotonic()
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130 and time.monotonic() - start < 10
    assert stderr.strip().splitlines() == [
        f"interrupted: the notebooks still running were stopped; the reports finished so far are "
        f"listed in {out / 'index.html'}"
    ]
    run = json.loads((out / "run.json").read_text())
    assert [(nb["name"], nb["status"]) for nb in run["notebooks"]] == [
        ("10_quick", "ok"), ("20_sleeps", "not run"), ("30_queued", "not run")
    ]
    assert (out / "10_quick.html").exists() and not (out / "tables" / "queued.csv").exists()
    pids = [int(pid) for pid in marker.read_text().split()]  # the kernel and its worker
    assert wait_until_gone(pids, timeout_s=3) == []


def wait_until_gone(pids: list[int], timeout_s: float) -> list[int]:
    """The processes among `pids` still there after timeout_s (killed ones take a moment to be reaped)."""
    deadline = time.monotonic() + timeout_s
    while True:
        alive = []
        for pid in pids:
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def test_runner_and_notebook_processes_skip_the_iri_grammar(tmp_path):
    """Importing cxpress.reports keeps jsonschema from compiling rfc3987_syntax's grammar (1.2 s a
    process), and nbformat still reads and validates a notebook without it."""
    notebook = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), notebook)
    script = (
        "import sys, cxpress.reports, nbformat\n"
        f"nb = nbformat.read({str(notebook)!r}, as_version=4)\n"
        "nbformat.validate(nb)\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent'), 'lark' in sys.modules, len(nb.cells))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["None", "False", "1"]
