"""Learner-style custom functions for controller tests (imported by spawned workers)."""

import os


def raises_on_seven(n: int) -> int:
    if n == 7:
        raise ArithmeticError("seven is not allowed here")
    return n


def dies_on_seven(n: int) -> int:
    if n == 7:
        os._exit(9)
    return n
