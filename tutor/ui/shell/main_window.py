"""The main window: lesson on the left, run panel, charts and results on the right."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
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

from tutor.content.exercises import exercise_ids
from tutor.content.lesson import Lesson
from tutor.controller.busy import BusyCoordinator
from tutor.controller.run_controller import RunController
from tutor.engine.machine import core_counts, gil_state, logical_cpus
from tutor.engine.records import RunResult
from tutor.models.run_settings import RunSettingsModel
from tutor.ui.charts.amdahl_view import AmdahlSummaryView
from tutor.ui.charts.timeline_chart import TimelineChartView
from tutor.ui.charts.timing_chart import TimingChartView
from tutor.ui.panels.lesson_view import LessonPanel
from tutor.ui.panels.results_table import ResultsTableView
from tutor.ui.panels.run_announcer import RunAnnouncer
from tutor.ui.panels.run_panel import RunPanel
from tutor.ui.persistence.progress_store import ProgressStore
from tutor.ui.persistence.saved_settings import restore_run_settings, write_model_settings
from tutor.ui.persistence.settings_store import cannot_save_message
from tutor.ui.shell.column_split import ColumnSplit
from tutor.ui.shell.experiment_tabs import IDLE_BUILD_DELAY_MS, ExperimentTabsMixin
from tutor.ui.shell.first_frame import after_first_frame, settle_before_first_frame
from tutor.ui.shell.lazy_page import LazyPage
from tutor.ui.shell.menus import MainMenus
from tutor.ui.shell.quit_guard import QuitGuard
from tutor.ui.shell.run_views import RunViewsMixin
from tutor.ui.shell.size_defaults import SizeDefaults
from tutor.ui.shell.status_bar import MessageStatusBar
from tutor.ui.shell.window_fit import WindowFit
from tutor.ui.shell.zoom import scroll_when_cramped
from tutor.ui.widgets.accessible import DescribedLabel, EnterPressesButtons, FocusKeeper
from tutor.ui.widgets.announcer import Announcer
from tutor.ui.widgets.elided_label import ElidedLabel
from tutor.ui.widgets.reliability_view import ReliabilityWarningView

if TYPE_CHECKING:
    from tutor.ui.dialogs.quiz_dialog import QuizDialog


REINSTALL_ADVICE = "The quiz file comes with the tutor: installing the tutor again restores it."


def machine_summary(start_method: str) -> str:
    return (
        f"Python {sys.version.split()[0]}  ·  {logical_cpus()} logical CPUs  ·  "
        f"start method {start_method}  ·  {gil_state().summary()}"
    )


class MainWindow(RunViewsMixin, ExperimentTabsMixin, QMainWindow):
    """Wires the widgets to the run controller; holds no benchmarking logic itself.

    Its jobs are split by module: the run wiring (shell.run_views), the experiment tabs
    (shell.experiment_tabs), the menus and keys (shell.menus); this class lays the window out,
    keeps the course progress and the settings, and closes cleanly.
    """

    def __init__(
        self,
        controller: RunController,
        settings: QSettings,
        lesson: Lesson,
        start_methods: tuple[str, ...],
        settings_warning: str | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Multiprocessing Tutor")
        self.controller = controller
        # Whether any experiment runs (runs, other Pythons, exercise checks): one signal.
        self.experiments = BusyCoordinator(self)
        self.settings = settings
        # Unwritable settings were already reported by open_settings: warn about saving once.
        self._save_warning_given = not settings.isWritable()
        self.progress = ProgressStore(settings, save_failed=self._on_progress_not_saved)
        self.quiz_dialog: QuizDialog | None = None
        self._chart_key: tuple | None = None
        self._last_speedup: RunResult | None = None

        self.lesson_panel = LessonPanel(lesson, self.progress)
        self.lesson_panel.set_progress_shown(False)  # the course toolbar counts sections read
        # What every experiment reads: edited in the run panel, listened to by the others.
        self.run_settings = RunSettingsModel(start_methods)
        self.run_panel = RunPanel(self.run_settings)
        self.core_counts = core_counts()  # logical CPUs and, where the OS says, physical cores
        self.timing_chart = TimingChartView(
            core_count=logical_cpus(), physical_core_count=self.core_counts.physical
        )
        self.amdahl_summary = AmdahlSummaryView(self.core_counts)
        self.timeline_chart = TimelineChartView()
        self.results_table = ResultsTableView()
        self.reliability_warning = ReliabilityWarningView()
        self._experiment = ""  # what started the running batch, for the results table
        self._lesson_link = ""  # set while a lesson link clicks a run button

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
        chart_layout.setSpacing(2)  # the height goes to the charts and the results table
        metric_row = QHBoxLayout()
        metric_row.addWidget(QLabel("Chart sho&ws", buddy=self.chart_metric))
        metric_row.addWidget(self.chart_metric)
        # Beside the choice, not above the charts: the warning takes no height of their own.
        metric_row.addWidget(self.reliability_warning, 1000)
        metric_row.addStretch(1)
        chart_layout.addLayout(metric_row)
        chart_layout.addWidget(charts, 1)
        chart_layout.addWidget(self.amdahl_summary)

        self.bottom_tabs = QTabWidget(objectName="bottomTabs")
        self.bottom_tabs.setAccessibleName("Results and experiments")
        self.bottom_tabs.addTab(self.results_table, "&Results")
        # Not in the first frame: built after it, or when an example first runs (LazyPage).
        self._console_page = LazyPage(self._build_console_panel, "consolePage")
        self.bottom_tabs.addTab(self._console_page, "E&xample console")
        self._start_methods = start_methods
        self._make_experiment_tabs()

        self.right_splitter = QSplitter(Qt.Vertical, objectName="runSplitter")
        self.right_splitter.addWidget(scroll_when_cramped(self.run_panel, "runPanelScroll"))
        # Cramped (1024×640, a long warning above the charts), the charts scroll instead of
        # taking the height the Run buttons need.
        self.right_splitter.addWidget(scroll_when_cramped(chart_area, "chartAreaScroll"))
        self.right_splitter.addWidget(self.bottom_tabs)  # each page scrolls, the tab bar stays
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
        self.course_progress = DescribedLabel("Course progress", objectName="courseProgress")
        toolbar = QToolBar("Course", objectName="courseToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.course_progress)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.quiz_button)
        self.addToolBar(Qt.TopToolBarArea, toolbar)

        status_bar = MessageStatusBar(self)  # messages elided to fit, whole in the tooltip
        self.setStatusBar(status_bar)
        status_bar.watch_status_tips(self)
        self.machine_label = ElidedLabel(objectName="machineSummary")
        status_bar.addPermanentWidget(self.machine_label)
        self._update_machine_summary()
        self._update_course_progress()

        self._connect()
        self.lesson_panel.section_read.connect(self._update_course_progress)
        self.lesson_panel.exercise_requested.connect(self.open_exercises)
        self.lesson_panel.link_failed.connect(
            lambda reason: self.announcer.announce(reason, True)  # it says the link is broken
        )
        self.quit_guard = QuitGuard(self, self._experiment_busy)  # asks before quitting mid-run
        self.experiments.busy_changed.connect(self.lesson_panel.view().hold_colouring)
        # Said aloud to screen readers: a batch's summary, errors, the quiz score (after the
        # window's own slots have updated the run panel).
        self.announcer = Announcer(self)
        RunAnnouncer(self.announcer, controller, self.run_panel)
        EnterPressesButtons(self)
        FocusKeeper(self)  # a pressed Run button's focus waits on Cancel, then comes back
        self._add_shortcuts()
        self.window_fit = WindowFit(self)  # handles one can see, Run buttons kept in view
        # Charts whole, six results rows, by default.
        self.column_split = ColumnSplit(self, self.window_fit.keep_run_buttons_in_view)
        # Both wait for the event loop; the first frame should not (first_frame.py).
        self.first_frame_settler = settle_before_first_frame(
            self, [self.window_fit.keep_run_buttons_in_view, self.column_split.divide]
        )
        notices = self._restore_settings()
        # Default sizes calibrated on this machine (never over a saved or chosen size).
        self.size_defaults = SizeDefaults(self.run_panel, self.settings, self._experiment_busy)
        warning = "\n\n".join(filter(None, [settings_warning, *notices]))
        if warning:
            QTimer.singleShot(0, lambda: self._warn_settings(warning))

    def _add_shortcuts(self) -> None:
        # Every window-wide key (run Ctrl+R, threads Ctrl+T, sweep Ctrl+Shift+R, cancel Esc,
        # quiz Ctrl+K, quit, zoom, sections, export) is a menu action, listed in Help →
        # Keyboard shortcuts: add new keys there, so that no key has two owners.
        self.menus = MainMenus(self)

    def _on_chart_metric_changed(self) -> None:
        self.timing_chart.set_metric(self.chart_metric.currentData())

    def open_quiz(self) -> None:
        if self.quiz_dialog is None:
            # Read when first opened, long after start-up: the quiz's records and its file were
            # ~5 ms of the window's first frame (tests/perf/ui_responsiveness.py).
            from tutor.content.quiz import QuizError, load_quiz
            from tutor.ui.dialogs.quiz_dialog import QuizDialog

            try:
                quiz = load_quiz()
            except QuizError as error:  # a damaged install: said, and the window goes on
                self._warn("The quiz cannot open", f"{error}\n\n{REINSTALL_ADVICE}")
                return
            self.quiz_dialog = QuizDialog(quiz, self.progress, self)
            self.quiz_dialog.quiz_scored.connect(self._update_course_progress)
        self.quiz_dialog.set_measured_speedup(self._speedup_text())
        self.quiz_dialog.open()
        self.quiz_dialog.raise_()

    def _speedup_text(self) -> str | None:
        result = self._last_speedup
        if result is None or result.speedup is None:
            return None
        config = result.config
        workload = "your own function" if config.workload == "custom" else config.workload
        processes = f"{config.workers} process{'es' if config.workers != 1 else ''}"
        return (
            f"Your own measurement: {result.speedup:.2f}× the sequential speed with "
            f"{processes} ({workload}, N={config.size:,})."
        )

    def _update_course_progress(self, *_: object) -> None:
        titles = self.lesson_panel.section_titles()
        read = len(self.progress.sections_read() & set(titles))
        best = self.progress.best_score()
        quiz = "not taken yet" if best is None else f"best {best}/{self.progress.best_total()}"
        exercises = exercise_ids()
        records = self.progress.exercise_records()
        solved = sum(1 for name in exercises if name in records and records[name].solved)
        self.course_progress.setText(
            f"Lesson: {read} of {len(titles)} sections read  ·  Quiz: {quiz}  ·  "
            f"Exercises: {solved} of {len(exercises)} solved"
        )

    def _update_machine_summary(self) -> None:
        self.machine_label.setText(machine_summary(self.run_settings.start_method))

    def _on_progress_not_saved(self) -> None:
        if not self._save_warning_given:
            self._save_warning_given = True
            self._warn_settings(cannot_save_message(Path(self.settings.fileName())))

    def _warn_settings(self, message: str) -> None:
        self._warn("About your saved settings", message, "settingsWarning")

    def _warn(self, title: str, message: str, name: str = "warning") -> None:
        """A warning box (not modal) with `message`, also shown in the status bar for 15 s."""
        box = QMessageBox(QMessageBox.Warning, title, message, parent=self)
        box.setObjectName(name)
        box.open()
        self.statusBar().showMessage(message, 15000)

    # --- persistence ----------------------------------------------------------------------

    def _restore_settings(self) -> list[str]:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.main_splitter.setSizes([500, 780])
        self.right_splitter.setSizes([240, 380, 180])
        for splitter, key in (
            (self.main_splitter, "window/mainSplitter"),
            (self.right_splitter, "window/runSplitter"),
        ):
            state = s.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        return restore_run_settings(s, self.run_settings)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/mainSplitter", self.main_splitter.saveState())
        # Only a split the learner dragged is theirs to keep: saving the automatic one made
        # every later start keep that start's division, whatever its charts then needed.
        if self.column_split.learner_chose():
            s.setValue("window/runSplitter", self.right_splitter.saveState())
        else:
            s.remove("window/runSplitter")
        write_model_settings(s, self.run_settings)
        s.sync()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._idle_build_scheduled:
            self._idle_build_scheduled = True
            # Counted from the first painted frame, not from show (see shell/first_frame.py).
            after_first_frame(self, self._build_next_tab_when_idle, IDLE_BUILD_DELAY_MS)
            # At once after it: a learner's first click should not wait for these imports.
            after_first_frame(self, self.controller.prepare_runs)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.quit_guard.allows(event):
            return  # a run is going: the learner is asked first
        self.save_settings()
        self.controller.shutdown()
        if self._interpreter_runs is not None:
            self._interpreter_runs.shutdown()
        if self._console_page.is_built:
            self.console.shutdown()
        if self._exercise_checks is not None:
            self.exercises_panel.save_draft()
            self._exercise_checks.shutdown()
        if self.quiz_dialog is not None:
            self.quiz_dialog.close()
        super().closeEvent(event)
