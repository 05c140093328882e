"""Words the window says about a run that a number alone does not explain (no Qt, no engine).

Each function returns one or two plain sentences; the caller passes the plain facts (a
workload's title, whether it is I/O-bound, counts) so this module needs nothing else.
"""

from __future__ import annotations


def amdahl_left_out_note(workload_title: str) -> str:
    """Why no Amdahl curve is drawn for an I/O-bound sweep (the line under the timing chart).

    Amdahl's law splits a program's *computing* into a serial and a parallel part; a workload
    that mostly waits has almost nothing to split, so a fit to its speedups says nothing."""
    return (
        f"No Amdahl fit for “{workload_title}”: it mostly waits (for I/O) rather than "
        "computes, and Amdahl's law is about sharing computing between cores. Waits overlap "
        "with however many workers you give them, so a fitted serial fraction would mean "
        "nothing here."
    )


# What tutor/engine/runners.run and asyncio_runner.run_asyncio do between the run's clock
# start and the first chunk's start, in that order.
ASYNCIO_STARTUP_NOTE = (
    "Start-up, for asyncio: the time from the run's start until the first coroutine began "
    "its first item. In it the tutor imports asyncio (if this process has not yet), creates "
    "a new event loop, starts the one thread that runs it, wraps every chunk in a coroutine "
    "task and lets the loop schedule the first of them. No process is started, and no extra "
    "thread per worker."
)


def single_lane_note(workers: int, lanes: int, chunks: int) -> str | None:
    """A sentence when a parallel run's chunks all ran on fewer workers than it had, or None.

    `workers`: workers asked for; `lanes`: distinct workers that ran at least one chunk (the
    timeline draws one lane each); `chunks`: chunks in the run."""
    if workers < 2 or lanes >= workers or lanes < 1 or chunks == 0:
        return None
    ran = "one worker" if lanes == 1 else f"{lanes} workers"
    if chunks < workers:
        why = (
            f"there {'was' if chunks == 1 else 'were'} only {chunks} "
            f"chunk{'' if chunks == 1 else 's'} for {workers} workers"
        )
    else:
        why = (
            f"{ran} took all {chunks} chunks before the others were ready (a pool hands the "
            "next chunk to whichever worker asks first)"
        )
    return (
        f"Only {ran} of {workers} got work, so the timeline shows {lanes} "
        f"lane{'' if lanes == 1 else 's'}: {why}. A larger N (or more chunks) spreads the work."
    )


def run_step_text(
    step: int | None, steps: int | None, label: str, what: str, chunks: int, baseline: bool
) -> str:
    """The run status while one run of a batch goes, e.g. "Step 1 of 2: sequential baseline
    (one core; the speedup is measured against it) on primes N=100,000 (1 chunk)…".

    `step`, `steps`: 1-based place in the batch (None: unknown, no step is named); `label`:
    the run's label ("processes × 2"); `what`: the workload and N; `baseline`: the batch
    measured this sequential run to compare the others with."""
    prefix = f"Step {step} of {steps}: " if step and steps and steps > 1 else "Running "
    name = (
        "sequential baseline (one core; the speedup is measured against it)" if baseline else label
    )
    chunk_word = "chunk" if chunks == 1 else "chunks"
    return f"{prefix}{name} on {what} ({chunks:,} {chunk_word})…"


def items_text(done: int, total: int, first: int | None, last: int | None) -> str:
    """Items done of a run, naming the numbers it goes through when known ("0 … 100,000":
    a workload over n ≤ N has N + 1 of them)."""
    span = f" (n = {first:,} … {last:,})" if first is not None and last is not None else ""
    return f"{done:,} / {total:,} numbers{span}"


def elapsed_text(elapsed_s: float) -> str:
    """Time since the run was asked for, seconds: more than the run's own wall time."""
    return f"{elapsed_s:.1f} s since Run, helper start included"


def finished_text(
    label: str, wall_s: float, elapsed_s: float | None, speedup: float | None, repeats: int = 1
) -> str:
    """The run status once a run finished; `elapsed_s` (None: unknown) is the time since its
    last run was asked for, which also holds starting the helper process that runs it and
    importing the workload there, before the run's own clock starts. `repeats`: how many
    runs `wall_s` is the median of (each in a helper of its own)."""
    extra = "" if speedup is None else f", speedup {speedup:.2f}×"
    if repeats > 1:
        text = f"Finished {label} in {wall_s:.2f} s (the median of {repeats} runs){extra}."
        if elapsed_s is not None:
            text += (
                f" The last run took {elapsed_s:.2f} s with starting its helper process: "
                "that part is outside the measurement."
            )
        return text
    text = f"Finished {label} in {wall_s:.2f} s{extra}."
    if elapsed_s is not None and elapsed_s > wall_s:
        text += (
            f" With starting the helper process that runs it, {elapsed_s:.2f} s in all: that "
            "part is outside the measurement."
        )
    return text
