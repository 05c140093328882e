"""Where a `--function module:function` is looked for: also in the folder the command runs in.

An installed `mp-tutor` script (and the frozen app) does not put the current folder on
`sys.path` the way `python -m` does, so `mp-tutor bench --function mywork:work` could not find
the `mywork.py` beside the learner. The folder is appended (last: it never shadows an installed
module); spawned workers start with the parent's `sys.path`, so they find it too.
"""

from __future__ import annotations

import importlib
import os
import sys


def add_current_folder() -> str:
    """Append the current working folder to `sys.path` (once) and return it."""
    folder = os.getcwd()
    if folder not in sys.path:
        sys.path.append(folder)
        importlib.invalidate_caches()
    return folder


def not_found_hint(message: str, folder: str) -> str:
    """`message` with where modules are looked for, when it says a module was not found."""
    if "ModuleNotFoundError" not in message:
        return message
    return (
        f"{message} (the module's file must be in the current folder, {folder}, or on "
        "PYTHONPATH; run mp-tutor from the folder that holds it)"
    )
