"""Can Qt's platform plugin load here? Asked before the QApplication exists (no Qt imported).

On Linux, Qt's xcb plugin needs system libraries that a desktop usually has and a fresh or
minimal install may not (libxcb-icccm4, libxcb-keysyms1, libxcb-cursor0, …). Without them Qt
prints a message that names a different library and aborts. This module finds the plugin file
Qt would load, lists the shared libraries it cannot resolve (`ldd`, or the dynamic loader's
own error as a fallback) and turns them into one message with the install command of the
distribution family (apt, dnf, pacman, zypper). On Windows and macOS the wheels carry every
library Qt needs, so there is nothing to check.

Sources: Qt's platform plugin selection (`QT_QPA_PLATFORM`, `QT_QPA_PLATFORM_PLUGIN_PATH`,
`QT_PLUGIN_PATH`) and its X11 requirements list ("Qt for X11 Requirements", Qt 6 docs).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

LDD_TIMEOUT_S = 10.0


class PackageManager(StrEnum):
    """The package managers of the four Linux families we name commands for."""

    APT = "apt"
    DNF = "dnf"
    PACMAN = "pacman"
    ZYPPER = "zypper"

    def install_command(self, packages: Sequence[str]) -> str:
        verb = {
            PackageManager.APT: "sudo apt-get install",
            PackageManager.DNF: "sudo dnf install",
            PackageManager.PACMAN: "sudo pacman -S",
            PackageManager.ZYPPER: "sudo zypper install",
        }[self]
        return f"{verb} {' '.join(packages)}"


# soname → package per family (apt, dnf, pacman, zypper), from each distribution's file lists.
_PACKAGES: dict[str, tuple[str, str, str, str]] = {
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm", "libxcb-icccm4"),
    "libxcb-keysyms.so.1": (
        "libxcb-keysyms1",
        "xcb-util-keysyms",
        "xcb-util-keysyms",
        "libxcb-keysyms1",
    ),
    "libxcb-cursor.so.0": (
        "libxcb-cursor0",
        "xcb-util-cursor",
        "xcb-util-cursor",
        "libxcb-cursor0",
    ),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image", "libxcb-image0"),
    "libxcb-render-util.so.0": (
        "libxcb-render-util0",
        "xcb-util-renderutil",
        "xcb-util-renderutil",
        "libxcb-render-util0",
    ),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util", "libxcb-util1"),
    "libxkbcommon-x11.so.0": (
        "libxkbcommon-x11-0",
        "libxkbcommon-x11",
        "libxkbcommon-x11",
        "libxkbcommon-x11-0",
    ),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon", "libxkbcommon0"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11", "libX11-xcb1"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11", "libX11-6"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd", "libEGL1"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd", "libGL1"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd", "libOpenGL0"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig", "libfontconfig1"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2", "libfreetype6"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus", "libdbus-1-3"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2", "libglib-2_0-0"),
    "libSM.so.6": ("libsm6", "libSM", "libsm", "libSM6"),
    "libICE.so.6": ("libice6", "libICE", "libice", "libICE6"),
    "libwayland-client.so.0": (
        "libwayland-client0",
        "libwayland-client",
        "wayland",
        "libwayland-client0",
    ),
    "libwayland-cursor.so.0": (
        "libwayland-cursor0",
        "libwayland-cursor",
        "wayland",
        "libwayland-cursor0",
    ),
}
_XCB_SONAME = re.compile(r"^libxcb-([a-z0-9-]+)\.so\.(\d+)$")
_FAMILY_IDS = {
    PackageManager.APT: {"debian", "ubuntu", "linuxmint", "pop", "raspbian", "elementary"},
    PackageManager.DNF: {"fedora", "rhel", "centos", "rocky", "almalinux", "ol", "amzn"},
    PackageManager.PACMAN: {"arch", "manjaro", "endeavouros", "garuda"},
    PackageManager.ZYPPER: {"opensuse", "suse", "sles", "opensuse-leap", "opensuse-tumbleweed"},
}


@dataclass(frozen=True)
class PluginProblem:
    """A platform plugin that cannot load: which one, and the libraries it lacks (sonames)."""

    platform: str
    plugin: Path
    missing: tuple[str, ...]


def package_for(soname: str, manager: PackageManager) -> str:
    """The package that provides `soname` under `manager`; the soname itself when unknown."""
    column = list(PackageManager).index(manager)
    if soname in _PACKAGES:
        return _PACKAGES[soname][column]
    match = _XCB_SONAME.match(soname)
    if match:  # libxcb-randr.so.0 → libxcb-randr0 (apt, zypper); one libxcb package elsewhere
        name, version = match.groups()
        per_lib = f"libxcb-{name}{version}"
        return (per_lib, "libxcb", "libxcb", per_lib)[column]
    return soname


def package_managers(os_release: str) -> list[PackageManager]:
    """The family of the distribution described by /etc/os-release text; all four if unknown."""
    fields = {}
    for line in os_release.splitlines():
        key, _, value = line.partition("=")
        fields[key.strip()] = value.strip().strip('"').lower()
    ids = {fields.get("ID", "")} | set(fields.get("ID_LIKE", "").split())
    found = [manager for manager, known in _FAMILY_IDS.items() if ids & known]
    return found[:1] or list(PackageManager)


def requested_platforms(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order: `QT_QPA_PLATFORM` ("wayland;xcb",
    "xcb:option") or, unset, wayland in a Wayland session and xcb otherwise."""
    wanted = env.get("QT_QPA_PLATFORM", "").strip()
    if wanted:
        return [name.split(":", 1)[0].strip() for name in wanted.split(";") if name.strip()]
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE", "").lower() == "wayland":
        return ["wayland", "xcb"]
    return ["xcb"]


