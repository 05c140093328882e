"""How responsive the real Multiprocessing Tutor window stays, and how fast it opens.

Run from the repository root (not collected by pytest; not part of `make test`):

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/perf/ui_responsiveness.py

(or under Xvfb / a real display with DISPLAY set). Runtime: well under a minute on 2 cores.

1. Event-loop responsiveness. The real main window (`tutor.app.create_main_window()`, shown)
   runs a 5 ms precise QTimer whose slot only records `time.perf_counter()`. A healthy event
   loop fires it every ~5 ms; the gap between two timeouts is the longest the window could not
   react to input or repaint. The runs are started by clicking the real buttons (QTest), as a
   learner would, and the script waits in a local QEventLoop until `batch_finished` and then
   until the window has settled (no view step queued, no lesson colours held for after the run:
   a condition, checked every tick), so nothing a click set off spills into the next row:
   counting primes <= 1,000,000 with 2 workers as threads, processes (multiprocessing.Pool) and
   executor (ProcessPoolExecutor). The sequential baseline runs first automatically. Gaps are
   attributed by run identity: each helper run's `run_started` (naming its config) opens a span
   of that run's row, the next `run_started` closes it; a gap counts for the span in which it
   ended, the first run of a click owns the time from the click (so starting the helper process
   counts against the run it serves), the last one the settling, and a run repeated in rounds
   (A B A B …) has one span per repeat. Targets per mode: max gap <= 50 ms and
   p99 <= 20 ms. Three more target rows: the FIRST run after the window opens (clicked at
   once, before the idle build of the tabs could finish); a run repeated five times,
   interleaved with its baseline (primes N=300,000, `Repeats` = 5: ten helper runs from one
   click); and a run of 100,000 chunks (squares N=1,000,000, chunks=100,000, 2 processes),
   whose timeline gets hundreds of batches of hundreds of chunks each. For contrast
   (reference rows, not targets) the same timer runs while two plain `threading.Thread`s count
   the same primes INSIDE the GUI process, once alone and once while the GUI draws their
   chunks live in the real timeline chart ~30 times a second as it does for a real run: they
   hold the GIL the event loop needs, which is why the tutor runs every experiment in a helper
   process (docs/architecture.md, Landmines: measured ~70 ms max there). Gaps over 15 ms are
   explained below the table from the GUI thread's scheduler statistics: its own
   CPU time, time waiting for a free core, and the rest. With --profile each is also
   explained by what ran in it: the Python stacks sampled (ui_perf/sampler.py) and the Qt
   events handled, with their times (ui_perf/event_trace.py: relayouts and repaints are Qt's
   own C++, which the sampler cannot see). Not for published numbers: both load the process.

2. Start-up. Time from process start (the parent's monotonic clock just before it starts the child;
   CLOCK_MONOTONIC is shared by all processes) to the first complete frame of the window: the
   window's first Expose event (Qt paints the first frame while handling it), then a zero-timer so
   the whole first paint pass (and its flush) is included. Measured for (a) the tutor window as
   `mp-tutor` builds it and (b) a bare QMainWindow holding one pyqtgraph PlotWidget, both 1280x800,
   each in fresh `python -c` subprocesses, alternating, after one unmeasured warm-up of each;
   medians of the repetitions; target: tutor <= 1.3x bare, light and dark alike. Every tutor child
   gets a fresh MP_TUTOR_CONFIG_DIR holding a returning learner's settings (appearance light or
   dark) as a real earlier session of the window left them (`ui_perf/returning.py`). Both start
   from bytecode: the tutor's modules are compiled first (see bytecode.py). Each child imports its
   window first, as `mp-tutor` does, and the probe's Qt after it (see tutor/qt_free_imports.py why
   the order of imports matters).

This module imports no Qt at module level: the tutor's runs use spawn, and every spawned helper
and worker re-imports the launching script as `__mp_main__` (docs/architecture.md,
Landmines). Qt imported
here at module level would load Qt into every worker and skew the very runs being measured.

The parts live in the `ui_perf` package beside this script: `gaps` (the timer and its
statistics), `runs` (the clicked runs), `gil_contrast` (the in-process reference rows),
`sampler` and `event_trace` (--profile), `startup` (with `returning`, the earlier session) and
`report`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the ui_perf package beside this script

from ui_perf.constants import REPO_ROOT, STARTUP_RATIO_TARGET  # noqa: E402
from ui_perf.gaps import GapStats  # noqa: E402
from ui_perf.report import machine_line, print_gap_table, print_startup_table, print_worst_gaps  # noqa: E402
from ui_perf.runs import measure_responsiveness  # noqa: E402
from ui_perf.startup import StartupStats, measure_startup  # noqa: E402


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 11, not 5: on the busy 2-core host the median of five swung by ±7 % between runs a
    # minute apart, about the whole margin the 1.3x target leaves.
    parser.add_argument("--startup-reps", type=int, default=11, help="children per window kind")
    parser.add_argument("--skip-responsiveness", action="store_true")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="say what the GUI thread ran in long gaps: its Python stack and its Qt events",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    print(machine_line(), flush=True)
    misses: list[str] = []
    with tempfile.TemporaryDirectory(prefix="uir-settings-") as config_dir:
        # The window in this process keeps its settings out of the user's real ones.
        os.environ["MP_TUTOR_CONFIG_DIR"] = config_dir
        gaps: list[GapStats] = []
        if not args.skip_responsiveness:
            print("measuring event-loop gaps during real runs …", flush=True)
            gaps = measure_responsiveness(profile=args.profile)
            misses += [f"gaps: {s.label}" for s in gaps if s.target and not s.passed]
        startup: list[StartupStats] | None = None
        if not args.skip_startup:
            print(f"measuring start-up ({args.startup_reps} + 1 children each) …", flush=True)
            startup = measure_startup(args.startup_reps)

    print("\n## UI responsiveness and start-up (tests/perf/ui_responsiveness.py)\n")
    print(machine_line())
    if gaps:
        print_gap_table(gaps)
    if startup is not None:
        for kind, ratio in print_startup_table(startup).items():
            if ratio > STARTUP_RATIO_TARGET:
                misses.append(f"start-up ratio {kind} {ratio:.2f}x")
    print_worst_gaps(gaps)
    print()
    print(f"Overall: {'PASS' if not misses else 'MISS (' + '; '.join(misses) + ')'}")
    print(f"(measured in {time.perf_counter() - began:.0f} s)")
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))  # run from anywhere
    sys.exit(main())
