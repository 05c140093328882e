"""Short side notes shown beside an experiment, kept as markdown data in resources/notes/."""

from __future__ import annotations

from tutor.resources import resource_path


def note_names() -> tuple[str, ...]:
    """The notes that exist, by file name without `.md`."""
    return tuple(sorted(p.stem for p in resource_path("notes").glob("*.md")))


def load_note(name: str) -> str:
    """The markdown of note `name`; KeyError when there is no such note."""
    path = resource_path("notes", f"{name}.md")
    if not path.is_file():
        raise KeyError(f"no note called {name!r}; there are: {', '.join(note_names())}")
    return path.read_text(encoding="utf-8")
