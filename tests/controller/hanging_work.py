"""Learner-style functions that never finish, for the time-limit tests (imported by workers)."""

import time


def hangs_on_seven(n: int) -> int:
    while n == 7:
        time.sleep(0.01)  # never returns, never looks at a cancel request; costs no CPU
    return n


def spins_on_seven(n: int) -> int:
    while n == 7:
        pass  # pure Python: keeps its thread busy, ignores every cancel request
    return n


def quick(n: int) -> int:
    return n * 2
