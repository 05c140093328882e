"""The Qt-free export formats: CSV rows, the JSON document, machine facts, the report text."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import replace
from datetime import datetime

from tutor.analysis.report_text import report_folder_name, report_readme
from tutor.engine.export import (
    CHUNK_COLUMNS,
    CSV_COLUMNS,
    chunks_json,
    machine_facts,
    physical_core_count,
    results_csv,
    results_json,
)
from tutor.engine.records import ChunkTiming, RunConfig, RunResult
from tutor.engine.reliability import Reliability, Verdict


def result(mode: str, workers: int, wall: float, value: int | float = 9592) -> RunResult:
    chunks = tuple(
        ChunkTiming(100 + i % workers, 7, i, 10, i * 0.1, i * 0.1 + 0.09, 0.08) for i in range(4)
    )
    return RunResult(
        RunConfig("primes", 100_000, mode, workers, "spawn"),
        value,
        wall,
        0.05,
        wall - 0.05,
        chunks,
        len(chunks),
        baseline_s=1.0,
        baseline_answer=9592,
        python="3.11.7",
        gil_enabled=True,
    )


RUNS = [result("sequential", 1, 1.0), result("processes", 2, 0.5), result("threads", 2, 1.1, 9591)]


def test_csv_has_a_header_and_plain_values_per_run():
    rows = list(csv.DictReader(io.StringIO(results_csv(RUNS))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["run"] for r in rows] == [
        "sequential",
        "processes × 2",
        "threads × 2",
    ]
    assert rows[1]["speedup"] == "2.0" and rows[1]["efficiency"] == "1.0"
    assert rows[1]["start_method"] == "spawn" and rows[2]["start_method"] == ""  # no processes
    assert rows[1]["matches_sequential"] == "true" and rows[2]["matches_sequential"] == "false"
    assert rows[0]["workers"] == "1" and rows[0]["function"] == ""
    assert results_csv([]).strip() == ",".join(CSV_COLUMNS)


def test_json_holds_each_run_and_the_machine():
    machine = machine_facts("spawn", ["spawn", "fork"])
    data = json.loads(results_json(RUNS, machine))
    assert data["machine"] == json.loads(json.dumps(machine))
    assert [run["mode"] for run in data["runs"]] == ["sequential", "processes", "threads"]
    full = json.loads(json.dumps(RUNS[1].to_json()))
    chunk_list = full.pop("chunks")
    columns = data["runs"][1].pop("chunk_columns")
    assert data["runs"][1] == full
    # The chunks, by column: the same values as one object per chunk, in the same order.
    assert list(columns) == list(CHUNK_COLUMNS)
    rows = zip(*columns.values(), strict=True)
    rebuilt = [dict(zip(columns, values, strict=True)) for values in rows]
    assert rebuilt == chunk_list


def many_chunk_run(chunks: int) -> RunResult:
    timings = tuple(
        ChunkTiming(100 + i % 2, 7, i, 10, i * 1e-4, i * 1e-4 + 7e-5, 6e-5, i * 1e-4, i * 1e-4)
        for i in range(chunks)
    )
    return RunResult(
        RunConfig("squares", 1_000_000, "processes", 2, "spawn", chunks=chunks),
        333_332_833_333_500_000,
        7.0,
        0.1,
        6.9,
        timings,
        chunks,
        baseline_s=9.0,
        baseline_answer=333_332_833_333_500_000,
    )


def test_a_report_summary_stays_small_however_many_chunks_and_runs():
    machine = machine_facts("spawn")
    few = results_json([many_chunk_run(1_000)] * 200, machine, chunks_file="chunks.json")
    many = results_json([many_chunk_run(9_000)] * 200, machine, chunks_file="chunks.json")
    assert len(many) == len(few)  # the summary does not grow with the chunks
    assert len(many.encode()) < 200 * 1_200  # about a kilobyte per run
    summary = json.loads(many)
    assert summary["chunks_file"] == "chunks.json" and len(summary["runs"]) == 200
    assert all("chunks" not in run and run["chunk_count"] == 9_000 for run in summary["runs"])


def test_chunk_columns_are_smaller_than_one_object_per_chunk_and_lose_nothing():
    run = many_chunk_run(5_000)  # any count: each chunk costs the same in either form
    text = chunks_json([run, run])
    per_object = json.dumps([run.to_json()["chunks"]] * 2, indent=2)
    assert len(text) < len(per_object) / 3
    data = json.loads(text)
    assert data["columns"] == list(CHUNK_COLUMNS) and len(data["runs"]) == 2
    columns = data["runs"][1]
    assert columns["index"] == list(range(5_000))
    assert columns["start_s"] == [c.start_s for c in run.chunks]
    assert columns["lane"] == [""] * 5_000


def test_machine_facts_name_cpus_python_gil_start_method_and_os():
    facts = machine_facts("forkserver", ["spawn", "forkserver"])
    assert facts["logical_cpus"] == (os.cpu_count() or 1)
    assert facts["start_method"] == "forkserver"
    assert facts["gil"].startswith(("enabled", "disabled"))
    assert facts["python_version"].count(".") == 2 and facts["os"]
    physical = physical_core_count()
    assert physical is None or 1 <= physical <= facts["logical_cpus"]


def test_readme_names_the_machine_the_best_runs_and_the_files():
    when = datetime(2025, 1, 2, 3, 4, 5)
    text = report_readme(
        RUNS, machine_facts("spawn"), {"results.csv": "the table"}, when, {"Timing": "in words"}
    )
    assert "Saved 2025-01-02 03:04:05" in text
    assert "Best processes: 2.00× with 2 workers" in text
    assert "`results.csv`: the table" in text and "- Timing: in words" in text
    assert report_folder_name(when) == "mp-tutor-report-2025-01-02-030405"


def test_readme_takes_the_best_from_trustworthy_runs_and_flags_a_noisy_one():
    # The report's headline was a threads run "1.41x with 1 worker" that results.json
    # called impossible, with no caveat.
    impossible = Reliability(Verdict.NOISY, 0.0, ("one worker came out 1.41× as fast",))
    noisy_threads = replace(result("threads", 1, 0.7), reliability=impossible)
    noisy_fast = replace(result("processes", 2, 0.3), reliability=impossible)
    runs = [result("sequential", 1, 1.0), result("processes", 2, 0.5), noisy_fast, noisy_threads]
    text = report_readme(runs, machine_facts("spawn"), {}, datetime(2025, 1, 2))
    assert "Best processes: 2.00× with 2 workers" in text  # not the noisy 3.33×
    assert "Best threads: 1.43× with 1 worker" in text
    assert "Not to be trusted: one worker came out 1.41× as fast" in text
    assert "2 of the runs were noisy" in text


def test_a_run_label_names_its_unit_once():
    """'processes × 2 processes' read as a stutter (issue #19): every mode says its unit once."""
    labels = {
        mode: RunConfig("primes", 10, mode, 2).label()
        for mode in ("sequential", "threads", "processes", "executor", "asyncio", "cluster")
    }
    assert labels == {
        "sequential": "sequential",
        "threads": "threads × 2",
        "processes": "processes × 2",
        "executor": "executor × 2 processes",
        "asyncio": "asyncio × 2 tasks",
        "cluster": "cluster × 2 workers",
    }
    for label in labels.values():
        words = label.replace("×", " ").split()
        assert len(words) == len(set(words)), label
