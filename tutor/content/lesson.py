"""The lesson: a markdown file cut into prose and code segments.

A line `::: example <id>` on its own is replaced by the source of that runnable example (the
example file is the single source of truth). Fenced ``` blocks become code segments; the rest
is prose, with consecutive prose merged into one segment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tutor.content.examples import catalogue_sources
from tutor.content.markdown_headings import FENCE as _FENCE
from tutor.content.markdown_headings import markdown_section_titles, markdown_title
from tutor.resources import resource_path

_DIRECTIVE = re.compile(r"^:::\s*example\s+(?P<id>\S+)\s*$")


@dataclass(frozen=True)
class ProseSegment:
    markdown: str


@dataclass(frozen=True)
class CodeSegment:
    source: str
    language: str = "python"
    example_id: str | None = None  # set when the block is a runnable example


@dataclass(frozen=True)
class Lesson:
    title: str  # the first "# " heading
    markdown: str  # raw file text
    segments: tuple[ProseSegment | CodeSegment, ...]

    def section_titles(self) -> tuple[str, ...]:
        """The "## " headings of the prose, in order."""
        titles: list[str] = []
        for segment in self.segments:
            if isinstance(segment, ProseSegment):
                titles.extend(markdown_section_titles(segment.markdown))
        return tuple(titles)

    def section_of(self, index: int) -> str | None:
        """The "## " section that segment `index` belongs to (None before the first one)."""
        current: str | None = None
        for segment in self.segments[:index]:
            if isinstance(segment, ProseSegment):
                titles = markdown_section_titles(segment.markdown)
                if titles:
                    current = titles[-1]
        return current

    def example_ids(self) -> tuple[str, ...]:
        """The ids of the examples embedded in the lesson, in order."""
        return tuple(
            s.example_id for s in self.segments if isinstance(s, CodeSegment) and s.example_id
        )


def parse_lesson(markdown: str, example_source: Callable[[str], str]) -> Lesson:
    """Cut `markdown` into segments; `example_source(id)` gives the text of an example.

    ValueError for a lesson without a "# " title, an unclosed code fence, or an example id
    that `example_source` does not know (it should raise KeyError).
    """
    title = markdown_title(markdown)
    if title is None:
        raise ValueError("the lesson has no '# ' title line")
    segments: list[ProseSegment | CodeSegment] = []
    prose: list[str] = []

    def flush_prose() -> None:
        text = "\n".join(prose).strip("\n")
        prose.clear()
        if text.strip():
            segments.append(ProseSegment(text + "\n"))

    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        directive = _DIRECTIVE.match(stripped)
        fence = _FENCE.match(stripped)
        if directive:
            example_id = directive["id"]
            try:
                source = example_source(example_id)
            except KeyError as exc:
                known = f" ({exc.args[0]})" if exc.args else ""
                raise ValueError(
                    f"lesson line {index + 1}: unknown example {example_id!r}{known}"
                ) from None
            flush_prose()
            segments.append(CodeSegment(source=source, language="python", example_id=example_id))
        elif fence:
            marker = fence["fence"]
            opened_on = index + 1
            language = fence["info"].strip().split(" ")[0].lower() or "python"
            body: list[str] = []
            index += 1
            while index < len(lines):
                closing = lines[index].strip()
                if closing.startswith(marker[0] * len(marker)) and not closing.strip(marker[0]):
                    break
                body.append(lines[index])
                index += 1
            else:
                raise ValueError(f"lesson line {opened_on}: this code block is never closed")
            flush_prose()
            segments.append(CodeSegment(source="\n".join(body) + "\n", language=language))
        else:
            prose.append(line)
        index += 1
    flush_prose()
    return Lesson(title=title, markdown=markdown, segments=tuple(segments))


def load_lesson(name: str = "multiprocessing") -> Lesson:
    """Load `resources/lessons/<name>.md`, with its `::: example` lines resolved."""
    path = resource_path("lessons", f"{name}.md")
    if not path.is_file():
        raise FileNotFoundError(f"no lesson named {name!r} (looked for {path})")
    sources = catalogue_sources()

    def example_source(example_id: str) -> str:
        if example_id not in sources:
            raise KeyError(f"known examples: {', '.join(sources) or 'none'}")
        return sources[example_id]

    return parse_lesson(path.read_text(encoding="utf-8"), example_source)
