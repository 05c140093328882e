"""Both benchmarks start the tutor from bytecode, as any installed package starts.

pip compiles what it installs (pyqtgraph, PySide6); the tutor, installed editable, is left
uncompiled. Where PYTHONDONTWRITEBYTECODE is set (it is on the team's machines) nothing
writes .pyc files at run time, so every window or spawned worker would compile the tutor's
modules from source again: ~40 ms for the window's ~80 modules, a few ms for each worker,
costs the bare reference scripts never pay. `make run` compiles the same way.
"""

from __future__ import annotations

import compileall
from pathlib import Path

TUTOR = Path(__file__).resolve().parents[2] / "tutor"


def compile_tutor() -> None:
    if not compileall.compile_dir(TUTOR, quiet=1):
        raise RuntimeError(f"the tutor's sources in {TUTOR} did not compile")
