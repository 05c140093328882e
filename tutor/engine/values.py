"""The numbers a run returns: checking, totalling, comparing, showing and exporting them.

A learner's `work(n)` may return any `numbers.Number`: ints of any size, floats including nan
and ±inf, `fractions.Fraction`, `decimal.Decimal`, `complex`, `bool`, or a third-party type
registered with the `numbers` ABCs. Three facts of Python decide how they are handled here
(docs.python.org, "Built-in Types" and the math module):

- `str()` of an int with more than 4,300 digits raises ValueError (Python 3.11+,
  `sys.set_int_max_str_digits`), so huge ints are shown as an estimate, never converted whole;
- `math.fsum` raises OverflowError on an intermediate overflow and ValueError on inf - inf,
  where plain float addition gives inf or nan: the tutor's own sum never fails for that;
- `json.dumps` writes bare NaN/Infinity unless `allow_nan=False`: that is not JSON, so
  non-finite values are written as the strings "nan", "inf" and "-inf".

Qt-free; worker processes import it, so `decimal`, `fractions` and `json` are imported only
when needed: a value can only be a Decimal or a Fraction once its module has been loaded.
"""

from __future__ import annotations

import math
import numbers
import re
import sys
from collections.abc import Callable, Iterable

SHOWN_INT_DIGITS = 24  # ints longer than this are shown as "≈1.0e5000 (5,001 digits)"
JSON_INT_BITS = 14_000  # ~4,214 digits: below the int -> str limit, written as a JSON number
SHOWN_CHARS = 40  # other values are cut to this many characters
_LOG10_2 = math.log10(2)


def _is_decimal(value: object) -> bool:
    module = sys.modules.get("decimal")
    return module is not None and isinstance(value, module.Decimal)


def _is_fraction(value: object) -> bool:
    module = sys.modules.get("fractions")
    return module is not None and isinstance(value, module.Fraction)


class NotANumber(TypeError):
    """A learner's function returned something that is not a number (it raised nothing).

    `type_name` is the type it returned, `function` the function's qualified name, `argument`
    the n it was called with, `line` the line of the function's `return` that gave it (None
    when it could not be found). The message is the learner's sentence, e.g. "work() returned
    None for n = 0 (line 2): it must return a number ...": workers send it as it is, with no
    traceback (the tutor's own frames would say nothing about the learner's code).
    """

    def __init__(
        self, value: object, function: str, argument: object, line: int | None = None
    ) -> None:
        shown = "None" if value is None else f"a {type(value).__name__} ({_short_repr(value)})"
        where = f" (line {line})" if line else ""
        super().__init__(
            f"{function}() returned {shown} for n = {_short_repr(argument)}{where}: it must "
            "return a number, an int or a float (the tutor adds up what it returns)"
        )
        self.type_name = type(value).__name__
        self.function = function
        self.line = line


_REFUSED = re.compile(r"\(line (\d+)\): it must return a number")


def refused_line(message: str) -> int | None:
    """The line a NotANumber message names (it travels between processes as text), or None."""
    match = _REFUSED.search(message)
    return int(match[1]) if match else None


def check_number(value: object, function: Callable, argument: object) -> numbers.Number:
    """`value` itself when it is a number; NotANumber (with the line that returned it) if not.

    To find the line, `function(argument)` is called once more with a profiler that notes the
    line of its `return` (only on this error path; a function that returns a number the second
    time is reported without a line).
    """
    if isinstance(value, numbers.Number):
        return value
    name = getattr(function, "__qualname__", None) or type(function).__name__
    raise NotANumber(value, name, argument, _returning_line(function, argument))


def _returning_line(function: Callable, argument: object) -> int | None:
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    lines: list[int] = []

    def profile(frame, event, arg):  # noqa: ANN001 - sys.setprofile's signature
        if event == "return" and frame.f_code is code:
            lines.append(frame.f_lineno)

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        again = function(argument)
    except BaseException:  # noqa: BLE001 - the learner's code; only the line was wanted
        return None
    finally:
        sys.setprofile(previous)
    if isinstance(again, numbers.Number) or not lines:
        return None
    return lines[-1]


