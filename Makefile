# cxpress — `make help` lists the targets. Two commands on a fresh machine: `make reports`, `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CORPUS ?=
NOTEBOOKS ?=
PARAMS ?=

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name cxpress --display-name "Python (cxpress)"
	touch $(STAMP)

install: $(STAMP)  ## create .venv, install cxpress (editable) + dev tools, register the Jupyter kernel

reports: install  ## run the notebooks into reports/ (CORPUS=path NOTEBOOKS=02,03 PARAMS="-p seed 1")
	$(BIN)/cxpress report $(if $(CORPUS),--corpus $(CORPUS)) $(if $(NOTEBOOKS),--notebooks $(NOTEBOOKS)) $(if $(CI),--quiet) $(PARAMS)

test: install  ## lint (ruff) and run the whole test suite (notebooks and browser included)
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/pytest

test-fast: install  ## the tests without notebook execution or browser
	$(BIN)/pytest -m "not slow"

lab: install  ## open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

bench: install  ## run the benchmarks (see benchmarks/README.md)
	$(BIN)/cxpress bench

strip: install  ## remove outputs from the notebooks before committing
	$(BIN)/nbstripout notebooks/*.ipynb

clean:  ## remove caches and generated reports (never touches data/raw)
	rm -rf data/processed/*.parquet data/processed/models data/processed/memo reports/*.html reports/*.ipynb reports/figures reports/tables reports/screenshots reports/run.json

.PHONY: help install reports test test-fast lab bench strip clean
