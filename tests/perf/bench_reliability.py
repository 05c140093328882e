"""Busy-machine detector benchmark: how often does it cry wolf, and how often does it miss?

Not collected by pytest (not a test_*.py file). Run it on a quiet machine:

    .venv/bin/python tests/perf/bench_reliability.py [--runs 10] [--size 300000]

Runs the same processes run (primes ≤ size, one worker per CPU) `runs` times on the machine
as it is (every "noisy" verdict is a false positive if the machine is really idle) and `runs`
times beside a real CPU hog: one bounded busy-loop process per CPU (every "ok" verdict is a
false negative). Prints both rates and the measured share of other programs.
"""

from __future__ import annotations

import os
import sys

# Spawned workers re-import this script as __mp_main__: its top level stays light.


def main(argv: list[str] | None = None) -> int:
    import argparse
    import statistics
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: cpu_hog
    from cpu_hog import cpu_hogs

    from tutor.engine.records import RunConfig
    from tutor.engine.reliability import OTHER_CPU_THRESHOLD
    from tutor.engine.repeats import judge, measured_run

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--size", type=int, default=300_000)
    args = parser.parse_args(argv)
    cpus = os.cpu_count() or 1
    config = RunConfig("primes", args.size, "processes", cpus)
    print(
        f"primes ≤ {args.size:,}, processes × {cpus}, {args.runs} runs each; "
        f"threshold {OTHER_CPU_THRESHOLD:.0%} of {cpus} CPUs"
    )

    def runs() -> list:
        return [judge(measured_run(config)) for _ in range(args.runs)]

    idle = runs()
    with cpu_hogs():
        busy = runs()
    false_positives = sum(r.noisy for r in idle)
    false_negatives = sum(not r.noisy for r in busy)
    for name, results in (("as the machine is", idle), ("beside a CPU hog", busy)):
        shares = [r.cpu_share.fraction for r in results]
        method = results[0].cpu_share.method
        print(
            f"  {name:18}: other programs' share median {statistics.median(shares):.0%} "
            f"(min {min(shares):.0%}, max {max(shares):.0%}; via {method}), "
            f"noisy {sum(r.noisy for r in results)}/{len(results)}"
        )
    print(f"false positives (noisy without the hog): {false_positives}/{args.runs}")
    print(f"false negatives (ok beside the hog):    {false_negatives}/{args.runs}")
    print(
        "A false positive is only false on a really idle machine: with other work running, "
        "noisy is the right answer."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
