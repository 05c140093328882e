"""Count the primes up to 50,000 with a pool of two worker processes."""

from multiprocessing import Pool

LIMIT = 50_000


def is_prime(n):
    if n < 2:
        return False
    divisor = 2
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 1
    return True


with Pool(2) as pool:
    flags = pool.map(is_prime, range(LIMIT + 1), chunksize=2_000)
print(f"primes up to {LIMIT}: {sum(flags)}")
