"""What the window's start-up does not load (#15: the window's start-up against a bare window).

Building the window loads only what its first frame needs. The run machinery
(controller.batch_job: the helper process, the engine's events) is loaded right after the
window's first frame (or by an earlier first run), and a run then works. Each probe is a fresh
interpreter, as a new start of the app is.
"""

from __future__ import annotations

from python_probe import run_probe

RUN_MACHINERY = (
    "tutor.controller.batch_job",
    "tutor.engine.events",
    "tutor.engine.helper_process",
    "tutor.analysis.breakdown",  # a finished run's time breakdown
)
# Not needed for the first frame, and worth milliseconds of it on a slow machine.
NOT_FOR_THE_FIRST_FRAME = (
    *RUN_MACHINERY,
    "_hashlib",  # OpenSSL (~5 ms): the lesson's snippets are told apart by a checksum
    "tutor.content.quiz",  # read when the quiz is first opened
)

BUILT = """
import json, sys
from tutor.app import _application, create_main_window
app = _application()
window = create_main_window()
from tutor.content.exercises import load_exercises
print(json.dumps({{
    "loaded": [m for m in {names!r} if m in sys.modules],
    "exercise_files_read": load_exercises.cache_info().currsize > 0,
}}))
"""

IDLE_THEN_RUN = """
import json, sys
from PySide6.QtCore import QTimer
from tutor.app import _application, create_main_window
from tutor.engine.records import RunConfig
from tutor.ui.shell.lazy_page import LazyPage

app = _application()
window = create_main_window()
pages = window.findChildren(LazyPage)
out = {{}}

def finish(**more):
    out.update(more)
    print(json.dumps(out), flush=True)
    window.controller.shutdown()
    app.quit()

def when_the_window_is_up():  # its first frame painted, its tabs built when idle
    if not all(page.is_built for page in pages):
        return
    poll.stop()
    out["loaded"] = [m for m in {names!r} if m in sys.modules]
    window.controller.run_finished.connect(lambda result: finish(answer=result.answer))
    window.controller.run_failed.connect(lambda config, failure: finish(failed=failure.message))
    window.controller.start([RunConfig("squares", 1000, mode="sequential", workers=1)])

poll = QTimer()
poll.timeout.connect(when_the_window_is_up)  # the build's own steps decide when it is done
poll.start(20)
QTimer.singleShot(100_000, lambda: finish(timed_out=True))  # the probe gives up
window.show()
app.exec()
"""


def test_building_the_window_loads_nothing_its_first_frame_does_not_need(isolated_settings):
    out = run_probe(BUILT.format(names=NOT_FOR_THE_FIRST_FRAME))
    assert out["loaded"] == []
    # The course-progress line counts the exercises by their files' names, unread.
    assert out["exercise_files_read"] is False


def test_the_first_frame_is_followed_by_it_and_a_run_then_works(isolated_settings):
    out = run_probe(IDLE_THEN_RUN.format(names=RUN_MACHINERY))
    assert "timed_out" not in out, "the window should build its tabs and the run should end"
    assert out["loaded"] == list(RUN_MACHINERY)
    assert out.get("failed") is None
    assert out["answer"] == sum(i * i for i in range(1000))
