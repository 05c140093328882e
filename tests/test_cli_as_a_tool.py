"""`mp-tutor bench` in pipes, on other code pages, with odd arguments and partial failures (#14)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cli_helpers import SCRIPT, bench, bench_env, leftovers

pytestmark = [
    pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed"),
    pytest.mark.timeout(120),
]


@pytest.mark.parametrize("args", [["--json"], []])
def test_a_reader_that_leaves_early_gives_no_traceback(args):
    """`mp-tutor bench | head -1`, made certain: the reading end is closed before any output."""
    env = bench_env()
    cli = subprocess.Popen(
        [str(SCRIPT), "bench", "--size", "1000", "--mode", "sequential,threads", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    cli.stdout.close()
    stderr = cli.stderr.read().decode()
    cli.wait(60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert "Exception ignored" not in stderr
    assert leftovers(env) == []


def shell_bench(arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`mp-tutor bench ARGUMENTS` through the shell (for its pipes and redirections)."""
    return subprocess.run(
        f'"{SCRIPT}" bench {arguments}',
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="uses head")
def test_a_shell_pipe_into_head():
    env = bench_env()
    done = shell_bench("--size 1000 --mode sequential,threads | head -1", env)
    assert done.stdout.startswith("primes N=1,000")
    assert "Traceback" not in done.stderr
    assert leftovers(env) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/dev/full and >&- in sh")
@pytest.mark.parametrize("redirect", ["> /dev/full", ">&-"])
def test_output_that_cannot_be_written_is_one_line_and_exit_1(redirect):
    """A full disk gave an OSError traceback (exit 1); a closed stdout lost the results with
    exit 0."""
    env = bench_env()
    done = shell_bench(f"--size 1000 --mode sequential --json {redirect}", env)
    assert done.returncode == 1
    assert done.stderr.startswith("mp-tutor: cannot write the output: ")
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert leftovers(env) == []


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_a_stdout_without_the_marks_gets_ascii_ones(encoding):
    env = bench_env(PYTHONIOENCODING=encoding)
    done = subprocess.run(
        [str(SCRIPT), "bench", "--size", "1000", "--mode", "sequential,threads"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode(encoding)
    assert "168 ok" in text and "1.00x" in text
    assert leftovers(env) == []


@pytest.mark.parametrize(
    ("flag", "names"), [("--function", "function"), ("--workload", "workload")]
)
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_value_is_refused(flag, names, value):
    done = bench(flag, value, "--size", "10", timeout=30)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mp-tutor bench: error: {names}: empty")


def test_json_keeps_the_runs_that_finished_when_a_later_mode_fails():
    env = bench_env()
    done = bench(
        "--function", "learner_crashes:fails_off_the_main_thread", "--size", "10",
        "--mode", "sequential,threads", "--workers", "2", "--json", env=env,
    )  # fmt: skip
    assert leftovers(env) == []
    assert done.returncode == 1
    first, failed = json.loads(done.stdout)
    assert first["mode"] == "sequential" and first["result"] == 45
    assert failed["error"]["mode"] == "threads"
    assert failed["error"]["kind"] == "raised"
    assert "not on a thread, please" in failed["error"]["message"]
    assert done.stderr.startswith("mp-tutor bench: run failed: ")


MODULE = "def work(n):\n    return n * 2\n"


@pytest.mark.parametrize(
    "command",
    [[str(SCRIPT), "bench"], [sys.executable, "-m", "tutor", "bench"]],
    ids=["script", "-m"],
)
def test_a_function_in_the_current_folder_imports_either_way(command, tmp_path):
    (tmp_path / "mine_in_cwd.py").write_text(MODULE, encoding="utf-8")
    env = bench_env()
    env.pop("PYTHONPATH")
    done = subprocess.run(
        [*command, "--function", "mine_in_cwd:work", "--size", "10", "--mode", "processes",
         "--workers", "2", "--json"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["result"] == 90
    assert leftovers(env) == []


def test_a_missing_module_says_where_to_put_it(tmp_path):
    done = bench("--function", "not_here_at_all:work", "--size", "10", cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert "PYTHONPATH=." in done.stderr and "current folder" in done.stderr
