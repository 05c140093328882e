"""Export: results to CSV and JSON, charts to PNG and SVG, and Save report, in the real window."""

from __future__ import annotations

import csv
import json
import os
import stat
import sys
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
from window_helpers import activate_window, open_dialog, small_process_run, type_path_and_accept

from tutor.engine.export import CSV_COLUMNS
from tutor.ui.export import chart_export
from tutor.ui.export.chart_export import chart_svg

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def ran(request, qtbot, module_window):
    """The window after a baseline and a 2-process run of primes below 10,000.

    The exports only read the window, so the module's shared window runs once, for the first
    test that asks, and is put back as it was after each test (tests/ui/shared_window.py).
    """
    if module_window.results_table.row_count() == 0:
        activate_window(qtbot, module_window)
        small_process_run(qtbot, module_window)
    window = request.getfixturevalue("shared_window")
    assert window.results_table.row_count() == 2
    return window


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder that exists but cannot be written to, even by root where possible."""
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o500)
        return folder
    if sys.platform.startswith("linux"):
        probe = Path("/sys") / f"mp-tutor-probe-{uuid.uuid4().hex}"
        try:
            probe.mkdir()
        except OSError:
            return Path("/sys")  # sysfs: no new entries, not even for root
        probe.rmdir()
    pytest.skip("no folder here is closed to this (root) user")


def assert_valid_png(path: Path) -> QImage:
    image = QImage(str(path))
    assert not image.isNull(), path
    assert image.width() >= 300 and image.height() >= 200
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), 5)
        for y in range(0, image.height(), image.height() // 8)
    }
    assert len(colours) > 2, "the picture is blank"
    return image


def share_of_differing_pixels(exported: QImage, screen: QImage) -> float:
    """Share of sampled pixels whose colour differs clearly between an exported picture
    (brought to the screen's size) and the chart as the screen shows it."""
    exported = exported.scaled(screen.size(), mode=Qt.TransformationMode.SmoothTransformation)
    sampled = differing = 0
    for x in range(0, screen.width(), 3):
        for y in range(0, screen.height(), 3):
            a, b = exported.pixelColor(x, y), screen.pixelColor(x, y)
            sampled += 1
            gap = max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue()))
            differing += gap > 96
    return differing / sampled


def assert_valid_svg(path: Path, title_part: str) -> ElementTree.Element:
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    elements = list(root.iter())
    assert len(elements) > 20
    assert any(e.tag in (f"{SVG}path", f"{SVG}polyline", f"{SVG}rect") for e in elements)
    assert any(e.tag == f"{SVG}text" for e in elements)  # axis labels stay text
    assert title_part in root.find(f"{SVG}title").text
    return root


def test_results_export_as_csv_through_the_file_menu(qtbot, ran, tmp_path):
    window = ran
    window.menus.actions["exportCsvAction"].trigger()
    dialog = open_dialog(qtbot, window, "csvExportDialog")
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    target = tmp_path / "my results"  # the dialog adds the .csv suffix
    with qtbot.waitSignal(window.menus.export.file_exported, timeout=30_000):
        type_path_and_accept(qtbot, dialog, target)
    path = tmp_path / "my results.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == CSV_COLUMNS
        rows = list(reader)
    assert [row["mode"] for row in rows] == ["sequential", "processes"]
    run = rows[1]
    assert run["workers"] == "2" and run["start_method"] == "spawn"
    assert run["result"] == "1229" and run["matches_sequential"] == "true"
    table = window.results_table.results_model()
    assert float(run["wall_s"]) == pytest.approx(table.result_at(1).wall_s)
    assert float(run["speedup"]) == pytest.approx(table.result_at(1).speedup)
    assert rows[0]["speedup"] == "1.0" or float(rows[0]["speedup"]) == pytest.approx(1.0)
    assert "Saved" in window.statusBar().currentMessage()


