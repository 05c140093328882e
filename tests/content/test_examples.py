"""Every catalogued example runs for real, prints what the lesson promises and cleans up."""

from __future__ import annotations

import importlib.util
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


# Examples run with the smaller size a learner may give on the command line: (arguments,
# {the catalogue's line for the default size: the line for this size}). The default size's
# line is checked without the run, by test_threads_vs_processes_counts_to_600000_by_default.
SMALLER = {"threads_vs_processes": (["100000"], {"49,098 primes": "9,592 primes"})}


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_example_runs(example: Example, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    env = {**os.environ, "PYTHONUNBUFFERED": "1", MARKER: marker}
    env.pop("PYTHONPATH", None)  # examples need nothing but the standard library
    arguments, lines = SMALLER.get(example.id, ([], {}))
    expect = [lines.get(text, text) for text in example.expect]
    child = subprocess.Popen(
        [sys.executable, str(example.path), *arguments],
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
    missing = [text for text in expect if text not in output]
    assert not missing, f"{example.id}: output lacks {missing}:\n{output}"

    deadline = time.monotonic() + 5
    while (left := _leftovers(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    _kill(left)
    assert not left, f"{example.id} left processes behind: {[p.pid for p in left]}"


def primes_up_to(limit: int) -> int:
    """How many primes are <= limit, by a sieve (not the example's own trial division)."""
    sieve = bytearray([1]) * (limit + 1)
    sieve[:2] = b"\x00\x00"
    for n in range(2, int(limit**0.5) + 1):
        if sieve[n]:
            sieve[n * n :: n] = bytes(len(range(n * n, limit + 1, n)))
    return sum(sieve)


def test_threads_vs_processes_counts_to_600000_by_default() -> None:
    """The catalogue's "49,098 primes" is the count its default run prints: test_example_runs
    runs it to 100,000 (9,592 primes) and the example counts right for any limit it is given."""
    example = get_example("threads_vs_processes")
    spec = importlib.util.spec_from_file_location("threads_vs_processes", example.path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines; the timing runs only under __main__
    assert module.LIMIT == 600_000
    assert f"{primes_up_to(module.LIMIT):,} primes" in example.expect
    assert primes_up_to(100_000) == 9_592
    chunks = module.make_chunks(2_000, module.CHUNKS)
    assert module.in_a_loop(chunks, 1) == primes_up_to(2_000)


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
