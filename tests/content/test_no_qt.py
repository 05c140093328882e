"""tutor.content stays Qt-free: importing and using it loads no GUI library."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from tutor.content import examples, highlight, lesson, links, quiz
lesson.load_lesson(); examples.load_examples(); quiz.load_quiz()
highlight.highlight_code_html("x = 1")
links.parse_run_link("tutor:run?workload=primes&size=10")
banned = ("PySide6", "shiboken6", "pyqtgraph", "tutor.ui", "tutor.controller", "tutor.app")
loaded = sorted(m for m in sys.modules if m.startswith(banned))
print("LOADED:", loaded)
"""


def test_content_imports_no_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60, check=True
    )
    assert "LOADED: []" in result.stdout, result.stdout + result.stderr
