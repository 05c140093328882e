"""`mp-tutor bench`: run the engine from a terminal and print a table or JSON (no Qt)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

from tutor.cli_io import OutputLost, emit, follow_parent, on_interrupt, seconds_type, warn
from tutor.engine.cancel import CancelToken, RunCancelled
from tutor.engine.failures import RunFailureKind
from tutor.engine.function_path import (
    add_current_folder,
    missing_module_message,
    not_found_hint,
)
from tutor.engine.hosted import run_in_helper
from tutor.engine.machine import logical_cpus
from tutor.engine.modes import ALL_MODES, unavailable_modes_note
from tutor.engine.records import (
    MAX_SIZE,
    MAX_WORKERS,
    RunConfig,
    RunFailed,
    RunResult,
)
from tutor.engine.repeats import MAX_REPEATS, RepeatPolicy, measured_run, run_rounds
from tutor.engine.runners import available_start_methods, validate
from tutor.engine.values import dumps, format_number
from tutor.engine.workloads import CUSTOM, WORKLOAD_NAMES

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130
# A --function run (its module's import included) still going after this long is stopped:
# an endless loop must not keep the learner's cores busy. Longer than the window's default
# per run (20 s), as a command line is also used for larger N; a timeout names the option.
DEFAULT_FUNCTION_TIME_LIMIT_S = 60.0
MAX_FUNCTION_TIME_LIMIT_S = 3600.0  # as the window's Your function panel allows


class UsageError(Exception):
    """Bad command-line arguments: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and exit itself
        raise UsageError(message)


