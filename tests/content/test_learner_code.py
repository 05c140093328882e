"""The learner's own work(n): checked without running it, saved as a module, tracebacks read."""

from __future__ import annotations

import importlib
import importlib.util
import multiprocessing
import os
import sys
import traceback

import pytest

from tutor.content.learner_code import (
    KEEP_MODULES,
    MODULE_PREFIX,
    LearnerModule,
    check_source,
    error_line,
    learner_traceback,
    make_importable,
    module_name_for,
    save_learner_module,
    starter_source,
)

DOUBLE = "def work(n):\n    return n * 2\n"


def test_the_starter_example_is_valid_and_defines_work():
    source = starter_source()
    assert "def work(n)" in source
    assert check_source(source) is None


@pytest.mark.parametrize(
    "source",
    [
        DOUBLE,
        "import math\n\ndef work(n, scale=2):\n    return math.sqrt(n) * scale\n",
        "work = lambda n: n * 2\n",
        "def work(*numbers):\n    return numbers[0]\n",
        "def work(n: int) -> int:\n    return n\n",
    ],
)
def test_sources_that_can_run_pass(source):
    assert check_source(source) is None


def test_a_syntax_error_names_its_line_and_column():
    problem = check_source("def work(n):\n    x = 1\n    return n *\n")
    assert problem is not None
    assert problem.line == 3
    assert problem.column > 0
    assert "SyntaxError" in problem.message
    assert problem.text().startswith("Line 3: ")


def test_an_indentation_error_is_a_problem_at_its_line():
    problem = check_source("def work(n):\nreturn n\n")
    assert problem is not None and problem.line == 2
    assert "IndentationError" in problem.message


def test_errors_only_the_compiler_sees_are_found_too():
    # Parses as an AST, but `return` outside a function is a compile error.
    problem = check_source("def work(n):\n    return n\nreturn 1\n")
    assert problem is not None and problem.line == 3


def test_null_bytes_are_a_problem_not_a_crash():
    problem = check_source("def work(n):\n    return n\x00\n")
    assert problem is not None and problem.line == 2


def test_a_missing_work_function_is_a_problem():
    problem = check_source("def other(n):\n    return n\n")
    assert problem is not None
    assert "work(n)" in problem.message
    # A nested def does not count: the engine imports work from the module's top level.
    assert check_source("def outer():\n    def work(n):\n        return n\n") is not None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def work():\n    return 1\n", "one argument"),
        ("def work(a, b):\n    return a\n", "one argument"),
        ("def work(n, *, key):\n    return n\n", "one argument"),
        ("async def work(n):\n    return n\n", "async"),
    ],
)
def test_a_work_that_cannot_take_one_number_is_shown_at_its_def(source, expected):
    problem = check_source(source)
    assert problem is not None
    assert problem.line == 1
    assert expected in problem.message


def test_checking_never_runs_the_code(tmp_path):
    marker = tmp_path / "ran"
    source = f"open({str(marker)!r}, 'w').close()\ndef work(n):\n    return n\n"
    assert check_source(source) is None
    assert not marker.exists()


def test_the_module_name_follows_the_source():
    assert module_name_for(DOUBLE) == module_name_for(DOUBLE)
    assert module_name_for(DOUBLE) != module_name_for(DOUBLE + "# changed\n")
    assert module_name_for(DOUBLE).startswith(MODULE_PREFIX)
    assert module_name_for(DOUBLE).isidentifier()


def test_saving_writes_an_importable_module(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))
    module = save_learner_module(DOUBLE, tmp_path / "learner_code")
    assert module.path.read_text(encoding="utf-8") == DOUBLE
    assert module.path.name == f"{module.module_name}.py"
    assert module.function_spec == f"{module.module_name}:work"
    make_importable(module.path.parent)
    make_importable(module.path.parent)
    assert sys.path.count(str(module.path.parent)) == 1
    assert sys.path[-1] == str(module.path.parent)  # last: it can shadow nothing
    imported = importlib.import_module(module.module_name)
    try:
        assert imported.work(21) == 42
    finally:
        sys.modules.pop(module.module_name, None)


def test_a_changed_function_gets_a_new_module_and_the_same_one_is_reused(tmp_path):
    folder = tmp_path / "code"
    first = save_learner_module(DOUBLE, folder)
    again = save_learner_module(DOUBLE, folder)
    changed = save_learner_module(DOUBLE.replace("2", "3"), folder)
    assert again == first
    assert changed.module_name != first.module_name
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [first.path.name, changed.path.name]
    )  # no temporary files left


def test_old_versions_are_pruned_but_the_current_one_stays(tmp_path):
    folder = tmp_path / "code"
    saved = []
    for index in range(KEEP_MODULES + 5):
        module = save_learner_module(f"def work(n):\n    return n + {index}\n", folder)
        os.utime(module.path, (1_000_000 + index, 1_000_000 + index))
        saved.append(module)
    remaining = sorted(folder.glob(f"{MODULE_PREFIX}*.py"))
    assert len(remaining) == KEEP_MODULES
    assert saved[-1].path in remaining
    assert saved[0].path not in remaining


def _spawned_work(spec: str, value: int, queue) -> None:
    from tutor.engine.workloads import import_function

    queue.put(import_function(spec)(value))


def test_a_spawned_process_imports_the_saved_module(tmp_path, monkeypatch):
    """Spawn hands the parent's sys.path to the child: the run helper finds the module."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    module = save_learner_module(DOUBLE, tmp_path / "code")
    make_importable(module.path.parent)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_spawned_work, args=(module.function_spec, 5, queue))
    process.start()
    try:
        assert queue.get(timeout=60) == 10
    finally:
        process.join(10)
    assert process.exitcode == 0


RAISING = "def helper(n):\n    return 1 / (n - 7)\n\n\ndef work(n):\n    return helper(n)\n"


def _traceback_of(module: LearnerModule) -> str:
    spec = importlib.util.spec_from_file_location(module.module_name, module.path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)

    def engine_frame():  # stands in for the engine's own frames around the call
        return loaded.work(7)

    try:
        engine_frame()
    except ZeroDivisionError:
        return traceback.format_exc()
    raise AssertionError("work(7) should raise")


def test_the_error_line_is_the_innermost_frame_in_the_learners_file(tmp_path):
    module = save_learner_module(RAISING, tmp_path)
    text = _traceback_of(module)
    assert error_line(text, module) == 2
    other = LearnerModule(tmp_path / "learner_work_other.py", "learner_work_other")
    assert error_line(text, other) is None


def test_the_learners_traceback_keeps_only_their_frames(tmp_path):
    module = save_learner_module(RAISING, tmp_path)
    text = _traceback_of(module)
    short = learner_traceback(text, module)
    assert short.startswith("Traceback (most recent call last):")
    assert 'File "your code", line 6, in work' in short
    assert 'File "your code", line 2, in helper' in short
    assert "engine_frame" not in short
    assert str(tmp_path) not in short
    assert short.rstrip().endswith("ZeroDivisionError: division by zero")
    # Nothing of the learner's in it: left as it was.
    unrelated = 'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: no\n'
    assert learner_traceback(unrelated, module) == unrelated


@pytest.mark.parametrize("body", ["1+" * 200_000 + "1", "not " * 100_000 + "1"])
def test_code_nested_too_deeply_to_parse_is_a_problem_not_a_crash(body):
    # The parser gives up with RecursionError or MemoryError, which escaped the check: the
    # Run button then did nothing and said nothing.
    problem = check_source(f"def work(n):\n    return {body}\n")
    assert problem is not None and "too deeply" in problem.text()
