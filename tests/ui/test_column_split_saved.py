"""A returning learner's column is divided for what it shows, unless they dragged it.

The window used to save the column's automatic split at every exit, and a saved split counts
as the learner's: from the second start on, the charts kept the height the first start had
given them, and the Amdahl line and the legend's second row were cut by the charts' scroll
area (seen in `mp-tutor --smoke-test --screenshot` with a used settings folder).
"""

from __future__ import annotations

from test_layout_fit import feed_runs, settle, visible_unscrolled


def whole(qtbot, window) -> None:
    for widget in (window.timing_chart, window.timeline_chart, window.amdahl_summary):
        qtbot.waitUntil(lambda widget=widget: visible_unscrolled(widget), timeout=10_000)


def test_a_second_start_divides_the_column_for_its_own_charts(qtbot, make_window):
    first = make_window()
    settle(qtbot, first, (1280, 800))
    first.close()  # saves the settings, as quitting does
    second = make_window()
    settle(qtbot, second, (1280, 800))
    assert not second.column_split.learner_chose()
    feed_runs(second)
    qtbot.waitUntil(second.amdahl_summary.isVisible)
    whole(qtbot, second)


def test_a_dragged_split_is_kept_at_the_next_start(qtbot, make_window):
    first = make_window()
    settle(qtbot, first, (1280, 800))
    splitter = first.right_splitter
    splitter.moveSplitter(splitter.sizes()[0] + 60, 2)  # what dragging the lower handle does
    assert first.column_split.learner_chose()
    dragged = splitter.sizes()
    first.close()
    second = make_window()
    settle(qtbot, second, (1280, 800))
    assert second.column_split.learner_chose()
    qtbot.waitUntil(lambda: second.right_splitter.sizes() == dragged)
