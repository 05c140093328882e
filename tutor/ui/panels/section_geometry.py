"""Where the lesson's sections are in its rendered document (for the reading check).

A section is a "## " heading and the text under it, up to the next such heading; the view
hands the document and the section titles the lesson parser found.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QTextBlock, QTextDocument


def section_heading_blocks(
    document: QTextDocument, titles: tuple[str, ...]
) -> list[tuple[str, QTextBlock]]:
    """(section title, its heading block) for each "## " heading, in order; a title whose
    heading Qt renders differently is matched by its text, and left out if none matches."""
    blocks: list[QTextBlock] = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() == 2:
            blocks.append(block)
        block = block.next()
    if len(blocks) == len(titles):
        return list(zip(titles, blocks, strict=True))
    # Qt and the lesson parser disagree on a heading: fall back to matching by text.
    by_text = {block.text().strip(): block for block in blocks}
    plain = {title: re.sub(r"[`*_]", "", title).strip() for title in titles}
    return [(title, by_text[plain[title]]) for title in titles if plain[title] in by_text]


def section_bodies(
    document: QTextDocument, headings: list[tuple[str, QTextBlock]]
) -> list[tuple[str, float, float]]:
    """(title, top, bottom) of each section's body in document pixels: from under its heading
    to the next section's heading (or the end of the lesson). Lays the document out."""
    layout = document.documentLayout()
    end_of_text = layout.documentSize().height()
    bodies: list[tuple[str, float, float]] = []
    for index, (title, block) in enumerate(headings):
        start = layout.blockBoundingRect(block).bottom()
        later = headings[index + 1][1] if index + 1 < len(headings) else None
        end = layout.blockBoundingRect(later).top() if later is not None else end_of_text
        bodies.append((title, start, max(start, end)))
    return bodies
