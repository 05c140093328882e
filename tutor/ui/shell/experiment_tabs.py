"""The main window's experiment tabs, built on first need, and what they ask the controllers.

The example console, Your function, Where the time goes, Other Pythons, Start methods and
Exercises are LazyPages: built after the first frame, one per event-loop turn, or when first
shown (docs/architecture.md).
This mixin of MainWindow builds each one, wires it to the controllers and the run settings, and
keeps every panel's run buttons in step with the busy coordinator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QTabWidget, QWidget

from tutor.content.exercises import load_exercises
from tutor.controller.busy import BusyCoordinator
from tutor.controller.run_controller import RunController
from tutor.engine.records import RunConfig, RunResult
from tutor.models.run_settings import RunSettingsModel, Setting
from tutor.ui.persistence.progress_store import ProgressStore
from tutor.ui.shell.lazy_page import BuildSteps, LazyPage, import_steps

if TYPE_CHECKING:  # built on first need (LazyPage): imported there, not at start-up
    from tutor.controller.exercise_checks import ExerciseCheckController
    from tutor.controller.interpreter_runs import InterpreterRunController
    from tutor.ui.panels.code_editor_panel import CodeEditorPanel
    from tutor.ui.panels.console_panel import ConsolePanel
    from tutor.ui.panels.exercises_panel import ExercisesPanel
    from tutor.ui.panels.interpreters_panel import InterpretersPanel
    from tutor.ui.panels.lesson_view import LessonPanel
    from tutor.ui.panels.run_panel import RunPanel
    from tutor.ui.panels.start_method_panel import StartMethodPanel
    from tutor.ui.panels.time_breakdown_panel import TimeBreakdownPanel
    from tutor.ui.shell.idle_steps import IdleSteps
    from tutor.ui.shell.menus import MainMenus


def connect_all(*pairs: tuple[SignalInstance, Callable[..., object]]) -> None:
    """Connect each (signal, slot) pair: a panel's wiring read as one table."""
    for signal, slot in pairs:
        signal.connect(slot)


def connect_stops(runs: QObject, panel: QWidget) -> None:
    """How a panel's runs stop reaches it: `runs.run_failed` → `panel.show_failure` and
    `runs.run_cancelled` → `panel.show_cancelled`. The run controller and the comparison under
    other Pythons name these signals alike, and every panel that starts runs shows both."""
    connect_all(
        (runs.run_failed, panel.show_failure),  # type: ignore[attr-defined]
        (runs.run_cancelled, panel.show_cancelled),  # type: ignore[attr-defined]
    )


# After the first frame the window builds the remaining tabs one per event-loop turn, so they
# are ready (and recording results) long before a learner opens one.
IDLE_BUILD_DELAY_MS = 300


