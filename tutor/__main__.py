"""Entry point of `mp-tutor` and `python -m tutor`.

No Qt at module level: under spawn every worker re-imports the module that started the
program (the installed script imports this one), and Qt in each worker costs tens of MB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections.abc import Sequence


def _parse_gui_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="mp-tutor",
        description=(
            "Multiprocessing Tutor. For the command line see `mp-tutor bench --help` and "
            "`mp-tutor exercises --help`."
        ),
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, run one short two-process run, exit 0 when all went well",
    )
    parser.add_argument("--screenshot", metavar="PATH", help="with --smoke-test: save a PNG")
    parser.add_argument("--no-run", action="store_true", help="with --smoke-test: skip the run")
    options = parser.parse_args(list(argv))
    # Options that only mean something in a smoke test are refused alone, not ignored.
    for flag, given in (("--screenshot PATH", options.screenshot), ("--no-run", options.no_run)):
        if given and not options.smoke_test:
            parser.error(f"{flag} only works with --smoke-test: mp-tutor --smoke-test {flag}")
    return options


def display_problem() -> str | None:
    """A one-line hint when Qt would abort for lack of a display, else None."""
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "mp-tutor: no display found (DISPLAY and WAYLAND_DISPLAY are unset); to run "
        "headless, set QT_QPA_PLATFORM=offscreen, e.g. "
        "QT_QPA_PLATFORM=offscreen mp-tutor --smoke-test"
    )


def _frozen_script(args: Sequence[str]) -> list[str] | None:
    """In a frozen bundle, `script.py [args]` when `args` ask to run a Python script, else None.

    There `sys.executable` is the app itself, not a Python: the console panel runs an example as
    `sys.executable -u example.py`, and an example may start `sys.executable other.py` itself.
    """
    if not getattr(sys, "frozen", False):
        return None
    rest = list(args)
    while rest and rest[0] == "-u":
        rest.pop(0)
    if rest and rest[0].endswith(".py") and os.path.isfile(rest[0]):
        return rest
    return None


def _run_script(script_args: list[str]) -> int:
    """Run a script as `__main__`, the way `python -u script.py` would (frozen bundle only)."""
    import runpy

    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", line_buffering=True, write_through=True)
    script = os.path.abspath(script_args[0])
    sys.argv = [script, *script_args[1:]]
    sys.path.insert(0, os.path.dirname(script))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:
        import traceback

        traceback.print_exc()  # as python would, without the bundle's own error banner
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    # First thing: in a frozen app each worker re-runs this executable.
    multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    script_args = _frozen_script(args)
    if script_args:
        return _run_script(script_args)
    if args and args[0] == "bench":
        from tutor.cli import bench_main

        return bench_main(args[1:])
    if args and args[0] == "exercises":
        from tutor.exercises_cli import exercises_main

        return exercises_main(args[1:])
    options = _parse_gui_args(args)
    problem = display_problem()
    if not problem:
        from tutor.qt_platform import platform_plugin_message

        problem = platform_plugin_message()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from tutor.app import run_app  # Qt is imported only here, in the GUI process

    return run_app(
        smoke_test=options.smoke_test, screenshot=options.screenshot, no_run=options.no_run
    )


if __name__ == "__main__":
    sys.exit(main())
