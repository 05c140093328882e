# Every target builds .venv on first use and re-installs when pyproject.toml or the lock changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test
PACKAGE_STAMP := $(VENV)/.installed-package
# The exact versions the tests passed with, for every platform and Python 3.11+ (uv's universal
# resolution keeps the PySide6 markers of pyproject.toml). `make lock` refreshes it.
LOCK := requirements/lock.txt
# pip itself and the build backend (hatchling) that the editable install runs in isolation.
BUILD_LOCK := requirements/build-lock.txt

.PHONY: run test lint format bench package test-package lock clean

$(STAMP): pyproject.toml $(LOCK) $(BUILD_LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c $(BUILD_LOCK) pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) --build-constraint $(BUILD_LOCK) -e '.[test,cluster]'
	touch $(STAMP)

# The same .venv plus the `package` extra (PyInstaller), added after the test install.
$(PACKAGE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c $(LOCK) --build-constraint $(BUILD_LOCK) -e '.[test,package]'
	touch $(PACKAGE_STAMP)

# Re-resolve every dependency to the newest versions pyproject.toml allows, then run
# `make test` before committing the new lock.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
		--extra test --extra cluster --extra package --upgrade --quiet -o $(LOCK)
	$(BIN)/uv pip compile requirements/build.in --universal --python-version 3.11 \
		--upgrade --quiet -o $(BUILD_LOCK)

# Bytecode first (only what changed): an editable install leaves the tutor's own modules
# uncompiled, and where PYTHONDONTWRITEBYTECODE is set every start would compile them again
# (~40 ms of a ~400 ms start-up).
run: $(STAMP)
	$(BIN)/python -m compileall -q tutor
	$(BIN)/mp-tutor

lint: $(STAMP)
	$(BIN)/ruff check tutor tests
	$(BIN)/ruff format --check tutor tests
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix tutor tests
	$(BIN)/ruff format tutor tests

# Three pytest-xdist workers, each taking a whole test file at a time (a file's tests keep their
# order and share its module fixtures). Three on two cores because many tests wait on the child
# processes they start, a time limit or a Dask cluster rather than on a core: measured on an idle
# two-core machine, -n 2 took 210 s with the cores 79 % busy, -n 3 175 s (90 % busy), -n 4 172 s
# (no gain past the cores' capacity, more load on each test). Not --dist worksteal (tried: it split
# tests/engine/test_cluster.py between workers and its tests then met the Dask workers of
# test_cluster_scheduler.py's shared scheduler as "child processes left behind").
# Bytecode first, as for `run`: the suite starts a few thousand Pythons (CLI runs, helpers,
# spawned workers) that import the tutor; where PYTHONDONTWRITEBYTECODE is set each one would
# compile those modules again (measured: tests/test_cli.py + test_exercises_cli.py used 16 %
# fewer CPU-seconds with them compiled). The tests' own helper modules too: spawned workers
# import the fixture functions they run (tests/engine/fixtures, learner code samples).
test: lint
	$(BIN)/python -m compileall -q tutor tests
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not packaging" -n 3 --dist loadfile

# One-folder app in dist/mp-tutor/ built from scratch, then its frozen smoke test.
package: $(PACKAGE_STAMP)
	$(BIN)/python packaging/build.py --check

# Builds the bundle and the wheel and checks them, with the desktop files (tests/packaging).
test-package: $(PACKAGE_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m packaging tests/packaging

bench: $(STAMP)
	$(BIN)/python tests/perf/bench_engine.py

clean:
	rm -rf $(VENV) build dist
