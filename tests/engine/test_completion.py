"""Finished futures come back as they finish (tutor.engine.completion), from real threads and
from runs of thousands of chunks on the executor and on loky."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from tutor.engine.completion import CompletionQueue
from tutor.engine.modes import unavailable_reason
from tutor.engine.records import RunConfig
from tutor.engine.runners import run

WAIT_S = 60.0  # a bound for a batch that is sure to come: never reached on a working queue


def test_futures_come_back_in_the_order_they_finished_and_only_once():
    completed = CompletionQueue()
    futures = [Future() for _ in range(4)]
    for future in futures:
        completed.add(future)
    assert completed.pending == 4
    assert completed.next_batch(0.01) == []  # none finished yet

    futures[2].set_result("c")
    futures[0].set_result("a")
    assert completed.next_batch(WAIT_S) == [futures[2], futures[0]]
    assert completed.pending == 2

    futures[3].set_exception(ValueError("d"))
    futures[1].set_result("b")
    assert completed.next_batch(WAIT_S) == [futures[3], futures[1]]
    assert completed.pending == 0
    assert completed.next_batch(0.01) == []


def test_a_future_already_done_when_added_comes_back_at_once():
    done: Future[int] = Future()
    done.set_result(7)
    completed = CompletionQueue()
    completed.add(done)
    assert completed.next_batch(0.0) == [done]


def test_futures_finished_by_other_threads_all_come_back():
    release = threading.Event()
    with ThreadPoolExecutor(max_workers=4) as pool:
        completed = CompletionQueue()
        futures = [pool.submit(lambda i=i: release.wait(WAIT_S) and i) for i in range(200)]
        for future in futures:
            completed.add(future)
        release.set()
        seen: list[Future] = []
        while completed.pending:
            batch = completed.next_batch(WAIT_S)
            assert batch, "a finished future never came back"
            seen += batch
    assert sorted(f.result() for f in seen) == list(range(200))
    assert len({id(f) for f in seen}) == 200


@pytest.mark.parametrize("mode", ["executor", "loky"])
def test_thousands_of_chunks_are_each_reported_once(mode, no_children_left):
    """The runners that wait on futures, with enough chunks that waiting on all of them at
    every turn was the run's main cost (tests/perf/many_chunks.py)."""
    if unavailable_reason(mode):
        pytest.skip(str(unavailable_reason(mode)))
    chunks = 3_000
    seen: list[int] = []
    result = run(
        RunConfig("squares", 300_000, mode, 2, "spawn", chunks=chunks),
        on_chunk=lambda timing: seen.append(timing.index),
    )
    assert result.answer == sum(i * i for i in range(300_000))
    assert sorted(seen) == list(range(chunks))
    assert sorted(c.index for c in result.chunks) == list(range(chunks))
    assert no_children_left(5.0) == []
