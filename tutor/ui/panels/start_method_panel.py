"""The "Start methods" tab: one click runs the workload under spawn, forkserver and fork.

The panel asks for runs (a signal of plain configs) and shows what the finished runs cost to
start; the main window hands the configs to the run controller.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tutor.analysis.startup_costs import StartupCost, fastest_and_slowest
from tutor.engine.records import START_METHODS, RunConfig, RunResult, WorkerFailure
from tutor.engine.start_methods import comparison_configs
from tutor.ui.charts.chart_base import ChartView, set_plot_title, style_plot
from tutor.ui.widgets.accessible import DescribedLabel

FIRST_COLOR = "#0072B2"  # first worker ready: solid
ALL_COLOR = "#56B4E9"  # every worker ready: lighter, hatched, so not told apart by colour alone
BAR_WIDTH = 0.36
BAR_KEY = "solid: first ready · hatched: all ready"

METHOD_NOTES: dict[str, str] = {
    "spawn": (
        "starts a fresh Python interpreter for every worker, which then imports your main "
        'module (hence the if __name__ == "__main__": guard) and the function\'s module. '
        "Safe beside threads, Qt's included; the slowest to start. The default on Windows "
        "and macOS."
    ),
    "forkserver": (
        "starts one small, clean server process (a fresh interpreter, like spawn) and asks it "
        "to fork each worker. Safe beside threads, and quick once the server is up; here "
        "every comparison starts a new server, so its cost is included. Its workers import "
        "your main module as spawn's do, so the same rules apply: the guard, picklable "
        "functions. The default on Linux from Python 3.14."
    ),
    "fork": (
        "copies the running process, memory and all: the fastest start, and workers inherit "
        "whatever is already imported. But only the forking thread is copied: a lock another "
        "thread held (Qt runs several) stays locked forever in the child, which can deadlock. "
        "Python 3.12+ flags it with a DeprecationWarning, hidden unless warnings are on "
        "(python -W default); Windows has no fork, and macOS's is unsafe. These runs fork "
        "from a helper process without Qt, far safer than forking the window, though even "
        "the helper runs a small thread of its own (it listens for Cancel)."
    ),
}
TRADE_OFFS = "\n".join(f"{method}: {note}" for method, note in METHOD_NOTES.items())


def trade_offs_html(available: tuple[str, ...]) -> str:
    items = "".join(
        f"<li><b>{method}</b> {note.replace('<', '&lt;')}</li>"
        for method, note in METHOD_NOTES.items()
        if method in available
    )
    return f"<p><b>The trade-offs</b></p><ul style='margin-left: -20px'>{items}</ul>"


def format_startup(seconds: float) -> str:
    """Start-up reads best in milliseconds: 0.0561 -> "56.1 ms", 1.234 -> "1.23 s"."""
    if seconds >= 1:
        return f"{seconds:.3g} s"
    return f"{seconds * 1000:.3g} ms"


def costs_summary(costs: list[StartupCost]) -> str:
    """The measured start-up of each method in plain text, one line each."""
    if not costs:
        return ""
    workers = max(c.workers_seen for c in costs)
    lines = [
        f"First worker ready · all {workers} ready:"
        if workers != 1
        else "The worker process ready after:"
    ]
    for cost in costs:
        lines.append(
            f"{cost.method}: {format_startup(cost.first_ready_s)} · "
            f"{format_startup(cost.all_ready_s)}"
        )
    ranked = fastest_and_slowest(costs)
    if ranked is not None:
        fastest, slowest = ranked
        if fastest.first_ready_s > 0:
            factor = slowest.first_ready_s / fastest.first_ready_s
            lines.append(f"{fastest.method} was ready {factor:.0f}× sooner than {slowest.method}.")
        else:
            lines.append(f"{fastest.method} was ready soonest.")
    return "\n".join(lines)


class StartMethodChartView(ChartView):
    """Two bars per start method: first worker ready, every worker ready."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("startMethodChart", "Start-up time of each start method", parent)
        self.setToolTip(TRADE_OFFS)
        self._costs: list[StartupCost] = []

        item = self.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.showGrid(x=False, y=True, alpha=0.25)
        item.setLabel("left", "seconds")
        # The axis label is the key: a legend inside so short a plot would cover the bars.
        item.setLabel("bottom", BAR_KEY)
        self._first = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH)
        self._all = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH)
        item.addItem(self._first)
        item.addItem(self._all)
        self._labels: list[pg.TextItem] = []
        set_plot_title(self, "Start-up cost by start method")
        self._apply_style()
        self._styled = True
        self._redraw()

    # ----------------------------------------------------------------- public API
    def set_costs(self, costs: list[StartupCost]) -> None:
        self._costs = list(costs)
        self._redraw()

    def costs(self) -> list[StartupCost]:
        return list(self._costs)

    def bar_heights(self) -> dict[str, tuple[float, float]]:
        """method -> (first worker ready, all workers ready), as drawn."""
        return {c.method: (c.first_ready_s, c.all_ready_s) for c in self._costs}

    def summary_text(self) -> str:
        if not self._costs:
            return "Start-up cost by start method: no comparison yet."
        return costs_summary(self._costs).replace("\n", " ")

    # ----------------------------------------------------------------- internals
    def _redraw(self) -> None:
        item = self.getPlotItem()
        xs = list(range(len(self._costs)))
        first = [c.first_ready_s for c in self._costs]
        every = [c.all_ready_s for c in self._costs]
        self._first.setOpts(x=[x - BAR_WIDTH / 2 for x in xs], height=first, width=BAR_WIDTH)
        self._all.setOpts(x=[x + BAR_WIDTH / 2 for x in xs], height=every, width=BAR_WIDTH)
        names = [c.method for c in self._costs] or list(START_METHODS)
        item.getAxis("bottom").setTicks([list(enumerate(names)), []])
        for label in self._labels:
            item.removeItem(label)
        self._labels = []
        foreground = self.palette().color(QPalette.ColorRole.Text)
        for x, value in zip(xs, first, strict=True):
            label = pg.TextItem(format_startup(value), color=foreground, anchor=(0.5, 1.0))
            label.setFont(self.font())
            label.setPos(x - BAR_WIDTH / 2, value)
            item.addItem(label)
            self._labels.append(label)
        top = max(every + first, default=0.0)
        item.setXRange(-0.6, max(len(names), 1) - 0.4, padding=0)
        item.setYRange(0, top * 1.3 if top > 0 else 1.0, padding=0)  # room for the labels
        self.describe()

    def restyle(self) -> None:
        super().restyle()
        self._redraw()

    def _apply_style(self) -> None:
        style_plot(self)
        first = QColor(FIRST_COLOR)
        every = QColor(ALL_COLOR)
        hatch = pg.mkBrush(every)
        hatch.setStyle(Qt.BrushStyle.BDiagPattern)
        outline_first = pg.mkPen(first.darker(150), width=1)
        outline_all = pg.mkPen(every.darker(170), width=1)
        self._first.setOpts(brush=pg.mkBrush(first), pen=outline_first)
        self._all.setOpts(brush=hatch, pen=outline_all)


