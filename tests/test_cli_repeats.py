"""`mp-tutor bench --repeat`: repeats, spread and the busy-machine warning, through the script;
bad values through `bench_main` in this process."""

from __future__ import annotations

import json
import statistics

import pytest
from cpu_hog import cpu_hogs
from test_cli import SCRIPT, bench

from tutor import cli

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed")


def test_json_runs_carry_repeats_spread_and_reliability():
    done = bench("--size", "40000", "--mode", "sequential,processes", "--workers", "2",
                 "--repeat", "3", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    sequential, processes = json.loads(done.stdout)
    for run in (sequential, processes):
        assert len(run["repeats"]) == 3
        assert run["wall_s"] == statistics.median(run["repeats"])
        spread = (max(run["repeats"]) - min(run["repeats"])) / run["wall_s"]
        assert run["spread"] == pytest.approx(spread)
        reliability = run["reliability"]
        assert reliability["verdict"] in ("ok", "noisy")
        assert 0.0 <= reliability["other_cpu_fraction"] <= 1.0
        assert (reliability["verdict"] == "noisy") == bool(reliability["reasons"])
    # speedup from the two medians, measured in the same rounds
    assert processes["speedup"] == pytest.approx(sequential["wall_s"] / processes["wall_s"])
    # the workers each run really had, as the table and the window's CSV say
    assert (sequential["workers"], processes["workers"]) == (1, 2)


def test_a_single_run_is_one_repeat_with_no_spread():
    done = bench("--size", "20000", "--mode", "threads", "--workers", "2", "--json")
    assert done.returncode == 0, done.stderr
    run = json.loads(done.stdout)
    assert run["repeats"] == [run["wall_s"]] and run["spread"] == 0.0


@pytest.mark.parametrize("value", ["0", "51", "-3", "many"])
def test_a_bad_repeat_exits_2_with_one_line(value, capsys):
    # A usage error, found before any run: bench_main (what the script calls) in this process.
    # test_cli.py sends bad arguments through the script itself.
    assert cli.bench_main(["--size", "1000", "--repeat", value]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "repeat" in err and "Traceback" not in err


def test_a_run_beside_a_cpu_hog_is_followed_by_a_warning_line():
    with cpu_hogs():
        # 100,000 is enough: two hogs take about two thirds of the cores whatever the run's
        # length, far above the 15 % the warning needs (and the hogs burn a core each as long
        # as the run lasts).
        done = bench("--size", "100000", "--mode", "sequential,processes", "--workers", "2",
                     "--repeat", "2")  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = lines[1]
    assert "±" in header
    rows = lines[3:]
    for mode in ("sequential", "processes"):
        at = next(i for i, line in enumerate(rows) if line.split()[0] == mode)
        cells = rows[at].split()
        assert cells[5].endswith("%")  # mode, workers, result, ✓, wall s, ± (the spread)
        assert rows[at + 1].startswith("warning: other programs used")
