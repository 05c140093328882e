"""A process pool's run sleeps while its workers compute: it wakes for a chunk, a cancel or a
worker's death, never to look around (a look took a core from a worker each time)."""

from __future__ import annotations

import multiprocessing.connection
import sys
import threading
import time
from pathlib import Path

import pytest
from process_checks import run_children

from tutor.engine.cancel import CancelToken, RunCancelled
from tutor.engine.pool_wait import Doorbell
from tutor.engine.records import RunConfig
from tutor.engine.runners import run


def _voluntary_switches(thread_id: int) -> int:
    """How many times the thread `thread_id` (native id) has gone to sleep so far (Linux)."""
    status = Path(f"/proc/self/task/{thread_id}/status").read_text(encoding="utf-8")
    line = next(line for line in status.splitlines() if line.startswith("voluntary_ctxt"))
    return int(line.split()[1])


@pytest.mark.timeout(120)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/task")
@pytest.mark.parametrize("mode", ["processes", "executor", "threads"])
def test_the_run_thread_sleeps_while_a_chunk_computes(mode):
    # One worker, two chunks of 3,000 items that each wait 1 ms: between the first chunk's
    # report and the second's, the worker computes for at least three seconds. A loop that
    # looked at the pool 20 times a second went to sleep and woke 20 times each second.
    switches: list[int] = []
    seconds: list[float] = []
    me = threading.get_native_id()

    def on_chunk(timing) -> None:
        switches.append(_voluntary_switches(me))
        seconds.append(time.monotonic())

    result = run(RunConfig("sleep", 6_000, mode, 1, chunks=2), on_chunk=on_chunk)
    assert result.answer == 6_000
    assert len(switches) == 2
    waited_s = seconds[1] - seconds[0]  # longer on a busy machine: a rate, not a speed
    # Waking for the one chunk that arrives takes a few sleeps (the pipe, the GIL), and the
    # safety look once a second (LIMITS.pool_watch_tick) one or two more each second.
    assert switches[1] - switches[0] <= 6 + 3 * waited_s, (switches, waited_s)
    assert run_children() == []


@pytest.mark.timeout(60)
def test_a_cancel_rings_the_bell_a_run_sleeps_on():
    token, bell = CancelToken(), Doorbell()
    woke: list[list] = []
    sleeper = threading.Thread(
        target=lambda: woke.append(multiprocessing.connection.wait([bell.waitable]))
    )
    forget = token.on_cancel(bell.ring)
    sleeper.start()
    token.cancel()
    sleeper.join(60)  # wait() has no timeout: only the ring can end it
    assert woke == [[bell.waitable]]
    bell.clear()
    assert not bell.waitable.poll()  # cleared: the next wait sleeps again
    forget()
    bell.close()
    token.cancel()  # a cancel after the run forgot its bell rings nothing
    bell.ring()  # and a late ring on a closed bell is harmless


@pytest.mark.timeout(60)
def test_rings_before_a_clear_wake_once_and_rings_after_it_wake_again():
    bell = Doorbell()
    for _ in range(1_000):  # never blocks, however often it rings
        bell.ring()
    assert multiprocessing.connection.wait([bell.waitable], timeout=60) == [bell.waitable]
    bell.clear()
    assert multiprocessing.connection.wait([bell.waitable], timeout=0) == []
    bell.ring()
    assert multiprocessing.connection.wait([bell.waitable], timeout=60) == [bell.waitable]
    bell.close()


def test_on_cancel_calls_back_on_each_cancel_and_at_once_when_already_cancelled():
    token = CancelToken()
    calls: list[str] = []
    forget = token.on_cancel(lambda: calls.append("a"))
    token.cancel()
    token.cancel()
    assert calls == ["a", "a"]
    forget()
    forget()  # twice is harmless
    token.cancel()
    assert calls == ["a", "a"]
    token.on_cancel(lambda: calls.append("late"))  # already cancelled: called at once
    assert calls == ["a", "a", "late"]


@pytest.mark.timeout(60)
def test_a_cancel_from_a_signal_handler_ends_a_sleeping_run():
    """Ctrl+C: the CLI's handler cancels in the very thread that sleeps in the run."""
    import signal

    if not hasattr(signal, "SIGALRM"):
        pytest.skip("no SIGALRM here")
    token = CancelToken()
    previous = signal.signal(signal.SIGALRM, lambda *_: token.cancel())
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)  # the run is computing by then
        with pytest.raises(RunCancelled):
            run(RunConfig("primes", 50_000_000, "processes", 2), cancel=token)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert run_children() == []
