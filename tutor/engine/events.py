"""The messages on a helper process's pipe: what the parent sends and what the run reports.

The parent sends one kind of message, `CancelRequest`; the helper answers with `RunEvent`s,
in order: `HelperReady`, `RunStarted`, any number of `ChunksFinished` and `OutputArrived`,
then exactly one terminal event (`TERMINAL_EVENTS`). Every message is a frozen dataclass of
plain records, so it pickles across the pipe and reads the same in the CLI, the controller and
the widgets.
Transport: tutor.engine.helper_process. Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor.engine.failures import ImportProblem
from tutor.engine.records import ChunkTiming, RunConfig, RunResult, WorkerFailure
from tutor.engine.timing_columns import TimingColumns


@dataclass(frozen=True)
class CancelRequest:
    """Parent → helper: stop the run (step 1 of the ladder in tutor.engine.cancel)."""


@dataclass(frozen=True)
class ConfigEvent:
    """A message about one run: `config` says which (a comparison or sweep has many)."""

    config: RunConfig


@dataclass(frozen=True)
class HelperReady(ConfigEvent):
    """The helper is up (its Python and the engine imported) and starts on the run: importing
    the learner's module comes next. A run's time limit counts from here, so a slow start on a
    busy machine never eats the learner's seconds."""


@dataclass(frozen=True)
class RunStarted(ConfigEvent):
    """The config passed validation and the function imported: the run's totals."""

    chunks_total: int
    items_total: int


@dataclass(frozen=True)
class ChunksFinished:
    """Chunks that finished since the last such event (batched, ~30 a second at most)."""

    chunks: tuple[ChunkTiming, ...]


@dataclass(frozen=True)
class RunFinished:
    """The run's result (terminal). `chunks_streamed`: its chunks were all sent before, in
    ChunksFinished events, and are left out here (HelperRun.poll puts them back): one pickle of
    100,000 chunks takes the reading thread a second or more inside one C call that never lets
    go of the GIL, and with it the window's event loop. `columns`: the chunks' timings as
    arrays, from a helper, for whoever must read every chunk's times (the time breakdown)
    without walking the records."""

    result: RunResult
    chunks_streamed: bool = False
    columns: TimingColumns | None = None


@dataclass(frozen=True)
class RunFailedEvent(ConfigEvent):
    """`config`'s run failed: a worker raised or died, or the helper itself died (terminal)."""

    failure: WorkerFailure


@dataclass(frozen=True)
class RunCancelledEvent(ConfigEvent):
    """The run stopped on a CancelRequest; no worker is left (terminal)."""


@dataclass(frozen=True)
class OutputArrived(ConfigEvent):
    """Text the learner's code printed (helper and workers) during `config`'s run, when the
    run captures output."""

    text: str


@dataclass(frozen=True)
class RunRejected:
    """The config was invalid (ValueError); `message` names the field (terminal).

    `import_problem`: set when the learner's module could not be imported, with what went
    wrong as fields (no need to read it out of `message`).
    """

    message: str
    import_problem: ImportProblem | None = None


RunEvent = (
    HelperReady
    | RunStarted
    | ChunksFinished
    | RunFinished
    | RunFailedEvent
    | RunCancelledEvent
    | RunRejected
    | OutputArrived
)
TERMINAL_EVENTS = (RunFinished, RunFailedEvent, RunCancelledEvent, RunRejected)
