"""The run-mode registry is the one list of modes: the CLI, links, labels and checks follow it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor import cli
from tutor.content.links import RUN_MODES, parse_run_link
from tutor.engine import modes
from tutor.engine.modes import (
    ALL_MODES,
    BUILTIN_MODES,
    OPTIONAL_MODES,
    PARALLEL_MODES,
    PROCESS_MODES,
    SPECS,
    RunMode,
    Unit,
    spec_of,
    unavailable_modes_note,
    unavailable_reason,
)
from tutor.engine.records import MODES, RunConfig
from tutor.engine.runners import validate

ROOT = Path(__file__).resolve().parents[2]


def test_every_mode_has_one_spec_under_its_own_name():
    assert set(SPECS) == set(RunMode)
    for mode, spec in SPECS.items():
        assert spec.mode is mode and spec.name == mode.value == str(mode)
        assert spec.title and spec.runner.count(":") == 1
    assert tuple(mode.value for mode in RunMode) == ALL_MODES
    assert MODES == BUILTIN_MODES and set(BUILTIN_MODES) | set(OPTIONAL_MODES) == set(ALL_MODES)
    assert not set(BUILTIN_MODES) & set(OPTIONAL_MODES)


def test_optional_modes_name_their_extra_in_pyproject():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name in OPTIONAL_MODES:
        spec = spec_of(name)
        assert spec.requires and spec.requires_title
        assert f"\n{spec.extra} = [" in text, f"no [{spec.extra}] extra for {name}"
        assert spec.install_command == f"pip install -e '.[{spec.extra}]'"


@pytest.mark.parametrize("name", ALL_MODES)
def test_every_runner_module_imports_without_its_optional_library(name):
    module, _, attribute = spec_of(name).runner.partition(":")
    assert callable(getattr(importlib.import_module(module), attribute))


@pytest.mark.parametrize("name", BUILTIN_MODES)
def test_every_built_in_mode_runs_here(name):
    assert unavailable_reason(name) is None
    assert callable(spec_of(name).load_runner())


def test_the_cli_offers_exactly_the_registry():
    for name in ALL_MODES:
        assert cli._modes(name) == [name]
    assert cli._modes(",".join(ALL_MODES)) == list(ALL_MODES)
    with pytest.raises(Exception, match="unknown mode 'fibres'") as caught:
        cli._modes("fibres")
    assert f"choose from {', '.join(ALL_MODES)} " in str(caught.value)
    assert ", ".join(ALL_MODES) in " ".join(cli.build_parser().format_help().split())


def test_an_unknown_mode_names_every_mode():
    with pytest.raises(ValueError, match="^mode: unknown 'fibres'") as caught:
        validate(RunConfig("primes", 10, "fibres"))
    assert ", ".join(ALL_MODES) in str(caught.value)


def test_lesson_links_accept_the_linkable_modes_and_only_those():
    assert tuple(s.name for s in SPECS.values() if s.linkable) == RUN_MODES
    for name in ALL_MODES:
        url = f"tutor:run?workload=primes&size=1000&mode={name}"
        if name in RUN_MODES:
            assert parse_run_link(url).mode == name
        else:
            with pytest.raises(ValueError, match=f"unknown mode '{name}'"):
                parse_run_link(url)
    # The one-click buttons and the process API choice cover every linkable mode.
    assert {"sequential", "threads", "asyncio", *PROCESS_MODES} >= set(RUN_MODES)


def test_process_modes_are_those_whose_workers_are_processes():
    assert tuple(s.name for s in SPECS.values() if s.uses_processes) == PROCESS_MODES
    assert {"processes", "executor"} <= set(PROCESS_MODES)
    for name in ALL_MODES:
        config = RunConfig("primes", 10, name, 3)
        assert config.uses_processes == (name in PROCESS_MODES)
        assert spec_of(name).unit is Unit.PROCESS or name not in PROCESS_MODES


@pytest.mark.parametrize("name", ALL_MODES)
def test_labels_and_worker_counts_follow_the_spec(name):
    spec = spec_of(name)
    config = RunConfig("primes", 10, name, 3)
    assert config.workers_used == (3 if name in PARALLEL_MODES else 1)
    assert RunConfig("primes", 10, name, 1).workers_used == 1
    label = config.label()
    assert label.startswith(name)
    if name in PARALLEL_MODES:
        assert "3" in label
        # The unit is said once: by the mode's own name or after the count.
        assert label.endswith((spec.unit.count(3), f"{name} × 3"))


def test_units_count_in_words():
    assert Unit.PROCESS.count(1) == "1 process" and Unit.PROCESS.count(2) == "2 processes"
    assert Unit.TASK.count(8) == "8 tasks" and Unit.WORKER.count(1) == "1 worker"


@pytest.fixture
def hidden_optional_libraries(monkeypatch):
    """As on a machine without the optional extras: their modules are not found."""
    real = importlib.util.find_spec
    hidden = {name for mode in OPTIONAL_MODES for name in spec_of(mode).requires}

    def find_spec(name, *args, **kwargs):
        return None if name.split(".")[0] in hidden else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.mark.parametrize("name", OPTIONAL_MODES)
def test_a_missing_extra_says_how_to_install_it(hidden_optional_libraries, name):
    spec = spec_of(name)
    reason = unavailable_reason(name)
    assert reason is not None and spec.install_command in reason and spec.requires_title in reason
    with pytest.raises(ValueError, match="^mode: ") as caught:
        validate(RunConfig("primes", 1_000, name, 2))
    assert spec.install_command in str(caught.value)
    assert spec.install_command in unavailable_modes_note()
    assert spec.install_command in " ".join(cli.build_parser().format_help().split())


def test_the_engine_runs_and_lists_every_mode_under_python_dash_s():
    """Other Pythons run the engine with -S: no site-packages, so no optional library."""
    code = (
        "import sys\n"
        "from tutor.engine.modes import ALL_MODES, OPTIONAL_MODES, unavailable_reason\n"
        "from tutor.engine.records import RunConfig\n"
        "from tutor.engine.runners import run\n"
        "assert run(RunConfig('primes', 1000, 'sequential')).answer == 168\n"
        "print(','.join(ALL_MODES))\n"
        "for name in OPTIONAL_MODES:\n"
        "    print(name, unavailable_reason(name) is not None)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('joblib', 'dask')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-S", "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == ",".join(ALL_MODES)
    assert lines[1:-1] == [f"{name} True" for name in OPTIONAL_MODES]
    assert lines[-1] == "[]"  # nothing optional was imported


def test_modes_module_is_stdlib_only():
    source = Path(modes.__file__).read_text(encoding="utf-8")
    assert "import tutor" not in source and "from tutor" not in source
