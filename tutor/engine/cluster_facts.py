"""What a cluster run found out about its cluster: which one, how fast it was ready, whose clock.

A `RunResult` of the cluster mode carries one `ClusterFacts` (`RunResult.cluster`); every
other mode carries None. `to_json()` gives the "extra" object of the JSON export, with the
keys and values it has always had (tests and `bench --json` consumers read them).

Qt-free, standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ClusterKind(StrEnum):
    """Where the cluster came from."""

    LOCAL = "local"  # a LocalCluster the run started on this machine
    EXTERNAL = "external"  # a running scheduler the run connected to (RunConfig.scheduler)


class ClockKind(StrEnum):
    """Whose clock the chunk times are on."""

    SHARED = "shared"  # every worker is on this machine: one clock for all
    PER_WORKER = "per-worker"  # some workers run elsewhere: their times were shifted onto ours


FOREIGN_CLOCK_NOTE = (
    "Some workers run on other machines, each with its own clock: their chunk times were "
    "shifted onto this machine's clock by an offset measured at start-up (good to about a "
    "network round trip), so compare bars across machines loosely."
)


@dataclass(frozen=True)
class ClusterFacts:
    """One cluster run's cluster.

    kind: local or external; scheduler: the scheduler's address ("tls://127.0.0.1:40123");
    ready_s: seconds from the run's start until the cluster had its workers; workers: how many
    it had then; clock: whose clock the chunk times are on.
    """

    kind: ClusterKind
    scheduler: str
    ready_s: float
    workers: int
    clock: ClockKind = ClockKind.SHARED

    @property
    def note(self) -> str:
        """What a reader of the timings should know ("" when nothing)."""
        return FOREIGN_CLOCK_NOTE if self.clock is ClockKind.PER_WORKER else ""

    def to_json(self) -> dict[str, object]:
        """The export's "extra" object: cluster, scheduler, cluster_ready_s, cluster_workers,
        clock, and note when there is one."""
        data: dict[str, object] = {
            "cluster": str(self.kind),
            "scheduler": self.scheduler,
            "cluster_ready_s": self.ready_s,
            "cluster_workers": self.workers,
            "clock": str(self.clock),
        }
        if self.note:
            data["note"] = self.note
        return data
