"""Line (e) of bench_engine.py: sequential against N threads on the `hashing` workload
(SHA-256 over 64 KiB blocks, C code that releases the GIL), where threads should scale."""

from __future__ import annotations

START_METHOD = "spawn"
MAX_TRIES = 5
HASHING_SIZE = 20_000  # 64 KiB blocks: about a second sequentially on one core


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def timed_runs(
    workload: str, size: int, mode: str, workers: int, tries: int = MAX_TRIES
) -> tuple[float, object, float]:
    """(wall seconds, result, share of a core other programs used meanwhile) of one engine
    run, measured again (at most `tries` times) while others hog the CPU."""
    from block_timer import Timed  # beside this script

    from tutor.engine.records import RunConfig
    from tutor.engine.runners import run

    for _ in range(tries):
        with Timed() as timed:
            result = run(RunConfig(workload, size, mode, workers, START_METHOD))
        if timed.others / timed.wall <= 0.1:
            break
    return timed.wall, result.answer, timed.others / timed.wall


def hashing_threads_ratio(
    rounds: int, workers: int, tries: int = MAX_TRIES
) -> tuple[float, float, float]:
    """Medians over `rounds` of T_sequential and T_threads (seconds) on the hashing workload,
    and the largest share of a core other programs took meanwhile; SystemExit if the two
    modes disagree on the count."""
    import statistics

    sequential, threads, others = [], [], [0.0]
    for _ in range(rounds):
        wall_seq, answer_seq, other_seq = timed_runs(
            "hashing", HASHING_SIZE, "sequential", 1, tries
        )
        wall_thr, answer_thr, other_thr = timed_runs(
            "hashing", HASHING_SIZE, "threads", workers, tries
        )
        if answer_seq != answer_thr:
            raise SystemExit(f"hashing: threads counted {answer_thr}, sequential {answer_seq}")
        sequential.append(wall_seq)
        threads.append(wall_thr)
        others += [other_seq, other_thr]
    return statistics.median(sequential), statistics.median(threads), max(others)


def print_hashing_line(rounds: int, workers: int, tries: int = MAX_TRIES) -> None:
    t_seq, t_thr, busiest = hashing_threads_ratio(rounds, workers, tries)
    speedup = t_seq / t_thr
    print(
        f"(e) T_sequential / T_threads on hashing = {speedup:.3f}   expect ≥ 1.4 at N = 2 "
        f"(hashlib releases the GIL)  {verdict(speedup >= 1.4)}   ({HASHING_SIZE:,} blocks of "
        f"64 KiB: sequential {t_seq:.3f} s, {workers} threads {t_thr:.3f} s)"
    )
    if busiest > 0.1:
        print(f"    other programs used up to {busiest:.0%} of a core meanwhile: skewed")
