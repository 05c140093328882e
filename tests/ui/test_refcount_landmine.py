"""A landmine (docs/architecture.md): PySide6 6.12.0 on Python 3.11 drops a reference to None
on every void call.

The interpreter aborts with `none_dealloc` once the count runs out; the dependency pin avoids
that build. This test fails loudly if a build with the leak ever gets installed.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_do_not_leak_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(1_000):
        label.setText(str(i))  # returns None: the buggy build loses one reference per call
    after = sys.getrefcount(None)
    assert before - after < 100, f"None lost {before - after} references over 1,000 calls"
