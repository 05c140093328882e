"""A cluster run's scheduler refuses anyone without the run's certificate; tls:// addresses the
learner types use Dask's configured TLS files, and say how when they are missing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.engine.cancel import CancelToken
from tutor.engine.cluster import INSTALL_COMMAND, cluster_available
from tutor.engine.cluster_runner import ClusterRunner
from tutor.engine.cluster_security import TLS_HELP, tls_unavailable_reason
from tutor.engine.records import RunConfig
from tutor.engine.runners import plan_run, run, validate
from tutor.engine.worker import ChunkTask, clock

FIXTURES = Path(__file__).resolve().parent / "fixtures"

pytestmark = pytest.mark.skipif(
    not cluster_available() or tls_unavailable_reason() is not None,
    reason=f"Dask with TLS support is not installed: {INSTALL_COMMAND}",
)


def tasks_of(config: RunConfig) -> list[ChunkTask]:
    run_start = clock()
    return [
        ChunkTask(config.workload, config.function, index, numbers, run_start)
        for index, numbers in enumerate(plan_run(config).chunks)
    ]


@pytest.mark.timeout(120)
def test_another_process_cannot_reach_a_running_local_cluster():
    config = RunConfig("primes", 300_000, "cluster", 2, chunks=40)
    tasks = tasks_of(config)
    runner = ClusterRunner(config, tasks, CancelToken())
    try:
        outcomes = [next(runner)]  # the cluster is up and running this run's chunks
        address = runner.facts.scheduler
        assert address.startswith("tls://127.0.0.1:")
        intruder = subprocess.run(
            [sys.executable, str(FIXTURES / "dask_intruder.py"), address],
            capture_output=True,
            text=True,
            timeout=90,
        )
        outcomes.extend(runner)  # the run's own client still works
    finally:
        runner.close()
    attempts = json.loads(intruder.stdout)
    assert len(attempts) == 4
    for way, what in attempts.items():
        assert what.startswith("refused: "), f"{way}: {what}"
    assert sorted(o.index for o in outcomes) == list(range(len(tasks)))
    assert all(o.lane.startswith("tls://127.0.0.1:") for o in outcomes)  # workers too
    assert sum(o.value for o in outcomes) == 25_997  # primes up to 300,000


def test_a_tls_address_without_dask_tls_settings_says_how_to_configure_them():
    import dask

    config = RunConfig("primes", 1_000, "cluster", 2, scheduler="tls://127.0.0.1:8786")
    unset = {"distributed.comm.tls.ca-file": None, "distributed.comm.tls.client.cert": None}
    with dask.config.set(unset), pytest.raises(ValueError) as caught:
        validate(config)
    assert str(caught.value) == f"scheduler: {TLS_HELP}"
    assert "DASK_DISTRIBUTED__COMM__TLS__CA_FILE" in TLS_HELP


@pytest.mark.timeout(120)
def test_a_tls_scheduler_runs_with_the_configured_certificate_files(tmp_path):
    import dask
    from distributed import LocalCluster
    from distributed.security import Security

    security = Security.temporary()
    cert = tmp_path / "cluster.crt"
    key = tmp_path / "cluster.key"
    cert.write_text(security.tls_ca_file)
    key.write_text(security.tls_client_key)
    # Its worker is a thread of this process: what is tested is the run's client reaching a
    # tls:// scheduler with the configured files, not the worker's process (a process worker
    # cost another interpreter importing Dask; test_cluster.py runs on worker processes).
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        host="127.0.0.1",
        protocol="tls://",
        security=security,
        dashboard_address=None,
        silence_logs=50,
    ) as cluster:
        settings = {
            "distributed.comm.tls.ca-file": str(cert),
            "distributed.comm.tls.client.cert": str(cert),
            "distributed.comm.tls.client.key": str(key),
        }
        with dask.config.set(settings):
            result = run(
                RunConfig("primes", 10_000, "cluster", 1, scheduler=cluster.scheduler_address)
            )
    assert result.answer == 1_229
    assert result.cluster.kind == "external"
