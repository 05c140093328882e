"""The one place that knows where `resources/` lives (source tree, wheel or frozen bundle)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resources_root() -> Path:
    """Return the folder holding lessons/, examples/, quiz/ and icons/.

    Wheels carry it as `tutor/resources`; a source checkout (editable install) has it beside
    the package; a PyInstaller bundle unpacks it under `sys._MEIPASS`.
    """
    candidates = [_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "tutor" / "resources")
    for candidate in candidates:
        if (candidate / "lessons").is_dir():
            return candidate
    raise FileNotFoundError(
        "The tutor's resources folder is missing; looked in: "
        + ", ".join(str(c) for c in candidates)
    )


def resource_path(*parts: str) -> Path:
    """Path of a file or folder inside resources/, e.g. resource_path("quiz", "x.toml")."""
    return resources_root().joinpath(*parts)
