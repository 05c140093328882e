"""The frozen one-folder app: built from scratch, small enough, and its multiprocessing works.

A frozen app re-launches its own executable for every spawned process; without
freeze_support() each worker would open another copy of the app, which would start more.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging_support import build_module as _build_module
from packaging_support import built_bundle
from virtual_display import start_xvfb

from tutor.content.examples import load_examples

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(900)]

if not sys.platform.startswith("linux"):
    pytest.skip("the bundle checks are written for Linux", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
QT = Path("_internal") / "PySide6" / "Qt"


@pytest.fixture(scope="module")
def bundle() -> Path:
    return built_bundle()


@pytest.fixture(scope="module")
def build_module():
    return _build_module()


def test_bundle_has_the_app_its_resources_and_the_qt_plugins_it_needs(bundle: Path) -> None:
    assert os.access(bundle / "mp-tutor", os.X_OK)
    resources = bundle / "_internal" / "tutor" / "resources"
    assert list((resources / "lessons").glob("*.md"))
    assert list((resources / "quiz").glob("*.toml"))
    assert (resources / "examples" / "catalogue.toml").is_file()
    assert list((resources / "examples").glob("*.py"))
    assert (resources / "icons" / "mp-tutor.svg").is_file()
    assert list((resources / "icons").glob("mp-tutor-*.png"))
    platforms = {path.name for path in (bundle / QT / "plugins" / "platforms").iterdir()}
    assert {"libqxcb.so", "libqoffscreen.so"} <= platforms
    assert (bundle / QT / "plugins" / "imageformats" / "libqsvg.so").is_file()


def test_bundle_is_pruned_below_its_size_limit(bundle: Path, build_module) -> None:
    size = build_module.bundle_size(bundle)
    limit = build_module.SIZE_LIMIT_MIB * 2**20  # the stdlib and numpy whole: see the spec
    assert size <= limit, f"bundle is {build_module.describe_size(size)}"
    names = [path.relative_to(bundle).as_posix() for path in bundle.rglob("*")]
    unwanted = ("Qml", "Quick", "WebEngine", "Pdf", "Multimedia", "Network", "/translations/")
    assert not [name for name in names if any(part in name for part in unwanted)]
    platforms = {path.name for path in (bundle / QT / "plugins" / "platforms").iterdir()}
    assert platforms == {"libqxcb.so", "libqoffscreen.so"}


XCB_LIBRARIES = {"xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1"}


def test_the_xcb_plugin_carries_the_libraries_it_links(bundle: Path, build_module) -> None:
    """PyInstaller bundles what the build machine has; only GL drivers may come from the host."""
    if not shutil.which("ldd"):
        pytest.skip("ldd is missing")
    absent = [deb for name, deb in XCB_LIBRARIES.items() if not ctypes.util.find_library(name)]
    if absent:
        pytest.skip(
            f"this build machine lacks {absent}, so the bundle cannot carry them "
            "(.ci/run installs them with apt-get)"
        )
    missing = build_module.unresolved_libraries(bundle)
    assert not missing, f"libqxcb.so needs {missing}"
    bundled = build_module.bundled_system_libraries(bundle)
    assert {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"} <= bundled


def test_frozen_smoke_test_runs_two_processes_without_runaway_spawning(
    bundle: Path, build_module
) -> None:
    result = build_module.frozen_smoke_test(bundle)
    report = result.describe()
    assert result.returncode == 0, report
    assert "matches the sequential answer" in result.stdout, report
    # The run helper, 2 pool workers and the resource tracker: never more than N + 2 at once.
    assert result.max_children <= build_module.MAX_CHILDREN, report
    workers = [cmd for cmd in result.processes.values() if "--multiprocessing-fork" in cmd]
    assert len(workers) >= 3, f"expected the run helper and two workers:\n{report}"
    assert not result.left_behind, report
    assert result.ok


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.id)
def test_frozen_app_runs_the_lessons_example_programs(bundle: Path, build_module, example) -> None:
    """The console panel runs examples as `sys.executable -u example.py`: in the bundle that
    is the app itself, which must then behave like Python (tutor/__main__.py)."""
    script = bundle / "_internal" / "tutor" / "resources" / "examples" / example.path.name
    result = build_module.run_frozen(
        bundle / "mp-tutor", ["-u", str(script)], timeout=example.timeout_s, runaway=12
    )
    output = result.stdout + result.stderr
    assert result.returncode == example.expect_exit, result.describe()
    missing = [text for text in example.expect if text not in output]
    assert not missing, f"{example.id}: output lacks {missing}:\n{output}"
    assert "Failed to execute script" not in output
    assert result.max_children <= 8, result.describe()
    assert not result.left_behind, result.describe()


def test_frozen_bench_cli(bundle: Path, tmp_path: Path) -> None:
    completed = subprocess.run(
        [str(bundle / "mp-tutor"), "bench", "--workload", "primes", "--size", "20000"]
        + ["--mode", "processes", "--workers", "2", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert (report["mode"], report["workers"], report["result"]) == ("processes", 2, 2262)


def test_frozen_app_runs_on_the_xcb_platform(bundle: Path, build_module) -> None:
    """The X11 plugin and the libraries the bundle carries for it, on a real (virtual) display."""
    xvfb, display = start_xvfb(140)
    if xvfb is None:
        pytest.skip("Xvfb is not installed (Debian: xvfb)")
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY",)}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
        result = build_module.run_frozen(bundle / "mp-tutor", ["--smoke-test"], env=env)
    finally:
        xvfb.terminate()  # not kill: Xvfb removes its socket and lock file on SIGTERM
        try:
            xvfb.wait(timeout=10)
        except subprocess.TimeoutExpired:
            xvfb.kill()
            xvfb.wait()
    assert result.ok, result.describe()


def test_frozen_app_carries_the_pygments_parts_the_lesson_uses(
    bundle: Path, build_module, tmp_path: Path
) -> None:
    """packaging/hooks/hook-pygments.py bundles a few lexers and styles, not all of them."""
    from tutor.content import highlight

    lessons = (ROOT / "resources" / "lessons").glob("*.md")
    fences = {
        line.strip()[3:].split(" ")[0].lower() or "python"
        for path in lessons
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("```")
    }
    languages = sorted(fences | {"python", "pycon", "pytb", "text", "console", "toml"})
    styles = [highlight.LIGHT_STYLE, highlight.DARK_STYLE]
    script = tmp_path / "check_pygments.py"
    script.write_text(
        "from pygments import highlight\n"
        "from pygments.formatters import HtmlFormatter\n"
        "from pygments.lexers import get_lexer_by_name\n"
        "from pygments.styles import get_style_by_name\n"
        f"for style in {styles!r}:\n"
        "    get_style_by_name(style)\n"
        f"for language in {languages!r}:\n"
        "    html = highlight('x = 1\\n', get_lexer_by_name(language), HtmlFormatter())\n"
        "    print(language, 'ok' if '<span' in html or language == 'text' else 'plain')\n"
    )
    result = build_module.run_frozen(bundle / "mp-tutor", [str(script)], timeout=60)
    assert result.returncode == 0, result.describe()
    assert result.stdout.split() == [w for lang in languages for w in (lang, "ok")], result.stdout


LEARNER_IMPORTS = (
    "math",
    "random",
    "statistics",
    "hashlib",
    "fractions",
    "decimal",
    "itertools",
    "collections",
    "json",
    "time",
    "numpy",
    "numpy.random",
)


def test_frozen_app_has_the_modules_a_learners_function_imports(
    bundle: Path, build_module, tmp_path: Path
) -> None:
    """Whatever the bundle left out would look like the learner's mistake: ship them all."""
    script = tmp_path / "imports.py"
    lines = [f"import {name}" for name in LEARNER_IMPORTS]
    lines += [
        "print('sha', hashlib.sha256(b'x').hexdigest()[:8])",
        "print('draw', numpy.random.default_rng(1).integers(0, 10, 3).tolist())",
        "print('mean', statistics.mean([1, 2, 3]), fractions.Fraction(1, 3) * 3)",
        "print('all imported')",
    ]
    script.write_text("\n".join(lines) + "\n")
    result = build_module.run_frozen(bundle / "mp-tutor", ["-u", str(script)], timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, result.describe()
    assert "all imported" in output and "sha 2d711642" in output, output


def test_frozen_bench_runs_a_numpy_function_from_the_current_folder(
    bundle: Path, tmp_path: Path
) -> None:
    (tmp_path / "noisy.py").write_text(
        "import numpy.random\n\n\ndef work(n):\n"
        "    return int(numpy.random.default_rng(n).integers(0, 2))\n"
    )
    completed = subprocess.run(
        [str(bundle / "mp-tutor"), "bench", "--function", "noisy:work", "--size", "2000"]
        + ["--mode", "processes", "--workers", "2", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["workload"] == "custom" and 0 < report["result"] < 2000
