"""Render resources/icons/mp-tutor.svg to the PNG sizes beside it (mp-tutor-<size>.png).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py [--check]

Uses Qt's own SVG renderer (PySide6.QtSvg, part of PySide6-Essentials). --check renders to
memory and exits 1 when a committed PNG is missing or differs in size from the SVG's rendering.
Run it again after editing the SVG and commit the PNGs: they are data, not build products, so a
wheel or bundle never needs Qt at build time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "mp-tutor.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICONS / f"mp-tutor-{size}.png"


def render(size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"render_icons.py: {SVG} is not a valid SVG for Qt")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the PNGs exist")
    options = parser.parse_args(argv)
    from PySide6.QtGui import QGuiApplication, QImage

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    problems = []
    for size in SIZES:
        image = render(size)
        if options.check:
            existing = QImage(str(png_path(size)))
            if existing.isNull() or existing.size() != image.size():
                problems.append(f"{png_path(size).name} is missing or not {size}x{size}")
        elif not image.save(str(png_path(size)), "PNG"):
            problems.append(f"could not write {png_path(size)}")
        else:
            print(f"wrote {png_path(size).relative_to(ICONS.parent.parent)}")
    for problem in problems:
        print(f"render_icons.py: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
