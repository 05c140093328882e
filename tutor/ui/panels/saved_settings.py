"""The run panel's saved settings: one dataclass, read back checked and clamped to each widget.

A settings file may have been edited by hand, written by an older tutor or damaged on disk. Every
value read here is checked before it reaches a widget: `QSpinBox.setValue` raises OverflowError
for an int beyond a C int, and even `QSettings.value(key, default, type=int)` hands back such
ints (it parses "99999999999999999999" through a double). A value that cannot be used is dropped
or clamped, and a one-sentence notice says so; reading never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QSpinBox

from tutor.ui.panels.run_panel import PanelState, RunPanel

SCHEMA_VERSION = 1
SCHEMA_KEY = "meta/schemaVersion"

_INTEGER = re.compile(r"[+-]?\d+")
# Longer digit strings are clamped without converting them (Python refuses str<->int beyond
# 4,300 digits, and nothing a spin box holds needs more than 10).
_MAX_DIGITS = 18


@dataclass(frozen=True)
class RunSettings:
    """What the run panel remembers between sessions (schema `SCHEMA_VERSION`)."""

    panel: PanelState
    dask_scheduler: str = ""


def write_run_settings(settings: QSettings, saved: RunSettings) -> None:
    """Store `saved` under the `run/` keys (the caller syncs)."""
    state = saved.panel
    settings.setValue(SCHEMA_KEY, SCHEMA_VERSION)
    settings.setValue("run/workload", state.workload)
    settings.setValue("run/size", state.size)
    settings.setValue("run/workers", state.workers)
    settings.setValue("run/startMethod", state.start_method)
    settings.setValue("run/chunks", state.chunks)
    settings.setValue("run/processApi", state.process_api)
    settings.setValue("run/daskScheduler", saved.dask_scheduler)


def read_run_settings(settings: QSettings, panel: RunPanel) -> tuple[RunSettings, list[str]]:
    """Read the saved run settings, falling back to the panel's current values.

    Returns the settings to restore (every number inside its widget's range, every choice one
    the widget offers) and one notice per saved value that was dropped or clamped.
    """
    notices: list[str] = []
    now = panel.state()
    state = PanelState(
        workload=_read_choice(
            settings, "run/workload", panel.workload_choice, "workload", now.workload, notices
        ),
        size=_read_int(settings, "run/size", panel.workload_size, "workload size", notices),
        workers=_read_int(settings, "run/workers", panel.worker_count, "worker count", notices),
        start_method=_read_choice(
            settings,
            "run/startMethod",
            panel.start_method,
            "start method",
            now.start_method,
            notices,
        ),
        chunks=_read_int(settings, "run/chunks", panel.chunk_count, "chunk count", notices),
        process_api=_read_choice(
            settings,
            "run/processApi",
            panel.process_api,
            "process API",
            now.process_api,
            notices,
        ),
    )
    scheduler = settings.value("run/daskScheduler", "")
    if not isinstance(scheduler, str):
        notices.append("The saved Dask scheduler address was not text, so it was dropped.")
        scheduler = ""
    return RunSettings(panel=state, dask_scheduler=scheduler.strip()), notices


def restore_run_panel(settings: QSettings, panel: RunPanel) -> list[str]:
    """Put the saved run settings into `panel`; return notices for values that were not used."""
    saved, notices = read_run_settings(settings, panel)
    panel.restore(saved.panel)
    panel.scheduler_address.setText(saved.dask_scheduler)
    return notices


def _read_int(settings: QSettings, key: str, spin: QSpinBox, label: str, notices: list[str]) -> int:
    """The saved int at `key` inside the spin box's range; the spin box's value if unusable."""
    raw = settings.value(key)
    if raw is None:
        _note_unreadable(settings, key, label, notices)
        return spin.value()
    text = str(raw).strip() if isinstance(raw, (str, int)) else ""
    low, high = spin.minimum(), spin.maximum()
    if not _INTEGER.fullmatch(text):
        shown = text[:40] if text else type(raw).__name__
        notices.append(f"The saved {label} ({shown!r}) is not a whole number, so it was dropped.")
        return spin.value()
    too_long = len(text.lstrip("+-").lstrip("0")) > _MAX_DIGITS
    beyond = low - 1 if text.startswith("-") else high + 1
    value = beyond if too_long else int(text)
    if low <= value <= high:
        return value
    clamped = min(max(value, low), high)
    shown = text if len(text) <= 40 else text[:37] + "…"
    notices.append(
        f"The saved {label} ({shown}) is outside {low:,} … {high:,}, so {clamped:,} is used."
    )
    return clamped


def _read_choice(
    settings: QSettings,
    key: str,
    combo: QComboBox,
    label: str,
    default: str,
    notices: list[str],
) -> str:
    """The saved choice at `key` when the combo box offers it; else `default`."""
    raw = settings.value(key)
    if raw is None:
        _note_unreadable(settings, key, label, notices)
        return default
    if isinstance(raw, str) and combo.findData(raw) >= 0:
        return raw
    shown = raw[:40] if isinstance(raw, str) else type(raw).__name__
    notices.append(
        f"The saved {label} ({shown!r}) is not one this tutor offers, so it was dropped."
    )
    return default


def _note_unreadable(settings: QSettings, key: str, label: str, notices: list[str]) -> None:
    if settings.contains(key):  # present, but Qt could not turn it into a value
        notices.append(f"The saved {label} could not be read, so it was dropped.")
