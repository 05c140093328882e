"""Table of finished runs: one row per run, numbers formatted for reading, not for parsing."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from tutor.engine.records import RunResult
from tutor.engine.values import format_number
from tutor.ui.widgets.run_notes import cell_note

_Index = QModelIndex | QPersistentModelIndex
_NO_VALUE = "—"


@dataclass(frozen=True)
class Column:
    title: str
    tooltip: str
    numeric: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("Run", "What ran: the mode and the number of workers.", numeric=False),
    Column("Workers", "Number of worker threads or processes (1 for the sequential baseline)."),
    Column(
        "Start method",
        "How worker processes were started (spawn, forkserver or fork). "
        "Threads and the sequential run start no processes.",
        numeric=False,
    ),
    Column(
        "Result",
        "The workload's answer. ✓: same as the sequential baseline; ✗: it differs.",
    ),
    Column("Wall (s)", "Wall-clock time of the whole run, start-up included, in seconds."),
    Column(
        "Start-up (s)",
        "Time from the start of the run until the first chunk began: starting the pool "
        "(processes, interpreters, imports).",
    ),
    Column("Compute (s)", "Time from the first chunk's start to the last chunk's end."),
    Column(
        "Speedup",
        "Sequential wall time ÷ this run's wall time. 2.00× means twice as fast.",
    ),
    Column(
        "Efficiency",
        "Speedup ÷ workers: how much of each worker's potential was used (100% is ideal).",
    ),
    Column(
        "±",
        "Spread of the repeats: (slowest − fastest) ÷ median. Wall is their median. "
        "— : measured once.",
    ),
    Column("Workload", "What was computed (your own function shows as module:function).", False),
    Column("N", "The workload's size: how many numbers it went through."),
    Column("Chunks", "How many pieces the work was cut into."),
    Column("Experiment", "Which button, link or tab made this run.", numeric=False),
)
# ⚠ after a number that cannot be right (engine.repeats.impossible_flags): never shown bare.
DOUBTFUL = " ⚠"


def run_label(result: RunResult, baseline: bool = False) -> str:
    config = result.config
    if config.mode == "sequential":
        return "sequential (baseline)" if baseline else "sequential"
    return f"{config.mode} × {config.workers}"


def format_result(result: RunResult) -> str:
    """Thousands separators for integers, two decimals for floats, and the baseline check."""
    value = result.answer
    text = format_number(value, ",.2f")  # huge ints, nan, Fractions… (engine.values)
    match = result.matches_baseline
    if match is True:
        text += " ✓"
    elif match is False:
        text += " ✗ differs"
    return text


def format_speedup(speedup: float | None) -> str:
    return _NO_VALUE if speedup is None else f"{speedup:.2f}×"


def format_efficiency(efficiency: float | None) -> str:
    return _NO_VALUE if efficiency is None else f"{efficiency * 100:.0f}%"


def row_texts(result: RunResult, baseline: bool = False, experiment: str = "") -> list[str]:
    """The displayed text of every column for one run."""
    config = result.config
    uses_processes = config.uses_processes
    doubtful = DOUBTFUL if doubtful_numbers(result) else ""
    return [
        run_label(result, baseline),
        str(config.workers_used),
        config.start_method if uses_processes else _NO_VALUE,
        format_result(result),
        f"{result.wall_s:.3f}",
        f"{result.startup_s:.3f}",
        f"{result.compute_s:.3f}",
        format_speedup(result.speedup) + (doubtful if result.speedup is not None else ""),
        format_efficiency(result.efficiency) + (doubtful if result.speedup is not None else ""),
        f"±{result.spread:.0%}" if len(result.repeats) > 1 else _NO_VALUE,
        config.function or config.workload,
        f"{config.size:,}",
        str(result.chunk_count),
        experiment or _NO_VALUE,
    ]


def doubtful_numbers(result: RunResult) -> tuple[str, ...]:
    """Why the run's speedup cannot be right, in plain words (empty when it can)."""
    from tutor.engine.repeats import impossible_flags  # Qt-free; light

    return impossible_flags(result)


def noisy_tooltip(result: RunResult) -> str | None:
    """The reasons a noisy run's numbers are doubtful, for its row's tooltip; None if ok."""
    if not result.noisy or result.reliability is None:
        return None
    reasons = "\n".join(f"• {reason}" for reason in result.reliability.reasons)
    return f"Noisy run: do not trust these numbers yet.\n{reasons}"


