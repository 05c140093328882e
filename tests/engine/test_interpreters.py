"""Other interpreters: found, probed with real subprocesses, and running the real bench."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from process_checks import run_children

from tutor.engine import interpreter_bench as interp
from tutor.engine.cancel import CancelToken, RunCancelled
from tutor.engine.interpreter_bench import (
    BenchProcess,
    bench_command,
    bench_environment,
    comparison_steps,
    parse_bench_output,
    tutor_source_root,
    with_baselines,
)
from tutor.engine.interpreters import (
    InterpreterInfo,
    candidate_paths,
    current_interpreter,
    discover_interpreters,
    probe,
)
from tutor.engine.records import RunConfig
from tutor.engine.runners import run

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="fake interpreters are sh scripts")


@pytest.fixture(scope="module")
def found() -> list[InterpreterInfo]:
    return discover_interpreters()


@pytest.fixture(scope="module")
def other_python(found) -> InterpreterInfo:
    others = [i for i in found if i.supported and not i.is_current]
    if not others:
        pytest.skip("no Python 3.11+ besides the current one on this machine")
    return others[0]


def fake_python(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def answer(**fields) -> str:
    data = {
        "version": "3.14.0",
        "version_info": [3, 14, 0],
        "implementation": "CPython",
        "free_threaded": False,
        "gil_enabled": True,
        "executable": "x",
        **fields,
    }
    return f"echo '{json.dumps(data)}'"


# --------------------------------------------------------------------------- discovery
@posix_only
def test_candidates_come_from_path_and_pyenv_but_not_shims(tmp_path):
    on_path = tmp_path / "bin"
    shims = tmp_path / ".pyenv" / "shims"
    pyenv = tmp_path / ".pyenv" / "versions" / "3.13.1t" / "bin"
    for folder in (on_path, shims, pyenv):
        folder.mkdir(parents=True)
    expected = [
        fake_python(on_path, "python3", "true"),
        fake_python(on_path, "python3.12", "true"),
        fake_python(pyenv, "python3.13t", "true"),
    ]
    fake_python(on_path, "python3-config", "true")  # not an interpreter
    fake_python(shims, "python3.13", "true")  # a shim: skipped
    fake_python(pyenv, "python3", "true")  # unversioned names only on PATH
    (on_path / "python3.11").write_text("not executable")
    path_env = os.pathsep.join([str(on_path), str(shims)])
    found = candidate_paths(path_env=path_env, home=tmp_path)
    assert [p for p in found if p.startswith(str(tmp_path))] == [str(p) for p in expected]


@posix_only
def test_probe_reads_a_free_threaded_build(tmp_path):
    script = fake_python(tmp_path, "python3.14t", answer(free_threaded=True, gil_enabled=False))
    info = probe(str(script))
    assert info.supported and not info.error
    assert info.free_threaded and info.gil_off
    assert info.short_label == "3.14.0t"
    assert "GIL off" in info.label


@posix_only
def test_probe_names_a_free_threaded_build_with_the_gil_switched_back_on(tmp_path):
    script = fake_python(tmp_path, "python3.13t", answer(free_threaded=True, gil_enabled=True))
    info = probe(str(script))
    assert not info.gil_off
    assert "GIL back on" in info.label


@posix_only
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("sleep 30", "did not answer"),
        ("echo boom >&2; exit 3", "exit 3"),
        ("echo not json", "unexpected"),
    ],
)
def test_a_broken_interpreter_is_reported_not_waited_on(tmp_path, body, reason):
    script = fake_python(tmp_path, "python3.99", body)
    info = probe(str(script), timeout=1.0)
    assert reason in info.error
    assert not info.supported
    assert info.unsupported_reason == info.error


def test_probe_of_a_missing_file():
    info = probe("/nonexistent/python3.12")
    assert "cannot run" in info.error


def test_the_current_interpreter_comes_first_and_needs_no_probe(found):
    current = current_interpreter()
    assert found[0] == current
    assert current.is_current and current.supported
    assert current.version == ".".join(map(str, sys.version_info[:3]))
    assert sum(i.is_current for i in found) == 1


def test_discovery_probes_real_interpreters(found):
    # Every entry was really asked: a version, or the reason it could not tell.
    for info in found[1:]:
        assert info.version or info.error, info
        if info.version:
            assert tuple(info.version_info[:2]) >= (2, 0)
    supported = [i for i in found if i.supported]
    assert supported and supported[0].is_current
    # Unsupported ones come last, each with its reason.
    flags = [i.supported for i in found]
    assert flags == sorted(flags, reverse=True)
    for info in found:
        if not info.supported:
            assert info.unsupported_reason


def test_too_old_interpreters_are_named_with_their_reason(found):
    old = [i for i in found if i.version and not i.supported]
    if not old:
        pytest.skip("no interpreter older than 3.11 on this machine")
    assert "too old" in old[0].unsupported_reason
    assert "3.11" in old[0].unsupported_reason


def test_pyenv_interpreters_are_found_when_present(found):
    versions = Path.home() / ".pyenv" / "versions"
    wanted = {p.name for p in versions.glob("3.1[2-9]*") if any((p / "bin").glob("python3.*"))}
    if not wanted:
        pytest.skip("no pyenv Python 3.12+ here")
    assert wanted <= {i.version + ("t" if i.free_threaded else "") for i in found}


def test_discovery_stops_when_asked():
    stop = CancelToken()
    stop.cancel()
    assert discover_interpreters(stop=stop) == [current_interpreter()]


# --------------------------------------------------------------------------- the bench
def test_the_package_folder_is_runnable_from_source():
    root = tutor_source_root()
    assert root is not None and (root / "tutor" / "cli.py").is_file()
    env = bench_environment(root, {"PYTHONHOME": "/x", "PATH": "/bin"})
    assert env["PYTHONPATH"] == str(root) and "PYTHONHOME" not in env


def test_bench_command_and_steps():
    config = RunConfig("primes", 50_000, mode="threads", workers=1, start_method="spawn")
    command = bench_command("/usr/bin/python3.13", config, ("sequential", "threads"))
    assert command[:6] == ["/usr/bin/python3.13", "-S", "-m", "tutor", "bench", "--json"]
    assert command[command.index("--mode") + 1] == "sequential,threads"
    assert "--chunks" not in command
    steps = comparison_steps(config, 3)
    assert [(c.workers, modes) for c, modes in steps] == [
        (1, ("sequential", "threads", "processes")),
        (2, ("threads", "processes")),
        (3, ("threads", "processes")),
    ]


def test_json_round_trip_and_baselines():
    results = [
        run(RunConfig("primes", 3_000, mode=m, workers=1)) for m in ("sequential", "threads")
    ]
    one = parse_bench_output(json.dumps(results[1].to_json()))
    both = parse_bench_output(json.dumps([r.to_json() for r in results]))
    assert len(one) == 1 and len(both) == 2
    assert both[1].chunks == results[1].chunks
    assert both[1].wall_s == results[1].wall_s and both[1].answer == 430
    attached = with_baselines(both, None)
    assert attached[1].baseline_s == both[0].wall_s and attached[1].matches_baseline
    assert with_baselines(one, both[0])[0].speedup == pytest.approx(both[0].wall_s / one[0].wall_s)


def test_the_cli_needs_nothing_but_the_standard_library(other_python):
    """Under another Python, with no site-packages at all, tutor.cli imports only stdlib."""
    root = tutor_source_root()
    code = (
        "import sys, json; import tutor.cli, tutor.__main__; "
        "print(json.dumps([sorted(sys.modules), sorted(sys.stdlib_module_names)]))"
    )
    done = subprocess.run(
        [other_python.path, "-S", "-c", code],
        env=bench_environment(root),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(root),
    )
    assert done.returncode == 0, done.stderr
    modules, stdlib = json.loads(done.stdout)
    outside = {
        m
        for m in modules
        if m.split(".")[0] not in set(stdlib) | {"tutor", "__main__", "__mp_main__"}
    }
    assert outside == set()
    ours = {m for m in modules if m.startswith("tutor.")}
    assert ours <= {"tutor.cli", "tutor.cli_io", "tutor.__main__"} | {
        m for m in ours if m.startswith("tutor.engine")
    }


def test_bench_runs_under_another_interpreter(other_python):
    config = RunConfig("primes", 20_000, mode="threads", workers=2, chunks=37)
    bench = BenchProcess(other_python.path, config, ("sequential", "threads", "processes"))
    results = with_baselines(bench.run(timeout=120), None)
    assert [r.config.mode for r in results] == ["sequential", "threads", "processes"]
    for result in results:
        assert result.answer == 2262 and result.matches_baseline
        assert result.python == other_python.version
        assert result.chunk_count == 37 and len(result.chunks) == 37
    assert all(c.received_s is not None for c in results[2].chunks)
    assert results[2].speedup is not None


def test_a_bench_under_another_interpreter_cancels_promptly(other_python):
    config = RunConfig("primes", 50_000_000, mode="processes", workers=2)
    bench = BenchProcess(other_python.path, config, ("processes",))
    outcome: list[object] = []
    thread = threading.Thread(target=lambda: outcome.append(_run_catching(bench)))
    thread.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(run_children()) < 3:  # bench + 2 workers
        time.sleep(0.05)
    assert bench.pid is not None
    bench.cancel()
    thread.join(20)
    assert not thread.is_alive()
    assert isinstance(outcome[0], RunCancelled)


def test_a_failing_bench_says_why(other_python):
    config = RunConfig("primes", 1_000, mode="threads", workers=1, start_method="nope")
    with pytest.raises(interp.BenchFailed, match="start_method"):
        BenchProcess(other_python.path, config, ("threads",)).run(timeout=60)


def _run_catching(bench: BenchProcess) -> object:
    try:
        return bench.run()
    except Exception as exc:  # noqa: BLE001 - the test inspects it
        return exc
