"""Does a run's cost per chunk stay flat as the chunks multiply? Every process mode, measured.

The lesson's chunk-size experiment shows that many tiny chunks cost more than a few big ones:
each chunk is a task sent to a worker and a result sent back. That cost must be the pool's,
paid once per chunk, and not grow with the number of chunks waiting: the executor and loky
runners once waited with `concurrent.futures.wait` over every pending future, and 20,000 chunks
of squares took 51 s on the executor against 0.96 s on Pool (tutor.engine.completion).

For each mode, *squares* with N = 1,000,000 on 2 workers is run with 2,000 and with 20,000
chunks (one run each, through the engine, in this process); the table gives the wall time per
chunk (µs) of each and their ratio. PASS: the ratio is at most 2 (ten times the chunks at most
twice the cost per chunk; flat would be 1, quadratic 10).

Run: `python tests/perf/many_chunks.py [--modes processes,executor,loky]`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SIZE = 1_000_000
WORKERS = 2
FEW, MANY = 2_000, 20_000
MOST_RATIO = 2.0


def wall_per_chunk_us(mode: str, chunks: int) -> float:
    """Wall time (µs) per chunk of one engine run of squares (SIZE) in `mode` on WORKERS."""
    from tutor.engine.records import RunConfig
    from tutor.engine.runners import run

    config = RunConfig("squares", SIZE, mode, WORKERS, "spawn", chunks=chunks)
    result = run(config)
    if len(result.chunks) != chunks:
        raise RuntimeError(f"{mode}: {len(result.chunks)} chunks reported of {chunks}")
    return result.wall_s / chunks * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="processes,executor,loky")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tutor.engine.modes import unavailable_reason

    print(f"squares, N = {SIZE:,}, {WORKERS} workers, spawn: wall time per chunk")
    print(f"| mode | {FEW:,} chunks µs | {MANY:,} chunks µs | ratio | result |")
    print("|---|---:|---:|---:|---|")
    failed = False
    for mode in args.modes.split(","):
        reason = unavailable_reason(mode)
        if reason:
            print(f"| {mode} | | | | skipped: {reason} |")
            continue
        few = wall_per_chunk_us(mode, FEW)
        many = wall_per_chunk_us(mode, MANY)
        ratio = many / few
        ok = ratio <= MOST_RATIO
        failed |= not ok
        print(f"| {mode} | {few:.0f} | {many:.0f} | {ratio:.2f} | {'PASS' if ok else 'MISS'} |")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
