"""What the menus and the export actions need from the main window, as Protocols.

They decorate a window that builds them, so importing the window's module would make a circle
(menus → main_window → menus). They name these parts instead; the MainWindow has them all.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QMenuBar, QPushButton, QSplitter, QStatusBar, QTabWidget

from tutor.models.run_settings import RunSettingsModel
from tutor.ui.charts.timeline_chart import TimelineChartView
from tutor.ui.charts.timing_chart import TimingChartView
from tutor.ui.panels.lesson_view import LessonPanel
from tutor.ui.panels.results_table import ResultsTableView
from tutor.ui.panels.run_panel import RunPanel


class ExportSource(Protocol):
    """The window as File → Export sees it: results, charts, settings (a QWidget)."""

    results_table: ResultsTableView
    timing_chart: TimingChartView
    timeline_chart: TimelineChartView
    run_settings: RunSettingsModel

    def findChildren(self, kind: type, /) -> list: ...  # noqa: N802 - Qt's name


class MenuHost(ExportSource, Protocol):
    """The window as its menus see it (a QMainWindow with these parts)."""

    settings: QSettings
    lesson_panel: LessonPanel
    run_panel: RunPanel
    chart_metric: QComboBox
    quiz_button: QPushButton
    bottom_tabs: QTabWidget
    right_splitter: QSplitter

    def build_all_tabs(self) -> None: ...

    def open_exercises(self, exercise_id: str = "") -> None: ...

    def open_quiz(self) -> None: ...

    def close(self) -> bool: ...

    def menuBar(self) -> QMenuBar: ...  # noqa: N802 - Qt's name

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name

    def addAction(self, action: object) -> None: ...  # noqa: N802 - Qt's name

    def findChild(self, kind: type, name: str = "", /) -> object: ...  # noqa: N802 - Qt's name
