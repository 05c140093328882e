"""What every engine test of `engine_work:raises_on_seven` expects of the failure it reports."""

from __future__ import annotations

from tutor.engine.records import WorkerFailure


def assert_the_seven_failure(failure: WorkerFailure) -> None:
    """The learner's exception as raised at item 7: its type, message and a traceback that
    shows the learner's own line and function."""
    assert failure.kind == "raised"
    assert failure.exc_type == "ArithmeticError"
    assert "seven is not allowed here" in failure.message
    assert 'raise ArithmeticError("seven is not allowed here")' in failure.traceback
    assert "raises_on_seven" in failure.traceback