class StartMethodPanel(QWidget):
    """The comparison button, the start-up chart, the measured numbers and the trade-offs."""

    comparison_requested = Signal()  # the button: the main window answers with a base config
    runs_requested = Signal(object)  # list[RunConfig]: the same run under each start method

    def __init__(
        self,
        available: tuple[str, ...],
        parent: QWidget | None = None,
        *,
        chart: StartMethodChartView | None = None,
    ) -> None:
        """`chart`: the chart, made beforehand (in an idle turn of its own); made here when None."""
        super().__init__(parent, objectName="startMethodPanel")
        self._available = tuple(available)
        self._pending: list[RunConfig] = []
        self._costs: dict[str, StartupCost] = {}
        self._busy = False

        self.compare_button = QPushButton(
            "Compare start methods", objectName="compareStartMethodsButton"
        )
        methods = ", ".join(m for m in START_METHODS if m in self._available)
        self.compare_button.setToolTip(
            f"Runs the run panel's workload with processes under {methods} and compares what "
            "each start method costs before the workers compute.\n\n" + TRADE_OFFS
        )
        self.compare_button.setAccessibleName(f"Compare start methods: {methods}")
        self.compare_button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.compare_button.clicked.connect(self._on_compare_clicked)

        self.status = QLabel(
            f"Runs the run panel's workload under {methods}.", objectName="startMethodStatus"
        )
        self.status.setWordWrap(True)
        self.summary = DescribedLabel(
            "Start-up cost of each start method", objectName="startMethodSummary"
        )
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A side note that scrolls: the tab is short at the default window size.
        self.notes = QTextBrowser(objectName="startMethodNotes")
        self.notes.setHtml(trade_offs_html(self._available))
        self.notes.setFrameShape(QFrame.Shape.NoFrame)
        self.notes.setAccessibleName("Start method trade-offs")
        self.notes.viewport().setAutoFillBackground(False)
        self.notes.setMinimumWidth(200)
        # It scrolls itself: its preferred height must not make the whole tab scroll.
        self.notes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.chart = chart if chart is not None else StartMethodChartView()

        controls = QWidget(objectName="startMethodControls")
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.compare_button)
        column.addWidget(self.status)
        column.addWidget(self.summary)
        column.addStretch(1)
        # Wide enough that the summary's lines do not wrap: it shows whole, unscrolled, in
        # the tab's height at 1280×800.
        controls.setMinimumWidth(240)
        controls.setMaximumWidth(340)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(controls)
        layout.addWidget(self.chart, 3)
        layout.addWidget(self.notes, 2)

    # ----------------------------------------------------------------- public API
    def start_comparison(self, base: RunConfig) -> list[RunConfig]:
        """Ask for `base` under every start method this OS has; returns the configs."""
        configs = comparison_configs(base, self._available)
        self._pending = list(configs)
        self._costs.clear()
        self.chart.set_costs([])
        self.summary.clear()
        self.status.setText(
            f"Comparing {', '.join(c.start_method for c in configs)} on {base.workload} "
            f"N={base.size:,} with {base.workers} process{'es' if base.workers != 1 else ''}…"
        )
        self.runs_requested.emit(configs)
        return configs

    def add_result(self, result: RunResult) -> None:
        """A finished run: counted if it belongs to the comparison under way."""
        if result.config not in self._pending:
            return
        self._pending.remove(result.config)
        self._costs[result.config.start_method] = StartupCost.of(result)
        costs = self.costs()
        self.chart.set_costs(costs)
        self.summary.setText(costs_summary(costs))
        if not self._pending:
            self.status.setText("Done: each bar runs from the run's start to workers ready.")

    def show_failure(self, config: RunConfig, failure: WorkerFailure) -> None:
        """A run of the comparison failed: the batch stops, the rest won't come."""
        self._stop(config, f"failed at {config.start_method}: {failure.message}")

    def show_cancelled(self, config: RunConfig) -> None:
        self._stop(config, f"was cancelled at {config.start_method}")

    def _stop(self, config: RunConfig, how: str) -> None:
        if config not in self._pending:
            return
        self._pending.clear()
        self.status.setText(f"The comparison {how}.")

    def costs(self) -> list[StartupCost]:
        """Measured costs in the fixed method order (spawn, forkserver, fork)."""
        return [self._costs[m] for m in START_METHODS if m in self._costs]

    def pending(self) -> list[RunConfig]:
        return list(self._pending)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.compare_button.setEnabled(not busy)

    # ----------------------------------------------------------------- slots
    def _on_compare_clicked(self) -> None:
        if not self._busy:
            self.comparison_requested.emit()
