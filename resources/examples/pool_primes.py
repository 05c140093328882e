"""Pool.map: count the primes up to 100,000 on a pool of worker processes.

Pool.map cuts the numbers into chunks, sends the chunks to the workers, and returns one result
per number as a list in the same order as the input. Run it with:  python pool_primes.py
"""

import os
import time
from multiprocessing import Pool

LIMIT = 100_000


def is_prime(n: int) -> bool:
    """Trial division: slow on purpose, so there is real work to share out."""
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    divisor = 3
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 2
    return True


if __name__ == "__main__":
    numbers = range(LIMIT + 1)
    workers = min(4, os.cpu_count() or 1)
    began = time.perf_counter()
    with Pool(processes=workers) as pool:
        # chunksize=5_000: each message to a worker carries 5,000 numbers, not one,
        # so the cost of pickling and sending is paid 21 times instead of 100,001 times.
        flags = pool.map(is_prime, numbers, chunksize=5_000)
    seconds = time.perf_counter() - began

    # flags[i] belongs to numbers[i]: map keeps the input order.
    first_primes = [n for n, prime in zip(numbers, flags, strict=True) if prime][:10]
    print(f"first primes, in order: {first_primes}", flush=True)
    print(f"primes up to {LIMIT:,}: {sum(flags):,}", flush=True)
    print(f"{workers} worker processes took {seconds:.2f} s (start-up included)", flush=True)
