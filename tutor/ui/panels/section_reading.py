"""When a lesson section counts as read (no Qt: the view hands in where things are).

A section counts as read once its body, the text under its "## " heading, has stayed on screen
for `read_after_ms` without a break; "on screen" means all of a short body, or at least a third
of the view's height of a long one. A heading that merely scrolls past, a quick scroll over the
text, or a jump does not count. Each section is reported once.
"""

from __future__ import annotations

from collections.abc import Iterable

READ_AFTER_MS = 2000


def body_on_screen(start: float, end: float, top: float, height: float) -> bool:
    """Whether enough of a section's body (document pixels `start`..`end`) is in a view that
    shows `top`..`top + height`: all of a short body, or a third of the view of a long one."""
    shown = min(end, top + height) - max(start, top)
    needed = min(end - start, height / 3)
    return needed > 0 and shown >= needed - 1


class SectionReadTracker:
    """Remembers which sections were read and since when each body has been on screen."""

    def __init__(self, read_after_ms: int = READ_AFTER_MS) -> None:
        self._read_after_ms = read_after_ms
        self._read: set[str] = set()
        self._in_view_since: dict[str, float] = {}  # title -> time.monotonic() seconds

    def set_read(self, titles: Iterable[str]) -> None:
        """Sections already read (e.g. in earlier sessions): never reported again."""
        self._read = set(titles)

    def read(self) -> set[str]:
        return set(self._read)

    def all_read(self, titles: Iterable[str]) -> bool:
        return self._read.issuperset(titles)

    def forget_time_on_screen(self) -> None:
        """A jump, a hidden view or a new lesson: time on screen so far does not count."""
        self._in_view_since.clear()

    def observe(
        self, bodies: Iterable[tuple[str, float, float]], top: float, height: float, now: float
    ) -> list[str]:
        """Note what is on screen now (`bodies`: (title, top, bottom) in document pixels; the
        view shows `top`..`top + height`; `now` in seconds) and return the sections that
        became read, in order; they are remembered as read."""
        newly_read: list[str] = []
        for title, start, end in bodies:
            if body_on_screen(start, end, top, height):
                since = self._in_view_since.setdefault(title, now)
                dwelt = (now - since) * 1000 >= self._read_after_ms
            else:
                self._in_view_since.pop(title, None)
                dwelt = False
            if title not in self._read and dwelt:
                newly_read.append(title)
        self._read.update(newly_read)
        return newly_read
