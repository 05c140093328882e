"""Charts to PNG and SVG with pyqtgraph's exporters, and atomic file writes.

SVG. pyqtgraph 0.14.0's SVGExporter rewrites the coordinates of every `<path>` Qt's SVG generator
emits, reading each space-separated token as "x,y". Qt 6 closes sub-paths with a separate "Z"
token (e.g. the ViewBox outline "M0,0 L545,0 L545,334 L0,334 L0,0 Z"), so every plot fails with
`ValueError: not enough values to unpack` in `correctCoordinates` (pyqtgraph issue #3495, fixed
upstream after 0.14.0). `chart_svg` therefore runs the exporter with the close commands taken out
of each path before that rewrite and put back after it, which leaves the exporter's own fixes
(clipping, per-item transforms) intact. Should the exporter still fail, the SVG holds the chart's
PNG rendering instead: not vector, but a valid SVG that looks right.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters as pg_exporters
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSaveFile
from PySide6.QtGui import QImage, QPainter, QPalette

PNG_SCALE = 2  # PNGs at twice the on-screen size: sharp in documents and on HiDPI screens
_CLOSE = re.compile(r"^(?P<coords>.*?)(?P<close>[Zz]+)$")


class SaveError(Exception):
    """A file could not be written; the message names the file and the reason."""


# --- atomic writes ---------------------------------------------------------------------------


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write all of `data` or nothing: an existing file is replaced only once the new one is
    complete (QSaveFile writes a temporary file and renames it on commit)."""
    path = Path(path)
    if "\x00" in str(path):  # Qt would cut the name there and write another file
        raise SaveError(f"Cannot write {path!r}: a file name cannot hold a NUL character")
    if path.exists() and not path.is_file():  # a symbolic link to a file is written through
        # QSaveFile renames its temporary file over the name: a device or a pipe there was
        # replaced by a plain file (as root, /dev/full too), and the export "succeeded".
        raise SaveError(
            f"Cannot write {path}: it is not a regular file (a folder, a device or a pipe)"
        )
    save = QSaveFile(str(path))
    if not save.open(QIODevice.OpenModeFlag.WriteOnly):
        raise SaveError(f"Cannot write {path}: {save.errorString()}")
    written = save.write(QByteArray(data))
    if written != len(data):
        reason = save.errorString()
        save.cancelWriting()
        save.commit()  # discards the temporary file
        raise SaveError(f"Cannot write {path}: {reason}")
    if not save.commit():
        raise SaveError(f"Cannot write {path}: {save.errorString()}")


def write_text_atomic(path: str | Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))


# --- PNG -------------------------------------------------------------------------------------


