"""The main window: lesson on the left, run panel, charts and results on the right."""

from __future__ import annotations

import os
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

from tutor.content.examples import get_example
from tutor.content.exercises import load_exercises
from tutor.content.lesson import Lesson
from tutor.content.links import RunRequest
from tutor.content.quiz import Quiz
from tutor.controller.run_controller import RunController
from tutor.engine.cpu_topology import core_counts
from tutor.engine.records import Progress, RunConfig, RunResult, WorkerFailure
from tutor.engine.remote import RunStarted
from tutor.engine.repeats import size_advice
from tutor.ui.charts.amdahl_view import AmdahlSummaryView
from tutor.ui.charts.timeline_chart import TimelineChartView
from tutor.ui.charts.timing_chart import TimingChartView
from tutor.ui.panels.console_panel import ConsolePanel
from tutor.ui.panels.lesson_view import LessonPanel
from tutor.ui.panels.results_table import ResultsTableView
from tutor.ui.panels.run_announcer import RunAnnouncer
from tutor.ui.panels.run_panel import RunPanel
from tutor.ui.panels.saved_settings import RunSettings, restore_run_panel, write_run_settings
from tutor.ui.persistence.progress_store import ProgressStore
from tutor.ui.persistence.settings_store import cannot_save_message
from tutor.ui.shell.lazy_page import LazyPage
from tutor.ui.shell.menus import MainMenus
from tutor.ui.shell.quit_guard import QuitGuard
from tutor.ui.shell.window_fit import WindowFit
from tutor.ui.shell.zoom import scroll_when_cramped
from tutor.ui.widgets.accessible import DescribedLabel, EnterPressesButtons, FocusKeeper
from tutor.ui.widgets.announcer import Announcer
from tutor.ui.widgets.reliability_view import ReliabilityWarningView

if TYPE_CHECKING:  # built on first need (LazyPage): imported there, not at start-up
    from tutor.controller.exercise_checks import ExerciseCheckController
    from tutor.controller.interpreter_runs import InterpreterRunController
    from tutor.ui.dialogs.quiz_dialog import QuizDialog
    from tutor.ui.panels.code_editor_panel import CodeEditorPanel
    from tutor.ui.panels.exercises_panel import ExercisesPanel
    from tutor.ui.panels.interpreters_panel import InterpretersPanel
    from tutor.ui.panels.start_method_panel import StartMethodPanel
    from tutor.ui.panels.time_breakdown_panel import TimeBreakdownPanel

