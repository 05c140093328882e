"""Every catalogued example runs for real, prints what the lesson promises and cleans up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from tutor.content.examples import Example, get_example, load_examples, read_catalogue
from tutor.content.lesson import load_lesson

EXAMPLES = load_examples()
MARKER = "MP_TUTOR_EXAMPLE_RUN"


def test_catalogue_is_valid() -> None:
    ids = [example.id for example in EXAMPLES]
    assert ids == [
        "basic_process",
        "main_guard",
        "pool_primes",
        "executor_heavy",
        "threads_vs_processes",
    ]
    sections = load_lesson().section_titles()
    for example in EXAMPLES:
        assert example.path.is_absolute() and example.path.is_file()
        assert example.path.suffix == ".py"
        assert example.section in sections
        assert example.expect and example.timeout_s > 0
        assert example.source == example.path.read_text(encoding="utf-8")
    assert next(e for e in EXAMPLES if e.id == "pool_primes").expect[0].endswith("9,592")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_examples_follow_the_house_rules(example: Example) -> None:
    source = example.source
    assert source.startswith('"""'), "starts with a docstring saying what it shows"
    assert 'if __name__ == "__main__":' in source
    assert "flush=True" in source
    imported = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imported <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)
    compile(source, str(example.path), "exec")


def test_get_example() -> None:
    assert get_example("pool_primes").title.startswith("Pool.map")
    with pytest.raises(KeyError, match="known examples: basic_process, main_guard"):
        get_example("nope")


def _leftovers(marker: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(MARKER) == marker:
                found.append(process)
        except (psutil.Error, OSError):
            continue
    return found


def _kill(processes: list[psutil.Process]) -> None:
    for process in processes:
        try:
            process.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(processes, timeout=5)


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_example_runs(example: Example, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    env = {**os.environ, "PYTHONUNBUFFERED": "1", MARKER: marker}
    env.pop("PYTHONPATH", None)  # examples need nothing but the standard library
    child = subprocess.Popen(
        [sys.executable, str(example.path)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so a hang can be killed entirely
    )
    try:
        output, _ = child.communicate(timeout=example.timeout_s)
    except subprocess.TimeoutExpired:
        if hasattr(os, "killpg"):
            os.killpg(child.pid, signal.SIGKILL)
        child.kill()
        output, _ = child.communicate()
        _kill(_leftovers(marker))
        pytest.fail(f"{example.id} did not finish in {example.timeout_s} s:\n{output}")

    assert child.returncode == example.expect_exit, output
    missing = [text for text in example.expect if text not in output]
    assert not missing, f"{example.id}: output lacks {missing}:\n{output}"

    deadline = time.monotonic() + 5
    while (left := _leftovers(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    _kill(left)
    assert not left, f"{example.id} left processes behind: {[p.pid for p in left]}"


# ---- catalogue validation -----------------------------------------------------------------

LESSON = "# Lesson\n\n## Basics\n\ntext\n"


def write_catalogue(tmp_path: Path, *entries: str) -> Path:
    (tmp_path / "demo.py").write_text('print("hi")\n', encoding="utf-8")
    path = tmp_path / "catalogue.toml"
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


def entry(**fields: object) -> str:
    values = {
        "id": "demo",
        "title": "Demo",
        "file": "demo.py",
        "section": "Basics",
        "expect": ["hi"],
        **fields,
    }
    lines = ["[[examples]]"]
    for key, value in values.items():
        if value is None:
            continue
        rendered = f'"{value}"' if isinstance(value, str) else repr(value).replace("'", '"')
        lines.append(f"{key} = {rendered}")
    return "\n".join(lines) + "\n"


def test_a_minimal_catalogue_loads(tmp_path: Path) -> None:
    (example,) = load_examples(write_catalogue(tmp_path, entry()), LESSON)
    assert example == Example("demo", "Demo", tmp_path / "demo.py", "Basics", ("hi",))
    assert example.source == 'print("hi")\n'


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([entry(file="missing.py")], r"example 'demo': file 'missing.py' does not exist"),
        ([entry(section="Advanced")], r"example 'demo': section 'Advanced' is not a '## '"),
        ([entry(), entry(title="Again")], r"example 'demo': this id is used by an earlier entry"),
        ([entry(id=None)], r"example #1: 'id' must be a non-empty string"),
        ([entry(id="Bad-Id")], r"example 'Bad-Id': 'id' must be lower_snake_case"),
        ([entry(expect=[])], r"example 'demo': 'expect' must be a non-empty list"),
        ([entry(timeout_s=0)], r"example 'demo': 'timeout_s' must be a positive number"),
        ([entry(expect_exit="1")], r"example 'demo': 'expect_exit' must be an integer"),
        ([entry(colour="red")], r"example 'demo': unknown key\(s\) colour"),
        ([], r"no \[\[examples\]\] entries"),
    ],
)
def test_invalid_catalogues_name_the_entry(tmp_path: Path, entries, message) -> None:
    path = write_catalogue(tmp_path, *entries)
    with pytest.raises(ValueError, match=message):
        load_examples(path, LESSON)


def test_catalogue_without_lesson_check(tmp_path: Path) -> None:
    path = write_catalogue(tmp_path, entry(section="Anywhere"))
    assert read_catalogue(path)[0].section == "Anywhere"
    with pytest.raises(ValueError, match="not found"):
        read_catalogue(tmp_path / "none.toml")
    path.write_text("[[examples]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="invalid TOML"):
        read_catalogue(path)