class ExperimentTabsMixin:
    """MainWindow's experiment tabs. Needs the attributes below, set by MainWindow.__init__
    before `_make_experiment_tabs` is called."""

    controller: RunController
    experiments: BusyCoordinator
    run_settings: RunSettingsModel
    run_panel: RunPanel
    progress: ProgressStore
    bottom_tabs: QTabWidget
    lesson_panel: LessonPanel
    _console_page: LazyPage[ConsolePanel]  # the example console's tab page
    view_steps: IdleSteps  # a finished run shown in steps (RunViewsMixin)
    menus: MainMenus
    _experiment: str
    _start_methods: tuple[str, ...]

    def _make_experiment_tabs(self) -> None:
        """Create the (unbuilt) pages and add them to the bottom tabs."""
        self._interpreter_runs: InterpreterRunController | None = None
        self._exercise_checks: ExerciseCheckController | None = None
        self._code_page = LazyPage(self._build_code_panel, "codePage")
        self._breakdown_page = LazyPage(self._build_time_breakdown, "timeBreakdownPage")
        self._pythons_page = LazyPage(self._build_interpreters_panel, "otherPythonsPage")
        self._methods_page = LazyPage(self._build_start_method_panel, "startMethodsPage")
        self._exercises_page = LazyPage(self._build_exercises_panel, "exercisesPage")
        self._lazy_pages: tuple[LazyPage, ...] = (
            self._console_page,  # first: a lesson's example link runs in it
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
        # The idle build's next turn. A timer object, not QTimer.singleShot(0, ...): Qt posts a
        # zero single shot as a call, and in a chain of those two build steps ran back to back
        # with no timer, repaint or click between them (stalls of 70-107 ms after a first run).
        self._build_turn = QTimer(self, singleShot=True)  # type: ignore[arg-type]
        self._build_turn.timeout.connect(self._build_next_tab_when_idle)
        # Every run's result reaches the time breakdown, even one made before that tab was built
        # (kept until it is). Building tabs when a run starts stalled the first click ~120 ms.
        self._results_for_breakdown: list[RunResult] | None = []
        self.controller.run_finished.connect(self._keep_result_for_breakdown)
        self.run_settings.subscribe(self._on_run_setting_changed)
        # One experiment at a time: while any runs, every run button and action waits.
        self.experiments.busy_changed.connect(self._on_experiments_busy_changed)
        self.experiments.track(self.controller)

    @property
    def console(self) -> ConsolePanel:
        return self._console_page.panel()

    def _build_console_panel(self) -> BuildSteps[ConsolePanel]:
        """The example console: runs a lesson's example or snippet as a program of its own."""
        yield from import_steps("tutor.ui.panels.console_panel")
        from tutor.ui.panels.console_panel import ConsolePanel

        console = ConsolePanel()
        # An example in the console too: the run panel waits, and its Cancel stops it.
        self.experiments.track(console)
        self.run_panel.cancel_requested.connect(console.stop)
        return console

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

    def _build_exercises_panel(self) -> BuildSteps[ExercisesPanel]:
        """Fix-the-program exercises, each checked by really running it (off the GUI thread)."""
        yield from import_steps(
            "tutor.controller.exercise_checks",
            "tutor.ui.widgets.code_editor_view",
            "tutor.ui.panels.exercises_panel",
        )
        from tutor.controller.exercise_checks import ExerciseCheckController
        from tutor.ui.panels.exercises_panel import ExercisesPanel

        checks = self._exercise_checks = ExerciseCheckController(self)
        self.experiments.track(checks)
        panel = ExercisesPanel(load_exercises(), self.progress)
        panel.check_requested.connect(checks.start)
        checks.busy_changed.connect(panel.set_busy)
        checks.check_finished.connect(panel.show_check_result)
        panel.progress_changed.connect(self._update_course_progress)
        return panel

    def show_tab(self, panel: QWidget) -> None:
        """Bring the bottom tab holding `panel` to the front."""
        page = next((p for p in self._lazy_pages if p.is_built and p.panel() is panel), panel)
        self.bottom_tabs.setCurrentWidget(page)

    def current_tab(self) -> QWidget:
        """The panel of the bottom tab in front."""
        page = self.bottom_tabs.currentWidget()
        return page.panel() if isinstance(page, LazyPage) else page

    def build_all_tabs(self, *_: object) -> None:
        for page in self._lazy_pages:
            page.panel()

    def _on_tab_built(self, _panel: QWidget) -> None:
        self.menus.zoom.refresh()  # fonts the panel set for itself follow the window's zoom
        self._on_experiments_busy_changed()  # a panel built mid-run starts out waiting

    def _keep_result_for_breakdown(self, result: RunResult) -> None:
        if self._results_for_breakdown is not None:  # the panel is not made yet
            self._results_for_breakdown.append(result)

    def _build_next_tab_when_idle(self) -> None:
        if not self.isVisible():
            return  # closed meanwhile: nothing left to build for
        # A run's updates come first; build when it is over and its result is shown (a build
        # step and a step of the result due in the same turn ran one after the other). Nor
        # before the lesson's colours are on screen: their thread shares the GIL (a build step
        # then held the window twice as long: an 88 ms gap after the first run), and their
        # slices painted after a run, between build steps, made 65-80 ms gaps of the two
        # (ui_responsiveness.py --profile).
        if (
            self._experiment_busy()
            or self.view_steps.pending
            or self.lesson_panel.view().colours_to_come()
        ):
            self._build_turn.start(IDLE_BUILD_DELAY_MS)
            return
        page = next((page for page in self._lazy_pages if not page.build_step()), None)
        if page is not None:  # one small step per turn (LazyPage.build_step): no long stall
            self._build_turn.start(0)

    def _other_python_busy(self) -> bool:
        return self._interpreter_runs is not None and self._interpreter_runs.busy

    def _experiment_busy(self) -> bool:
        """A run of the controller or a comparison under other Pythons: what closing the
        window would stop (an exercise check just ends with it)."""
        return self.controller.busy or self._other_python_busy()

    def _build_code_panel(self) -> BuildSteps[CodeEditorPanel]:
        """The learner's own function runs through the same controller, with the panel's N."""
        yield from import_steps("tutor.content.learner_code", "tutor.ui.panels.code_editor_panel")
        from tutor.ui.panels.code_editor_panel import CodeEditorPanel

        code, settings, controller = CodeEditorPanel(), self.run_settings, self.controller
        connect_all(
            (code.runs_requested, self._on_code_runs_requested),  # the editor stays in view
            (code.cancel_requested, controller.cancel),
            (controller.busy_changed, code.set_busy),
            (controller.run_started, code.show_started),
            (controller.run_finished, code.show_finished),
            (controller.output_arrived, code.show_output),
        )
        connect_stops(controller, code)
        code.set_workers(settings.workers)  # and after every change: _on_run_setting_changed
        code.set_start_method(settings.start_method)
        code.set_process_mode(settings.process_api)
        code.set_busy(controller.busy)
        return code

    def _on_run_setting_changed(self, setting: Setting, _value: object) -> None:
        if setting is Setting.START_METHOD:
            self._update_machine_summary()
        if not self._code_page.is_built:
            return
        code, settings = self.code_panel, self.run_settings
        if setting is Setting.WORKERS:
            code.set_workers(settings.workers)
        elif setting is Setting.START_METHOD:
            code.set_start_method(settings.start_method)
        elif setting is Setting.PROCESS_API:
            code.set_process_mode(settings.process_api)

    def _build_time_breakdown(self) -> BuildSteps[TimeBreakdownPanel]:
        """Where the time goes: breakdown bars of each run, and the chunk-size sweep."""
        yield from import_steps(
            "tutor.ui.charts.breakdown_chart",
            "tutor.ui.charts.chunk_size_chart",
            "tutor.ui.panels.time_breakdown_panel",
        )
        from tutor.ui.charts.breakdown_chart import BreakdownChartView
        from tutor.ui.charts.chunk_size_chart import ChunkSizeChartView
        from tutor.ui.panels.time_breakdown_panel import TimeBreakdownPanel

        bars = BreakdownChartView()  # each chart a step: a chart is the most one step may cost
        yield
        sizes = ChunkSizeChartView()
        yield
        breakdown = TimeBreakdownPanel(charts=(bars, sizes))
        controller = self.controller
        breakdown.attach_run_settings(self.run_settings)
        breakdown.sweep_requested.connect(self._on_chunk_sweep_requested)
        controller.run_finished.connect(breakdown.add_result)
        controller.batch_finished.connect(breakdown.end_sweep)
        for result in self._results_for_breakdown or ():  # runs made before this tab existed
            breakdown.add_result(result)
        self._results_for_breakdown = None  # from now on run_finished reaches the panel
        return breakdown

    def _build_interpreters_panel(self) -> BuildSteps[InterpretersPanel]:
        """The same run under other Pythons found on this machine."""
        yield from import_steps(
            "tutor.controller.interpreter_runs",
            "tutor.ui.charts.interpreter_chart",
            "tutor.ui.panels.interpreters_panel",
        )
        from tutor.controller.interpreter_runs import InterpreterRunController
        from tutor.ui.charts.interpreter_chart import InterpreterChartView
        from tutor.ui.panels.interpreters_panel import InterpretersPanel

        chart = InterpreterChartView()
        yield
        others, runs = InterpretersPanel(chart=chart), InterpreterRunController(self)
        self._interpreter_runs = runs
        # While another Python runs, the run panel waits, and its Cancel stops that too.
        self.experiments.track(runs)
        connect_all(
            (runs.busy_changed, others.set_busy),
            (self.run_panel.cancel_requested, runs.cancel),
            (others.scan_requested, runs.scan),
            (others.run_requested, runs.start),
            (others.cancel_requested, runs.cancel),
            (runs.scanning_changed, others.set_scanning),
            (runs.interpreters_found, others.set_interpreters),
            (runs.step_started, others.show_step),
            (runs.results_arrived, others.add_results),
            (runs.batch_finished, others.show_finished),
        )
        connect_stops(runs, others)
        return others

    def _build_start_method_panel(self) -> BuildSteps[StartMethodPanel]:
        """Start methods compared: the start-up of spawn, forkserver and fork."""
        yield from import_steps("tutor.ui.panels.start_method_panel")
        from tutor.ui.panels.start_method_panel import StartMethodChartView, StartMethodPanel

        chart = StartMethodChartView()
        yield
        methods = StartMethodPanel(self._start_methods, chart=chart)
        controller = self.controller
        connect_all(
            (methods.comparison_requested, self._on_start_method_comparison_requested),
            # Start-up needs no sequential baseline: the comparison runs just the three.
            (methods.runs_requested, self._on_start_method_runs_requested),
            (controller.run_finished, methods.add_result),
        )
        connect_stops(controller, methods)
        return methods

    def _on_code_runs_requested(self, configs: list[RunConfig]) -> None:
        if not self.experiments.busy_besides(self.controller) and self.controller.start(configs):
            self._experiment = "Your function"

    def _on_start_method_runs_requested(self, configs: list[RunConfig]) -> None:
        if self.experiments.busy_besides(self.controller):
            return
        if self.controller.start(configs, measure_baseline=False):
            self._experiment = "Start methods"

    def _on_start_method_comparison_requested(self) -> None:
        if self._experiment_busy():
            return
        settings = self.run_settings
        self.start_method_panel.start_comparison(settings.config(settings.process_api))

    def _on_experiments_busy_changed(self, *_: object) -> None:
        """Any experiment started or ended: every panel's run buttons and actions follow."""
        busy = self.experiments.busy
        self.run_panel.set_busy(busy)  # its actions too: the Run menu holds the same ones
        console = self.console if self._console_page.is_built else None  # else not running
        self.lesson_panel.set_examples_enabled(not self.experiments.busy_besides(console))
        if self._breakdown_page.is_built:
            self.time_breakdown.set_busy(busy)
        if self._methods_page.is_built:
            self.start_method_panel.set_busy(busy)
        if self._pythons_page.is_built:
            self.interpreters_panel.set_other_busy(
                self.experiments.busy_besides(self.interpreter_runs)
            )
        if self._code_page.is_built:
            self.code_panel.set_other_busy(self.experiments.busy_besides(self.controller))

    def _on_chunk_sweep_requested(self, pairs: list[tuple[int, RunConfig]]) -> None:
        if self.experiments.busy_besides(self.controller):
            return
        if self.controller.start([config for _size, config in pairs], measure_baseline=False):
            self._experiment = "Chunk-size sweep"
            self.time_breakdown.begin_sweep(pairs)
            self.bottom_tabs.setCurrentWidget(self._breakdown_page)
