"""The `cluster` mode: the very same chunks as a Dask task each, on a Dask cluster.

Dask's `distributed` package is an optional extra (`pip install -e '.[cluster]'`) and nothing
here imports it at module level: without it the mode is reported as unavailable, with the
install command, and every other mode works as before. This module says whether the mode can
run here and checks a cluster config; the run itself is `cluster_runner.ClusterRunner`, the
code its workers run is in `cluster_worker_side`, and the local cluster's processes are
watched and cleaned up by `cluster_processes`.
"""

from __future__ import annotations

import re
from typing import Any

from tutor.engine.cluster_security import external_security, tls_unavailable_reason
from tutor.engine.modes import RunMode, spec_of, unavailable_reason
from tutor.engine.records import RunConfig

CLUSTER_MODE = RunMode.CLUSTER.value
INSTALL_COMMAND = spec_of(CLUSTER_MODE).install_command

_ADDRESS = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+):(?P<port>\d{1,5})"
)


def cluster_unavailable_reason() -> str | None:
    """None when Dask's distributed scheduler is installed, else why not and how to get it."""
    return unavailable_reason(CLUSTER_MODE)


def cluster_available() -> bool:
    return cluster_unavailable_reason() is None


def check_scheduler_address(address: str) -> str:
    """The address itself when it looks like `tcp://host:port`; ValueError naming the field."""
    match = _ADDRESS.fullmatch(address.strip()) if isinstance(address, str) else None
    if match is None or not 0 < int(match["port"]) < 65536:
        raise ValueError(
            f"scheduler: expected a Dask scheduler address like tcp://host:8786, got {address!r}"
        )
    return address.strip()


def check_cluster_config(config: RunConfig) -> None:
    """ValueError when a cluster run cannot start here: no Dask, no way to secure a local
    cluster, a malformed address, or a tls:// address without Dask's TLS settings."""
    reason = cluster_unavailable_reason()
    if reason is not None:
        raise ValueError(f"mode: {reason}")
    if config.scheduler is None:
        reason = tls_unavailable_reason()
        if reason is not None:
            raise ValueError(f"mode: {reason}; install it with: {INSTALL_COMMAND}")
    else:
        check_scheduler_address(config.scheduler)
        external_security(config.scheduler)


def import_distributed() -> Any:
    """Dask's `distributed` module; ValueError (naming the mode) when it cannot be loaded."""
    check_cluster_config(RunConfig("primes", 0, CLUSTER_MODE))
    try:
        import distributed
    except ImportError as exc:  # installed but broken
        raise ValueError(
            f"mode: the 'cluster' mode cannot load Dask ({exc}); reinstall it with: "
            f"{INSTALL_COMMAND}"
        ) from exc
    return distributed