def chart_image(plot: pg.PlotWidget, scale: int = PNG_SCALE) -> QImage:
    """The chart exactly as drawn on screen (its layout, colours and fonts), at `scale` × its
    size in pixels: (width × scale, height × scale).

    The plot's scene is drawn scaled by `scale` into the image, as a HiDPI screen would draw
    it. (pyqtgraph's ImageExporter was used before: asked for a larger width it re-lays the
    plot out, scaling axis fonts but not the legend's, so the PNG had huge tick labels, a tiny
    legend and a plot running off its right edge.) Raises SaveError if nothing could be drawn.
    """
    size = plot.viewport().size()
    image = QImage(size * scale, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull() or size.isEmpty():
        raise SaveError(f"Could not draw the chart {plot.objectName() or 'chart'}.")
    # Text sized in points is laid out for the image's DPI: give it the screen's, or the axis
    # labels (drawn at paint time) and the legend (laid out beforehand) grow apart.
    image.setDotsPerMeterX(round(plot.logicalDpiX() / 0.0254))
    image.setDotsPerMeterY(round(plot.logicalDpiY() / 0.0254))
    image.fill(plot.palette().color(QPalette.ColorRole.Base))
    source = plot.mapToScene(plot.viewport().rect()).boundingRect()
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    plot.scene().render(painter, QRectF(image.rect()), source)
    painter.end()
    return image


def _png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SaveError("Could not encode the chart as PNG.")
    return bytes(buffer.data())


def chart_png(plot: pg.PlotWidget, scale: int = PNG_SCALE) -> bytes:
    return _png_bytes(chart_image(plot, scale))


def save_chart_png(plot: pg.PlotWidget, path: str | Path) -> None:
    write_atomic(path, chart_png(plot))


# --- SVG -------------------------------------------------------------------------------------


def _svg_exporter_module():
    # `pyqtgraph.exporters.SVGExporter` names the class; the module is only in sys.modules.
    return importlib.import_module("pyqtgraph.exporters.SVGExporter")


def _tolerate_close_commands(correct: Callable) -> Callable:
    """Wrap pyqtgraph's `correctCoordinates` so that paths ending sub-paths in "Z" pass."""

    def correct_coordinates(node, defs, item, options) -> None:
        closed: list[tuple[object, set[int]]] = []
        for path in node.getElementsByTagName("path"):
            tokens = path.getAttribute("d").split()
            if not any(_CLOSE.match(token) for token in tokens):
                continue
            coords: list[str] = []
            close_after: set[int] = set()
            for token in tokens:
                match = _CLOSE.match(token)
                if match:
                    if match["coords"]:
                        coords.append(match["coords"])
                    if coords:
                        close_after.add(len(coords) - 1)
                else:
                    coords.append(token)
            path.setAttribute("d", " ".join(coords))
            closed.append((path, close_after))
        correct(node, defs, item, options)
        for path, close_after in closed:
            tokens = path.getAttribute("d").split()
            out: list[str] = []
            for index, token in enumerate(tokens):
                out.append(token)
                if index in close_after:
                    out.append("Z")
            path.setAttribute("d", " ".join(out))

    return correct_coordinates


@contextlib.contextmanager
def _closed_paths_tolerated() -> Iterator[None]:
    module = _svg_exporter_module()
    original = module.correctCoordinates
    module.correctCoordinates = _tolerate_close_commands(original)
    try:
        yield
    finally:
        module.correctCoordinates = original


def _describe(svg: str, title: str, description: str) -> str:
    """Put the chart's name and its summary in the SVG's <title> and <desc>."""
    svg = re.sub(r"<title>.*?</title>", f"<title>{escape(title)}</title>", svg, count=1)
    return re.sub(r"<desc>.*?</desc>", f"<desc>{escape(description)}</desc>", svg, count=1)


def _is_valid_svg(data: bytes) -> bool:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return False
    return root.tag.endswith("svg") and len(root) > 0


def _svg_with_image(plot: pg.PlotWidget) -> bytes:
    """Fallback: the PNG rendering wrapped in an SVG document (correct, though not vector).

    (Qt's QSvgGenerator painting the scene was tried too: it writes each curve in data
    coordinates under a large scaling transform, rounded to a few digits, so points drift.)
    """
    image = chart_image(plot, PNG_SCALE)
    width, height = image.width() / PNG_SCALE, image.height() / PNG_SCALE
    encoded = base64.b64encode(_png_bytes(image)).decode("ascii")
    svg = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'version="1.1" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}">\n'
        f"<title>{escape(plot.accessibleName())}</title>\n"
        f"<desc>{escape(plot.accessibleDescription())}</desc>\n"
        f'<image x="0" y="0" width="{width:g}" height="{height:g}" '
        f'xlink:href="data:image/png;base64,{encoded}"/>\n'
        "</svg>\n"
    )
    return svg.encode("utf-8")


def chart_svg(plot: pg.PlotWidget) -> bytes:
    """The chart as an SVG document (pyqtgraph's exporter; Qt's generator if that fails)."""
    data = b""
    try:
        with _closed_paths_tolerated():
            exported = pg_exporters.SVGExporter(plot.getPlotItem()).export(toBytes=True)
        text = _describe(
            exported.decode("utf-8"), plot.accessibleName(), plot.accessibleDescription()
        )
        data = text.encode("utf-8")
    except Exception:  # a pyqtgraph exporter bug must not cost the learner the export
        data = b""
    if not _is_valid_svg(data):
        data = _svg_with_image(plot)
    if not _is_valid_svg(data):
        raise SaveError(f"Could not draw the chart {plot.objectName() or 'chart'} as SVG.")
    return data


def save_chart_svg(plot: pg.PlotWidget, path: str | Path) -> None:
    write_atomic(path, chart_svg(plot))
