"""Where a `--function module:function` is looked for: also in the folder the command runs in.

An installed `mp-tutor` script (and the frozen app) does not put the current folder on
`sys.path` the way `python -m` does, so `mp-tutor bench --function mywork:work` could not find
the `mywork.py` beside the learner. The folder is appended (last: it never shadows an installed
module); spawned workers start with the parent's `sys.path`, so they find it too.
"""

from __future__ import annotations

import importlib
import importlib.util
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
        "PYTHONPATH: run mp-tutor from the folder that holds it, or e.g. PYTHONPATH=. mp-tutor "
        "bench …)"
    )


def missing_module_message(function: str, folder: str) -> str | None:
    """A usage message when the module of `function` ("module:function") cannot be found
    here, else None. Finds it without importing it: the learner's code runs only in a helper
    process (only the top-level name is looked up, since finding `pkg.mod` would run
    `pkg/__init__.py`)."""
    top = function.partition(":")[0].strip().split(".")[0]
    try:
        found = importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        found = False
    if found:
        return None
    return not_found_hint(
        f"function: cannot import module {top!r}: ModuleNotFoundError: No module named {top!r}",
        folder,
    )


def shadowing_hint(module: object) -> str:
    """A hint ending in "rename your file" when `module` is not the learner's file of its name
    in the current folder: the standard library's or an installed module of that name came
    first (`queue.py`, `tutor.py` beside the learner); else the empty string."""
    name = getattr(module, "__name__", "")
    found = getattr(module, "__file__", None)
    own = os.path.abspath(f"{name.replace('.', os.sep)}.py")
    if not name or not os.path.isfile(own):
        return ""
    if found is not None and os.path.abspath(found) == own:
        return ""
    where = found or "built into Python"
    return (
        f" (the name {name!r} is also a module Python found first, {where}, not {own}: "
        "rename your file)"
    )
