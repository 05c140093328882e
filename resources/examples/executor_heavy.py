"""ProcessPoolExecutor: submit a few heavy calculations and collect them as they finish.

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


if __name__ == "__main__":
    limits = [40_000, 80_000, 120_000, 160_000]

    # max_workers defaults to the number of CPUs; we leave it at that.
    print(f"this machine reports {os.cpu_count()} CPUs", flush=True)
    with ProcessPoolExecutor() as executor:
        began = time.perf_counter()
        futures = {executor.submit(count_primes_below, limit): limit for limit in limits}
        for future in as_completed(futures):  # in the order they finish, not submit order
            limit = futures[future]
            print(
                f"submit: primes below {limit:,} = {future.result():,} "
                f"(after {time.perf_counter() - began:.2f} s)",
                flush=True,
            )

        # map() gives the results back in input order, like the built-in map().
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
