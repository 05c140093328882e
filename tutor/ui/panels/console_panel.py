"""The console: runs one example program in its own Python and shows what it prints.

The example runs as a real child process (QProcess, `python -u <example>`), so what the learner
sees is exactly what the program does on their machine. Its output streams in as it is printed;
stderr is shown in red. Examples start Pool workers, so "Stop" must end the whole process tree,
not only the example: on POSIX the example starts in a session of its own and Stop kills that
process group; on Windows `taskkill /T /F` ends the tree (best effort).

The GUI thread never waits on the child: everything is driven by QProcess signals.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import (
    QElapsedTimer,
    QProcess,
    QProcessEnvironment,
    QTemporaryDir,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tutor.engine.process_tree import kill_tree
from tutor.engine.start_methods import plain_python_start_method
from tutor.ui.widgets.accessible import DescribedLabel
from tutor.ui.widgets.palette_tone import is_dark

# Exit code reported through `example_finished` when the example was stopped, crashed on a
# signal or could not be started.
NO_EXIT_CODE = -1
MAX_OUTPUT_LINES = 20_000

_STDERR_LIGHT = QColor("#b00020")
_STDERR_DARK = QColor("#ff7b7b")


class RunnableExample(Protocol):
    """What the console needs of an example (tutor.content.examples.Example fits)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def path(self) -> Path: ...


class _Run:
    """One running example: its process, its working folder, decoders and clock."""

    def __init__(self, example: RunnableExample, process: QProcess, workdir: QTemporaryDir) -> None:
        self.example = example
        self.process = process
        self.workdir = workdir
        self.stdout_decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.stderr_decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.clock = QElapsedTimer()
        self.stopped = False
        self.pid = 0


def plain_script_note() -> str:
    """One sentence: examples are plain scripts, so Python's own default start method applies
    (not the run panel's choice), and which method that is on this computer."""
    method = plain_python_start_method()
    return (
        f"Examples run as ordinary Python scripts, so they start processes with Python's own "
        f"default method, which is {method} here; the run panel's start method is only for "
        f"the tutor's measured runs."
    )


def _seconds(milliseconds: int) -> str:
    return f"{milliseconds / 1000:.1f} s"


