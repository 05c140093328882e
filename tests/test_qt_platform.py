"""A missing system library of Qt's display plugin gives one clear message, not Qt's abort."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.qt_platform import (
    PackageManager,
    PluginProblem,
    describe,
    package_for,
    package_managers,
    plugin_problem,
    requested_platforms,
)

DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'
UBUNTU = "NAME=Ubuntu\nID=ubuntu\nID_LIKE=debian\n"
FEDORA = 'NAME="Fedora Linux"\nID=fedora\n'
ROCKY = 'ID="rocky"\nID_LIKE="rhel centos fedora"\n'
ARCH = "NAME=Arch Linux\nID=arch\n"
MANJARO = "ID=manjaro\nID_LIKE=arch\n"
TUMBLEWEED = 'ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n'

linux_with_gcc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("gcc") is None,
    reason="builds a Linux shared library with gcc",
)


@pytest.mark.parametrize(
    ("os_release", "manager"),
    [
        (DEBIAN, PackageManager.APT),
        (UBUNTU, PackageManager.APT),
        (FEDORA, PackageManager.DNF),
        (ROCKY, PackageManager.DNF),
        (ARCH, PackageManager.PACMAN),
        (MANJARO, PackageManager.PACMAN),
        (TUMBLEWEED, PackageManager.ZYPPER),
    ],
)
def test_the_distribution_family_is_read_from_os_release(os_release, manager):
    assert package_managers(os_release) == [manager]


def test_an_unknown_distribution_gets_every_command():
    assert package_managers("ID=somethingnew\n") == list(PackageManager)
    assert package_managers("") == list(PackageManager)


@pytest.mark.parametrize(
    ("soname", "apt", "dnf", "pacman", "zypper"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm", "xcb-util-wm", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms",
         "libxcb-keysyms1"),
        ("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor",
         "libxcb-cursor0"),
        # Not in the table: the rule for libxcb's own extension libraries.
        ("libxcb-randr.so.0", "libxcb-randr0", "libxcb", "libxcb", "libxcb-randr0"),
        ("libEGL.so.1", "libegl1", "libglvnd-egl", "libglvnd", "libEGL1"),
        ("libunheard-of.so.7", "libunheard-of.so.7", "libunheard-of.so.7", "libunheard-of.so.7",
         "libunheard-of.so.7"),
    ],
)  # fmt: skip
def test_each_missing_library_maps_to_its_package(soname, apt, dnf, pacman, zypper):
    assert [package_for(soname, m) for m in PackageManager] == [apt, dnf, pacman, zypper]


def test_the_message_names_the_libraries_and_one_install_command():
    problem = PluginProblem(
        "xcb", Path("/x/libqxcb.so"), ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    )
    text = describe(problem, DEBIAN)
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in text
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in text
    assert "dnf" not in text and "pacman" not in text
    fedora = describe(problem, FEDORA)
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms" in fedora
    unknown = describe(problem, "")
    assert all(tool in unknown for tool in ("apt-get", "dnf", "pacman -S", "zypper"))


@pytest.mark.parametrize(
    ("env", "platforms"),
    [
        ({}, ["xcb"]),
        ({"QT_QPA_PLATFORM": "offscreen"}, ["offscreen"]),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, ["xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"}, ["xcb"]),
    ],
)
def test_the_platforms_qt_will_try(env, platforms):
    assert requested_platforms(env) == platforms


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check runs on Linux")
def test_the_offscreen_plugin_the_tests_use_loads_here():
    assert plugin_problem({"QT_QPA_PLATFORM": "offscreen"}) is None


def test_nothing_to_check_outside_linux(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert plugin_problem({"QT_QPA_PLATFORM": "xcb"}) is None


@pytest.fixture
def broken_plugin_dir(tmp_path) -> Path:
    """A real `libqxcb.so` that needs a library which no longer exists (built, then deleted)."""
    build = tmp_path / "build"
    build.mkdir()
    (build / "gone.c").write_text("int mp_tutor_gone(void) { return 1; }\n")
    (build / "plugin.c").write_text(
        "extern int mp_tutor_gone(void);\nint plugin_entry(void) { return mp_tutor_gone(); }\n"
    )
    gone = build / "libmptutor-gone.so.1"
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-Wl,-soname,libmptutor-gone.so.1", "-o", str(gone),
         str(build / "gone.c")],
        check=True,
    )  # fmt: skip
    platforms = tmp_path / "platforms"
    platforms.mkdir()
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-o", str(platforms / "libqxcb.so"), str(build / "plugin.c"),
         f"-L{build}", "-l:libmptutor-gone.so.1"],
        check=True,
    )  # fmt: skip
    gone.unlink()
    return platforms


@linux_with_gcc
def test_a_plugin_with_a_missing_library_is_found(broken_plugin_dir):
    env = {"QT_QPA_PLATFORM": "xcb", "QT_QPA_PLATFORM_PLUGIN_PATH": str(broken_plugin_dir)}
    problem = plugin_problem(env)
    assert problem is not None
    assert problem.platform == "xcb"
    assert problem.plugin == broken_plugin_dir / "libqxcb.so"
    assert problem.missing == ("libmptutor-gone.so.1",)


@linux_with_gcc
def test_the_app_prints_one_message_and_exits_1_instead_of_aborting(broken_plugin_dir):
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="xcb", QT_QPA_PLATFORM_PLUGIN_PATH=str(broken_plugin_dir), DISPLAY=":0"
    )
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "--smoke-test", "--no-run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "missing: libmptutor-gone.so.1" in done.stderr
    assert "install" in done.stderr.lower()
    assert "qt.qpa" not in done.stderr  # Qt itself never got to try (and abort)
    assert "Traceback" not in done.stderr