def test_results_export_as_json_with_chunks_and_machine_facts(qtbot, ran, tmp_path):
    window = ran
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.ShiftModifier)
    dialog = open_dialog(qtbot, window, "jsonExportDialog")
    with qtbot.waitSignal(window.menus.export.file_exported, timeout=30_000):
        type_path_and_accept(qtbot, dialog, tmp_path / "runs.json")
    data = json.loads((tmp_path / "runs.json").read_text(encoding="utf-8"))
    assert data["machine"]["logical_cpus"] == os.cpu_count()
    assert data["machine"]["start_method"] == "spawn"
    assert data["machine"]["python_version"] == ".".join(map(str, sys.version_info[:3]))
    runs = data["runs"]
    assert [run["mode"] for run in runs] == ["sequential", "processes"]
    result = window.results_table.results_model().result_at(1)
    expected = result.to_json()
    chunks = expected.pop("chunks")  # format 2: the chunks come as columns
    columns = runs[1].pop("chunk_columns")
    assert runs[1] == json.loads(json.dumps(expected))
    assert len(columns["index"]) == len(chunks) == runs[1]["chunk_count"] > 0
    assert columns["index"] == [chunk["index"] for chunk in chunks]
    assert set(columns["worker"]) <= set(result.worker_ids)


@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("chart", ["timingChart", "timelineChart"])
def test_charts_export_as_png_and_svg(qtbot, ran, tmp_path, chart, fmt):
    window = ran
    plot = window.findChild(object, chart)
    window.menus.chart_menu.aboutToShow.emit()  # the menu lists the charts when it opens
    stem = "timing-chart" if chart == "timingChart" else "timeline-chart"
    action = next(
        a
        for a in window.menus.chart_menu.actions()
        if a.objectName().endswith(fmt) and stem in a.objectName()
    )
    action.trigger()
    dialog = open_dialog(qtbot, window, "chartExportDialog")
    assert dialog.defaultSuffix() == fmt
    path = tmp_path / f"chart.{fmt}"
    with qtbot.waitSignal(window.menus.export.file_exported, timeout=30_000):
        type_path_and_accept(qtbot, dialog, path)
    if fmt == "png":
        image = assert_valid_png(path)
        shown = plot.viewport()  # the chart's drawing area on screen
        assert (image.width(), image.height()) == (2 * shown.width(), 2 * shown.height())
        # The picture is the chart as seen: same fonts, legend and margins, nothing cut off.
        assert share_of_differing_pixels(image, shown.grab().toImage()) < 0.04
    else:
        root = assert_valid_svg(path, plot.accessibleName())
        assert root.find(f"{SVG}desc").text == plot.summary_text()


def test_svg_export_works_around_closed_paths_and_falls_back_to_a_picture(qtbot, ran, monkeypatch):
    plot = ran.timing_chart
    # pyqtgraph's exporter itself (with the "Z" work-around) gives vector paths...
    vector = ElementTree.fromstring(chart_svg(plot))
    assert vector.iter(f"{SVG}path") and not list(vector.iter(f"{SVG}image"))
    assert any(" Z" in (p.get("d") or "") for p in vector.iter(f"{SVG}path"))

    # ...and if it still failed, the SVG would hold the PNG rendering instead.
    def broken(*_args, **_kwargs):
        raise ValueError("not enough values to unpack (expected 2, got 1)")

    monkeypatch.setattr(chart_export.pg_exporters.SVGExporter, "export", broken)
    picture = ElementTree.fromstring(chart_svg(plot))
    images = list(picture.iter(f"{SVG}image"))
    assert len(images) == 1
    assert images[0].get("{http://www.w3.org/1999/xlink}href").startswith("data:image/png;base64,")
    assert picture.find(f"{SVG}desc").text == plot.summary_text()


