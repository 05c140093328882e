"""The main window: lesson on the left, run panel, charts and results on the right."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tutor.content.examples import get_example
from tutor.content.lesson import Lesson
from tutor.content.links import RunRequest
from tutor.content.quiz import Quiz
from tutor.controller.run_controller import RunController
from tutor.engine.records import Progress, RunConfig, RunResult, WorkerFailure
from tutor.engine.remote import RunStarted
from tutor.ui.console_panel import ConsolePanel
from tutor.ui.lesson_view import LessonPanel
from tutor.ui.progress_store import ProgressStore
from tutor.ui.quiz_dialog import QuizDialog
from tutor.ui.results_table import ResultsTableView
from tutor.ui.run_panel import PanelState, RunPanel
from tutor.ui.timeline_chart import TimelineChartView
from tutor.ui.timing_chart import TimingChartView


def machine_summary(start_method: str) -> str:
    probe = getattr(sys, "_is_gil_enabled", None)
    if probe is None:
        gil = "GIL enabled (standard build)"
    else:
        gil = "GIL enabled" if probe() else "GIL disabled (free-threaded build)"
    return (
        f"Python {sys.version.split()[0]}  ·  {os.cpu_count() or 1} logical CPUs  ·  "
        f"start method {start_method}  ·  {gil}"
    )


class MainWindow(QMainWindow):
    """Wires the widgets to the run controller; holds no benchmarking logic itself."""

    def __init__(
        self,
        controller: RunController,
        settings: QSettings,
        lesson: Lesson,
        quiz: Quiz,
        start_methods: tuple[str, ...],
        settings_warning: str | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Multiprocessing Tutor")
        self.controller = controller
        self.settings = settings
        self.progress = ProgressStore(settings)
        self.quiz = quiz
        self.quiz_dialog: QuizDialog | None = None
        self._chart_key: tuple | None = None
        self._last_speedup: RunResult | None = None

        self.lesson_panel = LessonPanel(lesson, self.progress)
        self.run_panel = RunPanel(start_methods)
        self.timing_chart = TimingChartView()
        self.timing_chart.set_core_count(os.cpu_count() or 1)
        self.timeline_chart = TimelineChartView()
        self.results_table = ResultsTableView()
        self.console = ConsolePanel()

        self.chart_metric = QComboBox(objectName="chartMetric")
        self.chart_metric.addItem("Time (seconds)", "time")
        self.chart_metric.addItem("Speedup (×)", "speedup")
        self.chart_metric.setAccessibleName("What the timing chart shows")
        self.chart_metric.currentIndexChanged.connect(self._on_chart_metric_changed)

        charts = QSplitter(Qt.Horizontal, objectName="chartSplitter")
        charts.addWidget(self.timing_chart)
        charts.addWidget(self.timeline_chart)
        charts.setChildrenCollapsible(False)
        chart_area = QWidget()
        chart_layout = QVBoxLayout(chart_area)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        metric_row = QHBoxLayout()
        metric_row.addWidget(QLabel("&Chart shows", buddy=self.chart_metric))
        metric_row.addWidget(self.chart_metric)
        metric_row.addStretch(1)
        chart_layout.addLayout(metric_row)
        chart_layout.addWidget(charts, 1)

        self.bottom_tabs = QTabWidget(objectName="bottomTabs")
        self.bottom_tabs.addTab(self.results_table, "&Results")
        self.bottom_tabs.addTab(self.console, "Example &console")

        self.right_splitter = QSplitter(Qt.Vertical, objectName="runSplitter")
        self.right_splitter.addWidget(self.run_panel)
        self.right_splitter.addWidget(chart_area)
        self.right_splitter.addWidget(self.bottom_tabs)
        self.right_splitter.setStretchFactor(1, 3)
        self.right_splitter.setStretchFactor(2, 2)
        self.right_splitter.setChildrenCollapsible(False)

        self.main_splitter = QSplitter(Qt.Horizontal, objectName="mainSplitter")
        self.main_splitter.addWidget(self.lesson_panel)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(0, 2)
        self.main_splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.main_splitter)

        self.quiz_button = QPushButton("Take the &quiz", objectName="quizButton")
        self.quiz_button.setToolTip("Four questions on what you learned (Ctrl+K)")
        self.quiz_button.setAccessibleName("Take the quiz")
        self.quiz_button.clicked.connect(self.open_quiz)
        self.course_progress = QLabel(objectName="courseProgress")
        self.course_progress.setAccessibleName("Course progress")
        toolbar = QToolBar("Course", objectName="courseToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.course_progress)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.quiz_button)
        self.addToolBar(Qt.TopToolBarArea, toolbar)

        self.machine_label = QLabel(objectName="machineSummary")
        self.statusBar().addPermanentWidget(self.machine_label)
        self._update_machine_summary()
        self._update_course_progress()

        self._connect()
        self._add_shortcuts()
        self._restore_settings()
        if settings_warning:
            QTimer.singleShot(0, lambda: self._warn_settings(settings_warning))

    # --- wiring ---------------------------------------------------------------------------

    def _connect(self) -> None:
        panel, controller = self.run_panel, self.controller
        panel.runs_requested.connect(self._on_runs_requested)
        panel.cancel_requested.connect(controller.cancel)
        panel.start_method.currentIndexChanged.connect(self._update_machine_summary)
        controller.busy_changed.connect(panel.set_busy)
        controller.run_started.connect(self._on_run_started)
        controller.chunks_finished.connect(self.timeline_chart.add_chunks)
        controller.progress_changed.connect(self._on_progress_changed)
        controller.run_finished.connect(self._on_run_finished)
        controller.run_failed.connect(self._on_run_failed)
        controller.run_cancelled.connect(self._on_run_cancelled)
        self.lesson_panel.run_requested.connect(self._on_lesson_run_requested)
        self.lesson_panel.example_requested.connect(self._on_example_requested)
        self.lesson_panel.section_read.connect(self._update_course_progress)
        self.lesson_panel.link_failed.connect(
            lambda reason: self.statusBar().showMessage(f"That lesson link is broken: {reason}")
        )

    def _add_shortcuts(self) -> None:
        def shortcut(keys: str | QKeySequence, slot) -> None:
            QShortcut(QKeySequence(keys), self, slot, context=Qt.WindowShortcut)

        shortcut("Ctrl+R", self.run_panel.run_processes_button.click)
        shortcut("Ctrl+T", self.run_panel.run_threads_button.click)
        shortcut("Ctrl+Shift+R", self.run_panel.sweep_button.click)
        shortcut("Escape", self.run_panel.cancel_button.click)
        shortcut("Ctrl+K", self.open_quiz)
        shortcut(QKeySequence.Quit, self.close)

    # --- slots ----------------------------------------------------------------------------

    def _on_runs_requested(self, configs: list[RunConfig]) -> None:
        self.bottom_tabs.setCurrentWidget(self.results_table)
        self.controller.start(configs)

    def _on_run_started(self, started: RunStarted) -> None:
        self.run_panel.show_started(started)
        self.timeline_chart.start_run(started.config)
        key = self._key(started.config)
        if key != self._chart_key:
            self.timing_chart.clear()
            self._chart_key = key

    def _on_progress_changed(self, progress: Progress) -> None:
        self.run_panel.show_progress(progress)

    def _on_run_finished(self, result: RunResult) -> None:
        self.results_table.add_result(result, baseline=result.config.mode == "sequential")
        self.timing_chart.add_result(result)
        self.run_panel.show_finished(result.config.label(), result.wall_s, result.speedup)
        if result.config.uses_processes and result.speedup is not None:
            self._last_speedup = result

    def _on_run_failed(self, config: RunConfig, failure: WorkerFailure) -> None:
        self.run_panel.show_failure(config, failure)

    def _on_run_cancelled(self, config: RunConfig) -> None:
        self.run_panel.show_cancelled(config)

    def _on_lesson_run_requested(self, request: RunRequest) -> None:
        self.run_panel.apply_request(request.workload, request.size, request.workers, request.mode)
        self.statusBar().showMessage(
            "The run panel is set up as the lesson suggests: press a Run button.", 6000
        )
        if request.start:
            button = (
                self.run_panel.run_threads_button
                if request.mode == "threads"
                else self.run_panel.run_processes_button
            )
            button.click()

    def _on_example_requested(self, example_id: str) -> None:
        try:
            example = get_example(example_id)
        except KeyError:
            self.statusBar().showMessage(f"No example called {example_id!r}.", 6000)
            return
        self.bottom_tabs.setCurrentWidget(self.console)
        self.console.run_example(example)

    def _on_chart_metric_changed(self) -> None:
        self.timing_chart.set_metric(self.chart_metric.currentData())

    def open_quiz(self) -> None:
        if self.quiz_dialog is None:
            self.quiz_dialog = QuizDialog(self.quiz, self.progress, self)
            self.quiz_dialog.quiz_scored.connect(self._update_course_progress)
        self.quiz_dialog.set_measured_speedup(self._speedup_text())
        self.quiz_dialog.open()
        self.quiz_dialog.raise_()

    def _speedup_text(self) -> str | None:
        result = self._last_speedup
        if result is None or result.speedup is None:
            return None
        return (
            f"Your own measurement: {result.speedup:.2f}× faster with "
            f"{result.config.workers} processes than sequential "
            f"({result.config.workload}, N={result.config.size:,})."
        )

    def _update_course_progress(self, *_: object) -> None:
        titles = self.lesson_panel.section_titles()
        read = len(self.progress.sections_read() & set(titles))
        best = self.progress.best_score()
        quiz = "not taken yet" if best is None else f"best {best}/{len(self.quiz.questions)}"
        self.course_progress.setText(
            f"Lesson: {read} of {len(titles)} sections read  ·  Quiz: {quiz}"
        )

    def _update_machine_summary(self) -> None:
        self.machine_label.setText(machine_summary(self.run_panel.start_method.currentText()))

    def _warn_settings(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Warning, "Settings were reset", message, parent=self)
        box.setObjectName("settingsWarning")
        box.open()
        self.statusBar().showMessage(message, 15000)

    @staticmethod
    def _key(config: RunConfig) -> tuple:
        return (config.workload, config.size, config.function, config.start_method, config.chunks)

    # --- persistence ----------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.main_splitter.setSizes([500, 780])
        self.right_splitter.setSizes([260, 360, 180])
        for splitter, key in (
            (self.main_splitter, "window/mainSplitter"),
            (self.right_splitter, "window/runSplitter"),
        ):
            state = s.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        if s.contains("run/workload"):
            try:
                self.run_panel.restore(
                    PanelState(
                        workload=str(s.value("run/workload")),
                        size=int(s.value("run/size")),
                        workers=int(s.value("run/workers")),
                        start_method=str(s.value("run/startMethod")),
                        chunks=int(s.value("run/chunks", 0)),
                        process_api=str(s.value("run/processApi", "processes")),
                    )
                )
            except (TypeError, ValueError):
                pass  # a hand-edited or old settings file: keep the defaults

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/mainSplitter", self.main_splitter.saveState())
        s.setValue("window/runSplitter", self.right_splitter.saveState())
        state = self.run_panel.state()
        s.setValue("run/workload", state.workload)
        s.setValue("run/size", state.size)
        s.setValue("run/workers", state.workers)
        s.setValue("run/startMethod", state.start_method)
        s.setValue("run/chunks", state.chunks)
        s.setValue("run/processApi", state.process_api)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_settings()
        self.controller.shutdown()
        self.console.shutdown()
        if self.quiz_dialog is not None:
            self.quiz_dialog.close()
        super().closeEvent(event)
