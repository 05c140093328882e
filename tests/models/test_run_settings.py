"""The run-settings model without a window: ranges, choices, change notification, requests."""

from __future__ import annotations

import pytest

from tutor.engine.records import MAX_SIZE, RunConfig
from tutor.engine.repeats import MAX_REPEATS
from tutor.engine.workloads import WORKLOADS
from tutor.models.run_settings import (
    PanelState,
    RunSettingsModel,
    Setting,
    max_workers_allowed,
)


@pytest.fixture
def model() -> RunSettingsModel:
    return RunSettingsModel(("fork", "spawn", "forkserver"), cores=4)


def recorder(model: RunSettingsModel) -> list[tuple[Setting, object]]:
    seen: list[tuple[Setting, object]] = []
    model.subscribe(lambda setting, value: seen.append((setting, value)))
    return seen


def test_defaults_are_spawn_first_all_cores_and_the_first_workloads_size(model):
    first = next(iter(WORKLOADS.values()))
    assert model.start_methods == ("spawn", "forkserver", "fork")
    assert model.start_method == "spawn"
    assert model.workers == 4
    assert (model.workload, model.size) == (first.name, first.default_size)
    assert (model.chunks, model.process_api, model.scheduler, model.repeats) == (
        0,
        "processes",
        "",
        0,
    )


def test_worker_range_is_at_least_eight_and_twice_the_cores():
    assert max_workers_allowed(2) == 8
    assert max_workers_allowed(12) == 24
    assert RunSettingsModel(("spawn",), cores=12).ranges[Setting.WORKERS] == (1, 24)


def test_every_change_is_announced_once_and_a_repeat_is_not(model):
    seen = recorder(model)
    model.set(Setting.WORKERS, 3)
    model.set(Setting.WORKERS, 3)
    model.set(Setting.START_METHOD, "forkserver")
    assert seen == [(Setting.WORKERS, 3), (Setting.START_METHOD, "forkserver")]


def test_numbers_are_clamped_like_a_spin_box_and_huge_ints_do_not_overflow(model):
    model.set(Setting.SIZE, 10**40)
    model.set(Setting.WORKERS, 0)
    model.set(Setting.CHUNKS, -5)
    model.set(Setting.REPEATS, 10**6)
    assert model.size == MAX_SIZE
    assert model.workers == 1
    assert model.chunks == 0
    assert model.repeats == MAX_REPEATS


def test_an_unknown_choice_is_refused(model):
    with pytest.raises(ValueError, match="start_method"):
        model.set(Setting.START_METHOD, "teleport")
    assert model.start_method == "spawn"


def test_choosing_a_workload_sets_its_default_size(model):
    other = list(WORKLOADS.values())[1]
    seen = recorder(model)
    model.set(Setting.WORKLOAD, other.name)
    assert model.size == other.default_size
    assert seen[0] == (Setting.WORKLOAD, other.name)


def test_config_carries_every_setting(model):
    model.set(Setting.CHUNKS, 12)
    model.set(Setting.START_METHOD, "fork")
    config = model.config("threads")
    assert config == RunConfig(model.workload, model.size, "threads", 4, "fork", 12)
    assert model.config("processes", 2).workers == 2
    model.set(Setting.CHUNKS, 0)
    assert model.config("threads").chunks is None  # 0: the engine's balanced default


def test_repeats_zero_is_automatic(model):
    assert model.repeat_policy().count is None
    model.set(Setting.REPEATS, 3)
    assert model.repeat_policy().count == 3


def test_restore_keeps_what_this_machine_lacks_as_it_was(model):
    workload = list(WORKLOADS)[1]
    model.restore(PanelState(workload, 1234, 2, "nosuchmethod", 7, "executor"))
    assert model.state() == PanelState(workload, 1234, 2, "spawn", 7, "executor")


def test_a_lesson_request_clamps_and_picks_the_process_api(model):
    model.apply_request("nosuchworkload", 10**30, 999, "executor")
    assert model.size == MAX_SIZE
    assert model.workers == model.ranges[Setting.WORKERS][1]
    assert model.process_api == "executor"
    model.apply_request(model.workload, 500, None, "threads")  # threads keep the process API
    assert (model.size, model.process_api) == (500, "executor")


def test_an_unsubscribed_listener_hears_nothing(model):
    seen: list = []
    unsubscribe = model.subscribe(lambda *change: seen.append(change))
    unsubscribe()
    unsubscribe()  # twice is harmless
    model.set(Setting.WORKERS, 2)
    assert seen == []


def test_the_scheduler_address_is_kept_without_spaces(model):
    model.set(Setting.SCHEDULER, "  tcp://10.0.0.5:8786 ")
    assert model.scheduler == "tcp://10.0.0.5:8786"
