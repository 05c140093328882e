"""Runs the size calibration (engine.calibration) in a child process, off the GUI.

The probe computes for a few seconds: in the GUI process it would hold the GIL the event loop
needs (docs/architecture.md, Landmines), so it runs in a spawned child. A plain Python thread
of the GUI process starts the child and waits on its pipe (waiting lets go of the GIL); the
result comes back as the `calibrated` signal, in the GUI thread.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import threading

from PySide6.QtCore import QObject, Signal

from tutor.engine.calibration import Calibration, probe_machine
from tutor.engine.process_tree import kill_tree


def _probe_main(conn: multiprocessing.connection.Connection) -> None:
    """Body of the child: calibrate, send the Calibration (or None if it failed), leave."""
    from tutor.engine.process_tree import become_group_leader
    from tutor.engine.worker import die_with_parent

    become_group_leader()  # shutdown() ends its pool's workers with it
    die_with_parent(True)  # Linux: gone with the window even inside a long computation
    try:
        result: Calibration | None = probe_machine()
    except Exception:  # noqa: BLE001 - a failed probe only means the fixed defaults stay
        result = None
    with contextlib.suppress(OSError):
        conn.send(result)
    conn.close()


class CalibrationProbe(QObject):
    """One calibration in a child process; `calibrated` carries its Calibration.

    `failed` is emitted instead when the child could not measure (it died, or the engine
    raised): the fixed default sizes simply stay.
    """

    calibrated = Signal(object)  # Calibration
    failed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: multiprocessing.process.BaseProcess | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> bool:
        """Start probing; False (and nothing done) when a probe is already going."""
        if self.busy:
            return False
        self._stopping.clear()
        self._thread = threading.Thread(target=self._wait, name="calibration-probe", daemon=True)
        self._thread.start()
        return True

    def shutdown(self, timeout_s: float = 3.0) -> None:
        """Stop a probe in progress and wait until its process tree is gone."""
        self._stopping.set()
        process = self._process
        if process is not None and process.pid is not None:
            kill_tree(process.pid)
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _wait(self) -> None:  # in the probe thread
        context = multiprocessing.get_context("spawn")  # safe beside Qt's threads
        ours, theirs = context.Pipe(duplex=False)
        process = context.Process(target=_probe_main, args=(theirs,), name="mp-tutor-calibrate")
        self._process = process
        result: Calibration | None = None
        try:
            if self._stopping.is_set():
                return
            process.start()
            theirs.close()
            with contextlib.suppress(EOFError, OSError):
                result = ours.recv()  # blocks without the GIL
        finally:
            if process.pid is not None:
                process.join(5)
                if process.exitcode is None:
                    kill_tree(process.pid)
                    process.join(5)
            ours.close()
            self._process = None
        if self._stopping.is_set():
            return
        if isinstance(result, Calibration):
            self.calibrated.emit(result)
        else:
            self.failed.emit()
