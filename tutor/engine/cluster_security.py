"""Who may talk to a cluster run's Dask scheduler.

A local Dask cluster without security listens on a loopback port that every account on the
machine can see (`ss -ltn`) and connect to, and a connected client runs any code it likes as the
learner, in the scheduler and in every worker. So a local cluster uses Dask's TLS with a
certificate made for the run alone (`Security.temporary()`, kept in memory, never on disk):
scheduler, workers and our client all hold it, and Dask's TLS requires it of both ends
(`verify_mode = CERT_REQUIRED`, see `distributed/security.py`), so a client without it is
refused before it can send a task.

For a scheduler address the learner types, security is theirs to configure, in Dask's own
configuration (see `TLS_HELP`); a `tls://` address without it fails with that help instead of
Dask's terse "TLS expects a `ssl_context` argument".

Nothing here imports Dask at module level (it is an optional extra).
"""

from __future__ import annotations

import importlib.util
from typing import Any

TLS_SCHEME = "tls://"
# What the README repeats: Dask reads these from its YAML files (~/.config/dask/*.yaml) or from
# environment variables (DASK_ + the key with "." as "__" and "-" as "_").
TLS_HELP = (
    "a tls:// scheduler needs Dask's TLS settings: distributed.comm.tls.ca-file (the "
    "cluster's CA certificate) and distributed.comm.tls.client.cert / .key (this client's "
    "certificate and key), in ~/.config/dask/distributed.yaml or as the environment variables "
    "DASK_DISTRIBUTED__COMM__TLS__CA_FILE, DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT and "
    "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY"
)


def tls_unavailable_reason() -> str | None:
    """None when a per-run certificate can be made here, else why not.

    `Security.temporary()` needs the `cryptography` package (part of the `cluster` extra).
    """
    if importlib.util.find_spec("cryptography") is None:
        return (
            "a local Dask cluster needs the 'cryptography' package to lock its scheduler to "
            "this run (without it any local account could run code through it)"
        )
    return None


def local_cluster_security() -> Any:
    """A fresh `distributed.security.Security` with a temporary certificate for one run.

    Raises ImportError when `cryptography` is missing (see `tls_unavailable_reason`).
    """
    from distributed.security import Security

    return Security.temporary()


def external_security(address: str) -> Any | None:
    """The `Security` for a scheduler the learner named, or None for Dask's own default.

    A `tls://` address takes Dask's configured TLS files; ValueError (naming the `scheduler`
    field, with `TLS_HELP`) when they are not configured. Other addresses return None, so a
    configured `distributed.client.security-loader` still applies.
    """
    if not address.strip().lower().startswith(TLS_SCHEME):
        return None
    from distributed.security import Security

    security = Security()
    if not (security.tls_ca_file and security.tls_client_cert):
        raise ValueError(f"scheduler: {TLS_HELP}")
    return security
