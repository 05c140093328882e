"""Where a live chart's time axis ends while data still streams in.

A chart that fits its x range to the data on every redraw moves the range ~10 times a second,
and each move makes pyqtgraph build the time axis's picture again (its tick labels, in Python:
~5 ms a time on a busy two-core machine, most of a redraw; tests/perf/ui_responsiveness.py).
While a run streams, the range instead ends on a round step a little past the data and moves
only when the data crosses it: a run of any length moves it about twenty times, the bars fill
at least two thirds of the width, and the run's end fits the range to the data exactly.
Qt-free.
"""

from __future__ import annotations

import math

MARGIN = 1.02  # room past the last bar, as the fitted range has
_STEPS_PER_RANGE = 4  # the range is about this many steps long: it grows by <= a quarter
_NICE = (1.0, 2.0, 2.5, 5.0, 10.0)  # round step sizes, times a power of ten


def round_step(span: float) -> float:
    """The smallest round number (1, 2, 2.5 or 5 times a power of ten) >= `span` > 0."""
    exponent = math.floor(math.log10(span))
    scale = 10.0**exponent
    # The factor can come out a hair over 10 from rounding: the last entry covers it.
    return next((m * scale for m in _NICE if span <= m * scale * (1 + 1e-12)), 10.0 * scale)


def live_end(last_s: float) -> float:
    """The end of the x range (seconds) for data reaching `last_s` seconds while more comes:
    `last_s * MARGIN` rounded up to a step of about a quarter of it. 1.0 for no data (<= 0)."""
    if not math.isfinite(last_s) or last_s <= 0:
        return 1.0
    reach = last_s * MARGIN
    step = round_step(reach / _STEPS_PER_RANGE)
    return math.ceil(reach / step) * step


def fitted_end(last_s: float) -> float:
    """The end of the x range for finished data reaching `last_s`: just past it."""
    if not math.isfinite(last_s) or last_s <= 0:
        return 1.0
    return last_s * MARGIN
