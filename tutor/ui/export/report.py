"""Save report: results, charts and machine facts written together into one new folder.

All or nothing. The files are written into a hidden staging folder next to the report's final
place, and the staging folder is renamed to its final name only once every file is complete; if
anything fails, the staging folder is removed and nothing half-written is left behind. An
earlier report is never overwritten: each one gets its own dated folder.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyqtgraph as pg

from tutor.analysis.report_text import report_folder_name, report_readme
from tutor.engine.export import (
    CHUNKS_FILE_NAME,
    chunks_json,
    machine_json,
    results_csv,
    results_json,
)
from tutor.engine.records import RunResult
from tutor.ui.export.chart_export import (
    SaveError,
    chart_png,
    chart_svg,
    write_atomic,
    write_text_atomic,
)

README_NAME = "README.md"


@dataclass(frozen=True)
class ChartFile:
    """A chart to save: the file stem (no suffix), a title, and the plot itself."""

    stem: str
    title: str
    plot: pg.PlotWidget


def chart_stem(object_name: str) -> str:
    """File stem from an objectName ("timingChart" → "timing-chart"), readable in a listing."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", object_name).lower()
    return re.sub(r"[^a-z0-9-]+", "-", words).strip("-") or "chart"


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def save_report(
    parent: str | Path,
    results: Sequence[RunResult],
    charts: Sequence[ChartFile],
    machine: dict,
    when: datetime | None = None,
) -> Path:
    """Write the report into a new folder inside `parent`; returns that folder.

    Raises SaveError (with a message for the learner) if `parent` is missing or not writable or
    a file cannot be written; then nothing is left behind.
    """
    parent = Path(parent)
    when = when or datetime.now()
    if not parent.is_dir():
        raise SaveError(f"Cannot save the report: the folder {parent} does not exist.")
    name = report_folder_name(when)
    staging = _free_name(parent, f".{name}.partial")
    try:
        staging.mkdir()
    except OSError as error:
        raise SaveError(
            f"Cannot save the report in {parent}: {_reason(error)}. Choose another folder."
        ) from error
    try:
        _write_files(staging, results, charts, machine, when)
        target = _free_name(parent, name)
        os.rename(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SaveError(f"Cannot save the report in {parent}: {_reason(error)}.") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _free_name(parent: Path, name: str) -> Path:
    target = parent / name
    number = 2
    while target.exists():
        target = parent / f"{name}-{number}"
        number += 1
    return target


def _write_files(
    folder: Path,
    results: Sequence[RunResult],
    charts: Sequence[ChartFile],
    machine: dict,
    when: datetime,
) -> None:
    files: dict[str, str] = {}
    write_text_atomic(folder / "results.csv", results_csv(results))
    files["results.csv"] = "the results table, one row per run (seconds, speedup, efficiency)"
    write_text_atomic(
        folder / "results.json", results_json(results, machine, chunks_file=CHUNKS_FILE_NAME)
    )
    files["results.json"] = "every run's figures and the machine facts (no per-chunk detail)"
    write_text_atomic(folder / CHUNKS_FILE_NAME, chunks_json(results))
    files[CHUNKS_FILE_NAME] = "every run's per-chunk timings, by column, in results.json's order"
    write_text_atomic(folder / "machine.json", machine_json(machine))
    files["machine.json"] = "CPU count, Python version, GIL, start method and OS"
    summaries: dict[str, str] = {}
    for chart in charts:
        write_atomic(folder / f"{chart.stem}.png", chart_png(chart.plot))
        write_atomic(folder / f"{chart.stem}.svg", chart_svg(chart.plot))
        files[f"{chart.stem}.png"] = f"{chart.title} (picture)"
        files[f"{chart.stem}.svg"] = f"{chart.title} (vector graphics)"
        summary = chart.plot.accessibleDescription()
        if summary:
            summaries[chart.title] = summary
    files[README_NAME] = "this overview"
    write_text_atomic(
        folder / README_NAME, report_readme(results, machine, files, when, charts=summaries)
    )


__all__ = ["ChartFile", "SaveError", "chart_stem", "save_report"]
