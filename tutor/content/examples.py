"""The runnable example programs: a catalogue in `resources/examples/catalogue.toml`.

Each entry names a standalone script, the lesson section it belongs to and what its output
must contain; the tests run every entry for real, so the lesson never shows broken code.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tutor.content.markdown_headings import markdown_section_titles
from tutor.resources import resource_path

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = {"id", "title", "file", "section", "expect", "expect_exit", "timeout_s"}


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    path: Path  # absolute path of the .py file
    section: str  # the lesson "## " section title it belongs to
    expect: tuple[str, ...]  # substrings that must appear in its combined stdout+stderr
    expect_exit: int = 0
    timeout_s: float = 60.0

    @property
    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")


def default_catalogue_path() -> Path:
    return resource_path("examples", "catalogue.toml")


def _entry_error(position: int, entry: object, problem: str) -> ValueError:
    name = entry.get("id") if isinstance(entry, dict) else None
    label = f"example {name!r}" if isinstance(name, str) and name else f"example #{position}"
    return ValueError(f"catalogue {label}: {problem}")


def _parse_entry(position: int, entry: object, folder: Path) -> Example:
    if not isinstance(entry, dict):
        raise _entry_error(position, entry, "each [[examples]] entry must be a table")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise _entry_error(position, entry, f"unknown key(s) {', '.join(unknown)}")
    for key in ("id", "title", "file", "section"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _entry_error(position, entry, f"{key!r} must be a non-empty string")
    if not _ID.match(entry["id"]):
        raise _entry_error(position, entry, "'id' must be lower_snake_case")
    path = (folder / entry["file"]).resolve()
    if not path.is_file():
        raise _entry_error(position, entry, f"file {entry['file']!r} does not exist ({path})")
    expect = entry.get("expect", [])
    if (
        not isinstance(expect, list)
        or not expect
        or not all(isinstance(item, str) and item for item in expect)
    ):
        raise _entry_error(position, entry, "'expect' must be a non-empty list of strings")
    expect_exit = entry.get("expect_exit", 0)
    if not isinstance(expect_exit, int) or isinstance(expect_exit, bool):
        raise _entry_error(position, entry, "'expect_exit' must be an integer")
    timeout = entry.get("timeout_s", 60.0)
    if (
        not isinstance(timeout, int | float)
        or isinstance(timeout, bool)
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        raise _entry_error(position, entry, "'timeout_s' must be a positive number")
    return Example(
        id=entry["id"],
        title=entry["title"].strip(),
        path=path,
        section=entry["section"].strip(),
        expect=tuple(expect),
        expect_exit=expect_exit,
        timeout_s=float(timeout),
    )


def read_catalogue(path: Path | None = None) -> tuple[Example, ...]:
    """Parse the catalogue and check files and ids, without looking at the lesson."""
    path = path or default_catalogue_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"example catalogue not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"example catalogue {path.name}: invalid TOML: {exc}") from None
    entries = data.get("examples")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"example catalogue {path.name}: no [[examples]] entries")
    examples: list[Example] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        example = _parse_entry(position, entry, path.parent)
        if example.id in seen:
            raise _entry_error(position, entry, "this id is used by an earlier entry")
        seen.add(example.id)
        examples.append(example)
    return tuple(examples)


def catalogue_sources(path: Path | None = None) -> dict[str, str]:
    """{id: source text} for every catalogue entry (what the lesson embeds)."""
    return {example.id: example.source for example in read_catalogue(path)}


def load_examples(
    path: Path | None = None, lesson_markdown: str | None = None
) -> tuple[Example, ...]:
    """The validated catalogue: files exist, ids unique, every section exists in the lesson.

    ValueError naming the entry at fault. `path` and `lesson_markdown` default to the shipped
    catalogue and lesson.
    """
    examples = read_catalogue(path)
    if lesson_markdown is None:
        lesson_markdown = resource_path("lessons", "multiprocessing.md").read_text(encoding="utf-8")
    sections = markdown_section_titles(lesson_markdown)
    for example in examples:
        if example.section not in sections:
            raise ValueError(
                f"catalogue example {example.id!r}: section {example.section!r} is not a "
                f"'## ' heading of the lesson (headings: {'; '.join(sections)})"
            )
    return examples


def get_example(example_id: str) -> Example:
    """The example with this id; KeyError listing the known ids otherwise."""
    examples = load_examples()
    for example in examples:
        if example.id == example_id:
            return example
    known = ", ".join(example.id for example in examples)
    raise KeyError(f"no example {example_id!r}; known examples: {known}")
