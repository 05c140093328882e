"""The learner's saved code is theirs alone: a private folder, and no file run by name alone."""

from __future__ import annotations

import os
import py_compile
import stat
import subprocess
import sys

import pytest

from tutor.content.learner_code import module_name_for, save_learner_module

DOUBLE = "def work(n):\n    return n * 2\n"
PLANTED = "def work(n):\n    return -1\n"  # what someone else left under the learner's name

posix_only = pytest.mark.skipif(os.name != "posix", reason="folder modes mean nothing here")


def run_in_fresh_python(folder, module_name: str) -> str:
    """Import the saved module by name in a new interpreter (as the run helper does)."""
    code = (
        f"import sys; sys.path.append({str(folder)!r}); "
        f"import {module_name} as m; print(m.work(21))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@posix_only
def test_the_folder_is_created_for_this_user_only(tmp_path):
    folder = tmp_path / "config" / "learner_code"
    save_learner_module(DOUBLE, folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@posix_only
def test_an_existing_open_folder_is_narrowed_to_this_user(tmp_path):
    folder = tmp_path / "learner_code"
    folder.mkdir()
    folder.chmod(0o777)
    save_learner_module(DOUBLE, folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_planted_file_with_the_same_name_is_replaced_by_the_learners_code(tmp_path):
    folder = tmp_path / "learner_code"
    folder.mkdir()
    name = module_name_for(DOUBLE)
    (folder / f"{name}.py").write_text(PLANTED, encoding="utf-8")

    module = save_learner_module(DOUBLE, folder)

    assert module.module_name == name
    assert module.path.read_text(encoding="utf-8") == DOUBLE
    assert run_in_fresh_python(folder, name) == "42"


def test_planted_bytecode_matching_the_new_file_never_runs(tmp_path):
    """Same size and modification time as the learner's file: Python would trust the .pyc."""
    folder = tmp_path / "learner_code"
    folder.mkdir()
    name = module_name_for(DOUBLE)
    path = folder / f"{name}.py"
    planted = PLANTED.replace("-1", "-9999")  # as long as DOUBLE, so the size matches too
    assert len(planted) == len(DOUBLE)
    path.write_text(planted, encoding="utf-8")
    py_compile.compile(str(path), invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
    stamp = path.stat().st_mtime_ns

    module = save_learner_module(DOUBLE, folder)
    os.utime(module.path, ns=(stamp, stamp))  # as if written within the same second

    assert run_in_fresh_python(folder, name) == "42"


def test_the_learners_own_saved_file_is_reused_untouched(tmp_path):
    folder = tmp_path / "learner_code"
    first = save_learner_module(DOUBLE, folder)
    inode = first.path.stat().st_ino
    again = save_learner_module(DOUBLE, folder)
    assert again == first and again.path.stat().st_ino == inode  # not rewritten
