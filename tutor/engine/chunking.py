"""How a workload's items are cut into chunks, identically for every mode (a fair comparison)."""

from __future__ import annotations

MIN_DEFAULT_CHUNKS = 16
CHUNKS_PER_WORKER = 4
MAX_CHUNKS = 100_000


def default_chunk_count(workers: int, items: int) -> int:
    """Enough chunks that every worker gets several, and the same count for small sweeps."""
    wanted = max(MIN_DEFAULT_CHUNKS, CHUNKS_PER_WORKER * workers)
    return max(1, min(wanted, items))


def interleaved_chunks(domain: range, count: int) -> tuple[range, ...]:
    """Cut `domain` into `count` interleaved strided ranges.

    Chunk k holds items k, k + count, k + 2·count, ... Work whose cost grows with n (primes)
    is then spread evenly: contiguous blocks would leave the last block far heavier. Ranges
    keep memory flat however large N is.
    """
    count = max(1, min(count, max(1, len(domain))))
    return tuple(domain[k::count] for k in range(count))


def contiguous_chunks(domain: range, count: int) -> tuple[range, ...]:
    """Equal contiguous blocks (what a naive Pool.map does); kept to show the imbalance."""
    count = max(1, min(count, max(1, len(domain))))
    length = len(domain)
    bounds = [length * k // count for k in range(count + 1)]
    return tuple(domain[bounds[k] : bounds[k + 1]] for k in range(count))