def _size(text: str) -> int:
    try:
        return int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _modes(text: str) -> list[str]:
    modes = [m.strip() for m in text.split(",") if m.strip()]
    for mode in modes:
        if mode not in ALL_MODES:
            raise argparse.ArgumentTypeError(
                f"unknown mode {mode!r}; choose from {', '.join(ALL_MODES)} (comma-separated)"
            )
    if not modes:
        raise argparse.ArgumentTypeError("no mode given")
    return modes


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mp-tutor bench",
        description="Time a workload sequentially, on threads and on processes.",
    )
    parser.add_argument(
        "--workload",
        help=f"one of {', '.join(WORKLOAD_NAMES)} (default: primes, or custom with --function)",
    )
    parser.add_argument("--size", type=_size, default=100_000, help=f"N, 0 … {MAX_SIZE:,}")
    parser.add_argument(
        "--mode",
        type=_modes,
        default=["processes"],
        help=f"one or more of {', '.join(ALL_MODES)}, comma-separated "
        f"(e.g. --mode sequential,threads){unavailable_modes_note()}",
    )
    parser.add_argument(
        "--workers", type=int, default=logical_cpus(), help=f"1 … {MAX_WORKERS} (default: CPUs)"
    )
    parser.add_argument("--start-method", default="spawn", help="spawn, forkserver or fork")
    parser.add_argument("--chunks", type=int, default=None, help="number of chunks (default: auto)")
    parser.add_argument("--function", default=None, help="module:function for --workload custom")
    parser.add_argument(
        "--time-limit",
        type=seconds_type(MAX_FUNCTION_TIME_LIMIT_S),
        default=None,
        metavar="SECONDS",
        help="--function runs: stop a run still going after SECONDS, importing the module "
        f"included (default: {DEFAULT_FUNCTION_TIME_LIMIT_S:g})",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        help="--mode cluster: a running Dask scheduler, tcp:// or tls://host:port (tls:// uses "
        "Dask's distributed.comm.tls settings; default: a local cluster with a per-run TLS "
        "certificate)",
    )
    parser.add_argument(
        "--repeat",
        type=_repeat,
        default=RepeatPolicy(1),
        help=f"runs per mode, 1 … {MAX_REPEATS}, or auto (default: 1); the sequential "
        "baseline is run in the same rounds",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def _repeat(text: str) -> RepeatPolicy:
    if text.strip().lower() == "auto":
        return RepeatPolicy(None)
    try:
        return RepeatPolicy(int(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            str(exc) if "between" in str(exc) else f"not a whole number or auto: {text!r}"
        ) from None


def parse_configs(argv: Sequence[str]) -> tuple[list[RunConfig], bool]:
    """Parse and validate; UsageError with one clear line when something is off."""
    configs, as_json, _ = parse_args(argv)
    return configs, as_json


def parse_args(argv: Sequence[str]) -> tuple[list[RunConfig], bool, RepeatPolicy]:
    """parse_configs plus the repeat policy."""
    try:
        args = build_parser().parse_args(list(argv))
    except UsageError as exc:
        raise UsageError(f"{exc}{_spaced_modes_hint(argv)}") from None
    for flag, value in (("workload", args.workload), ("function", args.function)):
        if value is not None and not value.strip():
            raise UsageError(f"{flag}: empty; leave out --{flag} or give a value")
    folder = add_current_folder() if args.function else ""
    workload = args.workload or ("custom" if args.function else "primes")
    if args.time_limit is not None and workload != CUSTOM:
        raise UsageError("time-limit: only --function runs have one (the built-in work ends)")
    # Code we did not write may never return, or never finish importing: it is stopped.
    time_limit = None if workload != CUSTOM else args.time_limit or DEFAULT_FUNCTION_TIME_LIMIT_S
    configs = [
        RunConfig(
            workload=workload,
            size=args.size,
            mode=mode,
            workers=args.workers,
            start_method=args.start_method,
            chunks=args.chunks,
            function=args.function,
            scheduler=args.scheduler,
            time_limit_s=time_limit,
        )
        for mode in args.mode
    ]
    if args.scheduler is not None and "cluster" not in args.mode:
        raise UsageError("scheduler: only --mode cluster connects to a Dask scheduler")
    try:
        for config in configs:
            validate(config, load_function=False)  # imported in the run's helper process
    except ValueError as exc:
        raise UsageError(not_found_hint(str(exc), folder) if folder else str(exc)) from None
    missing = missing_module_message(args.function, folder) if args.function else None
    if missing:
        raise UsageError(missing)
    return configs, args.json, args.repeat


def _spaced_modes_hint(argv: Sequence[str]) -> str:
    """A hint for `--mode sequential threads`: the words after --mode's value that are mode
    names ("" when there are none), as one comma-separated value to give instead."""
    argv = list(argv)
    for index, word in enumerate(argv):
        if word == "--mode" and index + 1 < len(argv):
            value, rest = argv[index + 1], argv[index + 2 :]
        elif word.startswith("--mode="):
            value, rest = word.partition("=")[2], argv[index + 1 :]
        else:
            continue
        extra = []
        for more in rest:
            if more.startswith("-") or more.strip(",") not in ALL_MODES:
                break
            extra.append(more.strip(","))
        if extra:
            joined = ",".join([value.strip(","), *extra])
            return f" (modes are comma-separated: --mode {joined})"
    return ""


def _ordered(configs: list[RunConfig]) -> list[RunConfig]:
    """Sequential first, so the others can be compared with it."""
    return sorted(configs, key=lambda c: c.mode != "sequential")


def format_table(results: Sequence[RunResult]) -> str:
    header = (
        "mode", "workers", "result", "wall s", "±", "start-up s", "compute s", "speedup", "eff."
    )  # fmt: skip
    rows = [header]
    warnings: dict[int, list[str]] = {}  # row → its warning lines
    for r in results:
        if r.noisy and r.reliability is not None:
            warnings[len(rows)] = [f"warning: {reason}" for reason in r.reliability.reasons]
        check = {True: " ✓", False: " ✗", None: ""}[r.matches_baseline]
        result = format_number(r.answer, ",.2f")
        rows.append(
            (
                r.config.mode,
                str(r.config.workers_used),
                result + check,
                f"{r.wall_s:.3f}",
                f"{r.spread:.0%}" if len(r.repeats) > 1 else "",
                f"{r.startup_s:.3f}",
                f"{r.compute_s:.3f}",
                "" if r.speedup is None else f"{r.speedup:.2f}×",
                "" if r.efficiency is None else f"{r.efficiency:.0%}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(cell.rjust(widths[i]) for i, cell in enumerate(row)))
        lines.extend(warnings.get(number, ()))
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def bench_main(argv: Sequence[str]) -> int:
    try:
        configs, as_json, policy = parse_args(argv)
    except UsageError as exc:
        print(f"mp-tutor bench: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    cancel = CancelToken()
    restore_signals = on_interrupt(cancel.cancel)  # Ctrl+C and SIGTERM
    follow_parent(cancel.cancel)  # a bench the window started ends with the window
    results: list[RunResult] = []
    running: list[RunConfig] = []  # the config now running (for a failure's JSON)

    def run_one(config: RunConfig) -> RunResult:
        running[:] = [config]
        # A learner's function runs in a helper process: a crash, os._exit or an endless loop
        # there is reported (or cancelled), never taken down with the CLI.
        if config.workload == CUSTOM:
            return run_in_helper(config, cancel=cancel)
        return measured_run(config, cancel=cancel)

    try:
        # Rounds of every mode, sequential first in each: medians under the same conditions.
        # Finished runs are kept as they come, so a later failure still reports them.
        run_rounds(_ordered(configs), policy, run_one, results.append)
    except RunCancelled:
        warn("mp-tutor bench: cancelled")
        return EXIT_CANCELLED
    except RunFailed as exc:
        warn(f"mp-tutor bench: run failed: {exc.failure.message}")
        if exc.failure.kind == RunFailureKind.TIMEOUT:
            warn("mp-tutor bench: --time-limit SECONDS gives a --function run longer")
        if exc.failure.traceback:
            warn(exc.failure.traceback.rstrip())
        if as_json:  # the runs that finished, then what went wrong
            failed = {"error": {"mode": running[0].mode, "kind": exc.failure.kind}}
            failed["error"]["message"] = exc.failure.message
            with contextlib.suppress(OutputLost):  # said on stderr; the exit is 1 anyway
                emit(dumps([*(r.to_json() for r in results), failed], indent=2))
        return EXIT_FAILED
    except ValueError as exc:
        warn(f"mp-tutor bench: error: {exc}")
        return EXIT_USAGE
    finally:
        restore_signals()
    try:
        emit(_report(results, as_json))
    except OutputLost:
        return EXIT_FAILED
    return EXIT_OK


def _report(results: list[RunResult], as_json: bool) -> str:
    """What bench prints for its finished runs: JSON, or the header line and the table."""
    if as_json:
        data = [r.to_json() for r in results]
        return dumps(data[0] if len(data) == 1 else data, indent=2)
    first = results[0].config
    header = (
        f"{first.workload} N={first.size:,}  start method {first.start_method}  "
        f"{logical_cpus()} CPUs  Python {results[0].python}"
    )
    notes = dict.fromkeys(r.cluster.note for r in results if r.cluster and r.cluster.note)
    # e.g. cluster workers on other machines, other clocks
    return "\n".join([header, format_table(results), *(f"note: {n}" for n in notes)])


def main() -> int:
    return bench_main(sys.argv[1:])


__all__ = ["bench_main", "build_parser", "format_table", "parse_configs", "available_start_methods"]