def total(parts: Iterable[numbers.Number]) -> numbers.Number:
    """The sum of `parts`, exact where the types allow it, and never an error of the tutor's.

    Ints (and bools) add exactly to an int; Fractions and ints to a Fraction; Decimals and
    ints to a Decimal (NaN for a signalling NaN); anything with a complex part to a complex;
    everything else to a float (math.fsum, falling back to plain float addition and then to
    an exact sum when fsum refuses, so 1e308 + 1e308 is inf, as Python's own `+` gives). A
    type registered as numbers.Real without float() is added with its own `+`; ValueError
    (naming the types) only when that fails too.
    """
    parts = list(parts)
    if all(isinstance(p, numbers.Integral) for p in parts):
        return sum(int(p) for p in parts)
    if all(isinstance(p, float | int) for p in parts):  # the common case, no more imports
        return _float_total(parts)
    if all(isinstance(p, numbers.Rational) for p in parts):
        from fractions import Fraction

        return sum(parts, Fraction(0))
    if all(_is_decimal(p) or isinstance(p, numbers.Integral) for p in parts):
        from decimal import Decimal, InvalidOperation

        try:
            return sum(parts, Decimal(0))
        except InvalidOperation:  # a signalling NaN (Decimal("sNaN")) in the sum
            return Decimal("NaN")
    # Decimal is no numbers.Real (it mixes with floats only through float()), but it is real:
    # a Decimal and a float added up as a complex, "(6+0j)".
    if not all(isinstance(p, numbers.Real) or _is_decimal(p) for p in parts):
        return _complex_total(parts)
    try:
        return _float_total(parts)
    except TypeError:  # a type registered as numbers.Real that has no float(): its own +
        return _own_sum(parts)


def _own_sum(parts: list) -> numbers.Number:
    """`parts` added with their own `+`; ValueError naming their types if even that fails."""
    try:
        return sum(parts[1:], parts[0])
    except Exception as exc:  # noqa: BLE001 - any failure of the learner's own type
        kinds = ", ".join(sorted({type(p).__name__ for p in parts}))
        raise ValueError(
            f"the values returned ({kinds}) cannot be added up: {type(exc).__name__}: {exc}"
        ) from None


def _float_total(parts: list) -> float:
    try:
        return math.fsum(parts)
    except (OverflowError, ValueError):
        pass  # intermediate overflow, inf - inf, or an int too large for a float
    try:
        return float(sum(float(p) for p in parts))
    except OverflowError:
        pass  # an int (or Fraction) beyond the float range: add exactly
    non_finite = [float(p) for p in parts if not _finite(p)]
    if non_finite:
        return float(sum(non_finite))
    from fractions import Fraction

    exact = sum((Fraction(p) if _is_decimal(p) or isinstance(p, numbers.Rational)
                 else Fraction(float(p)) for p in parts), Fraction(0))  # fmt: skip
    try:
        return float(exact)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def _complex_total(parts: list) -> complex:
    real = _float_total([p.real for p in parts])
    imag = _float_total([p.imag for p in parts])
    return complex(real, imag)


def _finite(value: numbers.Number) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float is finite
        return True
    except (TypeError, ValueError):
        return True


def same_value(a: numbers.Number, b: numbers.Number) -> bool:
    """Whether two runs' results agree: exact for ints and Fractions, floats to a relative 1e-9.

    nan agrees with nan (the same function gave the same answer), inf with inf of the same
    sign; complex numbers are compared part by part.
    """
    if isinstance(a, numbers.Rational) and isinstance(b, numbers.Rational):
        return a == b
    try:
        if isinstance(a, numbers.Real) and isinstance(b, numbers.Real):
            return _close(float(a), float(b))
        ca, cb = complex(a), complex(b)
        return _close(ca.real, cb.real) and _close(ca.imag, cb.imag)
    except OverflowError:  # an int beyond the float range: Python compares it exactly
        return a == b
    except (TypeError, ValueError, ArithmeticError):  # e.g. a signalling Decimal NaN
        return repr(a) == repr(b)


def _close(x: float, y: float) -> bool:
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)


