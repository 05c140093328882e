"""The run panel's default sizes, calibrated on this machine (engine.calibration).

At start the window uses a calibration cached in the settings when it was measured under the
same machine facts; `probe_when_idle` (called by the app once the window is up) measures one in
a child process when there is none. A calibrated size replaces only a *default* size: never a
size restored from the saved settings, typed or stepped by the learner, or set by a lesson link
(those set the size after the workload, so they win).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, QTimer

from tutor.controller.calibration_probe import CalibrationProbe
from tutor.engine.calibration import CalibratedOn, Calibration
from tutor.engine.workloads import WORKLOADS
from tutor.ui.panels.run_panel import RunPanel

SETTINGS_KEY = "calibration/defaultSizes"
SAVED_SIZE_KEY = "run/size"
PROBE_DELAY_MS = 3_000  # after the window has settled; a run going then postpones it


class SizeDefaults(QObject):
    """Applies calibrated default sizes to `panel` and keeps the calibration in `settings`."""

    def __init__(self, panel: RunPanel, settings: QSettings, busy: object = None) -> None:
        """`busy`: a callable telling whether an experiment runs now (the probe then waits,
        so it never competes with a measurement); None: never busy."""
        super().__init__(panel)
        self._panel = panel
        self._settings = settings
        self._busy = busy if callable(busy) else (lambda: False)
        self._facts = CalibratedOn.current()
        self._calibration: Calibration | None = None
        # A size restored from the settings (or chosen by the learner) is theirs: keep it.
        self._size_is_default = not settings.contains(SAVED_SIZE_KEY)
        self.probe = CalibrationProbe(self)
        self.probe.calibrated.connect(self._on_calibrated)
        panel.workload_choice.currentIndexChanged.connect(self._on_workload_changed)
        panel.workload_size.valueChanged.connect(self._on_size_changed)
        cached = Calibration.from_json(settings.value(SETTINGS_KEY))
        if cached is not None and cached.holds_for(self._facts):
            self._use(cached)

    @property
    def calibration(self) -> Calibration | None:
        """The calibration in use (None: the fixed defaults)."""
        return self._calibration

    def default_size(self, workload: str) -> int | None:
        """The default N of `workload`: calibrated where known, else the fixed one."""
        fixed = WORKLOADS.get(workload)
        calibrated = self._calibration.size_for(workload) if self._calibration else None
        return calibrated or (fixed.default_size if fixed else None)

    def probe_when_idle(self, delay_ms: int = PROBE_DELAY_MS) -> bool:
        """Measure a calibration in a child process unless a valid one is in use; True when
        one will be measured. Waits for `delay_ms`, then for any running experiment."""
        if self._calibration is not None:
            return False
        QTimer.singleShot(delay_ms, self, self._start_probe)  # dropped if we are gone
        return True

    def shutdown(self) -> None:
        """Stop a probe in progress (the window is closing)."""
        self.probe.shutdown()

    # --- slots ----------------------------------------------------------------------------

    def _start_probe(self) -> None:
        if self._calibration is not None or self.probe.busy:
            return
        if self._busy():
            QTimer.singleShot(PROBE_DELAY_MS, self, self._start_probe)
            return
        self.probe.start()

    def _on_calibrated(self, calibration: Calibration) -> None:
        self._settings.setValue(SETTINGS_KEY, calibration.to_json())
        self._settings.sync()
        self._use(calibration)

    def _on_workload_changed(self) -> None:
        # The panel has just put the workload's fixed default in (its slot runs first).
        workload = self._panel.workload_choice.currentData()
        self._size_is_default = True
        self._apply(workload)

    def _on_size_changed(self) -> None:
        if self._panel.workload_size.hasFocus():  # typed or stepped by the learner
            self._size_is_default = False

    # --- internals ------------------------------------------------------------------------

    def _use(self, calibration: Calibration) -> None:
        self._calibration = calibration
        self._apply(self._panel.workload_choice.currentData())

    def _apply(self, workload: str) -> None:
        fixed = WORKLOADS.get(workload)
        size = self._calibration.size_for(workload) if self._calibration else None
        spin = self._panel.workload_size
        if not self._size_is_default or fixed is None or size is None:
            return
        if spin.value() != fixed.default_size:
            return  # something else set it (a lesson link, a restore): not ours to change
        spin.setValue(min(max(size, spin.minimum()), spin.maximum()))