class ResultsTableModel(QAbstractTableModel):
    """One row per finished run; display text is computed once, when the row is added."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._results: list[RunResult] = []
        self._rows: list[list[str]] = []

    # ----------------------------------------------------------------- public API
    def add_result(self, result: RunResult, baseline: bool = False, experiment: str = "") -> int:
        """Append a row; returns its index. `experiment`: what made the run (a button's name)."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._results.append(result)
        self._rows.append(row_texts(result, baseline, experiment))
        self.endInsertRows()
        return row

    def clear(self) -> None:
        self.beginResetModel()
        self._results.clear()
        self._rows.clear()
        self.endResetModel()

    def result_at(self, row: int) -> RunResult:
        return self._results[row]

    def rows_as_text(self) -> list[list[str]]:
        return [list(row) for row in self._rows]

    # ----------------------------------------------------------------- Qt model interface
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        text = self._rows[index.row()][index.column()]
        column = COLUMNS[index.column()]
        result = self._results[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.AccessibleTextRole:  # the icon says it to the eye only
            return f"{text} (noisy)" if index.column() == 0 and result.noisy else text
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0 and result.noisy:
            style = QApplication.style()
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._cell_tooltip(index.row(), index.column())
        # Checked last and only for its role: every paint asks each cell for ~8 roles, and
        # comparing the answers (matches_baseline) for all of them was a third of the cost of
        # painting the table (profiled with tests/perf/ui_responsiveness.py).
        if (
            role == Qt.ItemDataRole.FontRole
            and column.title == "Result"
            and result.matches_baseline is False
        ):
            font = QFont()  # only the weight is set: the view's font (and size) still applies
            font.setBold(True)  # a wrong answer must stand out, and not by colour alone
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return super().headerData(section, orientation, role)
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return column.tooltip
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ----------------------------------------------------------------- internals
    def _cell_tooltip(self, row: int, column: int) -> str | None:
        result = self._results[row]
        tip = self._plain_tooltip(result, COLUMNS[column].title)
        noisy = noisy_tooltip(result)
        if noisy is not None:  # every cell of a noisy row says why, wherever the mouse is
            return f"{noisy}\n\n{tip}" if tip else noisy
        doubts = doubtful_numbers(result)
        if doubts and COLUMNS[column].title in ("Speedup", "Efficiency"):
            return "\n".join(f"⚠ {doubt}." for doubt in doubts)
        return tip

    @staticmethod
    def _plain_tooltip(result: RunResult, title: str) -> str | None:
        note = cell_note(result, title)  # asyncio start-up, an I/O-bound "compute"
        if note is not None:
            return note
        if title == "Result":
            if result.matches_baseline is False:
                return (
                    f"Differs from the sequential answer ({format_number(result.baseline_answer)})."
                )
            if result.matches_baseline is True:
                return "Same answer as the sequential baseline."
            return "No sequential baseline to compare with yet."
        if title == "Wall (s)":
            return f"{result.wall_s:.6f} s"
        if title in ("Speedup", "Efficiency") and result.speedup is None:
            return "Needs a sequential baseline run."
        return next(c.tooltip for c in COLUMNS if c.title == title)


class _PaddedDelegate(QStyledItemDelegate):
    """Adds a font-relative horizontal margin to each cell, so neighbouring columns don't touch.

    (A style sheet could pad too, but it stops the header from following the view's font.)
    """

    @staticmethod
    def _padding(option: QStyleOptionViewItem) -> int:
        return max(4, option.fontMetrics.averageCharWidth())

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        # One character more than the text measures: a mark such as ✓ or ✗ is drawn from a
        # fallback font, wider than the view's font says, and the cell would elide "9,592…".
        slack = option.fontMetrics.averageCharWidth()
        return QSize(size.width() + 2 * self._padding(option) + slack, size.height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        # Background and selection over the whole cell, then the text inside the margins.
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        pad = self._padding(opt)
        opt.rect = opt.rect.adjusted(pad, 0, -pad, 0)
        opt.backgroundBrush = QBrush()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)


class ResultsTableView(QTableView):
    """The finished runs, newest at the bottom (scrolled into view as they arrive).

    Sizes are kept up to date by the row that arrives, not by measuring every row again: with
    ResizeToContents headers each new row re-measured all of them (through the Python delegate),
    so hundreds of runs stalled the window for seconds per row. Row height follows the font;
    a column widens when a new cell needs it; a font change measures once.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsTable")
        self.setAccessibleName("Results of finished runs")
        self.setAccessibleDescription(
            "One row per finished run: run, workers, start method, result, wall time, start-up "
            "time, compute time, speedup, efficiency, spread of repeats, workload, N, chunks "
            "and the experiment that made it. Noisy runs carry a warning icon."
        )
        self._model = ResultsTableModel(self)
        self.setModel(self._model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setItemDelegate(_PaddedDelegate(self))
        self.setSortingEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        # The columns that answer "was it faster?" come right after Run and Workers, so that a
        # narrow window (1024 px) still shows them; the model's (and the CSV's) order stays.
        titles = [column.title for column in COLUMNS]
        for place, title in enumerate(("Speedup", "Efficiency"), start=2):
            header.moveSection(header.visualIndex(titles.index(title)), place)
        rows = self.verticalHeader()
        rows.setVisible(False)
        # Row height follows the font (readable at 200 %): set from it, not measured per row.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(1)
        self._fit_to_font()

    # ----------------------------------------------------------------- public API
    def results_model(self) -> ResultsTableModel:
        return self._model

    def add_result(self, result: RunResult, baseline: bool = False, experiment: str = "") -> None:
        """Append a row for a finished run and scroll to it."""
        row = self._model.add_result(result, baseline, experiment)
        header = self.horizontalHeader()
        for column in range(self._model.columnCount()):
            needed = self.sizeHintForIndex(self._model.index(row, column)).width()
            if needed > header.sectionSize(column):
                header.resizeSection(column, needed)
        # Rows are only ever appended; scrollToBottom also lays out pending rows first.
        self.scrollToBottom()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_to_font()

    def _fit_to_font(self) -> None:
        """Row height from the font; columns measured once (Qt looks at up to 1,000 rows)."""
        metrics = self.fontMetrics()
        self.verticalHeader().setDefaultSectionSize(
            metrics.height() + max(6, metrics.height() // 3)
        )
        self.resizeColumnsToContents()

    def row_count(self) -> int:
        return self._model.rowCount()

    def clear(self) -> None:
        self._model.clear()

    def rows_as_text(self) -> list[list[str]]:
        return self._model.rows_as_text()
