"""Notebooks executed by papermill into HTML reports with an index page and run metadata."""

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
    describe_corpus,
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
)
from cxpress.reports.runner import (
    attribute_outputs,
    check_kernel,
    choose_jobs,
    environment_variables,
    execute_all,
    export_guarded,
    export_notebook,
    reproducible_environment,
    run_guarded,
    run_notebook,
    run_reports,
    silence_papermill_warnings,
    snapshot_outputs,
    start_record,
    stop_kernels,
    workers_per_notebook,
)
