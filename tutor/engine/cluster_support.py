"""Whether the cluster mode can run here, answered without loading the cluster support.

The run panel asks this while the window is being built; `tutor.engine.cluster` itself brings
ssl, logging, sockets and queues along, which the window's start-up should not pay for before
the learner ever asks for a cluster run.
"""

from __future__ import annotations

import importlib.util
import sys

INSTALL_COMMAND = "pip install -e '.[cluster]'"


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
