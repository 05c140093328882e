"""The results table: one formatted row per finished run."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tutor.engine.records import RunConfig, RunResult
from tutor.ui.panels.results_table import COLUMNS, ResultsTableView


def run(
    mode: str,
    workers: int,
    wall_s: float,
    result: int | float = 9592,
    baseline_s: float | None = 2.0,
    baseline_answer: int | float | None = 9592,
    start_method: str = "spawn",
) -> RunResult:
    return RunResult(
        config=RunConfig("primes", 100_000, mode=mode, workers=workers, start_method=start_method),
        answer=result,
        wall_s=wall_s,
        startup_s=0.125,
        compute_s=wall_s - 0.125,
        chunks=(),
        chunk_count=8,
        baseline_s=baseline_s,
        baseline_answer=baseline_answer,
    )


@pytest.fixture
def table(qtbot) -> ResultsTableView:
    view = ResultsTableView()
    qtbot.addWidget(view)
    view.resize(900, 300)
    return view


def test_object_name_and_columns(table):
    assert table.objectName() == "resultsTable"
    model = table.model()
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers == [
        "Run",
        "Workers",
        "Start method",
        "Result",
        "Wall (s)",
        "Start-up (s)",
        "Compute (s)",
        "Speedup",
        "Efficiency",
        "±",
        "Workload",
        "N",
        "Chunks",
        "Experiment",
    ]


def test_every_header_explains_its_column(table):
    model = table.model()
    tips = [
        model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        for i in range(len(COLUMNS))
    ]
    assert all(tips)
    assert "speedup ÷ workers" in tips[8].lower()


def test_rows_text_with_check_marks_and_formatting(table):
    table.add_result(
        run("sequential", 1, 2.0, result=1_234_567, baseline_s=None, baseline_answer=None),
        baseline=True,
    )
    table.add_result(run("processes", 4, 0.52, result=9592))
    table.add_result(run("threads", 2, 2.5, result=9591))

    rows = table.rows_as_text()
    assert table.row_count() == 3
    assert rows[0] == [
        "sequential (baseline)",
        "1",
        "—",
        "1,234,567",
        "2.000",
        "0.125",
        "1.875",
        "—",
        "—",
        "—",
        "primes",
        "100,000",
        "8",
        "—",
    ]
    assert rows[1] == [
        "processes × 4",
        "4",
        "spawn",
        "9,592 ✓",
        "0.520",
        "0.125",
        "0.395",
        "3.85×",
        "96%",
        "—",
        "primes",
        "100,000",
        "8",
        "—",
    ]
    assert rows[2][0] == "threads × 2"
    assert rows[2][2] == "—"  # threads start no processes
    assert rows[2][3] == "9,591 ✗ differs"
    assert rows[2][7:9] == ["0.80×", "40%"]


def test_speedup_and_float_results(table):
    table.add_result(
        run("executor", 2, 1.036, result=21081851.08374, baseline_answer=21081851.08374),
    )
    row = table.rows_as_text()[0]
    assert row[0] == "executor × 2"
    assert row[3] == "21,081,851.08 ✓"
    assert row[7] == "1.93×"
    assert row[8] == "97%"


def test_display_data_matches_rows_and_numbers_align_right(table):
    table.add_result(run("processes", 2, 1.0))
    model = table.model()
    assert model.data(model.index(0, 7)) == "2.00×"
    alignment = model.data(model.index(0, 7), Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    alignment = model.data(model.index(0, 0), Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignLeft


def test_clear(table):
    table.add_result(run("processes", 2, 1.0))
    table.clear()
    assert table.row_count() == 0
    assert table.rows_as_text() == []


def test_new_rows_are_scrolled_into_view(table, qtbot):
    table.resize(600, 140)
    table.show()
    qtbot.waitExposed(table)
    for workers in range(1, 30):
        table.add_result(run("processes", workers, 1.0))
    last = table.row_count() - 1

    def last_row_visible() -> bool:
        rect = table.visualRect(table.model().index(last, 0))
        return table.viewport().rect().contains(rect.center())

    qtbot.waitUntil(last_row_visible, timeout=30_000)  # scrolling happens on a later turn


def test_rows_grow_with_the_font(table, qtbot):
    table.add_result(run("processes", 2, 1.0))
    table.show()
    qtbot.waitExposed(table)
    normal = table.rowHeight(0)
    font = table.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    table.setFont(font)
    qtbot.waitUntil(lambda: table.rowHeight(0) > normal * 1.5)


def test_hundreds_of_runs_keep_every_cell_readable(table, qtbot):
    """Sizes follow each new row (not a re-measure of all rows): still nothing cut off."""
    table.show()
    qtbot.waitExposed(table)
    for index in range(300):
        table.add_result(run("processes", index % 8 + 1, 1.0 + index / 1000))
    wide = run("processes", 2, 12345.678, result=123_456_789_012_345, baseline_answer=None)
    table.add_result(wide)
    assert table.row_count() == 301
    model, header = table.model(), table.horizontalHeader()
    for row in (0, 150, 300):
        assert table.rowHeight(row) >= table.fontMetrics().height()
        for column in range(model.columnCount()):
            needed = table.sizeHintForIndex(model.index(row, column)).width()
            assert header.sectionSize(column) >= needed, (row, COLUMNS[column].title)
    last = table.visualRect(model.index(300, 0))
    assert table.viewport().rect().contains(last.center())  # scrolled to the newest


def test_a_noisy_row_carries_a_warning_icon_and_its_reasons(table):
    from dataclasses import replace

    from tutor.engine.reliability import assess

    quiet = replace(run("processes", 2, 1.0), repeats=(0.98, 1.0, 1.02))
    noisy = replace(
        run("processes", 2, 1.2),
        repeats=(0.9, 1.2, 1.5),
        reliability=assess(0.43, 0.5),
    )
    table.add_result(quiet, experiment="Run with 2 processes")
    table.add_result(noisy, experiment="Sweep 1…2")
    model = table.model()
    icon = Qt.ItemDataRole.DecorationRole
    assert model.data(model.index(0, 0), icon) is None
    assert not model.data(model.index(1, 0), icon).isNull()
    tip = model.data(model.index(1, 4), Qt.ItemDataRole.ToolTipRole)
    assert "other programs used 43% of your CPU" in tip and "repeats differed by 50%" in tip
    assert "(noisy)" in model.data(model.index(1, 0), Qt.ItemDataRole.AccessibleTextRole)
    rows = table.rows_as_text()
    assert rows[0][9:] == ["±4%", "primes", "100,000", "8", "Run with 2 processes"]
    assert rows[1][9] == "±50%" and rows[1][13] == "Sweep 1…2"


def test_an_impossible_speedup_is_never_shown_bare(table):
    # one process "2× faster" than sequential: flagged, with the likely cause on hover
    table.add_result(run("processes", 1, 1.0, baseline_s=2.0))
    row = table.rows_as_text()[0]
    assert row[7] == "2.00× ⚠" and row[8] == "200% ⚠"
    model = table.model()
    tip = model.data(model.index(0, 7), Qt.ItemDataRole.ToolTipRole)
    assert "one worker came out 2.00×" in tip and "other programs" in tip
