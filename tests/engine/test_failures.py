"""Failure kinds in one table, and import problems carried as fields, not read from text."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from tutor.engine import failures as failures_module
from tutor.engine.failures import (
    FAILURE_TEXTS,
    ImportFailed,
    ImportProblem,
    ImportProblemKind,
    RunFailureKind,
)
from tutor.engine.hosted import run_in_helper
from tutor.engine.records import RunConfig, WorkerFailure
from tutor.engine.workloads import import_function

TUTOR = Path(failures_module.__file__).resolve().parents[1]


def test_every_kind_has_a_headline_and_advice():
    assert set(FAILURE_TEXTS) == set(RunFailureKind)
    for kind, text in FAILURE_TEXTS.items():
        assert text.headline and text.headline[0].isupper() and not text.headline.endswith(".")
        assert text.advice.endswith("."), kind
    assert len({t.headline for t in FAILURE_TEXTS.values()}) == len(FAILURE_TEXTS)


def test_a_kind_reads_as_its_old_string_and_unknown_kinds_are_refused():
    assert RunFailureKind.DIED == "died"
    assert FAILURE_TEXTS["died"].headline == "A worker process died"  # a plain string finds it
    with pytest.raises(ValueError):
        RunFailureKind("exploded")


def _kinds_made_in(path: Path) -> list[tuple[str, object]]:
    """(where, kind expression) of every WorkerFailure(...) built in `path`."""
    made = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "WorkerFailure":
            kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
            if kind is None and node.args:
                kind = node.args[0]
            made.append((f"{path.relative_to(TUTOR)}:{node.lineno}", kind))
    return made


def test_every_failure_the_code_makes_names_a_kind_in_the_table():
    made = [hit for path in TUTOR.rglob("*.py") for hit in _kinds_made_in(path)]
    assert len(made) >= 8  # engine, helper, cluster, controller
    for where, kind in made:
        assert isinstance(kind, ast.Attribute), f"{where}: kind must be a RunFailureKind member"
        assert getattr(kind.value, "id", "") == "RunFailureKind", where
        assert RunFailureKind[kind.attr] in FAILURE_TEXTS, where


# --------------------------------------------------------------------------- import problems
def _module(folder: Path, name: str, source: str, monkeypatch) -> str:
    (folder / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    return f"{name}:work"


CASES = {
    "syntax": ("def work(n):\n    return n +\n", ImportProblemKind.SYNTAX_ERROR, 2),
    "missing": (
        "import no_such_module_here\ndef work(n):\n    return n\n",
        ImportProblemKind.MODULE_NOT_FOUND,
        1,
    ),
    "pool": (
        "import multiprocessing\n\nmultiprocessing.Pool(2)\ndef work(n):\n    return n\n",
        ImportProblemKind.PROCESS_AT_IMPORT,
        3,
    ),
    "raises": (
        "x = 1\nraise RuntimeError('boom')\ndef work(n):\n    return n\n",
        ImportProblemKind.RAISED,
        2,
    ),
    "exits": ("import sys\nsys.exit(3)\n", ImportProblemKind.EXITED, 2),
    "nofunction": ("def other(n):\n    return n\n", ImportProblemKind.NO_FUNCTION, None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_real_module_that_cannot_import_gives_its_kind_and_line(
    case, tmp_path, monkeypatch, no_children_left
):
    source, kind, line = CASES[case]
    spec = _module(tmp_path, f"learner_import_{case}", source, monkeypatch)
    with pytest.raises(ImportFailed) as caught:
        import_function(spec)
    problem = caught.value.problem
    assert problem.kind is kind
    assert problem.module == f"learner_import_{case}"
    assert problem.line == line
    assert isinstance(caught.value, ValueError)  # still a refused config for the CLI
    assert str(caught.value).startswith("function: ")
    assert no_children_left() == []  # the Pool at import was refused, not started


def test_an_import_failure_is_explained_without_the_module_name():
    problem = ImportProblem(
        "learner_work_ab",
        ImportProblemKind.MODULE_NOT_FOUND,
        "ModuleNotFoundError: No module named 'nosuch'",
        "ModuleNotFoundError",
        1,
    )
    reason = problem.learner_reason()
    assert reason is not None
    assert "learner_work_ab" not in reason
    assert "ModuleNotFoundError: No module named 'nosuch'" in reason
    started = ImportProblem(
        "learner_work_ab",
        ImportProblemKind.PROCESS_AT_IMPORT,
        "ProcessStartedAtImport: learner_work_ab starts a process while it is being imported",
        "ProcessStartedAtImport",
    )
    assert started.learner_reason() == "your code starts a process while it is being imported"
    other = WorkerFailure(RunFailureKind.INVALID, "size: must be between 0 and 10")
    assert other.import_problem is None  # any other refusal carries no import problem


@pytest.mark.timeout(120)
def test_the_problem_crosses_the_helper_pipe_as_fields(tmp_path, monkeypatch, no_children_left):
    spec = _module(tmp_path, "learner_import_helper", "import no_such_module_either\n", monkeypatch)
    with pytest.raises(ImportFailed) as caught:
        run_in_helper(RunConfig("custom", 100, "threads", 2, function=spec), output_to_stderr=False)
    problem = caught.value.problem
    assert problem.kind is ImportProblemKind.MODULE_NOT_FOUND
    assert problem.exc_type == "ModuleNotFoundError"
    assert "no_such_module_either" in problem.detail
    assert no_children_left(10.0) == []
