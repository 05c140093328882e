"""`mp-tutor bench --function module:function` finds the module in the folder it runs in."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "mp-tutor"

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed")


def bench(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), "bench", *args], cwd=folder, capture_output=True, text=True, timeout=120
    )


def test_a_module_beside_the_learner_runs_in_every_worker(tmp_path):
    (tmp_path / "cubes_here.py").write_text("def cube(n):\n    return n ** 3\n")
    done = bench(
        tmp_path, "--function", "cubes_here:cube", "--size", "2000", "--mode", "processes,threads"
    )
    assert done.returncode == 0, done.stderr
    assert f"{sum(n**3 for n in range(2000)):,}" in done.stdout


def test_the_json_result_of_a_module_in_the_current_folder(tmp_path):
    (tmp_path / "squares_here.py").write_text("def sq(n):\n    return n * n\n")
    done = bench(
        tmp_path, "--function", "squares_here:sq", "--size", "3000", "--mode", "executor", "--json"
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["result"] == sum(n * n for n in range(3000))
    assert report["workers"] >= 1 and len(report["chunks"]) == report["chunk_count"]


def test_a_module_that_is_nowhere_says_where_it_was_looked_for(tmp_path):
    done = bench(tmp_path, "--function", "not_written_yet:work", "--size", "10")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert str(tmp_path) in done.stderr and "run mp-tutor from the folder" in done.stderr


def test_a_file_named_like_a_standard_module_is_told_to_be_renamed(tmp_path):
    # queue.py in the current folder: Python imports the standard library's queue first, and
    # the message was only "module 'queue' has no function 'work'".
    (tmp_path / "queue.py").write_text("def work(n):\n    return n\n")
    done = bench(tmp_path, "--function", "queue:work", "--size", "10", "--mode", "sequential")
    assert done.returncode == 2
    assert "has no function 'work'" in done.stderr
    assert "also a module Python found first" in done.stderr and "rename your file" in done.stderr
    assert str(tmp_path / "queue.py") in done.stderr
