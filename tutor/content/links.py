"""Links inside the lesson that talk to the app instead of a web browser.

`tutor:run?workload=primes&size=100000&workers=4&mode=processes` sets up the run panel (and
starts the run when `start=1`); `tutor:example?id=pool_primes` opens a runnable example;
`tutor:exercise?id=main-guard` opens a practice exercise (`tutor:exercise` alone: the list).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

from tutor.engine.modes import LINK_MODES

SCHEME = "tutor"
RUN_WORKLOADS: tuple[str, ...] = ("primes", "squares", "roots", "hashing", "sleep")
# The modes a link may ask for: those the run panel starts with one click (engine.modes).
RUN_MODES: tuple[str, ...] = LINK_MODES
MAX_RUN_SIZE = 100_000_000
MAX_RUN_WORKERS = 512
_RUN_KEYS = ("workload", "size", "workers", "mode", "start")
_TRUE_WORDS = ("1", "true", "yes", "on")
_FALSE_WORDS = ("0", "false", "no", "off")


@dataclass(frozen=True)
class RunRequest:
    """What a lesson link asks the run panel to do."""

    workload: str  # one of RUN_WORKLOADS
    size: int
    workers: int | None = None
    mode: str | None = None  # one of RUN_MODES, or None: the panel's process API
    start: bool = False  # True: start the run right away


def _target(url: str) -> tuple[str, str] | None:
    """("run", "a=1&b=2") for `tutor:run?a=1&b=2` (or `tutor://run?...`); None for other URLs."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != SCHEME:
        return None
    target = (parts.netloc or parts.path).strip("/").lower()
    return target, parts.query


def _query_pairs(url: str, query: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise ValueError(f"{url!r}: the part after '?' is not of the form key=value&...") from None
    values: dict[str, str] = {}
    for key, value in pairs:
        if key in values:
            raise ValueError(f"{url!r}: {key!r} is given twice")
        values[key] = value.strip()
    return values


def _positive_int(url: str, key: str, text: str, maximum: int) -> int:
    try:
        number = int(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"{url!r}: {key} must be a whole number, got {text!r}") from None
    if not 1 <= number <= maximum:
        raise ValueError(f"{url!r}: {key} must be between 1 and {maximum:,}, got {number:,}")
    return number


def parse_run_link(url: str) -> RunRequest | None:
    """The RunRequest of a `tutor:run?...` link; None for any other URL.

    A `tutor:run` link with a missing, unknown or out-of-range parameter raises ValueError whose
    message names the link and the parameter at fault.
    """
    target = _target(url)
    if target is None or target[0] != "run":
        return None
    values = _query_pairs(url, target[1])
    unknown = sorted(set(values) - set(_RUN_KEYS))
    if unknown:
        raise ValueError(
            f"{url!r}: unknown parameter(s) {', '.join(unknown)}; allowed: {', '.join(_RUN_KEYS)}"
        )
    workload = values.get("workload", "").lower()
    if not workload:
        raise ValueError(f"{url!r}: workload is missing (one of {', '.join(RUN_WORKLOADS)})")
    if workload not in RUN_WORKLOADS:
        raise ValueError(
            f"{url!r}: unknown workload {workload!r}; choose one of {', '.join(RUN_WORKLOADS)}"
        )
    if not values.get("size"):
        raise ValueError(f"{url!r}: size is missing")
    size = _positive_int(url, "size", values["size"], MAX_RUN_SIZE)
    workers = None
    if values.get("workers"):
        workers = _positive_int(url, "workers", values["workers"], MAX_RUN_WORKERS)
    mode = values.get("mode", "").lower() or None
    if mode is not None and mode not in RUN_MODES:
        raise ValueError(f"{url!r}: unknown mode {mode!r}; choose one of {', '.join(RUN_MODES)}")
    start_text = values.get("start", "0").lower() or "0"
    if start_text not in _TRUE_WORDS + _FALSE_WORDS:
        raise ValueError(f"{url!r}: start must be 1 or 0 (true/false), got {start_text!r}")
    return RunRequest(
        workload=workload,
        size=size,
        workers=workers,
        mode=mode,
        start=start_text in _TRUE_WORDS,
    )


def run_link(request: RunRequest) -> str:
    """The `tutor:run?...` link that parses back to `request`."""
    parts = [f"workload={request.workload}", f"size={request.size}"]
    if request.workers is not None:
        parts.append(f"workers={request.workers}")
    if request.mode is not None:
        parts.append(f"mode={request.mode}")
    if request.start:
        parts.append("start=1")
    return f"{SCHEME}:run?" + "&".join(parts)


def example_link(example_id: str) -> str:
    """The link that opens a runnable example: `tutor:example?id=<id>`."""
    return f"{SCHEME}:example?id={quote(example_id, safe='')}"


def parse_example_link(url: str) -> str | None:
    """The example id of a `tutor:example?id=...` link; None for any other URL.

    A `tutor:example` link without an id (or with other parameters) raises ValueError.
    """
    example_id = _id_of(url, "example")
    if example_id == "":
        raise ValueError(f"{url!r}: the example id is missing (tutor:example?id=<id>)")
    return example_id


def parse_exercise_link(url: str) -> str | None:
    """The exercise id of a `tutor:exercise?id=...` link ("" for plain `tutor:exercise`), or
    None for any other URL. Parameters other than `id` raise ValueError."""
    return _id_of(url, "exercise")


def _id_of(url: str, kind: str) -> str | None:
    """The `id` of a `tutor:<kind>?id=...` link ("" without one); None for another URL.
    Parameters other than `id` raise ValueError."""
    target = _target(url)
    if target is None or target[0] != kind:
        return None
    values = _query_pairs(url, target[1])
    extra = sorted(set(values) - {"id"})
    if extra:
        raise ValueError(f"{url!r}: unknown parameter(s) {', '.join(extra)}; only id is allowed")
    return values.get("id", "")
