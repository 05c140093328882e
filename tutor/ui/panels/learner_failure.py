"""What to tell the learner when a run of their own `work(n)` failed (no Qt).

One sentence for the status line, the traceback for the details pane (trimmed to the
learner's own file where it can be), and the line to underline in the editor.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tutor.content.learner_code import (
    DISPLAY_NAME,
    FUNCTION_NAME,
    LearnerModule,
    error_line,
    learner_traceback,
)
from tutor.engine.failures import RunFailureKind
from tutor.engine.records import WorkerFailure
from tutor.engine.values import refused_line
from tutor.engine.workloads import failing_item, without_failing_item


@dataclass(frozen=True)
class FailureReport:
    """`text`: one paragraph for the status; `details`: traceback text ("" for none);
    `line`: 1-based line of the learner's code to mark, or None."""

    text: str
    details: str
    line: int | None


def failure_report(failure: WorkerFailure, module: LearnerModule | None, run: str) -> FailureReport:
    """Describe `failure` of the run named `run` (e.g. "sequential baseline") of the learner's
    saved `module` (None when it is not known)."""
    details = failure.traceback
    line = None
    if module is not None:  # the saved module's generated name means nothing to the learner
        message = failure.message.replace(module.function_spec, DISPLAY_NAME)
        failure = replace(failure, message=message.replace(module.module_name, DISPLAY_NAME))
    if failure.kind == RunFailureKind.NOT_A_NUMBER:  # work() returned; the line is in the message
        line = refused_line(failure.message)
        text = f"In the {run}, {failure.message}."
    elif failure.kind == "raised":
        line = error_line(failure.traceback, module) if module else None
        where = f" at line {line}" if line else ""
        item = failing_item(failure.traceback)
        where += "" if item is None else f" for n = {item}"
        plain = without_failing_item(failure.traceback).strip()
        last = plain.splitlines()[-1] if plain else ""
        text = f"Your function raised an exception{where} in the {run}: {last or failure.message}"
        if module is not None and failure.traceback:
            details = learner_traceback(failure.traceback, module)
    elif failure.kind == "died":
        text = (
            f"A process running your function died in the {run}: {failure.message}. "
            "os._exit(), a crash in C code or running out of memory end a process at once; "
            "the tutor noticed and cleaned up."
        )
    elif failure.kind == "timeout" and failure.import_problem is not None:
        text = (
            f"Stopped by the time limit in the {run}: {failure.message}. Only definitions "
            f"belong at the top level: move other code into {FUNCTION_NAME}() or under "
            '`if __name__ == "__main__":`.'
        )
    elif failure.kind == "timeout":
        text = (
            f"Stopped by the time limit in the {run}: {failure.message}. Is there a loop "
            "that never ends? If your function is just slow, raise the limit or lower N."
        )
    elif failure.kind == "invalid":
        reason = failure.import_problem.learner_reason() if failure.import_problem else None
        text = f"Your code could not be loaded for the {run}: {reason or failure.message}"
    else:
        text = f"The {run} failed: {failure.message}"
    return FailureReport(text=text, details=details, line=line)
