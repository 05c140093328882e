"""`mp-tutor exercises list` and `mp-tutor exercises check ID FILE` (no Qt).

Exit codes of `check`: 0 and a line starting `passed` when the program passes; 1 and a line
starting `failed:` with the reason when it does not; 2 for an unknown exercise id, an unreadable
file, bad arguments, or a checker that cannot be set up (one line on stderr, no traceback).
`check --time-limit SECONDS` replaces the exercise's own time limit (0 < SECONDS <= 600).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence

from tutor.cli_io import seconds_type
from tutor.content.exercises import MAX_TIME_LIMIT_S, Exercise, get_exercise, load_exercises
from tutor.engine.exercise_check import (
    CheckerUnavailable,
    CheckResult,
    CheckSpec,
    FailureKind,
    check_program,
)

OUTPUT_TAIL_LINES = 20


def check_spec(exercise: Exercise) -> CheckSpec:
    """The checker's view of an exercise's `[check]` table."""
    return CheckSpec(
        must_print=exercise.must_print,
        needs_workers=exercise.needs_workers,
        time_limit_s=exercise.time_limit_s,
        reasons={FailureKind(kind): text for kind, text in exercise.reasons},
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mp-tutor exercises",
        description="Practice exercises: fix a program, then let the tutor run it to check it.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="print every exercise as `ID  title`")
    check = commands.add_parser("check", help="run FILE and check it against exercise ID")
    check.add_argument("exercise_id", metavar="ID")
    check.add_argument("file", metavar="FILE")
    check.add_argument(
        "--show-output", action="store_true", help="also print what the program printed"
    )
    check.add_argument(
        "--time-limit",
        type=seconds_type(MAX_TIME_LIMIT_S),
        metavar="SECONDS",
        help="stop the program after SECONDS instead of the exercise's own limit "
        f"(at most {MAX_TIME_LIMIT_S:g})",
    )
    return parser


def _print_tail(title: str, text: str) -> None:
    lines = text.rstrip().splitlines()[-OUTPUT_TAIL_LINES:]
    if lines:
        print(f"--- {title} (last {len(lines)} lines) ---")
        print("\n".join(lines))


def exercises_main(argv: Sequence[str]) -> int:
    """Run the `exercises` command; returns the process exit code (0, 1 or 2)."""
    options = _parser().parse_args(list(argv))  # bad arguments: argparse exits with 2
    try:
        exercises = load_exercises()
    except (OSError, ValueError) as exc:
        print(f"mp-tutor exercises: the exercises cannot be loaded: {exc}", file=sys.stderr)
        return 2
    if options.command == "list":
        for exercise in exercises:
            print(f"{exercise.id}  {exercise.title}")
        return 0
    try:
        exercise = get_exercise(options.exercise_id)
    except KeyError:
        known = ", ".join(e.id for e in exercises)
        print(
            f"mp-tutor exercises: unknown exercise {options.exercise_id!r}; known: {known}",
            file=sys.stderr,
        )
        return 2
    spec = check_spec(exercise)
    if options.time_limit is not None:
        spec = dataclasses.replace(spec, time_limit_s=options.time_limit)
    try:
        result: CheckResult = check_program(options.file, spec)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        print(f"mp-tutor exercises: cannot read {options.file}: {reason}", file=sys.stderr)
        return 2
    except CheckerUnavailable as exc:
        print(f"mp-tutor exercises: cannot check programs here: {exc}", file=sys.stderr)
        return 2
    print(result.verdict_line())
    if options.show_output or not result.passed:
        _print_tail("output", result.stdout)
        _print_tail("errors", result.stderr)
    return 0 if result.passed else 1
