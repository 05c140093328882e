"""`mp-tutor bench --function`: whatever number the function returns, the CLI reports it (#14)."""

from __future__ import annotations

import json
import re

import pytest
from cli_helpers import SCRIPT, bench, bench_env, in_process_bench, leftovers

pytestmark = [
    pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed"),
    pytest.mark.timeout(120),
]


def table_rows(stdout: str) -> list[str]:
    """The table's run rows: after the title, header and rule; without the `warning:` lines a
    busy machine adds under a noisy run, or `note:` lines."""
    lines = stdout.splitlines()[3:]
    return [line for line in lines if not line.startswith(("warning:", "note:"))]


def _bench(function: str, *args: str):
    env = bench_env()
    done = bench("--function", f"learner_values:{function}", "--size", "10", *args, env=env)
    assert leftovers(env) == []
    return done


@pytest.fixture
def bench_here(capfd, monkeypatch):
    """`mp-tutor bench --function learner_values:FUNCTION --size 10 ARGS` in this process,
    real child processes still doing the work (cli_helpers.in_process_bench): the script's
    own start-up adds nothing to what these tests check. The first and the last test of the
    file go through the installed script."""
    run = in_process_bench(capfd, monkeypatch)
    return lambda function, *args: run(
        "--function", f"learner_values:{function}", "--size", "10", *args
    )


def test_a_huge_int_is_shown_shortened_in_the_table():
    done = _bench("huge_int", "--mode", "sequential,processes", "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    rows = table_rows(done.stdout)
    assert len(rows) == 2
    assert all("≈1.0e5001 (5,002 digits) ✓" in row for row in rows)


def test_a_huge_int_in_json_is_a_string(bench_here):
    done = bench_here("huge_int", "--mode", "threads", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["result"] == "≈1.0e5001 (5,002 digits)"


def test_nan_is_strict_json_and_matches_itself(bench_here):
    done = bench_here("not_a_number", "--mode", "sequential,executor", "--workers", "2", "--json")
    assert done.returncode == 0, done.stderr
    assert "NaN" not in done.stdout
    runs = json.loads(done.stdout, parse_constant=pytest.fail)
    assert [r["result"] for r in runs] == ["nan", "nan"]
    assert [r["matches_sequential"] for r in runs] == [True, True]


def test_nan_in_the_table_is_marked_the_same_as_sequential(bench_here):
    done = bench_here("not_a_number", "--mode", "sequential,threads", "--workers", "2")
    assert done.returncode == 0, done.stderr
    rows = table_rows(done.stdout)
    assert all("nan ✓" in row for row in rows), rows


def test_an_overflow_in_the_total_is_not_an_error(bench_here):
    done = bench_here("overflows_fsum", "--mode", "processes", "--workers", "2", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["result"] == "inf"


@pytest.mark.parametrize(
    ("function", "exported"),
    [("fraction", "10/3"), ("decimal", "1.0"), ("complex_number", "(45+10j)"), ("boolean", 5)],
)
def test_other_number_types(function, exported, bench_here):
    done = bench_here(function, "--mode", "sequential,processes", "--workers", "2", "--json")
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout)
    assert [r["result"] for r in runs] == [exported, exported]
    assert all(r["matches_sequential"] for r in runs)


@pytest.mark.parametrize("mode", ["sequential", "processes"])
def test_a_non_number_is_refused_in_one_line(mode, bench_here):
    done = bench_here("text", "--mode", mode, "--workers", "2")
    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert first.startswith("mp-tutor bench: run failed: ")
    # Which chunk fails first varies with the processes: any n may be named.
    assert re.search(r"text\(\) returned a str \('seven'\) for n = \d+ \(line 52\): it must", first)
    assert "NotANumber" not in done.stderr and "Traceback" not in done.stderr


def test_none_is_refused_without_a_traceback_and_in_json():
    done = _bench("nothing", "--mode", "sequential,processes", "--workers", "2", "--json")
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "mp-tutor bench: run failed: nothing() returned None for n = 0 (line 56): it must "
        "return a number, an int or a float (the tutor adds up what it returns)"
    )
    assert "Traceback" not in done.stderr and "tutor." not in done.stderr
    error = json.loads(done.stdout)[-1]["error"]
    assert error["kind"] == "not a number" and "returned None" in error["message"]
