"""Learner error texts are safe to show, and exit codes read as words (#14)."""

from __future__ import annotations

import signal
import sys

import pytest

from tutor.engine.exits import describe_exit
from tutor.engine.messages import cap, describe, format_traceback, safe_str, shorten


class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no")


def test_an_exception_whose_str_raises_is_described_not_raised():
    assert "could not be shown" in safe_str(Unprintable())
    assert describe(Unprintable()).startswith("Unprintable: <its message could not be shown")
    try:
        raise Unprintable()
    except Unprintable as exc:
        assert "Unprintable" in format_traceback(exc)


def test_a_megabyte_message_is_cut_everywhere():
    exc = ValueError("x" * 1_000_000)
    assert len(describe(exc)) <= 300
    try:
        raise exc
    except ValueError as caught:
        text = format_traceback(caught)
    assert len(text) < 25_000 and "characters left out" in text
    assert text.splitlines()[-1].startswith("ValueError: xxx")
    many_lines = "\n".join(f"line {i}" for i in range(100_000))
    assert len(cap(many_lines)) < 25_000
    assert shorten("a\nb") == "a b"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    ("signal_number", "words"),
    [
        (signal.SIGSEGV, "segmentation fault"),
        (signal.SIGABRT, "aborted"),
        (signal.SIGBUS, "bus error"),
        (signal.SIGKILL, "killed"),
    ],
)
def test_a_signal_is_named(signal_number, words):
    assert describe_exit(-signal_number) == f"was killed by signal {signal_number} ({words})"


def test_an_exit_code_is_a_number():
    assert describe_exit(0) == "exited with code 0 before finishing"
    assert describe_exit(3) == "exited with code 3 before finishing"
    assert describe_exit(None) == "is still running"
