"""The run status names each step of a batch and counts what N says (#19)."""

from __future__ import annotations

from window_helpers import RUN_TIMEOUT_MS, click, set_spin


def test_run_with_processes_shows_the_baseline_as_its_first_step(qtbot, window):
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 20_000)  # primes ≤ N: n = 0 … 20,000
    set_spin(qtbot, panel.worker_count, 2)
    said: list[str] = []
    formats: list[str] = []
    # Connected after the window's own slots: sees what they just showed.
    window.controller.run_started.connect(lambda _s: said.append(panel.run_status.text()))
    window.controller.progress_changed.connect(
        lambda _p: formats.append(panel.run_progress.format())
    )
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, panel.run_processes_button)
    assert len(said) == 2, said
    assert said[0].startswith("Step 1 of 2: sequential baseline")
    assert "speedup is measured against it" in said[0]
    assert said[1].startswith("Step 2 of 2: processes × 2")
    # The numbers the workload goes through are named, so 20,001 of them make sense.
    assert any("20,001 / 20,001 numbers (n = 0 … 20,000)" in text for text in formats), formats
    assert all("since Run" in text for text in formats)
    status = panel.run_status.text()
    assert status.startswith("Finished processes × 2 in ")
    # Starting the helper process always takes some time before the run's own clock starts.
    assert "outside the measurement" in status


def test_a_single_run_is_not_called_a_step(qtbot, window):
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 5_000)
    said: list[str] = []
    window.controller.run_started.connect(lambda _s: said.append(panel.run_status.text()))
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        window.controller.start([panel.current_config("threads")], measure_baseline=False)
    assert said == [said[0]] and said[0].startswith("Running threads × ")


def test_pressing_run_says_starting_at_once_not_idle(qtbot, window):
    """Until the first run's helper was up (0.5-4 s on a busy machine) the bar said "idle"
    and the status "Ready.", with every Run button already disabled."""
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 20_000)
    set_spin(qtbot, panel.worker_count, 2)
    started: list[str] = []
    window.controller.run_started.connect(lambda _s: started.append(panel.run_status.text()))
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, panel.run_processes_button)
        assert started == []  # the helper's first event comes through the event loop
        assert panel.run_progress.format() == "starting…"
        assert panel.run_status.text().startswith("Starting processes × 2: ")
    assert started[0].startswith("Step 1 of 2: sequential baseline")  # then the steps
