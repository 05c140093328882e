"""Workloads: top-level, picklable functions over a range of integers, and how partials combine.

Worker processes import this module, so it must stay free of Qt and of heavy imports.
"""

from __future__ import annotations

import importlib
import math
import numbers
import re
import time
from collections.abc import Awaitable, Callable
from typing import NamedTuple


def is_prime(n: int) -> bool:
    """Trial division, as in the lesson: simple, CPU-bound, pure Python."""
    if n < 2:
        return False
    if n < 4:
        return True
    if n % 2 == 0:
        return False
    divisor = 3
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 2
    return True


def count_primes(numbers: range) -> int:
    count = 0
    for n in numbers:
        if is_prime(n):
            count += 1
    return count


def sum_squares(numbers: range) -> int:
    total = 0
    for n in numbers:
        total += n * n
    return total


def sum_roots(numbers: range) -> float:
    return math.fsum(math.sqrt(n) for n in numbers)


def wait_per_item(numbers: range) -> int:
    """I/O-like work: each item waits ~1 ms (sleeping releases the GIL), result = items seen."""
    count = 0
    for _ in numbers:
        time.sleep(0.001)
        count += 1
    return count


async def wait_per_item_async(numbers: range) -> int:
    """The same waiting on an event loop: `await asyncio.sleep` lets other coroutines run."""
    import asyncio  # here, not at the top: process workers never pay for importing it

    count = 0
    for _ in numbers:
        await asyncio.sleep(0.001)
        count += 1
    return count


class Workload(NamedTuple):
    """A named workload: its chunk function, how partial results combine, and its domain.

    A NamedTuple rather than a dataclass, as the records in worker.py: workers import this.
    """

    name: str
    title: str
    description: str
    chunk_function: Callable[[range], int | float]
    inclusive: bool  # True: items 0..N; False: items 0..N-1
    float_result: bool
    io_bound: bool
    default_size: int
    slice_items: int  # items per slice between cancel checks inside a chunk
    # asyncio mode awaits this instead of calling chunk_function; None: no async variant.
    async_chunk_function: Callable[[range], Awaitable[int | float]] | None = None

    def domain(self, size: int) -> range:
        return range(0, size + 1) if self.inclusive else range(0, size)

    def combine(self, partials: list[int | float]) -> int | float:
        # A custom function may return floats: summing them as ints would truncate each chunk.
        if self.float_result or not all(isinstance(p, numbers.Integral) for p in partials):
            return math.fsum(partials)
        return sum(int(p) for p in partials)


WORKLOADS: dict[str, Workload] = {
    w.name: w
    for w in (
        Workload(
            "primes",
            "Count primes ≤ N (CPU-bound)",
            "Counts the primes up to N by trial division.",
            count_primes,
            inclusive=True,
            float_result=False,
            io_bound=False,
            default_size=300_000,
            slice_items=2_000,
        ),
        Workload(
            "squares",
            "Sum of squares below N (CPU-bound)",
            "Adds i² for every i below N.",
            sum_squares,
            inclusive=False,
            float_result=False,
            io_bound=False,
            default_size=3_000_000,
            slice_items=20_000,
        ),
        Workload(
            "roots",
            "Sum of square roots below N (CPU-bound)",
            "Adds √i for every i below N.",
            sum_roots,
            inclusive=False,
            float_result=True,
            io_bound=False,
            default_size=3_000_000,
            slice_items=20_000,
        ),
        Workload(
            "sleep",
            "Wait 1 ms per item (I/O-bound)",
            "Each item sleeps about a millisecond, like waiting on a disk or network.",
            wait_per_item,
            inclusive=False,
            float_result=False,
            io_bound=True,
            default_size=400,
            slice_items=20,
            async_chunk_function=wait_per_item_async,
        ),
    )
}

CUSTOM = "custom"
WORKLOAD_NAMES: tuple[str, ...] = (*WORKLOADS, CUSTOM)


class _CustomChunk:
    """Applies a learner's `f(int) -> number` to each item of a chunk and sums the results."""

    def __init__(self, function: Callable[[int], int | float]) -> None:
        self.function = function

    def __call__(self, numbers: range) -> int | float:
        total: int | float = 0
        n = numbers.start
        try:
            for n in numbers:
                total += self.function(n)
        except Exception as exc:  # say which item raised: the traceback alone does not
            exc.add_note(failing_item_note(n))
            raise
        return total


_FAILING_ITEM = "This was the call for n = {n}."
_FAILING_ITEM_PATTERN = re.compile(r"^This was the call for n = (-?\d+)\.$", re.MULTILINE)


def failing_item_note(n: int) -> str:
    """The note added to a learner function's exception: which item `n` raised it."""
    return _FAILING_ITEM.format(n=n)


def failing_item(traceback_text: str) -> int | None:
    """The item `n` named by `failing_item_note` in a formatted traceback; None if absent."""
    found = _FAILING_ITEM_PATTERN.findall(traceback_text)
    return int(found[-1]) if found else None


def without_failing_item(traceback_text: str) -> str:
    """The traceback text without the note of `failing_item_note` (its last line is then the
    exception's own "Type: message" line again)."""
    lines = traceback_text.splitlines(keepends=True)
    return "".join(line for line in lines if not _FAILING_ITEM_PATTERN.match(line.rstrip("\n")))


CUSTOM_WORKLOAD_DEFAULTS = {"inclusive": False, "float_result": False, "slice_items": 1_000}


def import_function(spec: str) -> Callable[[int], int | float]:
    """Import `module:function`; ValueError with a clear reason when that is not possible."""
    module_name, sep, function_name = spec.partition(":")
    if not sep or not module_name or not function_name:
        raise ValueError(f"function: expected 'module:function', got {spec!r}")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # any import-time error of the learner's module
        raise ValueError(
            f"function: cannot import module {module_name!r}: {type(exc).__name__}: {exc}"
        ) from exc
    function = getattr(module, function_name, None)
    if function is None or not callable(function):
        raise ValueError(f"function: module {module_name!r} has no function {function_name!r}")
    return function


def resolve_workload(name: str, function: str | None = None) -> Workload:
    """The Workload for `name`; for "custom" it wraps the imported `module:function`."""
    if name == CUSTOM:
        if not function:
            raise ValueError("function: the custom workload needs --function module:function")
        chunk = _CustomChunk(import_function(function))
        return Workload(
            CUSTOM,
            f"Custom function {function}",
            "Sums f(i) for every i below N.",
            chunk,
            io_bound=False,
            default_size=100_000,
            **CUSTOM_WORKLOAD_DEFAULTS,
        )
    try:
        return WORKLOADS[name]
    except KeyError:
        raise ValueError(
            f"workload: unknown {name!r}; choose one of {', '.join(WORKLOAD_NAMES)}"
        ) from None
