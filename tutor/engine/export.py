"""Finished runs as CSV and JSON, and the machine facts.

The README of a saved report: tutor.analysis.report_text.

Qt-free: the UI writes what these functions return (atomically, with QSaveFile). CSV columns hold
plain numbers (seconds, ratios) for spreadsheets and scripts; the JSON export is each run's
`RunResult.to_json()` next to the facts of the machine that measured it.

Per-chunk detail is stored by column (`{"index": [...], "start_s": [...], ...}`), not as one
object per chunk: one object per chunk repeated every key for every chunk, and a session's
report reached 19 MB. A saved report goes further: `results.json` is the summary (no chunks,
opens at once however many chunks the runs had) and `chunks.json` holds the columns, one entry
per run in the same order.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Sequence

from tutor.engine import machine
from tutor.engine.machine import physical_core_count  # noqa: F401 - re-exported
from tutor.engine.records import RunResult
from tutor.engine.values import dumps, json_number

FORMAT_VERSION = 2  # 2: chunks by column (and, in a report, in chunks.json)

CSV_COLUMNS: tuple[str, ...] = (
    "run",
    "workload",
    "size",
    "mode",
    "workers",
    "start_method",
    "chunk_count",
    "result",
    "matches_sequential",
    "wall_s",
    "startup_s",
    "compute_s",
    "speedup",
    "efficiency",
    "python",
    "gil_enabled",
    "function",
)


def machine_facts(start_method: str, start_methods: Sequence[str] = ()) -> dict:
    """What a reader of the numbers needs to know about the machine that measured them:
    engine.machine's facts plus the start method the runs used and the ones available."""
    facts = machine.machine_facts().to_json()
    return {**facts, "start_method": start_method, "available_start_methods": list(start_methods)}


def _cell(value: object) -> object:
    """CSV cell: empty for None, lower-case booleans, repr-exact floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def result_row(result: RunResult) -> dict[str, object]:
    """One run as plain values, keyed by `CSV_COLUMNS`."""
    config = result.config
    return {
        "run": config.label(),
        "workload": config.workload,
        "size": config.size,
        "mode": config.mode,
        "workers": config.workers_used,
        "start_method": config.start_method if config.uses_processes else None,
        "chunk_count": result.chunk_count,
        "result": json_number(result.answer),  # nan/inf and huge ints as text
        "matches_sequential": result.matches_baseline,
        "wall_s": result.wall_s,
        "startup_s": result.startup_s,
        "compute_s": result.compute_s,
        "speedup": result.speedup,
        "efficiency": result.efficiency,
        "python": result.python,
        "gil_enabled": result.gil_enabled,
        "function": config.function,
    }


def results_csv(results: Sequence[RunResult]) -> str:
    """A header row, then one row per run, in the order given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        row = result_row(result)
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


CHUNK_COLUMNS = (
    "worker",
    "thread",
    "index",
    "items",
    "start_s",
    "end_s",
    "cpu_s",
    "received_s",
    "arrived_s",
    "lane",
)
CHUNKS_FILE_NAME = "chunks.json"


def chunk_columns(result: RunResult) -> dict[str, list]:
    """The run's chunks as columns: each name of CHUNK_COLUMNS -> one value per chunk, in the
    order of `result.chunks` (the keys of a chunk in `RunResult.to_json()`)."""
    return {name: [getattr(c, name) for c in result.chunks] for name in CHUNK_COLUMNS}


def results_document(
    results: Sequence[RunResult], machine: dict, chunks_file: str | None = None
) -> dict:
    """The runs and the machine. Each run's chunks are columns under "chunk_columns", or, with
    `chunks_file`, left out here and written by `chunks_json` to that file."""
    runs = []
    for result in results:
        run = result.summary_json()  # the chunks go to columns or their own file
        if chunks_file is None:
            run["chunk_columns"] = chunk_columns(result)
        runs.append(run)
    document = {
        "format": "mp-tutor results",
        "version": FORMAT_VERSION,
        "machine": machine,
        "runs": runs,
    }
    if chunks_file is not None:
        document["chunks_file"] = chunks_file
    return document


def results_json(
    results: Sequence[RunResult], machine: dict, chunks_file: str | None = None
) -> str:
    """`results_document` as indented JSON text, each list of numbers on one line."""
    return _compact_columns_dump(results_document(results, machine, chunks_file)) + "\n"


def chunks_json(results: Sequence[RunResult]) -> str:
    """The chunk columns of every run, in the order of `results` (see the module doc)."""
    document = {
        "format": "mp-tutor chunks",
        "version": FORMAT_VERSION,
        "columns": list(CHUNK_COLUMNS),
        "runs": [chunk_columns(result) for result in results],
    }
    return _compact_columns_dump(document) + "\n"


def _compact_columns_dump(document: dict) -> str:
    """Indented strict JSON (no bare NaN: see values.dumps), except that every list of plain
    values stays on one line (indenting every number of every column would triple the size)."""
    token = uuid.uuid4().hex
    lines: list[str] = []

    def shrink(value: object) -> object:
        if isinstance(value, dict):
            return {key: shrink(item) for key, item in value.items()}
        if isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value):
            lines.append(dumps(value, ensure_ascii=False, separators=(",", ":")))
            return f"{token}{len(lines) - 1}"
        if isinstance(value, list):
            return [shrink(item) for item in value]
        return value

    text = dumps(shrink(document), indent=2, ensure_ascii=False)
    return re.sub(f'"{token}(\\d+)"', lambda match: lines[int(match[1])], text)


def machine_json(machine: dict) -> str:
    return dumps(machine, indent=2, ensure_ascii=False) + "\n"
