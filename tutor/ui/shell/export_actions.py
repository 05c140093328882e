"""File → Save report / Export: the dialogs, the writes, and what the learner is told.

Dialogs are Qt's own (non-native) file dialogs opened with open(): no nested event loop, and
tests can drive them. Every write is atomic (QSaveFile; a report is renamed into place only when
complete), so a failed export never leaves a broken file or replaces a good one, and the results
stay in the window to try again. A failure is shown in a message box that names the file and
the reason.

The writers (engine.export, chart_export, report: ~8 ms of imports with pyqtgraph's exporters)
are imported in the methods that use them, so the window opens without them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QObject, QSettings, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tutor.engine.records import RunResult

if TYPE_CHECKING:
    from tutor.ui.export.report import ChartFile
    from tutor.ui.shell.window_parts import ExportSource

FOLDER_KEY = "export/folder"
CHART_FORMATS = {"png": "PNG image (*.png)", "svg": "SVG vector graphics (*.svg)"}


class ExportActions(QObject):
    """Exports the window's results and charts; owns the dialogs it opens."""

    report_saved = Signal(object)  # Path of the new report folder
    file_exported = Signal(object)  # Path of an exported file
    export_failed = Signal(str)  # the message shown

    def __init__(self, window: ExportSource, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self.dialog: QFileDialog | None = None
        self.message_box: QMessageBox | None = None
        self.last_report: Path | None = None

    # ----------------------------------------------------------------- what is exported
    def results(self) -> list[RunResult]:
        model = self._window.results_table.results_model()
        return [model.result_at(row) for row in range(model.rowCount())]

    def machine(self) -> dict:
        from tutor.engine.export import machine_facts

        settings = self._window.run_settings
        return machine_facts(settings.start_method, list(settings.start_methods))

    def charts(self) -> list[ChartFile]:
        """The timing chart and the timeline first, then any other chart built so far."""
        from tutor.ui.export.report import ChartFile, chart_stem

        plots: list[pg.PlotWidget] = [self._window.timing_chart, self._window.timeline_chart]
        for plot in self._window.findChildren(pg.PlotWidget):
            if plot.objectName() and plot not in plots:
                plots.append(plot)
        return [
            ChartFile(chart_stem(plot.objectName()), plot.accessibleName() or "Chart", plot)
            for plot in plots
        ]

    # ----------------------------------------------------------------- direct API
    def export_csv(self, path: str | Path) -> bool:
        from tutor.engine.export import results_csv
        from tutor.ui.export.chart_export import write_text_atomic

        return self._export(Path(path), lambda p: write_text_atomic(p, results_csv(self.results())))

    def export_json(self, path: str | Path) -> bool:
        from tutor.engine.export import results_json
        from tutor.ui.export.chart_export import write_text_atomic

        return self._export(
            Path(path),
            lambda p: write_text_atomic(p, results_json(self.results(), self.machine())),
        )

    def export_chart(self, plot: pg.PlotWidget, path: str | Path) -> bool:
        from tutor.ui.export.chart_export import save_chart_png, save_chart_svg

        path = Path(path)
        save = save_chart_svg if path.suffix.lower() == ".svg" else save_chart_png
        return self._export(path, lambda p: save(plot, p))

    def save_report_to(self, folder: str | Path) -> Path | None:
        """Write a new report folder inside `folder`; None (and a message) if it failed."""
        from tutor.ui.export.chart_export import SaveError
        from tutor.ui.export.report import save_report

        folder = Path(folder)
        self._window.build_all_tabs()  # every experiment's chart, even one never opened
        charts = self.charts()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # big timelines take a second
        try:
            report = save_report(folder, self.results(), charts, self.machine())
        except SaveError as error:
            report, failure = None, str(error)
        finally:
            QApplication.restoreOverrideCursor()
        if report is None:
            self._fail("The report was not saved", failure)
            return None
        self._settings.setValue(FOLDER_KEY, str(folder))
        self.last_report = report
        self._window.statusBar().showMessage(f"Report saved to {report}", 15000)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Report saved",
            f"The report is in {report}",
            QMessageBox.StandardButton.Close,
            self._window,
        )
        box.setObjectName("reportSaved")
        box.setInformativeText(
            "The results (results.csv, results.json), the machine facts (machine.json), an "
            f"overview (README.md) and {len(charts)} charts as PNG and SVG: "
            + ", ".join(chart.stem for chart in charts)
            + "."
        )
        open_button = box.addButton("&Open the folder", QMessageBox.ButtonRole.ActionRole)
        open_button.setObjectName("openReportFolderButton")
        open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(report)))
        )
        self._show(box)
        self.report_saved.emit(report)
        return report

    # ----------------------------------------------------------------- dialogs
    def ask_save_report(self) -> QFileDialog:
        dialog = self._file_dialog(
            "reportFolderDialog",
            "Save report: choose a folder (a new folder is made inside it)",
            QFileDialog.AcceptMode.AcceptOpen,
        )
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "&Save report here")
        dialog.fileSelected.connect(self.save_report_to)
        dialog.open()
        return dialog

    def ask_export_csv(self) -> QFileDialog:
        return self._ask_file(
            "csvExportDialog",
            "Export results as CSV",
            "CSV table (*.csv)",
            "csv",
            "mp-tutor-results.csv",
            self.export_csv,
        )

    def ask_export_json(self) -> QFileDialog:
        return self._ask_file(
            "jsonExportDialog",
            "Export results as JSON",
            "JSON (*.json)",
            "json",
            "mp-tutor-results.json",
            self.export_json,
        )

    def ask_export_chart(self, plot: pg.PlotWidget, fmt: str) -> QFileDialog:
        from tutor.ui.export.report import chart_stem

        return self._ask_file(
            "chartExportDialog",
            f"Export {plot.accessibleName() or 'chart'} as {fmt.upper()}",
            CHART_FORMATS[fmt],
            fmt,
            f"{chart_stem(plot.objectName())}.{fmt}",
            lambda path: self.export_chart(plot, path),
        )

    # ----------------------------------------------------------------- internals
    def _folder(self) -> str:
        saved = str(self._settings.value(FOLDER_KEY, "") or "")
        if saved and Path(saved).is_dir():
            return saved
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return documents if documents and Path(documents).is_dir() else str(Path.home())

    def _file_dialog(self, name: str, title: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
        if self.dialog is not None:
            try:
                self.dialog.close()
            except RuntimeError:
                pass  # already deleted
        dialog = QFileDialog(self._window, title, self._folder())
        dialog.setObjectName(name)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(mode)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: self._forget_dialog(dialog))
        self.dialog = dialog
        return dialog

    def _forget_dialog(self, dialog: QFileDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _ask_file(
        self,
        name: str,
        title: str,
        name_filter: str,
        suffix: str,
        default_name: str,
        on_chosen: Callable[[str], object],
    ) -> QFileDialog:
        dialog = self._file_dialog(name, title, QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter(name_filter)
        dialog.setDefaultSuffix(suffix)
        dialog.selectFile(default_name)
        dialog.fileSelected.connect(lambda path: self._remember_folder(path, on_chosen))
        dialog.open()
        return dialog

    def _remember_folder(self, path: str, on_chosen: Callable[[str], object]) -> None:
        if on_chosen(path):
            self._settings.setValue(FOLDER_KEY, str(Path(path).parent))

    def _export(self, path: Path, write: Callable[[Path], None]) -> bool:
        from tutor.ui.export.chart_export import SaveError

        try:
            write(path)
        except SaveError as error:
            self._fail("The export failed", str(error))
            return False
        self._window.statusBar().showMessage(f"Saved {path}", 10000)
        self.file_exported.emit(path)
        return True

    def _fail(self, title: str, message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self._window
        )
        box.setObjectName("exportError")
        box.setInformativeText(
            "Nothing was overwritten and your results are still here: choose another folder "
            "and try again."
        )
        self._show(box)
        self._window.statusBar().showMessage(f"{title}: {message}", 15000)
        self.export_failed.emit(message)

    def _show(self, box: QMessageBox) -> None:
        if self.message_box is not None:
            try:
                self.message_box.close()
            except RuntimeError:
                pass
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda: self._forget_box(box))
        self.message_box = box
        box.open()

    def _forget_box(self, box: QMessageBox) -> None:
        if self.message_box is box:
            self.message_box = None
