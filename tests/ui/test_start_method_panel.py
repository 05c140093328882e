"""The start-method comparison: which runs it asks for, and how it shows their start-up."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tutor.analysis.startup_costs import StartupCost, fastest_and_slowest
from tutor.engine.records import ChunkTiming, RunConfig, RunResult, WorkerFailure
from tutor.engine.start_methods import comparison_configs
from tutor.ui.panels.start_method_panel import (
    METHOD_NOTES,
    StartMethodPanel,
    costs_summary,
    format_startup,
)

BASE = RunConfig("primes", 100_000, "processes", 2)
ALL = ("fork", "spawn", "forkserver")


def chunk(worker: int, index: int, start: float, end: float) -> ChunkTiming:
    return ChunkTiming(worker, worker, index, 100, start, end, end - start)


def result(config: RunConfig, first: float, second: float) -> RunResult:
    """A run whose two workers began their first chunks at `first` and `second`."""
    chunks = (
        chunk(101, 0, first, first + 0.5),
        chunk(102, 1, second, second + 0.5),
        chunk(101, 2, first + 0.5, first + 1.0),
    )
    return RunResult(config, 9592, first + 1.2, first, 1.0, chunks, 3)


def test_configs_cover_every_available_method_in_a_fixed_order():
    configs = comparison_configs(BASE, ALL)
    assert [c.start_method for c in configs] == ["spawn", "forkserver", "fork"]
    assert all(replace(c, start_method="spawn") == BASE for c in configs)
    assert [c.start_method for c in comparison_configs(BASE, ("spawn",))] == ["spawn"]
    threads = comparison_configs(replace(BASE, mode="threads"), ALL)
    assert {c.mode for c in threads} == {"processes"}
    executor = comparison_configs(replace(BASE, mode="executor"), ALL)
    assert {c.mode for c in executor} == {"executor"}


def test_startup_cost_of_a_run():
    cost = StartupCost.of(result(replace(BASE, start_method="fork"), 0.01, 0.03))
    assert cost.method == "fork"
    assert cost.first_ready_s == pytest.approx(0.01)
    assert cost.all_ready_s == pytest.approx(0.03)
    assert cost.workers_seen == 2
    costs = [cost, replace(cost, method="spawn", first_ready_s=0.3)]
    fastest, slowest = fastest_and_slowest(costs)
    assert (fastest.method, slowest.method) == ("fork", "spawn")
    assert fastest_and_slowest(costs[:1]) is None


@pytest.fixture
def panel(qtbot) -> StartMethodPanel:
    view = StartMethodPanel(ALL)
    qtbot.addWidget(view)
    view.resize(900, 260)
    return view


def test_the_button_asks_and_the_panel_answers_with_the_runs(panel, qtbot):
    assert panel.compare_button.objectName() == "compareStartMethodsButton"
    assert panel.summary.objectName() == "startMethodSummary"
    with qtbot.waitSignal(panel.comparison_requested):
        panel.compare_button.click()
    with qtbot.waitSignal(panel.runs_requested) as asked:
        configs = panel.start_comparison(BASE)
    assert asked.args[0] == configs == panel.pending()
    assert [c.start_method for c in configs] == ["spawn", "forkserver", "fork"]
    panel.set_busy(True)
    assert not panel.compare_button.isEnabled()
    with qtbot.assertNotEmitted(panel.comparison_requested):
        panel.compare_button.click()


def test_results_fill_the_chart_and_the_summary(panel):
    configs = panel.start_comparison(BASE)
    times = {"spawn": (0.30, 0.34), "forkserver": (0.20, 0.22), "fork": (0.01, 0.015)}
    panel.add_result(result(replace(BASE, workers=3), 9.0, 9.0))  # another run: ignored
    assert panel.costs() == []
    for config in reversed(configs):
        panel.add_result(result(config, *times[config.start_method]))
    assert [c.method for c in panel.costs()] == ["spawn", "forkserver", "fork"]
    heights = panel.chart.bar_heights()
    assert heights == {m: (pytest.approx(a), pytest.approx(b)) for m, (a, b) in times.items()}
    text = panel.summary.text()
    assert "spawn: 300 ms · 340 ms" in text
    assert "forkserver: 200 ms · 220 ms" in text
    assert "fork: 10 ms · 15 ms" in text
    assert "fork was ready 30× sooner than spawn" in text
    assert panel.pending() == []
    assert "Done" in panel.status.text()
    assert panel.chart.accessibleDescription() == text.replace("\n", " ")
    ticks = panel.chart.getPlotItem().getAxis("bottom")._tickLevels[0]
    assert [name for _x, name in ticks] == ["spawn", "forkserver", "fork"]
    assert "hatched: all ready" in panel.chart.getPlotItem().getAxis("bottom").labelText


def test_a_failure_or_cancel_ends_the_comparison(panel):
    configs = panel.start_comparison(BASE)
    panel.add_result(result(configs[0], 0.3, 0.3))
    panel.show_failure(configs[1], WorkerFailure("died", "worker 7 died"))
    assert panel.pending() == []
    assert "failed at forkserver" in panel.status.text()
    assert [c.method for c in panel.costs()] == ["spawn"]
    panel.show_cancelled(configs[2])  # no longer pending: nothing changes
    assert "failed at forkserver" in panel.status.text()
    configs = panel.start_comparison(BASE)
    assert panel.costs() == [] and panel.summary.text() == ""
    panel.show_cancelled(configs[0])
    assert "cancelled at spawn" in panel.status.text()


def test_the_trade_offs_are_explained(panel):
    notes = panel.notes.toPlainText()
    for method in ("spawn", "forkserver", "fork"):
        assert f"{method} {METHOD_NOTES[method][:20]}" in notes
    assert "deadlock" in METHOD_NOTES["fork"] and "slowest" in METHOD_NOTES["spawn"]
    assert "server" in METHOD_NOTES["forkserver"]
    tip = panel.compare_button.toolTip()
    assert all(METHOD_NOTES[m] in tip for m in METHOD_NOTES)
    assert "deadlock" in panel.chart.toolTip()
    only_spawn = StartMethodPanel(("spawn",))
    assert "forkserver" not in only_spawn.notes.toPlainText()
    only_spawn.deleteLater()


def test_the_notes_hold_for_python_3_12_to_3_14():
    fork = METHOD_NOTES["fork"]
    # The 3.12+ warning is a DeprecationWarning nobody sees unless they ask for it.
    assert "DeprecationWarning" in fork and "-W default" in fork
    # The helper that forks runs a thread of its own: fork there is safer, not safe.
    assert "fork is safe" not in fork and "thread of its own" in fork
    # forkserver's workers import the main module as spawn's do.
    assert "guard" in METHOD_NOTES["forkserver"] and "3.14" in METHOD_NOTES["forkserver"]


def test_the_run_panel_says_whose_default_spawn_is():
    from tutor.ui.panels.run_panel import START_METHOD_TIPS

    assert "this app's default" in START_METHOD_TIPS["spawn"]
    assert "(default)" not in START_METHOD_TIPS["spawn"]


def test_summary_of_nothing_is_empty_and_times_read_in_milliseconds():
    assert costs_summary([]) == ""
    assert format_startup(0.0561) == "56.1 ms"
    assert format_startup(0.00844) == "8.44 ms"
    assert format_startup(1.234) == "1.23 s"
