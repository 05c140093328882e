"""Default sizes calibrated on this machine, in the real window: a real probe in a real child
process, a cached calibration, and the sizes it must never override."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from test_saved_settings import write_ini

from tutor.engine.calibration import CalibratedOn, Calibration, WorkloadSize
from tutor.engine.workloads import WORKLOADS
from tutor.ui.persistence.settings_store import open_settings
from tutor.ui.shell.size_defaults import SETTINGS_KEY


def calibration(primes: int, squares: int, facts: CalibratedOn | None = None) -> Calibration:
    return Calibration(
        facts or CalibratedOn.current(),
        1.5,
        0.12,
        (
            WorkloadSize("primes", 10_000, 0.01, 1.3, primes, 1.5),
            WorkloadSize("squares", 100_000, 0.01, 1.0, squares, 1.5),
        ),
    )


def cached_ini(folder, cal: Calibration, run: str = "") -> None:
    # QSettings' INI syntax: a quoted string, backslash-escaped quotes inside.
    quoted = '"' + cal.to_json().replace("\\", "\\\\").replace('"', '\\"') + '"'
    section, key = SETTINGS_KEY.split("/")
    write_ini(folder, f"[{section}]\n{key}={quoted}\n{run}")


def test_the_first_start_probes_in_a_child_process_and_uses_the_size(make_window, qtbot):
    window = make_window()
    defaults = window.size_defaults
    assert window.run_panel.workload_size.value() == WORKLOADS["primes"].default_size
    with qtbot.waitSignal(defaults.probe.calibrated, timeout=300_000) as probed:
        assert defaults.probe_when_idle(delay_ms=0)
    measured = probed.args[0]
    assert measured.holds_for(CalibratedOn.current())
    assert window.run_panel.workload_size.value() == measured.size_for("primes")
    # Kept for the next start, with the facts it holds for.
    settings = open_settings()[0]
    assert Calibration.from_json(settings.value(SETTINGS_KEY)) == measured
    # (make_window's teardown checks that the probe left no process behind)


def test_a_cached_calibration_sets_the_defaults_without_a_new_probe(make_window, isolated_settings):
    cached_ini(isolated_settings, calibration(420_000, 7_700_000))
    window = make_window()
    panel = window.run_panel
    assert panel.workload_size.value() == 420_000
    assert not window.size_defaults.probe_when_idle(delay_ms=0)
    panel.workload_choice.setCurrentIndex(panel.workload_choice.findData("squares"))
    assert panel.workload_size.value() == 7_700_000
    panel.workload_choice.setCurrentIndex(panel.workload_choice.findData("sleep"))
    assert panel.workload_size.value() == WORKLOADS["sleep"].default_size  # not calibrated


def test_a_calibration_from_another_machine_is_not_used(make_window, isolated_settings):
    other = dataclasses.replace(CalibratedOn.current(), python="CPython 0.1", logical_cpus=999)
    cached_ini(isolated_settings, calibration(420_000, 7_700_000, other))
    window = make_window()
    assert window.run_panel.workload_size.value() == WORKLOADS["primes"].default_size
    assert window.size_defaults.calibration is None
    assert window.size_defaults.probe_when_idle(delay_ms=600_000)  # would measure a new one


def test_a_saved_size_stays_until_the_learner_changes_workload(make_window, isolated_settings):
    cached_ini(isolated_settings, calibration(420_000, 7_700_000), "[run]\nsize=250000\n")
    window = make_window()
    panel = window.run_panel
    assert panel.workload_size.value() == 250_000
    panel.workload_choice.setCurrentIndex(panel.workload_choice.findData("squares"))
    assert panel.workload_size.value() == 7_700_000


def test_a_size_the_learner_typed_is_not_overridden_by_a_late_probe(make_window, qtbot):
    window = make_window()
    spin = window.run_panel.workload_size
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    spin.selectAll()
    qtbot.keyClicks(spin, "123456")
    qtbot.keyClick(spin, Qt.Key.Key_Tab)
    assert spin.value() == 123_456

    window.size_defaults.probe.calibrated.emit(calibration(420_000, 7_700_000))

    assert spin.value() == 123_456
    assert window.size_defaults.calibration is not None  # kept for the next workload change


def test_a_lesson_link_size_wins_over_the_calibrated_default(make_window, isolated_settings):
    cached_ini(isolated_settings, calibration(420_000, 7_700_000))
    window = make_window()
    window.run_panel.apply_request("squares", 1_000_000, 2, None)
    assert window.run_panel.workload_size.value() == 1_000_000
