"""What each run button asks for, without a window."""

from __future__ import annotations

import pytest

from tutor.engine.workloads import WORKLOADS
from tutor.models.run_plans import RunKind, kind_for_mode, plan_runs, sweep_configs
from tutor.models.run_settings import RunSettingsModel, Setting

CPU_BOUND = next(w.name for w in WORKLOADS.values() if not w.io_bound)
WAITING = next(w.name for w in WORKLOADS.values() if w.io_bound)


@pytest.fixture
def model() -> RunSettingsModel:
    settings = RunSettingsModel(("spawn",), cores=2)
    settings.set(Setting.WORKLOAD, CPU_BOUND)
    settings.set(Setting.WORKERS, 3)
    return settings


def test_a_sweep_is_one_to_n_processes_then_one_to_n_threads(model):
    plan = [(c.mode, c.workers) for c in sweep_configs(model)]
    assert plan == [(m, n) for m in ("processes", "threads") for n in (1, 2, 3)]


def test_a_sweep_uses_the_chosen_process_api(model):
    model.set(Setting.PROCESS_API, "executor")
    assert {c.mode for c in sweep_configs(model)} == {"executor", "threads"}


def test_a_sweep_of_waiting_work_adds_asyncio(model):
    model.set(Setting.WORKLOAD, WAITING)
    modes = [c.mode for c in sweep_configs(model)]
    assert modes.count("asyncio") == 3
    assert all(c.workload == WAITING for c in sweep_configs(model))


def test_each_button_asks_for_its_one_run(model):
    assert [(c.mode, c.workers) for c in plan_runs(model, RunKind.SEQUENTIAL)] == [
        ("sequential", 1)
    ]
    assert [(c.mode, c.workers) for c in plan_runs(model, RunKind.PROCESSES)] == [("processes", 3)]
    assert [c.mode for c in plan_runs(model, RunKind.THREADS)] == ["threads"]
    assert [c.mode for c in plan_runs(model, RunKind.ASYNCIO)] == ["asyncio"]
    cluster = plan_runs(model, RunKind.CLUSTER, "tcp://h:8786")
    assert [(c.mode, c.scheduler) for c in cluster] == [("cluster", "tcp://h:8786")]
    assert plan_runs(model, RunKind.SWEEP) == sweep_configs(model)


def test_a_lesson_link_mode_names_its_button():
    assert kind_for_mode("sequential") is RunKind.SEQUENTIAL
    assert kind_for_mode("threads") is RunKind.THREADS
    assert kind_for_mode("asyncio") is RunKind.ASYNCIO
    assert kind_for_mode("executor") is RunKind.PROCESSES
    assert kind_for_mode(None) is RunKind.PROCESSES
