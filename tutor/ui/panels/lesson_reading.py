"""Reading the lesson from the keyboard, as a screen reader user does.

Qt shows the lesson in a QTextBrowser, whose text (not its links or headings) reaches assistive
technology: a screen reader follows the caret and the selection. So the lesson view itself
makes links and headings reachable:

- Tab / Shift+Tab select the next / previous link *from where one is reading* (the caret when
  it is on screen, else the top of the view) and say the link's name; past the last link Tab
  leaves the lesson. Enter follows the selected link.
- H / Shift+H move the caret to the next / previous heading (any level), scroll it to the top
  and say "Heading level 2: …"; Up / Down move the caret line by line (caret browsing).

`document_links` and `document_headings` read links and headings from the rendered document;
the links' names are their texts, which the lesson makes distinct (an example link names its
example).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser


@dataclass(frozen=True)
class LessonLink:
    """One link of the rendered lesson: its text (what a screen reader says), its target, and
    where it is in the document (character positions, end exclusive)."""

    name: str
    href: str
    start: int
    end: int


@dataclass(frozen=True)
class LessonHeading:
    """One heading of the rendered lesson: level 1–6, its text, and its first character."""

    level: int
    text: str
    position: int


def document_links(document: QTextDocument) -> list[LessonLink]:
    """Every link of `document` in reading order (adjacent pieces of one link joined)."""
    links: list[LessonLink] = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            href = fragment.charFormat().anchorHref() if fragment.isValid() else ""
            if href:
                start, text = fragment.position(), fragment.text()
                last = links[-1] if links else None
                if last is not None and last.href == href and last.end == start:
                    links[-1] = LessonLink(last.name + text, href, last.start, start + len(text))
                else:
                    links.append(LessonLink(text, href, start, start + len(text)))
            iterator += 1
        block = block.next()
    return [
        LessonLink(" ".join(link.name.split()), link.href, link.start, link.end) for link in links
    ]


def document_headings(document: QTextDocument) -> list[LessonHeading]:
    """Every heading block of `document` in reading order."""
    headings: list[LessonHeading] = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if level > 0 and block.text().strip():
            headings.append(LessonHeading(level, block.text().strip(), block.position()))
        block = block.next()
    return headings


def reading_position(view: QTextBrowser) -> int:
    """Where the learner is reading: the caret if it is on screen, else the view's top."""
    caret = view.cursorRect()
    if view.viewport().rect().intersects(caret):
        return view.textCursor().position()
    return view.cursorForPosition(QPoint(4, 4)).position()


def next_link(view: QTextBrowser, links: list[LessonLink], forward: bool) -> LessonLink | None:
    """The link Tab (forward) or Shift+Tab goes to from the reading position; None past the
    last (or before the first) link."""
    cursor = view.textCursor()
    # A link selected earlier counts only while it is on screen: after scrolling away from
    # it, Tab starts where one reads now, not after that link (#19).
    on_screen = view.viewport().rect().intersects(view.cursorRect())
    current = next(
        (
            link
            for link in links
            if on_screen
            and cursor.selectionStart() == link.start
            and cursor.selectionEnd() == link.end
        ),
        None,
    )
    if forward:
        after = current.end if current is not None else reading_position(view)
        return next((link for link in links if link.start >= after), None)
    before = current.start if current is not None else reading_position(view) + 1
    return next((link for link in reversed(links) if link.end <= before), None)


def select_link(view: QTextBrowser, link: LessonLink) -> None:
    """Select the link's text (so Enter follows it) and scroll it into view."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(link.start)
    cursor.setPosition(link.end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()


def next_heading(
    view: QTextBrowser, headings: list[LessonHeading], forward: bool
) -> LessonHeading | None:
    """The heading H (forward) or Shift+H goes to from the caret; None if there is none."""
    here = reading_position(view)
    if forward:
        return next((h for h in headings if h.position > here), None)
    return next((h for h in reversed(headings) if h.position < here), None)


def heading_sentence(heading: LessonHeading) -> str:
    """What is said on reaching a heading: "Heading level 2: <its text>"."""
    return f"Heading level {heading.level}: {heading.text}"


def link_sentence(link: LessonLink) -> str:
    """What is said on reaching a link with Tab: "Link: <its name>"."""
    return f"Link: {link.name}"
