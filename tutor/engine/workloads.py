"""Workloads: top-level, picklable functions over a range of integers, and how partials combine.

Worker processes import this module, so it must stay free of Qt and of heavy imports.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, NamedTuple

from tutor.engine.import_guard import ProcessStartedAtImport, import_refusing_processes
from tutor.engine.messages import describe
from tutor.engine.values import check_number, total

if TYPE_CHECKING:
    from tutor.engine.failures import ImportProblem


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


# hashlib lets other threads run while it hashes more than 2,047 bytes in one call, when the
# object is created or updated (hashlib docs, the note on multithreading; OpenSSL hashes since
# 3.1, the built-in ones since 3.12). 64 KiB keeps each item's own bytecode (~1 µs) small next
# to the hashing (tens of µs), so threads spend nearly all their time outside the GIL.
HASH_BLOCK_BYTES = 64 * 1024
HASH_PREFIX_BYTES = 8  # item n is hashed as n (8 bytes, little-endian) followed by the block


def hash_block(n: int, block: bytes) -> bytes:
    """SHA-256 digest (32 bytes) of `n` as 8 little-endian bytes followed by `block`.

    Raises OverflowError for n < 0 or n >= 2**64 (the engine's sizes stay far below).
    """
    import hashlib  # here, not at the top: only workers that hash pay for loading OpenSSL

    digest = hashlib.sha256(n.to_bytes(HASH_PREFIX_BYTES, "little"))
    digest.update(block)  # the long call: hashlib releases the GIL while it runs
    return digest.digest()


def count_zero_led_hashes(numbers: range) -> int:
    """C code that releases the GIL: hash one 64 KiB block per item, count digests led by 0.

    The block is bytes 0, 1, …, 255 repeated; item n prepends n, so every digest differs. The
    result counts the digests whose first hex digit is 0 (about one in 16), so every mode must
    agree on it exactly.
    """
    block = bytes(range(256)) * (HASH_BLOCK_BYTES // 256)
    count = 0
    for n in numbers:
        if hash_block(n, block)[0] < 0x10:
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
    # False when its computing runs in C code that lets go of the GIL (hashlib, on blocks of
    # more than 2 KiB: the hashlib docs), so threads compute side by side on it.
    holds_gil: bool = True

    def domain(self, size: int) -> range:
        return range(0, size + 1) if self.inclusive else range(0, size)

    def combine(self, partials: list[int | float]) -> int | float:
        # values.total keeps each number type (ints exact, floats via fsum) and never raises
        # an overflow of its own (a custom function may return huge ints, inf or nan).
        value = total(partials)
        return float(value) if self.float_result else value


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
            "hashing",
            "Hash 64 KiB blocks with SHA-256 (CPU-bound C code)",
            "Hashes N blocks of 64 KiB and counts the digests that start with a 0 hex digit. "
            "hashlib lets go of the GIL while it hashes, so threads can compute side by side.",
            count_zero_led_hashes,
            inclusive=False,
            float_result=False,
            io_bound=False,
            default_size=20_000,
            slice_items=100,
            holds_gil=False,
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
        function = self.function
        # Added up by values.total, not `+=`: 1e308 + 1e308 or a huge int plus a float must not
        # raise an OverflowError of the tutor's, and a non-number is refused by name.
        checked: list = []
        n = numbers.start
        try:
            for n in numbers:
                checked.append(check_number(function(n), function, n))
        except Exception as exc:  # say which item raised: the traceback alone does not
            exc.add_note(failing_item_note(n))
            raise
        return total(checked)


_FAILING_ITEM = "This was the call for n = "  # + the item + "."


def failing_item_note(n: int) -> str:
    """The note added to a learner function's exception: which item `n` raised it."""
    return f"{_FAILING_ITEM}{n}."


def _noted_item(line: str) -> int | None:
    text = line.strip()
    if not (text.startswith(_FAILING_ITEM) and text.endswith(".")):
        return None
    try:
        return int(text[len(_FAILING_ITEM) : -1])
    except ValueError:
        return None


def failing_item(traceback_text: str) -> int | None:
    """The item `n` named by `failing_item_note` in a formatted traceback; None if absent."""
    found = [
        item for line in traceback_text.splitlines() if (item := _noted_item(line)) is not None
    ]
    return found[-1] if found else None


def without_failing_item(traceback_text: str) -> str:
    """The traceback text without the note of `failing_item_note` (its last line is then the
    exception's own "Type: message" line again)."""
    lines = traceback_text.splitlines(keepends=True)
    return "".join(line for line in lines if _noted_item(line) is None)


CUSTOM_WORKLOAD_DEFAULTS = {"inclusive": False, "float_result": False, "slice_items": 1_000}


def split_function_spec(spec: str | None) -> tuple[str, str]:
    """`module:function` as its two names; ValueError naming the flag when it is not that."""
    if not spec or not spec.strip():
        raise ValueError("function: the custom workload needs --function module:function")
    module_name, sep, function_name = spec.strip().partition(":")
    if not sep or not module_name or not function_name:
        raise ValueError(f"function: expected 'module:function', got {spec!r}")
    return module_name, function_name


def import_function(spec: str) -> Callable[[int], int | float]:
    """Import `module:function`.

    Raises ValueError for a malformed spec, and ImportFailed (a ValueError whose `problem`
    says what went wrong, as fields) when the module cannot be imported or has no such
    function.
    """
    # Imported here, not at the top: a spawned worker of a built-in workload never needs it
    # (dataclasses and enum cost its start-up ~10 ms; bench_engine.py measures start-up).
    from tutor.engine.failures import ImportFailed, ImportProblem, ImportProblemKind
    from tutor.engine.function_path import shadowing_hint

    module_name, function_name = split_function_spec(spec)
    try:
        module = import_refusing_processes(module_name)
    except ProcessStartedAtImport as exc:  # no main guard: say what is wrong and the fix
        problem = ImportProblem(
            module_name, ImportProblemKind.PROCESS_AT_IMPORT, str(exc), type(exc).__name__, exc.line
        )
        raise ImportFailed(
            f"function: cannot import module {module_name!r}: {exc}", problem
        ) from None
    except BaseException as exc:  # any import-time error, sys.exit() and Ctrl+C included
        raise ImportFailed(
            f"function: cannot import module {module_name!r}: {describe(exc)}"
            + _path_hint(exc, module_name),
            _import_problem(module_name, exc),
        ) from exc
    function = getattr(module, function_name, None)
    if function is None or not callable(function):
        raise ImportFailed(
            f"function: module {module_name!r} has no function {function_name!r}"
            + shadowing_hint(module),
            ImportProblem(module_name, ImportProblemKind.NO_FUNCTION),
        )
    return function


def _import_problem(module_name: str, exc: BaseException) -> ImportProblem:
    """What an exception raised while importing `module_name` says, as fields."""
    from tutor.engine.failures import ImportProblem, ImportProblemKind

    if isinstance(exc, SyntaxError):
        kind = ImportProblemKind.SYNTAX_ERROR
    elif isinstance(exc, ModuleNotFoundError):
        kind = ImportProblemKind.MODULE_NOT_FOUND
    elif isinstance(exc, SystemExit | KeyboardInterrupt):
        kind = ImportProblemKind.EXITED
    else:
        kind = ImportProblemKind.RAISED
    line = exc.lineno if isinstance(exc, SyntaxError) else _line_in(exc, module_name)
    return ImportProblem(module_name, kind, describe(exc), type(exc).__name__, line)


def _line_in(exc: BaseException, module_name: str) -> int | None:
    """The innermost line of `exc`'s traceback inside the module itself, if any."""
    line = None
    frame = exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_globals.get("__name__") == module_name:
            line = frame.tb_lineno
        frame = frame.tb_next
    return line


def _path_hint(exc: BaseException, module_name: str) -> str:
    """For a module not found: where Python looked, and how to add the current folder."""
    if not isinstance(exc, ModuleNotFoundError) or exc.name != module_name.split(".")[0]:
        return ""
    return (
        "; it must be in the current folder or on PYTHONPATH "
        "(e.g. PYTHONPATH=. mp-tutor bench --function module:function)"
    )


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
