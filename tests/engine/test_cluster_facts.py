"""Cluster facts: a frozen record on the result, exported as the same "extra" object as before."""

from __future__ import annotations

import dataclasses
import json

import pytest

from tutor.engine.cluster_facts import ClockKind, ClusterFacts, ClusterKind
from tutor.engine.records import RunConfig
from tutor.engine.runners import run


def test_the_export_keeps_its_keys_and_values():
    facts = ClusterFacts(ClusterKind.LOCAL, "tls://127.0.0.1:40123", 1.25, 2)
    assert facts.to_json() == {
        "cluster": "local",
        "scheduler": "tls://127.0.0.1:40123",
        "cluster_ready_s": 1.25,
        "cluster_workers": 2,
        "clock": "shared",
    }
    assert list(facts.to_json()) == [
        "cluster",
        "scheduler",
        "cluster_ready_s",
        "cluster_workers",
        "clock",
    ]


def test_workers_on_other_machines_add_the_clock_note():
    facts = ClusterFacts(ClusterKind.EXTERNAL, "tcp://10.0.0.5:8786", 0.5, 3)
    assert facts.note == "" and "note" not in facts.to_json()
    foreign = dataclasses.replace(facts, clock=ClockKind.PER_WORKER)
    data = foreign.to_json()
    assert data["clock"] == "per-worker" and data["cluster"] == "external"
    assert "own clock" in data["note"] and data["note"] == foreign.note


def test_facts_cannot_be_changed_after_the_run():
    facts = ClusterFacts(ClusterKind.LOCAL, "tls://127.0.0.1:1", 1.0, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.workers = 4  # type: ignore[misc]


def test_a_result_exports_its_facts_and_other_modes_have_none():
    result = run(RunConfig("primes", 2_000, "threads", 2))
    assert result.cluster is None and "extra" not in result.to_json()
    facts = ClusterFacts(ClusterKind.LOCAL, "tls://127.0.0.1:40123", 0.75, 2)
    data = dataclasses.replace(result, cluster=facts).to_json()
    assert data["extra"] == facts.to_json()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
