"""Machine facts come from one module, and every part of the app says the same thing."""

from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path

from tutor.engine import machine
from tutor.engine.export import machine_facts as export_facts
from tutor.engine.interpreters import current_interpreter
from tutor.engine.machine import (
    CoreCounts,
    GilState,
    core_counts,
    gil_enabled,
    gil_state,
    logical_cpus,
    machine_facts,
)
from tutor.engine.records import RunConfig
from tutor.engine.runners import run

TUTOR = Path(machine.__file__).resolve().parents[1]


def test_the_gil_state_is_what_the_interpreter_says():
    probe = getattr(sys, "_is_gil_enabled", None)
    state = gil_state()
    if probe is None:
        assert state is GilState.STANDARD
    else:
        assert state is (GilState.ENABLED if probe() else GilState.DISABLED)
    assert gil_enabled() == state.enabled


def test_each_gil_state_in_words():
    assert [s.value for s in GilState] == ["enabled (standard build)", "enabled", "disabled"]
    assert [s.summary() for s in GilState] == [
        "GIL enabled (standard build)",
        "GIL enabled",
        "GIL disabled (free-threaded build)",
    ]
    assert [s.enabled for s in GilState] == [True, True, False]


def test_cores():
    assert logical_cpus() == (os.cpu_count() or 1)
    counts = core_counts()
    assert counts.logical == logical_cpus()
    assert counts.physical is None or 1 <= counts.physical <= counts.logical


def test_a_run_the_export_and_the_interpreter_list_agree():
    facts = machine_facts()
    result = run(RunConfig("primes", 1_000, "sequential"))
    assert result.gil_enabled == facts.gil.enabled
    exported = export_facts("spawn", ["spawn"])
    assert exported == {
        **facts.to_json(),
        "start_method": "spawn",
        "available_start_methods": ["spawn"],
    }
    assert exported["gil"] == facts.gil.value and exported["logical_cpus"] == logical_cpus()
    json.dumps(exported, allow_nan=False)
    here = current_interpreter()
    assert here.gil_enabled == (None if facts.gil is GilState.STANDARD else facts.gil.enabled)


def test_core_counts_never_claim_more_cores_than_cpus(tmp_path):
    for cpu in range(4):  # a sysfs that names four cores where os.cpu_count() sees fewer
        topology = tmp_path / f"cpu{cpu}" / "topology"
        topology.mkdir(parents=True)
        (topology / "physical_package_id").write_text("0\n")
        (topology / "core_id").write_text(f"{cpu}\n")
    assert core_counts(tmp_path).physical == (4 if logical_cpus() >= 4 else None)
    assert CoreCounts(2, None).fit_limit == 2


def _calls(tree: ast.AST) -> list[str]:
    """Every `os.cpu_count(...)` and `getattr(sys, "_is_gil_enabled", ...)` in a module."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "cpu_count":
            found.append(f"line {node.lineno}: cpu_count()")
        if isinstance(func, ast.Name) and func.id == "getattr" and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and name.value == "_is_gil_enabled":
                found.append(f"line {node.lineno}: _is_gil_enabled")
    return found


def test_no_other_module_asks_the_machine_itself():
    """The copies issue #12 counted (seven cpu_count, four GIL probes) stay gone. The probe
    that interpreters.py sends to *another* Python is a string, not a call here."""
    offenders = {}
    for path in TUTOR.rglob("*.py"):
        if path.name == "machine.py" and path.parent.name == "engine":
            continue
        calls = _calls(ast.parse(path.read_text(encoding="utf-8")))
        if calls:
            offenders[str(path.relative_to(TUTOR))] = calls
    assert offenders == {}


def test_one_is_dark_in_the_ui():
    """Five copies of is_dark once disagreed (one read the window colour, four the base)."""
    definitions = []
    for path in (TUTOR / "ui").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name.lstrip("_") == "is_dark":
                definitions.append(str(path.relative_to(TUTOR)))
        assert ".lightness() < 128" not in source or path.name == "palette_tone.py", path
    assert [Path(d).name for d in definitions] == ["palette_tone.py"]
