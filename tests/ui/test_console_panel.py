"""The console runs real example programs as child processes and stops whole process trees."""

from __future__ import annotations

import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton

from tutor.content.examples import get_example
from tutor.ui.panels.console_panel import NO_EXIT_CODE, ConsolePanel


@dataclass(frozen=True)
class ScriptExample:
    """A stand-in for tutor.content.examples.Example: the console needs id, title and path."""

    id: str
    title: str
    path: Path


def write_script(tmp_path: Path, name: str, body: str) -> ScriptExample:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return ScriptExample(id=name, title=name.replace("_", " ").title(), path=path)


LONG_RUNNING_POOL = """
    import multiprocessing
    import os
    import time


    def nap(seconds):
        time.sleep(seconds)
        return os.getpid()


    if __name__ == "__main__":
        multiprocessing.set_start_method("spawn")
        with multiprocessing.Pool(2) as pool:
            pool.map_async(nap, [300, 300])
            pids = [p.pid for p in multiprocessing.active_children()]
            print("TREE", os.getpid(), *pids, flush=True)
            time.sleep(300)
"""


@pytest.fixture
def panel(qtbot):
    widget = ConsolePanel()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


def tree_pids(output: str) -> list[int]:
    for line in output.splitlines():
        if line.startswith("TREE "):
            return [int(word) for word in line.split()[1:]]
    return []


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_runs_the_real_pool_primes_example(qtbot, panel):
    example = get_example("pool_primes")
    with qtbot.waitSignal(panel.example_finished, timeout=60_000) as finished:
        panel.run_example(example)
    assert finished.args == ["pool_primes", example.expect_exit]
    output = panel.output_text()
    for expected in example.expect:
        assert expected in output
    assert f"Exited with code {example.expect_exit} in" in panel.status_text()
    status = panel.findChild(QLabel, "consoleStatus")
    assert status.text() == panel.status_text()
    assert example.title in panel.findChild(QLabel, "consoleHeader").text()
    assert not panel.findChild(QPushButton, "stopExampleButton").isEnabled()


def test_output_streams_and_stderr_is_marked(qtbot, panel, tmp_path):
    example = write_script(
        tmp_path,
        "streams",
        """
        import sys
        print("to stdout")
        print("to stderr", file=sys.stderr)
        sys.exit(3)
        """,
    )
    with qtbot.waitSignals([panel.example_started, panel.example_finished], timeout=30_000):
        panel.run_example(example)
    assert "to stdout" in panel.output_text()
    assert "to stderr" in panel.output_text()
    assert panel.status_text().startswith("Exited with code 3 in ")

    document = panel.findChild(QPlainTextEdit, "consoleOutput").document()
    colours = {}
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            colours[fragment.text().strip()] = fragment.charFormat().foreground().color().name()
            iterator += 1
        block = block.next()
    assert colours["to stderr"] != colours["to stdout"]


def test_multibyte_characters_split_across_reads_survive(qtbot, panel, tmp_path):
    example = write_script(
        tmp_path,
        "split_utf8",
        """
        import sys, time
        out = sys.stdout.buffer
        out.write("ready ✓".encode()[:-2]); out.flush()
        time.sleep(0.3)
        out.write("ready ✓".encode()[-2:] + " ünï done\\n".encode()); out.flush()
        """,
    )
    with qtbot.waitSignal(panel.example_finished, timeout=30_000):
        panel.run_example(example)
    assert "ready ✓ ünï done" in panel.output_text()
    assert "\ufffd" not in panel.output_text()


def test_runs_in_a_temporary_working_directory(qtbot, panel, tmp_path):
    example = write_script(tmp_path, "where", "import os\nprint('CWD', os.getcwd())\n")
    with qtbot.waitSignal(panel.example_finished, timeout=30_000):
        panel.run_example(example)
    cwd = next(line for line in panel.output_text().splitlines() if line.startswith("CWD"))
    assert Path(cwd.split(" ", 1)[1]).resolve() != Path.cwd().resolve()


def test_stop_kills_the_example_and_all_its_pool_workers(qtbot, panel, tmp_path):
    example = write_script(tmp_path, "long_pool", LONG_RUNNING_POOL)
    stop = panel.findChild(QPushButton, "stopExampleButton")
    assert not stop.isEnabled()
    panel.run_example(example)
    assert stop.isEnabled()
    qtbot.waitUntil(lambda: len(tree_pids(panel.output_text())) >= 3, timeout=30_000)
    pids = tree_pids(panel.output_text())
    # The whole tree: the example, its Pool workers and the helpers multiprocessing started.
    leader = psutil.Process(pids[0])
    pids = sorted({*pids, *(child.pid for child in leader.children(recursive=True))})
    assert all(not gone(pid) for pid in pids)

    with qtbot.waitSignal(panel.example_finished, timeout=30_000) as finished:
        qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    assert finished.args == ["long_pool", NO_EXIT_CODE]
    assert panel.status_text().startswith("Stopped after ")
    assert not stop.isEnabled()
    qtbot.waitUntil(lambda: all(gone(pid) for pid in pids), timeout=30_000)


def test_starting_another_example_stops_the_first(qtbot, panel, tmp_path):
    first = write_script(tmp_path, "long_pool", LONG_RUNNING_POOL)
    second = write_script(tmp_path, "quick", "print('second one ran')\n")
    panel.run_example(first)
    qtbot.waitUntil(lambda: len(tree_pids(panel.output_text())) >= 3, timeout=30_000)
    pids = tree_pids(panel.output_text())

    with qtbot.waitSignals(
        [(panel.example_finished, "first"), (panel.example_finished, "second")],
        check_params_cbs=[lambda i, c: i == "long_pool", lambda i, c: i == "quick"],
        timeout=30_000,
    ):
        panel.run_example(second)
    assert "second one ran" in panel.output_text()
    assert "TREE" not in panel.output_text()
    qtbot.waitUntil(lambda: all(gone(pid) for pid in pids), timeout=30_000)


def test_shutdown_leaves_nothing_running(qtbot, panel, tmp_path):
    example = write_script(tmp_path, "long_pool", LONG_RUNNING_POOL)
    panel.run_example(example)
    qtbot.waitUntil(lambda: len(tree_pids(panel.output_text())) >= 3, timeout=30_000)
    pids = tree_pids(panel.output_text())
    panel.shutdown()
    assert not panel.is_running()
    qtbot.waitUntil(lambda: all(gone(pid) for pid in pids), timeout=30_000)


def test_a_missing_interpreter_reports_instead_of_hanging(qtbot, panel, tmp_path, monkeypatch):
    example = write_script(tmp_path, "never", "print('never')\n")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    with qtbot.waitSignal(panel.example_finished, timeout=30_000) as finished:
        panel.run_example(example)
    assert finished.args == ["never", NO_EXIT_CODE]
    assert "Could not start" in panel.status_text()
