"""The headings of a markdown text, read outside its fenced code blocks.

Shared by the lesson (its sections) and the examples catalogue (which checks that every example
names a real lesson section), so neither of those two modules imports the other.
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^(?P<fence>```+|~~~+)\s*(?P<info>[^`]*)$")
_H1 = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$")
_H2 = re.compile(r"^##\s+(?P<title>.+?)\s*#*\s*$")


def _prose_lines(markdown: str) -> list[str]:
    """The lines of `markdown` that are outside fenced code blocks."""
    lines: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines():
        stripped = line.strip()
        if fence is None:
            match = FENCE.match(stripped)
            if match:
                fence = match["fence"]
            else:
                lines.append(line)
        elif stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
            fence = None
    return lines


def markdown_section_titles(markdown: str) -> tuple[str, ...]:
    """The "## " headings of a markdown text, skipping fenced code blocks."""
    titles = []
    for line in _prose_lines(markdown):
        match = _H2.match(line)
        if match:
            titles.append(match["title"])
    return tuple(titles)


def markdown_title(markdown: str) -> str | None:
    """The first "# " heading of a markdown text (outside code blocks), or None."""
    for line in _prose_lines(markdown):
        match = _H1.match(line)
        if match:
            return match["title"]
    return None
