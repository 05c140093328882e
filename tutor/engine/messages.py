"""Error texts that come from a learner's code, made safe to show: never raising, never huge.

An exception's `__str__` is the learner's code too: it may raise, or return a megabyte of text
(which froze the window's labels for seconds). Every message the engine passes on goes
through here once, at the source, so nothing downstream has to worry.

Qt-free; worker processes import it.
"""

from __future__ import annotations

import traceback

MESSAGE_CHARS = 300  # a one-line message in a label or a terminal line
DETAILS_CHARS = 20_000  # a traceback in a details box or on stderr
LINE_CHARS = 500  # one line of such a traceback


def safe_str(exc: BaseException) -> str:
    """`str(exc)`, or a description of why it could not be had (its __str__ raised)."""
    try:
        text = str(exc)
    except BaseException as problem:  # noqa: BLE001 - the learner's __str__ may raise anything
        return f"<its message could not be shown: str() raised {type(problem).__name__}>"
    return text if isinstance(text, str) else repr(text)


def shorten(text: str, limit: int = MESSAGE_CHARS) -> str:
    """`text` on one line and at most `limit` characters, cut with a note of how much."""
    text = " ".join(text[: limit * 2].split()) if len(text) > limit else text.replace("\n", " ")
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def cap(text: str, limit: int = DETAILS_CHARS, line_limit: int = LINE_CHARS) -> str:
    """`text` (many lines) kept to about `limit` characters, its start and its end, and each
    line to about `line_limit` (a traceback's last line holds the whole message)."""
    if len(text) <= line_limit:
        return text
    text = "\n".join(_cap_line(line, line_limit) for line in text.split("\n"))
    if len(text) <= limit:
        return text
    half = limit // 2
    dropped = len(text) - 2 * half
    return f"{text[:half]}\n… ({dropped:,} characters left out) …\n{text[-half:]}"


def _cap_line(line: str, limit: int) -> str:
    if len(line) <= limit:
        return line
    return f"{line[:limit]}… ({len(line) - limit:,} characters left out)"


def describe(exc: BaseException) -> str:
    """ "TypeName: message", shortened; safe for any exception."""
    message = safe_str(exc)
    name = type(exc).__name__
    return shorten(f"{name}: {message}" if message else name)


def format_traceback(exc: BaseException) -> str:
    """The traceback of `exc` as text, capped; safe when its __str__ raises."""
    try:
        text = "".join(traceback.format_exception(exc))
    except BaseException:  # noqa: BLE001 - formatting calls the learner's __str__ and __repr__
        text = f"{describe(exc)}\n(the traceback could not be formatted)"
    return cap(text)
