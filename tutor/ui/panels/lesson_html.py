"""The lesson as one HTML document for a QTextBrowser.

Each prose segment goes through Qt's own markdown reader (QTextDocument.setMarkdown, exported
with toHtml), each code segment through Pygments (`highlight_code_html`, the dark variant when
the palette is dark), and every runnable example gets a "▶ Run this example" link under its
code. No font sizes are fixed in points, so zooming scales prose, headings and code together.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from PySide6.QtGui import QTextDocument

from tutor.content.examples import load_examples
from tutor.content.highlight import highlight_code_html
from tutor.content.lesson import CodeSegment, Lesson, ProseSegment
from tutor.content.links import example_link
from tutor.content.snippets import RUN_SNIPPET_TEXT, is_runnable_snippet, snippet_link
from tutor.ui.widgets.palette_tone import is_dark  # noqa: F401 - re-exported

RUN_EXAMPLE_TEXT = "▶ Run this example"
_HEADING_TOP_MARGIN = 18.0
_HEADING_BOTTOM_MARGIN = 6.0
_BODY = re.compile(r"<body[^>]*>(?P<body>.*)</body>", re.DOTALL)
_HEADING = re.compile(r'<h(?P<level>[123]) style="(?P<style>[^"]*)"')
_MARGIN = re.compile(r"\s*margin-(?:top|bottom):[^;]*;")
_HTML_START = "<html><body>"
_ANCHOR = re.compile(r"(?P<open><a [^>]*>)(?P<text>.*?)(?P<close></a>)", re.DOTALL)
_COLOUR = re.compile(r" color:#[0-9a-fA-F]{6};")


@lru_cache(maxsize=256)  # the plain and the coloured rendering share their prose
def _markdown_html(markdown: str) -> str:
    """The body of Qt's own HTML rendering of a markdown text."""
    document = QTextDocument()
    document.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
    match = _BODY.search(document.toHtml())
    return _without_link_colours(match["body"]) if match else ""


def _without_link_colours(html: str) -> str:
    """`html` with no colour written into its links' text: toHtml writes the palette's link
    colour of the moment (#0000ff), and a lesson rendered again after a switch to dark then
    kept that dark blue on its dark background. Without it each render gives links the
    palette's link colour as it parses them."""
    return _ANCHOR.sub(lambda m: m["open"] + _COLOUR.sub("", m["text"]) + m["close"], html)


def run_example_text(example_id: str, titles: dict[str, str] | None = None) -> str:
    """The text of an example's run link: it names the example, so that the lesson's example
    links differ (a screen reader lists links by their text). `titles` ({id: title}, from
    `example_titles`) saves reading the catalogue again for each link."""
    title = (titles if titles is not None else example_titles()).get(example_id)
    if title is None:
        return RUN_EXAMPLE_TEXT  # the console says the example is unknown when clicked
    return f"{RUN_EXAMPLE_TEXT}: {title}"


def example_titles() -> dict[str, str]:
    """{example id: title} from the shipped catalogue (ValueError if it is broken)."""
    return {example.id: example.title for example in load_examples()}


def snippet_text(lesson: Lesson, segment: CodeSegment) -> str:
    """The text of a snippet's run link: it names the snippet's section, so that the links
    differ for a screen reader."""
    section = lesson.section_of(lesson.segments.index(segment))
    return f"{RUN_SNIPPET_TEXT}: {section}" if section else RUN_SNIPPET_TEXT


# Kept per (lesson, dark, colour): rendering costs ~0.5 s of CPU (markdown and Pygments for every
# segment), and the same lesson is rendered again on each switch of appearance, for each window.
@lru_cache(maxsize=8)
def lesson_html(lesson: Lesson, dark: bool = False, colour: bool = True) -> str:
    """The whole lesson as one HTML document for a QTextBrowser (code coloured if `colour`).

    `lesson` is frozen, and the example catalogue the links name ships with the tutor, so the
    same arguments always give the same document.
    """
    parts: list[str] = []
    titles: dict[str, str] | None = None  # the catalogue, read once (only if a link needs it)
    for segment in lesson.segments:
        if isinstance(segment, ProseSegment):
            parts.append(_markdown_html(segment.markdown))
        elif isinstance(segment, CodeSegment):
            parts.append(
                highlight_code_html(segment.source, segment.language, dark=dark, colour=colour)
            )
            if is_runnable_snippet(segment):
                href = escape(snippet_link(segment.source), quote=True)
                parts.append(
                    f'<p style="margin-top:4px; margin-bottom:12px;"><a href="{href}">'
                    f"<b>{escape(snippet_text(lesson, segment))}</b></a></p>"
                )
            if segment.example_id:
                href = escape(example_link(segment.example_id), quote=True)
                titles = example_titles() if titles is None else titles
                parts.append(
                    f'<p style="margin-top:4px; margin-bottom:12px;"><a href="{href}">'
                    f"<b>{escape(run_example_text(segment.example_id, titles))}</b></a></p>"
                )
    return _spaced_headings(_HTML_START + "\n".join(parts) + "</body></html>")


def _spaced_headings(html: str) -> str:
    """Give headings (levels 1–3) room above and below (px; Qt's markdown gives them none),
    none above a heading that opens the document. Written into the HTML, so that Qt lays the
    lesson out once: setting the block formats after `setHtml` cost a second layout of the
    whole lesson (~12 ms per render, as long as `setHtml` itself)."""

    first_tag = html.find("<", len(_HTML_START))  # where the document's first block opens

    def spaced(heading: re.Match[str]) -> str:
        top = 0.0 if heading.start() == first_tag else _HEADING_TOP_MARGIN
        style = _MARGIN.sub("", heading["style"]).strip()
        margins = f"margin-top:{top:g}px; margin-bottom:{_HEADING_BOTTOM_MARGIN:g}px;"
        return f'<h{heading["level"]} style="{margins} {style}"'

    return _HEADING.sub(spaced, html)
