"""The text of a saved report: its folder's name and its README overview.

The files themselves (CSV, JSON, machine facts) come from tutor.engine.export; this is the
Markdown a person reads first: the machine, the best speedup of each mode, what each file
holds and the charts in words. Qt-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tutor.engine.records import RunResult


def report_folder_name(when: datetime) -> str:
    """A sortable folder name for one saved report."""
    return when.strftime("mp-tutor-report-%Y-%m-%d-%H%M%S")


def report_readme(
    results: Sequence[RunResult],
    machine: dict,
    files: dict[str, str],
    when: datetime,
    charts: dict[str, str] | None = None,
) -> str:
    """A short Markdown overview of a saved report: machine, best speedups, the files in it."""
    lines = [
        "# Multiprocessing Tutor report",
        "",
        f"Saved {when.strftime('%Y-%m-%d %H:%M:%S')}.",
        "",
        "## Machine",
        "",
        f"- CPUs: {machine.get('logical_cpus')} logical"
        + (
            f", {machine['physical_cores']} physical cores"
            if machine.get("physical_cores")
            else " (physical cores unknown)"
        ),
        f"- Python {machine.get('python_version')} ({machine.get('python_implementation')}), "
        f"GIL {machine.get('gil')}",
        f"- Start method: {machine.get('start_method')}"
        + (
            f" (available: {', '.join(machine['available_start_methods'])})"
            if machine.get("available_start_methods")
            else ""
        ),
        f"- OS: {machine.get('os')}",
        "",
        "## Runs",
        "",
    ]
    if not results:
        lines.append("No finished runs yet: the charts and tables are empty.")
    else:
        lines.append(f"{len(results)} finished run{'s' if len(results) != 1 else ''}.")
        for mode, result in _best_by_mode(results).items():
            line = (
                f"- Best {mode}: {result.speedup:.2f}× with {result.config.workers} "
                f"worker{'s' if result.config.workers != 1 else ''} "
                f"({result.config.workload}, N={result.config.size:,}, "
                f"{result.wall_s:.3f} s)"
            )
            if result.noisy and result.reliability is not None:  # every run of it was
                reasons = "; ".join(result.reliability.reasons) or "see results.json"
                line += f". Not to be trusted: {reasons}"
            lines.append(line)
        noisy = sum(1 for result in results if result.noisy)
        if noisy:
            lines.append(
                f"- {noisy} of the runs {'was' if noisy == 1 else 'were'} noisy (their reasons "
                "are under `reliability` in results.json); a mode's best is taken from its "
                "trustworthy runs when it has any."
            )
    lines += ["", "## Files", ""]
    for name, what in files.items():
        lines.append(f"- `{name}`: {what}")
    if charts:
        lines += ["", "## Charts in words", ""]
        for title, summary in charts.items():
            lines.append(f"- {title}: {summary}")
    return "\n".join(lines) + "\n"


def _best_by_mode(results: Sequence[RunResult]) -> dict[str, RunResult]:
    """Each parallel mode's run with the highest speedup: among its runs not flagged noisy
    (engine.reliability) when there are such, else among all of them."""
    by_mode: dict[str, list[RunResult]] = {}
    for result in results:
        if result.speedup is not None and result.config.mode != "sequential":
            by_mode.setdefault(result.config.mode, []).append(result)
    best: dict[str, RunResult] = {}
    for mode, runs in by_mode.items():
        trusted = [run for run in runs if not run.noisy] or runs
        best[mode] = max(trusted, key=lambda run: run.speedup or 0.0)
    return best
