"""Checking a run's settings and cutting its work into chunks, before anything runs.

Qt-free and light: the window plans runs without loading a runner.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor.engine.chunking import MAX_CHUNKS, default_chunks, interleaved_chunks
from tutor.engine.cluster import check_cluster_config
from tutor.engine.modes import RunMode, spec_of, unavailable_reason
from tutor.engine.records import MAX_SIZE, MAX_WORKERS, MIN_WORKERS, RunConfig
from tutor.engine.start_methods import available_start_methods
from tutor.engine.workloads import CUSTOM, WORKLOAD_NAMES, resolve_workload, split_function_spec


@dataclass(frozen=True)
class RunPlan:
    """A validated config and the chunks it will be cut into."""

    config: RunConfig
    chunks: tuple[range, ...]

    @property
    def items_total(self) -> int:
        return sum(len(c) for c in self.chunks)


def validate(config: RunConfig, load_function: bool = True) -> RunConfig:
    """Check every field; ValueError naming the field and what is allowed.

    `load_function=False` checks a custom function's `module:function` form without importing
    it (the CLI imports a learner's module only in a helper process: engine.hosted).
    """
    if config.workload not in WORKLOAD_NAMES:
        raise ValueError(
            f"workload: unknown {config.workload!r}; choose one of {', '.join(WORKLOAD_NAMES)}"
        )
    spec = spec_of(config.mode)  # ValueError naming the modes for an unknown one
    if isinstance(config.workers, bool) or not isinstance(config.workers, int):
        raise ValueError(f"workers: must be a whole number, got {config.workers!r}")
    if not MIN_WORKERS <= config.workers <= MAX_WORKERS:
        raise ValueError(
            f"workers: must be between {MIN_WORKERS} and {MAX_WORKERS}, got {config.workers}"
        )
    if isinstance(config.size, bool) or not isinstance(config.size, int):
        raise ValueError(f"size: must be a whole number, got {config.size!r}")
    if not 0 <= config.size <= MAX_SIZE:
        raise ValueError(f"size: must be between 0 and {MAX_SIZE:,}, got {config.size:,}")
    methods = available_start_methods()
    if config.start_method not in methods:
        raise ValueError(
            f"start_method: {config.start_method!r} is not available here; "
            f"choose one of {', '.join(methods)}"
        )
    if config.chunks is not None and not 1 <= config.chunks <= MAX_CHUNKS:
        raise ValueError(f"chunks: must be between 1 and {MAX_CHUNKS:,}, got {config.chunks}")
    if config.time_limit_s is not None and not config.time_limit_s > 0:
        raise ValueError(f"time_limit_s: must be more than 0 seconds, got {config.time_limit_s}")
    if config.workload == CUSTOM or config.function:
        if config.workload != CUSTOM:
            raise ValueError("function: only the 'custom' workload takes a function")
        if load_function:
            resolve_workload(CUSTOM, config.function)  # imports it: fails here, not in a worker
        else:
            split_function_spec(config.function)
    if spec.optional and (reason := unavailable_reason(spec.name)) is not None:
        raise ValueError(f"mode: {reason}")  # its extra is missing: the install command
    if spec.mode is RunMode.CLUSTER:
        check_cluster_config(config)  # TLS for a local cluster, or a scheduler's address
    return config


def plan_run(config: RunConfig) -> RunPlan:
    """Validate `config` (ValueError as validate()) and cut its domain into chunks: K
    interleaved chunks when `chunks` is set, else the balanced default for its workers."""
    validate(config)
    workload = resolve_workload(config.workload, config.function)
    domain = workload.domain(config.size)
    if config.chunks:
        return RunPlan(config, interleaved_chunks(domain, config.chunks))
    return RunPlan(config, default_chunks(domain, config.workers_used))
