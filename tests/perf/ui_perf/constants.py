"""Targets, sizes and labels shared by the benchmark's parts."""

from __future__ import annotations

from pathlib import Path

TICK_MS = 5
MAX_GAP_TARGET_MS = 50.0
P99_GAP_TARGET_MS = 20.0
STARTUP_RATIO_TARGET = 1.3
# A returning learner's settings (the appearance is filled in per kind of tutor child).
RETURNING_SETTINGS = (
    "[view]\ntheme={theme}\n[run]\nworkload=primes\nsize=1000000\nworkers=2\n"
    "startMethod=spawn\nchunks=0\nprocessApi=processes\n"
    # Two sections of the lesson read (real titles: a made-up one counted as none read).
    '[progress]\nsections_read="[\\"The problem threads can\'t solve\\", '
    '\\"Processes: the way around the GIL, and what they cost\\"]"\n'
    "[quiz]\nbest_score=3\nbest_total=4\nattempts=2\n"
)
TUTOR_KINDS = {"tutor light": "light", "tutor dark": "dark"}
SIZE = 1_000_000
WORKERS = 2
EXPECTED_PRIMES = 78_498  # primes <= 1,000,000
MANY_CHUNKS = 100_000
EXPECTED_SQUARES = (SIZE - 1) * SIZE * (2 * SIZE - 1) // 6  # sum of i*i for i below SIZE
FIRST = "first run: "
MANY = "100,000 chunks: "
REPEATED = "repeated: "
REPEATS = 5  # measurements per run in the repeated-runs row (A B A B … interleaved)
REPEATED_SIZE = 300_000  # primes; small enough that five rounds stay short
EXPECTED_REPEATED = 25_997  # primes <= 300,000
RUN_TIMEOUT_S = 120.0
CHILD_TIMEOUT_S = 60.0
IDLE_S = 1.0
MARK = "UIR-STARTUP "
REPO_ROOT = Path(__file__).resolve().parents[3]
EXPLAIN_OVER_MS = 15.0  # gaps longer than this are explained under the table
GIL_PLAIN = "2 threads IN the GUI process"
GIL_LIVE = "2 threads IN the GUI process + live chart"