class ConsolePanel(QWidget):
    """Runs example programs one at a time and shows their output."""

    example_started = Signal(str)  # example id
    example_finished = Signal(str, int)  # example id, exit code (NO_EXIT_CODE if stopped)
    # An example is an experiment: the window's BusyCoordinator tracks the console (busy,
    # busy_changed), so no measured run starts beside it, nor it beside one.
    busy_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run: _Run | None = None
        # Processes that were killed but have not reported their end yet.
        self._dying: set[QProcess] = set()
        self.example_started.connect(self._on_example_started)
        self.example_finished.connect(self._on_example_finished)

        self._header = DescribedLabel(
            "Console title", "Console: run an example from the lesson to see its output here."
        )
        self._header.setObjectName("consoleHeader")
        self._header.setWordWrap(True)

        self._stop_button = QPushButton("Stop")
        self._stop_button.setObjectName("stopExampleButton")
        self._stop_button.setAccessibleName("Stop the running example")
        self._stop_button.setToolTip("Stop the example and every process it started")
        self._stop_button.setEnabled(False)
        self._stop_button.clicked.connect(self._on_stop_clicked)

        self._output = QPlainTextEdit()
        self._output.setObjectName("consoleOutput")
        self._output.setAccessibleName("Example output")
        self._output.setReadOnly(True)
        self._output.setMaximumBlockCount(MAX_OUTPUT_LINES)
        self._output.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self._output.setFont(mono)

        # The run panel's start method is not the examples' one: say which they use, and why.
        self._note = DescribedLabel("About the examples", plain_script_note())
        self._note.setObjectName("consoleNote")
        self._note.setWordWrap(True)

        self._status = DescribedLabel("Example status")
        self._status.setObjectName("consoleStatus")

        top = QHBoxLayout()
        top.addWidget(self._header, 1)
        top.addWidget(self._stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self._note)
        layout.addWidget(self._output, 1)
        layout.addWidget(self._status)

    # -- public API --------------------------------------------------------------------------

    def run_example(self, example: RunnableExample) -> None:
        """Run an example; one already running is stopped first."""
        if self._run is not None:
            self._stop_current(detach=True)
        workdir = QTemporaryDir()
        process = QProcess(self)
        process.setProgram(sys.executable)
        process.setArguments(["-u", str(Path(example.path).resolve())])
        if workdir.isValid():
            process.setWorkingDirectory(workdir.path())
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONUNBUFFERED", "1")
        env.insert("PYTHONIOENCODING", "utf-8")
        process.setProcessEnvironment(env)
        if sys.platform != "win32":
            # Its own session and process group, so Stop can end the example's children too.
            process.setUnixProcessParameters(QProcess.UnixProcessFlag.CreateNewSession)

        run = _Run(example, process, workdir)
        self._run = run
        process.readyReadStandardOutput.connect(self._on_stdout_ready)
        process.readyReadStandardError.connect(self._on_stderr_ready)
        process.finished.connect(self._on_process_finished)
        process.errorOccurred.connect(self._on_process_error_occurred)

        self._output.clear()
        self._header.setText(f"{example.title} — running…")
        self._status.setText("Running…")
        self._stop_button.setEnabled(True)
        # Announce first: on some platforms a failure to start is reported inside start().
        self.example_started.emit(example.id)
        run.clock.start()
        process.start()
        run.pid = process.processId()

    def stop(self) -> None:
        """Stop the running example and all of its child processes (no-op when idle).

        The run ends (and `example_finished` is emitted) when the killed process has reported
        its end, normally within milliseconds.
        """
        if self._run is not None:
            self._stop_current(detach=False)

    def shutdown(self) -> None:
        """Kill everything still running; for when the window closes. Waits at most ~1 s."""
        if self._run is not None:
            self._stop_current(detach=True)
        for process in list(self._dying):
            if process.state() != QProcess.ProcessState.NotRunning:
                process.waitForFinished(1000 // max(1, len(self._dying)))

    def is_running(self) -> bool:
        return self._run is not None

    @property
    def busy(self) -> bool:
        """Whether an example runs (tutor.controller.busy.BusyReporter)."""
        return self._run is not None

    def current_example_id(self) -> str | None:
        return self._run.example.id if self._run else None

    def output_text(self) -> str:
        return self._output.toPlainText()

    def status_text(self) -> str:
        return self._status.text()

    def clear(self) -> None:
        self._output.clear()

    # -- slots -------------------------------------------------------------------------------

    def _on_example_started(self, _example_id: str) -> None:
        self.busy_changed.emit(True)

    def _on_example_finished(self, _example_id: str, _exit_code: int) -> None:
        self.busy_changed.emit(False)

    def _on_stop_clicked(self) -> None:
        self.stop()

    def _on_stdout_ready(self) -> None:
        run = self._run_for_sender()
        if run is not None:
            self._show_output(run, is_error=False)

    def _on_stderr_ready(self) -> None:
        run = self._run_for_sender()
        if run is not None:
            self._show_output(run, is_error=True)

    def _on_process_error_occurred(self, error: QProcess.ProcessError) -> None:
        run = self._run_for_sender()
        if run is None or error != QProcess.ProcessError.FailedToStart:
            return  # other errors end in `finished`, which reports them
        self._run = None
        self._stop_button.setEnabled(False)
        self._header.setText(f"{run.example.title} — could not start")
        self._status.setText(f"Could not start the example: {run.process.errorString()}")
        run.process.deleteLater()
        self.example_finished.emit(run.example.id, NO_EXIT_CODE)

    def _on_process_finished(self, exit_code: int, exit_status: QProcess.ExitStatus) -> None:
        run = self._run_for_sender()
        if run is None:
            return
        elapsed = _seconds(run.clock.elapsed())
        # Flush what is left, including a multi-byte character cut at the very end.
        self._show_output(run, is_error=False, final=True)
        self._show_output(run, is_error=True, final=True)
        # Workers the example left behind would be orphans: end its process group too.
        _kill_tree(run.pid, include_leader=False)
        self._run = None
        self._stop_button.setEnabled(False)
        if run.stopped:
            code = NO_EXIT_CODE
            self._header.setText(f"{run.example.title} — stopped")
            self._status.setText(f"Stopped after {elapsed}")
        elif exit_status == QProcess.ExitStatus.CrashExit:
            code = NO_EXIT_CODE
            self._header.setText(f"{run.example.title} — crashed")
            self._status.setText(f"Crashed after {elapsed}")
        else:
            code = exit_code
            self._header.setText(f"{run.example.title} — finished")
            self._status.setText(f"Exited with code {exit_code} in {elapsed}")
        run.process.deleteLater()
        self.example_finished.emit(run.example.id, code)

    def _on_dying_process_finished(self) -> None:
        process = self.sender()
        if isinstance(process, QProcess):
            self._dying.discard(process)
            process.deleteLater()

    # -- helpers -----------------------------------------------------------------------------

    def _run_for_sender(self) -> _Run | None:
        run = self._run
        if run is None or self.sender() is not run.process:
            return None
        return run

    def _stop_current(self, *, detach: bool) -> None:
        """Kill the current run's process tree.

        detach=False: the run ends when its process reports `finished`, a moment later.
        detach=True: the run ends now (the console is taken over or closed); the killed process
        is cleaned up in the background once it has died.
        """
        run = self._run
        assert run is not None
        run.stopped = True
        self._stop_button.setEnabled(False)
        if not detach:
            self._header.setText(f"{run.example.title} — stopping…")
            _kill_tree(run.pid, include_leader=True)
            run.process.kill()  # `finished` follows and reports "Stopped after …"
            return
        process = run.process
        for connected in (
            process.readyReadStandardOutput,
            process.readyReadStandardError,
            process.finished,
            process.errorOccurred,
        ):
            connected.disconnect()
        self._dying.add(process)
        process.finished.connect(self._on_dying_process_finished)
        _kill_tree(run.pid, include_leader=True)
        process.kill()
        self._run = None
        elapsed = _seconds(run.clock.elapsed())
        self._header.setText(f"{run.example.title} — stopped")
        self._status.setText(f"Stopped after {elapsed}")
        self.example_finished.emit(run.example.id, NO_EXIT_CODE)

    def _show_output(self, run: _Run, *, is_error: bool, final: bool = False) -> None:
        """Show what the example wrote to stderr (`is_error`) or stdout since the last call;
        `final`: it has ended, so a character cut short at the very end is shown too."""
        if is_error:
            data, decoder = run.process.readAllStandardError(), run.stderr_decoder
        else:
            data, decoder = run.process.readAllStandardOutput(), run.stdout_decoder
        self._append(decoder.decode(bytes(data.data()), final), is_error=is_error)

    def _append(self, text: str, *, is_error: bool) -> None:
        if not text:
            return
        fmt = QTextCharFormat()
        if is_error:
            fmt.setForeground(_STDERR_DARK if is_dark(self.palette()) else _STDERR_LIGHT)
        else:
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Text))
        scrollbar = self._output.verticalScrollBar()
        at_bottom = scrollbar.value() >= scrollbar.maximum() - 2
        cursor = QTextCursor(self._output.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text.replace("\r\n", "\n"), fmt)
        if at_bottom:
            scrollbar.setValue(scrollbar.maximum())


def _kill_tree(pid: int, *, include_leader: bool) -> None:
    """End a process started by the console and everything it started, without waiting.

    The example leads its own session (POSIX), so its group holds its Pool workers and helpers
    (resource tracker, forkserver) even once it has exited; elsewhere its live tree is walked.
    """
    if pid > 0:
        kill_tree(pid, include_leader=include_leader, timeout=0)  # the GUI thread never waits
