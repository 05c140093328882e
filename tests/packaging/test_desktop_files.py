"""Desktop integration: the .desktop entry, the AppStream metainfo, the icons, the installer."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest
from packaging_support import built_bundle

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / "mp-tutor.desktop"
METAINFO = PACKAGING / "io.github.mp_tutor.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: desktop-file-utils / appstream)")
    return path


def _desktop_entry(path: Path = DESKTOP) -> dict[str, str]:
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_desktop_file_is_valid() -> None:
    completed = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "error" not in completed.stdout.lower(), completed.stdout


def test_metainfo_is_valid() -> None:
    completed = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_desktop_entry_metainfo_and_app_agree() -> None:
    entry = _desktop_entry()
    assert entry["Exec"] == "mp-tutor"
    assert entry["Icon"] == "mp-tutor"
    # tutor/app.py sets QApplication.setDesktopFileName("mp-tutor") and the app name mp-tutor.
    assert DESKTOP.stem == "mp-tutor" and entry["StartupWMClass"] == "mp-tutor"
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("provides/binary") == "mp-tutor"
    assert METAINFO.name == f"{component.findtext('id')}.metainfo.xml"
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert version in [release.get("version") for release in component.iter("release")]


def test_icons_svg_and_png_sizes() -> None:
    svg = ET.parse(ICONS / "mp-tutor.svg").getroot()
    assert svg.tag.endswith("svg") and svg.get("viewBox") == "0 0 256 256"
    for size in PNG_SIZES:
        data = (ICONS / f"mp-tutor-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (size, size)


@pytest.mark.timeout(900)  # may build the bundle first
def test_install_script_puts_a_valid_entry_and_icons_under_a_prefix(tmp_path: Path) -> None:
    built_bundle()
    prefix = tmp_path / "prefix with space"
    script = PACKAGING / "install-desktop.sh"
    completed = subprocess.run(
        ["bash", str(script), str(prefix)], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    installed = prefix / "share" / "applications" / "mp-tutor.desktop"
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True)
        assert check.returncode == 0, check.stdout
    assert _desktop_entry(installed)["Exec"] == f'"{prefix / "bin" / "mp-tutor"}"'
    share = prefix / "share"
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "mp-tutor.svg").is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / "mp-tutor.png").is_file()
    assert (share / "metainfo" / METAINFO.name).is_file()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    opened = subprocess.run(
        [str(prefix / "bin" / "mp-tutor"), "--smoke-test", "--no-run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert opened.returncode == 0, opened.stderr

    removed = subprocess.run(
        ["bash", str(script), "--uninstall", str(prefix)], capture_output=True, text=True
    )
    assert removed.returncode == 0, removed.stderr
    assert not installed.exists() and not (prefix / "lib" / "mp-tutor").exists()
