"""The wheel carries resources/ and works from a fresh virtual environment."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        timeout=600,
    )
    (path,) = out.glob("mp_tutor-*.whl")
    return path


def test_wheel_contains_resources_and_the_entry_point(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    base = "tutor/resources/"
    assert any(n.startswith(base + "lessons/") and n.endswith(".md") for n in names)
    assert any(n.startswith(base + "quiz/") and n.endswith(".toml") for n in names)
    assert base + "examples/catalogue.toml" in names
    assert base + "exercises/main-guard.toml" in names
    assert base + "exercises/main-guard.solution.py" in names
    assert any(n.startswith(base + "examples/") and n.endswith(".py") for n in names)
    assert base + "icons/mp-tutor.svg" in names
    assert base + "icons/mp-tutor-256.png" in names
    assert "mp-tutor = tutor.__main__:main" in scripts
    assert not any(n.startswith(("tests/", "packaging/")) for n in names)


def test_wheel_installed_in_a_fresh_venv_runs_the_smoke_test(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        timeout=600,
    )
    work = tmp_path / "elsewhere"  # outside the source tree: nothing may come from it
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    located = subprocess.run(
        [str(python), "-c", "import tutor.resources as r; print(r.resources_root())"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(located.stdout.strip()).is_relative_to(target), located.stdout
    completed = subprocess.run(
        [str(target / "bin" / "mp-tutor"), "--smoke-test"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "matches the sequential answer" in completed.stdout
    # The exercise checker copies its helpers out of the installed package.
    solution = Path(located.stdout.strip()) / "exercises" / "main-guard.solution.py"
    checked = subprocess.run(
        [str(target / "bin" / "mp-tutor"), "exercises", "check", "main-guard", str(solution)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("passed")
