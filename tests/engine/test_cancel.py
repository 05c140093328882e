"""The cancel ladder: one token, one table of limits with reasons, a typed message on the pipe."""

from __future__ import annotations

import ast
import pickle
import threading
from pathlib import Path

import pytest

from tutor.engine import cancel as cancel_module
from tutor.engine.cancel import LIMITS, CancelLimits, CancelToken, Limit, RunCancelled
from tutor.engine.events import CancelRequest
from tutor.engine.hosted import run_in_helper
from tutor.engine.records import RunConfig

TUTOR = Path(cancel_module.__file__).resolve().parents[1]


def test_every_limit_is_a_positive_number_of_seconds_with_its_reason():
    limits = LIMITS.all()
    assert len(limits) >= 10
    for name, limit in limits.items():
        assert isinstance(limit, Limit), name
        assert limit.seconds > 0, name
        # A reason is a sentence that says what the limit is for, not a placeholder.
        assert len(limit.reason.split()) >= 8, (name, limit.reason)
    assert len({limit.reason for limit in limits.values()}) == len(limits)


def test_the_table_cannot_be_changed_at_run_time():
    with pytest.raises(AttributeError):
        LIMITS.poll = Limit(1.0, "x")  # type: ignore[misc]
    assert CancelLimits() == LIMITS


def test_the_ladder_is_written_once_in_the_cancel_module():
    doc = cancel_module.__doc__ or ""
    rungs = ["Cooperative", "Grace", "Kill the helper", "Workers notice the parent"]
    positions = [doc.find(f"**{rung}") for rung in rungs]
    assert -1 not in positions and positions == sorted(positions)
    for name in LIMITS.all():
        if name in ("poll", "cancel_grace", "bench_grace", "parent_poll", "parent_grace"):
            assert f"LIMITS.{name}" in doc, name


def _number_assignments(path: Path) -> list[str]:
    """Module-level `NAME = <number>` whose name says poll, grace or join."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Constant):
            continue
        for target in node.targets:
            name = getattr(target, "id", "")
            if any(word in name for word in ("POLL", "GRACE", "JOIN")):
                found.append(f"{path.relative_to(TUTOR)}: {name}")
    return found


def test_no_poll_grace_or_join_limit_is_set_outside_the_table():
    spread = [hit for path in TUTOR.rglob("*.py") for hit in _number_assignments(path)]
    assert spread == []


def test_a_token_wakes_a_waiting_thread_and_raises_when_asked():
    token = CancelToken()
    token.raise_if_cancelled()  # not yet
    woke: list[bool] = []
    waiter = threading.Thread(target=lambda: woke.append(token.wait(60)))
    waiter.start()
    token.cancel()
    waiter.join(60)
    assert woke == [True] and token.cancelled and token.event.is_set()
    with pytest.raises(RunCancelled):
        token.raise_if_cancelled()
    token.cancel()  # twice is harmless
    assert token.cancelled


def test_the_cancel_message_is_a_typed_record_that_survives_the_pipe():
    sent = CancelRequest()
    assert pickle.loads(pickle.dumps(sent)) == sent
    assert sent != "cancel"


@pytest.mark.timeout(120)
def test_a_real_run_in_a_helper_cancels_through_the_pipe(no_children_left):
    """The CLI's path: the token is set once chunks flow; the helper hears the typed message,
    the run stops, and nothing it started is left."""
    token = CancelToken()
    chunks: list[object] = []

    def on_chunk(timing: object) -> None:
        chunks.append(timing)
        token.cancel()

    config = RunConfig("primes", 50_000_000, "processes", 2, chunks=400)
    with pytest.raises(RunCancelled):
        run_in_helper(config, on_chunk=on_chunk, cancel=token, output_to_stderr=False)
    assert chunks  # it had started computing
    assert no_children_left(10.0) == []
