"""Which process workers arm the parent-death signal: only those running a learner's function.

The guard is for a learner's long C call that holds the GIL; a built-in workload's worker
leaves through its parent-watch thread (tests/engine/test_runners_faults.py kills the parent
of a primes run with kill -9), and skipping the guard keeps ctypes out of its start-up.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tutor.engine.workloads import WORKLOADS

FIXTURES_ON_PATH = "import sys; sys.path.insert(0, {fixtures!r})\n"


def _in_fresh_python(code: str) -> str:
    """stdout of `code` run by a new interpreter, as a spawned worker starts: nothing loaded."""
    from pathlib import Path

    fixtures = str(Path(__file__).resolve().parent / "fixtures")
    done = subprocess.run(
        [sys.executable, "-c", FIXTURES_ON_PATH.format(fixtures=fixtures) + code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.parametrize("workload", sorted(WORKLOADS))
def test_a_process_worker_of_a_built_in_workload_never_loads_ctypes(workload):
    code = (
        "from tutor.engine.worker import ChunkTask, run_chunk_in_process\n"
        f"outcome = run_chunk_in_process(ChunkTask({workload!r}, None, 0, range(0, 3), 0.0))\n"
        "assert not outcome.failed, outcome\n"
        "print('ctypes' in sys.modules)\n"
    )
    assert _in_fresh_python(code) == "False"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal: Linux")
def test_a_learner_function_computes_with_the_parent_death_signal_armed_then_disarmed():
    code = (
        "from tutor.engine.worker import ChunkTask, run_chunk_in_process\n"
        "from engine_work import parent_death_signal\n"
        "task = ChunkTask('custom', 'engine_work:parent_death_signal', 0, range(0, 1), 0.0)\n"
        "outcome = run_chunk_in_process(task)\n"
        "assert not outcome.failed, outcome\n"
        "print(outcome.value, parent_death_signal(0))\n"
    )
    import signal

    assert _in_fresh_python(code) == f"{int(signal.SIGKILL)} 0"
