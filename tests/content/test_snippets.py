"""Short lesson snippets that can run on their own (#19)."""

from __future__ import annotations

from tutor.content.lesson import CodeSegment, load_lesson
from tutor.content.snippets import (
    is_runnable_snippet,
    lesson_snippets,
    parse_snippet_id,
    snippet_id,
    snippet_link,
    write_snippet,
)


def test_the_gil_check_is_runnable_and_the_dask_sketch_is_not():
    snippets = lesson_snippets(load_lesson())
    sources = [s.source for s in snippets.values()]
    assert any("_is_gil_enabled" in source for source in sources)
    assert not any("dask" in source for source in sources)  # imports the learner's `work`
    for key, snippet in snippets.items():
        assert key == snippet.id == snippet_id(snippet.source)
        assert snippet.title.startswith("Snippet from “")


def test_what_counts_as_runnable():
    assert is_runnable_snippet(CodeSegment("import os\nprint(os.getpid())\n"))
    assert not is_runnable_snippet(CodeSegment("print(1)\n", example_id="pool_primes"))
    assert not is_runnable_snippet(CodeSegment("ls -l\n", language="bash"))
    assert not is_runnable_snippet(CodeSegment("def broken(:\n"))
    assert not is_runnable_snippet(CodeSegment("import no_such_module_here\n"))
    assert not is_runnable_snippet(CodeSegment("from .sibling import x\n"))
    assert not is_runnable_snippet(CodeSegment("from no_such_pkg.sub import x\n"))
    assert not is_runnable_snippet(CodeSegment("print(1)\n" * 41))


def test_links_round_trip_and_files_are_written(tmp_path):
    source = "print('hi')\n"
    assert parse_snippet_id(snippet_link(source)) == snippet_id(source)
    assert parse_snippet_id("tutor:example?id=x") is None
    assert parse_snippet_id("tutor:snippet?id=") is None
    (snippet,) = lesson_snippets(load_lesson()).values()
    path = write_snippet(snippet, tmp_path / "new")
    assert path.read_text(encoding="utf-8") == snippet.source


def test_submodules_are_found_without_importing_their_package():
    """Deciding whether a snippet runs must not import what it names: the lesson's Dask
    sketch once loaded all of Dask while the window was being built (#15)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tutor.content.snippets import is_runnable_snippet\n"
        "from tutor.content.lesson import CodeSegment\n"
        "found = 'import email.mime.text\\nimport xml.dom.minidom\\n'\n"
        "ok = is_runnable_snippet(CodeSegment(found))\n"
        "missing = is_runnable_snippet(CodeSegment('import xml.no_such_sub\\n'))\n"
        "print(ok, missing, 'email' in sys.modules, 'xml' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["True", "False", "False", "False"]
