"""Cancel: a token set from another thread stops any run before its work is done, no child left.

No wall-clock limit here (a busy machine would break it): the runs below would take minutes, so
returning inside the test's timeout with only the quick chunk finished is the proof of a prompt
stop. How fast a cancel is lives in tests/perf.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from process_checks import run_children

from tutor.engine.cancel import CancelToken, RunCancelled
from tutor.engine.records import MODES, RunConfig, RunFailed
from tutor.engine.runners import run

LONG = RunConfig("primes", 50_000_000, "processes", 2)  # minutes of work, never finishes here


@pytest.mark.timeout(30)
@pytest.mark.parametrize("delay", [0.02, 0.6], ids=["during-start-up", "mid-run"])
@pytest.mark.parametrize("mode", MODES)
def test_cancel_stops_promptly_and_leaves_no_child(mode, delay):
    token = CancelToken()
    chunks = []
    timer = threading.Timer(delay, token.cancel)
    timer.start()
    try:
        with pytest.raises(RunCancelled):
            run(replace(LONG, mode=mode), on_chunk=chunks.append, cancel=token)
    finally:
        timer.cancel()
    assert run_children() == []  # gone when run() returns, not some time later
    assert all(c.index == 0 for c in chunks)  # only chunk 0 (multiples of 37) is quick

    # The engine is fine afterwards.
    assert run(RunConfig("primes", 10_000, mode, 2)).answer == 1_229


@pytest.mark.parametrize("mode", MODES)
def test_a_token_cancelled_before_the_run_starts(mode):
    token = CancelToken()
    token.cancel()
    with pytest.raises(RunCancelled):
        run(RunConfig("primes", 50_000_000, mode, 2), cancel=token)
    assert run_children() == []


def test_cancelled_is_not_a_failure():
    assert not issubclass(RunCancelled, RunFailed)
    assert not issubclass(RunFailed, RunCancelled)


def test_cancel_after_some_chunks_were_reported():
    """Chunks already delivered stay delivered; the run still ends as cancelled."""
    token = CancelToken()
    seen = []

    def on_chunk(timing) -> None:
        seen.append(timing)
        if len(seen) == 3:
            token.cancel()

    with pytest.raises(RunCancelled):
        run(
            RunConfig("primes", 3_000_000, "processes", 2, chunks=200),
            on_chunk=on_chunk,
            cancel=token,
        )
    assert len(seen) == 3
    assert run_children() == []
