"""The local helper process: one run of the engine in a spawned process of its own.

`HelperRun` starts it, streams its events back over a pipe (their types:
tutor.engine.events) and cancels it along the ladder of tutor.engine.cancel. The window uses
it for every run: CPU-bound threads inside the GUI process would hold the GIL the event loop
needs (docs/architecture.md, Landmines), and a helper can always be killed outright. The CLI
uses it for a learner's own function (tutor.engine.hosted).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
from dataclasses import replace

from tutor.engine.cancel import LIMITS, CancelToken, RunCancelled
from tutor.engine.events import (
    TERMINAL_EVENTS,
    CancelRequest,
    ChunksFinished,
    HelperReady,
    OutputArrived,
    RunCancelledEvent,
    RunEvent,
    RunFailedEvent,
    RunFinished,
    RunRejected,
    RunStarted,
)
from tutor.engine.exits import describe_exit
from tutor.engine.failures import ImportFailed, RunFailureKind
from tutor.engine.messages import describe, format_traceback
from tutor.engine.priority import yield_to_the_window
from tutor.engine.process_tree import become_group_leader, kill_tree
from tutor.engine.records import ChunkTiming, RunConfig, RunFailed, RunResult, WorkerFailure
from tutor.engine.timing_columns import TimingColumns
from tutor.engine.worker import clock, die_with_parent, prepare_worker

FLUSH_S = 0.03  # chunk timings are sent in batches at most ~30 times a second
# At most this many chunks per message: reading one unpickles it in a single C call that holds
# the reader's GIL, which the window's thread shares (~5 us a chunk on a busy 2-core machine: a
# sequential run of 100,000 tiny chunks sent 1,500 a message, 7.5 ms each).
MAX_BATCH = 256


def _host_main(
    conn: multiprocessing.connection.Connection,
    config: RunConfig,
    baseline: RunResult | None,
    output_to_stderr: bool = False,
    capture_output: bool = False,
) -> None:
    """Body of the helper process: run once, report everything, leave."""
    # First: a process group of its own, so that stop() can end everything the run (and the
    # learner's code) starts, even processes it leaves behind (engine.process_tree).
    become_group_leader()
    if output_to_stderr:
        # The CLI's stdout carries its table or JSON: the learner's print()s (here and in the
        # workers, which inherit the descriptor) go to stderr instead.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stdout.flush()
            os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        _host_run(conn, config, baseline, capture_output)
    finally:
        # Leave now: a non-daemon thread the learner's module started must not keep the
        # helper (and the result) waiting; the run has already cleaned up its workers.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        # Let garbage semaphores (e.g. of a Pool refused at import) unregister from the
        # resource tracker, which would otherwise report them as leaked.
        gc.collect()
        os._exit(0)


def _host_run(
    conn: multiprocessing.connection.Connection,
    config: RunConfig,
    baseline: RunResult | None,
    capture_output: bool = False,
) -> None:
    # Imported here, in the helper: the window only starts helpers, and spares its start-up
    # the pools, the executor and the cluster support (~15 ms).
    from tutor.engine.repeats import measured_run
    from tutor.engine.runners import plan_run

    prepare_worker()
    # Linux: gone with its parent (a killed CLI or window) even inside a long C call.
    die_with_parent(True)
    # A little below the window: when the cores are busy, its thread wins one as soon as it
    # wakes (engine.priority). Workers inherit it, so every mode is slowed alike.
    yield_to_the_window()
    token = CancelToken()
    send_lock = threading.Lock()  # the output reader sends from its own thread

    def send(event: RunEvent) -> None:
        with send_lock:
            conn.send(event)

    capture = None
    if capture_output:
        from tutor.engine.output_capture import OutputCapture

        capture = OutputCapture(lambda text: send(OutputArrived(config, text)))

    def drain() -> None:
        if capture is not None:
            capture.drain()  # the last prints arrive before the run's last event

    def listen() -> None:
        try:
            while not isinstance(conn.recv(), CancelRequest):
                pass
        except Exception:  # noqa: BLE001 - EOF: the parent went away; closed: we are leaving
            pass
        token.cancel()

    threading.Thread(target=listen, name="cancel-listener", daemon=True).start()
    buffer: list[ChunkTiming] = []
    last_flush = clock()

    def flush() -> None:
        nonlocal last_flush
        for first in range(0, len(buffer), MAX_BATCH):
            send(ChunksFinished(tuple(buffer[first : first + MAX_BATCH])))
        buffer.clear()
        last_flush = clock()

    def on_chunk(timing: ChunkTiming) -> None:
        buffer.append(timing)
        if clock() - last_flush >= FLUSH_S:
            flush()

    try:
        send(HelperReady(config))
        plan = plan_run(config)
        send(RunStarted(config, len(plan.chunks), plan.items_total))
        # Measured: with the CPU share other programs took meanwhile (engine.reliability).
        result = measured_run(config, on_chunk=on_chunk, cancel=token, baseline=baseline)
        flush()
        drain()
        # Every chunk went out through on_chunk, in this order: only the summary goes now,
        # with the chunks' columns, taken here, after the run's clock stopped.
        columns = TimingColumns.of(result.chunks)
        send(RunFinished(replace(result, chunks=()), chunks_streamed=True, columns=columns))
    except RunCancelled:
        drain()
        send(RunCancelledEvent(config))
    except RunFailed as exc:
        flush()
        drain()
        send(RunFailedEvent(config, exc.failure))
    except ImportFailed as exc:
        drain()
        send(RunRejected(str(exc), exc.problem))
    except ValueError as exc:
        drain()
        send(RunRejected(str(exc)))
    except BaseException as exc:  # anything else is a bug worth showing in full
        send(
            RunFailedEvent(
                config,
                WorkerFailure(
                    kind=RunFailureKind.RAISED,
                    message=f"the run failed: {describe(exc)}",
                    exc_type=type(exc).__name__,
                    traceback=format_traceback(exc),
                ),
            )
        )


class HelperRun:
    """One run in a spawned helper process. Not thread-safe: use it from one thread."""

    def __init__(
        self,
        config: RunConfig,
        baseline: RunResult | None = None,
        output_to_stderr: bool = False,
        capture_output: bool = False,
    ) -> None:
        """`output_to_stderr`: the learner's prints go to stderr (the CLI); `capture_output`:
        they come back as OutputArrived events (the window)."""
        self.config = config
        self.baseline = baseline
        self._context = multiprocessing.get_context("spawn")
        self._conn, child_conn = self._context.Pipe(duplex=True)
        self._process = self._context.Process(
            target=_host_main,
            args=(child_conn, config, baseline, output_to_stderr, capture_output),
            name="mp-tutor-run",
        )
        self._child_conn = child_conn
        self._ended = False
        self._streamed: list[ChunkTiming] = []  # every chunk so far, for the result

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
        if self._read_available(events):
            return events
        if self._process.sentinel in ready or not self._process.is_alive():
            self._process.join(LIMITS.helper_exit_code.seconds)
            # What it sent just before it ended may have arrived after the read above: read
            # again before calling the end a death (a busy machine widens that gap).
            if self._process.exitcode is not None and not self._read_available(events):
                self._ended = True
                code = self._process.exitcode
                events.append(
                    RunFailedEvent(
                        self.config,
                        WorkerFailure(
                            kind=RunFailureKind.DIED,
                            # The description names the code or the signal: once is enough.
                            message=f"the process running the {self.config.mode} run "
                            f"(pid {self._process.pid}) {describe_exit(code)}",
                            worker=self._process.pid,
                            exitcode=code,
                        ),
                    )
                )
        return events

    def _read_available(self, events: list[RunEvent]) -> bool:
        """Append every event waiting in the pipe; True once the run's last event came."""
        while True:
            try:
                if not self._conn.poll():
                    return False
                event = self._conn.recv()
            except (EOFError, OSError):
                return False
            if isinstance(event, ChunksFinished):
                self._streamed.extend(event.chunks)
            elif isinstance(event, RunFinished) and event.chunks_streamed:
                chunks = tuple(self._streamed)
                event = RunFinished(replace(event.result, chunks=chunks), columns=event.columns)
            events.append(event)
            if isinstance(event, TERMINAL_EVENTS):
                self._ended = True
                self._process.join(LIMITS.helper_end.seconds)
                return True

    def cancel(self) -> None:
        """Ask the run to stop (a CancelRequest); it answers with RunCancelledEvent."""
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(CancelRequest())

    def stop(self, timeout: float = LIMITS.cancel_grace.seconds) -> None:
        """Cancel, and make sure the helper, its workers and every process the learner's code
        started are gone: the helper gets `timeout` seconds to stop by itself (the ladder's
        grace), then its whole process tree is killed. Idempotent."""
        if self._process.pid is None:
            return
        if self._process.exitcode is None:
            self.cancel()
            self._process.join(timeout)
        # Always, even after a clean exit: the learner's own children (its own Pool, a
        # subprocess) may still be running in the helper's process group.
        kill_tree(self._process.pid)
        self._process.join(timeout)
        self._ended = True
        self._conn.close()
