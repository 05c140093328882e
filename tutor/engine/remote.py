"""Run the engine in a helper process and stream its events back over a pipe.

The GUI uses this for every run: CPU-bound threads inside the GUI process would hold the GIL
the event loop needs (DESIGN landmines), and a helper can always be killed outright.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import threading
import traceback
from dataclasses import dataclass

from tutor.engine.records import (
    ChunkTiming,
    RunCancelled,
    RunConfig,
    RunFailed,
    RunResult,
    WorkerFailure,
)
from tutor.engine.worker import clock, prepare_worker

FLUSH_S = 0.03  # chunk timings are sent in batches at most ~30 times a second


@dataclass(frozen=True)
class RunStarted:
    config: RunConfig
    chunks_total: int
    items_total: int


@dataclass(frozen=True)
class ChunksFinished:
    chunks: tuple[ChunkTiming, ...]


@dataclass(frozen=True)
class RunFinished:
    result: RunResult


@dataclass(frozen=True)
class RunFailedEvent:
    failure: WorkerFailure


@dataclass(frozen=True)
class RunCancelledEvent:
    config: RunConfig


@dataclass(frozen=True)
class RunRejected:
    """The config was invalid (ValueError); `message` names the field."""

    message: str


RunEvent = (
    RunStarted | ChunksFinished | RunFinished | RunFailedEvent | RunCancelledEvent | RunRejected
)
TERMINAL_EVENTS = (RunFinished, RunFailedEvent, RunCancelledEvent, RunRejected)


def _host_main(
    conn: multiprocessing.connection.Connection, config: RunConfig, baseline: RunResult | None
) -> None:
    """Body of the helper process: run once, report everything, leave."""
    # Imported here, in the helper: the window only starts helpers, and spares its start-up
    # the pools, the executor and the cluster support (~15 ms).
    from tutor.engine.repeats import measured_run
    from tutor.engine.runners import CancelToken, plan_run

    prepare_worker()
    if hasattr(os, "nice"):
        # A little below the GUI: when both cores are busy, the window's thread wins a core
        # as soon as it wakes. Workers inherit it, so every mode is slowed alike.
        try:
            os.nice(5)
        except OSError:
            pass
    token = CancelToken()

    def listen() -> None:
        try:
            while conn.recv() != "cancel":
                pass
        except (EOFError, OSError):
            pass  # the GUI went away: stop as for a cancel
        token.cancel()

    threading.Thread(target=listen, name="cancel-listener", daemon=True).start()
    buffer: list[ChunkTiming] = []
    last_flush = clock()

    def flush() -> None:
        nonlocal last_flush
        if buffer:
            conn.send(ChunksFinished(tuple(buffer)))
            buffer.clear()
        last_flush = clock()

    def on_chunk(timing: ChunkTiming) -> None:
        buffer.append(timing)
        if clock() - last_flush >= FLUSH_S:
            flush()

    try:
        plan = plan_run(config)
        conn.send(RunStarted(config, len(plan.chunks), plan.items_total))
        # Measured: with the CPU share other programs took meanwhile (engine.reliability).
        result = measured_run(config, on_chunk=on_chunk, cancel=token, baseline=baseline)
        flush()
        conn.send(RunFinished(result))
    except RunCancelled:
        conn.send(RunCancelledEvent(config))
    except RunFailed as exc:
        flush()
        conn.send(RunFailedEvent(exc.failure))
    except ValueError as exc:
        conn.send(RunRejected(str(exc)))
    except Exception as exc:  # anything else is a bug worth showing in full
        conn.send(
            RunFailedEvent(
                WorkerFailure(
                    kind="raised",
                    message=f"the run failed: {type(exc).__name__}: {exc}",
                    exc_type=type(exc).__name__,
                    traceback=traceback.format_exc(),
                )
            )
        )
    finally:
        conn.close()


class RemoteRun:
    """One run in a spawned helper process. Not thread-safe: use it from one thread."""

    def __init__(self, config: RunConfig, baseline: RunResult | None = None) -> None:
        self.config = config
        self.baseline = baseline
        self._context = multiprocessing.get_context("spawn")
        self._conn, child_conn = self._context.Pipe(duplex=True)
        self._process = self._context.Process(
            target=_host_main,
            args=(child_conn, config, baseline),
            name="mp-tutor-run",
        )
        self._child_conn = child_conn
        self._ended = False

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def ended(self) -> bool:
        return self._ended

    def start(self) -> None:
        self._process.start()
        self._child_conn.close()

    def poll(self, timeout: float) -> list[RunEvent]:
        """Events that arrived within `timeout` seconds (all of them, in order)."""
        if self._ended:
            return []
        events: list[RunEvent] = []
        ready = multiprocessing.connection.wait([self._conn, self._process.sentinel], timeout)
        if not ready:
            return events
        while True:
            try:
                if not self._conn.poll():
                    break
                event = self._conn.recv()
            except (EOFError, OSError):
                break
            events.append(event)
            if isinstance(event, TERMINAL_EVENTS):
                self._ended = True
                self._process.join(5)
                return events
        if self._process.sentinel in ready or not self._process.is_alive():
            self._process.join(1)
            if self._process.exitcode is not None:
                self._ended = True
                code = self._process.exitcode
                events.append(
                    RunFailedEvent(
                        WorkerFailure(
                            kind="died",
                            message=f"the run's helper process {self._process.pid} died "
                            f"(exit code {code})",
                            worker=self._process.pid,
                            exitcode=code,
                        )
                    )
                )
        return events

    def cancel(self) -> None:
        """Ask the run to stop; it answers with RunCancelledEvent."""
        with contextlib.suppress(OSError, ValueError):
            self._conn.send("cancel")

    def stop(self, timeout: float = 3.0) -> None:
        """Cancel and make sure the helper and its workers are gone within `timeout`."""
        if self._process.pid is None:
            return
        if self._process.exitcode is None:
            self.cancel()
            self._process.join(timeout)
        if self._process.exitcode is None:
            # Its workers watch it and leave by themselves when it goes.
            self._process.kill()
            self._process.join(timeout)
        self._ended = True
        self._conn.close()
