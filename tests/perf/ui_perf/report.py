"""The benchmark's tables."""

from __future__ import annotations

import os
import platform
from typing import TYPE_CHECKING

from ui_perf.constants import (
    EXPLAIN_OVER_MS,
    MAX_GAP_TARGET_MS,
    P99_GAP_TARGET_MS,
    SIZE,
    STARTUP_RATIO_TARGET,
    TICK_MS,
    WORKERS,
)
from ui_perf.gaps import GapStats
from ui_perf.startup import StartupStats

if TYPE_CHECKING:  # only for the type checker: no Qt at module level (see ui_responsiveness.py)
    pass

# --- report -------------------------------------------------------------------------------


def machine_line() -> str:
    import pyqtgraph
    import PySide6

    try:
        load = "load avg " + " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "load avg n/a"
    qpa = os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY") else "default")
    return (
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"pyqtgraph {pyqtgraph.__version__}, {os.cpu_count()} logical CPUs, "
        f"{platform.system()} {platform.release()}, QPA {qpa}, {load}"
    )


def print_gap_table(stats: list[GapStats]) -> None:
    print()
    print(
        f"Event-loop gaps of a {TICK_MS} ms QTimer in the real window, primes N={SIZE:,}, "
        f"{WORKERS} workers (targets: max <= {MAX_GAP_TARGET_MS:.0f} ms, "
        f"p99 <= {P99_GAP_TARGET_MS:.0f} ms)"
    )
    print()
    print("| mode | ticks | mean ms | p99 ms | max ms | result | notes |")
    print("|---|---:|---:|---:|---:|---|---|")
    for s in stats:
        print(
            f"| {s.label} | {s.ticks} | {s.mean_ms:.1f} | {s.p99_ms:.1f} | {s.max_ms:.1f} "
            f"| {s.verdict} | {s.note} |"
        )


def print_worst_gaps(stats: list[GapStats]) -> None:
    rows = [(s.label, line) for s in stats for line in s.worst]
    if not rows:
        return
    print()
    print(f"Diagnostics: the longest gaps over {EXPLAIN_OVER_MS:.0f} ms (top 3 per mode)")
    for label, line in rows:
        print(f"  {label}: {line}")


def print_startup_table(stats: list[StartupStats]) -> dict[str, float]:
    """The start-up table; returns each tutor kind's ratio to the bare window."""
    bare = next(s for s in stats if s.kind == "bare")
    print()
    print(
        f"Start-up: process start to the first painted frame, median of {len(bare.samples_ms)} "
        f"fresh processes each, alternating, the tutor with a returning learner's settings "
        f"(target: tutor <= {STARTUP_RATIO_TARGET}x bare, light and dark alike)"
    )
    print()
    print(
        "| window | median ms | runs ms | interpreter | imports done | built | shown "
        "| exposed | CPU ms |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    titles = {
        "tutor light": "mp-tutor main window, light",
        "tutor dark": "mp-tutor main window, dark",
        "bare": "bare QMainWindow + PlotWidget",
    }
    for s in stats:
        runs = ", ".join(f"{x:.0f}" for x in s.samples_ms)
        p = s.phases_ms
        print(
            f"| {titles[s.kind]} | {s.median_ms:.0f} | {runs} | {p['interpreter']:.0f} "
            f"| {p['imports']:.0f} | {p['window']:.0f} | {p['shown']:.0f} "
            f"| {p['exposed']:.0f} | {p['cpu']:.0f} |"
        )
    ratios = {}
    for s in stats:
        if s.kind == "bare":
            continue
        ratio = ratios[s.kind] = s.median_ms / bare.median_ms
        verdict = "PASS" if ratio <= STARTUP_RATIO_TARGET else "MISS"
        # CPU time hardly grows with other processes' load, unlike the wall time judged here:
        # on a busy machine, its ratio shows whether a change helped.
        cpu = s.phases_ms["cpu"] / bare.phases_ms["cpu"]
        print(
            f"| **ratio {s.kind} / bare** | **{ratio:.2f}x** | {verdict} | | | | | | {cpu:.2f}x |"
        )
    return ratios
