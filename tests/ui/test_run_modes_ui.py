"""Every run mode looks like itself in the window: one style table covers the registry, the
process API choice lists every process mode, and loky runs as its own series."""

from __future__ import annotations

from fake_results import chart_result

from tutor.engine.modes import ALL_MODES, PARALLEL_MODES, PROCESS_MODES, spec_of, unavailable_reason
from tutor.ui.run_panel import RunPanel
from tutor.ui.timing_chart import MODE_STYLES, TimingChartView, style_of


def test_the_style_table_covers_every_mode():
    """A mode added to engine.modes without a style fails here, not in the learner's window."""
    missing = [mode for mode in (*PARALLEL_MODES, "sequential") if mode not in MODE_STYLES]
    assert missing == []
    assert set(MODE_STYLES) <= set(ALL_MODES)  # no style for a mode that does not exist
    looks = [(s.color, s.symbol) for s in MODE_STYLES.values()]
    assert len(set(looks)) == len(looks)  # never two modes that look alike
    assert len({s.label for s in MODE_STYLES.values()}) == len(MODE_STYLES)


def test_a_mode_without_a_style_still_draws(qtbot, monkeypatch):
    monkeypatch.delitem(MODE_STYLES, "asyncio")
    assert style_of("asyncio").label == "asyncio"
    chart = TimingChartView()  # builds a series for every parallel mode
    qtbot.addWidget(chart)
    chart.add_result(chart_result("sequential", 1, 2.0, None))
    chart.add_result(chart_result("asyncio", 2, 1.0, 2.0))
    assert chart.series_points("asyncio") == [(2, 1.0)]
    assert "Other" not in chart.summary_text() and "asyncio" in chart.summary_text()


def test_the_process_api_offers_every_process_mode(qtbot):
    panel = RunPanel(("spawn",))
    qtbot.addWidget(panel)
    choice = panel.process_api
    offered = [choice.itemData(i) for i in range(choice.count())]
    assert offered == list(PROCESS_MODES)
    assert [choice.itemText(i) for i in range(choice.count())] == [
        spec_of(mode).title for mode in PROCESS_MODES
    ]
    for index, mode in enumerate(offered):
        enabled = choice.model().item(index).isEnabled()
        assert enabled == (unavailable_reason(mode) is None)