def format_number(value: object, float_format: str = ",.6g") -> str:
    """`value` as a short text for a table or a label (at most ~40 characters).

    Ints up to 24 digits get thousands separators; longer ones an estimate such as
    "≈1.0e5000 (5,001 digits)". Floats use `float_format` unless they are very large or
    small; nan and ±inf read "nan", "inf", "-inf".
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return _format_int(int(value))
    if _is_fraction(value):
        if max(abs(value.numerator), value.denominator).bit_length() <= 64:
            return f"{value.numerator:,}/{value.denominator:,}"
        return "≈" + _format_float_or_huge(value, float_format)
    if _is_decimal(value):
        text = str(value)
        return text if len(text) <= SHOWN_CHARS // 2 else format(value, ".6e")
    if isinstance(value, complex):
        return format(value, ".6g")
    if isinstance(value, numbers.Real):
        return _format_float_or_huge(value, float_format)
    return _short_repr(value)


def _format_float_or_huge(value: numbers.Real, float_format: str) -> str:
    try:
        number = float(value)
    except OverflowError:
        return _format_int(math.floor(value))
    except (TypeError, ValueError):
        return _short_repr(value)
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if number and not 1e-4 <= abs(number) < 1e15:
        return format(number, ".6g")
    return format(number, float_format)


def _format_int(number: int) -> str:
    if number.bit_length() <= SHOWN_INT_DIGITS * 3:  # 72 bits: at most 22 digits
        return f"{number:,}"
    digits = decimal_digits(number)
    if digits <= SHOWN_INT_DIGITS:
        return f"{number:,}"
    lead = str(abs(number) // 10 ** (digits - 2))  # the first two digits, small enough for str
    sign = "-" if number < 0 else ""
    return f"≈{sign}{lead[0]}.{lead[1]}e{digits - 1} ({digits:,} digits)"


def decimal_digits(number: int) -> int:
    """How many decimal digits `abs(number)` has (1 for 0), without converting it to str."""
    number = abs(number)
    if number < 10:
        return 1
    estimate = int((number.bit_length() - 1) * _LOG10_2) + 1  # exact or one short
    return estimate + 1 if number >= 10**estimate else estimate


def _short_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a learner's type with a broken __repr__
        text = f"<{type(value).__name__}>"
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def json_number(value: object) -> object:
    """`value` as something `json.dumps(..., allow_nan=False)` writes exactly or describes.

    - bool, finite float and int up to ~4,200 digits: JSON true/false or a number;
    - nan, inf, -inf: the strings "nan", "inf", "-inf";
    - a larger int: its estimate, e.g. "≈1.0e5000 (5,001 digits)";
    - Decimal: its exact text ("0.1"); Fraction: "1/3"; complex: e.g. "(1+2j)";
    - any other number: a float when it converts to a finite one, else its short repr.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        number = int(value)
        return number if number.bit_length() <= JSON_INT_BITS else _format_int(number)
    if isinstance(value, float):
        return value if math.isfinite(value) else format_number(value)
    if _is_decimal(value):
        if not value.is_finite():
            return "nan" if value.is_nan() else ("inf" if value > 0 else "-inf")
        return str(value) if len(str(value)) <= 200 else format(value, ".17e")
    if _is_fraction(value):
        if max(abs(value.numerator), value.denominator).bit_length() <= JSON_INT_BITS:
            return f"{value.numerator}/{value.denominator}"
        return format_number(value)
    if isinstance(value, complex):
        return repr(value)
    if isinstance(value, numbers.Real):
        try:
            number = float(value)
        except (OverflowError, TypeError, ValueError):
            return format_number(value)
        return number if math.isfinite(number) else format_number(number)
    return format_number(value)


def strict_json(data: object) -> object:
    """A copy of `data` (dicts, lists, tuples, scalars) that strict JSON can hold.

    Every number goes through `json_number`; other unknown objects become their short repr.
    """
    if isinstance(data, dict):
        return {str(key): strict_json(item) for key, item in data.items()}
    if isinstance(data, list | tuple):
        return [strict_json(item) for item in data]
    if data is None or isinstance(data, str | bool):
        return data
    if isinstance(data, numbers.Number):
        return json_number(data)
    return _short_repr(data)


def dumps(data: object, **options: object) -> str:
    """`json.dumps` of `strict_json(data)` with allow_nan=False: always valid JSON text."""
    import json

    return json.dumps(strict_json(data), allow_nan=False, **options)
