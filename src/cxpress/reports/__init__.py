"""Notebooks executed by papermill into HTML reports with an index page and run metadata."""

import sys

from cxpress.reports.execute import execute_notebook
from cxpress.reports.export import (
    export_html,
    export_reports,
    find_external_resources,
)
from cxpress.reports.index import (
    NotebookResult,
    RunRecord,
    clean_message,
    collect_versions,
    count_load_report,
    describe_environment,
    describe_git,
    display_path,
    fingerprint_files,
    format_duration,
    format_rerun_command,
    format_value,
    render_index,
    summarize_failure,
    write_index,
)
from cxpress.reports.notebooks import (
    ReportSetupError,
    check_overrides,
    describe_error,
    find_notebooks,
    locate_source_cell,
    plan_parameters,
    read_parameters,
    read_ran_cells,
    read_title,
    start_order,
)
from cxpress.reports.processes import (
    collect_outputs,
    ingest_corpus,
    read_result,
    reproducible_environment,
    start_notebook,
    stop_processes,
)
from cxpress.reports.runner import (
    check_kernel,
    choose_jobs,
    execute_all,
    run_reports,
    workers_per_notebook,
)

# jsonschema (under nbformat, imported by these modules on first use) imports rfc3987_syntax for
# its optional IRI format check, which compiles a grammar: 1.2-1.4 s per process. No notebook
# schema checks IRIs, so the runner and each notebook's process do without it.
sys.modules.setdefault("rfc3987_syntax", None)
