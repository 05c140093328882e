"""The settings file of a returning learner, written by a real earlier session of the window.

Issue #15 asks for start-up "with the settings a returning learner has". A hand-written INI
holds only what its author thought of; the window itself writes more when it closes (its
geometry, the column split, the settings' schema) and keeps more while it runs (the size
calibration measured on the first start, exercise progress). So one earlier session is
played here, in a child process like the measured ones: the window opens on the hand-written
part (theme, run choices, sections read, quiz score), an exercise is checked, the calibration a
first start would have measured is stored, and the window is closed as a learner closes it.
Every measured child then starts from a copy of the file that session left.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ui_perf.constants import CHILD_TIMEOUT_S, REPO_ROOT, RETURNING_SETTINGS

SETTINGS_FILE = "mp-tutor.ini"

# The earlier session. The calibration stands in for the probe a first start runs in a child
# process (SizeDefaults.probe_when_idle): the same facts and form, sizes the probe could give.
_SESSION = """
import sys
from PySide6.QtCore import QTimer
from tutor.app import _application, create_main_window
from tutor.content.exercises import load_exercises
from tutor.engine.calibration import CalibratedOn, Calibration, WorkloadSize
from tutor.ui.shell.size_defaults import SETTINGS_KEY

app = _application()
window = create_main_window()
window.resize(1280, 800)
window.show()

def close():
    window.progress.record_exercise_check(load_exercises()[0].id, True)
    sizes = (WorkloadSize("primes", 200_000, 0.2, 1.2, 1_500_000, 1.5),)
    calibration = Calibration(CalibratedOn.current(), 1.5, 0.12, sizes)
    window.settings.setValue(SETTINGS_KEY, calibration.to_json())
    window.close()  # saves the geometry, the split and the run settings, as on quitting
    app.quit()

QTimer.singleShot(1500, close)  # after the first frame and the window's settling
app.exec()
sys.exit(0 if not window.isVisible() else 1)
"""


def returning_settings(theme: str) -> str:
    """The INI text a returning learner with appearance `theme` ("light"/"dark") has.

    Raises RuntimeError when the earlier session fails.
    """
    with tempfile.TemporaryDirectory(prefix="uir-session-") as config_dir:
        ini = Path(config_dir) / SETTINGS_FILE
        ini.write_text(RETURNING_SETTINGS.format(theme=theme), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-c", _SESSION],
            env=dict(os.environ, MP_TUTOR_CONFIG_DIR=config_dir),
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S + 10,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the earlier session failed ({done.returncode}):\n{done.stderr}")
        text = ini.read_text(encoding="utf-8")
    for key in ("geometry=", "mainSplitter=", "defaultSizes=", f"theme={theme}"):
        if key not in text:
            raise RuntimeError(f"the earlier session left no {key!r} in its settings:\n{text}")
    return text
