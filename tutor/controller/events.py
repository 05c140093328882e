"""What the controllers' worker threads report to the GUI thread: frozen dataclasses.

A worker thread emits one of these (or one of the engine's own records, as the helper sent
them: `RunStarted`, `ChunksFinished`, `RunFinished`, `RunFailedEvent`, `RunCancelledEvent`,
`OutputArrived`, and `Progress`) through its single `event_emitted` signal; the
controller that owns it looks the event's type up in a table and re-emits it as its own typed
signal. No signal is named by a string anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.engine.records import RunConfig, RunResult

if TYPE_CHECKING:  # annotations only: the window's start-up needs neither module
    from tutor.engine.exercise_check import CheckResult
    from tutor.engine.interpreters import InterpreterInfo


@dataclass(frozen=True)
class InterpretersFound:
    """The interpreters a scan found (the current one always among them)."""

    interpreters: tuple[InterpreterInfo, ...]


@dataclass(frozen=True)
class ComparisonEvent:
    """News of the comparison under another Python, `interpreter`."""

    interpreter: InterpreterInfo


@dataclass(frozen=True)
class StepStarted(ComparisonEvent):
    """One step of a comparison under another Python began: it runs `config`.

    `done` counts the steps finished before this one (0 for the first), of `total` planned.
    """

    config: RunConfig
    done: int
    total: int


@dataclass(frozen=True)
class ResultsArrived(ComparisonEvent):
    """A step's results under `interpreter` (speedups against its own sequential run)."""

    results: tuple[RunResult, ...]


@dataclass(frozen=True)
class ComparisonFailed(ComparisonEvent):
    """The comparison under `interpreter` stopped; `reason` is one readable sentence."""

    reason: str


@dataclass(frozen=True)
class ComparisonCancelled(ComparisonEvent):
    """The learner cancelled the comparison under `interpreter`; no process is left."""


@dataclass(frozen=True)
class CheckFinished:
    """An exercise check ended (passed, failed, or cancelled: see `result.failure`)."""

    exercise_id: str
    result: CheckResult
