"""A status line that keeps the height of its longest text, and the tests' seam that forgets it."""

from __future__ import annotations

from tutor.ui.widgets.folded_label import FoldedLabel

LONG = "Finished processes × 2 in 1.01 s, speedup 0.62×: " + "and more words " * 20


def test_a_kept_line_stays_after_shorter_text_until_forgotten(qtbot):
    label = FoldedLabel("Ready.", max_lines=2, keep_lines=True)
    qtbot.addWidget(label)
    label.resize(300, 60)
    label.show()
    qtbot.waitExposed(label)
    assert label.kept_lines() == 1
    label.setText(LONG)
    assert label.kept_lines() == 2 and len(label.shown_lines()) == 2
    label.setText("Ready.")
    assert label.kept_lines() == 2  # the height stays: what is under it does not move back
    height = label.heightForWidth(300)
    label.forget_kept_lines()
    assert label.kept_lines() == 1 and label.heightForWidth(300) < height
    label.setText(LONG)  # and keeps again from there
    label.forget_kept_lines()
    assert label.kept_lines() == 2  # the lines shown now are kept
