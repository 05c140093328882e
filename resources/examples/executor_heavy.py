"""ProcessPoolExecutor: submit one long job and three short ones, collect them as they finish.

Also shows map() on the same executor, and what happens when a worker dies: the pool is
marked broken and waiting raises BrokenProcessPool instead of hanging.
Run it with:  python executor_heavy.py
"""

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool


def count_primes_below(limit: int) -> int:
    """A CPU-heavy task: count primes below `limit` by trial division."""
    count = 0
    for n in range(2, limit):
        divisor = 2
        while divisor * divisor <= n:
            if n % divisor == 0:
                break
            divisor += 1
        else:
            count += 1
    return count


def die_suddenly(code: int) -> None:
    """Simulates a crash: the worker process ends without reporting back."""
    os._exit(code)


def usable_cpus() -> int:
    """The CPUs this process may run on (Python 3.13+), else the machine's count."""
    counter = getattr(os, "process_cpu_count", None) or os.cpu_count
    return counter() or 1


if __name__ == "__main__":
    # One long job first, then three short ones: with two or more workers the short ones
    # overtake it, so as_completed() visibly differs from the order of submission.
    limits = [200_000, 20_000, 40_000, 60_000]

    # Left out, max_workers is the number of CPUs this process may use (os.process_cpu_count()
    # from Python 3.13, os.cpu_count() before). Under taskset or in a pinned container that
    # is fewer than the machine has. We ask for at least two, so the overtaking shows even
    # on one CPU.
    cpus = usable_cpus()
    print(f"this machine has {os.cpu_count()} CPUs; this process may use {cpus}", flush=True)
    with ProcessPoolExecutor(max_workers=max(2, cpus)) as executor:
        began = time.perf_counter()
        futures = {executor.submit(count_primes_below, limit): limit for limit in limits}
        print("submitted: " + ", ".join(f"{limit:,}" for limit in limits), flush=True)
        for future in as_completed(futures):  # in the order they finish, not submit order
            limit = futures[future]
            print(
                f"submit: primes below {limit:,} = {future.result():,} "
                f"(after {time.perf_counter() - began:.2f} s)",
                flush=True,
            )

        # map() gives the results back in input order, like the built-in map(). Unlike it,
        # executor.map() reads its whole input at once, when it is called.
        smaller = [1_000, 2_000, 3_000]
        for limit, count in zip(smaller, executor.map(count_primes_below, smaller), strict=True):
            print(f"map: primes below {limit:,} = {count:,}", flush=True)

        # Last, a worker that dies abruptly: that breaks the whole pool, and the executor
        # notices and says so instead of waiting forever. (A broken executor can't be reused.)
        doomed = executor.submit(die_suddenly, 3)
        try:
            doomed.result(timeout=30)
        except BrokenProcessPool as error:
            print(f"a worker died: {type(error).__name__}: {error}", flush=True)
    print("done", flush=True)
