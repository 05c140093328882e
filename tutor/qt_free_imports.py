"""The window's Qt-free modules, imported before PySide6 is: tutor.app imports this first.

Why the order matters (measured, PySide6 6.11 on Python 3.11): once PySide6 is imported, its
import hook (shibokensupport's `feature_imported`) reads the source of every module imported
after it, to see whether it mentions "PySide6". The window needs ~170 modules that never use Qt
(our engine, content, models and analysis, with numpy and the standard library modules they
load); imported first, they skip that check. On a busy 2-core machine this saved ~30 ms of CPU
of the ~650 ms the window's imports take (tests/perf/ui_responsiveness.py measures start-up).

Only Qt-free modules belong here (import-linter checks it), and only ones the window imports
anyway, so nothing is loaded that was not loaded before, only earlier.
`tests/test_qt_free_imports.py` fails when the window imports a Qt-free module of ours after
PySide6: add that module (or a module that imports it) to the list below.
"""

from __future__ import annotations

import numpy  # noqa: F401 - the charts' (pyqtgraph's), not ours: first all the same

import tutor.analysis.amdahl  # noqa: F401
import tutor.content.code_tokens  # noqa: F401
import tutor.content.exercises  # noqa: F401
import tutor.content.highlight  # noqa: F401
import tutor.content.lesson  # noqa: F401
import tutor.content.links  # noqa: F401
import tutor.content.prediction  # noqa: F401
import tutor.content.run_wording  # noqa: F401
import tutor.content.snippets  # noqa: F401
import tutor.engine.calibration  # noqa: F401
import tutor.engine.cancel  # noqa: F401
import tutor.engine.cluster  # noqa: F401
import tutor.engine.process_tree  # noqa: F401
import tutor.engine.repeats  # noqa: F401
import tutor.engine.start_methods  # noqa: F401
import tutor.models.prediction_plan  # noqa: F401
import tutor.models.run_plans  # noqa: F401
import tutor.models.run_settings  # noqa: F401
