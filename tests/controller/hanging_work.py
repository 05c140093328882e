"""Learner-style functions that never finish, for the time-limit tests (imported by workers)."""


def hangs_on_seven(n: int) -> int:
    while n == 7:
        pass  # pure Python: holds its thread, ignores every cancel request
    return n


def quick(n: int) -> int:
    return n * 2
