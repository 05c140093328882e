"""The last layout faults of #19 a learner met between 1024×640 and 1280×800: the lesson kept
its narrow width after the window had been small, the Other Pythons legend was cut at its right
edge, and at 200 % zoom the run panel scrolled sideways."""

from __future__ import annotations

import pytest
from test_layout_fit import settle

TOLERANCE_PX = 3


def lesson_width(window) -> int:
    return window.main_splitter.sizes()[0]


@pytest.mark.parametrize("steps", [[(1024, 640)], [(1024, 640), (1150, 700)]])
def test_growing_the_window_gives_the_lesson_its_share_back(qtbot, make_window, steps):
    """Made small, the lesson lends the run panel width; grown again, it gets it back."""
    opened = make_window()
    settle(qtbot, opened, (1280, 800))
    wide = lesson_width(opened)
    window = make_window()
    settle(qtbot, window, (1280, 800))
    small = None
    for size in steps:
        settle(qtbot, window, size)
        small = lesson_width(window) if small is None else small  # at 1024 px
    assert small < wide - 50  # it did lend width to the run panel's rows
    settle(qtbot, window, (1280, 800))
    qtbot.waitUntil(lambda: abs(lesson_width(window) - wide) <= TOLERANCE_PX)
    settle(qtbot, window, (1024, 640))  # and lends it again when made small again
    qtbot.waitUntil(lambda: abs(lesson_width(window) - small) <= TOLERANCE_PX)


def test_a_split_the_learner_dragged_is_kept_when_the_window_grows(qtbot, window):
    settle(qtbot, window, (1024, 640))
    lesson, right = window.main_splitter.sizes()
    window.main_splitter.moveSplitter(lesson + 40, 1)  # as a drag of the handle does
    qtbot.waitUntil(lambda: lesson_width(window) >= lesson + 30)
    dragged = lesson_width(window)
    settle(qtbot, window, (1280, 800))
    # The grown window shares its new width by the splitter's stretch, from the dragged split:
    # never back to the share the lesson had before it lent.
    assert lesson_width(window) < dragged + (1280 - 1024) * 2 // 5 + TOLERANCE_PX
