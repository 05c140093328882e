"""The run settings saved between sessions: one dataclass, read back checked and clamped.

A settings file may have been edited by hand, written by an older tutor or damaged on disk. Every
value read here is checked against the run-settings model's ranges and choices (the same the
widgets offer) before it reaches the model and its widgets: `QSpinBox.setValue` raises OverflowError
for an int beyond a C int, and even `QSettings.value(key, default, type=int)` hands back such
ints (it parses "99999999999999999999" through a double). A value that cannot be used is dropped
or clamped, and a one-sentence notice says so; reading never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from tutor.models.run_settings import PanelState, RunSettingsModel, Setting

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


def read_run_settings(
    settings: QSettings, model: RunSettingsModel
) -> tuple[RunSettings, list[str]]:
    """Read the saved run settings, falling back to the model's current values.

    Returns the settings to restore (every number inside the model's range, every choice one
    the model offers) and one notice per saved value that was dropped or clamped.
    """
    notices: list[str] = []
    state = PanelState(
        workload=_read_choice(settings, "run/workload", model, Setting.WORKLOAD, notices),
        size=_read_int(settings, "run/size", model, Setting.SIZE, notices),
        workers=_read_int(settings, "run/workers", model, Setting.WORKERS, notices),
        start_method=_read_choice(
            settings, "run/startMethod", model, Setting.START_METHOD, notices
        ),
        chunks=_read_int(settings, "run/chunks", model, Setting.CHUNKS, notices),
        process_api=_read_choice(settings, "run/processApi", model, Setting.PROCESS_API, notices),
    )
    scheduler = settings.value("run/daskScheduler", "")
    if not isinstance(scheduler, str):
        notices.append("The saved Dask scheduler address was not text, so it was dropped.")
        scheduler = ""
    return RunSettings(panel=state, dask_scheduler=scheduler.strip()), notices


def restore_run_settings(settings: QSettings, model: RunSettingsModel) -> list[str]:
    """Put the saved run settings into `model`; return notices for values that were not used."""
    saved, notices = read_run_settings(settings, model)
    model.restore(saved.panel)
    model.set(Setting.SCHEDULER, saved.dask_scheduler)
    return notices


def write_model_settings(settings: QSettings, model: RunSettingsModel) -> None:
    """Store the model's current settings (the caller syncs)."""
    write_run_settings(settings, RunSettings(model.state(), model.scheduler))


# How each setting is named in a notice.
_LABELS = {
    Setting.WORKLOAD: "workload",
    Setting.SIZE: "workload size",
    Setting.WORKERS: "worker count",
    Setting.START_METHOD: "start method",
    Setting.CHUNKS: "chunk count",
    Setting.PROCESS_API: "process API",
}


def _read_int(
    settings: QSettings, key: str, model: RunSettingsModel, setting: Setting, notices: list[str]
) -> int:
    """The saved int at `key` inside the model's range; the model's value if unusable."""
    label = _LABELS[setting]
    current = int(model.get(setting))  # type: ignore[call-overload]
    raw = settings.value(key)
    if raw is None:
        _note_unreadable(settings, key, label, notices)
        return current
    text = str(raw).strip() if isinstance(raw, (str, int)) else ""
    low, high = model.ranges[setting]
    if not _INTEGER.fullmatch(text):
        shown = text[:40] if text else type(raw).__name__
        notices.append(f"The saved {label} ({shown!r}) is not a whole number, so it was dropped.")
        return current
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
    settings: QSettings, key: str, model: RunSettingsModel, setting: Setting, notices: list[str]
) -> str:
    """The saved choice at `key` when the model offers it; else the model's current one."""
    label = _LABELS[setting]
    default = str(model.get(setting))
    raw = settings.value(key)
    if raw is None:
        _note_unreadable(settings, key, label, notices)
        return default
    if isinstance(raw, str) and raw in model.choices(setting):
        return raw
    shown = raw[:40] if isinstance(raw, str) else type(raw).__name__
    notices.append(
        f"The saved {label} ({shown!r}) is not one this tutor offers, so it was dropped."
    )
    return default


def _note_unreadable(settings: QSettings, key: str, label: str, notices: list[str]) -> None:
    if settings.contains(key):  # present, but Qt could not turn it into a value
        notices.append(f"The saved {label} could not be read, so it was dropped.")
