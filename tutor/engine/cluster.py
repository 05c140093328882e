"""The `cluster` mode: the very same chunks as a Dask task each, on a Dask cluster.

Dask's `distributed` package is an optional extra (`pip install -e '.[cluster]'`) and nothing
here imports it at module level: without it the mode is reported as unavailable, with the
install command, and every other mode works as before. This module says whether the mode can
run here and checks a cluster config; the run itself is `cluster_runner.ClusterRunner`, the
code its workers run is in `cluster_worker_side`, and the local cluster's processes are
watched and cleaned up by `cluster_processes`.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from typing import Any

from tutor.engine.cluster_security import external_security, tls_unavailable_reason
from tutor.engine.records import RunConfig

CLUSTER_MODE = "cluster"
INSTALL_COMMAND = "pip install -e '.[cluster]'"

_ADDRESS = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+):(?P<port>\d{1,5})"
)


def cluster_unavailable_reason() -> str | None:
    """None when Dask's distributed scheduler is installed, else why not and how to get it."""
    if all(importlib.util.find_spec(name) is not None for name in ("dask", "distributed")):
        return None
    if getattr(sys, "frozen", False):  # the packaged app leaves Dask out
        return (
            "the 'cluster' mode needs Dask's distributed scheduler, which this packaged app "
            f"does not include; run the tutor from a Python installation with: {INSTALL_COMMAND}"
        )
    return (
        "the 'cluster' mode needs Dask's distributed scheduler, which is not installed; "
        f"install it with: {INSTALL_COMMAND}"
    )


def cluster_available() -> bool:
    return cluster_unavailable_reason() is None


def unavailable_modes_note() -> str:
    """For a list of modes: "" when every mode can run here, else what to install."""
    if cluster_available():
        return ""
    return f" (cluster is not installed here: {INSTALL_COMMAND})"


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
