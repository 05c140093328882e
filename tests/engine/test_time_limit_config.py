"""RunConfig.time_limit_s: optional, positive, carried by every record that holds a config."""

from __future__ import annotations

import pytest

from tutor.engine.records import RunConfig
from tutor.engine.runners import validate


def test_no_limit_by_default():
    assert RunConfig("primes", 10).time_limit_s is None


@pytest.mark.parametrize("limit", [0, 0.0, -1.0])
def test_a_limit_must_be_positive(limit):
    with pytest.raises(ValueError, match="time_limit_s"):
        validate(RunConfig("primes", 10, time_limit_s=limit))


def test_a_positive_limit_is_valid():
    assert validate(RunConfig("primes", 10, time_limit_s=0.5)).time_limit_s == 0.5
