"""How evenly a cut of the primes domain splits over the workers, predicted from the real
cost of trial division (bench_engine.py's "chunk balance" lines). Standard library and the
engine's chunking only; spawned workers never import it."""

from __future__ import annotations

from tutor.engine.chunking import contiguous_chunks, interleaved_chunks


def divisions(n: int) -> int:
    """The real cost of `is_prime(n)`: how many divisions trial division performs."""
    if n < 4 or n % 2 == 0:
        return 1
    steps, divisor = 1, 3
    while divisor * divisor <= n and n % divisor:
        steps += 1
        divisor += 2
    return steps


def greedy_finish(costs: list[float], workers: int) -> float:
    """When the last of `workers` ends if each idle one takes the next chunk in order."""
    loads = [0.0] * workers
    for cost in costs:
        loads[loads.index(min(loads))] += cost
    return max(loads)


def spread(costs: list[float]) -> str:
    mean = sum(costs) / len(costs)
    return f"max/mean {max(costs) / mean:.2f}, min/mean {min(costs) / mean:.2f}"


def print_balance(
    domain: range, workers: int, count: int, engine: tuple[range, ...], whole: set[int]
) -> None:
    """Print each cut's spread of chunk costs and when N workers taking its chunks in order
    (as the pools do) would finish against a perfect split. `engine` is the engine's default
    cut of `domain` into `count` interleaved chunks, those not in `whole` cut into pieces."""

    def balance(label: str, chunks: tuple[range, ...]) -> None:
        costs = [sum(map(divisions, c)) for c in chunks]
        finish = greedy_finish(costs, workers) / (sum(costs) / workers)
        print(f"    {label:<36} {spread(costs)}; finish/ideal on N {finish:.3f}")

    print("chunk balance (trial divisions per chunk; 1.00 is perfect):")
    balance(
        f"engine: {len(engine)} ({count} interleaved, {len(engine) - len(whole) - 1} pieces)",
        engine,
    )
    balance(f"{count} interleaved, none cut", interleaved_chunks(domain, count))
    balance("16 interleaved (an even count)", interleaved_chunks(domain, 16))
    balance(f"{count} contiguous", contiguous_chunks(domain, count))
    balance(f"Pool.map default: {4 * workers} contiguous", contiguous_chunks(domain, 4 * workers))
