"""Short lesson snippets that can run as they are (no Qt).

A code block of the lesson that is not a catalogued example may still run on its own: the
`sys._is_gil_enabled()` check, for one. Such a snippet gets a "▶ Run this snippet" link; the
console runs it, like an example, as a plain script in a child Python. A snippet counts as
runnable when it is Python, parses, is short, and every module it imports can be found in this
Python (so the Dask snippet, which imports a `work` module the learner writes, is left out).
"""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.util
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tutor.content.lesson import CodeSegment, Lesson

MAX_SNIPPET_LINES = 40
RUN_SNIPPET_TEXT = "▶ Run this snippet"
SNIPPET_TARGET = "snippet"  # tutor:snippet?id=<id>


@dataclass(frozen=True)
class LessonSnippet:
    """A runnable snippet: `id` (a hash of its source), `title` for the console, `source`."""

    id: str
    title: str
    source: str


def snippet_id(source: str) -> str:
    """A stable id for a snippet's text: its CRC-32 in 8 hex digits.

    It only tells a lesson's few snippets apart, so a checksum does (zlib is loaded anyway);
    hashlib would load OpenSSL while the first screen of the lesson renders (~5 ms of the
    window's start-up, tests/perf/ui_responsiveness.py)."""
    return f"snippet-{zlib.crc32(source.encode('utf-8')):08x}"


def snippet_link(source: str) -> str:
    """The lesson link that runs this snippet: `tutor:snippet?id=<id>`."""
    return f"tutor:{SNIPPET_TARGET}?id={quote(snippet_id(source), safe='')}"


def _imported_modules(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # a relative import needs a package around it
                names.append("." * node.level + (node.module or ""))
            elif node.module:
                names.append(node.module)
    return names


def _findable(module: str) -> bool:
    """Whether `module` can be found in this Python, without running any package's code.

    `importlib.util.find_spec("pkg.sub")` imports `pkg` first: for the lesson's Dask sketch that
    loaded all of Dask (a good part of a second on a busy machine) while the window was being
    built. A submodule is looked for in its parent's folders instead, which imports nothing.
    """
    if module.startswith("."):
        return False
    try:
        return _find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package is missing, or a broken name
        return False


def _find_spec(module: str) -> importlib.machinery.ModuleSpec | None:
    parent, _, _name = module.rpartition(".")
    if not parent or parent in sys.modules:
        return importlib.util.find_spec(module)  # imports nothing new
    parent_spec = _find_spec(parent)
    if parent_spec is None:
        return None
    if parent_spec.submodule_search_locations is None:
        return importlib.util.find_spec(module)  # not a package (a module's own attribute)
    return importlib.machinery.PathFinder.find_spec(
        module, list(parent_spec.submodule_search_locations)
    )


def is_runnable_snippet(segment: CodeSegment) -> bool:
    """Whether a lesson code block can run as a script of its own (see the module docstring)."""
    if segment.example_id or segment.language.lower() not in ("python", "py", "python3"):
        return False
    if len(segment.source.splitlines()) > MAX_SNIPPET_LINES:
        return False
    try:
        tree = ast.parse(segment.source)
    except (SyntaxError, ValueError):
        return False
    return all(_findable(module) for module in _imported_modules(tree))


def lesson_snippets(lesson: Lesson) -> dict[str, LessonSnippet]:
    """The lesson's runnable snippets by id, each titled after the section it is in."""
    snippets: dict[str, LessonSnippet] = {}
    for index, segment in enumerate(lesson.segments):
        if isinstance(segment, CodeSegment) and is_runnable_snippet(segment):
            section = lesson.section_of(index)
            title = f"Snippet from “{section}”" if section else "Lesson snippet"
            key = snippet_id(segment.source)
            snippets[key] = LessonSnippet(key, title, segment.source)
    return snippets


def parse_snippet_id(url: str) -> str | None:
    """The id of a `tutor:snippet?id=...` link; None for any other link."""
    prefix = f"tutor:{SNIPPET_TARGET}?id="
    return url[len(prefix) :] if url.startswith(prefix) and len(url) > len(prefix) else None


def write_snippet(snippet: LessonSnippet, folder: Path) -> Path:
    """Save the snippet as `<id>.py` in `folder` (created if needed); its path. Raises
    OSError when the folder cannot be written."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{snippet.id}.py"
    path.write_text(snippet.source, encoding="utf-8")
    return path
