"""The sequential baselines of a session's runs, shared by the GUI and the batch thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from tutor.engine.records import RunConfig, RunResult


@dataclass(frozen=True)
class BaselineKey:
    """What a sequential baseline holds for: the workload, its size N (items) and, for the
    learner's own workload, the "module:function" it ran."""

    workload: str
    size: int
    function: str | None

    @classmethod
    def of(cls, config: RunConfig) -> BaselineKey:
        return cls(config.workload, config.size, config.function)


class BaselineCache:
    """Sequential results per workload and size; shared by the GUI and the batch thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results: dict[BaselineKey, RunResult] = {}

    def get(self, config: RunConfig) -> RunResult | None:
        with self._lock:
            return self._results.get(BaselineKey.of(config))

    def put(self, result: RunResult) -> None:
        with self._lock:
            self._results[BaselineKey.of(result.config)] = result