# After the first frame the window builds the remaining tabs one per event-loop turn, so they
# are ready (and recording results) long before a learner opens one.
IDLE_BUILD_DELAY_MS = 300


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
        # Unwritable settings were already reported by open_settings: warn about saving once.
        self._save_warning_given = not settings.isWritable()
        self.progress = ProgressStore(settings, save_failed=self._on_progress_not_saved)
        self.quiz = quiz
        self.quiz_dialog: QuizDialog | None = None
        self._chart_key: tuple | None = None
        self._last_speedup: RunResult | None = None

        self.lesson_panel = LessonPanel(lesson, self.progress)
        self.lesson_panel.set_progress_shown(False)  # the course toolbar counts sections read
        self.run_panel = RunPanel(start_methods)
        self.timing_chart = TimingChartView()
        self.timing_chart.set_core_count(os.cpu_count() or 1)
        self.core_counts = core_counts()  # logical CPUs and, where the OS says, physical cores
        self.timing_chart.set_physical_core_count(self.core_counts.physical)
        self.amdahl_summary = AmdahlSummaryView(self.core_counts)
        self.timeline_chart = TimelineChartView()
        self.results_table = ResultsTableView()
        self.reliability_warning = ReliabilityWarningView()
        self._experiment = ""  # what started the running batch, for the results table
        self._lesson_link = ""  # set while a lesson link clicks a run button
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
        metric_row.addWidget(QLabel("Chart sho&ws", buddy=self.chart_metric))
        metric_row.addWidget(self.chart_metric)
        metric_row.addStretch(1)
        chart_layout.addLayout(metric_row)
        chart_layout.addWidget(self.reliability_warning)
        chart_layout.addWidget(charts, 1)
        chart_layout.addWidget(self.amdahl_summary)

        self.bottom_tabs = QTabWidget(objectName="bottomTabs")
        self.bottom_tabs.setAccessibleName("Results and experiments")
        self.bottom_tabs.addTab(self.results_table, "&Results")
        self._console_page = scroll_when_cramped(self.console, "consoleScroll")
        self.bottom_tabs.addTab(self._console_page, "E&xample console")
        self._start_methods = start_methods
        self._interpreter_runs: InterpreterRunController | None = None
        self._code_page = LazyPage(self._build_code_panel, "codePage")
        self._breakdown_page = LazyPage(self._build_time_breakdown, "timeBreakdownPage")
        self._pythons_page = LazyPage(self._build_interpreters_panel, "otherPythonsPage")
        self._methods_page = LazyPage(self._build_start_method_panel, "startMethodsPage")
        self._exercise_checks: ExerciseCheckController | None = None
        self._exercises_page = LazyPage(self._build_exercises_panel, "exercisesPage")
        self._lazy_pages: tuple[LazyPage, ...] = (
            self._code_page,
            self._breakdown_page,
            self._pythons_page,
            self._methods_page,
            self._exercises_page,
        )
        for page in self._lazy_pages:
            page.built.connect(self._on_tab_built)
        self.bottom_tabs.addTab(self._code_page, "Y&our function")  # Alt+F is the File menu
        self.bottom_tabs.addTab(self._breakdown_page, "Where the time &goes")
        self.bottom_tabs.addTab(self._pythons_page, "Other P&ythons")
        self.bottom_tabs.addTab(self._methods_page, "S&tart methods")
        self.bottom_tabs.addTab(self._exercises_page, "Exercise&s")
        self._idle_build_scheduled = False

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

        self.machine_label = QLabel(objectName="machineSummary")
        self.statusBar().addPermanentWidget(self.machine_label)
        self._update_machine_summary()
        self._update_course_progress()

        self._connect()
        self.quit_guard = QuitGuard(self, self._experiment_busy)  # asks before quitting mid-run
        # Said aloud to screen readers: a batch's summary, errors, the quiz score (after the
        # window's own slots have updated the run panel).
        self.announcer = Announcer(self)
        RunAnnouncer(self.announcer, controller, self.run_panel)
        EnterPressesButtons(self)
        FocusKeeper(self)  # a pressed Run button's focus waits on Cancel, then comes back
        self._add_shortcuts()
        self.window_fit = WindowFit(self)  # handles one can see, Run buttons kept in view
        notices = self._restore_settings()
        warning = "\n\n".join(filter(None, [settings_warning, *notices]))
        if warning:
            QTimer.singleShot(0, lambda: self._warn_settings(warning))

    # --- wiring ---------------------------------------------------------------------------

    def _connect(self) -> None:
        panel, controller = self.run_panel, self.controller
        panel.runs_requested.connect(self._on_runs_requested)
        panel.cancel_requested.connect(controller.cancel)
        panel.start_method.currentIndexChanged.connect(self._update_machine_summary)
        controller.busy_changed.connect(panel.set_busy)
        controller.run_started.connect(self._on_run_started)
        controller.chunks_finished.connect(self.timeline_chart.add_chunks)
        # The timeline describes a run when it ends, never mid-run: a pause in the chunks (a
        # busy machine makes many) would make a screen reader re-read a focused chart.
        for ended in (controller.run_finished, controller.run_failed, controller.run_cancelled):
            ended.connect(lambda *_: self.timeline_chart.finish_run())
        controller.batch_finished.connect(self.timeline_chart.finish_run)
        controller.progress_changed.connect(self._on_progress_changed)
        controller.run_finished.connect(self._on_run_finished)
        controller.run_failed.connect(self._on_run_failed)
        controller.run_cancelled.connect(self._on_run_cancelled)
        self.lesson_panel.run_requested.connect(self._on_lesson_run_requested)
        self.lesson_panel.example_requested.connect(self._on_example_requested)
        self.lesson_panel.section_read.connect(self._update_course_progress)
        self.lesson_panel.exercise_requested.connect(self.open_exercises)
        self.lesson_panel.link_failed.connect(
            lambda reason: self.announcer.announce(f"That lesson link is broken: {reason}", True)
        )
        self.timing_chart.amdahl_fit_changed.connect(self.amdahl_summary.show_fit)
        self.timing_chart.amdahl_advice_changed.connect(self.amdahl_summary.show_advice)
        # One experiment at a time: while another Python runs, the run panel waits.
        controller.busy_changed.connect(self._on_experiments_busy_changed)
        # Every run's result reaches the time breakdown, even one made before that tab was built
        # (kept until it is). Building tabs when a run starts stalled the first click ~120 ms.
        self._results_for_breakdown: list[RunResult] = []
        controller.run_finished.connect(self._keep_result_for_breakdown)

    # --- the experiment tabs, built on first need -----------------------------------------

    @property
    def code_panel(self) -> CodeEditorPanel:
        return self._code_page.panel()

    @property
    def time_breakdown(self) -> TimeBreakdownPanel:
        return self._breakdown_page.panel()

    @property
    def interpreters_panel(self) -> InterpretersPanel:
        return self._pythons_page.panel()

    @property
    def interpreter_runs(self) -> InterpreterRunController:
        self._pythons_page.panel()
        assert self._interpreter_runs is not None  # made with the panel
        return self._interpreter_runs

    @property
    def start_method_panel(self) -> StartMethodPanel:
        return self._methods_page.panel()

    @property
    def exercises_panel(self) -> ExercisesPanel:
        return self._exercises_page.panel()

    def open_exercises(self, exercise_id: str = "") -> None:
        """Bring the Exercises tab to the front, showing `exercise_id` when given."""
        panel = self.exercises_panel
        self.bottom_tabs.setCurrentWidget(self._exercises_page)
        if exercise_id and not panel.select(exercise_id):
            self.statusBar().showMessage(f"No exercise called {exercise_id!r}.", 6000)

    def _build_exercises_panel(self) -> ExercisesPanel:
        """Fix-the-program exercises, each checked by really running it (off the GUI thread)."""
        from tutor.controller.exercise_checks import ExerciseCheckController
        from tutor.ui.panels.exercises_panel import ExercisesPanel

        checks = self._exercise_checks = ExerciseCheckController(self)
        panel = ExercisesPanel(load_exercises(), self.progress)
        panel.check_requested.connect(checks.start)
        checks.busy_changed.connect(panel.set_busy)
        checks.check_finished.connect(panel.show_check_result)
        panel.progress_changed.connect(self._update_course_progress)
        return panel

    def show_tab(self, panel: QWidget) -> None:
        """Bring the bottom tab holding `panel` to the front."""
        page = next((p for p in self._lazy_pages if p.is_built and p.panel() is panel), panel)
        self.bottom_tabs.setCurrentWidget(self._console_page if page is self.console else page)

    def current_tab(self) -> QWidget:
        """The panel of the bottom tab in front."""
        page = self.bottom_tabs.currentWidget()
        if page is self._console_page:
            return self.console
        return page.panel() if isinstance(page, LazyPage) else page

    def build_all_tabs(self, *_: object) -> None:
        for page in self._lazy_pages:
            page.panel()

    def _on_tab_built(self, _panel: QWidget) -> None:
        self.menus.zoom.refresh()  # fonts the panel set for itself follow the window's zoom
        self._on_experiments_busy_changed()  # a panel built mid-run starts out waiting

    def _keep_result_for_breakdown(self, result: RunResult) -> None:
        if not self._breakdown_page.is_built:
            self._results_for_breakdown.append(result)

    def _build_next_tab_when_idle(self) -> None:
        if not self.isVisible():
            return  # closed meanwhile: nothing left to build for
        if self._experiment_busy():  # a run's updates come first; build when it is over
            QTimer.singleShot(IDLE_BUILD_DELAY_MS, self._build_next_tab_when_idle)
            return
        page = next((page for page in self._lazy_pages if not page.is_built), None)
        if page is not None:
            page.panel()
            QTimer.singleShot(0, self._build_next_tab_when_idle)  # one per turn: no long stall

    def _other_python_busy(self) -> bool:
        return self._interpreter_runs is not None and self._interpreter_runs.busy

    def _experiment_busy(self) -> bool:
        """A run of the controller or a comparison under other Pythons: one at a time."""
        return self.controller.busy or self._other_python_busy()

    def _build_code_panel(self) -> CodeEditorPanel:
        """The learner's own function runs through the same controller, with the panel's N."""
        from tutor.ui.panels.code_editor_panel import CodeEditorPanel

        code, panel, controller = CodeEditorPanel(), self.run_panel, self.controller
        code.runs_requested.connect(self._on_code_runs_requested)  # the editor stays in view
        code.cancel_requested.connect(controller.cancel)
        controller.busy_changed.connect(code.set_busy)
        controller.run_started.connect(code.show_started)
        controller.run_finished.connect(code.show_finished)
        controller.run_failed.connect(code.show_failure)
        controller.run_cancelled.connect(code.show_cancelled)
        controller.output_arrived.connect(code.show_output)
        panel.worker_count.valueChanged.connect(code.set_workers)
        panel.start_method.currentIndexChanged.connect(
            lambda: code.set_start_method(panel.start_method.currentData())
        )
        panel.process_api.currentIndexChanged.connect(
            lambda: code.set_process_mode(panel.process_mode())
        )
        code.set_workers(panel.worker_count.value())
        code.set_start_method(panel.start_method.currentData())
        code.set_process_mode(panel.process_mode())
        code.set_busy(controller.busy)
        return code

    def _build_time_breakdown(self) -> TimeBreakdownPanel:
        """Where the time goes: breakdown bars of each run, and the chunk-size sweep."""
        from tutor.ui.panels.time_breakdown_panel import TimeBreakdownPanel

        breakdown, controller = TimeBreakdownPanel(), self.controller
        breakdown.attach_run_panel(self.run_panel)
        breakdown.sweep_requested.connect(self._on_chunk_sweep_requested)
        controller.run_finished.connect(breakdown.add_result)
        controller.batch_finished.connect(breakdown.end_sweep)
        for result in self._results_for_breakdown:  # runs made before this tab existed
            breakdown.add_result(result)
        self._results_for_breakdown.clear()
        return breakdown

    def _build_interpreters_panel(self) -> InterpretersPanel:
        """The same run under other Pythons found on this machine."""
        from tutor.controller.interpreter_runs import InterpreterRunController
        from tutor.ui.panels.interpreters_panel import InterpretersPanel

        others, runs = InterpretersPanel(), InterpreterRunController(self)
        self._interpreter_runs = runs
        # While another Python runs, the run panel waits, and its Cancel stops that too.
        runs.busy_changed.connect(self._on_experiments_busy_changed)
        runs.busy_changed.connect(others.set_busy)
        self.run_panel.cancel_requested.connect(runs.cancel)
        others.scan_requested.connect(runs.scan)
        others.run_requested.connect(runs.start)
        others.cancel_requested.connect(runs.cancel)
        runs.scanning_changed.connect(others.set_scanning)
        runs.interpreters_found.connect(others.set_interpreters)
        runs.step_started.connect(others.show_step)
        runs.results_arrived.connect(others.add_results)
        runs.run_failed.connect(others.show_failure)
        runs.run_cancelled.connect(others.show_cancelled)
        runs.batch_finished.connect(others.show_finished)
        return others

    def _build_start_method_panel(self) -> StartMethodPanel:
        """Start methods compared: the start-up of spawn, forkserver and fork."""
        from tutor.ui.panels.start_method_panel import StartMethodPanel

        methods, controller = StartMethodPanel(self._start_methods), self.controller
        methods.comparison_requested.connect(self._on_start_method_comparison_requested)
        # Start-up needs no sequential baseline: the comparison runs just the three.
        methods.runs_requested.connect(self._on_start_method_runs_requested)
        controller.run_finished.connect(methods.add_result)
        controller.run_failed.connect(methods.show_failure)
        controller.run_cancelled.connect(methods.show_cancelled)
        return methods

    def _on_code_runs_requested(self, configs: list[RunConfig]) -> None:
        if not self._other_python_busy() and self.controller.start(configs):
            self._experiment = "Your function"

    def _on_start_method_runs_requested(self, configs: list[RunConfig]) -> None:
        if self.controller.start(configs, measure_baseline=False):
            self._experiment = "Start methods"

    def _on_start_method_comparison_requested(self) -> None:
        if self._experiment_busy():
            return
        panel = self.run_panel
        self.start_method_panel.start_comparison(panel.current_config(panel.process_mode()))

    def _on_experiments_busy_changed(self, *_: object) -> None:
        """Connected after the run panel's own busy slot, so this (the whole truth) wins."""
        busy = self._experiment_busy()
        self.run_panel.set_busy(busy)
        self.menus.set_busy(busy)
        if self._breakdown_page.is_built:
            self.time_breakdown.set_busy(busy)
        if self._methods_page.is_built:
            self.start_method_panel.set_busy(busy)
        if self._pythons_page.is_built:
            self.interpreters_panel.set_other_busy(self.controller.busy)
        if self._code_page.is_built:
            self.code_panel.set_other_busy(self._other_python_busy())

    def _on_chunk_sweep_requested(self, pairs: list[tuple[int, RunConfig]]) -> None:
        if self._other_python_busy():
            return
        if self.controller.start([config for _size, config in pairs], measure_baseline=False):
            self._experiment = "Chunk-size sweep"
            self.time_breakdown.begin_sweep(pairs)
            self.bottom_tabs.setCurrentWidget(self._breakdown_page)

    def _add_shortcuts(self) -> None:
        # Every window-wide key (run Ctrl+R, threads Ctrl+T, sweep Ctrl+Shift+R, cancel Esc,
        # quiz Ctrl+K, quit, zoom, sections, export) is a menu action, listed in Help →
        # Keyboard shortcuts: add new keys there, so that no key has two owners.
        self.menus = MainMenus(self)

    # --- slots ----------------------------------------------------------------------------

    def _on_runs_requested(self, configs: list[RunConfig]) -> None:
        self.bottom_tabs.setCurrentWidget(self.results_table)
        if self.controller.start(configs, repeats=self.run_panel.repeat_count.policy()):
            label = "Sweep" if len(configs) > 1 else f"Run {configs[0].label()}"
            self._experiment = self._lesson_link or label
        self._lesson_link = ""

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
        sequential = result.config.mode == "sequential"
        self.results_table.add_result(result, baseline=sequential, experiment=self._experiment)
        self.reliability_warning.show_result(result)
        self.timeline_chart.show_result(result)  # repeats end on any run: show this one
        note = size_advice(result)  # e.g. a lesson link's size, too small for this machine
        if note is not None:
            self.statusBar().showMessage(note, 15_000)
        self.timing_chart.add_result(result)
        self.run_panel.show_finished(result.config.label(), result.wall_s, result.speedup)
        self.run_panel.show_prediction(result)
        if result.config.uses_processes and result.speedup is not None:
            self._last_speedup = result
            if self.quiz_dialog is not None:  # an open quiz quotes the newest measurement
                self.quiz_dialog.set_measured_speedup(self._speedup_text())

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
            panel = self.run_panel
            buttons = {
                "threads": panel.run_threads_button,
                "asyncio": panel.run_asyncio_button,
                "sequential": panel.run_sequential_button,
            }
            self._lesson_link = "Lesson link"
            buttons.get(request.mode or "", panel.run_processes_button).click()
            self._lesson_link = ""

    def _on_example_requested(self, example_id: str) -> None:
        try:
            example = get_example(example_id)
        except KeyError:
            self.statusBar().showMessage(f"No example called {example_id!r}.", 6000)
            return
        self.bottom_tabs.setCurrentWidget(self._console_page)
        self.console.run_example(example)

    def _on_chart_metric_changed(self) -> None:
        self.timing_chart.set_metric(self.chart_metric.currentData())

    def open_quiz(self) -> None:
        if self.quiz_dialog is None:
            from tutor.ui.dialogs.quiz_dialog import QuizDialog  # first opened long after start-up

            self.quiz_dialog = QuizDialog(self.quiz, self.progress, self)
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
        quiz = "not taken yet" if best is None else f"best {best}/{len(self.quiz.questions)}"
        exercises = load_exercises()
        records = self.progress.exercise_records()
        solved = sum(1 for e in exercises if e.id in records and records[e.id].solved)
        self.course_progress.setText(
            f"Lesson: {read} of {len(titles)} sections read  ·  Quiz: {quiz}  ·  "
            f"Exercises: {solved} of {len(exercises)} solved"
        )

    def _update_machine_summary(self) -> None:
        self.machine_label.setText(machine_summary(self.run_panel.start_method.currentText()))

    def _on_progress_not_saved(self) -> None:
        if not self._save_warning_given:
            self._save_warning_given = True
            self._warn_settings(cannot_save_message(Path(self.settings.fileName())))

    def _warn_settings(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Warning, "About your saved settings", message, parent=self)
        box.setObjectName("settingsWarning")
        box.open()
        self.statusBar().showMessage(message, 15000)

    @staticmethod
    def _key(config: RunConfig) -> tuple:
        return (config.workload, config.size, config.function, config.start_method, config.chunks)

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
        return restore_run_panel(s, self.run_panel)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/mainSplitter", self.main_splitter.saveState())
        s.setValue("window/runSplitter", self.right_splitter.saveState())
        saved = RunSettings(self.run_panel.state(), self.run_panel.scheduler_address.text().strip())
        write_run_settings(s, saved)
        s.sync()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._idle_build_scheduled:
            self._idle_build_scheduled = True
            QTimer.singleShot(IDLE_BUILD_DELAY_MS, self._build_next_tab_when_idle)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.quit_guard.allows(event):
            return  # a run is going: the learner is asked first
        self.save_settings()
        self.controller.shutdown()
        if self._interpreter_runs is not None:
            self._interpreter_runs.shutdown()
        self.console.shutdown()
        if self._exercise_checks is not None:
            self.exercises_panel.save_draft()
            self._exercise_checks.shutdown()
        if self.quiz_dialog is not None:
            self.quiz_dialog.close()
        super().closeEvent(event)
