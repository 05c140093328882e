"""How a workload's items are cut into chunks, identically for every mode (a fair comparison)."""

from __future__ import annotations

MIN_DEFAULT_CHUNKS = 16
CHUNKS_PER_WORKER = 4
SWEEP_WORKERS = 12  # lcm(1, 2, 3, 4): runs on 1 to 4 workers share one default chunk count
MAX_CHUNKS = 100_000
SHARED_CUT_WORKERS = 4  # runs on 1 to 4 workers share one default cut (a small sweep)
TAIL_PIECES = 3  # each of the last chunks is cut in this many runs of consecutive items


def default_chunk_count(workers: int, items: int) -> int:
    """A prime count P ≥ max(16, 4 × workers) with P - 1 a multiple of the workers.

    Interleaved chunk k holds the items ≡ k (mod P). With an even count every other chunk
    held only even numbers, which trial division rejects at once: half the chunks were nearly
    free, and 6 or 12 workers shared 8 or 16 real ones (at most 68 % efficiency). A prime
    count mixes every residue into every chunk, so chunks 1 … P - 1 cost the same (chunk 0,
    the multiples of P, is cheap) and split evenly over the workers. Runs on 1 to 4 workers
    get the same count (37), so a small sweep cuts the work identically.
    """
    wanted = max(MIN_DEFAULT_CHUNKS, CHUNKS_PER_WORKER * workers)
    step = SWEEP_WORKERS if workers <= 4 else workers
    count = wanted - wanted % step + 1
    while count <= wanted or not _is_prime(count):
        count += step
    return max(1, min(count, items))


def default_chunks(domain: range, workers: int) -> tuple[range, ...]:
    """The default cut: `default_chunk_count` interleaved chunks, the last few in pieces.

    Workers take the next chunk as they free up, so they end within about one chunk of each
    other, and the first to finish idles until the last one does (74 ms of a 1.7 s run was
    measured). The chunks handed out last are cut into three runs of consecutive items each,
    as guided scheduling does: the idle tail shrinks to about one piece. The pieces are handed
    out last-third first, so where the cost grows with n (primes) they come in falling size.
    (A sub-stride would not do: each piece of `chunk[j::3]` holds one residue mod 3, and the
    multiples of 3 cost trial division next to nothing.) One chunk per worker is cut, and at
    least 4, so that runs on 1 to 4 workers still share one cut.
    """
    chunks = interleaved_chunks(domain, default_chunk_count(workers, len(domain)))
    cut = min(max(workers, SHARED_CUT_WORKERS), len(chunks) - 1)
    if cut <= 0:
        return chunks
    kept, last = chunks[: len(chunks) - cut], chunks[len(chunks) - cut :]
    pieces = (
        chunk[len(chunk) * part // TAIL_PIECES : len(chunk) * (part + 1) // TAIL_PIECES]
        for part in reversed(range(TAIL_PIECES))
        for chunk in last
    )
    return kept + tuple(piece for piece in pieces if len(piece))


def _is_prime(n: int) -> bool:
    return n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))


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
