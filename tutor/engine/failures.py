"""Why a run failed, as types: the failure kinds with their words, and import problems.

`RunFailureKind` names the six ways a run can fail; `FAILURE_TEXTS` holds, for each, the
headline a learner sees first and the advice that follows it, in one table. When the learner's
module cannot be imported, the engine says what went wrong as an `ImportProblem` (which kind,
which module, the exception's own words, the line) carried on `ImportFailed`, the events and
`WorkerFailure`: nobody has to read it back out of a message.

Qt-free; worker and helper processes import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RunFailureKind(StrEnum):
    """How a run failed. A StrEnum: it compares equal to its value ("raised", ...)."""

    RAISED = "raised"  # the work raised an exception (in a worker, or the run's own code)
    NOT_A_NUMBER = "not a number"  # the learner's work(n) returned a non-number: it raised nothing
    DIED = "died"  # a worker or helper process ended without finishing (signal, os._exit)
    TIMEOUT = "timeout"  # the run's time limit passed and it was stopped
    INVALID = "invalid"  # the settings (or the learner's module) could not run at all
    CLUSTER = "cluster"  # the Dask cluster itself failed (unreachable, no workers left)


@dataclass(frozen=True)
class FailureText:
    """What the window says about one kind of failure: a headline, then advice."""

    headline: str  # a short sentence start: "A worker process died"
    advice: str  # one or two sentences on what to look at next


FAILURE_TEXTS: dict[RunFailureKind, FailureText] = {
    RunFailureKind.RAISED: FailureText(
        "A worker raised an exception",
        "The last line of the details says what went wrong, and the lines above it where.",
    ),
    RunFailureKind.NOT_A_NUMBER: FailureText(
        "Your function returned something that is not a number",
        "Make every return of work(n) give an int or a float: the tutor adds up what it returns.",
    ),
    RunFailureKind.DIED: FailureText(
        "A worker process died",
        "os._exit(), a crash in C code or running out of memory end a process at once; "
        "the tutor noticed and cleaned up.",
    ),
    RunFailureKind.TIMEOUT: FailureText(
        "The run took too long",
        "Is there a loop that never ends? If the work is just slow, raise the limit or lower N.",
    ),
    RunFailureKind.INVALID: FailureText(
        "These settings cannot run",
        "The message names the setting to change; nothing was started.",
    ),
    RunFailureKind.CLUSTER: FailureText(
        "The Dask cluster could not run it",
        "Check that the scheduler is running and reachable from here, or leave the scheduler "
        "empty to start a local cluster.",
    ),
}


class ImportProblemKind(StrEnum):
    """What went wrong importing a learner's module (`module:function`)."""

    SYNTAX_ERROR = "syntax error"  # the file does not parse
    MODULE_NOT_FOUND = "module not found"  # the module, or one it imports, is not there
    PROCESS_AT_IMPORT = "process at import"  # its top level starts a process (no main guard)
    RAISED = "raised"  # its top level raised any other exception
    EXITED = "exited"  # its top level called sys.exit() or was interrupted
    NO_FUNCTION = "no function"  # it imported, but has no such callable
    STILL_IMPORTING = "still importing"  # the time limit passed while its top level ran


# Where the learner should look for each kind; the exception's own words follow.
LEARNER_CODE = "your code"  # what the learner's saved module is called in what they read

_IMPORT_ADVICE: dict[ImportProblemKind, str] = {
    ImportProblemKind.SYNTAX_ERROR: "the code is not valid Python",
    ImportProblemKind.MODULE_NOT_FOUND: "running the code outside work() failed",
    ImportProblemKind.PROCESS_AT_IMPORT: "running the code outside work() failed",
    ImportProblemKind.RAISED: "running the code outside work() failed",
    ImportProblemKind.EXITED: "running the code outside work() ended the program",
    ImportProblemKind.NO_FUNCTION: "the code defines no work(n)",
    ImportProblemKind.STILL_IMPORTING: "the code outside work() was still running at the "
    "time limit; only definitions belong at the top level: move other code into work() or "
    'under `if __name__ == "__main__":`',
}


@dataclass(frozen=True)
class ImportProblem:
    """Why `module` could not give the run its function.

    `detail`: the exception's own words, "TypeName: message" (tutor.engine.messages.describe),
    or "" when there was no exception; `exc_type`: that exception's class name; `line`: the
    1-based line in the module it points at, when known.
    """

    module: str
    kind: ImportProblemKind
    detail: str = ""
    exc_type: str = ""
    line: int | None = None

    def learner_reason(self) -> str:
        """What went wrong in a learner's words, without the module's generated name."""
        advice = _IMPORT_ADVICE[self.kind]
        if self.kind is ImportProblemKind.STILL_IMPORTING or not self.detail:
            return advice
        detail = self.detail.replace(self.module, LEARNER_CODE) if self.module else self.detail
        if self.kind is ImportProblemKind.PROCESS_AT_IMPORT:
            # A sentence of its own ("your code starts a process while …"): no type name.
            return detail.removeprefix(f"{self.exc_type}: ") if self.exc_type else detail
        return f"{advice} with {detail}"


class ImportFailed(ValueError):
    """The function's module could not be imported; `problem` says how.

    A ValueError, as every refused config is: its text is the message the CLI prints
    ("function: cannot import module 'm': ...").
    """

    def __init__(self, message: str, problem: ImportProblem) -> None:
        super().__init__(message)
        self.problem = problem

    def __reduce__(self) -> tuple:
        return (type(self), (str(self), self.problem))
