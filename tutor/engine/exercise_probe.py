"""Notes, in each process a checked exercise program starts, whether the learner's code ran there.

How the proof works (see tutor.engine.exercise_check for the whole check):

* The checker copies this file as `sitecustomize.py` into a private folder and puts that folder
  first on PYTHONPATH. Python imports `sitecustomize` at start-up, so every interpreter the
  learner's program starts imports it too: spawn's workers, a forkserver, a
  ProcessPoolExecutor's workers (forked children inherit it from their parent).
* It reads three environment variables (the learner's file, a records folder) and installs a
  global trace function (`sys.settrace`). A global trace function is called once per new Python
  frame and returns None, so no line events are traced: the cost is one small call per function
  call, and only until the first record.
* When a function *defined in the learner's file* (not its module-level code) starts while this
  process is a multiprocessing child (`multiprocessing.parent_process()` is not None), it writes
  `<pid>.json` = {"pid", "parent_pid", "function"} into the records folder and removes itself.
  The parent-process handle is set only when the child's bootstrap hands over to the target
  (`BaseProcess._bootstrap`), *after* the child re-imported the learner's main module: code that
  runs during that import (e.g. an unguarded top-level call) does not count as worker work.
* The top process (the learner's `__main__`) is never a multiprocessing child, so its calls are
  never recorded: a record proves the work ran in a worker, whatever the source looks like.

If the environment already had a `sitecustomize` further down sys.path, it is run afterwards,
so the learner's environment behaves as it would without the checker.

Stdlib only and no tutor imports: in the child this file is a top-level module, not part of the
package.
"""

from __future__ import annotations

import json
import os
import sys

ENV_RECORDS_DIR = "MP_TUTOR_PROBE_RECORDS"
ENV_TARGET_FILE = "MP_TUTOR_PROBE_FILE"


def _in_worker() -> bool:
    process = sys.modules.get("multiprocessing.process")
    return process is not None and process.parent_process() is not None


def _write_record(folder: str, function: str) -> None:
    record = {"pid": os.getpid(), "parent_pid": os.getppid(), "function": function}
    final = os.path.join(folder, f"{os.getpid()}.json")
    partial = final + ".part"
    try:
        with open(partial, "w", encoding="utf-8") as stream:
            json.dump(record, stream)
        os.replace(partial, final)  # a reader never sees half a record
    except OSError:
        pass  # the records folder is gone: the check has already ended


def install() -> bool:
    """Install the trace function when the checker's variables are set; True when installed."""
    folder = os.environ.get(ENV_RECORDS_DIR)
    target = os.environ.get(ENV_TARGET_FILE)
    if not folder or not target:
        return False
    wanted = os.path.normcase(os.path.abspath(target))
    known: dict[str, bool] = {}

    def is_learner_file(filename: str) -> bool:
        hit = known.get(filename)
        if hit is None:
            hit = known[filename] = os.path.normcase(os.path.abspath(filename)) == wanted
        return hit

    def trace(frame, _event, _arg):  # called once per new frame: the "call" event
        code = frame.f_code
        if code.co_name != "<module>" and is_learner_file(code.co_filename) and _in_worker():
            _write_record(folder, code.co_name)
            sys.settrace(None)  # one record per process is all the proof needed
        return None

    sys.settrace(trace)
    return True


def _run_next_sitecustomize() -> None:
    """Run the sitecustomize this one shadows, if the environment has one."""
    import importlib.machinery
    import importlib.util

    here = os.path.normcase(os.path.dirname(os.path.abspath(__file__)))
    rest = [p for p in sys.path if os.path.normcase(os.path.abspath(p or os.curdir)) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception:
        pass  # site would only have printed it; the learner's program must still run


if __name__ == "sitecustomize":
    install()
    _run_next_sitecustomize()