def plugin_dirs(env: Mapping[str, str]) -> list[Path]:
    """Folders Qt searches for platform plugins: its environment variables, then PySide6's."""
    dirs = [Path(p) for p in env.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep) if p]
    dirs += [Path(p) / "platforms" for p in env.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    spec = importlib.util.find_spec("PySide6")  # finds the package without importing Qt
    for location in (spec.submodule_search_locations or []) if spec else []:
        dirs.append(Path(location) / "Qt" / "plugins" / "platforms")
    return dirs


def missing_libraries(library: Path) -> tuple[str, ...]:
    """Sonames that `library` (or a library it needs) cannot find on this system.

    First the dynamic loader loads it here: when that works (the usual case) nothing is
    missing, and it cost nearly nothing, since Qt maps the same libraries a moment later. When
    it fails, `ldd` lists every missing library (the loader names only the first). Empty when
    everything resolves. Linux only.
    """
    try:
        ctypes.CDLL(str(library), mode=os.RTLD_LAZY | os.RTLD_LOCAL)
        return ()
    except OSError as exc:
        first = _soname_in_loader_error(str(exc))
    try:
        done = subprocess.run(
            ["ldd", str(library)], capture_output=True, text=True, timeout=LDD_TIMEOUT_S
        )
    except (OSError, subprocess.SubprocessError):
        done = None  # no ldd (a minimal system): the loader's one name is all we have
    missing = re.findall(r"^\s*(\S+) => not found", done.stdout if done else "", re.MULTILINE)
    return tuple(dict.fromkeys([*missing, *([first] if first else [])]))


def _soname_in_loader_error(message: str) -> str | None:
    """ "libxcb-icccm.so.4: cannot open shared object file: …" → "libxcb-icccm.so.4"."""
    match = re.match(r"(\S+?): cannot open shared object file", message.strip())
    return match.group(1) if match else None


def plugin_problem(env: Mapping[str, str] | None = None) -> PluginProblem | None:
    """The problem with the platform plugin Qt would load, or None when one can load (or when
    there is nothing to check: not Linux, or the plugin file is not where we look)."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return None
    problem = None
    for platform in requested_platforms(env):
        candidates = (d / f"libq{platform}.so" for d in plugin_dirs(env))
        plugin = next((path for path in candidates if path.is_file()), None)
        if plugin is None:
            return None  # not ours to judge: Qt may know places we do not
        missing = missing_libraries(plugin)
        if not missing:
            return None  # Qt takes the first plugin that loads
        problem = PluginProblem(platform, plugin, missing)  # the last one tried is the fallback
    return problem


def describe(problem: PluginProblem, os_release: str) -> str:
    """One message for the learner: what is missing and the command that installs it."""
    managers = package_managers(os_release)
    lines = [
        f"mp-tutor: Qt cannot load its {problem.platform!r} display plugin because these system "
        f"libraries are missing: {', '.join(problem.missing)}.",
        "Install them with:" if len(managers) == 1 else "Install them with one of:",
    ]
    for manager in managers:
        packages = list(dict.fromkeys(package_for(s, manager) for s in problem.missing))
        lines.append(f"  {manager.install_command(packages)}")
    lines.append("Then start mp-tutor again.")
    lines.append("(With no display at all, QT_QPA_PLATFORM=offscreen runs it headless.)")
    return "\n".join(lines)


def read_os_release() -> str:
    """/etc/os-release (or /usr/lib/os-release), empty when neither exists."""
    for path in ("/etc/os-release", "/usr/lib/os-release"):
        try:
            return Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return ""


def platform_plugin_message(env: Mapping[str, str] | None = None) -> str | None:
    """The message to print before exiting 1 when Qt's platform plugin cannot load, else None."""
    problem = plugin_problem(env)
    return None if problem is None else describe(problem, read_os_release())
