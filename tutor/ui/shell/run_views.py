"""The main window's wiring of run requests and controller signals to the views.

A click asks the run controller for a batch; the controller's signals reach the run panel,
the timeline, the timing chart, the results table and the reliability warning here
(docs/architecture.md, "A run, from the click to the chart"). A mixin of MainWindow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QWidget

from tutor.content.examples import get_example
from tutor.content.links import RunRequest
from tutor.controller.busy import BusyCoordinator
from tutor.controller.run_controller import RunController
from tutor.engine.records import Progress, RunConfig, RunResult, WorkerFailure
from tutor.engine.repeats import size_advice
from tutor.models.run_plans import kind_for_mode
from tutor.models.run_settings import RunSettingsModel
from tutor.ui.charts.amdahl_view import AmdahlSummaryView
from tutor.ui.charts.timeline_chart import TimelineChartView
from tutor.ui.charts.timing_chart import TimingChartView
from tutor.ui.panels.lesson_view import LessonPanel
from tutor.ui.panels.results_table import ResultsTableView
from tutor.ui.panels.run_panel import RunPanel
from tutor.ui.shell.idle_steps import IdleSteps
from tutor.ui.widgets.announcer import Announcer
from tutor.ui.widgets.reliability_view import ReliabilityWarningView

if TYPE_CHECKING:
    from tutor.engine.events import RunStarted  # a run's: loaded with the run machinery
    from tutor.ui.dialogs.quiz_dialog import QuizDialog
    from tutor.ui.panels.console_panel import ConsolePanel

# Experiments that plot on their own tab: their runs never touch the main timing chart.
OWN_CHART_EXPERIMENTS: tuple[str, ...] = ("Chunk-size sweep", "Start methods")


class RunViewsMixin:
    """MainWindow's run wiring. Needs the attributes below, set by MainWindow.__init__."""

    controller: RunController
    experiments: BusyCoordinator
    run_settings: RunSettingsModel
    run_panel: RunPanel
    lesson_panel: LessonPanel
    timing_chart: TimingChartView
    timeline_chart: TimelineChartView
    amdahl_summary: AmdahlSummaryView
    results_table: ResultsTableView
    reliability_warning: ReliabilityWarningView
    console: ConsolePanel
    _console_page: QWidget  # the example console's tab page (a LazyPage)
    bottom_tabs: QTabWidget
    announcer: Announcer
    quiz_dialog: QuizDialog | None
    _experiment: str
    _lesson_link: str
    _chart_key: tuple | None
    _last_speedup: RunResult | None

    def _connect(self) -> None:
        """Run requests to the controller, and its signals to the views."""
        panel, controller = self.run_panel, self.controller
        # A finished run is shown in small steps, one per event-loop turn (see idle_steps);
        # the batch ends (batch_finished, not busy) once the last of them ran.
        self.view_steps = IdleSteps(self)  # type: ignore[arg-type]
        controller.set_end_gate(self.view_steps.when_idle)
        self._runs_started = 0  # a step showing an older run than the newest started skips
        panel.runs_requested.connect(self._on_runs_requested)
        panel.cancel_requested.connect(controller.cancel)
        controller.run_started.connect(self._on_run_started)
        controller.chunks_finished.connect(self.timeline_chart.add_chunks)
        # The timeline describes a run when it ends, never mid-run: a pause in the chunks (a
        # busy machine makes many) would make a screen reader re-read a focused chart.
        for ended in (controller.run_failed, controller.run_cancelled):
            ended.connect(lambda *_: self.timeline_chart.finish_run())
        controller.batch_finished.connect(self.timeline_chart.finish_run)
        controller.progress_changed.connect(self._on_progress_changed)
        controller.run_finished.connect(self._on_run_finished)
        controller.run_failed.connect(self._on_run_failed)
        controller.run_cancelled.connect(self._on_run_cancelled)
        self.lesson_panel.run_requested.connect(self._on_lesson_run_requested)
        self.lesson_panel.example_requested.connect(self._on_example_requested)
        self.lesson_panel.snippet_requested.connect(self._on_snippet_requested)
        self.timing_chart.amdahl_fit_changed.connect(self.amdahl_summary.show_fit)
        self.timing_chart.amdahl_advice_changed.connect(self.amdahl_summary.show_advice)

    def _on_runs_requested(self, configs: list[RunConfig]) -> None:
        self.bottom_tabs.setCurrentWidget(self.results_table)
        if self.controller.start(configs, repeats=self.run_settings.repeat_policy()):
            label = "Sweep" if len(configs) > 1 else f"Run {configs[0].label()}"
            self._experiment = self._lesson_link or label
            # Not "idle" and "Ready." while the helper starts (0.5-4 s on a busy machine).
            self.run_panel.show_requested("the sweep" if len(configs) > 1 else configs[0].label())
        self._lesson_link = ""

    def _on_run_started(self, started: RunStarted) -> None:
        self._runs_started += 1
        self.run_panel.show_started(started, self.controller.step_of(started.config))
        # Say what runs now, not how the last run ended; the last run's warning is not about
        # this one (issue #19).
        self.statusBar().showMessage(self.run_panel.run_status.text())
        self.reliability_warning.hide_while_running()
        self.timeline_chart.start_run(started.config)
        key = self._key(started.config)
        if self._experiment in OWN_CHART_EXPERIMENTS:
            return  # an experiment with its own chart leaves the learner's sweep alone
        if key != self._chart_key:
            self.timing_chart.clear(refresh=False)
            self._refresh_timing_chart()
            self._chart_key = key

    def _on_progress_changed(self, progress: Progress) -> None:
        self.run_panel.show_progress(progress)

    def _on_run_finished(self, result: RunResult) -> None:
        # Steps left from the run before go first: its row is in the table before this one's.
        # (Usually none: they ran while this run went. Steps are timers, and a short run's
        # result can overtake them.)
        self.view_steps.run_all()
        # The status line and the prediction now (cheap, and the next run's start must find
        # them done); the table, the charts and the summaries in steps of their own.
        self.run_panel.show_finished(
            result.config.label(), result.wall_s, result.speedup, len(result.repeats)
        )
        # E.g. a lesson link's size, too small for this machine. Not for a baseline the batch
        # added: its compared run says so if it should (threads on waiting work never should).
        step = self.controller.step_of(result.config)
        added_baseline = step is not None and step[2]
        # Only a size calibrated here is known to take 1-2 s; a fixed default is a guess.
        calibration = self.size_defaults.calibration
        default = calibration.size_for(result.config.workload) if calibration else None
        note = None if added_baseline else size_advice(result, default)
        if note is not None:
            # On the run's status line too: the batch's announcement reads that line into the
            # status bar, and would otherwise replace the note there before one could read it.
            self.run_panel.add_status_note(note)
            self.statusBar().showMessage(note, 15_000)
        self.run_panel.show_prediction(result)
        if result.config.uses_processes and result.speedup is not None:
            self._last_speedup = result
            if self.quiz_dialog is not None:  # an open quiz quotes the newest measurement
                self.quiz_dialog.set_measured_speedup(self._speedup_text())
        sequential = result.config.mode == "sequential"
        experiment, started = self._experiment, self._runs_started
        steps = self.view_steps
        steps.add(
            lambda: self.results_table.add_result(result, sequential, experiment)  # row first
        )
        steps.add(lambda: self._show_in_timeline(result, started), key=self.timeline_chart)
        if experiment not in OWN_CHART_EXPERIMENTS:
            self.timing_chart.add_result(result, refresh=False)  # drawn once per turn, below
            self._refresh_timing_chart()
        steps.add(lambda: self._show_reliability(result, started), key=self.reliability_warning)
        # Several of the steps change each chart: each paints once, after the last of them.
        steps.hold_painting(self.timeline_chart, self.timing_chart)

    def _refresh_timing_chart(self) -> None:
        """Redraw the timing chart in two steps of their own (plot, then fit and legend)."""
        chart = self.timing_chart
        self.view_steps.add(chart.refresh_plot, key=(chart, "plot"))
        self.view_steps.add(chart.refresh_summary, key=(chart, "summary"))

    def _show_reliability(self, result: RunResult, started: int) -> None:
        """Take `result`'s verdict; keep the warning hidden if a later run started meanwhile."""
        self.reliability_warning.show_result(result)
        if started != self._runs_started:
            self.reliability_warning.hide_while_running()

    def _show_in_timeline(self, result: RunResult, started: int) -> None:
        """Show `result`'s chunks, unless a later run started meanwhile (its chunks are coming
        in: the chart already moved on, as it did when this step ran at once)."""
        if started == self._runs_started:
            self.timeline_chart.show_result(result)  # repeats end on any run: show this one

    def _on_run_failed(self, config: RunConfig, failure: WorkerFailure) -> None:
        self.run_panel.show_failure(config, failure)
        self.reliability_warning.show_last_verdict()

    def _on_run_cancelled(self, config: RunConfig) -> None:
        self.run_panel.show_cancelled(config, self.controller.step_of(config))
        self.reliability_warning.show_last_verdict()

    def _on_lesson_run_requested(self, request: RunRequest) -> None:
        if self.experiments.busy:
            # The settings shown must stay those of the run going: changed under it, they no
            # longer matched the results it then showed, and the link's run never started.
            self.statusBar().showMessage(
                "A run is still going: the lesson's link works once it has finished "
                "(or press Cancel first).",
                8000,
            )
            return
        self.run_settings.apply_request(
            request.workload, request.size, request.workers, request.mode
        )
        self.statusBar().showMessage(
            "The run panel is set up as the lesson suggests: press a Run button.", 6000
        )
        if request.start:
            self._lesson_link = "Lesson link"
            self.run_panel.run_buttons[kind_for_mode(request.mode)].click()
            self._lesson_link = ""

    def _on_example_requested(self, example_id: str) -> None:
        try:
            example = get_example(example_id)
        except KeyError:
            self.statusBar().showMessage(f"No example called {example_id!r}.", 6000)
            return
        self.bottom_tabs.setCurrentWidget(self._console_page)
        self.console.run_example(example)

    def _on_snippet_requested(self, snippet: object) -> None:
        self.bottom_tabs.setCurrentWidget(self._console_page)
        self.console.run_example(snippet)  # a RunnableSnippet: id, title, path

    @staticmethod
    def _key(config: RunConfig) -> tuple:
        return (config.workload, config.size, config.function, config.start_method, config.chunks)
