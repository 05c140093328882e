"""Any number a learner's function returns is totalled, compared, shown and exported (#14)."""

from __future__ import annotations

import json
import math
import numbers
import re
from decimal import Decimal
from fractions import Fraction

import pytest

from tutor.engine.export import results_csv, results_json
from tutor.engine.failures import RunFailureKind
from tutor.engine.records import RunConfig, RunFailed
from tutor.engine.runners import run
from tutor.engine.values import (
    decimal_digits,
    dumps,
    format_number,
    json_number,
    same_value,
    total,
)

SIZE = 10


def _run(function: str, mode: str = "sequential"):
    return run(RunConfig("custom", SIZE, mode, 2, function=f"learner_values:{function}"))


def _with_baseline(function: str, mode: str):
    baseline = _run(function)
    return run(
        RunConfig("custom", SIZE, mode, 2, function=f"learner_values:{function}"),
        baseline=baseline.with_baseline(baseline),
    )


def test_a_huge_int_is_totalled_shown_and_exported_without_the_digit_limit():
    result = _run("huge_int").with_baseline(_run("huge_int"))
    assert result.answer == SIZE * 10**5000
    assert result.matches_baseline is True
    assert format_number(result.answer) == "≈1.0e5001 (5,002 digits)"
    document = json.loads(results_json([result], {}))
    assert document["runs"][0]["result"] == "≈1.0e5001 (5,002 digits)"
    assert "≈1.0e5001" in results_csv([result])


def test_an_fsum_overflow_is_not_an_error_of_the_learner():
    # 1e308 + 1e308 is inf in Python's own float arithmetic; fsum raised OverflowError.
    result = _run("overflows_fsum", mode="processes")
    assert result.answer == math.inf
    assert format_number(result.answer) == "inf"


def test_nan_matches_nan_and_is_written_as_a_string():
    result = _with_baseline("not_a_number", "threads")
    assert math.isnan(result.answer)
    assert result.matches_baseline is True
    baseline = _run("not_a_number")
    assert baseline.with_baseline(baseline).matches_baseline is True
    text = results_json([result], {"note": float("nan")})
    document = json.loads(text, parse_constant=pytest.fail)  # bare NaN would call this
    assert document["runs"][0]["result"] == "nan"
    assert document["machine"]["note"] == "nan"
    assert "NaN" not in text


@pytest.mark.parametrize(
    ("function", "expected", "shown", "exported"),
    [
        ("infinity", math.inf, "inf", "inf"),
        ("fraction", Fraction(10, 3), "10/3", "10/3"),
        ("decimal", Decimal("1.0"), "1.0", "1.0"),
        ("complex_number", complex(45, 10), "45+10j", "(45+10j)"),
        ("boolean", 5, "5", 5),
        ("huge_int_and_float", None, None, None),
    ],
)
def test_other_number_types_keep_their_type_and_export_strictly(
    function, expected, shown, exported
):
    result = _with_baseline(function, "processes")
    assert result.matches_baseline is True
    if function == "huge_int_and_float":
        assert result.answer == math.inf  # beyond the float range: inf, as float addition gives
    else:
        assert result.answer == expected
        assert type(result.answer) is type(expected)
        assert format_number(result.answer) == shown
        assert json.loads(dumps(result.to_json()))["result"] == exported


@pytest.mark.parametrize("mode", ["sequential", "processes"])
def test_a_non_number_is_refused_naming_its_type_and_line(mode):
    with pytest.raises(RunFailed) as caught:
        _run("text", mode)
    failure = caught.value.failure
    assert failure.kind == RunFailureKind.NOT_A_NUMBER and failure.traceback == ""
    assert re.search(
        r"text\(\) returned a str \('seven'\) for n = \d+ \(line 52\)", failure.message
    )


def test_none_is_refused_by_name():
    with pytest.raises(RunFailed) as caught:
        _run("nothing")
    assert "nothing() returned None for n = 0" in caught.value.failure.message


def test_totals_never_raise_for_any_mix():
    assert total([1e308, 1e308]) == math.inf
    assert math.isnan(total([math.inf, -math.inf]))
    assert total([10**5000, 0.5]) == math.inf
    assert total([-(10**5000), 0.5]) == -math.inf
    assert total([True, True, 3]) == 5 and type(total([True])) is int
    assert total([Fraction(1, 2), 1]) == Fraction(3, 2)
    assert total([Decimal("0.1"), Decimal("0.2")]) == Decimal("0.3")
    assert total([Decimal("0.5"), 0.25]) == 0.75  # Decimal + float: float
    assert type(total([Decimal("0.5"), 0.25])) is float  # not "(0.75+0j)", a complex
    assert type(total([Fraction(1, 2), Decimal("0.25")])) is float
    assert total([Decimal("sNaN"), Decimal(1)]).is_nan()  # not InvalidOperation
    assert total([1j, 2.0]) == complex(2, 1)
    assert total([]) == 0


def test_same_value_is_exact_for_whole_numbers_and_close_for_floats():
    assert same_value(10**5000, 10**5000) and not same_value(10**5000, 10**5000 + 1)
    assert same_value(10**5000, 10**5000 + 0) and not same_value(10**5000, math.inf)
    assert same_value(0.1 + 0.2, 0.3) and not same_value(0.1, 0.2)
    assert same_value(math.inf, math.inf) and not same_value(math.inf, -math.inf)
    assert not same_value(math.nan, 0.0)
    assert same_value(Decimal("NaN"), math.nan)
    assert same_value(complex(1, math.nan), complex(1, math.nan))


def test_shown_numbers_stay_short():
    assert format_number(-(10**5000)) == "≈-1.0e5000 (5,001 digits)"
    assert format_number(123_456_789) == "123,456,789"
    assert format_number(1e308, ",.2f") == "1e+308"
    assert format_number(-math.inf) == "-inf"
    assert format_number(Fraction(1, 10**30)).startswith("≈1e-30")
    assert len(format_number(Decimal("1e-999999") + 1)) <= 40
    assert decimal_digits(10**5000) == 5001 and decimal_digits(10**5000 - 1) == 5000
    assert decimal_digits(0) == 1 and decimal_digits(-99) == 2


def test_strict_json_for_every_number():
    for value in (math.nan, math.inf, -math.inf, 10**5000, Fraction(1, 3), Decimal("NaN"), 1j):
        text = dumps({"result": json_number(value), "raw": value})
        assert "NaN" not in text and "Infinity" not in text
        json.loads(text)


class Tally:
    """A learner's own real number type: registered as numbers.Real, no float() of its own."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __add__(self, other: object) -> Tally:
        return Tally(self.count + (other.count if isinstance(other, Tally) else other))

    __radd__ = __add__


class Opaque:
    """Registered as numbers.Real too, but nothing adds it."""


numbers.Real.register(Tally)
numbers.Real.register(Opaque)


def test_a_registered_real_type_without_float_is_added_with_its_own_plus():
    assert total([Tally(2), Tally(3), Tally(4)]).count == 9
    with pytest.raises(ValueError, match="cannot be added up"):
        total([Opaque(), Opaque()])