def test_save_report_writes_every_file_with_the_machine_facts(qtbot, ran, tmp_path):
    window = ran
    button = window.findChild(QPushButton, "saveReportButton")
    assert button.isVisible() and button.accessibleName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, window, "reportFolderDialog")
    assert dialog.fileMode() == QFileDialog.FileMode.Directory
    folder = tmp_path / "reports"
    folder.mkdir()
    with qtbot.waitSignal(window.menus.export.report_saved, timeout=30_000) as saved:
        type_path_and_accept(qtbot, dialog, folder)
    report = saved.args[0]
    assert report.parent == folder and report.name.startswith("mp-tutor-report-")
    names = {p.name for p in report.iterdir()}
    assert {
        "results.csv",
        "results.json",
        "machine.json",
        "README.md",
        "timing-chart.png",
        "timing-chart.svg",
        "timeline-chart.png",
        "timeline-chart.svg",
    } <= names
    assert [p.name for p in folder.iterdir()] == [report.name]  # no staging folder left

    machine = json.loads((report / "machine.json").read_text(encoding="utf-8"))
    assert machine["logical_cpus"] == os.cpu_count()
    assert machine["python_version"].startswith(f"{sys.version_info[0]}.{sys.version_info[1]}")
    assert machine["start_method"] == "spawn"
    assert machine["gil"].startswith(("enabled", "disabled"))
    assert machine["os"] and "spawn" in machine["available_start_methods"]
    assert "physical_cores" in machine
    with (report / "results.csv").open(newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 2
    summary = json.loads((report / "results.json").read_text())
    assert len(summary["runs"]) == 2 and summary["chunks_file"] == "chunks.json"
    chunks = json.loads((report / "chunks.json").read_text())["runs"]
    assert [len(run["index"]) for run in chunks] == [r["chunk_count"] for r in summary["runs"]]
    readme = (report / "README.md").read_text(encoding="utf-8")
    assert f"{os.cpu_count()} logical" in readme and "timing-chart.svg" in readme
    assert "Best processes" in readme
    assert window.timing_chart.summary_text() in readme  # the charts in words
    for stem in ("timing-chart", "timeline-chart"):
        assert_valid_png(report / f"{stem}.png")
        assert_valid_svg(report / f"{stem}.svg", "")

    box = window.findChild(QMessageBox, "reportSaved")
    assert box is not None and box.isVisible() and str(report) in box.text()
    assert str(report) in window.statusBar().currentMessage()


def test_two_reports_do_not_overwrite_each_other(qtbot, window, tmp_path):
    export = window.menus.export
    first = export.save_report_to(tmp_path)
    second = export.save_report_to(tmp_path)
    assert first and second and first != second
    assert (first / "machine.json").is_file() and (second / "machine.json").is_file()
    assert "No finished runs yet" in (first / "README.md").read_text(encoding="utf-8")


def test_an_unwritable_folder_gives_a_clear_message_and_loses_nothing(qtbot, ran, tmp_path):
    window = ran
    folder = unwritable_folder(tmp_path)
    before = sorted(p.name for p in folder.iterdir())
    window.menus.actions["saveReportAction"].trigger()
    dialog = open_dialog(qtbot, window, "reportFolderDialog")
    with qtbot.waitSignal(window.menus.export.export_failed, timeout=30_000) as failed:
        type_path_and_accept(qtbot, dialog, folder)
    assert str(folder) in failed.args[0]
    box = window.findChild(QMessageBox, "exportError")
    assert box is not None and box.isVisible()
    assert str(folder) in box.text() and "try again" in box.informativeText()
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing half-written
    assert window.menus.export.export_csv(folder / "results.csv") is False
    assert not (folder / "results.csv").exists()
    # The results are still there: the same export into a good folder works.
    assert window.results_table.row_count() == 2
    box.close()
    good = tmp_path / "good"
    good.mkdir()
    assert window.menus.export.export_csv(good / "results.csv")
    assert (good / "results.csv").read_text().count("\n") == 3


def test_a_file_in_the_way_is_reported_not_raised(qtbot, window, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("precious")
    export = window.menus.export
    assert export.save_report_to(blocker) is None
    assert "does not exist" in window.findChild(QMessageBox, "exportError").text()
    assert export.export_json(blocker / "runs.json") is False
    assert export.export_chart(window.timing_chart, blocker / "chart.svg") is False
    assert blocker.read_text() == "precious"


def test_overwriting_an_export_replaces_it_whole(qtbot, ran, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("old content that must not survive\n" * 1000)
    assert ran.menus.export.export_csv(path)
    text = path.read_text(encoding="utf-8")
    assert "old content" not in text and text.startswith("run,workload,")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_or_a_nul_in_the_name_is_refused_and_left_alone(qtbot, ran, tmp_path):
    # The atomic save renamed its temporary file over a pipe (or, as root, a device such as
    # /dev/full), replacing it with a plain file, and called it a success; a NUL cut the name
    # short and wrote another file.
    folder = tmp_path / "exports"
    folder.mkdir()
    pipe = folder / "pipe.csv"
    os.mkfifo(pipe)
    export = ran.menus.export
    assert export.export_csv(pipe) is False
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)  # still the pipe
    assert "not a regular file" in ran.findChild(QMessageBox, "exportError").text()
    assert export.export_json(folder / "a\0b.json") is False
    assert sorted(p.name for p in folder.iterdir()) == ["pipe.csv"]
