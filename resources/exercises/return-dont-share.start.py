"""Count the primes up to 20,000 in pieces, on two worker processes."""

from multiprocessing import Pool

LIMIT = 20_000
PIECE = 5_000

found = []


def is_prime(n):
    if n < 2:
        return False
    divisor = 2
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 1
    return True


def collect_primes(bounds):
    low, high = bounds
    for n in range(low, high):
        if is_prime(n):
            found.append(n)


if __name__ == "__main__":
    pieces = [(low, min(low + PIECE, LIMIT + 1)) for low in range(0, LIMIT + 1, PIECE)]
    with Pool(2) as pool:
        pool.map(collect_primes, pieces)
    print(f"primes up to {LIMIT}: {len(found)}")
