"""The column's first division knows the run panel's height (#15: the window's first frame).

Showing the window, the column used to be divided before the run panel's area had its height
(WindowFit's job, queued for the next turn of the event loop): the charts got a height they
lost a moment later, and each was laid out three times before the first frame, not two.
"""

from __future__ import annotations

from window_helpers import ResizeLog, wait_for_stable_layout

from tutor.app import create_main_window


def test_the_charts_get_their_height_at_the_first_division(qtbot):
    window = create_main_window()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    charts = [window.timing_chart, window.timeline_chart]
    log = ResizeLog(charts)
    window.show()
    qtbot.waitExposed(window)
    wait_for_stable_layout(qtbot, window)
    assert not window.column_split.learner_chose()  # a first start: the column is divided
    for chart in charts:
        heights = log.heights_of(chart)
        # Laid out when shown, then once for the division: never for a height it then lost.
        assert len(heights) <= 2, (type(chart).__name__, heights)
        assert heights[-1] == chart.height()
