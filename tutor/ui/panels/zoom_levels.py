"""The zoom levels (percent of the normal text size) the lesson and the window step through."""

from __future__ import annotations

ZOOM_LEVELS: tuple[int, ...] = (50, 67, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)


def next_zoom_level(percent: int, up: bool) -> int:
    """The zoom level (percent) one step above (`up`) or below `percent`; `percent` itself
    past either end of ZOOM_LEVELS. The lesson's and the window's zoom both step by it."""
    if up:
        return next((level for level in ZOOM_LEVELS if level > percent), percent)
    return next((level for level in reversed(ZOOM_LEVELS) if level < percent), percent)


def clamp_zoom(percent: float) -> int:
    """`percent` as a whole number inside ZOOM_LEVELS' range (a saved value may be anything)."""
    return max(ZOOM_LEVELS[0], min(ZOOM_LEVELS[-1], int(percent)))
