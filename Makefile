# Every target builds .venv on first use and re-installs when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: run test lint format bench package test-package clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mp-tutor

lint: $(STAMP)
	$(BIN)/ruff check tutor tests
	$(BIN)/ruff format --check tutor tests
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix tutor tests
	$(BIN)/ruff format tutor tests

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not packaging"

bench: $(STAMP)
	$(BIN)/python tests/perf/bench_engine.py

clean:
	rm -rf $(VENV) build dist
